import path from 'node:path';
import { TestEnvironment } from 'jest-environment-node';
import { activeResources, openConnections, settleResources, trackTimers, type ResourceCounts, type TimerTrack } from './open-handles';

/**
 * jest's node environment, plus a check that a test file closes what it opens: once its tests
 * and hooks are over, whatever keeps node running (a server, a socket, a Redis connection, a
 * ref'd timer) beyond what was there before the file started must go within a few seconds, or
 * the file fails, naming what is left (its tests' own results are kept). A leak then fails
 * where it was made, instead of showing as a jest that does not exit, or a worker that had to
 * be killed, after the whole run.
 */
export default class CheckedEnvironment extends TestEnvironment {
  private readonly file: string;
  private before: ResourceCounts = new Map();
  private timers: TimerTrack = { pending: () => 0 };

  constructor(...args: ConstructorParameters<typeof TestEnvironment>) {
    super(...args);
    this.file = path.relative(process.cwd(), args[1].testPath);
  }

  override async setup(): Promise<void> {
    await super.setup();
    // Node opens stdout and stderr on first use and keeps them: a test that happens to be the
    // first to write to them has opened nothing.
    void process.stdout;
    void process.stderr;
    this.before = activeResources();
    this.timers = trackTimers(this.global);
  }

  /**
   * jest-circus's events: at `run_finish` every test and hook of the file has run. An error
   * added to the run's `unhandledErrors` fails the file and is shown beside its results.
   */
  async handleTestEvent(event: { name: string }, state: { unhandledErrors: unknown[] }): Promise<void> {
    if (event.name !== 'run_finish') return;
    const left = await settleResources(this.before, this.timers);
    if (!left.length) return;
    const sockets = left.some((l) => l.startsWith('TCP')) ? openConnections() : [];
    state.unhandledErrors.push(
      new Error(
        `${this.file} left open what keeps node running: ${left.join(', ')}${sockets.length ? ` (TCP connections open: ${sockets.join(', ')})` : ''}. ` +
          `Close servers, stores and clients, and clear (or unref) timers, in its tests or hooks (\`npx jest --detectOpenHandles ${this.file}\` shows where they were opened).`,
      ),
    );
  }
}

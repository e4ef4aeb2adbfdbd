import type { Profile } from '../core/profile';

/**
 * The turns running now, as ingestion sees them: an event for a user whose turn is running
 * joins that turn's profile (the turn owns it until it is written), and the user lock keeps a
 * user's events and turns in order.
 */
export interface RunningTurns {
  readonly lock: { run<T>(userId: string, fn: () => Promise<T>): Promise<T> };
  /** The working profile of the user's running turn, if one runs. */
  runningProfile(userId: string): Profile | undefined;
  /** Applies `update` to the running turn's profile; false when no turn runs any more. */
  joinRunning(userId: string, update: (profile: Profile) => Profile): boolean;
  /** Whether this process is erasing the user right now. */
  isErasing(userId: string): boolean;
}

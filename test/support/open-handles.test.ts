import net from 'node:net';
import { activeResources, leftOver, settleResources, trackTimers } from './open-handles';

/* The test environment's check that a test file closes what it opens (see environment.ts). */

describe('open handles', () => {
  test('a listening server is left over until it is closed', async () => {
    const before = activeResources();
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    expect(leftOver(before)).toEqual(['TCPServerWrap ×1']);
    await new Promise((resolve) => server.close(resolve));
    expect(await settleResources(before, { pending: () => 0 })).toEqual([]);
  });

  test('a tracked timer counts while it is armed and ref’d: not once it fired, was cleared or unref’d', async () => {
    const target = { setTimeout, setInterval, clearTimeout, clearInterval };
    const timers = trackTimers(target);
    const interval = target.setInterval(() => undefined, 60_000);
    const timeout = target.setTimeout(() => undefined, 60_000);
    let fired = false;
    target.setTimeout(() => (fired = true), 1);
    expect(timers.pending()).toBe(3);
    target.clearInterval(interval);
    timeout.unref();
    expect(timers.pending()).toBe(1);
    expect(await settleResources(activeResources(), timers)).toEqual([]);
    expect(fired).toBe(true);
    target.clearTimeout(timeout);
  });

  test('what is still open after the deadline is named', async () => {
    const target = { setTimeout, setInterval, clearTimeout, clearInterval };
    const timers = trackTimers(target);
    const interval = target.setInterval(() => undefined, 60_000);
    try {
      expect(await settleResources(activeResources(), timers, 50)).toEqual(['Timeout ×1']);
    } finally {
      target.clearInterval(interval);
    }
  });
});

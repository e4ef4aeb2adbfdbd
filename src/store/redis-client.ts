import type Redis from 'ioredis';

/**
 * Ends an ioredis client for good, now, whatever state its connection is in; what waits in
 * its offline queue fails ("Connection is closed").
 *
 * Between two reconnection attempts (`reconnecting`) the socket is gone already, yet ioredis's
 * `disconnect()` still arms a timer (its 2-second `disconnectTimeout`) to end that socket,
 * which keeps the process from exiting, and leaves the client `reconnecting` for good, with
 * its offline queue never answered. For a client that has not connected yet (`wait`) it ends
 * the client at once instead, which is what is right here too: nothing is connected.
 *
 * ```ts
 * endClient(subscriber); // subscriber.status === 'end'
 * ```
 */
export function endClient(client: Redis): void {
  if (client.status === 'end') return;
  if (client.status === 'reconnecting') client.status = 'wait';
  client.disconnect();
}

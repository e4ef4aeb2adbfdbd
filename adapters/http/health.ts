import type { RequestHandler } from 'express';
import type { Attune } from '../../src/engine/attune';
import { circuitOf } from '../../src/store/breaker';

/**
 * `GET /healthz`: 200 `{ status: 'ok' }` when the store answers; 503 `{ status: 'degraded' }`
 * otherwise: the bot still answers, unpersonalized. While the store's circuit breaker is open
 * (see `BreakerStore`) the answer comes from its state, without asking the store again.
 */
export function healthHandler(attune: Attune): RequestHandler {
  return async (_req, res) => {
    const store = attune.store.kind;
    // The circuit's state after the check: a ping that answers closes an open circuit.
    const circuit = () => {
      const state = circuitOf(attune.store)?.state;
      return state === undefined ? {} : { circuit: state };
    };
    if ((circuitOf(attune.store)?.state ?? 'closed') !== 'closed') {
      res.status(503).json({ status: 'degraded', store, ...circuit() });
      return;
    }
    try {
      await attune.store.ping();
      res.json({ status: 'ok', store, ...circuit() });
    } catch {
      res.status(503).json({ status: 'degraded', store, ...circuit() });
    }
  };
}

/**
 * `GET /livez`: 200 `{ status: 'ok' }` whenever the process can answer at all. It asks
 * nothing of the store: a liveness probe that failed with Redis would have the orchestrator
 * restart every replica during an outage the bot rides out unpersonalized.
 */
export function livezHandler(): RequestHandler {
  return (_req, res) => {
    res.json({ status: 'ok' });
  };
}

/** Options of {@link readyzHandler}. */
export interface ReadyzOptions {
  /** How long the store may take to answer the ping before the replica is not ready (default 1000 ms). */
  deadlineMs?: number;
}

/**
 * `GET /readyz`: 200 `{ status: 'ready', store }` when the store answers a ping within the
 * deadline; 503 `{ status: 'not_ready', store, reason }` when it fails, is slow, or its
 * circuit breaker is open (then without asking it again), so that a load balancer sends
 * traffic to replicas that can personalize.
 *
 * ```ts
 * app.get('/readyz', readyzHandler(attune, { deadlineMs: 500 }));
 * ```
 */
export function readyzHandler(attune: Attune, options: ReadyzOptions = {}): RequestHandler {
  const deadlineMs = options.deadlineMs ?? 1000;
  return async (_req, res) => {
    const store = attune.store.kind;
    const notReady = (reason: string) => res.status(503).json({ status: 'not_ready', store, reason });
    if ((circuitOf(attune.store)?.state ?? 'closed') === 'open') return notReady('the store circuit is open');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deadlineMs);
      timer.unref();
    });
    try {
      const answer = await Promise.race([attune.store.ping().then(() => 'ok' as const), late]);
      if (answer === 'late') return notReady(`the store did not answer within ${deadlineMs} ms`);
      res.json({ status: 'ready', store });
    } catch {
      notReady('the store did not answer');
    } finally {
      clearTimeout(timer);
    }
  };
}

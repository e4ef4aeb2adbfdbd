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

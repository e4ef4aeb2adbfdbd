import type { RequestHandler } from 'express';
import type { Attune } from '../../src/engine/attune';

/** `GET /healthz`: 200 when the store answers, 503 otherwise. */
export function healthHandler(attune: Attune): RequestHandler {
  return async (_req, res) => {
    try {
      await attune.store.ping();
      res.json({ status: 'ok', store: attune.store.kind });
    } catch {
      res.status(503).json({ status: 'unavailable', store: attune.store.kind });
    }
  };
}

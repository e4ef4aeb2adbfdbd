/**
 * The baseline server of `bench:api`, run in a child process of its own: a bare Express 5 app
 * with the two measured routes at the same paths as Attune's. `GET
 * /v1/users/:id/recommendations` answers `res.json()` of the very answer Attune gave (so the
 * body has the same size and the same serialization work); `POST /v1/track` parses the same
 * JSON with `express.json()` and answers what Attune answers. Nothing else: no auth, no
 * validation, no security headers. Reads PORT and BENCH_RECOMMENDATIONS (the JSON answer).
 */
import express from 'express';

const recommendations: unknown = JSON.parse(process.env.BENCH_RECOMMENDATIONS ?? '{}');
const app = express();
app.disable('x-powered-by');
app.get('/v1/users/:id/recommendations', (_req, res) => {
  res.json(recommendations);
});
app.post('/v1/track', express.json(), (req, res) => {
  const body = req.body as { userId?: unknown } | undefined;
  res.json({ success: body !== undefined && typeof body.userId === 'string', accepted: 1, duplicates: 0 });
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('listening\n'));
// The bench stops its servers with SIGTERM: exit 0 at once (autocannon's sockets are gone by
// then), so that a stop is told apart from a crash.
process.once('SIGTERM', () => {
  server.close();
  process.exit(0);
});

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { normalizeBatch, normalizeEvent } from '../../src/core/event';
import { ValidationError } from '../../src/core/errors';

const NOW = new Date('2024-06-01T12:00:00.000Z');

function rejection(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('normalizeEvent', () => {
  test('a track event keeps its name and properties and is stamped with the receive time', () => {
    const e = normalizeEvent({ type: 'track', userId: 'u1', event: 'Product Viewed', properties: { product_id: 'p1' } }, NOW);
    expect(e).toMatchObject({ type: 'track', userId: 'u1', event: 'Product Viewed', properties: { product_id: 'p1' }, traits: {}, context: {} });
    expect(e.timestamp).toBe(NOW.toISOString());
    expect(e.receivedAt).toBe(NOW.toISOString());
  });

  test('identify carries traits, page and screen carry their name', () => {
    expect(normalizeEvent({ type: 'identify', userId: 'u1', traits: { plan: 'pro' } }, NOW).traits).toEqual({ plan: 'pro' });
    const page = normalizeEvent({ type: 'page', userId: 'u1', name: 'Home', properties: { path: '/' } }, NOW);
    expect(page).toMatchObject({ type: 'page', name: 'Home', properties: { path: '/' } });
    expect(page.event).toBeUndefined();
    expect(normalizeEvent({ type: 'screen', anonymousId: 'a1', name: 'Cart' }, NOW)).toMatchObject({ type: 'screen', name: 'Cart' });
  });

  test('the userId is the key when known, else the anonymousId', () => {
    const both = normalizeEvent({ type: 'track', userId: 'u1', anonymousId: 'a1', event: 'X' }, NOW);
    expect(both.userId).toBe('u1');
    expect(both.anonymousId).toBe('a1');
    const anonymous = normalizeEvent({ type: 'track', anonymousId: 'a1', event: 'X' }, NOW);
    expect(anonymous.userId).toBe('a1');
  });

  test('an event with neither userId nor anonymousId is rejected at userId', () => {
    const err = rejection(() => normalizeEvent({ type: 'track', event: 'X' }, NOW));
    expect(err.code).toBe('invalid_argument');
    expect(err.issues.map((i) => i.path)).toEqual([['userId']]);
    expect(err.message).toBe('invalid event: userId: either userId or anonymousId is required');
  });

  test('empty ids do not count as someone', () => {
    expect(() => normalizeEvent({ type: 'track', userId: '', event: 'X' }, NOW)).toThrow(ValidationError);
  });

  test('alias needs previousId and group needs groupId, each named where it is missing', () => {
    expect(rejection(() => normalizeEvent({ type: 'alias', userId: 'u1' }, NOW)).issues[0].path).toEqual(['previousId']);
    expect(rejection(() => normalizeEvent({ type: 'group', userId: 'u1' }, NOW)).issues[0].path).toEqual(['groupId']);
    expect(normalizeEvent({ type: 'alias', userId: 'u1', previousId: 'anon-1' }, NOW)).toMatchObject({ type: 'alias', userId: 'u1', previousId: 'anon-1' });
    expect(normalizeEvent({ type: 'group', userId: 'u1', groupId: 'acme', traits: { plan: 'team' } }, NOW)).toMatchObject({ type: 'group', groupId: 'acme', traits: { plan: 'team' } });
  });

  test('unknown types and track events without a name are rejected', () => {
    expect(rejection(() => normalizeEvent({ type: 'merge', userId: 'u1' }, NOW)).issues[0].path).toEqual(['type']);
    expect(rejection(() => normalizeEvent({ type: 'track', userId: 'u1' }, NOW)).issues[0].path).toEqual(['event']);
    expect(rejection(() => normalizeEvent({ type: 'track', userId: 'u1', event: '' }, NOW)).issues[0].path).toEqual(['event']);
  });

  test('timestamps with an offset, dates and epoch milliseconds all become UTC ISO strings', () => {
    const at = (timestamp: unknown) => normalizeEvent({ type: 'track', userId: 'u1', event: 'X', timestamp }, NOW).timestamp;
    expect(at('2024-01-02T03:04:05Z')).toBe('2024-01-02T03:04:05.000Z');
    expect(at('2024-01-02T05:04:05+02:00')).toBe('2024-01-02T03:04:05.000Z');
    expect(at('2024-01-02')).toBe('2024-01-02T00:00:00.000Z');
    expect(at(Date.parse('2024-01-02T03:04:05Z'))).toBe('2024-01-02T03:04:05.000Z');
  });

  test('a timestamp without an offset is read as UTC, whatever the server time zone', () => {
    // Jest's process.env is a copy, so the zone is set in a child process of its own.
    const script = "const { normalizeEvent } = require('./src/core/event'); process.stdout.write(normalizeEvent({ type: 'track', userId: 'u1', event: 'X', timestamp: '2024-01-02T03:04:05' }).timestamp);";
    for (const TZ of ['America/New_York', 'Asia/Tokyo']) {
      const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: path.resolve(__dirname, '../..'), env: { ...process.env, TZ }, encoding: 'utf8' });
      expect(out).toBe('2024-01-02T03:04:05.000Z');
    }
  });

  test('bad timestamps are rejected, not silently replaced by now', () => {
    for (const timestamp of ['yesterday', '2024-13-01', -5, '2024-01-02 03:04']) {
      const err = rejection(() => normalizeEvent({ type: 'track', userId: 'u1', event: 'X', timestamp }, NOW));
      expect(err.issues[0].path).toEqual(['timestamp']);
    }
  });

  test('a messageId is kept when given and generated, unique, when missing', () => {
    expect(normalizeEvent({ type: 'track', userId: 'u1', event: 'X', messageId: 'm-1' }, NOW).messageId).toBe('m-1');
    const a = normalizeEvent({ type: 'track', userId: 'u1', event: 'X' }, NOW).messageId;
    const b = normalizeEvent({ type: 'track', userId: 'u1', event: 'X' }, NOW).messageId;
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
  });

  test('default context is overridden key by key by the event context', () => {
    const e = normalizeEvent({ type: 'track', userId: 'u1', event: 'X', context: { locale: 'de-DE' } }, NOW, { context: { locale: 'en-US', channel: 'web' } });
    expect(e.context).toEqual({ locale: 'de-DE', channel: 'web' });
  });
});

describe('normalizeBatch', () => {
  test('normalizes every event and applies the batch context', () => {
    const events = normalizeBatch(
      {
        batch: [
          { type: 'track', userId: 'u1', event: 'A' },
          { type: 'identify', anonymousId: 'a2', traits: { name: 'Ann' }, context: { channel: 'app' } },
        ],
        context: { channel: 'web', locale: 'fr-FR' },
      },
      NOW,
    );
    expect(events.map((e) => [e.userId, e.type, e.context])).toEqual([
      ['u1', 'track', { channel: 'web', locale: 'fr-FR' }],
      ['a2', 'identify', { channel: 'app', locale: 'fr-FR' }],
    ]);
  });

  test('one bad event rejects the whole batch and names its index', () => {
    const err = rejection(() => normalizeBatch({ batch: [{ type: 'track', userId: 'u1', event: 'A' }, { type: 'track', event: 'B' }] }, NOW));
    expect(err.issues.map((i) => i.path)).toEqual([['batch', 1, 'userId']]);
    expect(err.message).toContain('batch.1.userId: either userId or anonymousId is required');
  });

  test('an empty batch and a missing batch are rejected', () => {
    expect(rejection(() => normalizeBatch({ batch: [] }, NOW)).issues[0].path).toEqual(['batch']);
    expect(rejection(() => normalizeBatch({}, NOW)).issues[0].path).toEqual(['batch']);
  });
});

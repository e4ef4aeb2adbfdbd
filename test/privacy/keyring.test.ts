import { ConfigError } from '../../src/core/errors';
import { findKey, keyRingFromEnv, parseKeyRing } from '../../src/privacy/keyring';

const rules = { name: 'TEST_KEYS', minBytes: 16, maxBytes: 32 };
const b64 = (text: string) => Buffer.from(text).toString('base64');
const k16 = b64('0123456789abcdef');
const k20 = b64('0123456789abcdefghij');

describe('parseKeyRing', () => {
  it('makes the first key current and keeps the others for reading', () => {
    const ring = parseKeyRing(` new:${k20} , old:${k16}`, rules);
    expect(ring.current.id).toBe('new');
    expect(ring.current.secret.toString()).toBe('0123456789abcdefghij');
    expect(ring.keys.map((k) => k.id)).toEqual(['new', 'old']);
    expect(findKey(ring, 'old')?.secret.toString()).toBe('0123456789abcdef');
    expect(findKey(ring, 'gone')).toBeUndefined();
  });

  it('accepts base64url keys', () => {
    const raw = Buffer.from([251, 255, 190, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(parseKeyRing(`k:${raw.toString('base64url')}`, rules).current.secret).toEqual(raw);
  });

  it.each([
    ['an empty string', ''],
    ['an entry without a colon', k16],
    ['an empty key id', `:${k16}`],
    ['a key id with punctuation', `k.1:${k16}`],
    ['a duplicate key id', `a:${k16},a:${k20}`],
    ['a key that is not base64', 'k:not base64!'],
    ['an empty key', 'k:'],
    ['a key too short', `k:${b64('short')}`],
    ['a key too long', `k:${b64('x'.repeat(33))}`],
    ['an empty entry', `a:${k16},,b:${k16}`],
  ])('refuses %s with a ConfigError', (_why, spec) => {
    expect(() => parseKeyRing(spec, rules)).toThrow(ConfigError);
  });

  it('never puts the secret in an error message', () => {
    const secret = b64('short-secret');
    expect(() => parseKeyRing(`k:${secret}`, rules)).toThrow(/TEST_KEYS entry 1 \(k\): key must be 16 to 32 bytes, got 12/);
    try {
      parseKeyRing(`k:${secret}`, rules);
    } catch (e) {
      expect(String(e)).not.toContain(secret);
    }
  });
});

describe('keyRingFromEnv', () => {
  const dev = `dev:${k16}`;

  it('reads the variable when it is set', () => {
    const onWarning = jest.fn();
    expect(keyRingFromEnv(rules, dev, { env: { TEST_KEYS: `prod:${k20}` }, onWarning }).current.id).toBe('prod');
    expect(onWarning).not.toHaveBeenCalled();
  });

  it('falls back to the development key with a warning when unset', () => {
    const onWarning = jest.fn();
    expect(keyRingFromEnv(rules, dev, { env: { TEST_KEYS: ' ' }, onWarning }).current.id).toBe('dev');
    expect(onWarning).toHaveBeenCalledWith(expect.stringContaining('TEST_KEYS is not set'));
  });

  it('refuses the development key in production', () => {
    expect(() => keyRingFromEnv(rules, dev, { env: { NODE_ENV: 'production' } })).toThrow(ConfigError);
  });
});

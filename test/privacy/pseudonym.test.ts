import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { ConfigError, ValidationError } from '../../src/core/errors';
import {
  DEVELOPMENT_ID_KEY,
  idKeyRingFromEnv,
  isPseudonym,
  parseIdKeyRing,
  pseudonymize,
  pseudonymKeyId,
  pseudonymsOf,
} from '../../src/privacy/pseudonym';

const key = () => randomBytes(32).toString('base64');
const ring1 = parseIdKeyRing(`k1:${key()}`);

describe('pseudonymize', () => {
  it('is stable for the same id and key, and carries the key id', () => {
    const p = pseudonymize('user-42', ring1);
    expect(p).toBe(pseudonymize('user-42', ring1));
    expect(p).toMatch(/^pid\.k1\.[A-Za-z0-9_-]{22}$/);
    expect(pseudonymKeyId(p)).toBe('k1');
  });

  it('differs between ids and between keys', () => {
    const ring2 = parseIdKeyRing(`k1:${key()}`);
    expect(pseudonymize('user-42', ring1)).not.toBe(pseudonymize('user-43', ring1));
    expect(pseudonymize('user-42', ring1)).not.toBe(pseudonymize('user-42', ring2));
  });

  it('never contains the raw id and is never mistaken for one', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), (raw) => {
        const p = pseudonymize(raw, ring1);
        expect(isPseudonym(p)).toBe(true);
        if (raw.length > 3) expect(p).not.toContain(raw);
      }),
    );
  });

  it('refuses an empty id', () => {
    expect(() => pseudonymize('', ring1)).toThrow(ValidationError);
  });
});

describe('key rotation', () => {
  const old = key();
  const before = parseIdKeyRing(`k1:${old}`);
  const after = parseIdKeyRing(`k2:${key()},k1:${old}`);

  it('uses the new key for new pseudonyms and still finds the old ones', () => {
    const oldPseudonym = pseudonymize('user-42', before);
    expect(pseudonymize('user-42', after)).toMatch(/^pid\.k2\./);
    expect(pseudonymsOf('user-42', after)).toEqual([pseudonymize('user-42', after), oldPseudonym]);
  });

  it('tells whether a pseudonym was made with a key of the ring', () => {
    expect(isPseudonym(pseudonymize('u', before), after)).toBe(true);
    expect(isPseudonym(pseudonymize('u', parseIdKeyRing(`k9:${key()}`)), after)).toBe(false);
  });
});

describe('isPseudonym', () => {
  it.each(['user-42', 'ann@example.com', 'pid.k1.short', 'pid..AAAAAAAAAAAAAAAAAAAAAA', 'xpid.k1.AAAAAAAAAAAAAAAAAAAAAA', ''])(
    'rejects the raw id %j',
    (raw) => expect(isPseudonym(raw)).toBe(false),
  );
  it('returns no key id for a raw id', () => expect(pseudonymKeyId('user-42')).toBeUndefined());
});

describe('id key configuration', () => {
  it('refuses a malformed ATTUNE_ID_KEY', () => {
    expect(() => parseIdKeyRing('k1')).toThrow(ConfigError);
    expect(() => parseIdKeyRing(`k1:${Buffer.from('too-short').toString('base64')}`)).toThrow(/16 to 64 bytes/);
    expect(() => idKeyRingFromEnv({ env: { ATTUNE_ID_KEY: 'nonsense' } })).toThrow(ConfigError);
  });

  it('falls back to the documented development key with a warning', () => {
    const onWarning = jest.fn();
    const ring = idKeyRingFromEnv({ env: {}, onWarning });
    expect(pseudonymize('u', ring)).toBe(pseudonymize('u', parseIdKeyRing(DEVELOPMENT_ID_KEY)));
    expect(onWarning).toHaveBeenCalledWith(expect.stringContaining('ATTUNE_ID_KEY'));
  });
});

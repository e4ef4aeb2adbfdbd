import { randomBytes } from 'node:crypto';
import { ValidationError } from '../../src/core/errors';
import { apiKeyId, auditRecord, AuditRecordSchema, type AuditInput } from '../../src/privacy/audit';
import { parseIdKeyRing, pseudonymize } from '../../src/privacy/pseudonym';

const ring = parseIdKeyRing(`k1:${randomBytes(32).toString('base64')}`);
const target = pseudonymize('user-42', ring);
const at = new Date('2024-03-15T10:00:00Z');
const base: AuditInput = { at, actor: apiKeyId('secret-admin-key'), action: 'user.erase', target, outcome: 'success' };

function issuesOf(input: AuditInput): string[] {
  try {
    auditRecord(input, ring);
  } catch (e) {
    if (e instanceof ValidationError) return e.issues.map((i) => i.path.join('.'));
    throw e;
  }
  return [];
}

describe('auditRecord', () => {
  it('builds a minimal record that the schema reads back unchanged', () => {
    const record = auditRecord({ ...base, details: { events: 120, stores: 2, cascade: true, scope: 'all' } }, ring);
    expect(record).toEqual({
      at: '2024-03-15T10:00:00.000Z',
      actor: base.actor,
      action: 'user.erase',
      target,
      outcome: 'success',
      details: { events: 120, stores: 2, cascade: true, scope: 'all' },
    });
    expect(AuditRecordSchema.parse(JSON.parse(JSON.stringify(record)))).toEqual(record);
  });

  it('allows an action on no user', () => {
    expect(auditRecord({ at, actor: 'ops', action: 'keys.rotate', outcome: 'success' })).not.toHaveProperty('target');
  });

  it('records a failure by error code only', () => {
    expect(auditRecord({ ...base, outcome: 'failure', errorCode: 'store' }, ring).errorCode).toBe('store');
    expect(issuesOf({ ...base, outcome: 'success', errorCode: 'store' })).toEqual(['errorCode']);
  });

  it.each(['user-42', 'ann@example.com', pseudonymize('user-42', parseIdKeyRing(`k9:${randomBytes(32).toString('base64')}`))])(
    'refuses the target %s, which is not a pseudonym of the ring',
    (raw) => {
      expect(issuesOf({ ...base, target: raw })).toEqual(['target']);
    },
  );

  it.each([
    [{ email: 'hidden' }, 'details.email'],
    [{ first_name: 'x' }, 'details.first_name'],
    [{ userId: 'u1' }, 'details.userId'],
    [{ note: 'asked by ann@example.com' }, 'details.note'],
    [{ note: 'call +44 20 7946 0958' }, 'details.note'],
    [{ card: '4111 1111 1111 1111' }, 'details.card'],
  ])('refuses personal data in details: %j', (details, path) => {
    expect(issuesOf({ ...base, details })).toEqual([path]);
  });

  it('refuses long free text, a bad actor, an unknown action and an invalid date', () => {
    expect(issuesOf({ ...base, details: { note: 'x'.repeat(81) } })).toEqual(['details.note']);
    expect(issuesOf({ ...base, actor: 'ann@example.com' })).toEqual(['actor']);
    expect(issuesOf({ ...base, action: 'user.delete' as never })).toEqual(['action']);
    expect(issuesOf({ ...base, at: new Date('nope') })).toEqual(['at']);
  });
});

describe('apiKeyId', () => {
  it('is stable, distinct per key, and does not reveal the key', () => {
    const id = apiKeyId('secret-admin-key');
    expect(id).toMatch(/^key_[A-Za-z0-9_-]{12}$/);
    expect(apiKeyId('secret-admin-key')).toBe(id);
    expect(apiKeyId('another-key')).not.toBe(id);
    expect(id).not.toContain('secret');
  });
});

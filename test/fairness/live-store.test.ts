import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAttune } from '../../index';
import { parseApiKeys } from '../../adapters/http/api-keys';
import { createServer, listen } from '../../adapters/http/server';
import { EcommerceEvents } from '../../src/core/ecommerce';
import type { Attune } from '../../src/engine/attune';
import { liveAuditData, runLiveAudit } from '../../src/fairness';
import { AUDIT_ATTRIBUTES_EVENT } from '../../src/privacy/audit-attributes';
import { createCipher, parseEncryptionKeys } from '../../src/privacy/cipher';
import { backends, type Backend } from '../support/backends';
import { plantedBias } from './planted';

/*
 * The audit on the live store, on both back ends: the planted under-served group (a niche taste
 * in the long tail) is recovered from the event log joined with the audit-only attributes,
 * which are encrypted at rest, never in a profile read, in the export, gone after erase, and
 * never recorded, nor used, without an explicit fairness consent.
 */
const cipher = createCipher(parseEncryptionKeys(`k1:${randomBytes(32).toString('base64')}`));
const ADMIN = 'admin-key-0123456789abcdef';
const data = plantedBias();
/** Mainstream users who never consent to fairness, and one who consents, records, then withdraws. */
const NO_CONSENT = ['u1', 'u2'];
const WITHDRAWS = 'u4';
const AUDIT = { model: 'pop', split: 'user', bootstrap: 0, seed: 3, attributes: ['taste'] } as const;

describe.each(backends({ cipher }))('a live audit on the %s store', (_name, open) => {
  let backend: Backend;
  let attune: Attune;
  const recorded = new Map<string, boolean>();

  beforeAll(async () => {
    backend = open();
    // Opt-out: personalization is assumed, fairness never is.
    attune = createAttune({ store: backend.store, idKeys: false, consentPolicy: 'opt-out' });
    const events = data.interactions.map((x) => ({ type: 'track', userId: x.user, event: EcommerceEvents.ProductViewed, properties: { product_id: x.item } }));
    for (let i = 0; i < events.length; i += 200) await attune.batch({ batch: events.slice(i, i + 200) });
    for (const [user, attributes] of data.users ?? []) {
      if (!NO_CONSENT.includes(user)) await attune.setConsent(user, { fairness: true });
      recorded.set(user, (await attune.setAuditAttributes(user, { taste: attributes.taste })).recorded);
    }
    await attune.setConsent(WITHDRAWS, { fairness: false });
  }, 120_000);

  afterAll(async () => {
    await attune.flush();
    await backend.close();
  });

  it('keeps the attributes encrypted at rest: no attribute name or value is in clear anywhere in the store', async () => {
    const raw = await backend.raw();
    // A sealed value, in full (`enc:v1:k1:iv:tag:…`), in a store's compact form (the prefix left
    // out) or in a binary one (the key id after its length byte, then the raw IV, tag and ciphertext).
    expect(raw).toMatch(/k1:[\w-]{16}:[\w-]{22}:|\\u0002k1/);
    for (const text of ['niche', 'mainstream', '"taste"']) expect(raw).not.toContain(text);
  });

  it('finds the planted gap: the niche group is the worst served, with a four-fifths alert', async () => {
    const report = await runLiveAudit(backend.store, AUDIT);
    const gap = report.gaps.find((g) => g.attribute === 'taste' && g.metric === 'ndcg');
    expect(gap?.worst).toBe('niche');
    expect(gap?.ratio).toBeLessThan(0.5);
    expect(report.alerts.find((a) => a.metric === 'taste.ndcg')?.alert).toBe(true);
    expect(report.source).toEqual({ kind: 'store', interactions: data.interactions.length, attributed: data.users!.size - NO_CONSENT.length - 1, withdrawn: 1 });
    // Every user is scored; only those with attributes the audit may use are in a group.
    const groups = report.frames.taste.byGroup;
    expect(groups.niche.size + groups.mainstream.size).toBe(report.source.attributed);
    expect(report.users).toBe(data.users!.size);
  });

  it('records nothing without an explicit fairness consent, and uses nothing once it is withdrawn', async () => {
    for (const user of NO_CONSENT) expect(recorded.get(user)).toBe(false);
    expect(recorded.get('u0')).toBe(true);
    // Raw ingestion of the record is held to the same rule.
    await attune.track({ userId: 'u1', event: AUDIT_ATTRIBUTES_EVENT, properties: { taste: 'mainstream' } });
    const u1 = await attune.export('u1');
    expect(u1.auditAttributes).toBeNull();
    expect(u1.events.filter((e) => e.event === AUDIT_ATTRIBUTES_EVENT)).toEqual([]);
    const { dataset } = await liveAuditData(backend.store);
    expect([...NO_CONSENT, WITHDRAWS].filter((u) => dataset.users?.has(u))).toEqual([]);
    expect([dataset.users?.get('u3'), dataset.users?.get('u5')]).toEqual([{ taste: 'niche' }, { taste: 'mainstream' }]);
  });

  it('keeps them out of every profile read: the library, REST and a turn’s personalization', async () => {
    const server: Server = await listen(createServer(attune, { apiKeys: parseApiKeys(`${ADMIN}:admin`) }), { port: 0, host: '127.0.0.1' });
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/users/u0/profile`, { headers: { Authorization: `Bearer ${ADMIN}` } });
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain('"Product Viewed"');
      expect(body).not.toMatch(/niche|taste/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(JSON.stringify(await attune.profile('u0'))).not.toMatch(/niche|taste/);
    let seen = '';
    await attune.handle({ id: 't1', userId: 'u0', sessionId: 's1', channel: 'test', kind: 'message', text: 'hi', signals: {}, timestamp: new Date().toISOString() }, (ctx) => {
      seen = JSON.stringify(ctx.personalization.profile);
    });
    expect(seen).toContain('"Product Viewed"');
    expect(seen).not.toMatch(/niche|taste/);
  });

  it('exports them, and erases them with the user', async () => {
    const exported = await attune.export('u0');
    expect(exported.auditAttributes).toEqual({ taste: 'niche' });
    expect(exported.events.filter((e) => e.event === AUDIT_ATTRIBUTES_EVENT).map((e) => e.properties)).toEqual([{ taste: 'niche' }]);
    const before = (await liveAuditData(backend.store)).attributed;
    await attune.erase('u0');
    const after = await attune.export('u0');
    expect(after.auditAttributes).toBeNull();
    expect(after.events).toEqual([]);
    const { dataset, attributed } = await liveAuditData(backend.store);
    expect(attributed).toBe(before - 1);
    expect(dataset.users?.has('u0')).toBe(false);
  });
});

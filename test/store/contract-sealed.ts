import { createCipher, parseEncryptionKeys, type Cipher, type EncryptedFields } from '../../src/privacy/cipher';
import type { Store } from '../../src/store/store';
import { event, profile, session, type ContractHarness, type MakeStore } from './fixtures';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const RING_K1 = `k1:${key(1)}`;
const RING_K2_K1 = `k2:${key(2)},k1:${key(1)}`;
const RING_K2 = `k2:${key(2)}`;

/** A cipher whose key ring a test can swap, as an operator does by editing the environment. */
class SwitchableCipher implements Cipher {
  private inner: Cipher;
  constructor(ring: string) {
    this.inner = createCipher(parseEncryptionKeys(ring));
  }
  use(ring: string): void {
    this.inner = createCipher(parseEncryptionKeys(ring));
  }
  currentKeyId(): string {
    return this.inner.currentKeyId?.() ?? '';
  }
  encrypt(plaintext: string, aad?: string): string {
    return this.inner.encrypt(plaintext, aad);
  }
  decrypt(ciphertext: string, aad?: string): string {
    return this.inner.decrypt(ciphertext, aad);
  }
  reencrypt(ciphertext: string, aad?: string): string {
    return this.inner.reencrypt(ciphertext, aad);
  }
  encryptFields<T extends object, K extends keyof T & string>(value: T, fields: readonly K[], aad?: string): EncryptedFields<T, K> {
    return this.inner.encryptFields(value, fields, aad);
  }
  decryptFields<T extends object, K extends keyof T & string>(value: EncryptedFields<T, K>, fields: readonly K[], aad?: string): T {
    return this.inner.decryptFields(value, fields, aad);
  }
}

// Every secret carries this marker, so one search of the stored form finds any of them.
const MARK = 'Zq9x';

/** A user whose every sealed field holds a secret. */
const secretBatch = () => ({
  events: [event('u1', 1, { email: `ada${MARK}@example.com` }), { ...event('u1', 2), traits: { phone: `+33 6 ${MARK}` }, context: { channel: 'web', ip: `10.${MARK}` } }],
  profiles: [profile('u1', { traits: { ssn: `ssn-${MARK}` } })],
  sessions: [
    session('u1', 's1', {
      turns: [{ direction: 'in' as const, text: `my card is 4111 ${MARK}`, at: '2024-05-01T10:00:00.000Z' }],
      entities: { email: `e${MARK}` },
      slots: { address: `1 ${MARK} St` },
    }),
  ],
});

/** Encryption at rest, on the stored form of each store (see ContractHarness.raw). */
export function sealedContract(current: () => ContractHarness, open: MakeStore): void {
  async function withCipher(ring: string, run: (s: Store, h: ContractHarness, c: SwitchableCipher) => Promise<void>): Promise<void> {
    const cipher = new SwitchableCipher(ring);
    const h = await open({ cipher });
    try {
      await run(h.store, h, cipher);
    } finally {
      await h.store.close();
    }
  }

  describe('encryption at rest', () => {
    test('without a cipher the stored form is plain (so the checks below can see secrets)', async () => {
      await current().store.write(secretBatch());
      expect(await current().raw()).toContain(MARK);
    });

    test('with a cipher nothing secret is stored in clear, and every read returns plaintext', async () => {
      await withCipher(RING_K1, async (s, h) => {
        const batch = secretBatch();
        await s.write(batch);
        const raw = await h.raw();
        expect(raw).not.toContain(MARK);
        expect(raw).toContain('enc:v1:k1:');
        expect(await s.readUser('u1', 's1')).toEqual({ profile: batch.profiles[0], session: batch.sessions[0], segments: [] });
        expect((await s.readEvents()).events).toEqual(batch.events);
        expect((await s.readEvents({ userId: 'u1' })).events).toEqual(batch.events);
        expect(await s.exportUser('u1')).toMatchObject({ profile: batch.profiles[0], sessions: batch.sessions, events: batch.events });
      });
    });

    test('rotation re-encrypts everything under the current key; old keys can then go', async () => {
      await withCipher(RING_K1, async (s, h, cipher) => {
        const batch = secretBatch();
        await s.write(batch);
        cipher.use(RING_K2_K1);
        // 2 events + 1 profile + 1 session; per-user log copies are rewritten along, uncounted.
        expect(await s.reencryptAll()).toBe(4);
        const raw = await h.raw();
        expect(raw).not.toContain('enc:v1:k1:');
        expect(raw).not.toContain(MARK);
        cipher.use(RING_K2);
        expect(await s.reencryptAll()).toBe(0);
        expect(await s.readUser('u1', 's1')).toEqual({ profile: batch.profiles[0], session: batch.sessions[0], segments: [] });
        expect((await s.readEvents({ userId: 'u1' })).events).toEqual(batch.events);
        expect((await s.readEvents()).events).toEqual(batch.events);
      });
    });

    test('rotation keeps cursors, TTLs and later appends working', async () => {
      await withCipher(RING_K1, async (s, _h, cipher) => {
        await s.write(secretBatch());
        const { cursor } = await s.readEvents({ limit: 1 });
        cipher.use(RING_K2_K1);
        await s.reencryptAll();
        await s.write({ events: [event('u1', 3)] });
        expect((await s.readEvents({ after: cursor })).events.map((e) => e.messageId)).toEqual(['u1-m2', 'u1-m3']);
        expect((await s.readUser('u1', 's1')).session).not.toBeNull();
      });
    });

    test('rotation keeps consumer groups where they stood, pending entries included', async () => {
      await withCipher(RING_K1, async (s, h, cipher) => {
        await s.ensureGroup('g', { from: 'start' });
        await s.write({ events: [event('u1', 1), event('u1', 2), event('u2', 3)] });
        const [first] = await s.readGroup('g', 'w', { count: 1 });
        cipher.use(RING_K2_K1);
        expect(await s.reencryptAll()).toBe(3);
        expect(await h.raw()).not.toContain('enc:v1:k1:');
        expect(await s.pending('g')).toEqual({ count: 1, lowest: first.id, highest: first.id, consumers: [{ name: 'w', count: 1 }] });
        expect((await s.readGroup('g', 'w', { count: 10 })).map((e) => e.event.messageId)).toEqual(['u1-m2', 'u2-m3']);
        await h.advance(0.03);
        const [again] = await s.claimStale('g', 'w2', { minIdleMs: 0, count: 1 });
        expect([again.id, again.event, again.deliveries]).toEqual([first.id, event('u1', 1), 2]);
      });
    });

    test('a store without a cipher has nothing to rotate', async () => {
      await current().store.write(secretBatch());
      expect(await current().store.reencryptAll()).toBe(0);
    });
  });
}

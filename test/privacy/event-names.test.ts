import { randomBytes } from 'node:crypto';
import { createAttune } from '../../index';
import { createCipher, parseEncryptionKeys } from '../../src/privacy/cipher';
import { backends } from '../support/backends';
import { smallCatalog } from '../support/catalog';

/** Event names and page/screen names are free text: redacted and encrypted like properties. */
const cipher = createCipher(parseEncryptionKeys(`k1:${randomBytes(32).toString('base64')}`));
const EMAIL = 'jane.roe@example.net';

describe.each(backends({ cipher }))('names at rest on %s', (_name, make) => {
  it('personal data in event, page and screen names is redacted, and the names are sealed at rest', async () => {
    const b = make();
    const attune = createAttune({ store: b.store, catalog: smallCatalog(), idKeys: false });
    try {
      await attune.track({ userId: 'ann', event: `Wishlist Shared With ${EMAIL}`, properties: {} });
      await attune.track({ userId: 'ann', event: 'Zebracorn Campaign Opened', properties: {} });
      await attune.ingest({ type: 'page', userId: 'ann', name: `Orders of ${EMAIL}` });
      await attune.ingest({ type: 'screen', userId: 'ann', name: 'Quokkaberry Screen' });
      const events = (await b.store.readEvents({ userId: 'ann' })).events;
      const names = events.map((e) => e.event ?? e.name);
      expect(names).toEqual(expect.arrayContaining(['Zebracorn Campaign Opened', 'Quokkaberry Screen']));
      expect(JSON.stringify(events)).not.toContain(EMAIL);
      expect(names.some((n) => n?.startsWith('Wishlist Shared With '))).toBe(true);
      expect(names.some((n) => n?.startsWith('Orders of '))).toBe(true);
      const raw = await b.raw();
      for (const secret of [EMAIL, 'Zebracorn', 'Quokkaberry', 'Wishlist Shared']) expect(raw).not.toContain(secret);
    } finally {
      await attune.close().catch(() => undefined);
      await b.close().catch(() => undefined);
    }
  });
});

import * as privacy from '../../src/privacy';

describe('privacy index', () => {
  it('exposes the primitives working together on one event', () => {
    const ids = privacy.parseIdKeyRing(`k1:${Buffer.alloc(32, 7).toString('base64')}`);
    const cipher = privacy.createCipher(privacy.parseEncryptionKeys(`e1:${Buffer.alloc(32, 9).toString('base64')}`));
    const redactor = privacy.createRedactor();

    const user = privacy.pseudonymize('user-42', ids);
    const properties = redactor.redactValue({ text: 'I am ann@example.com', sku: 'SKU-88231-BLK' });
    const stored = cipher.encryptFields({ user, properties }, ['properties'], user);

    expect(privacy.isPseudonym(user, ids)).toBe(true);
    expect(cipher.decryptFields(stored, ['properties'], user).properties).toEqual({ text: 'I am <EMAIL>', sku: 'SKU-88231-BLK' });
    expect(privacy.allows(privacy.consentFromTraits({ consent: { personalization: true } }), 'personalization', 'opt-in')).toBe(true);
    expect(privacy.auditRecord({ at: new Date(0), actor: privacy.apiKeyId('k'), action: 'user.export', target: user, outcome: 'success' }, ids).target).toBe(user);
  });
});

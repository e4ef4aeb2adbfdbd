import { ValidationError } from '../../src/core/errors';
import {
  allows,
  ConsentBodySchema,
  consentFromEvent,
  consentFromSegmentContext,
  consentFromTraits,
  mergeConsent,
  parseConsentBody,
} from '../../src/privacy/consent';

describe('allows', () => {
  it.each([
    [{ personalization: true }, 'personalization', 'opt-in', true],
    [{ personalization: false }, 'personalization', 'opt-out', false],
    [{ analytics: true }, 'personalization', 'opt-in', false],
    [{ analytics: true }, 'personalization', 'opt-out', true],
    [undefined, 'analytics', 'opt-in', false],
    [undefined, 'analytics', 'opt-out', true],
    [{}, 'toString', 'opt-in', false],
  ] as const)('%j, %s under %s → %s', (consent, purpose, policy, expected) => {
    expect(allows(consent, purpose, policy)).toBe(expected);
  });

  it('works for an application purpose', () => {
    expect(allows({ marketing: true }, 'marketing', 'opt-in')).toBe(true);
  });
});

describe('mergeConsent', () => {
  it('lets the update win and keeps what it does not mention', () => {
    expect(mergeConsent({ analytics: true, personalization: true }, { personalization: false })).toEqual({
      analytics: true,
      personalization: false,
    });
    expect(mergeConsent(undefined, { analytics: false })).toEqual({ analytics: false });
  });
});

describe('REST body', () => {
  it('accepts purposes to booleans', () => {
    expect(parseConsentBody({ personalization: true, analytics: false })).toEqual({ personalization: true, analytics: false });
  });

  it.each([
    ['an empty body', {}],
    ['a string value', { analytics: 'yes' }],
    ['a badly named purpose', { 'Analytics!': true }],
    ['an array', [true]],
    ['nothing', undefined],
  ])('refuses %s', (_why, body) => {
    expect(() => parseConsentBody(body)).toThrow(ValidationError);
    expect(ConsentBodySchema.safeParse(body).success).toBe(false);
  });

  it('refuses an unknown purpose when the known ones are given', () => {
    expect(() => parseConsentBody({ personalisation: true }, ['analytics', 'personalization'])).toThrow(/personalisation: unknown purpose/);
  });
});

describe('consentFromTraits', () => {
  it('reads traits.consent', () => {
    expect(consentFromTraits({ email: 'x', consent: { analytics: true, personalization: false } })).toEqual({
      analytics: true,
      personalization: false,
    });
  });

  it('accepts the usual string spellings', () => {
    expect(consentFromTraits({ consent: { analytics: 'granted', personalization: 'FALSE' } })).toEqual({ analytics: true, personalization: false });
  });

  it('is undefined without consent', () => {
    expect(consentFromTraits({ plan: 'pro' })).toBeUndefined();
    expect(consentFromTraits(undefined)).toBeUndefined();
  });

  it('refuses a value it would have to guess', () => {
    expect(() => consentFromTraits({ consent: { analytics: 1 } })).toThrow(/traits.consent.analytics: expected a boolean/);
    expect(() => consentFromTraits({ consent: ['analytics'] })).toThrow(ValidationError);
  });
});

describe('consentFromSegmentContext', () => {
  it('maps category preferences to purposes, ignoring case and unmapped categories', () => {
    const context = { consent: { categoryPreferences: { Advertising: true, Analytics: false, Functional: true, DataSharing: false } } };
    expect(consentFromSegmentContext(context)).toEqual({ analytics: false, personalization: true });
  });

  it('lets a no win when two categories map to one purpose', () => {
    expect(consentFromSegmentContext({ consent: { categoryPreferences: { C0003: true, Personalization: false } } })).toEqual({
      personalization: false,
    });
  });

  it('uses a custom category mapping', () => {
    const context = { consent: { categoryPreferences: { stats: true } } };
    expect(consentFromSegmentContext(context, { stats: 'analytics' })).toEqual({ analytics: true });
  });

  it('is undefined when the context carries no preferences', () => {
    expect(consentFromSegmentContext({ locale: 'en' })).toBeUndefined();
    expect(consentFromSegmentContext(undefined)).toBeUndefined();
  });
});

describe('consentFromEvent', () => {
  it('merges the Segment context and the traits, traits winning', () => {
    const event = {
      type: 'identify',
      context: { consent: { categoryPreferences: { Analytics: true, Functional: true } } },
      traits: { consent: { personalization: false } },
    };
    expect(consentFromEvent(event)).toEqual({ analytics: true, personalization: false });
  });

  it('is undefined for an event without consent', () => {
    expect(consentFromEvent({ context: {}, traits: {} })).toBeUndefined();
  });
});

import { ConfigError } from '../../../src/core/errors';
import { reviewFromEnv } from '../../../src/engine/from-env';
import { isSensitivityPolicy, RedisReviewQueue } from '../../../src/fairness/review';

/* reviewFromEnv: what a deployment switches review on with (ATTUNE_REVIEW_*). */
describe('reviewFromEnv', () => {
  it('is off unless some sensitive item, category or tag is named', () => {
    expect(reviewFromEnv({})).toBeUndefined();
    expect(reviewFromEnv({ ATTUNE_REVIEW_TAGS: ' , ', ATTUNE_REVIEW_ITEMS: '' })).toBeUndefined();
  });

  it('builds the policy from the comma-separated lists, with the queue in memory without Redis', () => {
    const review = reviewFromEnv({ ATTUNE_REVIEW_ITEMS: 'sku-1, sku-2', ATTUNE_REVIEW_CATEGORIES: 'Pharmacy', ATTUNE_REVIEW_TAGS: 'adult,alcohol', ATTUNE_REVIEW_REFRESH_MS: '2000' });
    expect(review?.queue).toBeUndefined();
    expect(review?.refreshMs).toBe(2000);
    const policy = review!.policy;
    if (!isSensitivityPolicy(policy)) throw new Error('expected a built policy');
    expect(policy.rules).toEqual({ items: ['sku-1', 'sku-2'], categories: ['pharmacy'], tags: ['adult', 'alcohol'] });
    expect(policy.match({ id: 'x', tags: ['Alcohol'] })).toBe('tag:alcohol');
  });

  it('puts the queue on Redis beside the store when ATTUNE_REDIS_URL is set', async () => {
    // A port nothing listens on: the queue connects lazily and is closed at once.
    const review = reviewFromEnv({ ATTUNE_REVIEW_TAGS: 'adult', ATTUNE_REDIS_URL: 'redis://127.0.0.1:1/0' }, { keyPrefix: 'shop:' });
    expect(review?.queue).toBeInstanceOf(RedisReviewQueue);
    await review?.queue?.close();
  });

  it('refuses a malformed value with a ConfigError naming the variable', () => {
    expect(() => reviewFromEnv({ ATTUNE_REVIEW_TAGS: 'adult', ATTUNE_REVIEW_REFRESH_MS: 'soon' })).toThrow(ConfigError);
    expect(() => reviewFromEnv({ ATTUNE_REVIEW_TAGS: 'adult', ATTUNE_REVIEW_REFRESH_MS: 'soon' })).toThrow(/ATTUNE_REVIEW_REFRESH_MS/);
    expect(() => reviewFromEnv({ ATTUNE_REVIEW_ITEMS: 'x'.repeat(600) })).toThrow(ConfigError);
  });
});

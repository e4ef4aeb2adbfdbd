import { resolveTestRedis } from './redis-harness';

/*
 * Where the Redis tests run: on the database ATTUNE_TEST_REDIS_URL names and nowhere else;
 * skipped without it, except under CI=true, where they must fail rather than pass unrun.
 */

describe('resolveTestRedis', () => {
  const never = (): boolean => {
    throw new Error('no URL: nothing to ask');
  };

  test('without ATTUNE_TEST_REDIS_URL nothing is probed: the tests are skipped, or fail under CI=true', () => {
    for (const url of [undefined, '', '  ']) {
      expect(resolveTestRedis({ ATTUNE_TEST_REDIS_URL: url }, never)).toEqual({ run: false, required: false, reason: 'ATTUNE_TEST_REDIS_URL is not set' });
      expect(resolveTestRedis({ ATTUNE_TEST_REDIS_URL: url, CI: 'true' }, never)).toEqual({ run: false, required: true, reason: 'ATTUNE_TEST_REDIS_URL is not set' });
    }
  });

  test('a Redis that does not answer is skipped, or fails under CI=true, named without its password', () => {
    const env = { ATTUNE_TEST_REDIS_URL: 'redis://:s3cret@db.internal:6390/4' };
    expect(resolveTestRedis(env, () => false)).toEqual({ run: false, required: false, reason: 'Redis does not answer at redis://***@db.internal:6390/4 (ATTUNE_TEST_REDIS_URL)' });
    expect(resolveTestRedis({ ...env, CI: 'true' }, () => false)).toMatchObject({ run: false, required: true });
  });

  test('a Redis that answers is where they run, on exactly that URL', () => {
    const asked: string[] = [];
    const url = 'redis://127.0.0.1:6390/4';
    expect(resolveTestRedis({ ATTUNE_TEST_REDIS_URL: url, CI: 'true' }, (u) => asked.push(u) > 0)).toEqual({ run: true, url, shown: url });
    expect(asked).toEqual([url]);
  });
});

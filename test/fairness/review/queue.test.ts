import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { MemoryReviewQueue, RedisReviewQueue } from '../../../src/fairness/review';
import { deleteKeys, onTestRedis, RUN_PREFIX } from '../../store/redis-harness';
import { reviewQueueContract } from './contract';

reviewQueueContract('memory', async () => new MemoryReviewQueue());

onTestRedis('RedisReviewQueue', (url) => {
  const admin = new Redis(url);
  const prefix = `${RUN_PREFIX}review-${randomBytes(3).toString('hex')}:`;
  let n = 0;
  afterAll(async () => {
    await deleteKeys(admin, prefix);
    await admin.quit();
  });
  reviewQueueContract('redis', async () => new RedisReviewQueue({ url, keyPrefix: `${prefix}${++n}:` }));
});

import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { ConflictError, NotFoundError, ValidationError } from '../../src/core/errors';
import { RedisReviewQueue, reviewEntryId, ReviewService, sensitivityPolicy } from '../../src/fairness/review';
import { RedisStore } from '../../src/store/redis';
import { deleteKeys, describeRedis, RUN_PREFIX } from '../store/redis-harness';
import { run } from './helpers';

/*
 * `attune review` run in this process against the servers' queue on Redis: what serving held
 * back is listed, approved and rejected, each decision audited in the store as `cli`; a
 * serving replica on the same keys then shows what was approved. Its own key prefix keeps it
 * apart from every other test on the database.
 */
describeRedis('attune review', (url) => {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  const prefix = `${RUN_PREFIX}cli-review-${randomBytes(3).toString('hex')}:`;
  const saved = { url: process.env.ATTUNE_REDIS_URL, level: process.env.ATTUNE_LOG_LEVEL };
  const queue = new RedisReviewQueue({ redis: client, keyPrefix: prefix });
  const at = (s: number) => new Date(Date.parse('2026-02-01T10:00:00.000Z') + s * 1000).toISOString();
  const cli = (...args: string[]) => run(['review', ...args, '--key-prefix', prefix]);

  beforeAll(async () => {
    process.env.ATTUNE_REDIS_URL = url;
    // The job's logger would print the development key's warning on every command.
    process.env.ATTUNE_LOG_LEVEL = 'silent';
    await queue.request([{ itemId: 'pharma-1', reason: 'category:pharmacy', count: 2 }], at(0));
    await queue.request([{ itemId: 'adult-7', reason: 'tag:adult' }], at(1));
  });
  afterAll(async () => {
    for (const [name, value] of [['ATTUNE_REDIS_URL', saved.url], ['ATTUNE_LOG_LEVEL', saved.level]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await deleteKeys(client, prefix);
    client.disconnect();
  });

  it('lists what waits, oldest first, with the counts (text and --json)', async () => {
    const text = await cli('list');
    expect(text.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${reviewEntryId('pharma-1')}  pending   pharma-1  \\(category:pharmacy, wanted 2×`)),
      expect.stringMatching(new RegExp(`^${reviewEntryId('adult-7')}  pending   adult-7  \\(tag:adult, wanted 1×`)),
      '2 pending, 0 approved, 0 rejected',
      '',
    ]);
    const json = JSON.parse(await cli('list', '--json', '--limit', '1'));
    expect(json.entries.map((e: { itemId: string }) => e.itemId)).toEqual(['pharma-1']);
    expect(json.counts).toEqual({ pending: 2, approved: 0, rejected: 0 });
    expect(await cli('list', '--status', 'approved')).toBe('no approved entries\n2 pending, 0 approved, 0 rejected\n');
  });

  it('approves and rejects with a note, audited as cli; refuses a second decision unless --revise', async () => {
    const approved = JSON.parse(await cli('approve', reviewEntryId('pharma-1'), '--note', 'over the counter', '--json'));
    expect(approved).toMatchObject({ itemId: 'pharma-1', status: 'approved', decidedBy: 'cli', note: 'over the counter' });
    expect(await cli('reject', reviewEntryId('adult-7'))).toMatch(new RegExp(`^${reviewEntryId('adult-7')}  rejected  adult-7 .* rejected by cli at `));

    await expect(cli('reject', reviewEntryId('pharma-1'))).rejects.toBeInstanceOf(ConflictError);
    await expect(cli('approve', reviewEntryId('never-held'))).rejects.toBeInstanceOf(NotFoundError);
    await expect(cli('approve', 'not-an-id')).rejects.toBeInstanceOf(ValidationError);
    expect(await queue.approvedItems()).toEqual(['pharma-1']);

    // A serving replica on the same keys shows the approved item and holds the rejected one.
    const replica = new ReviewService({ policy: sensitivityPolicy({ categories: ['pharmacy'], tags: ['adult'] }), queue: new RedisReviewQueue({ url, keyPrefix: prefix }), catalog: { all: () => [{ id: 'pharma-1', title: 'p', category: 'pharmacy', description: '' }, { id: 'adult-7', title: 'a', category: 'books', description: '', tags: ['adult'] }] }, audit: new RedisStore({ redis: client, keyPrefix: prefix }), clock: Date.now, logger: { warn: () => undefined, error: () => undefined } });
    await replica.refresh();
    expect([replica.holds('pharma-1'), replica.holds('adult-7')]).toEqual([false, true]);

    // Revoking an approval is a revision, asked for explicitly.
    expect(JSON.parse(await cli('reject', reviewEntryId('pharma-1'), '--revise', '--json'))).toMatchObject({ status: 'rejected', decidedBy: 'cli' });
    await replica.refresh();
    expect(replica.holds('pharma-1')).toBe(true);
    await replica.close();

    const audits = (await new RedisStore({ redis: client, keyPrefix: prefix }).readAudit()).records.filter((a) => a.action === 'review.decide');
    expect(audits.map((a) => [a.actor, a.outcome])).toEqual([
      ['cli', 'success'],
      ['cli', 'success'],
      ['cli', 'failure'],
      ['cli', 'failure'],
      ['cli', 'success'],
    ]);
    expect(JSON.stringify(audits)).not.toContain('over the counter');
    expect(await cli('list', '--status', 'all')).toMatch(/0 pending, 0 approved, 2 rejected\n$/);
  });
});

import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { createAttune } from '../../index';
import catalog from '../../examples/ecommerce/catalog.json';
import type { Attune } from '../../src/engine/attune';
import { OnlineUpdates } from '../../src/learning/online';
import { ItemKnn } from '../../src/recommend/models';
import type { Interaction } from '../../src/recommend/recommender';
import { Rng } from '../../src/recommend/models/rng';
import { RedisStore } from '../../src/store/redis';
import { deleteKeys, describeRedis, RUN_PREFIX } from '../store/redis-harness';

/** Planted structure: each user keeps to one category of the shop's catalog. */
function trained(): ItemKnn {
  const rng = new Rng(5);
  const byCategory = new Map<string, string[]>();
  for (const item of catalog) byCategory.set(item.category, [...(byCategory.get(item.category) ?? []), item.id]);
  const categories = [...byCategory.keys()];
  const interactions: Interaction[] = [];
  for (let u = 0; u < 300; u++) {
    const items = byCategory.get(categories[u % categories.length]) ?? [];
    for (let n = 0; n < 8; n++) interactions.push({ user: `t${u}`, item: items[Math.floor(rng.next() * items.length)], weight: 1, time: n });
  }
  const model = new ItemKnn();
  model.fit({ interactions });
  return model;
}

const categoryOf = (id: string) => catalog.find((i) => i.id === id)?.category;

describeRedis('online updates on Redis, seen by a second replica', (url) => {
  const prefix = `${RUN_PREFIX}online-${randomBytes(3).toString('hex')}:`;
  const clients: Redis[] = [];
  const replicas: Attune[] = [];

  function replica(): Attune {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    clients.push(client);
    const store = new RedisStore({ redis: client, keyPrefix: prefix });
    // Each replica has its own copy of the model, as each process loads the artifact.
    const attune = createAttune({ store, catalog, recommender: trained(), stages: { feedback: { online: new OnlineUpdates({ store, refreshMs: 0 }) } } });
    replicas.push(attune);
    return attune;
  }

  afterAll(async () => {
    for (const a of replicas) await a.close();
    await deleteKeys(clients[0], prefix);
    for (const c of clients) c.disconnect();
  });

  const shown = async (attune: Attune, userId: string) => {
    const r = await attune.turn({ userId, text: 'show me something', reply: { text: 'Here', recommend: { k: 5 } } });
    return (r.reply?.recommendations ?? []).map((x) => x.itemId);
  };

  it("folds in a thumbs up on one replica and demotes a not-interested item on the other's next turn", async () => {
    const a = replica();
    const b = replica();
    const liked = catalog.find((i) => i.category === 'running')!.id;
    // On replica A: the user likes a running item (a button intent naming it).
    await a.turn({ userId: 'shared-user', text: 'more like this', intent: 'more_like_this', entities: { product_id: liked } });
    await a.flush();
    // Replica B never saw that turn: its lists come from the delta on Redis, folded into its own model.
    const first = await shown(b, 'shared-user');
    expect(first.filter((id) => categoryOf(id) === 'running').length).toBeGreaterThanOrEqual(3);
    const control = await shown(b, 'control-user');
    expect(control.filter((id) => categoryOf(id) === 'running').length).toBeLessThan(3);

    // Back on A: not interested in B's top item. B drops it; the control user still sees the item B showed them.
    await a.turn({ userId: 'shared-user', text: 'not interested', intent: 'not_interested', entities: { product_id: first[0] } });
    await a.flush();
    const after = await shown(b, 'shared-user');
    expect(after).not.toContain(first[0]);
    expect(after.filter((id) => categoryOf(id) === 'running').length).toBeGreaterThanOrEqual(3);
  });
});

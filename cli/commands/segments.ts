import type { Command } from 'commander';
import { z } from 'zod';
import { ConfigError } from '../../src/core/errors';
import type { Profile } from '../../src/core/profile';
import { parse } from '../../src/core/validate';
import { backfillComputedTraits, eventsByUser } from '../../src/profiles/computed/backfill';
import { ComputedTraitSchema } from '../../src/profiles/computed/definition';
import { ComputedTraits } from '../../src/profiles/computed/traits';
import { acceptDiscovery, type ClusterNames, saveDiscovery } from '../../src/segments/discover/artifact';
import { discoverSegments } from '../../src/segments/discover/discover';
import type { Store } from '../../src/store/store';
import { readJsonFile, withJobStore } from './job-store';

/** What `discover` takes, checked before anything is read. */
const DiscoverArgs = z.object({
  features: z.string().min(1).transform((s) => s.split(',').map((f) => f.trim()).filter(Boolean)),
  k: z
    .string()
    .regex(/^\d+(-\d+)?$/, 'a number or a range such as 2-8')
    .transform((s) => {
      const [min, max = min] = s.split('-').map(Number);
      return { min, max };
    }),
  method: z.enum(['kmeans', 'ward']),
  scale: z.enum(['zscore', 'minmax']),
  impute: z.enum(['median', 'mean', 'zero']),
  seed: z.coerce.number().int().nonnegative(),
});

/** Every stored profile of a user with a logged event (the store has no list of users: the log is it). */
async function storedProfiles(store: Store): Promise<Profile[]> {
  const out: Profile[] = [];
  for (const userId of (await eventsByUser(store, 1000)).keys()) {
    const { profile } = await store.readUser(userId);
    if (profile) out.push(profile);
  }
  return out;
}

/** `--name 0=big-spenders` or `--name "0=big-spenders:Big spenders"`, repeatable. */
function names(list: readonly string[]): ClusterNames {
  const out: ClusterNames = {};
  for (const item of list) {
    const m = /^(\d+)=([^:]+)(?::(.+))?$/.exec(item);
    if (!m) throw new ConfigError(`--name ${item}: expected <cluster>=<segment id>[:<display name>]`);
    out[Number(m[1])] = m[3] ? { id: m[2], name: m[3] } : { id: m[2] };
  }
  return out;
}

/**
 * `attune segments discover` (cluster the stored profiles, save the result as a version of
 * `segments.discovered`), `attune segments accept <version> --name 0=<id> …` (name the
 * clusters and make them the live segmentation) and `attune segments backfill <traits.json>`
 * (recompute computed traits from the event log). All act on the store named by
 * ATTUNE_REDIS_URL, and refuse to run without it.
 */
export function register(program: Command): void {
  const segments = program.command('segments').description('discovered segments and computed traits (on the store named by ATTUNE_REDIS_URL)');
  segments
    .command('discover')
    .description('cluster the stored profiles into segments and save the result as a new version (nothing changes for users until it is accepted)')
    .requiredOption('--features <list>', 'comma-separated profile fields or families: orders,revenue,counts.turns,shares.*,computed.orders_30d')
    .option('--k <range>', 'the numbers of clusters to try, chosen by mean silhouette', '2-8')
    .option('--method <method>', 'kmeans (k-means++) or ward', 'kmeans')
    .option('--scale <scaling>', 'zscore or minmax', 'zscore')
    .option('--impute <imputation>', 'what a missing value becomes: median, mean or zero', 'median')
    .option('--seed <n>', 'seed of k-means++', '1')
    .option('--key-prefix <prefix>', "the store's Redis key prefix", 'attune:')
    .action(async (o: Record<string, string>) => {
      const args = parse(DiscoverArgs, o, 'options');
      const result = await withJobStore('attune segments discover', o.keyPrefix, async (store) => {
        const now = Date.now();
        const d = discoverSegments(await storedProfiles(store), { features: args.features, k: args.k, method: args.method, scaling: args.scale, imputation: args.impute, seed: args.seed, nowMs: now });
        return { version: await saveDiscovery(store, d, now), d };
      });
      const { version, d } = result;
      process.stdout.write(`${JSON.stringify({ saved: version, users: d.users, k: d.k, method: d.method, silhouettes: d.silhouettes.map((s) => ({ k: s.k, silhouette: Number(s.silhouette.toFixed(4)) })) })}\n`);
      d.clusters.forEach((c, i) => process.stdout.write(`${JSON.stringify({ cluster: i, label: c.label, suggestedId: c.suggestedId, size: c.size })}\n`));
    });
  segments
    .command('accept')
    .description('name the clusters of a saved discovery and make it the live segmentation')
    .argument('<version>', 'the discovery version (as `discover` printed)')
    .option('--name <cluster=id[:name]>', 'a segment id (and display name) for a cluster; repeat for each', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--key-prefix <prefix>', "the store's Redis key prefix", 'attune:')
    .action(async (version: string, o: { name: string[]; keyPrefix: string }) => {
      const v = parse(z.coerce.number().int().positive(), version, 'version');
      const { version: live, live: seg } = await withJobStore('attune segments accept', o.keyPrefix, (store) => acceptDiscovery(store, v, names(o.name), Date.now()));
      process.stdout.write(`${JSON.stringify({ live, from: v, segments: seg.segments.map((s) => ({ id: s.id, name: s.name })) })}\n`);
    });
  segments
    .command('backfill')
    .description('recompute computed traits for every user from the event log')
    .argument('<traits>', 'JSON file: an array of computed trait definitions')
    .option('--key-prefix <prefix>', "the store's Redis key prefix", 'attune:')
    .action(async (file: string, o: { keyPrefix: string }) => {
      const traits = new ComputedTraits(parse(z.array(ComputedTraitSchema), readJsonFile(file), file));
      const r = await withJobStore('attune segments backfill', o.keyPrefix, (store) => backfillComputedTraits(store, traits));
      process.stdout.write(`${JSON.stringify(r)}\n`);
    });
}

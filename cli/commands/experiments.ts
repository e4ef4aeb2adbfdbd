import type { Command } from 'commander';
import pino from 'pino';
import { z } from 'zod';
import { createAttune } from '../../index';
import { ConfigError } from '../../src/core/errors';
import { storeFromEnv } from '../../src/engine/from-env';
import { assign } from '../../src/experiments/assign';
import { type ExperimentInput, toAssignable } from '../../src/experiments/definition';
import { isRunning, isTargeted } from '../../src/experiments/enroll';
import { jobStoreFromEnv, readJsonFile } from './job-store';

/** A config file: an array of experiments, or `{ experiments: [...] }` (validated by the registry). */
const ConfigFile = z.union([z.array(z.unknown()), z.object({ experiments: z.array(z.unknown()) })]);

function readConfig(file: string | undefined): ExperimentInput[] | undefined {
  if (!file) return undefined;
  const parsed = ConfigFile.safeParse(readJsonFile(file));
  if (!parsed.success) throw new ConfigError(`${file}: expected an array of experiments or { "experiments": [...] }`);
  return (Array.isArray(parsed.data) ? parsed.data : parsed.data.experiments) as ExperimentInput[];
}

async function withAttune<T>(config: string | undefined, fn: (attune: ReturnType<typeof createAttune>) => Promise<T>): Promise<T> {
  const logger = pino({ name: 'attune', level: process.env.ATTUNE_LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const attune = createAttune({ store: storeFromEnv(logger, process.env, { userCache: false }), logger, experiments: readConfig(config) });
  try {
    return await fn(attune);
  } finally {
    await attune.close();
  }
}

/**
 * `attune experiments save <file>` (definitions into the store, as `POST /v1/experiments`),
 * `attune experiments list` (the experiments of the store named by ATTUNE_REDIS_URL and of a
 * `--config` file, with the weights in force) and `attune experiments assign <experiment>
 * <userId>` (the variant the user has or would get, and why; nothing is written: a turn stores
 * the assignment and logs the exposure).
 */
export function register(program: Command): void {
  const experiments = program.command('experiments').description('experiments (posted to the store named by ATTUNE_REDIS_URL, or in a --config file)');
  experiments
    .command('list')
    .description('list the experiments with their status and weights in force')
    .option('--config <file>', 'JSON file of experiment definitions (an array, or { "experiments": [...] })')
    .action(async (o: { config?: string }) => {
      const records = await withAttune(o.config, (attune) => attune.experiments.list());
      for (const r of records) {
        const e = r.experiment;
        process.stdout.write(
          `${JSON.stringify({ id: e.id, status: e.status, running: isRunning(e, Date.now()), source: r.source, allocation: e.allocation.mode, variants: e.variants.map((v, i) => ({ id: v.id, weight: r.weights[i] })) })}\n`,
        );
      }
    });
  experiments
    .command('save')
    .description('define or replace experiments in the store named by ATTUNE_REDIS_URL, as POST /v1/experiments does (every replica picks them up)')
    .argument('<file>', 'JSON file: one experiment, an array, or { "experiments": [...] }')
    .option('--key-prefix <prefix>', "the store's Redis key prefix", 'attune:')
    .action(async (file: string, o: { keyPrefix: string }) => {
      const raw = readJsonFile(file);
      const list = Array.isArray(raw) ? raw : typeof raw === 'object' && raw !== null && Array.isArray((raw as { experiments?: unknown }).experiments) ? (raw as { experiments: unknown[] }).experiments : [raw];
      const logger = pino({ name: 'attune', level: process.env.ATTUNE_LOG_LEVEL ?? 'warn' }, pino.destination(2));
      const attune = createAttune({ store: jobStoreFromEnv('attune experiments save', logger, process.env, { keyPrefix: o.keyPrefix }), logger });
      try {
        // Validated one by one (a ValidationError names the field); the ones before a bad one stay saved.
        for (const e of list) {
          const r = await attune.experiments.save(e);
          process.stdout.write(`${JSON.stringify({ saved: r.experiment.id, variants: r.experiment.variants.map((v, i) => ({ id: v.id, weight: r.weights[i] })) })}\n`);
        }
      } finally {
        await attune.close();
      }
    });
  experiments
    .command('assign')
    .description("show a user's variant of an experiment (stored, or what the hash gives)")
    .argument('<experiment>', 'experiment id')
    .argument('<userId>', "the user's id, as the bot knows it")
    .option('--config <file>', 'JSON file of experiment definitions')
    .action(async (id: string, userId: string, o: { config?: string }) => {
      const answer = await withAttune(o.config, async (attune) => {
        const r = await attune.experiments.get(id);
        const key = attune.userKey(userId);
        const snap = await attune.store.readUser(key);
        const stored = snap.profile?.experiments && Object.hasOwn(snap.profile.experiments, id) ? snap.profile.experiments[id] : undefined;
        const base = { experiment: id, userId };
        if (!isRunning(r.experiment, attune.clock())) return { ...base, inExperiment: false, reason: 'not-running' };
        if (!stored && !isTargeted(r.experiment, snap.segments)) return { ...base, inExperiment: false, reason: 'targeting' };
        const a = assign(toAssignable(r.experiment, r.weights), key, stored);
        return a.inExperiment ? { ...base, inExperiment: true, variant: a.variant, stored: stored !== undefined, bucketVersion: a.bucketVersion } : { ...base, inExperiment: false, reason: a.reason };
      });
      process.stdout.write(`${JSON.stringify(answer)}\n`);
    });
}

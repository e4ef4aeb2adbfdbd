/**
 * The bias audit on the live store: the interactions of the event log (as training reads
 * them) joined with the users' audit-only attributes (privacy/audit-attributes.ts), read in
 * the same pass, then the offline audit on that data set. An attribute counts only while the
 * user's explicit `fairness` consent holds: a user who withdrew it is audited in the overall
 * figures and in no group.
 */
import type { Catalog } from '../core/catalog';
import { ConfigError } from '../core/errors';
import type { Dataset } from '../datasets/types';
import { foldAuditAttributes, mayRecordAuditAttributes, type AuditAttributes } from '../privacy/audit-attributes';
import type { ItemFeatures } from '../recommend/recommender';
import { interactionsFromEvents, itemFeatures } from '../recommend/training';
import { logPages } from '../store/log-pages';
import type { EventLog, UserStore } from '../store/store';
import { runAudit, type AuditOptions, type AuditReport } from './audit';

/** What a live audit reads: the event log and the users' consent. */
export type LiveAuditStore = Pick<EventLog, 'readEvents'> & Pick<UserStore, 'readUser'>;

/** Options of {@link liveAuditData}. */
export interface LiveAuditDataOptions {
  /** Item categories (exposure by category, calibration) and content; items only seen in the log get none. */
  catalog?: Catalog;
  /** Events per page read (default 5000). */
  pageSize?: number;
  /** Users whose consent is read at once (default 200). */
  consentBatch?: number;
}

/** The data set of a live audit, with what the join kept and dropped. */
export interface LiveAuditData {
  dataset: Dataset;
  /** Users with attributes the audit may use. */
  attributed: number;
  /** Users with attributes recorded whose fairness consent no longer holds: left out of every group. */
  withdrawn: number;
}

/**
 * Reads the event log once: its interactions, and each user's current audit-only attributes,
 * kept only for users whose consent still explicitly allows `fairness`.
 *
 * ```ts
 * const { dataset, attributed } = await liveAuditData(attune.store, { catalog: attune.catalog });
 * ```
 */
export async function liveAuditData(store: LiveAuditStore, options: LiveAuditDataOptions = {}): Promise<LiveAuditData> {
  const pageSize = options.pageSize ?? 5000;
  const interactions: Dataset['interactions'] = [];
  const recorded = new Map<string, AuditAttributes>();
  for await (const events of logPages(store, pageSize)) {
    interactions.push(...interactionsFromEvents(events));
    for (const e of events) foldAuditAttributes(recorded, e);
  }
  const users = new Map<string, Record<string, string>>();
  const ids = [...recorded.keys()];
  const batch = options.consentBatch ?? 200;
  for (let i = 0; i < ids.length; i += batch) {
    const part = ids.slice(i, i + batch);
    const snaps = await Promise.all(part.map((id) => store.readUser(id)));
    part.forEach((id, j) => {
      if (mayRecordAuditAttributes(snaps[j].profile?.consent)) users.set(id, { ...recorded.get(id) });
    });
  }
  const known = options.catalog ? itemFeatures(options.catalog) : [];
  const listed = new Set(known.map((i) => i.id));
  const items: ItemFeatures[] = [...known];
  for (const x of interactions) {
    if (listed.has(x.item)) continue;
    listed.add(x.item);
    items.push({ id: x.item });
  }
  return { dataset: { interactions, items, users }, attributed: users.size, withdrawn: recorded.size - users.size };
}

/** What a live audit reports: the offline audit's report and the join's figures. */
export interface LiveAuditReport extends AuditReport {
  source: { kind: 'store'; interactions: number; attributed: number; withdrawn: number };
}

/**
 * Audits a model trained on the live event log, by the users' audit-only attributes.
 *
 * ```ts
 * const report = await runLiveAudit(attune.store, { catalog: attune.catalog, model: 'itemknn', attributes: ['gender'] });
 * ```
 * @throws ConfigError when no user has attributes the audit may use
 */
export async function runLiveAudit(store: LiveAuditStore, options: AuditOptions & LiveAuditDataOptions = {}): Promise<LiveAuditReport> {
  const { dataset, attributed, withdrawn } = await liveAuditData(store, options);
  if (!attributed) throw new ConfigError('no user has audit attributes recorded with fairness consent (see Attune.setAuditAttributes)');
  if (!dataset.interactions.length) throw new ConfigError('the event log holds no interactions to audit');
  const report = runAudit(dataset, options);
  return { ...report, source: { kind: 'store', interactions: dataset.interactions.length, attributed, withdrawn } };
}

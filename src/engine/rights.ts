import { createHash } from 'node:crypto';
import { ValidationError } from '../core/errors';
import type { AttuneEvent } from '../core/event';
import { auditRecord, type AuditAction, type AuditDetails } from '../privacy/audit';
import type { UserExport } from '../store/store';
import type { ModelKind } from '../recommend/models';
import { type Attune, RECOMMENDER_ARTIFACT } from './attune';

/** Everything Attune holds about one user (GDPR Art. 15 and 20), as JSON. */
export interface UserDataExport {
  /** The pseudonymous ids the data is stored under (one per id key still in the ring). */
  userIds: string[];
  exportedAt: string;
  profile: UserExport['profile'];
  consent: Record<string, boolean> | null;
  segments: string[];
  sessions: UserExport['sessions'];
  events: AttuneEvent[];
  /** Cached values (e.g. recommendation lists) held for the user. */
  cache: UserExport['cache'];
  /** Experiment assignments (none until experiments run). */
  experiments: Record<string, string>;
  /** Whether the served model holds factors or history for the user. */
  inModel: boolean;
}

/** Who asks for an admin action, for the audit log. */
export interface Actor {
  /** API key id (never the key) or an operator name; no personal data. */
  actor: string;
}

/** Builds the export of one user from every store and the served model. */
export async function exportUser(attune: Attune, rawUserId: string): Promise<UserDataExport> {
  const ids = attune.pseudonymsOf(rawUserId);
  const parts = await Promise.all(ids.map((id) => attune.store.exportUser(id)));
  const held = parts.filter((p) => p.profile || p.events.length || p.sessions.length || p.segments.length || p.cache.length);
  const main = held[0] ?? parts[0];
  return {
    userIds: ids,
    exportedAt: new Date(attune.clock()).toISOString(),
    profile: main.profile,
    consent: main.profile?.consent ?? null,
    segments: [...new Set(held.flatMap((p) => p.segments))],
    sessions: held.flatMap((p) => p.sessions),
    events: held.flatMap((p) => p.events),
    cache: held.flatMap((p) => p.cache),
    experiments: {},
    inModel: ids.some((id) => attune.recommendations.model?.knowsUser(id) ?? false),
  };
}

/**
 * Erases one user everywhere (GDPR Art. 17): every store record under each of their
 * pseudonyms, the served model's knowledge of them (it is retrained from the log, which no
 * longer holds them, and older model versions are dropped), and suppresses their ids so that
 * late events are dropped. Writes an audit record without personal data.
 */
export async function eraseUser(attune: Attune, rawUserId: string, by: Actor): Promise<{ removed: number; retrained: boolean }> {
  if (!rawUserId) throw new ValidationError('user id must be a non-empty string');
  const ids = attune.pseudonymsOf(rawUserId);
  try {
    await attune.store.suppress(ids);
    let removed = 0;
    for (const id of ids) removed += (await attune.store.eraseUser(id)).removed;
    const model = attune.recommendations.model;
    let retrained = false;
    if (model && ids.some((id) => model.knowsUser(id))) {
      // Retraining drops the user's factors; older versions still hold them, so they go.
      const { version } = await attune.train({ kind: model.kind as ModelKind });
      await attune.store.pruneArtifacts(RECOMMENDER_ARTIFACT, version);
      retrained = true;
    }
    await audit(attune, by, 'user.erase', ids[0], 'success', { removed, retrained });
    return { removed, retrained };
  } catch (err) {
    await audit(attune, by, 'user.erase', ids[0], 'failure', {}).catch(() => undefined);
    throw err;
  }
}

/**
 * Appends an audit record for an admin action. The user is named by a digest of their
 * pseudonym, never the pseudonym itself: once the user is erased, nothing left in the store
 * (audit included) leads back to them, yet a later request about the same user can be matched.
 */
export async function audit(attune: Attune, by: Actor, action: AuditAction, target: string | undefined, outcome: 'success' | 'failure' | 'denied', details: AuditDetails): Promise<void> {
  const subject: Record<string, string> = target === undefined ? {} : { subject: createHash('sha256').update(`audit:${target}`).digest('hex').slice(0, 24) };
  const record = auditRecord({ at: new Date(attune.clock()), actor: by.actor, action, outcome, details: { ...details, ...subject } });
  await attune.store.appendAudit(Object.fromEntries(Object.entries(record).flatMap(([k, v]) => (v === undefined ? [] : [[k, typeof v === 'object' ? JSON.stringify(v) : v]]))));
}

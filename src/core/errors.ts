/**
 * The few error classes Attune throws. Each carries a stable `code`; HTTP status codes are
 * chosen at the edge (adapters/http) from these codes alone, never inside the engine.
 */

/** Where a validation problem was found and what it was. */
export interface Issue {
  /** Path into the offending input, e.g. `["batch", 3, "timestamp"]`. */
  path: (string | number)[];
  /** Human-readable description of the problem. */
  message: string;
}

/** Stable machine-readable error codes. */
export type ErrorCode = 'invalid_argument' | 'not_found' | 'config' | 'store' | 'conflict' | 'unavailable';

/**
 * Base class of every error Attune throws on purpose.
 *
 * ```ts
 * try { await attune.track(body) } catch (e) { if (e instanceof AttuneError) console.log(e.code) }
 * ```
 */
export class AttuneError extends Error {
  /** Stable code: safe to branch on. */
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Input did not match what was expected; `issues` says what and where. */
export class ValidationError extends AttuneError {
  /** Each problem with its path into the input. */
  readonly issues: Issue[];
  constructor(message: string, issues: Issue[] = []) {
    super('invalid_argument', issues.length ? `${message}: ${formatIssues(issues)}` : message);
    this.issues = issues;
  }
}

/** Something that was asked for does not exist (an unknown user, model version, item). */
export class NotFoundError extends AttuneError {
  constructor(what: string) {
    super('not_found', `${what} not found`);
  }
}

/** A request clashes with what exists (an experiment id defined in config, posted over REST). */
export class ConflictError extends AttuneError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/** Attune was configured wrongly (bad option, missing key, unknown model kind). */
export class ConfigError extends AttuneError {
  constructor(message: string) {
    super('config', message);
  }
}

/** A storage back end failed; the original error is kept as `cause`. */
export class StoreError extends AttuneError {
  constructor(message: string, cause?: unknown) {
    super('store', message, { cause });
  }
}

/** Renders issues as `path: message; path: message` for error messages and HTTP bodies. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

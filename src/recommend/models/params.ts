/**
 * Hyper-parameter parsing shared by every model: defaults, ranges and a {@link ConfigError}
 * naming the model and the parameter, so a typo in a config file fails at load, not mid-training.
 */
import { ConfigError } from '../../core/errors';

/** A numeric parameter with its default and bounds (inclusive). */
export interface NumberSpec {
  type: 'number';
  default: number;
  min?: number;
  max?: number;
  integer?: boolean;
}

/** A boolean parameter with its default. */
export interface BooleanSpec {
  type: 'boolean';
  default: boolean;
}

/** One parameter's description. */
export type ParamSpec = NumberSpec | BooleanSpec;

/** The parsed values of a spec. */
export type ParamValues<S extends Record<string, ParamSpec>> = {
  [K in keyof S]: S[K] extends NumberSpec ? number : boolean;
};

/**
 * Validates `raw` against `spec`, filling defaults. Unknown names are errors (except those in
 * `passThrough`, which the caller parses itself).
 *
 * ```ts
 * const p = readParams('ease', { lambda: 300 }, { lambda: { type: 'number', default: 500, min: 0 } });
 * ```
 */
export function readParams<S extends Record<string, ParamSpec>>(
  kind: string,
  raw: Record<string, unknown> | undefined,
  spec: S,
  passThrough: readonly string[] = [],
): ParamValues<S> {
  const input = raw ?? {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ConfigError(`${kind}: params must be an object`);
  for (const name of Object.keys(input)) {
    if (!(name in spec) && !passThrough.includes(name)) {
      throw new ConfigError(`${kind}: unknown parameter ${name} (known: ${Object.keys(spec).join(', ')})`);
    }
  }
  const out: Record<string, number | boolean> = {};
  for (const [name, s] of Object.entries(spec)) {
    const v = input[name];
    if (v === undefined) {
      out[name] = s.default;
    } else if (s.type === 'boolean') {
      if (typeof v !== 'boolean') throw new ConfigError(`${kind}: parameter ${name} must be true or false`);
      out[name] = v;
    } else {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(`${kind}: parameter ${name} must be a finite number`);
      if (s.integer && !Number.isInteger(v)) throw new ConfigError(`${kind}: parameter ${name} must be an integer`);
      if (s.min !== undefined && v < s.min) throw new ConfigError(`${kind}: parameter ${name} must be ≥ ${s.min}`);
      if (s.max !== undefined && v > s.max) throw new ConfigError(`${kind}: parameter ${name} must be ≤ ${s.max}`);
      out[name] = v;
    }
  }
  return out as ParamValues<S>;
}

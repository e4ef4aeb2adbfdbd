/**
 * The codec shared by every model's artifact: typed arrays travel as base64 strings so an
 * artifact stays plain JSON, and reading one back checks every field, so a damaged or foreign
 * artifact fails with a {@link ConfigError} that names the field instead of a NaN later on.
 */
import { ConfigError } from '../core/errors';
import type { ModelArtifact } from './recommender';

/** The typed arrays an artifact can carry. */
export type NumericArray = Float32Array | Float64Array | Int32Array;


/**
 * Encodes a typed array as base64 of its little-endian bytes (exact: no decimal rounding).
 *
 * ```ts
 * encodeArray(new Float32Array([1, 2])) // 'AACAPwAAAEA='
 * ```
 */
export function encodeArray(a: NumericArray): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** Decoded bytes in a fresh, aligned buffer (Buffer's pool offsets need not be multiples of 8). */
function decodeBytes(b64: string, width: number, what: string): ArrayBuffer {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.byteLength % width !== 0) throw new ConfigError(`artifact field ${what} is not a whole number of elements`);
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
}

/**
 * Reads the `state` of an artifact field by field, with errors that name the field.
 *
 * ```ts
 * const r = new ArtifactReader(artifact, 'ease', 1);
 * const b = r.f32('b');
 * ```
 */
export class ArtifactReader {
  /** The artifact's hyper-parameters, as saved. */
  readonly params: Record<string, unknown>;
  private readonly state: Record<string, unknown>;

  /** Checks kind and format before anything is read. */
  constructor(artifact: ModelArtifact, kind: string, format: number) {
    if (artifact === null || typeof artifact !== 'object') throw new ConfigError('artifact is not an object');
    if (artifact.kind !== kind) throw new ConfigError(`artifact kind ${String(artifact.kind)} is not ${kind}`);
    if (artifact.format !== format) throw new ConfigError(`${kind} artifact format ${String(artifact.format)} is not supported (expected ${format})`);
    if (!isRecord(artifact.state)) throw new ConfigError(`${kind} artifact has no state`);
    this.params = isRecord(artifact.params) ? artifact.params : {};
    this.state = artifact.state;
  }

  /** Any field, unchecked (for nested artifacts the caller checks itself). */
  raw(name: string): unknown {
    return this.state[name];
  }

  /** A finite number. */
  num(name: string): number {
    const v = this.state[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(`artifact field ${name} is not a number`);
    return v;
  }

  /** An array of strings (ids, vocabulary). */
  strings(name: string): string[] {
    const v = this.state[name];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new ConfigError(`artifact field ${name} is not a list of strings`);
    return v as string[];
  }

  /** A Float32Array, optionally of a known length. */
  f32(name: string, length?: number): Float32Array<ArrayBuffer> {
    return this.check(new Float32Array(decodeBytes(this.b64(name), 4, name)), name, length);
  }

  /** A Float64Array, optionally of a known length. */
  f64(name: string, length?: number): Float64Array<ArrayBuffer> {
    return this.check(new Float64Array(decodeBytes(this.b64(name), 8, name)), name, length);
  }

  /** An Int32Array, optionally of a known length. */
  i32(name: string, length?: number): Int32Array<ArrayBuffer> {
    return this.check(new Int32Array(decodeBytes(this.b64(name), 4, name)), name, length);
  }

  private b64(name: string): string {
    const v = this.state[name];
    if (typeof v !== 'string') throw new ConfigError(`artifact field ${name} is not a base64 string`);
    return v;
  }

  private check<T extends NumericArray>(a: T, name: string, length: number | undefined): T {
    if (length !== undefined && a.length !== length) throw new ConfigError(`artifact field ${name} has ${a.length} elements, expected ${length}`);
    return a;
  }
}

/** True for a plain object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

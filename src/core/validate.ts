import type { z } from 'zod';
import { ValidationError, type Issue } from './errors';

/**
 * Parses `input` with a zod schema and turns a failure into a {@link ValidationError} that
 * names each offending path. Used at every edge (HTTP, webhooks, config, CLI).
 *
 * ```ts
 * const event = parse(EventSchema, req.body, 'event');
 * ```
 */
export function parse<S extends z.ZodType>(schema: S, input: unknown, what = 'input'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((i) => flatten(i, []));
  throw new ValidationError(`invalid ${what}`, issues);
}

/**
 * A union that failed says only "Invalid input" at the union. When one alternative came
 * clearly closest (strictly fewest issues), its issues are reported instead, so that a bad
 * operator deep in a rule is named at `rule.all.0.op` rather than at `rule`.
 */
function flatten(issue: z.core.$ZodIssue, base: PropertyKey[]): Issue[] {
  const at = [...base, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length) {
    const fewest = Math.min(...issue.errors.map((e) => e.length));
    const closest = issue.errors.filter((e) => e.length === fewest);
    if (closest.length === 1 && fewest > 0) return closest[0].flatMap((i) => flatten(i, at));
  }
  return [{ path: at.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: issue.message }];
}

/** The longest id a store accepts: user, session and message ids, counter keys. */
export const MAX_ID_LENGTH = 512;

/** How large a free-form JSON value (event properties, traits, webhook parameters) may be. */
export interface JsonBounds {
  /** Deepest nesting of objects and arrays; a scalar is at depth 0, `{ a: 1 }` at depth 1. */
  depth: number;
  /** Size as JSON text, in characters (counted approximately: keys, strings and punctuation). */
  size: number;
}

/**
 * Where `value` goes beyond `bounds`, if anywhere. The walk uses its own stack, not recursion:
 * a value nested 100,000 levels deep must not overflow the stack of the very check that is
 * there to stop it. Own `__proto__` keys are refused too: `JSON.parse` makes them ordinary
 * keys, but a later `Object.assign` or `{ ...spread }` of their parent would set a prototype.
 *
 * ```ts
 * jsonIssue(JSON.parse('[[[[1]]]]'), { depth: 2, size: 1000 }); // { path: [0, 0], message: 'nested deeper than 2 levels' }
 * ```
 */
export function jsonIssue(value: unknown, bounds: JsonBounds): Issue | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  let size = 0;
  while (stack.length) {
    const { value: v, path } = stack.pop() as { value: unknown; path: (string | number)[] };
    if (typeof v === 'string') size += v.length + 2;
    else if (typeof v !== 'object' || v === null) size += 5;
    else {
      if (path.length >= bounds.depth) return { path, message: `nested deeper than ${bounds.depth} levels` };
      size += 2;
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
        size += v.length;
      } else {
        for (const key of Object.keys(v)) {
          if (key === '__proto__') return { path: [...path, key], message: 'the key __proto__ is not allowed' };
          size += key.length + 4;
          stack.push({ value: (v as Record<string, unknown>)[key], path: [...path, key] });
        }
      }
    }
    if (size > bounds.size) return { path: [], message: `larger than ${bounds.size} characters as JSON` };
  }
  return undefined;
}

/**
 * A zod refinement that reports {@link jsonIssue} at its path, for schemas of free-form values.
 *
 * ```ts
 * const Properties = z.record(z.string(), z.unknown()).superRefine(withinBounds({ depth: 32, size: 32_768 }));
 * ```
 */
export function withinBounds(bounds: JsonBounds): (value: unknown, ctx: z.RefinementCtx) => void {
  return (value, ctx) => {
    const issue = jsonIssue(value, bounds);
    if (issue) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  };
}

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

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
  const issues: Issue[] = result.error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
  }));
  throw new ValidationError(`invalid ${what}`, issues);
}

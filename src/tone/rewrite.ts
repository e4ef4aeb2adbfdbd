import type { ToneTemplate } from './templates';

/** Options of {@link rewrite}. */
export interface RewriteOptions {
  /** True for the first reply in a session: the template's greeting is added. */
  firstReply?: boolean;
  /** Values for `{name}`-style placeholders in greeting, prefix and suffix. */
  vars?: Record<string, string | undefined>;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Rewrites `text` through a tone template. Pure and idempotent: rewriting twice gives the
 * same text as once, so a reply passing through two adapters is not greeted twice.
 *
 * ```ts
 * rewrite("Hi, I can't find that.", DEFAULT_TEMPLATES.formal) // "Hello, I cannot find that."
 * ```
 */
export function rewrite(text: string, template: ToneTemplate, options: RewriteOptions = {}): string {
  if (!text.trim()) return text;
  let out = text;
  for (const [from, to] of template.replace ?? []) {
    const word = /^\w/.test(from) ? `\\b${escape(from)}\\b` : escape(from);
    out = out.replace(new RegExp(word, 'gi'), (m) => matchCase(m, to));
  }
  for (const phrase of template.drop ?? []) {
    if (/^\W+$/.test(phrase)) out = out.split(phrase).join('.').replace(/\.{2,}/g, '.').replace(/\.(\s*)$/, '.$1');
    else out = out.replace(new RegExp(`\\s*\\b${escape(phrase)}\\b`, 'gi'), '');
  }
  out = out.replace(/\s{2,}/g, ' ').replace(/\s+([,.!?])/g, '$1').trim();
  out = capitalize(out);
  if (template.maxSentences) out = firstSentences(out, template.maxSentences);
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_m, k: string) => options.vars?.[k] ?? '').replace(/\s+([,!.?])/g, '$1').trim();
  const prefix = [options.firstReply && template.greeting ? fill(template.greeting) : '', template.prefix ? fill(template.prefix) : ''].filter(Boolean);
  for (const p of prefix.reverse()) if (!out.startsWith(p)) out = `${p} ${out}`;
  if (template.suffix) {
    const s = fill(template.suffix);
    if (!out.endsWith(s)) out = `${out} ${s}`;
  }
  return out;
}

function matchCase(found: string, to: string): string {
  if (found[0] === found[0].toUpperCase() && found[0] !== found[0].toLowerCase()) return to[0].toUpperCase() + to.slice(1);
  return to[0].toLowerCase() + to.slice(1);
}

function capitalize(s: string): string {
  return s.replace(/(^|[.!?]\s+)([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());
}

function firstSentences(text: string, n: number): string {
  const parts = text.match(/[^.!?]+[.!?]*(\s+|$)/g);
  if (!parts || parts.length <= n) return text;
  return parts.slice(0, n).join('').trim();
}

import type { ToneTemplate } from './templates';

/** Options of {@link rewrite}. */
export interface RewriteOptions {
  /** True for the first reply in a session: the template's greeting is added. */
  firstReply?: boolean;
  /** Values for `{name}`-style placeholders in greeting, prefix and suffix. */
  vars?: Record<string, string | undefined>;
  /** False to leave the template's prefix out (it is said once per turn, not per message). */
  prefix?: boolean;
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
  for (const [from, to] of template.replace ?? []) out = out.replace(new RegExp(phrase(from), 'gi'), (m) => matchCase(m, to));
  const words = (template.drop ?? []).filter((d) => !/^\W+$/.test(d));
  if (words.length) {
    // Until nothing changes: dropping one filler can bring two halves of another together.
    const fillers = words.map((d) => new RegExp(`[^\\S\\n]*${phrase(d)},?`, 'gi'));
    for (let before = ''; before !== out; ) {
      before = out;
      for (const f of fillers) out = out.replace(f, '');
    }
    // A filler that was a whole clause leaves its punctuation behind (", the…", "it.. Yes").
    if (out !== text) out = out.replace(/(^|[.!?])(\s*[,;:.!?])+/g, '$1');
  }
  for (const d of template.drop ?? []) if (/^\W+$/.test(d)) out = out.split(d).join('.').replace(/\.{2,}/g, '.');
  // Tidy only what was touched: text the template did not change stays as the bot wrote it.
  if (out !== text) out = capitalize(out.replace(/[^\S\n]{2,}/g, ' ').replace(/[^\S\n]+([,.!?])/g, '$1').trim());
  if (template.maxSentences) out = firstSentences(out, template.maxSentences);
  const fill = (s: string) =>
    s
      .replace(/(,?\s*)\{(\w+)\}/g, (_m, lead: string, k: string) => (options.vars?.[k] ? `${lead}${options.vars[k]}` : ''))
      .replace(/\s+([,!.?])/g, '$1')
      .trim();
  const prefix = [options.firstReply && template.greeting ? fill(template.greeting) : '', template.prefix && options.prefix !== false ? fill(template.prefix) : ''].filter(Boolean);
  for (const p of prefix.reverse()) if (!out.startsWith(p)) out = `${p} ${out}`;
  if (template.suffix) {
    const s = fill(template.suffix);
    if (!out.endsWith(s)) out = `${out} ${s}`;
  }
  return out;
}

/**
 * A phrase as a case-insensitive pattern: whole words only, any run of spaces between them,
 * and never the front of a contraction ("I think that" must not eat the "that" of "that's").
 */
function phrase(p: string): string {
  const body = p.trim().split(/\s+/).map(escape).join('\\s+');
  return `${/^\w/.test(p) ? '(?<!\\w)' : ''}${body}${/\w$/.test(p) ? "(?!\\w|'\\w)" : ''}`;
}

function matchCase(found: string, to: string): string {
  // "I" is capital wherever it stands.
  if (/^I\b/.test(to)) return to;
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

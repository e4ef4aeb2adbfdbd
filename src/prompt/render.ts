import type { PromptContextData } from './context';
import { estimateTokens } from './tokens';

/**
 * The block as text: a template (placeholders `{tone}`, `{summary}`, `{segments}`,
 * `{recommendations}`) or a function of the data, then cut to a token budget by dropping the
 * least useful parts first, so that the model always gets the tone and the best items.
 */

/** A template: text with placeholders (a line whose placeholder is empty is left out), or a function. */
export type PromptTemplate = string | ((data: PromptContextData) => string);

/** Options of the rendered block. */
export interface PromptBlockOptions {
  /** The block's template (default {@link DEFAULT_PROMPT_TEMPLATE}). */
  template?: PromptTemplate;
  /** At most this many tokens, estimated (default 300). */
  tokenBudget?: number;
}

/** The block as text, with the data it says and its size. */
export interface PromptContext {
  /** The block, ready for a system prompt. */
  text: string;
  /** What the block says, after trimming to the budget. */
  data: PromptContextData;
  /** Estimated tokens of `text`. */
  tokens: number;
  /** True when parts were left out to fit the budget. */
  trimmed: boolean;
}

/** The default budget, in estimated tokens: a small share of any model's context. */
export const DEFAULT_TOKEN_BUDGET = 300;

/** The default template. */
export const DEFAULT_PROMPT_TEMPLATE = [
  'Personalization for this user (use it to tailor the answer; do not quote it):',
  '- How to answer: {tone}',
  '- About the user: {summary}',
  '- Segments: {segments}',
  '- Items you may recommend, best first (name them by title; the id in brackets is for reference only):{recommendations}',
  '- At the end of your answer, ask the user: {ask}',
].join('\n');

/** Each placeholder's text for some data. */
function parts(data: PromptContextData): Record<string, string> {
  return {
    tone: data.toneInstruction,
    summary: data.summary.join('; '),
    segments: data.segments.map((s) => s.name).join(', '),
    ask: data.ask ?? '',
    recommendations: data.recommendations
      .map((r, i) => {
        const facts = [r.category, r.price?.toFixed(2)].filter(Boolean).join(', ');
        return `\n  ${i + 1}. ${r.title} [${r.itemId}]${facts ? ` (${facts})` : ''}${r.explanation ? `: ${r.explanation}` : ''}`;
      })
      .join(''),
  };
}

/** Fills a template; a line whose placeholders are all empty is left out. */
export function fillTemplate(template: PromptTemplate, data: PromptContextData): string {
  if (typeof template === 'function') return template(data);
  const values = parts(data);
  return template
    .split('\n')
    .flatMap((line) => {
      const used = [...line.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((name) => name in values);
      if (used.length && used.every((name) => !values[name])) return [];
      return [line.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? values[name] : whole))];
    })
    .join('\n');
}

type Cut = (d: PromptContextData) => PromptContextData | undefined;

const dropItemsBeyond = (n: number): Cut => (d) => (d.recommendations.length > n ? { ...d, recommendations: d.recommendations.slice(0, -1) } : undefined);
const dropLastExplanation: Cut = (d) => {
  const i = d.recommendations.findLastIndex((r) => r.explanation !== undefined);
  if (i < 0) return undefined;
  const { explanation: _e, ...bare } = d.recommendations[i];
  return { ...d, recommendations: d.recommendations.map((r, j) => (j === i ? bare : r)) };
};
const dropSummaryBeyond = (n: number): Cut => (d) => (d.summary.length > n ? { ...d, summary: d.summary.slice(0, -1) } : undefined);
const dropSegment: Cut = (d) => (d.segments.length ? { ...d, segments: d.segments.slice(0, -1) } : undefined);

/**
 * What goes first when the block is too long, least useful first: items beyond the third,
 * the reasons in words, the summary's later clauses, segments, items beyond the best, the
 * summary, the last item. The tone instruction is never cut.
 */
const CUTS: readonly Cut[] = [dropItemsBeyond(3), dropLastExplanation, dropSummaryBeyond(1), dropSegment, dropItemsBeyond(1), dropSummaryBeyond(0), dropItemsBeyond(0)];

/**
 * Renders the block within its token budget. When even the tone instruction alone is over
 * the budget (a tiny budget, a long template), the text is cut at the budget's length.
 *
 * ```ts
 * const { text, data } = renderPromptContext(promptData(source, attune), { tokenBudget: 200 });
 * ```
 */
export function renderPromptContext(data: PromptContextData, options: PromptBlockOptions = {}): PromptContext {
  const template = options.template ?? DEFAULT_PROMPT_TEMPLATE;
  const budget = options.tokenBudget ?? DEFAULT_TOKEN_BUDGET;
  let current = data;
  let text = fillTemplate(template, current);
  let trimmed = false;
  for (const cut of CUTS) {
    while (estimateTokens(text) > budget) {
      const next = cut(current);
      if (!next) break;
      current = next;
      text = fillTemplate(template, current);
      trimmed = true;
    }
  }
  while (estimateTokens(text) > budget) {
    text = text.slice(0, Math.floor(text.length * 0.9)).trimEnd();
    trimmed = true;
  }
  return { text, data: current, tokens: estimateTokens(text), trimmed };
}

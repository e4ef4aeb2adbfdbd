/**
 * A small lexicon of frustration, with negation: enough to switch to an empathetic tone when a
 * user is clearly upset, without a model on the turn path. Returns a score in [-1, 1].
 *
 * Negation follows VADER's rule of thumb: a negator ("not", "no", "never", "…n't", "without")
 * up to three words before a sentiment word turns it around, weakened (`not good` is
 * negative, `not bad` mildly positive), so that "no problem" or "not bad at all" does not read
 * as a complaint.
 */
const NEGATIVE = new Set([
  'angry', 'annoyed', 'awful', 'bad', 'broken', 'complain', 'complaint', 'disappointed', 'frustrated', 'hate', 'horrible', 'late',
  'lost', 'problem', 'refund', 'ridiculous', 'terrible', 'upset', 'useless', 'worst', 'wrong', 'damaged', 'missing', 'cancel',
  'furious', 'unacceptable', 'scam', 'rubbish', 'waste', 'slow', 'stuck', 'fed',
]);
const POSITIVE = new Set(['great', 'love', 'thanks', 'thank', 'awesome', 'perfect', 'excellent', 'good', 'happy', 'nice', 'amazing', 'fine', 'helpful', 'glad']);
const NEGATORS = new Set(['not', 'no', 'never', 'without', 'hardly', 'nothing', 'nobody', 'cannot', 'nor', 'neither']);

/** How far back (in words) a negator reaches, and how much of the word's weight it keeps. */
const NEGATION_WINDOW = 3;
const NEGATED = -0.5;

const isNegator = (w: string): boolean => NEGATORS.has(w) || w.endsWith("n't");

/** Sentiment of a message in [-1, 1]: negative for frustration. */
export function sentiment(text: string): number {
  const words: readonly string[] = text.toLowerCase().replace(/[’‘]/g, "'").match(/[a-z']+/g) ?? [];
  if (!words.length) return 0;
  let score = 0;
  let sentimentWords = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const polarity = NEGATIVE.has(w) ? -1 : POSITIVE.has(w) ? 1 : 0;
    if (polarity === 0) continue;
    sentimentWords += 1;
    let negated = false;
    for (let j = Math.max(0, i - NEGATION_WINDOW); j < i; j++) if (isNegator(words[j])) negated = true;
    score += negated ? polarity * NEGATED : polarity;
  }
  // "It never arrived": a negator with nothing to turn around still says something went wrong.
  if (sentimentWords === 0 && words.includes('never')) score -= 1;
  const shouting = /!{2,}/.test(text) || (text.length > 8 && text === text.toUpperCase() && /[A-Z]/.test(text));
  if (shouting) score -= 1;
  return Math.max(-1, Math.min(1, score / Math.max(2, Math.sqrt(words.length))));
}

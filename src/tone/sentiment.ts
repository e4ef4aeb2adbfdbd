/**
 * A tiny lexicon of frustration: enough to switch to an empathetic tone when a user is
 * clearly upset, without a model on the turn path. Returns a score in [-1, 1].
 */
const NEGATIVE = ['angry', 'annoyed', 'awful', 'bad', 'broken', 'complain', 'complaint', 'disappointed', 'frustrated', 'hate', 'horrible', 'late', 'lost', 'never', 'problem', 'refund', 'ridiculous', 'terrible', 'upset', 'useless', 'worst', 'wrong', 'damaged', 'missing', 'cancel'];
const POSITIVE = ['great', 'love', 'thanks', 'thank', 'awesome', 'perfect', 'excellent', 'good', 'happy', 'nice', 'amazing'];

/** Sentiment of a message in [-1, 1]: negative for frustration. */
export function sentiment(text: string): number {
  const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
  if (!words.length) return 0;
  let score = 0;
  for (const w of words) {
    if (NEGATIVE.includes(w)) score -= 1;
    else if (POSITIVE.includes(w)) score += 1;
  }
  const shouting = /!{2,}/.test(text) || (text.length > 8 && text === text.toUpperCase() && /[A-Z]/.test(text));
  if (shouting) score -= 1;
  return Math.max(-1, Math.min(1, score / Math.max(2, Math.sqrt(words.length))));
}

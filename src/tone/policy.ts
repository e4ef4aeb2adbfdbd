import type { ToneName } from '../core/personalization';
import { sentiment } from './sentiment';

/** What decides a tone, from strongest to weakest. */
export interface ToneInputs {
  /** The user's own preference (`traits.tone`), when valid. */
  preferred?: unknown;
  /** The incoming message, for frustration detection. */
  text?: string;
  /** The tone of the user's highest-priority segment. */
  segmentTone?: ToneName;
  /** Configured default. */
  fallback: ToneName;
}

const TONES: readonly ToneName[] = ['neutral', 'formal', 'friendly', 'concise', 'empathetic'];

/** Narrows an unknown value to a tone name. */
export function isTone(v: unknown): v is ToneName {
  return typeof v === 'string' && (TONES as readonly string[]).includes(v);
}

/**
 * Chooses the tone for a turn: a frustrated user gets empathy whatever their segment; then
 * the user's stated preference; then their segment's tone; then the default.
 */
export function chooseTone(inputs: ToneInputs, frustrationThreshold = -0.3): ToneName {
  if (inputs.text && sentiment(inputs.text) <= frustrationThreshold) return 'empathetic';
  if (isTone(inputs.preferred)) return inputs.preferred;
  return inputs.segmentTone ?? inputs.fallback;
}

import type { ToneName } from '../core/personalization';
import type { ToneLanguage } from '../tone/language';

/**
 * How to answer, per tone, written in the user's language: a model follows an instruction in
 * the language it should answer in more reliably than an English one that names the language.
 */
export const TONE_INSTRUCTIONS: Readonly<Record<ToneLanguage, Readonly<Record<ToneName, string>>>> = {
  en: {
    neutral: 'Answer in English, in a clear, neutral tone.',
    formal: 'Answer in English, in a formal, polite tone.',
    friendly: 'Answer in English, in a warm, friendly tone.',
    concise: 'Answer in English, briefly: short sentences, no filler.',
    empathetic: 'Answer in English. The user seems frustrated: acknowledge it first, then help calmly.',
  },
  de: {
    neutral: 'Antworte auf Deutsch, klar und sachlich.',
    formal: 'Antworte auf Deutsch, förmlich und höflich (Sie).',
    friendly: 'Antworte auf Deutsch, herzlich und freundlich.',
    concise: 'Antworte auf Deutsch, knapp: kurze Sätze, nichts Überflüssiges.',
    empathetic: 'Antworte auf Deutsch. Die Person wirkt verärgert: erkenne das zuerst an, dann hilf ruhig weiter.',
  },
  es: {
    neutral: 'Responde en español, con un tono claro y neutro.',
    formal: 'Responde en español, con un tono formal y cortés (usted).',
    friendly: 'Responde en español, con un tono cálido y cercano.',
    concise: 'Responde en español, breve: frases cortas, sin relleno.',
    empathetic: 'Responde en español. La persona parece frustrada: reconócelo primero y luego ayuda con calma.',
  },
  fr: {
    neutral: 'Réponds en français, sur un ton clair et neutre.',
    formal: 'Réponds en français, sur un ton formel et poli (vous).',
    friendly: 'Réponds en français, sur un ton chaleureux et amical.',
    concise: 'Réponds en français, brièvement : phrases courtes, sans remplissage.',
    empathetic: 'Réponds en français. La personne semble agacée : reconnais-le d’abord, puis aide calmement.',
  },
};

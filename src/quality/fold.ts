/**
 * Text folded for matching words people type in four languages: lower case, no diacritics,
 * `ß` as `ss`, so that `Fünfundzwanzig`, `funfundzwanzig`, `März` and `marz` match their entries.
 *
 * ```ts
 * foldText('Fünf März'); // 'funf marz'
 * ```
 */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/ß/g, 'ss');
}

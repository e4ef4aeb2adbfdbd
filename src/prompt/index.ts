/**
 * Framework-neutral helpers for bots built on a language model: the personalization of a user
 * as a compact system-prompt block (text and data), and the model's answer logged as a turn.
 */
export { answerLanguage, PROMPT_ITEMS, promptData, promptItem } from './context';
export type { PromptContextData, PromptDeps, PromptItem, PromptSource } from './context';
export { DEFAULT_PROMPT_TEMPLATE, DEFAULT_TOKEN_BUDGET, fillTemplate, renderPromptContext } from './render';
export type { PromptBlockOptions, PromptContext, PromptTemplate } from './render';
export { mentionedItems, recordAnswerInTurn } from './answer';
export { parseAnswer, RecordAnswerSchema } from './record';
export type { RecordAnswerInput } from './record';
export { turnPromptContext } from './turn';
export type { PromptContextOptions } from './turn';
export { estimateTokens } from './tokens';
export { TONE_INSTRUCTIONS } from './instructions';

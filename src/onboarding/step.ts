import type { OnboardingState } from '../core/profile';
import { type OnboardingAnswer, type OnboardingFlow, type OnboardingLanguage, type OnboardingQuestion, textIn } from './flow';
import { isSkip, matchAnswer } from './match';
import type { OnboardingSlot } from './state';

/** What one turn brings to the flow. */
export interface StepInput {
  flow: OnboardingFlow;
  /** The profile's state (undefined: never onboarded). */
  state: OnboardingState | undefined;
  /** The session's slot (undefined: nothing asked in this session). */
  slot: OnboardingSlot | undefined;
  /** True for a first-time user (no profile yet): only they start the flow. */
  newUser: boolean;
  /** True on a message turn: only messages are asked, and only messages answer. */
  message: boolean;
  text?: string;
  /** The turn's structured value (a quick reply's postback). */
  value?: unknown;
  /** ISO time of the turn. */
  at: string;
  /** Sessions a question may be asked in before the flow counts as skipped (default 2). */
  maxSessions?: number;
}

/** What happened on the turn. */
export type StepOutcome = 'none' | 'asked' | 'answered' | 'completed' | 'skipped' | 'paused';

/** What the turn changes: the new state and slot when they change, the answer given, the question to ask. */
export interface StepResult {
  outcome: StepOutcome;
  state?: OnboardingState;
  slot?: OnboardingSlot;
  answered?: { question: OnboardingQuestion; answer: OnboardingAnswer };
  /** The question to ask on this turn's reply. */
  ask?: OnboardingQuestion;
}

/**
 * One turn of the flow, pure. A first-time user starts it; an answer (a quick reply, or free
 * text naming one answer) advances it; "skip" ends it for good; a message that is neither,
 * right after a question, pauses it for the rest of the session (it is asked once per
 * session, in at most `maxSessions` sessions, and then counts as skipped). Completed and
 * skipped are final.
 *
 * ```ts
 * const r = onboardingStep({ flow, state: undefined, slot: undefined, newUser: true, message: true, text: 'hi', at });
 * // r.outcome === 'asked', r.ask === flow.questions[0]
 * ```
 */
export function onboardingStep(input: StepInput): StepResult {
  const { flow, at } = input;
  let state = input.state;
  let started = false;
  if (!state) {
    if (!input.newUser) return { outcome: 'none' };
    state = { flow: flow.id, status: 'active', answers: {}, sessions: 0, at };
    started = true;
  }
  if (state.status !== 'active') return { outcome: 'none' };
  const current = nextQuestion(flow, state);
  if (!current) return { outcome: 'completed', state: { ...state, status: 'completed', at } };
  // A conversation update (the user joined) starts the flow; the first message is asked.
  if (!input.message) return started ? { outcome: 'none', state } : { outcome: 'none' };

  const answer = matchAnswer(current, input.text, input.value);
  if (answer) {
    const answered: OnboardingState = { ...state, answers: { ...state.answers, [current.id]: answer.value }, at };
    const { budget, audience } = answer.seeds;
    if (current.id === budgetQuestion(flow)?.id || budget) {
      if (budget) answered.budget = { ...budget };
      else delete answered.budget;
    }
    if (audience) answered.audience = audience;
    const next = nextQuestion(flow, answered);
    if (!next) return { outcome: 'completed', state: { ...answered, status: 'completed' }, slot: {}, answered: { question: current, answer } };
    return { outcome: 'answered', state: answered, slot: { asked: next.id }, answered: { question: current, answer }, ask: next };
  }
  if (isSkip(input.text, flow)) return { outcome: 'skipped', state: { ...state, status: 'skipped', at }, slot: {} };
  const slot = input.slot;
  if (slot?.asked) {
    // Asked and gone past: no more questions this session, and after enough sessions, none at all.
    const gaveUp = state.sessions >= (input.maxSessions ?? 2);
    return { outcome: 'paused', state: gaveUp ? { ...state, status: 'skipped', at } : started ? state : undefined, slot: { paused: true } };
  }
  if (slot?.paused) return started ? { outcome: 'none', state } : { outcome: 'none' };
  return { outcome: 'asked', state: { ...state, sessions: state.sessions + 1, at }, slot: { asked: current.id }, ask: current };
}

/** The first question not answered yet. */
export function nextQuestion(flow: OnboardingFlow, state: Pick<OnboardingState, 'answers'>): OnboardingQuestion | undefined {
  return flow.questions.find((q) => !Object.hasOwn(state.answers, q.id));
}

/** The question whose answers set a budget, if the flow has one. */
function budgetQuestion(flow: OnboardingFlow): OnboardingQuestion | undefined {
  return flow.questions.find((q) => q.answers.some((a) => a.seeds.budget));
}

/** One quick-reply choice as adapters render it. */
export interface OnboardingChoice {
  /** The answer's value (what a structured reply sends back). */
  value: string;
  /** The button's text, in the user's language; sent back as text, it answers too. */
  label: string;
}

/** The question of a turn, as adapters render it: the prompt and its quick replies. */
export interface OnboardingPrompt {
  /** The flow's id. */
  flow: string;
  /** The question's id. */
  id: string;
  /** The question, in the user's language. */
  question: string;
  choices: OnboardingChoice[];
  /** The skip button (its label is a skip word, so pressing it skips). */
  skip: OnboardingChoice;
  /** 1-based position of the question in the flow, and how many there are. */
  step: number;
  steps: number;
}

const SKIP: Readonly<Record<OnboardingLanguage, string>> = { en: 'Skip', de: 'Überspringen', es: 'Saltar', fr: 'Passer' };

/** A question in a language, ready to render. */
export function onboardingPrompt(flow: OnboardingFlow, question: OnboardingQuestion, language: OnboardingLanguage): OnboardingPrompt {
  return {
    flow: flow.id,
    id: question.id,
    question: textIn(question.prompt, language),
    choices: question.answers.map((a) => ({ value: a.value, label: textIn(a.label, language) })),
    skip: { value: 'skip', label: flow.skipLabel ? textIn(flow.skipLabel, language) : SKIP[language] },
    step: flow.questions.indexOf(question) + 1,
    steps: flow.questions.length,
  };
}

import { ConfigError } from '../../src/core/errors';
import { defaultOnboardingFlow } from '../../src/onboarding/default-flow';
import { onboardingFlow } from '../../src/onboarding/flow';
import { isSkip, matchAnswer } from '../../src/onboarding/match';
import { onboardingFilter, onboardingOf } from '../../src/onboarding/state';
import { onboardingPrompt, onboardingStep, type StepInput } from '../../src/onboarding/step';
import { withDefaultFilter } from '../../src/recommend/filter';

const flow = defaultOnboardingFlow({ categories: ['running', 'yoga', 'camping'] });
const at = '2026-01-01T10:00:00.000Z';
const [interests, budget] = flow.questions;

/** Runs a conversation of messages through the step, carrying state and slot as the stage's effects would. */
function converse(messages: (string | { newSession: true })[], first: Partial<StepInput> = {}) {
  let state = first.state;
  let slot = first.slot;
  const outcomes: string[] = [];
  const asked: (string | undefined)[] = [];
  messages.forEach((m, i) => {
    if (typeof m !== 'string') {
      slot = undefined;
      return;
    }
    const r = onboardingStep({ flow, state, slot, newUser: i === 0 && first.newUser !== false, message: true, text: m, at });
    if (r.state) state = r.state;
    if (r.slot) slot = r.slot;
    outcomes.push(r.outcome);
    asked.push(r.ask?.id);
  });
  return { state, slot, outcomes, asked };
}

describe('onboarding flow config', () => {
  it('validates: duplicate ids, too few answers and bad values are named', () => {
    expect(() => onboardingFlow({ id: 'x', questions: [{ id: 'q', prompt: 'Q?', answers: [{ value: 'a', label: 'A' }] }] })).toThrow(ConfigError);
    expect(() => onboardingFlow({ id: 'x', questions: [{ id: 'q', prompt: 'Q?', answers: [{ value: 'a', label: 'A' }, { value: 'a', label: 'B' }] }] })).toThrow(/questions\.0\.answers\.1\.value: duplicate/);
    expect(() => onboardingFlow({ id: 'x', questions: [{ id: 'q', prompt: { de: 'nur deutsch' }, answers: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] }] })).toThrow(/prompt/);
    expect(() => onboardingFlow({ id: 'has space', questions: [] })).toThrow(/id.*questions|questions|id/);
  });

  it('the default flow has interests from the catalog, budget bands and for whom, in en, de, es and fr', () => {
    expect(flow.questions.map((q) => q.id)).toEqual(['interests', 'budget', 'audience']);
    expect(interests.answers.map((a) => a.seeds.affinities)).toEqual([{ running: 4 }, { yoga: 4 }, { camping: 4 }]);
    for (const lang of ['en', 'de', 'es', 'fr'] as const) {
      const p = onboardingPrompt(flow, budget, lang);
      expect(p.question.length).toBeGreaterThan(5);
      expect(new Set(flow.questions.map((q) => onboardingPrompt(flow, q, lang).question)).size).toBe(3);
    }
    expect(onboardingPrompt(flow, budget, 'de')).toMatchObject({ question: 'Und Ihr Budget pro Artikel?', skip: { label: 'Überspringen' }, step: 2, steps: 3 });
    expect(onboardingPrompt(flow, budget, 'fr').choices[0]).toEqual({ value: 'under-50', label: 'Moins de 50' });
    // One category is no choice: no interests question.
    expect(defaultOnboardingFlow({ categories: ['books'] }).questions.map((q) => q.id)).toEqual(['budget', 'audience']);
  });
});

describe('matching answers', () => {
  it('takes a label or value as sent back, in any language, or one answer named in a sentence', () => {
    expect(matchAnswer(budget, 'under 50')?.value).toBe('under-50');
    expect(matchAnswer(budget, 'Under $50!')?.value).toBe('under-50');
    expect(matchAnswer(budget, 'Unter 50')?.value).toBe('under-50');
    expect(matchAnswer(interests, "I'm mostly into yoga these days")?.value).toBe('yoga');
    // Two answers named, or none: no answer.
    expect(matchAnswer(interests, 'running and yoga')).toBeUndefined();
    expect(matchAnswer(interests, 'show me tents')).toBeUndefined();
    // A structured reply names its question: for another question it answers nothing.
    expect(matchAnswer(interests, undefined, { attune: 'onboarding', question: 'interests', answer: 'camping' })?.value).toBe('camping');
    expect(matchAnswer(interests, undefined, { attune: 'onboarding', question: 'budget', answer: 'camping' })).toBeUndefined();
  });

  it('knows skip words in four languages', () => {
    for (const t of ['skip', 'Skip!', 'no thanks', 'später', 'plus tard', 'Saltar']) expect(isSkip(t, flow)).toBe(true);
    for (const t of ['running', 'skipping rope', '']) expect(isSkip(t, flow)).toBe(false);
  });
});

describe('onboarding steps', () => {
  it('asks a new user, advances on each answer, seeds the budget and completes', () => {
    const r = converse(['hi', 'running', 'under 50', 'A gift']);
    expect(r.outcomes).toEqual(['asked', 'answered', 'answered', 'completed']);
    expect(r.asked).toEqual(['interests', 'budget', 'audience', undefined]);
    expect(r.state).toMatchObject({ status: 'completed', answers: { interests: 'running', budget: 'under-50', audience: 'gift' }, budget: { maxPrice: 50 }, audience: 'gift' });
    // Completed is final.
    expect(onboardingStep({ flow, state: r.state, slot: undefined, newUser: false, message: true, text: 'hi', at }).outcome).toBe('none');
  });

  it('never asks a returning user (one with a profile and no onboarding state)', () => {
    expect(onboardingStep({ flow, state: undefined, slot: undefined, newUser: false, message: true, text: 'hi', at })).toEqual({ outcome: 'none' });
  });

  it('starts on a conversation update but asks on the first message', () => {
    const join = onboardingStep({ flow, state: undefined, slot: undefined, newUser: true, message: false, at });
    expect(join.outcome).toBe('none');
    expect(join.state?.status).toBe('active');
    const hi = onboardingStep({ flow, state: join.state, slot: undefined, newUser: false, message: true, text: 'hi', at });
    expect(hi.ask?.id).toBe('interests');
  });

  it('an unrelated message pauses it for the session; the next session asks once more, then it counts as skipped', () => {
    const r = converse(['hi', 'show me tents', 'and stoves?', { newSession: true }, 'hello', 'what is new', { newSession: true }, 'hi']);
    expect(r.outcomes).toEqual(['asked', 'paused', 'none', 'asked', 'paused', 'none']);
    expect(r.state?.status).toBe('skipped');
  });

  it('"skip" ends it for good', () => {
    const r = converse(['hi', 'running', 'skip', { newSession: true }, 'hi']);
    expect(r.outcomes).toEqual(['asked', 'answered', 'skipped', 'none']);
    expect(r.state).toMatchObject({ status: 'skipped', answers: { interests: 'running' } });
  });

  it('"No limit" clears an earlier budget', () => {
    const r = converse(['hi', 'yoga', 'No limit']);
    expect(r.state?.answers.budget).toBe('any-budget');
    expect(r.state?.budget).toBeUndefined();
  });
});

describe('the default filter from onboarding', () => {
  it('is the budget, under what a turn asks for', () => {
    const state = converse(['hi', 'running', '50 to 150']).state;
    const filter = onboardingFilter({ onboarding: state });
    expect(filter).toEqual({ minPrice: 50, maxPrice: 150 });
    expect(withDefaultFilter(filter, { categories: ['yoga'] })).toEqual({ minPrice: 50, maxPrice: 150, categories: ['yoga'] });
    expect(withDefaultFilter(filter, { maxPrice: 30 })).toEqual({ maxPrice: 30 });
    expect(withDefaultFilter(undefined, { maxPrice: 30 })).toEqual({ maxPrice: 30 });
    expect(onboardingFilter({})).toBeUndefined();
  });

  it('an unreadable stored state reads as finished: the user is never asked because of it', () => {
    const odd = onboardingOf({ onboarding: { status: 'weird' } as never });
    expect(odd?.status).toBe('completed');
    expect(onboardingStep({ flow, state: odd, slot: undefined, newUser: true, message: true, text: 'hi', at }).outcome).toBe('none');
  });
});

import { chooseTone, isTone } from '../../src/tone/policy';
import { sentiment } from '../../src/tone/sentiment';

describe('chooseTone', () => {
  test('a frustrated user gets empathy, over preference and segment', () => {
    expect(chooseTone({ text: 'This is terrible, my order is late and broken', preferred: 'formal', segmentTone: 'friendly', fallback: 'neutral' })).toBe('empathetic');
  });

  test('then the user preference (traits.tone), when it names a tone', () => {
    expect(chooseTone({ text: 'where is my order?', preferred: 'concise', segmentTone: 'friendly', fallback: 'neutral' })).toBe('concise');
    expect(chooseTone({ preferred: 'sarcastic', segmentTone: 'friendly', fallback: 'neutral' })).toBe('friendly');
    expect(chooseTone({ preferred: 3, fallback: 'formal' })).toBe('formal');
  });

  test('then the segment tone, then the default', () => {
    expect(chooseTone({ text: 'show me tents', segmentTone: 'formal', fallback: 'neutral' })).toBe('formal');
    expect(chooseTone({ fallback: 'friendly' })).toBe('friendly');
  });

  test('the frustration threshold is configurable', () => {
    const inputs = { text: 'this is bad', fallback: 'neutral' as const };
    expect(chooseTone(inputs)).toBe('empathetic');
    expect(chooseTone(inputs, -0.9)).toBe('neutral');
  });
});

describe('isTone', () => {
  test('accepts the five tone names only', () => {
    expect(['neutral', 'formal', 'friendly', 'concise', 'empathetic'].every(isTone)).toBe(true);
    expect([undefined, null, 1, 'Formal', ''].some(isTone)).toBe(false);
  });
});

describe('sentiment', () => {
  test('is negative for complaints, positive for praise, zero for neither', () => {
    expect(sentiment('this is the worst, totally useless and broken')).toBeLessThan(-0.5);
    expect(sentiment('great, thanks, I love it')).toBeGreaterThan(0.5);
    expect(sentiment('show me some tents')).toBe(0);
    expect(sentiment('')).toBe(0);
  });

  test('shouting counts against', () => {
    expect(sentiment('WHERE IS MY PARCEL')).toBeLessThan(0);
    expect(sentiment('where is it!!')).toBeLessThan(0);
    expect(sentiment('where is my parcel')).toBe(0);
  });

  test('a negator up to three words before a sentiment word turns it around', () => {
    expect(sentiment('no problem at all, thanks')).toBeGreaterThan(0);
    expect(sentiment('not bad at all')).toBeGreaterThan(0);
    expect(sentiment("that's not good")).toBeLessThan(0);
    expect(sentiment("I don't love it")).toBeLessThan(0);
    expect(sentiment('this is not very helpful at all')).toBeLessThan(0);
    // Beyond the window the negator no longer reaches.
    expect(sentiment('not that I mind, the fit is great')).toBeGreaterThan(0);
  });

  test('a user saying something never arrived is frustrated, one saying it was no problem is not', () => {
    expect(chooseTone({ text: 'my order never arrived', fallback: 'neutral' })).toBe('empathetic');
    expect(chooseTone({ text: 'my order never arrived and the box was damaged', fallback: 'neutral' })).toBe('empathetic');
    expect(chooseTone({ text: 'no problem, the size is not bad', fallback: 'neutral' })).toBe('neutral');
    expect(chooseTone({ text: 'Thanks! That’s not wrong', fallback: 'neutral' })).toBe('neutral');
  });

  test('stays within [-1, 1]', () => {
    expect(sentiment('bad bad bad bad bad!!')).toBe(-1);
    expect(sentiment('great great great great')).toBe(1);
  });
});

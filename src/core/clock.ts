/** Where Attune gets the time: injectable so tests (and retention) can control it. */
export type Clock = () => number;

/** The wall clock. */
export const systemClock: Clock = () => Date.now();

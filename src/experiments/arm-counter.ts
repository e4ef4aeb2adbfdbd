/** Counter of an experiment's per-arm tallies: keys `<variant>:exposures` and `<variant>:conversions`. */
export function armCounter(experimentId: string): string {
  return `exp:${experimentId}`;
}

import fc from 'fast-check';
import { ErasableLog, pageAfter } from '../../../src/store/data/memory-log';

/*
 * The memory store's global log, whose erasures mark entries in place, behaves as a flat
 * array from which they are removed at once: pages, erasures, head drops (retention) and what
 * it shows whole; and it never holds more erased entries than live ones.
 */

interface Entry {
  seq: number;
  old: boolean;
  gone?: boolean;
}

/** An operation on the log, run on it and on a flat array alike. */
type Op = { push: number; old: boolean } | { erase: number[] } | { drop: true } | { page: [number, number] };

const ops = fc.array(
  fc.oneof(
    { arbitrary: fc.record({ push: fc.integer({ min: 1, max: 300 }), old: fc.boolean() }), weight: 4 },
    { arbitrary: fc.record({ erase: fc.array(fc.nat({ max: 999 }), { maxLength: 200 }) }), weight: 3 },
    { arbitrary: fc.constant({ drop: true as const }), weight: 1 },
    { arbitrary: fc.record({ page: fc.tuple(fc.nat({ max: 2000 }), fc.integer({ min: 1, max: 400 })) }), weight: 3 },
  ),
  { maxLength: 40 },
);

describe('ErasableLog', () => {
  test('pages, erases and drops exactly as a flat array from which entries are removed at once', () => {
    fc.assert(
      fc.property(ops, (script: Op[]) => {
        const log = new ErasableLog<Entry>();
        let flat: Entry[] = [];
        const pushed: Entry[] = [];
        let seq = 0;
        for (const op of script) {
          if ('push' in op) {
            for (let i = 0; i < op.push; i++) {
              // Gaps in the numbering, as other logs share the store's sequence.
              seq += 1 + (i % 3);
              const entry = { seq, old: op.old };
              log.push(entry);
              flat.push(entry);
              pushed.push(entry);
            }
          } else if ('erase' in op) {
            // Anything ever pushed: entries already erased or dropped count for nothing.
            const picked = [...new Set(op.erase.filter((i) => i < pushed.length))].map((i) => pushed[i]);
            const live = new Set(flat);
            expect(log.erase(picked)).toBe(picked.filter((e) => live.has(e)).length);
            const erased = new Set(picked);
            flat = flat.filter((e) => !erased.has(e));
          } else if ('drop' in op) {
            let n = 0;
            while (n < flat.length && flat[n].old) n += 1;
            expect(log.dropWhile((e) => e.old)).toBe(n);
            expect(flat.slice(0, n).every((e) => e.gone)).toBe(true);
            flat = flat.slice(n);
          } else {
            const [after, limit] = op.page;
            expect(log.pageAfter(after, limit)).toEqual(flat.filter((e) => e.seq > after).slice(0, limit));
          }
          expect(log.length).toBe(flat.length);
          expect(flat.some((e) => e.gone)).toBe(false);
        }
        expect([...log]).toEqual(flat);
        expect(JSON.parse(JSON.stringify(log))).toEqual(flat);
      }),
      { numRuns: 200 },
    );
  });

  test('squeezes erased entries out once they are as many as the live ones', () => {
    const log = new ErasableLog<Entry>();
    const all = Array.from({ length: 100 }, (_, i) => ({ seq: i + 1, old: false }));
    for (const e of all) log.push(e);
    const held = () => (log as unknown as { entries: Entry[] }).entries.length;
    expect(log.erase(all.slice(0, 49))).toBe(49);
    expect([log.length, held()]).toEqual([51, 100]);
    expect(log.erase([all[49]])).toBe(1);
    expect([log.length, held()]).toEqual([50, 50]);
    expect(log.pageAfter(0, 1)).toEqual([all[50]]);
  });
});

describe('pageAfter (flat logs)', () => {
  test('starts after the cursor, within the tail it is given', () => {
    const log = [1, 2, 4, 8, 16].map((seq) => ({ seq }));
    expect(pageAfter(log, 2, 2)).toEqual([{ seq: 4 }, { seq: 8 }]);
    expect(pageAfter(log, 0, 10, 3)).toEqual([{ seq: 8 }, { seq: 16 }]);
    expect(pageAfter(log, 16, 10)).toEqual([]);
  });
});

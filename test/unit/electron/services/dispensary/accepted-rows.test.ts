/** The register import's accepted rows (electron/services/dispensary/accepted-rows.ts) against a plain map and sort. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeIin } from '../../../../../common/iin';
import { AcceptedRows } from '../../../../../electron/services/dispensary/accepted-rows';
import type { RegisterRow } from '../../../../../electron/services/dispensary/registers';

/** What the store must do: the first row of each IIN kept, the rest refused, the kept ones in IIN order. */
function reference(rows: RegisterRow[]): { added: boolean[]; inOrder: RegisterRow[] } {
  const kept = new Map<string, RegisterRow>();
  const added = rows.map((r) => !kept.has(r.iin) && !!kept.set(r.iin, r));
  return { added, inOrder: [...kept.values()].sort((a, b) => (a.iin < b.iin ? -1 : a.iin > b.iin ? 1 : 0)) };
}

const date = fc
  .record({ y: fc.integer({ min: 1900, max: 2099 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) })
  .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
// IINs from few birth dates and serials, so that groups hold many rows and repeats are common.
const iin = fc
  .record({
    birth: fc.constantFrom('1940-01-01', '1988-05-05', '2001-12-31', '2000-01-01'),
    sex: fc.constantFrom('M', 'F'),
    serial: fc.integer({ min: 1, max: 40 }),
  })
  .map(({ birth, sex, serial }) => makeIin(birth, sex as 'M' | 'F', serial))
  .filter((x): x is string => x !== null);
const row = fc.record({ iin, fromDate: date, removedOn: fc.option(date, { nil: null }) });

function store(rows: RegisterRow[], atMost?: number) {
  const accepted = new AcceptedRows(atMost);
  const added = rows.map((r) => accepted.add(r));
  return { added, count: accepted.count, inOrder: [...accepted.inOrder()] };
}

describe('the accepted rows of a register import', () => {
  it('keeps the first row of each IIN and gives them back in IIN order, as a map and a sort would', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 400 }), (rows) => {
        const want = reference(rows);
        const got = store(rows);
        expect(got.added).toEqual(want.added);
        expect(got.count).toBe(want.inOrder.length);
        expect(got.inOrder).toEqual(want.inOrder);
      }),
      { numRuns: 300 },
    );
  });

  it('holds a hundred thousand rows across its growth, IINs with leading zeros and dates before 1000 included', () => {
    const rows: RegisterRow[] = [];
    for (let i = 0; rows.length < 100_000; i++) {
      const birth = `${2000 + (i % 9)}-0${1 + (i % 9)}-1${i % 10}`;
      const iin = makeIin(birth, i % 2 ? 'M' : 'F', 1 + (Math.floor(i / 90) % 9999));
      if (iin) rows.push({ iin, fromDate: i % 1000 === 7 ? '0999-01-02' : '2015-01-01', removedOn: i % 10 ? null : '2020-02-29' });
    }
    rows.push(...rows.slice(0, 5000)); // repeats after the table has grown
    expect(rows.some((r) => r.iin.startsWith('00'))).toBe(true);
    const want = reference(rows);
    // Grown from the smallest size, and made large enough at once.
    for (const atMost of [undefined, rows.length]) {
      const got = store(rows, atMost);
      expect(got.added).toEqual(want.added);
      expect(got.inOrder).toEqual(want.inOrder);
    }
  });
});

/**
 * The bench's statistics (bench/stats.ts, issue 18 goal 6): a figure is the median of its repetitions with their
 * spread; a change between two runs counts only beyond the spread; the README's table is generated between markers.
 */
import { describe, expect, it } from 'vitest';
import {
  changeRows,
  compare,
  middle,
  README_END,
  README_START,
  readmeTable,
  replaceReadmeBlock,
  summarize,
  summarizeAll,
  withSpread,
} from '../../../bench/stats';
import { figure, type BenchFigure } from '../../../bench/types';

const rep = (id: string, value: number, extra: Partial<BenchFigure> = {}): BenchFigure => ({ ...figure(id, value, 'ms', 15), ...extra });

describe('median and spread of repetitions', () => {
  it('takes the middle value, the mean of the two middle ones for an even count, NaN for none', () => {
    expect(middle([5, 1, 3])).toBe(3);
    expect(middle([4, 1, 3, 2])).toBe(2.5);
    expect(middle([7])).toBe(7);
    expect(middle([])).toBeNaN();
  });

  it('a figure is the median of its repetitions, judged on it, with the runs and their range kept', () => {
    const f = summarize([
      rep('desk.talon_pdf_ms', 12),
      rep('desk.talon_pdf_ms', 30),
      rep('desk.talon_pdf_ms', 14),
      rep('desk.talon_pdf_ms', 13),
      rep('desk.talon_pdf_ms', 11),
    ]);
    expect(f.value).toBe(13);
    // One slow repetition (30 ms) fails its own run but not the median.
    expect(f.pass).toBe(true);
    expect(f.runs).toEqual([12, 30, 14, 13, 11]);
    // The note is the median repetition's, not the first's.
    expect(
      summarize([
        rep('x', 25.7, { note: 'import 25.7 s' }),
        rep('x', 19.3, { note: 'import 19.3 s' }),
        rep('x', 18.4, { note: 'import 18.4 s' }),
      ]).note,
    ).toBe('import 19.3 s');
    expect(f.spread).toEqual({ min: 11, max: 30, relative: 0.731 });
    expect(withSpread(f)).toBe('13 ms ± 73 %');
  });

  it('judges a "min" figure (a rate) on its median too, and takes the baseline as the median of the baselines', () => {
    const r = (v: number, b: number) => ({
      ...figure('sync.booking-push.pglite', v, 'ops/s', 5000, { direction: 'min' }),
      baseline: { value: b, ratio: v / b, what: 'per booking' },
    });
    const f = summarize([r(4000, 500), r(6000, 400), r(5500, 600)]);
    expect(f.value).toBe(5500);
    expect(f.pass).toBe(true);
    expect(f.baseline).toEqual({ value: 500, ratio: 11, what: 'per booking' });
  });

  it('groups repetitions by figure, keeping the order of first appearance; a figure missing from one run has fewer runs', () => {
    const all = summarizeAll([[rep('b', 1), rep('a', 10)], [rep('b', 3), rep('a', 30)], [rep('b', 2)]]);
    expect(all.map((f) => [f.id, f.value, f.runs])).toEqual([
      ['b', 2, [1, 3, 2]],
      ['a', 20, [10, 30]],
    ]);
  });
});

describe('comparing two runs', () => {
  const run = (id: string, values: number[], direction: 'max' | 'min' = 'max') =>
    summarize(values.map((v) => ({ ...figure(id, v, 'ms', 100, { direction }) })));

  it('calls a change real only when the two runs’ repetitions do not overlap', () => {
    const before = [
      run('fast', [10, 11, 12]),
      run('noisy', [10, 20, 30]),
      run('slower', [10, 11, 12]),
      run('rate', [100, 110, 120], 'min'),
    ];
    const after = [run('fast', [6, 7, 8]), run('noisy', [25, 28, 40]), run('slower', [13, 14, 15]), run('rate', [90, 95, 99], 'min')];
    const c = compare(before, after);
    expect(c.map((x) => [x.id, x.verdict])).toEqual([
      ['fast', 'better'],
      ['noisy', 'within spread'], // +40 % but 25–40 overlaps 10–30
      ['slower', 'worse'],
      ['rate', 'worse'], // a rate going down is worse
    ]);
    expect(c[0]!.relative).toBeCloseTo(7 / 11 - 1, 10);
  });

  it('names figures that are new or gone, and compares with an old single-run file as points', () => {
    const old: BenchFigure[] = [figure('kept', 10, 'ms', 15), figure('dropped', 5, 'ms', 15)];
    const c = compare(old, [run('kept', [10, 11, 12]), run('added', [1, 2, 3])]);
    expect(c.map((x) => [x.id, x.verdict])).toEqual([
      ['kept', 'within spread'], // the point 10 lies inside 10–12
      ['added', 'new'],
      ['dropped', 'gone'],
    ]);
    const rows = changeRows(c);
    expect(rows[0]).toEqual(['kept', '10 ms', '11 ms', '+10.0 %', 'within spread']);
    expect(rows[1]).toEqual(['added', '—', '2 ms', '', 'new']);
  });

  it('marks a real change in the printed table', () => {
    const rows = changeRows(compare([run('x', [10, 11, 12])], [run('x', [20, 21, 22])]));
    expect(rows[0]![4]).toBe('WORSE (beyond spread)');
    expect(rows[0]![3]).toBe('+90.9 %');
  });
});

describe('the README table', () => {
  it('is written between the markers, leaving the rest of the README as it was', () => {
    const readme = `# T\n\ntext before\n${README_START}\nold typed table\n${README_END}\ntext after\n`;
    const table = readmeTable(
      [summarize([rep('desk.talon_pdf_ms', 9), rep('desk.talon_pdf_ms', 10), rep('desk.talon_pdf_ms', 12)])],
      'About.',
    );
    const out = replaceReadmeBlock(readme, table);
    expect(out).toContain('text before\n');
    expect(out).toContain('\ntext after\n');
    expect(out).not.toContain('old typed table');
    expect(out).toContain('| desk.talon_pdf_ms | 10 ms | 9–12 (3 runs) | ≤ 15 ms | pass |  |  |');
    // Regenerating again gives the same README.
    expect(replaceReadmeBlock(out, table)).toBe(out);
  });

  it('refuses a README without the markers', () => {
    expect(() => replaceReadmeBlock('# no markers', 'x')).toThrow(/no bench block/);
  });
});

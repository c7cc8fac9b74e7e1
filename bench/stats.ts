/**
 * Figures you can trust (issue 18, goal 6): a figure is the median of several repetitions of its suite (each in a
 * fresh process), printed with its spread; two runs are compared figure by figure, and a change counts only when
 * the two runs' repetitions do not overlap. Pure functions, so the rules are unit-tested
 * (test/unit/bench/stats.test.ts); bench/run.ts does the running and printing.
 */
import type { BenchFigure } from './types';

/** The fewest repetitions a published figure may have. */
export const MIN_REPETITIONS = 5;

/** The middle of the samples (the mean of the two middle ones for an even count). */
export function middle(samples: readonly number[]): number {
  if (samples.length === 0) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * One figure from its repetitions: the median value (and baseline), pass judged on the median, the repetitions'
 * values kept, and the spread as min–max and as ± half the range relative to the median. The note (what was
 * measured: sizes, the parts of the time) is the repetition's whose value is nearest the median, so that it tells of
 * the figure printed beside it (the first repetition's could say 25.7 s beside a median of 19.3 s).
 */
export function summarize(reps: readonly BenchFigure[]): BenchFigure {
  if (reps.length === 0) throw new Error('summarize: no repetitions');
  const first = reps[0]!;
  const values = reps.map((r) => r.value);
  const value = round3(middle(values));
  const direction = first.direction ?? 'max';
  const pass = direction === 'max' ? value <= first.target : value >= first.target;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const nearest = reps.reduce((a, b) => (Math.abs(b.value - value) < Math.abs(a.value - value) ? b : a));
  const out: BenchFigure = {
    ...first,
    note: nearest.note,
    value,
    pass,
    runs: values,
    spread: { min, max, relative: value === 0 ? 0 : round3((max - min) / 2 / Math.abs(value)) },
  };
  const baselines = reps.flatMap((r) => (r.baseline ? [r.baseline.value] : []));
  if (first.baseline && baselines.length > 0) {
    const b = middle(baselines);
    out.baseline = { ...first.baseline, value: round3(b), ratio: b === 0 ? 0 : round3(value / b) };
  }
  return out;
}

/** Groups the repetitions' figures by id, in the order the ids first appear, and summarizes each. */
export function summarizeAll(repetitions: readonly (readonly BenchFigure[])[]): BenchFigure[] {
  const byId = new Map<string, BenchFigure[]>();
  for (const rep of repetitions) for (const f of rep) byId.set(f.id, [...(byId.get(f.id) ?? []), f]);
  return [...byId.values()].map(summarize);
}

export type Verdict = 'better' | 'worse' | 'within spread' | 'new' | 'gone';

export interface Change {
  id: string;
  unit: string;
  before: number | null;
  after: number | null;
  /** after / before − 1; null when either side is missing or before is 0. */
  relative: number | null;
  verdict: Verdict;
}

/** The interval a figure's repetitions covered; a figure from an older run without repetitions is a point. */
const range = (f: BenchFigure) => f.spread ?? { min: f.value, max: f.value };

/**
 * The change of every figure between two runs. A change is real ("better" or "worse") only when the ranges of the
 * two runs' repetitions do not overlap; otherwise it is within the spread, whatever its size.
 */
export function compare(before: readonly BenchFigure[], after: readonly BenchFigure[]): Change[] {
  const old = new Map(before.map((f) => [f.id, f]));
  const changes: Change[] = after.map((a) => {
    const b = old.get(a.id);
    if (!b) return { id: a.id, unit: a.unit, before: null, after: a.value, relative: null, verdict: 'new' };
    const rb = range(b);
    const ra = range(a);
    const apart = ra.min > rb.max || ra.max < rb.min;
    const up = a.value > b.value;
    const lowerIsBetter = (a.direction ?? 'max') === 'max';
    const verdict: Verdict = !apart ? 'within spread' : up === lowerIsBetter ? 'worse' : 'better';
    return {
      id: a.id,
      unit: a.unit,
      before: b.value,
      after: a.value,
      relative: b.value === 0 ? null : a.value / b.value - 1,
      verdict,
    };
  });
  const seen = new Set(after.map((f) => f.id));
  for (const b of before)
    if (!seen.has(b.id)) changes.push({ id: b.id, unit: b.unit, before: b.value, after: null, relative: null, verdict: 'gone' });
  return changes;
}

/** A number as a table shows it: three significant decimals below 100, whole numbers above, thin groups. */
export function shown(v: number): string {
  const r = Math.abs(v) >= 100 ? Math.round(v) : Number(v.toPrecision(3));
  return Math.abs(r) >= 10_000 ? r.toLocaleString('en-US') : String(r);
}

/** "12.3 ms ± 4 %" (or "12.3 ms" for a figure without repetitions). */
export function withSpread(f: BenchFigure): string {
  const v = `${shown(f.value)} ${f.unit}`;
  return f.spread ? `${v} ± ${Math.round(f.spread.relative * 100)} %` : v;
}

/** The compare table's rows: figure, before, after, change, verdict. */
export function changeRows(changes: readonly Change[]): string[][] {
  return changes.map((c) => [
    c.id,
    c.before === null ? '—' : `${shown(c.before)} ${c.unit}`,
    c.after === null ? '—' : `${shown(c.after)} ${c.unit}`,
    c.relative === null ? '' : `${c.relative >= 0 ? '+' : ''}${(c.relative * 100).toFixed(1)} %`,
    c.verdict === 'better' ? 'BETTER (beyond spread)' : c.verdict === 'worse' ? 'WORSE (beyond spread)' : c.verdict,
  ]);
}

export const README_START = '<!-- bench:start (generated by `npm run bench -- --readme FILE`; do not edit) -->';
export const README_END = '<!-- bench:end -->';

/** The README's bench table from a run's figures (Markdown). */
export function readmeTable(figures: readonly BenchFigure[], about: string): string {
  const rows = figures.map((f) => {
    const spread = f.spread ? `${shown(f.spread.min)}–${shown(f.spread.max)} (${f.runs?.length ?? 1} runs)` : '1 run';
    const target = `${(f.direction ?? 'max') === 'min' ? '≥' : '≤'} ${shown(f.target)} ${f.unit}`;
    const baseline = f.baseline ? `${f.baseline.what}: ${shown(f.baseline.value)} ${f.unit} (×${shown(f.baseline.ratio)})` : '';
    const note = (f.note ?? '').replace(/\|/g, '/');
    return `| ${f.id} | ${shown(f.value)} ${f.unit} | ${spread} | ${target} | ${f.pass ? 'pass' : 'FAIL'} | ${baseline} | ${note} |`;
  });
  return [about, '', '| figure | median | spread | target | | baseline | note |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

/** The README with the text between the markers replaced; an error when the markers are missing. */
export function replaceReadmeBlock(readme: string, block: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no bench block (${README_START} … ${README_END})`);
  return `${readme.slice(0, start + README_START.length)}\n${block}\n${readme.slice(end)}`;
}

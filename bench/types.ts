/** One measured figure of `npm run bench`. `target` is the goal; `pass` compares value to it. */
export interface BenchFigure {
  id: string;
  value: number;
  unit: string;
  target: number;
  /** 'max': value must be ≤ target (times, memory); 'min': value must be ≥ target (ratios, throughput). */
  direction?: 'max' | 'min';
  pass: boolean;
  /** The naive baseline measured beside it, when there is one, and value-to-baseline ratio. */
  baseline?: { value: number; ratio: number; what: string };
  note?: string;
  /** The repetitions' values (bench/stats.ts: the figure's value is their median). */
  runs?: number[];
  /** The repetitions' range, and half of it relative to the median (the ± printed). */
  spread?: { min: number; max: number; relative: number };
}

export interface BenchContext {
  /** A scratch folder removed after the run. */
  dir: string;
  /** `--quick`: smaller data for smoke runs (CI); the full run uses the issues' sizes. */
  quick: boolean;
  log(message: string): void;
  /**
   * `--only FIGURE`: whether the run wants a figure (by its id's prefix). A suite may skip the work of figures no
   * one asked for; figures it returns anyway are filtered out.
   */
  wants(id: string): boolean;
}

export type BenchSuite = (ctx: BenchContext) => Promise<BenchFigure[]>;

export function figure(
  id: string,
  value: number,
  unit: string,
  target: number,
  extra: Partial<Omit<BenchFigure, 'id' | 'value' | 'unit' | 'target' | 'pass'>> = {},
): BenchFigure {
  const direction = extra.direction ?? 'max';
  const pass = direction === 'max' ? value <= target : value >= target;
  return { id, value: Math.round(value * 1000) / 1000, unit, target, pass, ...extra, direction };
}

/** Percentile of a list of samples (nearest-rank). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (samples: number[]) => percentile(samples, 50);

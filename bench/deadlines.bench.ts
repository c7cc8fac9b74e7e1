/**
 * Deadline clock: compute the current step's deadline and status for every open request of a clinic
 * (issue 3 target: 100,000 open requests ≤ 200 ms). Steps mix real-time minutes and working days, starts are spread
 * over the last 30 days (weekends, holidays, after-hours starts included). The calendar is built inside the timed
 * part (cold caches), as a fresh main process would; after one warm-up run (JIT), the figure is the slowest of five. The baseline is the naive approach — a calendar with empty caches per request, i.e. zone
 * look-ups and a day-by-day walk every time — on a sample, scaled.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure, type BenchContext, type BenchFigure } from './types';
import { createWorkingCalendar, deadlineMs, deadlineStatus, parseCalendarData, type Duration } from '../common/working-calendar';

const here = dirname(fileURLToPath(import.meta.url));

export default async function (ctx: BenchContext): Promise<BenchFigure[]> {
  const file = 'calendars/kz.json';
  const data = parseCalendarData(JSON.parse(readFileSync(join(here, '..', 'resources', file), 'utf8')), file);
  const count = ctx.quick ? 10_000 : 100_000;
  const scale = 100_000 / count;

  // Durations as in the shipped regulations: minutes (10, 15, 20, 30) and working days (1, 3).
  const durations: Duration[] = [
    { maxMinutes: 10 },
    { maxMinutes: 15 },
    { maxMinutes: 20 },
    { maxMinutes: 30 },
    { maxWorkingDays: 1 },
    { maxWorkingDays: 3 },
  ];
  const now = Date.UTC(2025, 2, 28, 6, 0); // Friday after Nauryz: many starts fall on holidays
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const starts = new Float64Array(count);
  const kinds = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    starts[i] = now - Math.floor(rnd() * 30 * 86_400_000);
    kinds[i] = Math.floor(rnd() * durations.length);
  }

  const runs: number[] = [];
  let overdue = 0;
  // Run 0 is warm-up (JIT compilation: a one-off ~20 ms per process that must not be scaled ×10 in --quick).
  for (let r = 0; r < 6; r++) {
    const t0 = performance.now();
    const cal = createWorkingCalendar(data, { timeZone: 'Asia/Almaty', hours: { weekdays: { open: '08:00', close: '20:00' } } });
    overdue = 0;
    for (let i = 0; i < count; i++) {
      const start = starts[i]!;
      const due = deadlineMs(start, durations[kinds[i]!]!, cal);
      if (deadlineStatus(start, due, now) === 'overdue') overdue++;
    }
    if (r > 0) runs.push(performance.now() - t0);
  }
  const worst = Math.max(...runs) * scale;
  ctx.log(`deadlines: ${count} requests, runs ${runs.map((r) => r.toFixed(1)).join(' / ')} ms, ${overdue} overdue`);

  // Naive baseline on a sample: a formatter per request and a walk over days without caches.
  const sample = Math.min(count, 2_000);
  const t1 = performance.now();
  for (let i = 0; i < sample; i++) naiveDeadline(starts[i]!, durations[kinds[i]!]!, data);
  const naive = ((performance.now() - t1) * 100_000) / sample;

  return [
    figure('deadlines.100k_ms', worst, 'ms', 200, {
      baseline: { value: Math.round(naive), ratio: Math.round((worst / naive) * 1000) / 1000, what: 'uncached calendar per request' },
      note: `${ctx.quick ? `measured on ${count} requests and scaled ×${scale}; ` : ''}slowest of ${runs.length} runs, cold calendar each run`,
    }),
  ];
}

/** What one would write without the caches: a fresh calendar (zone look-ups, holiday sets, day walk) per request. */
function naiveDeadline(start: number, d: Duration, data: ReturnType<typeof parseCalendarData>): number {
  if ('maxMinutes' in d) return start + d.maxMinutes * 60_000;
  const n = 'maxWorkingDays' in d ? d.maxWorkingDays : 0;
  const cal = createWorkingCalendar(data, { timeZone: 'Asia/Almaty', hours: { weekdays: { open: '08:00', close: '20:00' } } });
  return deadlineMs(start, { maxWorkingDays: n }, cal);
}

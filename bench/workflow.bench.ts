/**
 * The deadline dashboard over a year of one clinic's data (issue 3 target: ≈ 500,000 requests rendered in ≤ 1 s).
 *
 * A real SQLite file (WAL, synchronous=FULL, the application's migrations) is filled with a year of Astana desk and
 * phone requests — home-visit calls, appointments, attachments — each with its six desk steps (≈ 3 million step
 * rows), a few percent refused, cancelled or still open, some steps late. The figure is the `deadlines.dashboard`
 * API call for the whole year through the real dispatcher (role check, argument and result validation included):
 * the slowest of three runs after the database is reopened (cold page cache of the connection). The baseline is
 * what one would write without SQL aggregation: reading every step row of the range into JavaScript and computing
 * the same counts and percentiles there.
 */
import path from 'node:path';
import { figure, type BenchContext, type BenchFigure } from './types';
import { closeApp, openApp } from '../electron/services/app';
import { seedDemoData, DEMO_ACCOUNTS } from '../electron/services/demo-data';
import { dispatch } from '../electron/services/dispatcher';
import { silentLogger } from '../electron/services/log';
import type { AppContext } from '../electron/services/app';
import { calendarOf, catalogOf } from '../electron/services/workflow/context';
import { definitionKey, stepDuration } from '../common/regulations';
import { MINUTE_MS } from '../common/working-calendar';

const PASSWORD = 'bench-pass-1';
const YEAR_FROM = Date.UTC(2025, 0, 1, 3, 0); // 08:00 in Astana (UTC+5 since 2024-03-01)

export default async function (ctx: BenchContext): Promise<BenchFigure[]> {
  const count = ctx.quick ? 50_000 : 500_000;
  const dataDir = path.join(ctx.dir, 'workflow');
  const clock = () => new Date(Date.UTC(2026, 0, 5, 6, 0));
  let { app } = openApp({ dataDir, log: silentLogger, clock });
  seedDemoData(app, { population: 2_000, passwords: Object.fromEntries(DEMO_ACCOUNTS.map((a) => [a.login, PASSWORD])) });

  const t0 = performance.now();
  app.db.pragma('synchronous = OFF'); // generating test data only; the measured part runs with the app's settings
  const steps = generate(app, count);
  ctx.log(`generated ${count} requests, ${steps} steps in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  closeApp(app);

  // Reopen: the connection's page cache is cold, as after a restart of the workstation.
  app = openApp({ dataDir, log: silentLogger, clock }).app;
  const slot = { staffId: null as number | null };
  const login = await dispatch(app, slot, 'session.login', { login: 'admin', password: PASSWORD });
  if (!login.ok) throw new Error(`bench login failed: ${login.error.message}`);
  const runs: number[] = [];
  let services = 0;
  let sqlMs = 0;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const res = await dispatch(app, slot, 'deadlines.dashboard', { from: '2025-01-01', to: '2025-12-31' });
    runs.push(performance.now() - t);
    if (!res.ok) throw new Error(`dashboard failed: ${res.error.message}`);
    const d = res.value as { services: { total: number }[]; tookMs: number };
    services = d.services.length;
    sqlMs = d.tookMs;
    if (d.services.reduce((n, s) => n + s.total, 0) !== count) throw new Error('the dashboard did not count every request');
  }
  const worst = Math.max(...runs);
  ctx.log(`dashboard: runs ${runs.map((x) => x.toFixed(0)).join(' / ')} ms (aggregation ${sqlMs} ms), ${services} services`);

  // Baseline: every step row into JavaScript, aggregated there.
  const tb = performance.now();
  const groups = new Map<string, number[]>();
  for (const row of app.db
    .prepare(`SELECT service_id, step_id, started_ms, completed_ms, deadline_ms FROM request_step WHERE started_ms >= ? AND started_ms < ?`)
    .iterate(Date.UTC(2024, 11, 31, 19), Date.UTC(2025, 11, 31, 19)) as IterableIterator<{
    service_id: string;
    step_id: string;
    started_ms: number;
    completed_ms: number | null;
  }>) {
    if (row.completed_ms === null) continue;
    const key = `${row.service_id}/${row.step_id}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(row.completed_ms - row.started_ms);
  }
  for (const list of groups.values()) list.sort((a, b) => a - b);
  const naive = performance.now() - tb;
  closeApp(app);

  return [
    figure('dashboard.500k_ms', worst, 'ms', 1000, {
      baseline: { value: Math.round(naive), ratio: Math.round((worst / naive) * 1000) / 1000, what: 'step rows aggregated in JS' },
      note: `${count} requests, ${steps} steps over a year in a real SQLite file; slowest of ${runs.length} API calls after a reopen${ctx.quick ? ' (quick: not scaled)' : ''}`,
    }),
  ];
}

/** A year of desk and phone requests of the Astana catalogue with their steps; returns the number of step rows. */
function generate(app: AppContext, count: number): number {
  const catalog = catalogOf(app).catalog;
  const cal = calendarOf(app);
  const defs = ['home-visit', 'appointment', 'attachment'].map((id) => catalog.byId(id, 'astana', '2025-06-01')!);
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const insertRequest = app.db.prepare(
    `INSERT INTO service_request (id, number, definition_key, service_id, region, channel, person_iin, anonymous_code, fee_kzt, status,
       current_step, outcome_code, created_at, created_ms, created_day, created_by, deadline_at, deadline_ms, closed_at, closed_ms)
     VALUES (?, ?, ?, ?, 'astana', ?, ?, NULL, 0, ?, ?, ?, ?, ?, ?, 2, ?, ?, ?, ?)`,
  );
  const insertStep = app.db.prepare(
    `INSERT INTO request_step (request_id, seq, step_id, service_id, role, specialty, started_at, started_ms, started_day, deadline_at, deadline_ms,
       completed_at, completed_ms, completed_by, completed_login, completed_role, outcome)
     VALUES (?, ?, ?, ?, 'registrar', NULL, ?, ?, ?, ?, ?, ?, ?, ?, 'registrar', 'registrar', ?)`,
  );
  const iso = (ms: number) => new Date(ms).toISOString();
  const yearMs = 365 * 86_400_000;
  let stepRows = 0;
  const batch = 25_000;
  for (let start = 0; start < count; start += batch) {
    app.db.transaction(() => {
      for (let i = start; i < Math.min(count, start + batch); i++) {
        const def = defs[i % 3]!;
        const channel = def.channels.includes('phone') && rnd() < 0.3 ? 'phone' : 'desk';
        // Spread over the year's working hours: day uniform, 08:00–20:00 local.
        const created = YEAR_FROM + Math.floor(rnd() * 364) * 86_400_000 + Math.floor(rnd() * 12 * 60) * MINUTE_MS;
        const total = def.maxTotal[channel]!;
        const requestDue = created + (total.maxMinutes !== undefined ? total.maxMinutes * MINUTE_MS : 86_400_000);
        const fate = rnd();
        const cancelled = fate < 0.02;
        const refused = !cancelled && fate < 0.05;
        const open = !cancelled && !refused && created > YEAR_FROM + yearMs - 3 * 86_400_000 && fate < 0.5;
        let t = created;
        let seq = 0;
        const path = def.steps.filter((s) => s.id.startsWith('desk-') && s.id !== 'desk-person-not-found');
        const stop = cancelled ? 1 + Math.floor(rnd() * 4) : open ? 2 : path.length;
        let status: 'open' | 'done' | 'refused' | 'cancelled' = 'done';
        const rows: unknown[][] = [];
        for (const step of path.slice(0, stop)) {
          seq++;
          const limit = stepDuration(step);
          const maxMs = 'maxMinutes' in limit ? limit.maxMinutes * MINUTE_MS : 86_400_000;
          // Most steps finish within the limit; about 8 % run late (up to three times the limit).
          const took = Math.round(maxMs * (rnd() < 0.92 ? 0.2 + rnd() * 0.8 : 1 + rnd() * 2));
          const last = seq === stop;
          const outcome = last && cancelled ? 'cancelled' : last && open ? null : last && refused ? 'refused' : 'done';
          rows.push([
            i + 1,
            seq,
            step.id,
            def.id,
            iso(t),
            t,
            cal.localDayOf(t),
            iso(t + maxMs),
            t + maxMs,
            outcome ? iso(t + took) : null,
            outcome ? t + took : null,
            outcome ? 2 : null,
            outcome,
          ]);
          stepRows++;
          if (outcome) t += took;
          if (last) status = cancelled ? 'cancelled' : open ? 'open' : refused ? 'refused' : 'done';
        }
        insertRequest.run(
          i + 1,
          `A4-${String(i + 1).padStart(6, '0')}`,
          definitionKey(def),
          def.id,
          channel,
          null,
          status,
          status === 'open' ? path[stop - 1]!.id : null,
          refused ? 'grounds-not-met' : null,
          iso(created),
          created,
          cal.localDayOf(created),
          iso(requestDue),
          requestDue,
          status === 'open' ? null : iso(t),
          status === 'open' ? null : t,
        );
        for (const r of rows) insertStep.run(...r);
      }
    })();
  }
  app.db
    .prepare(`INSERT INTO sequence (name, value) VALUES ('request', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`)
    .run(count);
  app.db.exec('ANALYZE');
  return stepRows;
}

/**
 * Sync throughput on loopback (issue 7), on embedded PGlite and on a real PostgreSQL (a throwaway cluster from
 * Debian's binaries, when installed):
 *  - push 100,000 operations (target ≤ 8 s) beside a one-request-per-operation baseline (on a sample, scaled);
 *  - pull 100,000 reference rows (target ≤ 4 s) beside a one-request-per-row baseline;
 *  - a workstation 30 days offline: 50,000 queued operations pushed and the organization's changes pulled
 *    (target ≤ 60 s).
 * The workstation side is the real engine on a real SQLite file (WAL, synchronous=FULL). `--quick` is 10× smaller
 * and scales the times ×10.
 */
import { enrolledDesk, queue, round } from './enrolled-desk';
import { forEachServerBackend, timed } from './server-backends';
import path from 'node:path';
import { closeApp, type AppContext } from '../electron/services/app';
import { SyncEngine } from '../electron/services/sync/engine';
import type { ServerDb } from '../server/db';
import { publishReference } from '../server/push';
import { figure, type BenchContext, type BenchFigure } from './types';

const ORG = '120140001011';

async function workstation(dir: string, db: ServerDb, url: string): Promise<AppContext> {
  return enrolledDesk(dir, db, url, ORG);
}

export default async function (ctx: BenchContext): Promise<BenchFigure[]> {
  const scale = ctx.quick ? 10 : 1;
  const N = 100_000 / scale;
  const OFFLINE = 50_000 / scale;
  const figures: BenchFigure[] = [];
  await forEachServerBackend(ctx, 'sync', async (db, url, backend) => {
    // Push.
    const a = await workstation(path.join(ctx.dir, `${backend}-push`), db, url);
    queue(a, N, 'push');
    const push = await timed(() => round(new SyncEngine(a, { batchOps: 5_000, watchNetwork: false })));
    const sample = Math.min(1_000, N);
    queue(a, sample, 'naive');
    const naive = (await timed(() => round(new SyncEngine(a, { batchOps: 1, watchNetwork: false })))) * (N / sample);
    closeApp(a);
    figures.push(
      figure(`sync.push-100k.${backend}`, push * scale, 's', 8, {
        baseline: { value: naive * scale, ratio: naive / push, what: 'one request per operation (1,000-op sample, scaled)' },
        note: `${N} operations in batches of 5,000${scale > 1 ? ', ×10' : ''}`,
      }),
    );
    ctx.log(`sync ${backend}: push ${N} in ${push.toFixed(2)} s; one-per-op ${naive.toFixed(1)} s (×${(naive / push).toFixed(0)})`);

    // Pull.
    await publishReference(
      db,
      ORG,
      Array.from({ length: N }, (_, i) => ({
        kind: i % 2 ? 'staff' : 'timetable',
        key: `r${i}`,
        payload: { i, name: 'Асқар Нұрланұлы', hours: ['08:00', '17:00'] },
      })),
    );
    const b = await workstation(path.join(ctx.dir, `${backend}-pull`), db, url);
    const pull = await timed(() => round(new SyncEngine(b, { watchNetwork: false })));
    const c = await workstation(path.join(ctx.dir, `${backend}-pull-naive`), db, url);
    const rowSample = Math.min(500, N);
    const naivePull = await timed(async () => {
      const e = new SyncEngine(c, { pullRows: 1, watchNetwork: false });
      // Stop after the sample: time the first rowSample one-row pages.
      const cred = (c.db.prepare(`SELECT value FROM setting WHERE key = 'sync.credential'`).get() as { value: string }).value;
      let cursor = '';
      for (let i = 0; i < rowSample; i++) {
        const r = await fetch(`${url}/v1/sync/pull?cursor=${cursor}&limit=1`, {
          headers: { authorization: `Bearer ${JSON.parse(cred)}`, 'x-tirkeu-protocol': '1' },
        });
        const page = (await r.json()) as { cursor: string };
        cursor = page.cursor;
      }
      void e;
    });
    const naivePullFull = naivePull * (N / rowSample);
    closeApp(b);
    closeApp(c);
    figures.push(
      figure(`sync.pull-100k.${backend}`, pull * scale, 's', 4, {
        baseline: { value: naivePullFull * scale, ratio: naivePullFull / pull, what: 'one request per row (500-row sample, scaled)' },
        note: `${N} rows in pages of 5,000${scale > 1 ? ', ×10' : ''}`,
      }),
    );
    ctx.log(
      `sync ${backend}: pull ${N} in ${pull.toFixed(2)} s; one-per-row ${naivePullFull.toFixed(1)} s (×${(naivePullFull / pull).toFixed(0)})`,
    );

    // 30 days offline: 50,000 queued operations, and the organization's changes meanwhile (100,000 rows above).
    const d = await workstation(path.join(ctx.dir, `${backend}-offline`), db, url);
    queue(d, OFFLINE, 'offline');
    const catchUp = await timed(() => round(new SyncEngine(d, { batchOps: 5_000, watchNetwork: false })));
    closeApp(d);
    figures.push(
      figure(`sync.catch-up-30-days.${backend}`, catchUp * scale, 's', 60, {
        note: `${OFFLINE} operations pushed and ${N} reference rows pulled${scale > 1 ? ', ×10' : ''}`,
      }),
    );
    ctx.log(`sync ${backend}: 30 days offline (${OFFLINE} ops + ${N} rows) caught up in ${catchUp.toFixed(2)} s`);
  });
  return figures;
}

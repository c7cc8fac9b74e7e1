/**
 * Issue 13, point 6: the server's housekeeping. On PGlite (no autovacuum) maintain() gives the planner statistics:
 * before it the pull page of a large log is a bitmap scan of the whole organization and a sort; after it, the
 * (org_bin, seq) index read in order. prune() keeps `retentionDays` of history: superseded changes and changes
 * every live desk has pulled go, old operations and batches go; a desk whose cursor is behind pruned history is
 * sent the snapshot again (flagged resync) and ends exactly where a desk that kept pulling is.
 */
import type { EnrollResponse } from '../../../common/sync-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse } from '../../../common/sync-protocol';
import { appendChanges, publishReference } from '../../../server/change-log';
import type { ServerDb } from '../../../server/db';
import { createEnrollmentCode, enroll, revokeWorkstation, type Workstation } from '../../../server/enrollment';
import { maintain, prune } from '../../../server/maintenance';
import { pull } from '../../../server/pull';
import { push } from '../../../server/push';
import { startPostgres, type PgCluster } from '../../helpers/postgres';
import { openBackendDb, type Backend } from '../../helpers/sync-server';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(async () => {
  await cluster?.close();
});

const PAGE = `SELECT seq, kind, key, payload, deleted, origin FROM change_log WHERE org_bin = $1 AND seq > $2 ORDER BY seq LIMIT $3`;

async function plan(db: ServerDb): Promise<string> {
  const r = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${PAGE}`, ['222222222222', 1000, 5000]);
  return r.rows.map((row) => row['QUERY PLAN']).join('\n');
}

describe('maintain() on PGlite', () => {
  it('gathers statistics, after which the pull page reads the (org_bin, seq) index in order', async () => {
    const { db } = await openBackendDb('pglite');
    try {
      for (const org of ['111111111111', '222222222222', '333333333333'])
        for (let k = 0; k < 4; k++)
          await db.transaction((tx) =>
            appendChanges(
              tx,
              org,
              null,
              Array.from({ length: 5_000 }, (_, i) => ({
                kind: 'staff',
                key: `k${k}-${i}`,
                payload: JSON.stringify({ i, name: 'x'.repeat(30) }),
              })),
            ),
          );
      const tuples = async () =>
        Number((await db.query<{ n: number }>(`SELECT reltuples AS n FROM pg_class WHERE relname = 'change_log'`)).rows[0]!.n);
      expect(await tuples()).toBeLessThanOrEqual(0); // never analyzed
      const before = await plan(db);
      expect(before).toMatch(/Sort/);

      await maintain(db);

      expect(await tuples()).toBe(60_000);
      const stats = await db.query<{ last_vacuum: unknown; last_analyze: unknown }>(
        `SELECT last_vacuum, last_analyze FROM pg_stat_user_tables WHERE relname = 'change_log'`,
      );
      expect(stats.rows[0]!.last_vacuum).toBeTruthy();
      expect(stats.rows[0]!.last_analyze).toBeTruthy();
      const after = await plan(db);
      expect(after).toMatch(/Index Scan using change_log_by_org on change_log/);
      expect(after).not.toMatch(/Sort|Bitmap/);
    } finally {
      await db.close();
    }
  }, 120_000);
});

type State = Map<string, string>;
async function pullAll(db: ServerDb, ws: Workstation, cursor: string, state: State) {
  let resync = false;
  for (;;) {
    const page = JSON.parse(await pull(db, ws, cursor, 50)) as PullResponse & { resync?: boolean };
    resync ||= !!page.resync;
    for (const r of page.rows) {
      if (r.deleted) state.delete(`${r.kind}/${r.key}`);
      else state.set(`${r.kind}/${r.key}`, JSON.stringify(r.payload));
    }
    cursor = page.cursor;
    if (!page.more) return { cursor, resync };
  }
}

describe.each<Backend>(['pglite', 'postgres'])('prune() on %s', (backend) => {
  let db: ServerDb;
  beforeAll(async () => {
    db = (await openBackendDb(backend, cluster)).db;
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('deletes old superseded and pulled history and old operations; a desk behind it resyncs from the snapshot', async () => {
    const org = '170140001017';
    const desk = async () => {
      const e = (await enroll(db, (await createEnrollmentCode(db, { orgBin: org })).code, 'desk')) as EnrollResponse;
      return { id: e.workstation_id, orgBin: org };
    };
    const keeping = await desk(); // pulls all along
    const behind = await desk(); // pulls once, then is away
    const gone = await desk(); // never pulls, then revoked: holds nothing back
    const rows = (v: number, n = 30) => Array.from({ length: n }, (_, i) => ({ kind: 'staff', key: `s${i}`, payload: { v } }));

    await publishReference(db, org, rows(1));
    const keptState: State = new Map();
    const behindState: State = new Map();
    let keptCursor = (await pullAll(db, keeping, '', keptState)).cursor;
    const behindCursor = (await pullAll(db, behind, '', behindState)).cursor; // at 30
    await push(db, behind, {
      batch_id: 'batch-old-000001',
      ops: [
        {
          op_id: 'op-old-0000001',
          kind: 'person.manual',
          entity: 'person',
          entity_id: '1',
          payload: {},
          created_at: '2025-01-01T00:00:00Z',
        },
      ],
    });
    await publishReference(db, org, rows(2, 10)); // s0..s9 superseded
    await publishReference(db, org, [
      { kind: 'staff', key: 's20', payload: null, deleted: true },
      { kind: 'staff', key: 'new', payload: { v: 2 } },
    ]);
    keptCursor = (await pullAll(db, keeping, keptCursor, keptState)).cursor;
    await pullAll(db, keeping, keptCursor, keptState); // its next round acknowledges 42
    // `behind` is now the slowest live desk; `gone` never pulled and holds everything back until it is revoked.
    const later = new Date(Date.now() + 40 * 86_400_000);
    const first = await prune(db, { retentionDays: 30, now: later });
    expect(first.changesSuperseded).toBe(11); // s0…s9 updated, s20 deleted
    expect(first.changesPulled).toBe(0);
    expect(first.ops).toBe(1);
    expect(first.batches).toBe(1);
    await revokeWorkstation(db, gone.id);
    // The server last saw `behind` at 42, but the desk comes back with its cursor at 30 (its data folder restored
    // from an older backup): the rows it lacks are pruned.
    await db.query(`UPDATE workstation SET pulled_seq = 42 WHERE id = $1`, [behind.id]);
    const second = await prune(db, { retentionDays: 30, now: later });
    expect(second.changesPulled).toBeGreaterThan(0);
    const tombstone = await db.query(`SELECT 1 FROM change_current WHERE org_bin = $1 AND key = 's20' AND deleted`, [org]);
    expect(tombstone.rowCount).toBe(1); // deletions stay, for desks sent the snapshot again
    const counter = await db.query<{ pruned_below: string }>(`SELECT pruned_below FROM org_counter WHERE org_bin = $1`, [org]);
    expect(Number(counter.rows[0]!.pruned_below)).toBe(42);
    // Nothing within the retention window is touched.
    const now = await prune(db, { retentionDays: 30, now: new Date() });
    expect(Object.values(now).every((n) => n === 0)).toBe(true);

    // `behind` comes back with its old cursor (30 < 42): it is sent the snapshot again and ends where `keeping` is.
    await publishReference(db, org, [{ kind: 'staff', key: 's1', payload: null, deleted: true }]);
    keptCursor = (await pullAll(db, keeping, keptCursor, keptState)).cursor;
    const back = await pullAll(db, behind, behindCursor, behindState);
    expect(back.resync).toBe(true);
    expect([...behindState.entries()].sort()).toEqual([...keptState.entries()].sort());
    expect(behindState.has('staff/s20')).toBe(false);
    expect(behindState.has('staff/s1')).toBe(false);
    // Both go on from the log.
    await publishReference(db, org, [{ kind: 'staff', key: 'after', payload: {} }]);
    const next = JSON.parse(await pull(db, behind, back.cursor)) as PullResponse & { resync?: boolean };
    expect(next.rows.map((r) => r.key)).toEqual(['after']);
    expect(next.resync).toBeUndefined();
  });
});

/**
 * Issue 13, point 6: the change log per organization. One organization's open writing transaction does not hold
 * up another's; within an organization pull order stays commit order; the migration from the single global
 * counter keeps every organization's rows, cursors and order; a new desk's first pull is a snapshot of the current
 * state that ends exactly where a pull of the whole log ends, even with rows changed and deleted meanwhile.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerDb } from '../../../server/db';
import { appendChanges, publishReference } from '../../../server/change-log';
import { SERVER_MIGRATIONS } from '../../../server/migrations/index';
import { encodeCursor, pull } from '../../../server/pull';
import type { PullResponse } from '../../../common/sync-protocol';
import { startPostgres, type PgCluster } from '../../helpers/postgres';
import { openBackendDb, seededRandom, type Backend } from '../../helpers/sync-server';
import type { ServerDb } from '../../../server/db';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(async () => {
  await cluster?.close();
});

const ORG_A = '120140001011';
const ORG_B = '990140002222';

type State = Map<string, string>;

/** Pulls to the end from `cursor` into `state` (kind/key → payload JSON), as a desk applies pages. */
async function pullAll(db: ServerDb, wsId: string, org: string, cursor: string, state: State, limit = 7): Promise<string> {
  for (;;) {
    const page = JSON.parse(await pull(db, { id: wsId, orgBin: org }, cursor, limit)) as PullResponse & { resync?: boolean };
    applyPage(state, page);
    cursor = page.cursor;
    if (!page.more) return cursor;
  }
}

function applyPage(state: State, page: PullResponse): void {
  for (const r of page.rows) {
    if (r.deleted) state.delete(`${r.kind}/${r.key}`);
    else state.set(`${r.kind}/${r.key}`, JSON.stringify(r.payload));
  }
}

describe.each<Backend>(['pglite', 'postgres'])('change log per organization on %s', (backend) => {
  let db: ServerDb;
  beforeAll(async () => {
    db = (await openBackendDb(backend, cluster)).db;
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('a new desk’s snapshot bootstrap ends in the same state as a pull of the whole log, with changes meanwhile', async () => {
    const random = seededRandom(13);
    const org = backend === 'pglite' ? '130140001013' : '130140002013';
    const keys = Array.from({ length: 60 }, (_, i) => `k${i}`);
    const change = async (n: number, tag: string) => {
      const rows = Array.from({ length: n }, () => {
        const key = keys[Math.floor(random() * keys.length)]!;
        const kind = random() < 0.5 ? 'staff' : 'price';
        return random() < 0.25 ? { kind, key, payload: null, deleted: true } : { kind, key, payload: { tag, r: random() } };
      });
      // Several small transactions, as pushes and publishes come.
      for (let i = 0; i < rows.length; i += 5) await publishReference(db, org, rows.slice(i, i + 5));
    };
    await change(400, 'history');

    // Desk F pulls the whole log from position 0; desk S bootstraps from the snapshot (empty cursor), a page at a
    // time, while the organization keeps changing (updates, deletions, re-creations).
    const full: State = new Map();
    const snap: State = new Map();
    let snapCursor = '';
    let pages = 0;
    let sawSnapshotCursor = false;
    for (;;) {
      const page = JSON.parse(await pull(db, { id: 'ws-snap', orgBin: org }, snapCursor, 9)) as PullResponse;
      applyPage(snap, page);
      snapCursor = page.cursor;
      pages++;
      if (JSON.parse(Buffer.from(page.cursor, 'base64url').toString()).t !== undefined) sawSnapshotCursor = true;
      if (!page.more) break;
      if (pages % 2 === 0) await change(15, `during-${pages}`);
    }
    expect(sawSnapshotCursor).toBe(true);
    expect(pages).toBeGreaterThan(4);
    // The snapshot sent no more rows than there are keys, plus those changed meanwhile.
    await change(30, 'after');
    snapCursor = await pullAll(db, 'ws-snap', org, snapCursor, snap);
    await pullAll(db, 'ws-full', org, encodeCursor(0), full);
    expect(snap.size).toBeGreaterThan(10);
    expect([...snap.entries()].sort()).toEqual([...full.entries()].sort());
    // And afterwards the desk is on the log: one more change arrives as one row.
    await publishReference(db, org, [{ kind: 'staff', key: 'new-one', payload: { x: 1 } }]);
    const next = JSON.parse(await pull(db, { id: 'ws-snap', orgBin: org }, snapCursor)) as PullResponse;
    expect(next.rows.map((r) => r.key)).toEqual(['new-one']);
  });

  it('the snapshot sends each key once, not its history', async () => {
    const org = backend === 'pglite' ? '140140001014' : '140140002014';
    for (let v = 0; v < 5; v++)
      await publishReference(
        db,
        org,
        Array.from({ length: 20 }, (_, i) => ({ kind: 'timetable', key: `t${i}`, payload: { v } })),
      );
    await publishReference(db, org, [{ kind: 'timetable', key: 't0', payload: null, deleted: true }]);
    const page = JSON.parse(await pull(db, { id: 'ws-x', orgBin: org }, '')) as PullResponse;
    expect(page.rows).toHaveLength(19);
    expect(page.rows.every((r) => (r.payload as { v: number }).v === 4 && !r.deleted)).toBe(true);
    expect(page.more).toBe(false);
    expect(page.position).toBe(101);
    const history = JSON.parse(await pull(db, { id: 'ws-x', orgBin: org }, encodeCursor(0), 5_000)) as PullResponse;
    expect(history.rows).toHaveLength(101);
  });

  it('numbers each organization’s changes on its own, in commit order', async () => {
    const a = backend === 'pglite' ? '150140001015' : '150140002015';
    const b = backend === 'pglite' ? '160140001016' : '160140002016';
    await publishReference(db, a, [{ kind: 'staff', key: 'a1', payload: {} }]);
    await publishReference(db, b, [{ kind: 'staff', key: 'b1', payload: {} }]);
    await publishReference(db, a, [{ kind: 'staff', key: 'a2', payload: {} }]);
    const r = await db.query<{ org_bin: string; seq: string; key: string }>(
      `SELECT org_bin, seq, key FROM change_log WHERE org_bin IN ($1, $2) ORDER BY org_bin, seq`,
      [a, b],
    );
    expect(r.rows.map((x) => [x.key, Number(x.seq)])).toEqual([
      ['a1', 1],
      ['a2', 2],
      ['b1', 1],
    ]);
  });

  if (backend === 'postgres') {
    it('an open writing transaction of one organization does not hold up another’s; within one it does', async () => {
      let release!: () => void;
      const hold = new Promise<void>((r) => (release = r));
      let wrote!: () => void;
      const written = new Promise<void>((r) => (wrote = r));
      const txA = db.transaction(async (tx) => {
        await appendChanges(tx, ORG_A, null, [{ kind: 'staff', key: 'a-held', payload: '{}' }]);
        wrote();
        await hold;
      });
      await written;
      const t0 = performance.now();
      await db.transaction((tx) => appendChanges(tx, ORG_B, null, [{ kind: 'staff', key: 'b-free', payload: '{}' }]));
      const otherOrgMs = performance.now() - t0;
      const sameOrg = db.transaction((tx) => appendChanges(tx, ORG_A, null, [{ kind: 'staff', key: 'a-second', payload: '{}' }]));
      let sameOrgDone = false;
      void sameOrg.then(() => (sameOrgDone = true));
      await new Promise((r) => setTimeout(r, 200));
      expect(sameOrgDone).toBe(false); // waits behind the first's counter lock: commit order within the organization
      const pageB = JSON.parse(await pull(db, { id: 'ws-b', orgBin: ORG_B }, encodeCursor(0))) as PullResponse;
      expect(pageB.rows.map((r) => r.key)).toContain('b-free');
      release();
      await Promise.all([txA, sameOrg]);
      expect(otherOrgMs).toBeLessThan(150);
      const pageA = JSON.parse(await pull(db, { id: 'ws-a', orgBin: ORG_A }, encodeCursor(0))) as PullResponse;
      expect(pageA.rows.map((r) => r.key)).toEqual(['a-held', 'a-second']);
    });
  }
});

describe('migrating from the global change counter', () => {
  it('starts each organization’s counter at its greatest seq and keeps cursors, order and the current state', async () => {
    const url = await cluster.createDatabase();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(
        `CREATE TABLE server_schema (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      for (const m of SERVER_MIGRATIONS.filter((m) => m.version <= 2)) {
        await c.query(m.sql);
        await c.query(`INSERT INTO server_schema (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      }
      // The old global sequence interleaves two organizations.
      const rows: Array<[number, string, string, string, boolean]> = [
        [1, ORG_A, 'a', '{"v":1}', false],
        [2, ORG_B, 'b', '{"v":1}', false],
        [3, ORG_A, 'a', '{"v":2}', false],
        [4, ORG_A, 'gone', '{}', false],
        [5, ORG_B, 'b2', '{}', false],
        [6, ORG_A, 'gone', 'null', true],
      ];
      for (const [seq, org, key, payload, deleted] of rows)
        await c.query(`INSERT INTO change_log (seq, org_bin, kind, key, payload, deleted) VALUES ($1, $2, 'staff', $3, $4, $5)`, [
          seq,
          org,
          key,
          payload,
          deleted,
        ]);
      await c.query(`UPDATE change_counter SET seq = 6`);
    } finally {
      await c.end();
    }
    const db = await openServerDb({ databaseUrl: url });
    try {
      const counters = await db.query<{ org_bin: string; seq: string }>(`SELECT org_bin, seq FROM org_counter ORDER BY org_bin`);
      expect(counters.rows.map((r) => [r.org_bin, Number(r.seq)])).toEqual([
        [ORG_A, 6],
        [ORG_B, 5],
      ]);
      // A desk of A that had pulled to 3 under the old counter goes on from there.
      await publishReference(db, ORG_A, [{ kind: 'staff', key: 'after', payload: {} }]);
      const page = JSON.parse(await pull(db, { id: 'ws', orgBin: ORG_A }, encodeCursor(3))) as PullResponse;
      expect(page.rows.map((r) => r.key)).toEqual(['gone', 'gone', 'after']);
      expect(page.position).toBe(7);
      const snap = JSON.parse(await pull(db, { id: 'ws', orgBin: ORG_A }, '')) as PullResponse;
      expect(snap.rows.map((r) => [r.key, r.payload])).toEqual([
        ['a', { v: 2 }],
        ['after', {}],
      ]);
    } finally {
      await db.close();
    }
  });
});

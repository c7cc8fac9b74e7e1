/**
 * Issue 13, point 6, through the real sync engine and HTTP: a desk enrolled into an organization with a long
 * history receives its current state (one row per key, not every change) and holds exactly what a desk that
 * pulled all along holds; after the server pruned the history behind a desk's position (the desk restored from an
 * older backup), its next round is re-sent the snapshot with the deletions it missed and it ends equal again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrganization } from '../../../db/organization';
import { SyncEngine } from '../../../electron/services/sync/engine';
import { publishReference } from '../../../server/change-log';
import { prune } from '../../../server/maintenance';
import type { TestWorkstation } from '../../helpers/app';
import { startPostgres, type PgCluster } from '../../helpers/postgres';
import { enrolledWorkstation, seededRandom, startTestServer, type Backend, type TestServer } from '../../helpers/sync-server';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(async () => {
  await cluster?.close();
});

// A kind no desk table holds: it lands in sync_reference, where the test can compare the two desks row by row.
const KIND = 'notice';

function reference(ws: TestWorkstation): Array<[string, string]> {
  return (
    ws.app.db.prepare(`SELECT key, payload FROM sync_reference WHERE kind = ? ORDER BY key`).all(KIND) as Array<{
      key: string;
      payload: string;
    }>
  ).map((r) => [r.key, r.payload]);
}

describe.each<Backend>(['pglite', 'postgres'])('a new desk on %s', (backend) => {
  let s: TestServer;
  const open: TestWorkstation[] = [];
  beforeAll(async () => {
    s = await startTestServer(backend, cluster);
  }, 60_000);
  afterAll(async () => {
    open.forEach((w) => w.close());
    await s?.close();
  });

  it('bootstraps from the current state, equal to a desk that pulled all along, and resyncs after pruning', async () => {
    const random = seededRandom(backend === 'pglite' ? 31 : 32);
    const early = await enrolledWorkstation(s.url, s.code);
    open.push(early);
    const bin = getOrganization(early.app.db)!.bin;
    const earlyEngine = new SyncEngine(early.app, { watchNetwork: false, pullRows: 50 });
    const publish = async (n: number, tag: string) => {
      const rows = Array.from({ length: n }, () => {
        const key = `f${Math.floor(random() * 40)}`;
        return random() < 0.2 ? { kind: KIND, key, payload: null, deleted: true } : { kind: KIND, key, payload: { tag, r: random() } };
      });
      for (let i = 0; i < rows.length; i += 10) await publishReference(s.db, bin, rows.slice(i, i + 10));
    };
    for (let round = 0; round < 6; round++) {
      await publish(100, `h${round}`);
      expect((await earlyEngine.syncOnce()).ok).toBe(true);
    }

    const late = await enrolledWorkstation(s.url, s.code);
    open.push(late);
    const lateEngine = new SyncEngine(late.app, { watchNetwork: false, pullRows: 7 });
    const first = await lateEngine.syncOnce();
    expect(first.ok).toBe(true);
    // One row per live key (40 at most), not 600 changes; plus the clinic's two workstations and its profile.
    expect(first.pulled).toBeLessThanOrEqual(40 + 3);
    expect(reference(late)).toEqual(reference(early));
    expect(reference(late).length).toBeGreaterThan(10);

    // More history; the server last saw `late` at the head, but its data folder goes back to an older backup:
    // its cursor is now behind what pruning removes.
    const oldCursor = late.app.db.prepare(`SELECT value FROM setting WHERE key = 'sync.cursor'`).get() as { value: string };
    const oldRows = late.app.db.prepare(`SELECT * FROM sync_reference`).all();
    await publish(200, 'later');
    expect((await earlyEngine.syncOnce()).ok).toBe(true);
    expect((await lateEngine.syncOnce()).ok).toBe(true);
    expect((await earlyEngine.syncOnce()).ok).toBe(true); // both acknowledge the head
    const pruned = await prune(s.db, { retentionDays: 30, now: new Date(Date.now() + 40 * 86_400_000) });
    expect(pruned.changesPulled).toBeGreaterThan(0);
    late.app.db.transaction(() => {
      late.app.db.prepare(`DELETE FROM sync_reference`).run();
      const insert = late.app.db.prepare(`INSERT INTO sync_reference (kind, key, payload, updated_at) VALUES (?, ?, ?, ?)`);
      for (const r of oldRows as Array<{ kind: string; key: string; payload: string; updated_at: string }>)
        insert.run(r.kind, r.key, r.payload, r.updated_at);
      late.app.db.prepare(`UPDATE setting SET value = ? WHERE key = 'sync.cursor'`).run(oldCursor.value);
    })();
    expect(reference(late)).not.toEqual(reference(early));
    expect((await lateEngine.syncOnce()).ok).toBe(true);
    expect(reference(late)).toEqual(reference(early));
  });
});

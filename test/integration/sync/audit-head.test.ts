/**
 * Issue 14, point 4: an audit log that cannot be cut. A workstation syncs with a real central server, which
 * acknowledges its audit head; then someone with the database file (a) deletes the last 10 audit rows or (b)
 * edits a row and re-hashes the chain from there. The chain alone looks fine in (b) and (a); `tirkeu verify-audit`
 * names truncation and re-hashing against the acknowledged head, and the server refuses the next push as
 * `audit-forked`, which the sync engine surfaces as a blocked state. Normal work keeps syncing (c).
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import { auditHead, auditRowHash, verifyAudit } from '../../../db/audit';
import { getEnrollment, getSyncState } from '../../../db/sync';
import { main } from '../../../electron/cli';
import { push } from '../../../server/push';
import type { TestWorkstation } from '../../helpers/app';
import { enrolledWorkstation, startTestServer, type TestServer } from '../../helpers/sync-server';

let s: TestServer;
const open: TestWorkstation[] = [];
beforeAll(async () => {
  s = await startTestServer('pglite');
}, 60_000);
afterAll(async () => {
  open.forEach((w) => w.close());
  await s?.close();
});

async function verifyAuditCli(ws: TestWorkstation): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const code = await main(['verify-audit', '--data', ws.dir], { stdout: out, stderr: err, stdin: new PassThrough(), env: {} });
  return { code, stdout, stderr };
}

let serial = 100;
const used = new Set<string>();
/** A new IIN each call (a serial without a check digit moves on to the next one, so skip those already used). */
function nextIin(): string {
  for (;;) {
    const iin = makeIin('1990-03-04', 'F', serial++);
    if (!used.has(iin)) {
      used.add(iin);
      return iin;
    }
  }
}
/** Real work through the API: each person entered by hand writes an audit row and an outbox operation. */
async function work(ws: TestWorkstation, people: number): Promise<void> {
  const registrar = await ws.as('registrar');
  for (let i = 0; i < people; i++)
    await registrar.call('people.createManual', { iin: nextIin(), surname: 'Сапарова', givenName: 'Әйгерім' });
}

async function syncedWorkstation(): Promise<TestWorkstation> {
  const ws = await enrolledWorkstation(s.url, s.code);
  open.push(ws);
  await work(ws, 15);
  const admin = await ws.as('admin');
  expect(await admin.call('sync.now', {})).toMatchObject({ ok: true, blocked: null });
  return ws;
}

async function refusals(workstationId: string): Promise<string[]> {
  const r = await s.db.query<{ reason: string }>(`SELECT reason FROM audit_head_refusal WHERE workstation_id = $1 ORDER BY id`, [
    workstationId,
  ]);
  return r.rows.map((x) => x.reason);
}

describe('the audit head travels with every push', () => {
  it('(c) normal work keeps syncing: the server acknowledges each newer head and verify-audit agrees', async () => {
    const ws = await syncedWorkstation();
    const first = getSyncState(ws.app.db).auditAcknowledged!;
    expect(first.seq).toBeGreaterThan(10);
    const admin = await ws.as('admin');
    for (let round = 0; round < 3; round++) {
      await work(ws, 3);
      expect(await admin.call('sync.now', {})).toMatchObject({ ok: true, blocked: null });
    }
    const ack = getSyncState(ws.app.db).auditAcknowledged!;
    expect(ack.seq).toBeGreaterThan(first.seq);
    const stored = await s.db.query<{ seq: string; hash: string }>(
      `SELECT seq, hash FROM workstation_audit_head WHERE workstation_id = $1`,
      [getSyncStateWorkstation(ws)],
    );
    expect({ seq: Number(stored.rows[0]!.seq), hash: stored.rows[0]!.hash }).toEqual(ack);
    const v = await verifyAuditCli(ws);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, acknowledged: ack, server: { ok: true } });
    expect((await admin.call('sync.status', {})).auditForked).toBeNull();

    // Nothing queued, only audit rows written (log-ins): the head still goes up with the next round.
    await ws.as('registrar');
    await ws.as('cashier');
    expect(await admin.call('sync.status', {})).toMatchObject({ queued: 0 });
    const before = getSyncState(ws.app.db).auditAcknowledged!;
    expect(await admin.call('sync.now', {})).toMatchObject({ ok: true, pushed: { applied: 0 } });
    expect(getSyncState(ws.app.db).auditAcknowledged!.seq).toBeGreaterThan(before.seq);
  }, 60_000);

  it('(a) the last 10 rows deleted: verify-audit names truncation and the next push is refused as audit-forked', async () => {
    const ws = await syncedWorkstation();
    const ack = getSyncState(ws.app.db).auditAcknowledged!;
    expect(auditHead(ws.app.db).seq).toBe(ack.seq);
    const db = ws.app.db;
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE id > ?').run(ack.seq - 10);
    expect(verifyAudit(db)).toEqual({ ok: true, rows: ack.seq - 10 }); // the chain alone cannot tell

    const v = await verifyAuditCli(ws);
    expect(v.code).toBe(1);
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, server: { ok: false, problem: 'truncated' } });
    expect(v.stderr).toContain(`truncation: the log ends at ${ack.seq - 10} but the server acknowledged ${ack.seq}`);

    await work(ws, 2); // new rows after the cut: the log is shorter than acknowledged, then longer with other rows
    const admin = await ws.as('admin');
    const round = await admin.call('sync.now', {});
    expect(round).toMatchObject({ ok: false, blocked: 'audit-forked' });
    expect(round.error).toContain('audit log');
    const status = await admin.call('sync.status', {});
    expect(status.auditForked).toContain('audit log');
    expect(status.queued).toBeGreaterThan(0); // nothing was applied or lost: the batch waits
    expect(round.error).toContain(`ends at ${auditHead(db).seq} but the server acknowledged ${ack.seq}`);
    expect(await refusals(getSyncStateWorkstation(ws))).toEqual(['backwards']);
    // Not a silent loop: every later round is refused the same way and says so.
    expect(await admin.call('sync.now', {})).toMatchObject({ ok: false, blocked: 'audit-forked' });
  }, 60_000);

  it('(a) cut, then more new rows than were cut: the log is longer again but no longer holds the acknowledged row', async () => {
    const ws = await syncedWorkstation();
    const ack = getSyncState(ws.app.db).auditAcknowledged!;
    const db = ws.app.db;
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE id > ?').run(ack.seq - 10);
    await work(ws, 15);
    expect(auditHead(db).seq).toBeGreaterThan(ack.seq);
    expect(verifyAudit(db).ok).toBe(true);
    const v = await verifyAuditCli(ws);
    expect(v.stderr).toContain(`re-hashing: row ${ack.seq}'s hash differs`);
    const round = await (await ws.as('admin')).call('sync.now', {});
    expect(round).toMatchObject({ ok: false, blocked: 'audit-forked' });
    expect(round.error).toContain('rewritten');
    expect(await refusals(getSyncStateWorkstation(ws))).toEqual(['forked']);
  }, 60_000);

  it('(b) a row edited and the chain re-hashed from there: verify-audit names re-hashing and the server refuses', async () => {
    const ws = await syncedWorkstation();
    const ack = getSyncState(ws.app.db).auditAcknowledged!;
    const db = ws.app.db;
    db.exec('DROP TRIGGER audit_log_no_update');
    const target = ack.seq - 5;
    db.prepare(`UPDATE audit_log SET staff_login = 'someone-else' WHERE id = ?`).run(target);
    let prev = (db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(target - 1) as { hash: string }).hash;
    const rows = db.prepare('SELECT * FROM audit_log WHERE id >= ? ORDER BY id').all(target) as Array<Parameters<typeof auditRowHash>[1]>;
    for (const r of rows) {
      const hash = auditRowHash(prev, r);
      db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?').run(prev, hash, r.id);
      prev = hash;
    }
    expect(verifyAudit(db).ok).toBe(true); // re-hashed: the chain holds

    const v = await verifyAuditCli(ws);
    expect(v.code).toBe(1);
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, server: { ok: false, problem: 'rehashed', row: ack.seq } });
    expect(v.stderr).toContain(`re-hashing: row ${ack.seq}'s hash differs from the one the server acknowledged`);

    await work(ws, 1);
    const round = await (await ws.as('admin')).call('sync.now', {});
    expect(round).toMatchObject({ ok: false, blocked: 'audit-forked' });
    expect(round.error).toContain('rewritten');
    expect(await refusals(getSyncStateWorkstation(ws))).toEqual(['forked']);
  }, 60_000);
});

describe('enrolled again with the same server', () => {
  async function enrollAgain(ws: TestWorkstation): Promise<void> {
    const admin = await ws.as('admin');
    const code = await s.code(getOrganizationBin(ws));
    await admin.call('sync.enroll', { serverUrl: s.url, code });
    expect(getSyncState(ws.app.db).auditAcknowledged).toBeNull(); // a new enrollment starts from an empty state
  }

  it('learns the acknowledged head back from the server and keeps syncing', async () => {
    const ws = await syncedWorkstation();
    const ack = getSyncState(ws.app.db).auditAcknowledged!;
    await enrollAgain(ws);
    await work(ws, 2);
    const admin = await ws.as('admin');
    expect(await admin.call('sync.now', {})).toMatchObject({ ok: true, blocked: null });
    expect(getSyncState(ws.app.db).auditAcknowledged!.seq).toBeGreaterThan(ack.seq);
  }, 60_000);

  it('a log cut before enrolling again is still refused: re-enrolling does not wash the cut away', async () => {
    const ws = await syncedWorkstation();
    const ack = getSyncState(ws.app.db).auditAcknowledged!;
    const db = ws.app.db;
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE id > ?').run(ack.seq - 5);
    await enrollAgain(ws);
    await work(ws, 8); // longer than acknowledged again, but without the acknowledged row
    const admin = await ws.as('admin');
    expect(await admin.call('sync.now', {})).toMatchObject({ ok: false, blocked: 'audit-forked' });
    expect(getSyncState(db).auditAcknowledged!.seq).toBe(ack.seq);
  }, 60_000);
});

describe('the server side of the audit head', () => {
  it('accepts pushes without a head (older workstations), refuses a same-sequence fork and a malformed head', async () => {
    const ws = await syncedWorkstation();
    const id = getSyncStateWorkstation(ws);
    const w = {
      id,
      orgBin: (await s.db.query<{ org_bin: string }>(`SELECT org_bin FROM workstation WHERE id = $1`, [id])).rows[0]!.org_bin,
    };
    const ack = getSyncState(ws.app.db).auditAcknowledged!;
    expect((await push(s.db, w, { batch_id: 'old-client-1', ops: [] })).audit_head).toBeUndefined();
    const same = await push(s.db, w, { batch_id: 'same-head-1', ops: [], audit_head: ack });
    expect(same.audit_head).toEqual(ack);
    await expect(
      push(s.db, w, { batch_id: 'fork-0001', ops: [], audit_head: { seq: ack.seq, hash: 'f'.repeat(64) } }),
    ).rejects.toMatchObject({
      reason: 'forked',
      acknowledged: ack,
    });
    await expect(
      push(s.db, w, { batch_id: 'longer-01', ops: [], audit_head: { seq: ack.seq + 1, hash: 'a'.repeat(64) } }),
    ).rejects.toMatchObject({ reason: 'unanchored' });
    await expect(push(s.db, w, { batch_id: 'bad-head-1', ops: [], audit_head: { seq: -1, hash: 'x' } })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('audit_head.seq'),
    });
    const ok = await push(s.db, w, {
      batch_id: 'longer-02',
      ops: [],
      audit_head: { seq: ack.seq + 1, hash: 'a'.repeat(64), acknowledged: ack },
    });
    expect(ok.audit_head).toEqual({ seq: ack.seq + 1, hash: 'a'.repeat(64) });
  }, 60_000);
});

function getOrganizationBin(ws: TestWorkstation): string {
  return getEnrollment(ws.app.db)!.orgBin;
}

function getSyncStateWorkstation(ws: TestWorkstation): string {
  return getEnrollment(ws.app.db)!.workstationId;
}

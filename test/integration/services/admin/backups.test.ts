/**
 * Backups on a real SQLite file (issue 16): a copy, a change, the restore preview showing the copy's older counts,
 * the restore bringing them back (with a safety copy of what it replaced), retention on the test clock, and the
 * refusal of every other role.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeIin } from '../../../../common/iin';
import { backupIfDue, listBackups, pruneBackups, takeBackup } from '../../../../electron/services/admin/backups';
import { startSync, stopSync, syncRunning } from '../../../../electron/services/sync/index';
import { createTestWorkstation, type TestWorkstation } from '../../../helpers/app';
import { TestClock, realNow } from '../../../helpers/clock';

const DAY = 86_400_000;
let ws: TestWorkstation | null = null;
afterEach(() => {
  ws?.close();
  ws = null;
});

function open(clock = new TestClock(realNow())) {
  ws = createTestWorkstation({ population: 40, clock: clock.read });
  return { ws, clock };
}

describe('backups', () => {
  it('a backup, a change, a preview with the older counts, a restore that brings them back', async () => {
    const { ws, clock } = open();
    const admin = await ws.as('admin');
    const taken = await admin.call('backups.take', {});
    expect(taken.kind).toBe('manual');
    const file = path.join(ws.dir, 'backups', taken.name);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    clock.advance(60_000);
    await admin.call('people.createManual', { iin: makeIin('1991-05-06', 'F', 4321), surname: 'Ахметова', givenName: 'Әсел' });
    await admin.call('staff.create', { login: 'newclerk', fullName: 'Жаңа Қызметкер', role: 'registrar' });

    const preview = await admin.call('backups.preview', { name: taken.name });
    expect(preview.current.people).toBe(preview.contents.people + 1);
    expect(preview.current.staff).toBe(preview.contents.staff + 1);
    expect(preview.contents.schemaVersion).toBe(preview.current.schemaVersion);
    expect(preview.contents.lastAuditAt! < preview.current.lastAuditAt!).toBe(true);
    expect(preview.contents.requests).toBe(preview.current.requests);

    // Without the explicit confirmation nothing happens.
    const unconfirmed = await admin.raw('backups.restore', { name: taken.name });
    expect(unconfirmed.ok).toBe(false);

    const restored = await admin.call('backups.restore', { name: taken.name, confirm: true });
    expect(restored.contents.people).toBe(preview.contents.people);
    expect(restored.safetyCopy.kind).toBe('before-restore');
    // The live context now reads the restored database; the safety copy holds the replaced one.
    expect(ws.app.db.prepare('SELECT count(*) AS n FROM person').get()).toEqual({ n: preview.contents.people });
    expect(ws.app.db.prepare("SELECT count(*) AS n FROM staff WHERE login = 'newclerk'").get()).toEqual({ n: 0 });
    const safety = await (await ws.as('admin')).call('backups.preview', { name: restored.safetyCopy.name });
    expect(safety.contents.people).toBe(preview.current.people);
    // The restoring session was ended; the restore itself is in the restored log.
    expect((await admin.raw('backups.list', {})).ok).toBe(false);
    const entry = ws.app.db.prepare("SELECT entity_id, details FROM audit_log WHERE action = 'backup.restored'").get();
    expect(entry).toEqual({ entity_id: taken.name, details: JSON.stringify({ safetyCopy: restored.safetyCopy.name }) });
  });

  it('leaves the sync loop running after a restore (paused for it, started again on the restored database)', async () => {
    const { ws } = open();
    const admin = await ws.as('admin');
    const taken = await admin.call('backups.take', {});
    startSync(ws.app, { watchNetwork: false });
    try {
      await admin.call('backups.restore', { name: taken.name, confirm: true });
      expect(syncRunning(ws.app)).toBe(true);
    } finally {
      await stopSync(ws.app);
    }
  });

  it('refuses a name that is not a backup in the folder, and a damaged file', async () => {
    const { ws } = open();
    const admin = await ws.as('admin');
    for (const name of ['../tirkeu.sqlite', 'tirkeu.sqlite', 'tirkeu.sqlite.manual.2020-01-01T00-00-00-000Z.bak']) {
      const r = await admin.raw('backups.preview', { name });
      expect(r.ok ? null : r.error.code).toBe('not-found');
    }
    const bad = 'tirkeu.sqlite.manual.2020-01-01T00-00-00-000Z.bak';
    fs.mkdirSync(path.join(ws.dir, 'backups'), { recursive: true });
    fs.writeFileSync(path.join(ws.dir, 'backups', bad), 'not a database at all, just text');
    const r = await admin.raw('backups.restore', { name: bad, confirm: true });
    expect(r.ok ? null : r.error.code).toBe('backup-unusable');
    expect(ws.app.db.prepare('SELECT count(*) AS n FROM person').get()).toEqual({ n: 40 });
  });

  it('takes the daily copy when the newest is older than a day, and keeps the set days', async () => {
    const { ws, clock } = open();
    expect(backupIfDue(ws.app)?.kind).toBe('daily');
    clock.advance(DAY / 2);
    expect(backupIfDue(ws.app)).toBeNull();
    for (let d = 0; d < 20; d++) {
      clock.advance(DAY);
      expect(backupIfDue(ws.app)).not.toBeNull();
    }
    // Default 14 days: the copies from the last 14 days stay, older ones went.
    const kept = listBackups(ws.app);
    const oldest = Date.parse(kept.at(-1)!.takenAt);
    expect(clock.now.getTime() - oldest).toBeLessThanOrEqual(14 * DAY);
    expect(kept.length).toBeGreaterThanOrEqual(14);
    expect(kept.length).toBeLessThanOrEqual(15);

    const admin = await ws.as('admin');
    await admin.call('backups.setKeepDays', { days: 3 });
    expect(listBackups(ws.app).length).toBe(4);
    // A month closed: the newest copy stays however old.
    clock.advance(30 * DAY);
    pruneBackups(ws.app);
    expect(listBackups(ws.app).map((b) => b.name)).toEqual([kept[0]!.name]);
    // A pre-migration copy is never pruned.
    const upgrade = 'tirkeu.sqlite.v9.2020-01-01T00-00-00-000Z.bak';
    fs.copyFileSync(path.join(ws.dir, 'backups', kept[0]!.name), path.join(ws.dir, 'backups', upgrade));
    takeBackup(ws.app, 'manual');
    pruneBackups(ws.app);
    expect(listBackups(ws.app).map((b) => b.kind)).toEqual(['manual', 'before-upgrade']);
  });

  it('is the administrator’s alone', async () => {
    const { ws } = open();
    for (const login of ['registrar', 'cashier', 'operator', 'therapist']) {
      const c = await ws.as(login);
      for (const method of ['backups.list', 'backups.take', 'auditLog.check', 'loginLinks.issue']) {
        const r = await c.raw(method, {});
        expect(r.ok ? null : r.error.code).toBe('forbidden');
      }
    }
    expect(fs.existsSync(path.join(ws.dir, 'backups'))).toBe(false);
  });
});

/**
 * Backups on a real SQLite file (issue 16): a copy, a change, the restore preview showing the copy's older counts,
 * the restore bringing them back (with a safety copy of what it replaced), retention on the test clock, and the
 * refusal of every other role. The copy and a copy's check run on a worker thread (issue 18): the desk answers and
 * saves while a copy is written, and a copy cut short is never listed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeIin } from '../../../../common/iin';
import Database from 'better-sqlite3';
import { copyDatabaseOnThread } from '../../../../electron/services/admin/maintenance-thread';
import {
  backupIfDue,
  backupsSettled,
  listBackups,
  pruneBackups,
  startBackupSchedule,
  takeBackup,
} from '../../../../electron/services/admin/backups';
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
    const preview = await admin.raw('backups.preview', { name: bad });
    expect(preview.ok ? null : preview.error.code).toBe('backup-unusable');
    expect(ws.app.db.prepare('SELECT count(*) AS n FROM person').get()).toEqual({ n: 40 });
  });

  it('takes the daily copy when the newest is older than a day, and keeps the set days', async () => {
    const { ws, clock } = open();
    expect((await backupIfDue(ws.app))?.kind).toBe('daily');
    clock.advance(DAY / 2);
    expect(await backupIfDue(ws.app)).toBeNull();
    for (let d = 0; d < 20; d++) {
      clock.advance(DAY);
      expect(await backupIfDue(ws.app)).not.toBeNull();
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
    await takeBackup(ws.app, 'manual');
    pruneBackups(ws.app);
    expect(listBackups(ws.app).map((b) => b.kind)).toEqual(['manual', 'before-upgrade']);
  });

  it('writes the copy on another thread: the desk answers and saves meanwhile, and the copy is one consistent snapshot', async () => {
    const { ws } = open();
    const registrar = await ws.as('registrar');
    const pending = takeBackup(ws.app, 'manual');
    let turns = 0;
    let done = false;
    void pending.finally(() => (done = true));
    // A save while the copy is being written: the desk's connection is not held by it.
    await registrar.call('people.createManual', { iin: makeIin('1990-02-03', 'M', 777), surname: 'Сейітов', givenName: 'Арман' });
    while (!done) {
      turns++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const taken = await pending;
    // Had the copy run on this thread, nothing else could have run before it was done.
    expect(turns).toBeGreaterThan(0);
    const copy = new Database(path.join(ws.dir, 'backups', taken.name), { readonly: true });
    try {
      expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
      expect([40, 41]).toContain((copy.prepare('SELECT count(*) AS n FROM person').get() as { n: number }).n);
    } finally {
      copy.close();
    }
    expect(fs.readdirSync(path.join(ws.dir, 'backups'))).toEqual([taken.name]);
  });

  it('never lists a copy cut short: a failed copy leaves no file, and one a killed application left is cleared at start', async () => {
    const { ws } = open();
    const dir = path.join(ws.dir, 'backups');
    const target = path.join(dir, 'out.bak');
    fs.mkdirSync(dir, { recursive: true });
    await expect(copyDatabaseOnThread(path.join(ws.dir, 'no-such.sqlite'), target)).rejects.toThrow(/unable to open|no such|not exist/i);
    expect(fs.existsSync(target)).toBe(false);

    const leftOver = 'tirkeu.sqlite.daily.2020-01-01T00-00-00-000Z.bak.partial';
    fs.writeFileSync(path.join(dir, leftOver), 'half a copy');
    expect(listBackups(ws.app)).toEqual([]);
    const stop = startBackupSchedule(ws.app);
    try {
      await backupsSettled(ws.app);
      await vi.waitFor(() => expect(listBackups(ws.app).map((b) => b.kind)).toEqual(['daily']));
      expect(fs.readdirSync(dir).filter((n) => n.endsWith('.partial'))).toEqual([]);
    } finally {
      stop();
    }
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

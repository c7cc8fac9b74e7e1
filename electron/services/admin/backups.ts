/**
 * Backups of the workstation's database (issue 16): consistent copies made with SQLite's `VACUUM INTO` into
 * `backups/` inside the data folder, one a day (at start-up when the newest is older than a day, then checked every
 * hour while the application runs) and on demand, kept `backup.keepDays` days (default 14); and a restore that
 * first shows what a copy holds and keeps a safety copy of the current database before replacing it. The daily and
 * on-demand copies, and the check of a copy before a restore, run on a worker thread (admin/maintenance-thread.ts): at
 * 2,000,000 people the copy is about 900 MB, and the first start of each day used to wait for it.
 *
 * The restore swaps the database under the running application context (`app.db`): every service reads `app.db`
 * per call, so the Electron window and the web host go on without a restart. The caller's session is ended (the
 * restored staff table may differ), so the administrator logs in again against the restored data.
 *
 * The pre-migration copies db/connection.ts writes (`tirkeu.sqlite.v<N>.<time>.bak`) sit in the same folder; they
 * are listed and can be restored, but retention leaves them alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../common/errors';
import { databaseContents, readBackupContents, vacuumInto, type BackupContents } from '../../../db/backups';
import type { Actor } from '../../../db/audit';
import { recordChange } from '../../../db/change';
import { openDatabase } from '../../../db/connection';
import { SCHEMA_VERSION } from '../../../db/migrations';
import { getSetting, setSetting } from '../../../db/settings';
import type { StaffRow } from '../../../db/staff';
import { DATABASE_FILE, type AppContext } from '../app';
import { actorOf } from '../auth';
import { sealPlainSecretsIn } from '../sealed-settings';
import { backupContentsOnThread, copyDatabaseOnThread } from './maintenance-thread';
import { startSync, stopSync, syncRunning } from '../sync/index';

export const BACKUP_KINDS = ['daily', 'manual', 'before-restore', 'before-upgrade'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

export interface BackupFile {
  name: string;
  kind: BackupKind;
  takenAt: string;
  bytes: number;
}

export const DEFAULT_KEEP_DAYS = 14;
const KEEP_DAYS_SETTING = 'backup.keepDays';
const DAY_MS = 86_400_000;
const CHECK_EVERY_MS = 3_600_000;

// `tirkeu.sqlite.daily.2026-12-06T02-30-00-000Z.bak`; the pre-migration copies read `tirkeu.sqlite.v9.<time>.bak`.
const NAME = /^tirkeu\.sqlite\.(daily|manual|before-restore|v\d+)\.(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.bak$/;

export function backupsDir(app: AppContext): string {
  return path.join(app.dataDir, 'backups');
}

function parseName(name: string): { kind: BackupKind; takenAt: string } | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const kind = m[1]!.startsWith('v') ? 'before-upgrade' : (m[1] as BackupKind);
  return { kind, takenAt: `${m[2]}T${m[3]}:${m[4]}:${m[5]}.${m[6]}Z` };
}

/** Every backup in the folder, newest first. */
export function listBackups(app: AppContext): BackupFile[] {
  const dir = backupsDir(app);
  if (!fs.existsSync(dir)) return [];
  const out: BackupFile[] = [];
  for (const name of fs.readdirSync(dir)) {
    const parsed = parseName(name);
    if (!parsed) continue;
    out.push({ name, ...parsed, bytes: fs.statSync(path.join(dir, name)).size });
  }
  return out.sort((a, b) => (a.takenAt < b.takenAt ? 1 : a.takenAt > b.takenAt ? -1 : a.name < b.name ? 1 : -1));
}

export function keepDays(app: AppContext): number {
  return getSetting<number>(app.db, KEEP_DAYS_SETTING) ?? DEFAULT_KEEP_DAYS;
}

export function setKeepDays(app: AppContext, admin: StaffRow, days: number): number {
  recordChange(app.db, actorOf(admin), app.clock(), () => setSetting(app.db, KEEP_DAYS_SETTING, days), {
    audit: { action: 'backup.keep-days', entity: 'setting', entityId: KEEP_DAYS_SETTING, details: { days } },
  });
  pruneBackups(app);
  return days;
}

/** Backups being written, per application: a restore waits for them, and the schedule never starts a second one. */
const inFlight = new WeakMap<AppContext, Set<Promise<unknown>>>();
/** Where a copy is written before it gets its name: a copy cut short (a crash, a full disk) is never listed. */
const PARTIAL = '.partial';

interface NewCopy {
  name: string;
  file: string;
  takenAt: string;
  /** Where it is written until whole (a leftover under that name is cleared). */
  partial: string;
}

/**
 * The next copy's name, or the copy already under it: two copies in the same millisecond (a test, a double click)
 * would collide, and VACUUM INTO refuses an existing file.
 */
function newCopy(app: AppContext, kind: BackupKind): NewCopy | { taken: BackupFile } {
  const dir = backupsDir(app);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const at = app.clock();
  const name = `${DATABASE_FILE}.${kind}.${at.toISOString().replace(/[:.]/g, '-')}.bak`;
  const file = path.join(dir, name);
  if (fs.existsSync(file)) return { taken: { name, kind, takenAt: at.toISOString(), bytes: fs.statSync(file).size } };
  const partial = file + PARTIAL;
  fs.rmSync(partial, { force: true });
  return { name, file, takenAt: at.toISOString(), partial };
}

function finished(app: AppContext, b: NewCopy, kind: BackupKind): BackupFile {
  fs.chmodSync(b.partial, 0o600); // the user's alone, like the database
  fs.renameSync(b.partial, b.file);
  const bytes = fs.statSync(b.file).size;
  app.log.info('backup.taken', { name: b.name, kind, bytes });
  return { name: b.name, kind, takenAt: b.takenAt, bytes };
}

/**
 * A copy of the database now, made on a worker thread with a connection of its own (admin/maintenance-thread.ts): the
 * desk goes on answering, and saving, while it is written; the copy is the database as it was when the copy began.
 * An in-memory database (the demo, tests) is copied on this thread: no other thread can open it.
 */
export async function takeBackup(app: AppContext, kind: 'daily' | 'manual'): Promise<BackupFile> {
  const b = newCopy(app, kind);
  if ('taken' in b) return b.taken;
  const copy = app.db.memory ? (async () => vacuumInto(app.db, b.partial))() : copyDatabaseOnThread(app.db.name, b.partial);
  const running = inFlight.get(app) ?? new Set();
  inFlight.set(app, running);
  running.add(copy);
  try {
    await copy;
  } catch (error) {
    fs.rmSync(b.partial, { force: true });
    throw error;
  } finally {
    running.delete(copy);
  }
  return finished(app, b, kind);
}

/** Settles when every backup being written now is done (or failed). */
export async function backupsSettled(app: AppContext): Promise<void> {
  await Promise.allSettled([...(inFlight.get(app) ?? [])]);
}

/**
 * The restore's safety copy: on the desk's connection, synchronously, because the restore replaces the database
 * right after it and no save may come in between (it would be in neither the copy nor the restored database).
 */
function takeSafetyCopy(app: AppContext): BackupFile {
  const b = newCopy(app, 'before-restore');
  if ('taken' in b) return b.taken;
  vacuumInto(app.db, b.partial);
  return finished(app, b, 'before-restore');
}

/**
 * Deletes the copies older than the kept days; the newest copy always stays, however old, so a clinic that was
 * closed for a month still has one. The pre-migration copies are left alone.
 */
export function pruneBackups(app: AppContext): string[] {
  const cutoff = app.clock().getTime() - keepDays(app) * DAY_MS;
  const all = listBackups(app).filter((b) => b.kind !== 'before-upgrade');
  const deleted: string[] = [];
  for (const b of all.slice(1)) {
    if (Date.parse(b.takenAt) >= cutoff) continue;
    fs.rmSync(path.join(backupsDir(app), b.name), { force: true });
    deleted.push(b.name);
  }
  if (deleted.length > 0) app.log.info('backup.pruned', { deleted });
  return deleted;
}

/** The daily copy, when the newest daily or manual copy is older than a day (or there is none). */
export async function backupIfDue(app: AppContext): Promise<BackupFile | null> {
  const newest = listBackups(app).find((b) => b.kind === 'daily' || b.kind === 'manual');
  if (newest && app.clock().getTime() - Date.parse(newest.takenAt) < DAY_MS) return null;
  const taken = await takeBackup(app, 'daily');
  pruneBackups(app);
  return taken;
}

/**
 * At start-up and then every hour: a failed copy (disk full) is logged, never stops the application. A copy still
 * being written when the next check comes is left to finish. Copies a killed application left half written go first.
 */
export function startBackupSchedule(app: AppContext): () => void {
  const dir = backupsDir(app);
  if (fs.existsSync(dir))
    for (const name of fs.readdirSync(dir)) if (name.endsWith(PARTIAL)) fs.rmSync(path.join(dir, name), { force: true });
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    backupIfDue(app)
      .catch((error: unknown) => app.log.error('backup.failed', { error: (error as Error).message }))
      .finally(() => (running = false));
  };
  tick();
  const timer = setInterval(tick, CHECK_EVERY_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}

function fileOf(app: AppContext, name: string): string {
  // Only a name the list shows: no path, no stray file.
  if (!parseName(name) || !fs.existsSync(path.join(backupsDir(app), name)))
    throw new ApiError('not-found', `no backup named ${name}`, { name });
  return path.join(backupsDir(app), name);
}

export interface BackupPreview {
  backup: BackupFile;
  contents: BackupContents;
  /** The same counts of the database in use, to compare. */
  current: BackupContents;
}

function contentsOf(file: string): BackupContents {
  try {
    return readBackupContents(file);
  } catch (error) {
    throw new ApiError('backup-unusable', `the backup cannot be read: ${(error as Error).message}`);
  }
}

/** What a backup holds beside the database in use; the file is checked on a worker thread (it reads all of it). */
export async function previewBackup(app: AppContext, name: string): Promise<BackupPreview> {
  const file = fileOf(app, name);
  const backup = listBackups(app).find((b) => b.name === name)!;
  let contents: BackupContents;
  try {
    contents = await backupContentsOnThread(file);
  } catch (error) {
    throw new ApiError('backup-unusable', `the backup cannot be read: ${(error as Error).message}`);
  }
  return { backup, contents, current: databaseContents(app.db) };
}

/**
 * Replaces the database with a backup: checks the copy, writes a safety copy of the current database, puts the
 * backup in place (a rename, so a crash leaves one whole file or the other) and reopens it, upgrading an older
 * schema as any start-up would. If the restored file cannot be opened, the safety copy goes back.
 */
export function restoreBackup(
  app: AppContext,
  admin: StaffRow | Actor,
  name: string,
): { restored: BackupFile; safetyCopy: BackupFile; contents: BackupContents } {
  const file = fileOf(app, name);
  const restored = listBackups(app).find((b) => b.name === name)!;
  const contents = contentsOf(file);
  if (contents.schemaVersion > SCHEMA_VERSION)
    throw new ApiError(
      'backup-unusable',
      `the backup has schema version ${contents.schemaVersion}, newer than this Tirkeu (${SCHEMA_VERSION})`,
    );
  const safetyCopy = takeSafetyCopy(app);
  const live = path.join(app.dataDir, DATABASE_FILE);
  const incoming = `${live}.restoring`;
  fs.copyFileSync(file, incoming);
  fs.chmodSync(incoming, 0o600);
  app.db.close();
  try {
    swapIn(live, incoming);
    app.db = openDatabase(live).db;
  } catch (error) {
    app.log.error('backup.restore-failed', { name, error: (error as Error).message });
    fs.copyFileSync(path.join(backupsDir(app), safetyCopy.name), incoming);
    swapIn(live, incoming);
    app.db = openDatabase(live).db;
    throw new ApiError('backup-unusable', `the backup could not be opened; the database in use was put back: ${(error as Error).message}`);
  }
  // A copy from before secrets were sealed holds them in the clear: sealed now, as at any start-up (app.ts).
  sealPlainSecretsIn(app.db, app.secrets);
  const actor = 'password_hash' in admin ? actorOf(admin) : admin;
  recordChange(app.db, actor, app.clock(), () => undefined, {
    audit: { action: 'backup.restored', entity: 'backup', entityId: name, details: { safetyCopy: safetyCopy.name } },
  });
  app.log.info('backup.restored', { name, safetyCopy: safetyCopy.name });
  return { restored, safetyCopy, contents };
}

/**
 * The restore the screen and the CLI call: the sync loop, when it runs, is stopped first (its round in flight
 * finishes against the database it started on) and started again on the restored one.
 */
export async function restoreBackupPausingSync(
  app: AppContext,
  admin: StaffRow | Actor,
  name: string,
): Promise<ReturnType<typeof restoreBackup>> {
  const wasRunning = syncRunning(app);
  if (wasRunning) await stopSync(app);
  try {
    await backupsSettled(app); // a copy being written reads the file the restore replaces
    return restoreBackup(app, admin, name);
  } finally {
    if (wasRunning) startSync(app);
  }
}

/** The closed database's WAL companions go first: left behind, SQLite would replay them into the restored file. */
function swapIn(live: string, incoming: string): void {
  for (const f of [`${live}-wal`, `${live}-shm`]) fs.rmSync(f, { force: true });
  fs.renameSync(incoming, live);
}

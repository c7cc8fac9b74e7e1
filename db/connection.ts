/**
 * The workstation's one SQLite connection: WAL, synchronous=FULL (an action reported as saved survives power
 * loss), foreign keys on. Migrations run in one transaction after a backup; a database written by a newer
 * version of the application is refused rather than guessed at.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, type Migration } from './migrations';
import { systemClock } from '../common/clock';
import { exactNameKey } from '../common/text';

export type Db = Database.Database;

/** The page size of a database this version creates (see openDatabase). */
export const PAGE_SIZE = 16384;

export class DatabaseVersionError extends Error {
  readonly code = 'db-newer';
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `The database ${file} has schema version ${found}, written by a newer Tirkeu; this version supports up to ${supported}. ` +
        `Install the newer version of Tirkeu; the database was not changed.`,
    );
    this.name = 'DatabaseVersionError';
  }
}

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** Folder for pre-migration backups (default: `backups/` beside the database). */
  backupDir?: string;
  readonly?: boolean;
  /** The migration list (tests replace it to exercise upgrades). */
  migrations?: readonly Migration[];
}

export interface OpenResult {
  db: Db;
  /** Versions applied by this open, and the backup written before them. */
  migrated: { from: number; to: number; backup: string | null } | null;
}

export function openDatabase(file: string, options: OpenOptions = {}): OpenResult {
  let fresh = file === ':memory:';
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
    // 0600 from the start: SQLite gives the -wal and -shm files the database file's mode.
    if (!options.readonly) fs.closeSync(fs.openSync(file, 'a', 0o600));
    fresh = !options.readonly && fs.statSync(file).size === 0;
  }
  const db = new Database(file, { readonly: options.readonly ?? false });
  try {
    if (!options.readonly) {
      // A new database gets 16 KiB pages (SQLite's default is 4 KiB; an existing file keeps its own, as WAL mode
      // cannot change it). The population register is most of the file — 2,000,000 people are about 900 MB — and
      // its import copies it whole into the WAL and then into the file: a quarter as many pages to write was
      // 0.6 s less for that copy and its commit, and 2 s less for the checkpoint after, with the desk's small
      // writes no slower (bench: people.durable_write).
      if (fresh) db.pragma(`page_size = ${PAGE_SIZE}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      // A deleted or overwritten value (a secret sealed at upgrade, a removed record) is zeroed, not left in free space.
      db.pragma('secure_delete = ON');
      if (file !== ':memory:') restrictModes(file);
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const migrations = options.migrations ?? MIGRATIONS;
    const latest = migrations.length;
    const found = schemaVersion(db);
    if (found > latest) throw new DatabaseVersionError(file, found, latest);
    let migrated: OpenResult['migrated'] = null;
    if (found < latest && options.migrate !== false && !options.readonly) {
      const backup = found > 0 && file !== ':memory:' ? backupBeforeMigration(db, file, found, options.backupDir) : null;
      migrate(db, migrations);
      migrated = { from: found, to: latest, backup };
    }
    return { db, migrated };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** A connection setting held for someone: how many hold it, and what taking it returned (the value to give back). */
export interface SettingHold<S> {
  count: number;
  taken: S;
}

/**
 * Holds a setting of `db`'s connection that several may need at once (a second register import may start before
 * the first has let go): the first hold takes it, the last release gives it back. The returned release counts once,
 * however often it is called. `holds` is the caller's registry of held connections.
 */
export function holdSetting<S>(holds: WeakMap<Db, SettingHold<S>>, db: Db, take: () => S, giveBack: (taken: S) => void): () => void {
  let hold = holds.get(db);
  if (!hold) {
    hold = { count: 0, taken: take() };
    holds.set(db, hold);
  }
  const held = hold;
  held.count++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--held.count > 0) return;
    holds.delete(db);
    giveBack(held.taken);
  };
}

/**
 * `use` with a read-only connection of its own to an existing file, closed after: a backup file read, or the live
 * database read by a worker thread — one snapshot (WAL included) while the desk's connection goes on writing, and
 * nothing in the file ever written.
 */
export function withReadOnlyConnection<T>(file: string, use: (db: Db) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/** The database and its companions readable by the user alone (an older version made them 0644). */
function restrictModes(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every pending migration in one transaction: either all of them land, or none. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations.length;
  const from = schemaVersion(db);
  if (from > latest) throw new DatabaseVersionError(db.name, from, latest);
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return from;
  registerMigrationFunctions(db);
  db.transaction(() => {
    for (const m of pending) db.exec(m.sql);
    db.pragma(`user_version = ${latest}`);
  }).immediate();
  return latest;
}

/** Functions a migration's SQL calls to fill a new column the way the application computes it. */
function registerMigrationFunctions(db: Db): void {
  db.function('tirkeu_exact_name_key', { deterministic: true }, (name: unknown) => exactNameKey(name as string | null));
}

/** `VACUUM INTO` writes a consistent copy synchronously, WAL contents included. */
function backupBeforeMigration(db: Db, file: string, version: number, dir?: string): string {
  const folder = dir ?? path.join(path.dirname(path.resolve(file)), 'backups');
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const stamp = systemClock().toISOString().replace(/[:.]/g, '-');
  const target = path.join(folder, `${path.basename(file)}.v${version}.${stamp}.bak`);
  db.prepare('VACUUM INTO ?').run(target);
  fs.chmodSync(target, 0o600);
  return target;
}

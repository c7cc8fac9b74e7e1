/**
 * The SQL of database backups (electron/services/admin/backups.ts): a consistent copy with `VACUUM INTO` (on the
 * desk's connection, or on a worker thread's own), and what a backup file holds, read without changing it, for the
 * restore preview.
 */
import { withReadOnlyConnection, type Db } from './connection';

/** A consistent copy of the live database, WAL contents included, written synchronously to `target`. */
export function vacuumInto(db: Db, target: string): void {
  db.prepare('VACUUM INTO ?').run(target);
}

/**
 * The same copy through a connection of its own, for a worker thread (electron/services/admin/maintenance-worker.ts):
 * read-only, so it reads one snapshot of the database (WAL included) while the desk's connection goes on writing,
 * and never writes the database itself.
 */
export function copyDatabaseFile(source: string, target: string): void {
  withReadOnlyConnection(source, (db) => vacuumInto(db, target));
}

export interface BackupContents {
  schemaVersion: number;
  people: number;
  requests: number;
  staff: number;
  auditEntries: number;
  /** The newest audit entry's time: the last thing anyone did before the copy. */
  lastAuditAt: string | null;
  organization: { kk: string; ru: string } | null;
}

const countOf = (db: Db, table: string): number => {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
  return exists ? (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n : 0;
};

/** What a database holds: the counts the restore preview compares. */
export function databaseContents(db: Db): BackupContents {
  const has = (t: string) => !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t);
  if (!has('audit_log') || !has('organization') || !has('person')) throw new Error('the file is not a Tirkeu database');
  const last = db.prepare('SELECT at FROM audit_log ORDER BY id DESC LIMIT 1').get() as { at: string } | undefined;
  const org = db.prepare('SELECT name_kk, name_ru FROM organization LIMIT 1').get() as { name_kk: string; name_ru: string } | undefined;
  return {
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    people: countOf(db, 'person'),
    requests: countOf(db, 'service_request'),
    staff: countOf(db, 'staff'),
    auditEntries: countOf(db, 'audit_log'),
    lastAuditAt: last?.at ?? null,
    organization: org ? { kk: org.name_kk, ru: org.name_ru } : null,
  };
}

/**
 * What a backup file holds. Opened read-only and never migrated; a damaged file, or one that is not a Tirkeu
 * database (no audit log, no organization), throws, so a stray file in the folder cannot be restored.
 */
export function readBackupContents(file: string): BackupContents {
  return withReadOnlyConnection(file, (db) => {
    const quick = db.pragma('quick_check', { simple: true });
    if (quick !== 'ok') throw new Error(`the file fails SQLite's check: ${String(quick)}`);
    return databaseContents(db);
  });
}

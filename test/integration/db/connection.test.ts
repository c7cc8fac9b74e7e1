import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { DatabaseVersionError, openDatabase, PAGE_SIZE, schemaVersion } from '../../../db/connection';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../db/migrations';
import { tempDir } from '../../helpers/app';

const dirs: string[] = [];
const fresh = () => {
  const d = tempDir('tirkeu-db-');
  dirs.push(d);
  return path.join(d, 'w.sqlite');
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('opening the database', () => {
  it('creates a WAL database with synchronous=FULL, foreign keys and the latest schema', () => {
    const file = fresh();
    const { db, migrated } = openDatabase(file);
    expect(migrated).toEqual({ from: 0, to: SCHEMA_VERSION, backup: null });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
    expect(fs.existsSync(file)).toBe(true);
  });

  it('creates a new database with 16 KiB pages, and leaves an existing one with the pages it has', () => {
    const file = fresh();
    openDatabase(file).db.close();
    const reopened = openDatabase(file).db;
    expect(reopened.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    reopened.close();
    expect(PAGE_SIZE).toBe(16384);

    // A database an earlier version created (SQLite's default 4 KiB pages, WAL): opened, migrated and written as it is.
    const older = fresh();
    const raw = new Database(older);
    raw.pragma('journal_mode = WAL');
    raw.exec('CREATE TABLE kept (x INTEGER)');
    raw.close();
    const { db } = openDatabase(older);
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
    const inMemory = openDatabase(':memory:').db;
    expect(inMemory.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    inMemory.close();
  });

  it('has STRICT tables: a wrong type is refused, not coerced', () => {
    const { db } = openDatabase(fresh());
    expect(() =>
      db
        .prepare(
          `INSERT INTO staff (login, full_name, role, password_hash, failed_attempts, created_at, updated_at)
                  VALUES ('x', 'X', 'registrar', 'h', 'many', '', '')`,
        )
        .run(),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
    db.close();
  });

  it('refuses a database from a newer version and leaves it untouched', () => {
    const file = fresh();
    openDatabase(file).db.close();
    const raw = openDatabase(file, { migrate: false }).db;
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(DatabaseVersionError);
    expect(() => openDatabase(file)).toThrow(/newer Tirkeu/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('backs up before migrating an existing database, and applies all pending migrations in one transaction', () => {
    const file = fresh();
    const { db } = openDatabase(file);
    db.prepare("INSERT INTO setting (key, value) VALUES ('kept', '\"yes\"')").run();
    db.close();
    const next = [
      ...MIGRATIONS,
      { version: SCHEMA_VERSION + 1, name: 'extra', sql: 'CREATE TABLE extra (id INTEGER PRIMARY KEY) STRICT;' },
    ];
    const reopened = openDatabase(file, { migrations: next });
    expect(reopened.migrated?.from).toBe(SCHEMA_VERSION);
    expect(reopened.migrated?.to).toBe(SCHEMA_VERSION + 1);
    const backup = reopened.migrated!.backup!;
    expect(fs.existsSync(backup)).toBe(true);
    reopened.db.close();
    const old = openDatabase(backup, { migrate: false, readonly: true }).db;
    expect(schemaVersion(old)).toBe(SCHEMA_VERSION);
    expect(old.prepare("SELECT value FROM setting WHERE key = 'kept'").get()).toEqual({ value: '"yes"' });
    old.close();
  });

  it('a failing migration leaves the database at its old version with nothing half-applied', () => {
    const file = fresh();
    openDatabase(file).db.close();
    const broken = [
      ...MIGRATIONS,
      { version: SCHEMA_VERSION + 1, name: 'ok', sql: 'CREATE TABLE half (id INTEGER PRIMARY KEY) STRICT;' },
      { version: SCHEMA_VERSION + 2, name: 'bad', sql: 'CREATE TABLE nonsense (;' },
    ];
    expect(() => openDatabase(file, { migrations: broken })).toThrow();
    const { db } = openDatabase(file, { migrate: false });
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
    db.close();
  });
});

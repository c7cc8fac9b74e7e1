/**
 * A register import's loading of the person table (electron/services/population-import.ts), built so that a
 * cancelled or crashed import leaves the previous register as it was:
 *
 * 1. Rows go into a staging database of their own (a file beside the workstation's, attached), written without a
 *    journal or fsync — nothing in it matters until it is complete, and a crash leaves only a file the next import
 *    deletes. The workstation's database is not written at all meanwhile, so the desk keeps writing. Rows are
 *    stored as plain columns, each row's JSON parsed once while the worker parses the next batch.
 * 2. The import's worker thread then finishes on a connection of its own (finishPersonImport), so the main
 *    thread's event loop stays free: it builds the new table in the staging file — the staged rows merged with the
 *    people already there (kept when the file lacks them; address and phone kept when the file has none), inserted
 *    in IIN order so the table and its IIN index grow by appending, the name indexes built once at the end (sorted
 *    builds) — without locking the workstation's database.
 * 3. One short transaction swaps it in: the old table dropped, the built one copied in whole (pages appended, no
 *    sort, no index build). Either it commits or the old register stays. The desk reads the old register through
 *    WAL until then; a desk write waits only for this copy and its commit (about 0.3 s at 200,000 people, 5 s at
 *    2,000,000, on the bench's machine).
 *    Had the desk changed a person during the build, the transaction merges again from the staged rows instead
 *    (swapIn: longer, but nothing the desk wrote is lost).
 */
import fs from 'node:fs';
import { PACKED_COLUMNS } from './person-packing';
import { openDatabase, type Db } from './connection';
import { resetPeopleStatements } from './people';

const SCHEMA = 'person_staging';
const COLUMNS = PACKED_COLUMNS.join(', ');
const OPTIONAL = new Set<string>(['patronymic', 'address', 'phone']);
/**
 * The staging file goes without journal and fsync, and without secure_delete (which the workstation's connection
 * sets for all its databases: freed pages of the register are overwritten). Nothing in the staging file matters
 * until it is complete, a crash leaves only a file the next import deletes, and the file itself is deleted whole.
 */
const STAGING_PRAGMAS = `PRAGMA ${SCHEMA}.journal_mode = OFF; PRAGMA ${SCHEMA}.synchronous = OFF; PRAGMA ${SCHEMA}.secure_delete = OFF;`;
/** A packed row's cells as the staging table's columns. */
const STAGED = PACKED_COLUMNS.map((c, i) => (OPTIONAL.has(c) ? `nullif(v->>${i}, '')` : `v->>${i}`)).join(', ');

export interface PersonStaging {
  /** Stores one batch (a JSON array of rows, db/person-packing.ts); returns the number of rows. */
  store(packed: string): number;
  /** Builds the new person table from the staged rows and swaps it in, on this connection (an in-memory database). */
  swapIn(at: Date): number;
  /**
   * Detaches the complete staging file and names it and the database's file, for finishPersonImport on another
   * thread; null for an in-memory database (no other connection can reach it: swapIn it is). After the finish
   * (or a failure), discard removes the staging file.
   */
  handOver(): { dbFile: string; stagingFile: string } | null;
  /** Forgets the staged rows (cancel, failure): the person table was never touched. */
  discard(): void;
}

export function stagingFileOf(db: Db): string {
  return db.memory ? ':memory:' : `${db.name}.import`;
}

function removeStagingFiles(file: string): void {
  if (file === ':memory:') return;
  for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
}

/** Attaches a fresh staging database (a previous import's leftover is deleted first). */
export function openPersonStaging(db: Db): PersonStaging {
  const file = stagingFileOf(db);
  if (isAttached(db)) db.exec(`DETACH DATABASE ${SCHEMA}`);
  removeStagingFiles(file);
  db.prepare(`ATTACH DATABASE ? AS ${SCHEMA}`).run(file);
  let attached = true;
  let removed = false;
  const detach = () => {
    if (!attached) return;
    attached = false;
    db.exec(`DETACH DATABASE ${SCHEMA}`);
  };
  const close = () => {
    detach();
    if (removed) return;
    removed = true;
    removeStagingFiles(file);
  };
  try {
    // Only the staging file goes without journal and fsync; the workstation's database keeps WAL + FULL.
    db.exec(STAGING_PRAGMAS);
    // Plain columns, appended as they arrive (each batch one autocommit that writes only new pages); the finish
    // sorts them once. (A table keyed by IIN would be rewritten page by page at every batch.)
    db.exec(`CREATE TABLE ${SCHEMA}.person_load (${COLUMNS})`);
  } catch (error) {
    close();
    throw error;
  }
  // Autocommit of one statement (a deferred transaction): only the staging database is written, the
  // workstation's is not locked.
  // The batch goes in as one JSON text in one statement, with no call per row or cell; an absent value is NULL.
  // Each row's JSON text is parsed once (to JSONB, materialized), not once per cell.
  const insert = db.prepare(
    `WITH b(v) AS MATERIALIZED (SELECT jsonb(value) FROM json_each(?)) INSERT INTO ${SCHEMA}.person_load (${COLUMNS}) SELECT ${STAGED} FROM b`,
  );
  return {
    store: (packed) => insert.run(packed).changes,
    swapIn(at) {
      try {
        return swapIn(db, at);
      } finally {
        close();
      }
    },
    handOver() {
      if (db.memory) return null;
      detach();
      return { dbFile: db.name, stagingFile: file };
    },
    discard: close,
  };
}

/**
 * The finishing step on a connection of its own (the import's worker thread): attaches the staging file a
 * handOver named, builds and swaps in the new register in one transaction, and returns the people in it. Only the
 * swap's transaction holds the database's write lock; readers on other connections go on reading the old register
 * (WAL) until it commits. A thread or process that dies before the commit leaves the old register.
 */
export function finishPersonImport(dbFile: string, stagingFile: string, at: Date, cancelled: () => boolean = () => false): number {
  const { db } = openDatabase(dbFile, { migrate: false });
  try {
    db.prepare(`ATTACH DATABASE ? AS ${SCHEMA}`).run(stagingFile);
    db.exec(STAGING_PRAGMAS);
    // The desk's own writes may hold the lock for a moment; this thread can wait (the main thread does not).
    db.pragma('busy_timeout = 60000');
    const count = buildThenSwap(db, at, cancelled) ?? swapIn(db, at);
    db.exec(`DETACH DATABASE ${SCHEMA}`);
    return count;
  } finally {
    db.close();
  }
}

/** The finishing step stopped at the import's cancellation, before its swap began: the register is as it was. */
export class ImportFinishCancelled extends Error {
  constructor() {
    super('The register import was cancelled while its new register was being built.');
    this.name = 'ImportFinishCancelled';
  }
}

function isAttached(db: Db): boolean {
  return (db.pragma('database_list') as Array<{ name: string }>).some((d) => d.name === SCHEMA);
}

/** The person table's own DDL and its indexes', as the migrations left them. */
function personSchema(db: Db): { table: string; indexes: string[] } {
  const rows = db
    .prepare(`SELECT type, sql FROM main.sqlite_schema WHERE tbl_name = 'person' AND sql IS NOT NULL ORDER BY type DESC, name`)
    .all() as Array<{ type: string; sql: string }>;
  const table = rows.find((r) => r.type === 'table')!.sql;
  return { table, indexes: rows.filter((r) => r.type === 'index').map((r) => r.sql) };
}

/** Tables whose rows point at a person: checked after the swap. */
function tablesReferencingPerson(db: Db): string[] {
  return (
    db.prepare(`SELECT name FROM main.sqlite_schema WHERE type = 'table' AND sql LIKE '%REFERENCES person(%'`).all() as Array<{
      name: string;
    }>
  ).map((r) => r.name);
}

/** What the person table looked like: a change between the build and the swap shows in one of these. */
function personFingerprint(db: Db): string {
  return JSON.stringify(db.prepare('SELECT count(*), max(updated_at), max(rowid) FROM main.person').raw().get());
}

/**
 * The finish with the write lock held only for a page copy: the new register is built in the staging file — the
 * merge, the sorted insert and the index builds, without a journal and without locking the workstation's
 * database — and the swap's short transaction then drops the old table and copies the built one in whole (SQLite's
 * transfer of a table with identical definition and indexes into an empty one: pages appended, no sort, no index
 * build). If the person table changed meanwhile (the desk added or edited someone), null: the caller merges again
 * inside the write transaction (swapIn).
 */
function buildThenSwap(db: Db, at: Date, cancelled: () => boolean): number | null {
  // Asked between the steps (each one statement SQLite runs to its end): a Stop lands within one step, and never
  // once the swap's transaction has begun — from there the import completes.
  const goOn = () => {
    if (cancelled()) throw new ImportFinishCancelled();
  };
  const { table, indexes } = personSchema(db);
  const built = table.replace(/^CREATE TABLE\s+("?)person\1\s*\(/i, `CREATE TABLE ${SCHEMA}.person (`);
  if (built === table) throw new Error('unexpected person table definition');
  const builtIndexes = indexes.map((sql) => sql.replace(/^CREATE (UNIQUE )?INDEX\s+/i, (m) => `${m}${SCHEMA}.`));
  const cols = `${COLUMNS}, source, updated_at`;
  const before = personFingerprint(db);
  const referencing = tablesReferencingPerson(db);
  // SQLite's sorter may use a helper thread for the sorted copy and the index builds (the shell's default is
  // none): the main thread only waits meanwhile. The page cache stays small on purpose: with a cache of hundreds
  // of megabytes the sorter sorts one huge run in memory, slower than many small runs merged (2,000,000 people:
  // the sorted copy 10.8 s → 5.7 s, each index build 3.4 s → 2.3 s, measured with the bench's register).
  const threadsBefore = db.pragma('threads', { simple: true }) as number;
  db.pragma('threads = 2');
  try {
    goOn();
    db.exec(built);
    db.prepare(`INSERT INTO ${SCHEMA}.person (${cols}) ${mergedRows(db)}`).run({ stamp: at.toISOString() });
    for (const sql of builtIndexes) {
      goOn();
      db.exec(sql);
    }
    goOn();
    db.pragma('foreign_keys = OFF');
    return db
      .transaction(() => {
        if (personFingerprint(db) !== before) return null;
        db.exec('DROP TABLE main.person');
        db.exec(table);
        for (const sql of indexes) db.exec(sql);
        db.exec(`INSERT INTO main.person SELECT * FROM ${SCHEMA}.person`);
        for (const t of referencing) {
          const broken = db.pragma(`foreign_key_check(${t})`) as unknown[];
          if (broken.length) throw new Error(`the new register lacks ${broken.length} people that ${t} points at`);
        }
        return (db.prepare('SELECT count(*) FROM main.person').pluck().get() as number) ?? 0;
      })
      .immediate();
  } finally {
    db.pragma('foreign_keys = ON');
    db.pragma(`threads = ${threadsBefore}`);
    resetPeopleStatements(db);
  }
}

/** The new register's rows in IIN order: the staged ones, and the people already there that the file lacks. */
function mergedRows(db: Db): string {
  const cols = `${COLUMNS}, source, updated_at`;
  const hadPeople = !!db.prepare('SELECT 1 FROM main.person LIMIT 1').get();
  const staged = PACKED_COLUMNS.map((c) => (c === 'address' || c === 'phone' ? `coalesce(s.${c}, p.${c})` : `s.${c}`)).join(', ');
  return hadPeople
    ? `SELECT ${staged}, 'register', @stamp FROM ${SCHEMA}.person_load s LEFT JOIN main.person p ON p.iin = s.iin
       UNION ALL
       SELECT ${cols} FROM main.person WHERE iin NOT IN (SELECT iin FROM ${SCHEMA}.person_load)
       ORDER BY 1`
    : `SELECT ${COLUMNS}, 'register', @stamp FROM ${SCHEMA}.person_load ORDER BY iin`;
}

function swapIn(db: Db, at: Date): number {
  const { table, indexes } = personSchema(db);
  const created = table.replace(/^CREATE TABLE\s+("?)person\1\s*\(/i, 'CREATE TABLE person_new (');
  if (created === table) throw new Error('unexpected person table definition');
  const stamp = at.toISOString();
  const cols = `${COLUMNS}, source, updated_at`;
  const merged = mergedRows(db);
  const referencing = tablesReferencingPerson(db);
  // The old table is dropped while other tables' rows point at its people: foreign keys are off for the swap
  // (they cannot change inside a transaction) and checked before it commits.
  db.pragma('foreign_keys = OFF');
  // SQLite's sorter may use a helper thread for the sorted copy and the index builds (see buildThenSwap).
  const threadsBefore = db.pragma('threads', { simple: true }) as number;
  db.pragma('threads = 2');
  try {
    const count = db
      .transaction(() => {
        db.exec(created);
        db.prepare(`INSERT INTO main.person_new (${cols}) ${merged}`).run({ stamp });
        db.exec('DROP TABLE main.person');
        db.exec('ALTER TABLE main.person_new RENAME TO person');
        for (const sql of indexes) db.exec(sql);
        for (const t of referencing) {
          const broken = db.pragma(`foreign_key_check(${t})`) as unknown[];
          if (broken.length) throw new Error(`the new register lacks ${broken.length} people that ${t} points at`);
        }
        return (db.prepare('SELECT count(*) FROM main.person').pluck().get() as number) ?? 0;
      })
      .immediate();
    return count;
  } finally {
    db.pragma('foreign_keys = ON');
    db.pragma(`threads = ${threadsBefore}`);
    resetPeopleStatements(db);
  }
}

/**
 * A register import's loading of the person table (electron/services/population-import.ts), built so that a
 * cancelled or crashed import leaves the previous register as it was:
 *
 * 1. Rows go into staging files of their own beside the workstation's database (db/person-staging.ts), written
 *    by the import's worker threads without a journal or fsync. The workstation's database is not written at all
 *    meanwhile, so the desk keeps writing.
 * 2. The import's first worker thread then finishes on a connection of its own (finishPersonImport), so the main
 *    thread's event loop stays free: it builds the new table in the first staging file — the staged rows merged with the
 *    people already there (kept when the file lacks them; address and phone kept when the file has none), inserted
 *    in IIN order so the table and its IIN index grow by appending, the first line winning where the file repeats
 *    an IIN (the repeats are found by this sort, not by a set of every IIN while reading), the name indexes built
 *    once at the end (sorted builds) — without locking the workstation's database.
 * 3. A register imported again is compared with the one in place, and where few people changed (the monthly
 *    case), one short transaction writes only the changed and the new rows (applyChanges). Otherwise,
 *    one short transaction swaps it in: the old table dropped (its pages zeroed), the built one copied in whole
 *    (pages appended, no sort, no index build). Either it commits or the old register stays. The desk reads the old
 *    register through WAL until then; a desk write waits only for this transaction (about 2.7 s at 2,000,000 people
 *    into an empty register in a database with 16 KiB pages, db/connection.ts; 3.7–4.6 s when an old register of
 *    that size is dropped in it; 3–5 s for an empty one in a database an earlier version created with 4 KiB pages).
 *    Had the desk changed a person during the build, the transaction merges again from the staged rows instead
 *    (swapIn: longer, but nothing the desk wrote is lost).
 * 4. The import answers once the swap has committed (the new register is durable in the WAL). The worker then
 *    copies it on into the database file (a checkpoint that does not block the desk) and cuts the WAL back.
 */
import { PACKED_COLUMNS } from './person-packing';
import { holdSetting, openDatabase, type Db, type SettingHold } from './connection';
import { resetPeopleStatements } from './people';
import { attachStaging, detachStaging, STAGING, stagedRows } from './person-staging';

const SCHEMA = STAGING[0];
const COLUMNS = PACKED_COLUMNS.join(', ');

/**
 * The finish on an in-memory database's own connection (no other thread can reach it): attaches the staging
 * files, builds the new register and swaps it in in one transaction.
 */
export function swapInStaged(db: Db, stagingFiles: readonly string[], build: RegisterBuild): RegisterSwapped {
  attachStaging(db, stagingFiles);
  try {
    return swapIn(db, { ...build, parts: stagingFiles.length });
  } finally {
    detachStaging(db);
  }
}

/**
 * The finishing step on a connection of its own (the import's worker thread): attaches the staging file a
 * handOver named, builds and swaps in the new register in one transaction, and returns the people in it. Only the
 * swap's transaction holds the database's write lock; readers on other connections go on reading the old register
 * (WAL) until it commits. `beforeSwap` is called just before that transaction begins (the import opens the desk's
 * swap window then). A thread or process that dies before the commit leaves the old register.
 */
export function finishPersonImport(
  { dbFile, stagingFiles, ...build }: { dbFile: string; stagingFiles: readonly string[] } & RegisterBuild,
  cancelled: () => boolean = () => false,
  swapped: (result: RegisterSwapped) => void = () => {},
  beforeSwap: () => void = () => {},
): RegisterSwapped {
  const { db } = openDatabase(dbFile, { migrate: false });
  try {
    attachStaging(db, stagingFiles);
    // The desk's own writes may hold the lock for a moment; this thread can wait (the main thread does not).
    db.pragma('busy_timeout = 60000');
    // The swap's commit makes the new register durable in the WAL; copying its pages on into the database file
    // (the checkpoint, 1.1 s at 2,000,000 people with 16 KiB pages) is done after `swapped` has told the import it is over.
    db.pragma('wal_autocheckpoint = 0');
    const staged: StagedBuild = { ...build, parts: stagingFiles.length };
    const result = buildThenSwap(db, staged, cancelled, beforeSwap) ?? swapIn(db, staged);
    detachStaging(db);
    swapped(result);
    checkpointAfterSwap(db);
    return result;
  } finally {
    db.close();
  }
}

/**
 * After a swap: the register's pages copied from the WAL into the database file without blocking the desk
 * (PASSIVE: its reads and writes go on), then the WAL file cut back to nothing once no desk read is under way
 * (it held the whole register: hundreds of megabytes on a modest disk). The main thread's connection does not
 * checkpoint meanwhile (pauseCheckpoints), so this copy never runs on its event loop.
 */
function checkpointAfterSwap(db: Db): void {
  db.pragma('wal_checkpoint(PASSIVE)');
  db.pragma('busy_timeout = 0');
  // Cutting the WAL back fails at once while a desk read is under way (busy). Left as it was, the WAL file keeps
  // what it held: a later, smaller transaction writes over only its start, and the old register's frames past that
  // stayed in the file (a test found its old addresses there). The desk's reads are short: tried again until the cut
  // is made, for at most CHECKPOINT_RETRY_MS, 20 ms apart, the desk writing in between.
  const until = performance.now() + CHECKPOINT_RETRY_MS;
  for (;;) {
    const [cut] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    if (!cut || cut.busy === 0 || performance.now() > until) break;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

/** How long the checkpoint after a swap keeps trying to cut the WAL back between the desk's reads. */
const CHECKPOINT_RETRY_MS = 10_000;

/** Connections whose automatic checkpoints an import has paused, with the setting before. */
const paused = new WeakMap<Db, SettingHold<number>>();

/**
 * Stops this connection's automatic checkpoints until the returned function is called: the import's main-thread
 * connection while its worker checkpoints the swapped-in register (a commit on this connection would otherwise copy
 * the whole register out of the WAL on the desk's event loop). A second import may start before the first one's
 * worker has ended: the setting comes back when the last of them releases it.
 */
export function pauseCheckpoints(db: Db): () => void {
  if (db.memory) return () => {};
  return holdSetting(
    paused,
    db,
    () => {
      const before = db.pragma('wal_autocheckpoint', { simple: true }) as number;
      db.pragma('wal_autocheckpoint = 0');
      return before;
    },
    (before) => {
      if (db.open) db.pragma(`wal_autocheckpoint = ${before}`);
    },
  );
}

/** What the new register is built from: the staged rows' count, its update stamp, how many repeats to list. */
export interface RegisterBuild {
  at: Date;
  /** Rows in the staging tables (the repeats of an IIN are those the new register did not take). */
  staged: number;
  listDuplicates: number;
  /** The first part's last line: the second part's lines are numbered on from it (person-staging.ts stagedRows). */
  lineOffset: number;
}

/** A build with the staging files it reads attached: how many there are (the file's parts, 1 or 2). */
type StagedBuild = RegisterBuild & { parts: number };

/** A swapped-in register: its size, and the file's rows whose IIN an earlier line of the file already had. */
export interface RegisterSwapped {
  registerSize: number;
  duplicates: { count: number; listed: Array<{ line: number; iin: string }> };
}

/** The finishing step stopped at the import's cancellation, before its swap began: the register is as it was. */
export class ImportFinishCancelled extends Error {
  constructor() {
    super('The register import was cancelled while its new register was being built.');
    this.name = 'ImportFinishCancelled';
  }
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
function buildThenSwap(db: Db, build: StagedBuild, cancelled: () => boolean, beforeSwap: () => void): RegisterSwapped | null {
  // Asked between the steps (each one statement SQLite runs to its end): a Stop lands within one step, and never
  // once the swap's transaction has begun — from there the import completes.
  const goOn = () => {
    if (cancelled()) throw new ImportFinishCancelled();
  };
  const { table, indexes } = personSchema(db);
  const built = table.replace(/^CREATE TABLE\s+("?)person\1\s*\(/i, `CREATE TABLE ${SCHEMA}.person (`);
  if (built === table) throw new Error('unexpected person table definition');
  const builtIndexes = indexes.map((sql) => sql.replace(/^CREATE (UNIQUE )?INDEX\s+/i, (m) => `${m}${SCHEMA}.`));
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
    const hadPeople = hasPeople(db);
    const duplicates = fillRegister(db, `${SCHEMA}.person`, build, hadPeople);
    goOn();
    if (hadPeople) {
      const registerSize = db.prepare(`SELECT count(*) FROM ${SCHEMA}.person`).pluck().get() as number;
      const indexed = indexedColumns(db);
      if (stageChanges(db, indexed) <= CHANGES_APPLIED_AT_MOST * registerSize) {
        goOn();
        beforeSwap();
        return applyChanges(db, indexed, before, { registerSize, duplicates });
      }
    }
    for (const sql of builtIndexes) {
      goOn();
      db.exec(sql);
    }
    goOn();
    // The desk's connection stops waiting for the lock from here until the import is over (db/swap-window.ts).
    beforeSwap();
    db.pragma('foreign_keys = OFF');
    return db
      .transaction(() => {
        if (personFingerprint(db) !== before) return null;
        dropRegister(db);
        db.exec(table);
        for (const sql of indexes) db.exec(sql);
        // OR FAIL: the same transfer into the empty table, but without a statement journal, which would first copy
        // out every page of the old register the copy reuses (1.5–1.8 s against 2.0–2.9 s at 2,000,000 people). A
        // failure still throws and rolls the whole swap back.
        // Its count of rows is the register's size (a count(*) inside the lock took 12–50 ms at 2,000,000).
        const registerSize = db.prepare(`INSERT OR FAIL INTO main.person SELECT * FROM ${SCHEMA}.person`).run().changes;
        for (const t of referencing) {
          const broken = db.pragma(`foreign_key_check(${t})`) as unknown[];
          if (broken.length) throw new Error(`the new register lacks ${broken.length} people that ${t} points at`);
        }
        return { registerSize, duplicates };
      })
      .immediate();
  } finally {
    db.pragma('foreign_keys = ON');
    db.pragma(`threads = ${threadsBefore}`);
    resetPeopleStatements(db);
  }
}

/**
 * A register imported again (the monthly case) differs from the one in place in a few rows: the people born or
 * moved in, the addresses and names that changed. Those rows alone are written under the write lock, where
 * replacing the whole register holds it while the old one's pages are zeroed, the new one is copied in and both go
 * through the WAL. Past this share of the people, the whole copy is the quicker swap: with 16 KiB pages of some 35
 * people each, changes spread over the register touch most pages long before they touch most people. Measured at
 * 2,000,000 people on the bench's machine: 1 % changed held the lock 4.0 s against the copy's 8.5 s, 3 % 7.6 s
 * against 7.1 s.
 */
const CHANGES_APPLIED_AT_MOST = 0.02;

const CHANGES = `${SCHEMA}.person_changes`;

/** The person table's columns that some index holds (the IIN and the name keys), from the schema itself. */
function indexedColumns(db: Db): Set<string> {
  const columns = new Set<string>();
  for (const { name } of db.pragma('main.index_list(person)') as Array<{ name: string }>)
    for (const c of db.pragma(`main.index_info("${name}")`) as Array<{ name: string }>) columns.add(c.name);
  return columns;
}

/** Whether the register in place has anyone in it (a first import has nothing to compare or merge with). */
function hasPeople(db: Db): boolean {
  return !!db.prepare('SELECT 1 FROM main.person LIMIT 1').get();
}

const ALL_COLUMNS = [...PACKED_COLUMNS, 'source', 'updated_at'];

/**
 * The built register's rows that are new or differ from the person table in anything but the update stamp, staged
 * in IIN order (both tables read in IIN order, without the write lock: readers see the register as committed);
 * returns how many. The built register keeps every person already there, so no row is missing from it. Each
 * staged row notes whether its indexed columns (the name keys) are as before: most changes are an address, and
 * writing those leaves the name indexes alone.
 */
function stageChanges(db: Db, indexed: ReadonlySet<string>): number {
  const compared = ALL_COLUMNS.filter((c) => c !== 'iin' && c !== 'updated_at');
  const keys = [...indexed].filter((c) => c !== 'iin');
  const row = (t: string, cols: string[]) => `(${cols.map((c) => `${t}.${c}`).join(', ')})`;
  db.exec(`DROP TABLE IF EXISTS ${CHANGES}`);
  db.exec(
    `CREATE TABLE ${CHANGES} AS SELECT n.*, (p.iin IS NOT NULL AND ${row('n', keys)} IS ${row('p', keys)}) AS keys_kept
     FROM ${SCHEMA}.person AS n LEFT JOIN main.person AS p ON p.iin = n.iin
     WHERE p.iin IS NULL OR ${row('n', compared)} IS NOT ${row('p', compared)} ORDER BY n.iin`,
  );
  return db.prepare(`SELECT count(*) FROM ${CHANGES}`).pluck().get() as number;
}

/**
 * The swap of a register imported again: the staged changes written into the person table in one short
 * transaction, in IIN order, unless the desk changed a person since they were found (null: the caller merges again
 * under the lock, as for a whole copy). A person whose name keys are as before has only the columns no index holds
 * written, so the name indexes, in name order and not in IIN order, are touched only for the renamed and the new
 * (every column in one upsert, 60,000 changes at 2,000,000 people took 8.3 s; written so, 6.4 s). Nobody leaves the
 * register, so every row pointing at a person still does; an old address or name a change overwrites is zeroed by
 * the connection's secure_delete like any update's.
 */
function applyChanges(db: Db, indexed: ReadonlySet<string>, before: string, result: RegisterSwapped): RegisterSwapped | null {
  const cols = ALL_COLUMNS.join(', ');
  const plain = ALL_COLUMNS.filter((c) => !indexed.has(c));
  const setAll = ALL_COLUMNS.filter((c) => c !== 'iin').map((c) => `${c} = excluded.${c}`);
  const update = db.prepare(
    `UPDATE main.person SET ${plain.map((c) => `${c} = c.${c}`).join(', ')} FROM ${CHANGES} AS c WHERE c.keys_kept AND main.person.iin = c.iin`,
  );
  const upsert = db.prepare(
    `INSERT INTO main.person (${cols}) SELECT ${cols} FROM ${CHANGES} WHERE NOT keys_kept ORDER BY rowid
     ON CONFLICT (iin) DO UPDATE SET ${setAll.join(', ')}`,
  );
  return db
    .transaction(() => {
      if (personFingerprint(db) !== before) return null;
      update.run();
      upsert.run();
      return result;
    })
    .immediate();
}

/**
 * Drops the old register inside the swap's transaction. Its pages are zeroed as they are freed (the connection's
 * secure_delete), so first emptied by a DELETE without a WHERE, which SQLite runs as a clear of each b-tree without
 * a statement journal: DROP TABLE keeps one, and so wrote every page of the register to a temporary file before
 * zeroing it (900 MB at 2,000,000 people, 2–7 s of the write lock). The DROP then frees only the root pages.
 * Foreign keys are off here (no trigger is on person), so the DELETE is never the row-by-row kind.
 */
function dropRegister(db: Db): void {
  db.exec('DELETE FROM main.person');
  db.exec('DROP TABLE main.person');
}

/**
 * Fills the new register `target` (empty, with the person table's definition): the staged rows in IIN order, the
 * first line of the file winning where an IIN comes again, then the address and phone on record where the file has
 * none, then the people already there that the file lacks. Repeated IINs are found here, by the sort the register
 * needs anyway, rather than by a set of every IIN on the worker thread (a seventh of its time at 2,000,000 rows);
 * they are listed (line order, at most `listDuplicates`) only when there are some.
 */
function fillRegister(
  db: Db,
  target: string,
  { at, staged, listDuplicates, parts, lineOffset }: StagedBuild,
  hadPeople: boolean,
): RegisterSwapped['duplicates'] {
  const load = stagedRows(parts, lineOffset);
  const cols = `${COLUMNS}, source, updated_at`;
  // (`WHERE true`: SQLite's grammar wants a WHERE before an upsert's ON CONFLICT after a SELECT.)
  // Only a repeated IIN is passed over (ON CONFLICT on the key, not OR IGNORE, which would also drop a row that broke
  // a NOT NULL or CHECK constraint and count it as a repeat): anything else still fails the import.
  const unique = db
    .prepare(
      `INSERT INTO ${target} (${cols}) SELECT ${COLUMNS}, 'register', @stamp FROM ${load} WHERE true ORDER BY iin, line
       ON CONFLICT (iin) DO NOTHING`,
    )
    .run({ stamp: at.toISOString() }).changes;
  if (hadPeople) {
    // The address and phone on record where the file has none, and the people the file lacks, each looked up once
    // the new register is in, both tables then read in IIN order. Joined while inserting, the old register was
    // looked up in the file's order instead: 11.4 s against 3.3 s for 2,000,000 people, where these two take 1.6 s.
    db.exec(
      `UPDATE ${target} AS n SET address = coalesce(n.address, p.address), phone = coalesce(n.phone, p.phone)
       FROM main.person AS p
       WHERE p.iin = n.iin AND ((n.address IS NULL AND p.address IS NOT NULL) OR (n.phone IS NULL AND p.phone IS NOT NULL))`,
    );
    db.exec(`INSERT INTO ${target} (${cols}) SELECT ${cols} FROM main.person WHERE iin NOT IN (SELECT iin FROM ${target}) ORDER BY iin`);
  }
  const count = staged - unique;
  const listed =
    count > 0
      ? (db
          .prepare(
            `SELECT line, iin FROM (SELECT line, iin, row_number() OVER (PARTITION BY iin ORDER BY line) AS k FROM ${load})
             WHERE k > 1 ORDER BY line LIMIT ?`,
          )
          .all(listDuplicates) as Array<{ line: number; iin: string }>)
      : [];
  return { count, listed };
}

function swapIn(db: Db, build: StagedBuild): RegisterSwapped {
  const { table, indexes } = personSchema(db);
  const created = table.replace(/^CREATE TABLE\s+("?)person\1\s*\(/i, 'CREATE TABLE person_new (');
  if (created === table) throw new Error('unexpected person table definition');
  const referencing = tablesReferencingPerson(db);
  // The old table is dropped while other tables' rows point at its people: foreign keys are off for the swap
  // (they cannot change inside a transaction) and checked before it commits.
  db.pragma('foreign_keys = OFF');
  // SQLite's sorter may use a helper thread for the sorted copy and the index builds (see buildThenSwap).
  const threadsBefore = db.pragma('threads', { simple: true }) as number;
  db.pragma('threads = 2');
  try {
    return db
      .transaction((): RegisterSwapped => {
        db.exec(created);
        const duplicates = fillRegister(db, 'main.person_new', build, hasPeople(db));
        dropRegister(db);
        db.exec('ALTER TABLE main.person_new RENAME TO person');
        for (const sql of indexes) db.exec(sql);
        for (const t of referencing) {
          const broken = db.pragma(`foreign_key_check(${t})`) as unknown[];
          if (broken.length) throw new Error(`the new register lacks ${broken.length} people that ${t} points at`);
        }
        return { registerSize: (db.prepare('SELECT count(*) FROM main.person').pluck().get() as number) ?? 0, duplicates };
      })
      .immediate();
  } finally {
    db.pragma('foreign_keys = ON');
    db.pragma(`threads = ${threadsBefore}`);
    resetPeopleStatements(db);
  }
}

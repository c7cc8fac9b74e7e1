/**
 * A register import's loading of the person table (electron/services/population-import.ts), built so that a
 * cancelled or crashed import leaves the previous register as it was:
 *
 * 1. Rows go into staging files of their own beside the workstation's database (db/person-staging.ts), written
 *    by the import's worker threads without a journal or fsync. The workstation's database is not written at all
 *    meanwhile, so the desk keeps writing.
 * 2. The import's first worker thread then finishes on a connection of its own (finishPersonImport), so the main
 *    thread's event loop stays free. Into an empty register (the first import) it builds the table in place, in
 *    one transaction (buildInPlace). Otherwise it builds the new table in the first staging file — the staged rows
 *    merged with the people already there (kept when the file lacks them; address and phone kept when the file
 *    has none), inserted in IIN order so the table and its IIN index grow by appending, the first line winning
 *    where the file repeats an IIN (the repeats are found by this sort, not by a set of every IIN while reading),
 *    the name indexes built once at the end (sorted builds) — without locking the workstation's database.
 * 3. A register imported again is compared with the one in place, and where few people changed (the monthly
 *    case), one short transaction writes only the changed and the new rows (applyChanges). Otherwise,
 *    one short transaction swaps it in: the old table dropped (its pages zeroed), the built one copied in whole
 *    (pages appended, no sort, no index build). Either it commits or the old register stays. The desk reads the old
 *    register through WAL until then; a desk write waits only for this transaction (3.7–4.6 s at 2,000,000 people
 *    when an old register of that size is dropped, in a database with 16 KiB pages, db/connection.ts).
 *    Had the desk changed a person during the build, the transaction merges again from the staged rows instead
 *    (swapIn: longer, but nothing the desk wrote is lost).
 * 4. The import answers once the swap has committed (the new register is durable in the WAL). The worker then
 *    copies it on into the database file (a checkpoint that does not block the desk) and cuts the WAL back.
 */
import { holdSetting, openDatabase, type Db, type SettingHold } from './connection';
import { resetPeopleStatements } from './people';
import { attachStaging, detachStaging } from './person-staging';
import { applyChanges, CHANGES_APPLIED_AT_MOST, indexedColumns, stageChanges } from './people-reload';
import {
  checkReferences,
  dropRegister,
  fillRegister,
  hasPeople,
  personFingerprint,
  personSchema,
  personTableAs,
  SCHEMA,
  tablesReferencingPerson,
  type RegisterBuild,
  type RegisterSwapped,
  type StagedBuild,
} from './register-tables';

export type { RegisterBuild, RegisterSwapped } from './register-tables';

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
    const result =
      (hasPeople(db) ? buildThenSwap(db, staged, cancelled, beforeSwap) : buildInPlace(db, staged, cancelled, beforeSwap)) ??
      swapIn(db, staged);
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

/** The finishing step stopped at the import's cancellation before its register was in: the register is as it was. */
export class ImportFinishCancelled extends Error {
  constructor() {
    super('The register import was cancelled while its new register was being built.');
    this.name = 'ImportFinishCancelled';
  }
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
  // Never asked once the swap's transaction has begun: from there the import completes.
  const goOn = stopWhen(cancelled);
  const { table, indexes } = personSchema(db);
  const built = personTableAs(table, `${SCHEMA}.person`);
  const builtIndexes = indexes.map((sql) => sql.replace(/^CREATE (UNIQUE )?INDEX\s+/i, (m) => `${m}${SCHEMA}.`));
  const before = personFingerprint(db);
  const referencing = tablesReferencingPerson(db);
  return building(db, () => {
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
        checkReferences(db, referencing);
        return { registerSize, duplicates };
      })
      .immediate();
  });
}

/**
 * The first import, into an empty register: built where it will stay, in one transaction — the sorted insert and
 * the index builds straight into the person table. There is no old register for the desk to go on reading, so
 * nothing is gained by building beside it, and the copy into the database that building beside costs (1.5–3.9 s
 * at 2,000,000 people, a third of the finishing step) is saved. The price is the write lock: held for the whole
 * build (10–12 s at 2,000,000 against 3–5 s for the copy), during which the desk's writes wait in the swap window
 * (db/swap-window.ts) without holding its event loop. A first import is the clinic's set-up, before the desk has
 * people to write about. A Stop is still honoured between the steps: the transaction rolls back and the register
 * stays empty; so does a crash (the WAL's uncommitted frames are ignored). Null if someone was added to the register
 * before the transaction began (the caller merges under the lock instead: swapIn).
 */
function buildInPlace(db: Db, build: StagedBuild, cancelled: () => boolean, beforeSwap: () => void): RegisterSwapped | null {
  const goOn = stopWhen(cancelled);
  const { table, indexes } = personSchema(db);
  const referencing = tablesReferencingPerson(db);
  return building(db, () => {
    goOn();
    // The desk's connection stops waiting for the lock from here until the import is over (db/swap-window.ts).
    beforeSwap();
    db.pragma('foreign_keys = OFF');
    return db
      .transaction((): RegisterSwapped | null => {
        if (hasPeople(db)) return null;
        // The table is recreated without its indexes, so that they are built once, sorted, after the rows are in.
        dropRegister(db);
        db.exec(table);
        const duplicates = fillRegister(db, 'main.person', build, false);
        // Every staged row is in but the repeats of an IIN (no count(*) under the lock: 12–50 ms at 2,000,000).
        const registerSize = build.staged - duplicates.count;
        for (const sql of indexes) {
          goOn();
          db.exec(sql);
        }
        goOn();
        checkReferences(db, referencing);
        return { registerSize, duplicates };
      })
      .immediate();
  });
}

function swapIn(db: Db, build: StagedBuild): RegisterSwapped {
  const { table, indexes } = personSchema(db);
  const created = personTableAs(table, 'person_new');
  const referencing = tablesReferencingPerson(db);
  return building(db, () => {
    // The old table is dropped while other tables' rows point at its people: foreign keys are off for the swap
    // (they cannot change inside a transaction) and checked before it commits.
    db.pragma('foreign_keys = OFF');
    return db
      .transaction((): RegisterSwapped => {
        db.exec(created);
        const duplicates = fillRegister(db, 'main.person_new', build, hasPeople(db));
        dropRegister(db);
        db.exec('ALTER TABLE main.person_new RENAME TO person');
        for (const sql of indexes) db.exec(sql);
        checkReferences(db, referencing);
        return { registerSize: (db.prepare('SELECT count(*) FROM main.person').pluck().get() as number) ?? 0, duplicates };
      })
      .immediate();
  });
}

/**
 * Runs one of the register's builds with SQLite's sorter given a helper thread for the sorted copy and the index
 * builds (the shell's default is none: the calling thread only waits meanwhile), and leaves the connection as it
 * was: foreign keys on (the swaps turn them off), its own threads, and the people statements prepared anew (they
 * name the table the swap replaced). The page cache stays small on purpose: with a cache of hundreds of megabytes
 * the sorter sorts one huge run in memory, slower than many small runs merged (2,000,000 people: the sorted copy
 * 10.8 s → 5.7 s, each index build 3.4 s → 2.3 s, measured with the bench's register).
 */
function building<T>(db: Db, build: () => T): T {
  const threadsBefore = db.pragma('threads', { simple: true }) as number;
  db.pragma('threads = 2');
  try {
    return build();
  } finally {
    db.pragma('foreign_keys = ON');
    db.pragma(`threads = ${threadsBefore}`);
    resetPeopleStatements(db);
  }
}

/**
 * The finishing step's check for a Stop, asked between its steps (each one statement SQLite runs to its end, so a
 * Stop lands within one step): throws ImportFinishCancelled once the import is cancelled.
 */
function stopWhen(cancelled: () => boolean): () => void {
  return () => {
    if (cancelled()) throw new ImportFinishCancelled();
  };
}

/**
 * The person table as a register import rebuilds it (db/people-load.ts, db/people-reload.ts): its definition as
 * the migrations left it, what points at it, how it is filled from the staged rows and how the old one is dropped.
 */
import { PACKED_COLUMNS } from './person-packing';
import type { Db } from './connection';
import { STAGING, stagedRows } from './person-staging';

/** The schema the new register is built in when it is built beside the old one: the first staging file. */
export const SCHEMA = STAGING[0];
const COLUMNS = PACKED_COLUMNS.join(', ');

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
export type StagedBuild = RegisterBuild & { parts: number };

/** A swapped-in register: its size, and the file's rows whose IIN an earlier line of the file already had. */
export interface RegisterSwapped {
  registerSize: number;
  duplicates: { count: number; listed: Array<{ line: number; iin: string }> };
}

/** The person table's own DDL and its indexes', as the migrations left them. */
export function personSchema(db: Db): { table: string; indexes: string[] } {
  const rows = db
    .prepare(`SELECT type, sql FROM main.sqlite_schema WHERE tbl_name = 'person' AND sql IS NOT NULL ORDER BY type DESC, name`)
    .all() as Array<{ type: string; sql: string }>;
  const table = rows.find((r) => r.type === 'table')!.sql;
  return { table, indexes: rows.filter((r) => r.type === 'index').map((r) => r.sql) };
}

/** The person table's definition under another name (`schema.person` or `person_new`). */
export function personTableAs(table: string, name: string): string {
  const renamed = table.replace(/^CREATE TABLE\s+("?)person\1\s*\(/i, `CREATE TABLE ${name} (`);
  if (renamed === table) throw new Error('unexpected person table definition');
  return renamed;
}

/** Tables whose rows point at a person: checked after the swap. */
export function tablesReferencingPerson(db: Db): string[] {
  return (
    db.prepare(`SELECT name FROM main.sqlite_schema WHERE type = 'table' AND sql LIKE '%REFERENCES person(%'`).all() as Array<{
      name: string;
    }>
  ).map((r) => r.name);
}

/** What the person table looked like: a change between the build and the swap shows in one of these. */
export function personFingerprint(db: Db): string {
  return JSON.stringify(db.prepare('SELECT count(*), max(updated_at), max(rowid) FROM main.person').raw().get());
}

/** Whether the register in place has anyone in it (a first import has nothing to compare or merge with). */
export function hasPeople(db: Db): boolean {
  return !!db.prepare('SELECT 1 FROM main.person LIMIT 1').get();
}

/**
 * Fails the transaction it runs in when a row of `tables` points at a person the new register lacks (the swaps
 * run with foreign keys off: the old table is dropped while rows point at its people).
 */
export function checkReferences(db: Db, tables: readonly string[]): void {
  for (const t of tables) {
    const broken = db.pragma(`foreign_key_check(${t})`) as unknown[];
    if (broken.length) throw new Error(`the new register lacks ${broken.length} people that ${t} points at`);
  }
}

/**
 * Drops the old register inside the swap's transaction. Its pages are zeroed as they are freed (the connection's
 * secure_delete), so first emptied by a DELETE without a WHERE, which SQLite runs as a clear of each b-tree without
 * a statement journal: DROP TABLE keeps one, and so wrote every page of the register to a temporary file before
 * zeroing it (900 MB at 2,000,000 people, 2–7 s of the write lock). The DROP then frees only the root pages.
 * Foreign keys are off here (no trigger is on person), so the DELETE is never the row-by-row kind.
 */
export function dropRegister(db: Db): void {
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
export function fillRegister(
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

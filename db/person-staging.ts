/**
 * The staging files of a register import (electron/services/population-import.ts, db/people-load.ts): the rows
 * read from the file, before the new register is built from them.
 *
 * The file is read in two parts at once, each by a worker thread of its own, and each part's worker stores its
 * good rows in a staging file of its own (SQLite has one writer per file): the rows never cross to the main
 * thread, whose event loop stays the desk's. Each file is written without a journal or fsync — nothing in it
 * matters until it is complete, a crash leaves only files the next import deletes, and they are deleted whole —
 * and without secure_delete (which the workstation's connection sets: freed pages of the register are
 * overwritten). Its pages are 16 KiB (SQLite's default is 4 KiB): a quarter as many pages to allocate, sort into
 * and index, about 1 s off a 2,000,000-person import in alternating runs; larger pages gained nothing more.
 *
 * Most cells are stored as the UTF-8 bytes the file held (blobs): binding a Buffer copies it, where binding a string
 * encodes it to UTF-8 again (the names, keys, address and phone of 1,000,000 rows: 2.8 s to store as strings, 2.2 s
 * with the names and keys as bytes, 1.85 s with all of them). The finishing step reads them as text (stagedRows).
 *
 * The finishing step attaches both files and reads them as one: the second part's lines follow the first's.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from './connection';
import { PACKED_COLUMNS, type StagedRow } from './person-packing';

/** The schema names the staging files are attached under, first part and second. */
export const STAGING = ['person_staging', 'person_staging2'] as const;
const COLUMNS = PACKED_COLUMNS.join(', ');
/** Cells stored as NULL when empty. */
const OPTIONAL_AT = new Set(['patronymic', 'address', 'phone'].map((c) => PACKED_COLUMNS.indexOf(c as never)));
const CELLS = PACKED_COLUMNS.length + 1; // and the line
/** Rows per INSERT statement: fewer statement runs than one per row (2.5 µs a row against 2.8, measured). */
const ROWS_PER_INSERT = 16;

const memoryIds = new WeakMap<Db, number>();
let nextMemoryId = 0;

/** The staging files of an import into `db`, one per part of the file (an in-memory database's in the temp folder). */
export function stagingFilesOf(db: Db): [string, string] {
  let base = db.name;
  if (db.memory) {
    if (!memoryIds.has(db)) memoryIds.set(db, ++nextMemoryId);
    base = path.join(os.tmpdir(), `tirkeu-memory-${process.pid}-${memoryIds.get(db)}`);
  }
  return [`${base}.import`, `${base}.import2`];
}

export function removeStagingFiles(files: readonly string[]): void {
  for (const file of files) for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
}

export interface StagingWriter {
  /** Stores rows (StagedRow: the packed cells, then the line), in one transaction. */
  store(rows: readonly StagedRow[]): void;
  close(): void;
}

/** A fresh staging file (a leftover of an earlier import is deleted first), written by one worker thread. */
export function openStagingWriter(file: string): StagingWriter {
  removeStagingFiles([file]);
  const db = new Database(file);
  try {
    db.exec('PRAGMA page_size = 16384; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA secure_delete = OFF;');
    // Plain columns, appended as they arrive (each batch writes only new pages); the finish sorts them once.
    db.exec(`CREATE TABLE person_load (${COLUMNS}, line INTEGER)`);
  } catch (error) {
    db.close();
    throw error;
  }
  const row = `(${Array(CELLS).fill('?').join(', ')})`;
  const many = db.prepare(`INSERT INTO person_load VALUES ${Array(ROWS_PER_INSERT).fill(row).join(', ')}`);
  const one = db.prepare(`INSERT INTO person_load VALUES ${row}`);
  const args: Array<StagedRow[number] | null> = new Array(CELLS * ROWS_PER_INSERT);
  const put = (r: StagedRow, at: number) => {
    for (let c = 0; c < CELLS; c++) args[at + c] = OPTIONAL_AT.has(c) && r[c] === '' ? null : r[c]!;
  };
  const store = db.transaction((rows: readonly StagedRow[]) => {
    let i = 0;
    for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) {
      for (let k = 0; k < ROWS_PER_INSERT; k++) put(rows[i + k]!, k * CELLS);
      many.run(args);
    }
    for (; i < rows.length; i++) {
      put(rows[i]!, 0);
      one.run(args.slice(0, CELLS));
    }
  });
  return { store, close: () => db.close() };
}

/**
 * Attaches the staging files on `db` (the finishing step's connection, or an in-memory database's own) and sets
 * the first one, where the new register is built, to go without journal and fsync like the writers did.
 */
export function attachStaging(db: Db, files: readonly string[]): void {
  detachStaging(db);
  files.forEach((file, i) => db.prepare(`ATTACH DATABASE ? AS ${STAGING[i]}`).run(file));
  const s = STAGING[0];
  db.exec(`PRAGMA ${s}.journal_mode = OFF; PRAGMA ${s}.synchronous = OFF; PRAGMA ${s}.secure_delete = OFF;`);
}

export function detachStaging(db: Db): void {
  const attached = new Set((db.pragma('database_list') as Array<{ name: string }>).map((d) => d.name));
  for (const s of STAGING) if (attached.has(s)) db.exec(`DETACH DATABASE ${s}`);
}

/** The staged cells as text: the reader stores the file's UTF-8 bytes of most of them as blobs (person-packing.ts). */
const AS_TEXT = PACKED_COLUMNS.map((c) => `CAST(${c} AS TEXT) AS ${c}`).join(', ');

/**
 * The staged rows of every part as one table expression (columns: the packed cells as text and `line`), the second
 * part's lines numbered on from the first's last line (`lineOffset`: the workers count lines of their own part only).
 * Reading the blobs as text costs nothing measurable: SQLite only relabels them (the database's text is UTF-8).
 */
export function stagedRows(parts: number, lineOffset: number): string {
  if (parts === 1) return `(SELECT ${AS_TEXT}, line FROM ${STAGING[0]}.person_load)`;
  if (!Number.isSafeInteger(lineOffset) || lineOffset < 0) throw new Error(`bad line offset ${lineOffset}`);
  return `(SELECT ${AS_TEXT}, line FROM ${STAGING[0]}.person_load UNION ALL SELECT ${AS_TEXT}, line + ${lineOffset} FROM ${STAGING[1]}.person_load)`;
}

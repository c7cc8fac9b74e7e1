/**
 * The finishing step of a register import (db/people-load.ts finishPersonImport) on a real workstation database
 * and real staging files, driven step by step: what it does when the import is stopped, or the desk writes, at the
 * moments a whole import cannot aim at.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import type { Db } from '../../../db/connection';
import { findPersonByIin } from '../../../db/people';
import { finishPersonImport, ImportFinishCancelled } from '../../../db/people-load';
import { openStagingWriter, removeStagingFiles, stagingFilesOf } from '../../../db/person-staging';
import { CSV_HEADER, generatePeople, personCsvLine } from '../../../electron/services/demo-population';
import { readPart } from '../../../electron/services/population/parse-worker';
import { addToRegister, createTestWorkstation, type TestWorkstation } from '../../helpers/app';

let ws: TestWorkstation | null = null;
afterEach(() => {
  if (ws) removeStagingFiles(stagingFilesOf(ws.app.db));
  ws?.close();
  ws = null;
});

const registerSize = (db: Db) => db.prepare('SELECT count(*) FROM person').pluck().get() as number;
const indexesOfPerson = (db: Db) =>
  (
    db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'person' ORDER BY name`).pluck().all() as string[]
  ).filter((n) => !n.startsWith('sqlite_autoindex'));

/** `people` rows of a register file (and one repeat of the first IIN at its end), read and staged as a reader thread does. */
async function staged(db: Db, dir: string, people: number) {
  const rows = [...generatePeople(people, 31)].map(personCsvLine);
  const file = path.join(dir, 'register.csv');
  fs.writeFileSync(file, [CSV_HEADER, ...rows, rows[0]].join('\n') + '\n');
  const [stagingFile] = stagingFilesOf(db);
  const writer = openStagingWriter(stagingFile);
  const part = { file, encoding: 'utf-8' as const, part: 0 as const, start: 0, end: fs.statSync(file).size, stagingFile };
  const done = await readPart({ ...part, batchSize: 500, maxListedRejections: 10 }, writer.store, () => {});
  writer.close();
  return {
    job: {
      dbFile: db.name,
      stagingFiles: [stagingFile],
      at: new Date('2026-12-07T09:00:00Z'),
      staged: done.staged,
      listDuplicates: 10,
      lineOffset: 0,
    },
    lines: people + 2,
  };
}

describe('the first import, into an empty register, built in place', () => {
  it('builds the register with its indexes in one transaction, the repeats listed', async () => {
    ws = createTestWorkstation({ population: 0 });
    const db = ws.app.db;
    const indexes = indexesOfPerson(db);
    expect(registerSize(db)).toBe(0);
    const { job, lines } = await staged(db, ws.dir, 2000);
    let swapping = 0;
    const result = finishPersonImport(job, undefined, undefined, () => swapping++);
    expect(swapping).toBe(1);
    expect(result).toEqual({
      registerSize: 2000,
      duplicates: { count: 1, listed: [{ line: lines, iin: [...generatePeople(1, 31)][0]!.iin }] },
    });
    expect(registerSize(db)).toBe(2000);
    expect(indexesOfPerson(db)).toEqual(indexes);
    const last = [...generatePeople(2000, 31)][1999]!;
    expect(findPersonByIin(db, last.iin)).toMatchObject({ surname: last.surname, givenName: last.givenName });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Nothing was built beside it, in the staging file, to be copied in.
    const stagingFile = new Database(job.stagingFiles[0], { readonly: true });
    try {
      expect(stagingFile.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all()).toEqual(['person_load']);
    } finally {
      stagingFile.close();
    }
  });

  it('rolls back when Stop comes after its transaction has begun: the register stays empty', async () => {
    ws = createTestWorkstation({ population: 0 });
    const db = ws.app.db;
    const indexes = indexesOfPerson(db);
    const { job } = await staged(db, ws.dir, 2000);
    // Stop comes once the build holds the lock (the desk's swap window is open): asked between the index builds.
    let swapping = false;
    expect(() =>
      finishPersonImport(
        job,
        () => swapping,
        () => {
          throw new Error('nothing may be swapped in');
        },
        () => (swapping = true),
      ),
    ).toThrow(ImportFinishCancelled);
    expect(swapping).toBe(true);
    expect(registerSize(db)).toBe(0);
    expect(indexesOfPerson(db)).toEqual(indexes);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // And the desk writes at once: no lock left behind.
    addToRegister(ws.app, { iin: makeIin('1969-09-09', 'M', 7777), surname: 'Қосымшаев', givenName: 'Ерлан' });
    expect(registerSize(db)).toBe(1);
  });

  it('keeps a person the desk added just before the build took the lock, merging as a re-import does', async () => {
    ws = createTestWorkstation({ population: 0 });
    const app = ws.app;
    const { job } = await staged(app.db, ws.dir, 2000);
    const walkIn = makeIin('1969-09-09', 'M', 7777);
    // The desk's save lands between the finishing step's look at the register and its transaction.
    const result = finishPersonImport(job, undefined, undefined, () =>
      addToRegister(app, { iin: walkIn, surname: 'Қосымшаев', givenName: 'Ерлан' }),
    );
    expect(result.registerSize).toBe(2001);
    expect(findPersonByIin(app.db, walkIn)?.surname).toBe('Қосымшаев');
    expect(registerSize(app.db)).toBe(2001);
  });
});

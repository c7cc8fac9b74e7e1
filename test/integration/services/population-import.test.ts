/**
 * The register import (issue 18, goal 1) on a real workstation database: the new register replaces the old one in
 * one transaction — people the file lacks kept, addresses the file lacks kept, every row still checked — and a
 * cancelled import or a killed process leaves the previous register exactly as it was.
 */
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import type { Db } from '../../../db/connection';
import { SYSTEM_ACTOR } from '../../../db/audit';
import { stagingFilesOf } from '../../../db/person-staging';
import { findPersonByIin, searchPeople } from '../../../db/people';
import { CSV_HEADER, generatePeople, personCsvLine } from '../../../electron/services/demo-population';
import { PROJECT_ROOT } from '../../../electron/services/paths';
import {
  ImportCancelledError,
  importPopulationCsv,
  importSettled,
  type ImportProgress,
} from '../../../electron/services/population-import';
import { splitPoint } from '../../../electron/services/population/read-parts';
import { addToRegister, createTestWorkstation, tempDir, type TestWorkstation } from '../../helpers/app';
import { openDatabase } from '../../../db/connection';

let ws: TestWorkstation | null = null;
afterEach(() => {
  ws?.close();
  ws = null;
});

/** Every person row, in IIN order: the register as it is. */
const registerOf = (db: Db) => db.prepare('SELECT * FROM person ORDER BY iin').all();
const auditCount = (db: Db) => db.prepare(`SELECT count(*) FROM audit_log WHERE action = 'population.imported'`).pluck().get();

function writeCsv(dir: string, n: number, seed: number, extra: string[] = []): string {
  const file = path.join(dir, `register-${seed}.csv`);
  const lines = [CSV_HEADER, ...extra];
  for (const p of generatePeople(n, seed)) lines.push(personCsvLine(p));
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** How often `marker` occurs in the database as it is on disk: its file and its WAL (what is not copied on yet). */
const timesOnDisk = (db: Db, marker: string) =>
  [db.name, `${db.name}-wal`]
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f).toString('latin1').split(marker).length - 1)
    .reduce((a, b) => a + b, 0);

/**
 * Imports `file` while the desk adds a walk-in as soon as the finishing step begins (the main thread is free
 * during the finish, so the desk's write goes in while the worker builds); returns the walk-in's IIN.
 */
async function importWhileTheDeskAdds(app: TestWorkstation['app'], file: string): Promise<string> {
  const walkIn = makeIin('1969-09-09', 'M', 7777);
  let added = false;
  await importPopulationCsv(app.db, file, {
    actor: SYSTEM_ACTOR,
    onProgress: (p) => {
      if (p.phase === 'finishing')
        setTimeout(() => {
          addToRegister(app, { iin: walkIn, surname: 'Қосымшаев', givenName: 'Ерлан' });
          added = true;
        }, 5);
    },
  });
  await new Promise((r) => setTimeout(r, 20));
  expect(added).toBe(true);
  return walkIn;
}

describe('the register import', () => {
  it('swaps in the new register: the file’s people, the people it lacks, the addresses it lacks, every row checked', async () => {
    ws = createTestWorkstation({ population: 40 });
    const db = ws.app.db;
    const before = registerOf(db) as Array<{ iin: string; address: string | null; phone: string | null; surname: string }>;
    const inFile = new Set([...generatePeople(2000, 77)].map((p) => p.iin));
    const kept = before.find((p) => !inFile.has(p.iin))!;
    const renamed = before.find((p) => p.address && p.phone && p !== kept && !inFile.has(p.iin))!;
    const fresh = makeIin('1977-07-07', 'F', 4321);
    const file = writeCsv(ws.dir, 2000, 77, [
      `${renamed.iin},Әлімжанова,Әсел,,,,,`, // no address or phone in the file: those on record stay
      `${fresh},Өтегенова,Ұлжан,Серікқызы,1977-07-07,F,Астана,`,
      `${makeIin('1977-07-07', 'F', 4322).slice(0, 11)}9,Жоқ,Адам,,,,,`, // a broken checksum
      `${fresh},Өтегенова,Ұлжан,,,,,`, // the same IIN again
    ]);
    const progress: ImportProgress[] = [];
    const report = await importPopulationCsv(db, file, { actor: SYSTEM_ACTOR, batchSize: 300, onProgress: (p) => progress.push(p) });

    expect(report).toMatchObject({ read: 2004, imported: 2002, rejectedCount: 2 });
    expect(report.rejected.map((r) => [r.line, r.code, r.params])).toEqual([
      [4, 'iin-invalid', { reason: 'checksum' }],
      [5, 'duplicate', undefined],
    ]);
    // The people before and the file's, each IIN once.
    const union = new Set([...before.map((p) => p.iin), ...inFile, fresh]);
    expect(report.registerSize).toBe(union.size);
    expect(db.prepare('SELECT count(*) FROM person').pluck().get()).toBe(report.registerSize);
    expect(findPersonByIin(db, kept.iin)).toMatchObject({ surname: kept.surname });
    expect(findPersonByIin(db, renamed.iin)).toMatchObject({
      surname: 'Әлімжанова',
      address: renamed.address,
      phone: renamed.phone,
      source: 'register',
    });
    expect(searchPeople(db, 'Өтегенова Ұл', 5).map((p) => p.iin)).toContain(fresh);
    expect(searchPeople(db, `Әлімжанова Әсел`, 100).map((p) => p.iin)).toContain(renamed.iin);
    // The same table, its indexes, and every row pointing at a person still pointing at one.
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(
      db
        .prepare(`SELECT name FROM sqlite_schema WHERE tbl_name = 'person' AND type = 'index' AND sql IS NOT NULL ORDER BY name`)
        .pluck()
        .all(),
    ).toEqual(['person_by_exact_name', 'person_by_name']);
    expect(stagingFilesOf(db).filter((f) => fs.existsSync(f))).toEqual([]);
    // Progress: bytes, rows, a rate and the time left while reading, then the finishing step.
    const reading = progress.filter((p) => p.phase === 'reading');
    expect(reading.length).toBeGreaterThan(3);
    expect(reading.at(-1)!.rowsPerSecond).toBeGreaterThan(0);
    expect(reading.at(-1)!.secondsLeft).not.toBeNull();
    expect(progress.at(-1)).toMatchObject({ phase: 'finishing', bytes: fs.statSync(file).size });

    // The same file again gives the same register.
    const first = registerOf(db).map((r) => ({ ...(r as object), updated_at: null }));
    await importPopulationCsv(db, file, { actor: SYSTEM_ACTOR });
    expect(registerOf(db).map((r) => ({ ...(r as object), updated_at: null }))).toEqual(first);
  });

  it('leaves nothing of the old register on disk, in the pages the new one reuses or in those left over', async () => {
    ws = createTestWorkstation({ population: 0 });
    const db = ws.app.db;
    const marker = 'ESKI-MEKENZHAI-7F3A';
    const people = [...generatePeople(3000, 31)];
    const withAddress = (address: (i: number) => string) => {
      const file = path.join(ws!.dir, `addresses-${address(0).length}.csv`);
      fs.writeFileSync(file, [CSV_HEADER, ...people.map((p, i) => personCsvLine({ ...p, address: address(i) }))].join('\n') + '\n');
      return file;
    };
    const onDisk = () => timesOnDisk(db, marker);
    const long = withAddress((i) => `${marker} ${i} `.padEnd(200, 'ә'));
    await importPopulationCsv(db, long, { actor: SYSTEM_ACTOR });
    await importSettled(db);
    expect(onDisk()).toBeGreaterThan(1000);

    await importPopulationCsv(
      db,
      withAddress(() => 'Астана'),
      { actor: SYSTEM_ACTOR },
    );
    await importSettled(db);
    // The new register is smaller: pages of the old one were reused and some left over, all of them zeroed.
    expect(db.pragma('freelist_count', { simple: true })).toBeGreaterThan(10);
    expect(onDisk()).toBe(0);
    expect(findPersonByIin(db, people[7]!.iin)).toMatchObject({ address: 'Астана' });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('imports the register again by writing only what changed; the old addresses it replaced are gone from disk', async () => {
    ws = createTestWorkstation({ population: 0 });
    const db = ws.app.db;
    const marker = 'ESKI-MEKENZHAI-C4D1';
    const people = [...generatePeople(6000, 32)];
    // One person in 120 moves, one is renamed, ten are new (IINs the generator's serial 1 never gives): 1 % changed.
    const moves = (i: number) => i % 120 === 0;
    const renamed = people[1]!;
    const newcomers = Array.from({ length: 10 }, (_, k) => ({
      ...people[k]!,
      iin: makeIin(people[k]!.birthDate, people[k]!.sex as 'F' | 'M', 5 + k),
      surname: 'Жаңакелді',
    }));
    const csv = (name: string, rows: typeof people) => {
      const file = path.join(ws!.dir, name);
      fs.writeFileSync(file, [CSV_HEADER, ...rows.map(personCsvLine)].join('\n') + '\n');
      return file;
    };
    const onDisk = () => timesOnDisk(db, marker);
    const first = new Date('2026-11-01T03:00:00Z');
    const second = new Date('2026-12-01T03:00:00Z');
    await importPopulationCsv(
      db,
      csv(
        'november.csv',
        people.map((p, i) => (moves(i) ? { ...p, address: `${marker} ${i}` } : p)),
      ),
      { actor: SYSTEM_ACTOR, clock: () => first },
    );
    await importSettled(db);
    expect(onDisk()).toBeGreaterThanOrEqual(50);
    const placeBefore = new Map(
      (db.prepare('SELECT iin, rowid AS id, updated_at FROM person').all() as Array<{ iin: string; id: number; updated_at: string }>).map(
        (r) => [r.iin, r],
      ),
    );

    const december = [
      ...people.map((p, i) =>
        moves(i) ? { ...p, address: `Астана қ., Жаңа к-сі, ${i}-үй` } : p === renamed ? { ...p, surname: 'Жаңаөмірова' } : p,
      ),
      ...newcomers,
    ];
    const report = await importPopulationCsv(db, csv('december.csv', december), { actor: SYSTEM_ACTOR, clock: () => second });
    await importSettled(db);

    expect(report).toMatchObject({ imported: 6010, registerSize: 6010 });
    expect(onDisk()).toBe(0);
    expect(findPersonByIin(db, people[120]!.iin)).toMatchObject({ address: 'Астана қ., Жаңа к-сі, 120-үй' });
    expect(searchPeople(db, 'Жаңаөмірова', 5).map((p) => p.iin)).toEqual([renamed.iin]);
    expect(searchPeople(db, 'Жаңакелді', 50)).toHaveLength(10);
    // Only the changed and the new rows were written: everyone else keeps their row and their stamp.
    const after = db.prepare('SELECT iin, rowid AS id, updated_at FROM person').all() as Array<{
      iin: string;
      id: number;
      updated_at: string;
    }>;
    const changed = new Set([...people.filter((_, i) => moves(i)), renamed, ...newcomers].map((p) => p.iin));
    for (const r of after) {
      if (changed.has(r.iin)) expect(r.updated_at, r.iin).toBe(second.toISOString());
      else expect(r, r.iin).toEqual(placeBefore.get(r.iin));
    }
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('keeps a person the desk adds while a register imported again is compared with the one in place', async () => {
    ws = createTestWorkstation({ population: 0 });
    const app = ws.app;
    const file = writeCsv(ws.dir, 30_000, 9);
    await importPopulationCsv(app.db, file, { actor: SYSTEM_ACTOR });
    await importSettled(app.db);
    const walkIn = await importWhileTheDeskAdds(app, file);
    expect(findPersonByIin(app.db, walkIn)?.surname).toBe('Қосымшаев');
    expect(app.db.prepare('SELECT count(*) FROM person').pluck().get()).toBe(30_001);
  });

  it('keeps the first line of an IIN the file repeats, and lists the repeats among the other rejections in line order', async () => {
    ws = createTestWorkstation({ population: 0 });
    const db = ws.app.db;
    expect(db.prepare('SELECT count(*) FROM person').pluck().get()).toBe(0);
    const a = makeIin('1980-01-02', 'M', 101);
    const b = makeIin('1990-03-04', 'F', 202);
    const file = writeCsv(ws.dir, 0, 1, [
      `${a},Бірінші,Асқар,,,,,`, // line 2: the one kept
      `${a.slice(0, 11)}${(Number(a[11]) + 1) % 10},Жоқ,Адам,,,,,`, // 3: a broken checksum
      `${a},Екінші,Асқар,,,,,`, // 4: a repeat
      `${b},Сәрсенова,Бақыт,,,,,`, // 5
      `${b},Сәрсенова,Бақыт,,,,,`, // 6: a repeat, the same person
      `${a},Үшінші,Асқар,,,,,`, // 7: a repeat
      `${makeIin('1970-05-06', 'F', 303)},Н0мер,Әйгерім,,,,,`, // 8: digits in the surname
    ]);
    const report = await importPopulationCsv(db, file, { actor: SYSTEM_ACTOR, maxListedRejections: 3 });
    expect(report).toMatchObject({ read: 7, imported: 2, rejectedCount: 5, registerSize: 2 });
    expect(report.rejected.map((r) => [r.line, r.code])).toEqual([
      [3, 'iin-invalid'],
      [4, 'duplicate'],
      [6, 'duplicate'],
    ]);
    expect(report.rejected[1]!.iin).toBe(a);
    expect(findPersonByIin(db, a)).toMatchObject({ surname: 'Бірінші' });
    expect(db.prepare('SELECT count(*) FROM person').pluck().get()).toBe(2);
  });

  it('keeps the main thread answering while the new register is built and swapped in', async () => {
    ws = createTestWorkstation({ population: 40 });
    const db = ws.app.db;
    const someone = (registerOf(db) as Array<{ iin: string; surname: string }>)[0]!;
    const file = writeCsv(ws.dir, 30_000, 8);
    // From the 'finishing' progress on, a timer ticks on this thread and each tick searches the register through
    // this thread's connection: with the finish on this thread, no tick would run until the import resolved.
    let finishing = false;
    let ticks = 0;
    let found = 0;
    const timer = setInterval(() => {
      if (!finishing) return;
      ticks++;
      if (findPersonByIin(db, someone.iin)) found++;
    }, 1);
    try {
      await importPopulationCsv(db, file, {
        actor: SYSTEM_ACTOR,
        onProgress: (p) => {
          if (p.phase === 'finishing') finishing = true;
        },
      });
    } finally {
      clearInterval(timer);
    }
    expect(finishing).toBe(true);
    expect(ticks).toBeGreaterThan(0);
    // Every search during the finish answered: the old register (WAL) until the swap, the new one after.
    expect(found).toBe(ticks);
    expect(db.prepare('SELECT count(*) FROM person').pluck().get()).toBeGreaterThanOrEqual(30_000);
    expect(findPersonByIin(db, someone.iin)).toBeTruthy();
  });

  // Into an empty register (the first import) the whole build holds the lock, not only the swap: the same holds.
  it.each([
    ['the swap', 40],
    ['the build in place of a first import', 0],
  ])('lets a desk save that meets %s wait for it and then go through, the event loop running meanwhile', async (_, population) => {
    ws = createTestWorkstation({ population });
    const events: string[] = [];
    const keep = (event: string) => void events.push(event);
    ws.app.log = { info: keep, warn: keep, error: keep };
    const reg = await ws.as('registrar');
    const file = writeCsv(ws.dir, 30_000, 9);
    // From the 'finishing' progress on, the registrar saves one change after another, through the dispatcher: one
    // of them meets the swap's write lock (db/swap-window.ts).
    let finishing = false;
    let stop = false;
    let saves = 0;
    const failures: unknown[] = [];
    const saving = (async () => {
      while (!stop) {
        if (finishing) {
          const r = await reg.raw('session.setLanguage', { language: saves % 2 ? 'kk' : 'ru' });
          if (r.ok) saves++;
          else failures.push(r);
        }
        await new Promise((r) => setTimeout(r, finishing ? 0 : 5));
      }
    })();
    try {
      await importPopulationCsv(ws.app.db, file, {
        actor: SYSTEM_ACTOR,
        onProgress: (p) => {
          if (p.phase === 'finishing') finishing = true;
        },
      });
    } finally {
      stop = true;
      await saving;
    }
    expect(failures).toEqual([]);
    expect(saves).toBeGreaterThan(0);
    expect(events.filter((e) => e === 'api.waited-for-register-swap').length).toBeGreaterThanOrEqual(1);
    expect(events).not.toContain('api.storage');
    expect(ws.app.db.prepare('SELECT count(*) FROM person').pluck().get()).toBeGreaterThanOrEqual(30_000);
  });

  it('answers once the swap commits and copies the register out of the WAL afterwards, on its own thread', async () => {
    ws = createTestWorkstation({ population: 40 });
    const db = ws.app.db;
    const file = writeCsv(ws.dir, 20_000, 9);
    const wal = `${db.name}-wal`;
    const autoCheckpoint = () => db.pragma('wal_autocheckpoint', { simple: true });
    expect(autoCheckpoint()).toBe(1000);
    const report = await importPopulationCsv(db, file, { actor: SYSTEM_ACTOR });
    // The import is over and durable: the new register is in the WAL, read by this connection. Until the worker has
    // checkpointed it, this connection does not (a desk write would otherwise copy the register on this thread).
    expect(db.prepare('SELECT count(*) FROM person').pluck().get()).toBe(report.registerSize);
    expect(autoCheckpoint()).toBe(0);
    await importSettled(db);
    expect(autoCheckpoint()).toBe(1000);
    // The worker copied every page into the database file and cut the WAL back (it held the whole register).
    expect(fs.statSync(wal).size).toBe(0);
    const reopened = new Database(db.name, { readonly: true });
    try {
      expect(reopened.prepare('SELECT count(*) FROM person').pluck().get()).toBe(report.registerSize);
    } finally {
      reopened.close();
    }
  });

  it('gives the desk its own checkpoints back only when every import that paused them has settled', async () => {
    ws = createTestWorkstation({ population: 40 });
    const db = ws.app.db;
    const first = writeCsv(ws.dir, 5_000, 10);
    const second = writeCsv(ws.dir, 5_000, 11);
    // The second import starts while the first one's worker may still be checkpointing.
    await importPopulationCsv(db, first, { actor: SYSTEM_ACTOR });
    const settledFirst = importSettled(db);
    await importPopulationCsv(db, second, { actor: SYSTEM_ACTOR });
    await settledFirst;
    await importSettled(db);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('keeps a person the desk adds while the new register is being built', async () => {
    ws = createTestWorkstation({ population: 40 });
    const app = ws.app;
    const file = writeCsv(ws.dir, 30_000, 9);
    const walkIn = await importWhileTheDeskAdds(app, file);
    // Whether the write landed during the build (the swap then merges again) or after the swap, it is kept.
    expect(findPersonByIin(app.db, walkIn)?.surname).toBe('Қосымшаев');
  });

  it('leaves the previous register as it was when cancelled midway', async () => {
    ws = createTestWorkstation({ population: 40 });
    const db = ws.app.db;
    const before = registerOf(db);
    const audits = auditCount(db);
    const file = writeCsv(ws.dir, 20_000, 5);
    const abort = new AbortController();
    let stored = 0;
    const run = importPopulationCsv(db, file, {
      actor: SYSTEM_ACTOR,
      batchSize: 500,
      signal: abort.signal,
      onProgress: (p) => {
        stored = p.rows;
        if (p.rows >= 2000) abort.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(ImportCancelledError);
    expect(stored).toBeGreaterThanOrEqual(2000);
    expect(stored).toBeLessThan(20_000);
    expect(registerOf(db)).toEqual(before);
    expect(auditCount(db)).toBe(audits);
    expect(stagingFilesOf(db).filter((f) => fs.existsSync(f))).toEqual([]);
    // And the next import runs normally.
    const report = await importPopulationCsv(db, writeCsv(ws.dir, 100, 6), { actor: SYSTEM_ACTOR });
    expect(report.imported).toBe(100);
  });

  it('leaves the previous register as it was when Stop comes while the new register is being built', async () => {
    ws = createTestWorkstation({ population: 40 });
    const db = ws.app.db;
    const before = registerOf(db);
    const audits = auditCount(db);
    const abort = new AbortController();
    let finishing = false;
    const run = importPopulationCsv(db, writeCsv(ws.dir, 5_000, 8), {
      actor: SYSTEM_ACTOR,
      signal: abort.signal,
      onProgress: (p) => {
        // Every row is read and staged: the worker is about to sort and index them.
        if (p.phase === 'finishing') {
          finishing = true;
          abort.abort();
        }
      },
    });
    await expect(run).rejects.toBeInstanceOf(ImportCancelledError);
    expect(finishing).toBe(true);
    expect(registerOf(db)).toEqual(before);
    expect(auditCount(db)).toBe(audits);
    expect(stagingFilesOf(db).filter((f) => fs.existsSync(f))).toEqual([]);
    const report = await importPopulationCsv(db, writeCsv(ws.dir, 100, 6), { actor: SYSTEM_ACTOR });
    expect(report.imported).toBe(100);
  });
});

describe('the register import of a large file, read in two parts at once', () => {
  /** The register without its update stamps (two imports of one file differ only in those). */
  const peopleOf = (db: Db) =>
    db
      .prepare('SELECT * FROM person ORDER BY iin')
      .all()
      .map((p) => ({ ...(p as object), updated_at: null }));

  it('gives the register and the account of one reader: a repeat across the halves found, lines numbered on', async () => {
    ws = createTestWorkstation({ population: 40 });
    const db = ws.app.db;
    const a = makeIin('1981-02-03', 'M', 111);
    const lines = [CSV_HEADER, `${a},Бірінші,Асқар,,,,,`, ...[...generatePeople(3000, 21)].map(personCsvLine)];
    lines.push(`${a},Екінші,Асқар,,,,,`); // a repeat of line 2, in the second half
    lines.splice(2500, 0, `${makeIin('1970-05-06', 'F', 303)},Н0мер,Әйгерім,,,,,`); // line 2501: digits in the surname
    const file = path.join(ws.dir, 'halves.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const split = await importPopulationCsv(db, file, { actor: SYSTEM_ACTOR, splitFrom: 0 });
    const registerAfterSplit = peopleOf(db);
    const whole = await importPopulationCsv(db, file, { actor: SYSTEM_ACTOR, splitFrom: Infinity });
    expect(peopleOf(db)).toEqual(registerAfterSplit);
    expect({ ...split, seconds: 0 }).toEqual({ ...whole, seconds: 0 });
    expect(split).toMatchObject({ read: 3003, imported: 3001, rejectedCount: 2 });
    expect(split.rejected.map((r) => [r.line, r.code])).toEqual([
      [2501, 'surname-not-letters'],
      [3004, 'duplicate'],
    ]);
    expect(findPersonByIin(db, a)).toMatchObject({ surname: 'Бірінші' });
    expect(stagingFilesOf(db).filter((f) => fs.existsSync(f))).toEqual([]);
  });

  it('swaps in on this thread for an in-memory database, which no other thread can reach', async () => {
    const dir = tempDir();
    const { db } = openDatabase(':memory:');
    try {
      const file = writeCsv(dir, 3000, 23);
      const report = await importPopulationCsv(db, file, { actor: SYSTEM_ACTOR, splitFrom: 0 });
      expect(report).toMatchObject({ read: 3000, imported: 3000, rejectedCount: 0, registerSize: 3000 });
      const someone = [...generatePeople(3000, 23)][2999]!;
      expect(findPersonByIin(db, someone.iin)).toMatchObject({ surname: someone.surname });
      expect(stagingFilesOf(db).filter((f) => fs.existsSync(f))).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('gives the same register in a database an earlier version created with 4 KiB pages as in a new one', async () => {
    const dir = tempDir();
    const older = path.join(dir, 'older.sqlite');
    const raw = new Database(older); // SQLite's default pages, as before this version made them 16 KiB
    raw.pragma('journal_mode = WAL');
    raw.close();
    const file = writeCsv(dir, 3000, 24);
    const registers = [];
    for (const name of ['older.sqlite', 'new.sqlite']) {
      const { db } = openDatabase(path.join(dir, name));
      try {
        const report = await importPopulationCsv(db, file, { actor: SYSTEM_ACTOR, splitFrom: 0 });
        await importSettled(db);
        expect(report).toMatchObject({ imported: 3000, registerSize: 3000 });
        registers.push({ pageSize: db.pragma('page_size', { simple: true }), people: peopleOf(db) });
      } finally {
        db.close();
      }
    }
    expect(registers.map((r) => r.pageSize)).toEqual([4096, 16384]);
    expect(registers[0]!.people).toEqual(registers[1]!.people);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a file whose second half is not UTF-8, naming Windows-1251, and keeps the register', async () => {
    ws = createTestWorkstation({ population: 40 });
    const db = ws.app.db;
    const before = registerOf(db);
    const people = [...generatePeople(2000, 22)].map(personCsvLine);
    const file = path.join(ws.dir, 'mixed.csv');
    fs.writeFileSync(
      file,
      Buffer.concat([
        Buffer.from([CSV_HEADER, ...people.slice(0, 1500)].join('\n') + '\n'),
        Buffer.from(people.slice(1500).join('\n') + '\n', 'latin1'), // Cyrillic as single bytes ≥ 0xC0
      ]),
    );
    expect(splitPoint(file, fs.statSync(file).size, 0)).toBeLessThan(Buffer.byteLength([CSV_HEADER, ...people.slice(0, 1500)].join('\n')));
    await expect(importPopulationCsv(db, file, { actor: SYSTEM_ACTOR, splitFrom: 0 })).rejects.toMatchObject({
      code: 'encoding',
      message: expect.stringContaining('Windows-1251'),
    });
    expect(registerOf(db)).toEqual(before);
    expect(stagingFilesOf(db).filter((f) => fs.existsSync(f))).toEqual([]);
  });
});

describe('the register import in a process that dies or is interrupted', () => {
  const BIN = path.join(PROJECT_ROOT, 'bin', 'tirkeu.mjs');

  /** Runs `tirkeu import-population`, sends `signal` once it reports progress; resolves with its exit. */
  function importThen(dir: string, file: string, signal: NodeJS.Signals) {
    return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'import-population', file, '--data', dir], {
        env: { ...process.env, TIRKEU_DATA: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      let sent = false;
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (!sent && /Importing: \d+% \(\d+ rows, [\d,]+ rows\/s/.test(stderr)) {
          sent = true;
          child.kill(signal);
        }
      });
      child.on('exit', (code, sig) => resolve({ code, signal: sig, stderr }));
    });
  }

  it('keeps the previous register when the process is killed midway, and the next import clears what it left', async () => {
    ws = createTestWorkstation({ population: 40 });
    const db = ws.app.db;
    const before = registerOf(db);
    const file = writeCsv(ws.dir, 150_000, 9);
    const run = await importThen(ws.dir, file, 'SIGKILL');
    expect(run.signal).toBe('SIGKILL');
    expect(registerOf(db)).toEqual(before);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(fs.existsSync(stagingFilesOf(db)[0])).toBe(true); // what the killed import staged, never swapped in
    const report = await importPopulationCsv(db, writeCsv(ws.dir, 100, 10), { actor: SYSTEM_ACTOR });
    const iins = new Set([...before.map((p) => (p as { iin: string }).iin), ...[...generatePeople(100, 10)].map((p) => p.iin)]);
    expect(report.registerSize).toBe(iins.size);
    expect(stagingFilesOf(db).filter((f) => fs.existsSync(f))).toEqual([]);
  }, 120_000);

  it('stops cleanly on Ctrl-C: exit 130, the register as it was, nothing staged left', async () => {
    ws = createTestWorkstation({ population: 40 });
    const db = ws.app.db;
    const before = registerOf(db);
    // Large enough that the signal lands while the file is read, even when the child's progress reaches us late
    // (the finishing step, once begun, is no longer stopped).
    const run = await importThen(ws.dir, writeCsv(ws.dir, 500_000, 11), 'SIGINT');
    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toContain('The import was cancelled; the register is as it was before.');
    expect(registerOf(db)).toEqual(before);
    expect(stagingFilesOf(db).filter((f) => fs.existsSync(f))).toEqual([]);
  }, 120_000);
});

/**
 * The register import's reading in two parts (read-parts.ts, parse-worker.ts): real worker threads reading a real
 * file into real staging files, split at a line break after the middle — and not split where that line break
 * lies inside a quoted field.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CSV_HEADER, generatePeople, personCsvLine } from '../../../../../electron/services/demo-population';
import { readInParts, splitPoint, type PartsReading } from '../../../../../electron/services/population/read-parts';
import { tempDir } from '../../../../helpers/app';

let reading: PartsReading | null = null;
afterEach(async () => {
  await Promise.all(reading?.readers.map((r) => r.terminate()) ?? []);
  reading = null;
});

function read(file: string, dir: string, splitFrom = 0) {
  const size = fs.statSync(file).size;
  const stagingFiles = [path.join(dir, 'a.import'), path.join(dir, 'a.import2')];
  const split = splitPoint(file, size, splitFrom);
  reading = readInParts({ file, encoding: 'utf-8', batchSize: 100, maxListedRejections: 10 }, { size, split, stagingFiles }, () => {});
  return { split, readers: reading.readers, done: reading.done };
}

const stagedLines = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT line FROM person_load ORDER BY line').pluck().all() as number[];
  } finally {
    db.close();
  }
};

describe('reading a register file in two parts', () => {
  it('splits after a line break in the middle: two threads, two staging files, the lines numbered on across', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'register.csv');
    const lines = [CSV_HEADER, ...[...generatePeople(1000, 3)].map(personCsvLine)];
    lines[700] = 'not-an-iin,Жоқ,Адам,,,,,'; // line 701, in the second half
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const { split, readers, done } = read(file, dir);
    const text = fs.readFileSync(file);
    expect(split).toBeGreaterThan(text.length / 2);
    expect(text[split! - 1]).toBe(10);
    expect(readers).toHaveLength(2);
    const parts = await done;
    const firstPartLines = text.subarray(0, split!).toString().split('\n').length - 1;
    expect(parts).toMatchObject({ read: 1000, staged: 999, rejectedCount: 1, lineOffset: firstPartLines });
    expect(parts.rejected.map((r) => [r.line, r.code])).toEqual([[701, 'iin-invalid']]);
    expect(parts.stagingFiles).toHaveLength(2);
    const first = stagedLines(parts.stagingFiles[0]!);
    const second = stagedLines(parts.stagingFiles[1]!);
    expect(first[0]).toBe(2);
    expect(first.at(-1)).toBe(firstPartLines);
    // The second part counts its own lines; the finishing step adds the offset.
    expect(second[0]).toBe(1);
    expect(first.length + second.length).toBe(999);
  });

  it('reads the whole file on the first thread when the middle falls inside a quoted field with line breaks', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'register.csv');
    const people = [...generatePeople(20, 4)].map(personCsvLine);
    const p = [...generatePeople(21, 4)][20]!;
    // One address of 20,000 characters over two lines, where the file's middle is.
    const long = `${p.iin},${p.surname},${p.givenName},,${p.birthDate},${p.sex},"${'ү'.repeat(6000)}\n${'ә'.repeat(4000)}",`;
    fs.writeFileSync(file, [CSV_HEADER, ...people.slice(0, 10), long, ...people.slice(10)].join('\n') + '\n');
    const { split, done } = read(file, dir);
    const text = fs.readFileSync(file, 'utf8');
    const quoted = Buffer.byteLength(text.slice(0, text.indexOf('"')));
    expect(split).toBeGreaterThan(quoted); // the split lands inside the quoted field...
    expect(split).toBeLessThan(Buffer.byteLength(text.slice(0, text.lastIndexOf('"'))));
    const parts = await done;
    // ...so the first part read on to the end, and the second part's rows count for nothing.
    expect(parts.stagingFiles).toHaveLength(1);
    expect(parts).toMatchObject({ read: 21 });
    expect(stagedLines(parts.stagingFiles[0]!)).toHaveLength(parts.staged);
    expect(parts.staged + parts.rejectedCount).toBe(21);
  });

  it('reads a file saved with a byte-order mark and every field quoted, as some spreadsheets and scripts write it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'register.csv');
    const quoteAll = (line: string) =>
      line
        .split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)
        .map((cell) => (cell.startsWith('"') ? cell : `"${cell}"`))
        .join(',');
    const lines = [CSV_HEADER, ...[...generatePeople(400, 6)].map(personCsvLine)].map(quoteAll);
    expect(lines[0]).toBe('"iin","surname","given_name","patronymic","birth_date","sex","address","phone"');
    fs.writeFileSync(file, '\uFEFF' + lines.join('\r\n') + '\r\n');
    const { readers, done } = read(file, dir);
    expect(readers).toHaveLength(2);
    expect(await done).toMatchObject({ read: 400, staged: 400, rejectedCount: 0 });
  });

  it('reads a small file on one thread', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'register.csv');
    fs.writeFileSync(file, [CSV_HEADER, ...[...generatePeople(50, 5)].map(personCsvLine)].join('\n') + '\n');
    const { split, readers, done } = read(file, dir, 1 << 20);
    expect(split).toBeNull();
    expect(readers).toHaveLength(1);
    expect(await done).toMatchObject({ read: 50, staged: 50, stagingFiles: [path.join(dir, 'a.import')] });
  });
});

/**
 * The register import's baseline (issue 18, goal 1): the `sqlite3` command-line shell doing the same load natively
 * — `.import` of the CSV into a temporary table, a sorted insert into the same person table (same DDL, name keys
 * from SQLite's upper()/lower()) and the same name indexes built after, in one transaction, with the shell's
 * default journal and synchronous settings. No validation: that is the import's own extra work.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/connection';

export function sqlite3Available(): boolean {
  return spawnSync('sqlite3', ['-version'], { stdio: 'ignore' }).status === 0;
}

/** Runs the shell's load of `csv` into a new database in `dir`; returns the wall time in ms. */
export function sqliteShellImport(schemaFrom: Db, csv: string, dir: string): number {
  const ddl = schemaFrom
    .prepare(`SELECT sql FROM sqlite_schema WHERE tbl_name = 'person' AND sql IS NOT NULL ORDER BY type DESC, name`)
    .pluck()
    .all() as string[];
  const [table, ...indexes] = ddl;
  const file = path.join(dir, 'sqlite3-baseline.sqlite');
  fs.rmSync(file, { force: true });
  const script = [
    `${table};`,
    'CREATE TEMP TABLE staging (iin, surname, given_name, patronymic, birth_date, sex, address, phone);',
    `.import --csv --skip 1 --schema temp '${csv.replace(/'/g, "''")}' staging`,
    'BEGIN;',
    `INSERT INTO person (iin, surname, given_name, patronymic, birth_date, sex, address, phone, source, surname_key, given_key,
       patronymic_key, surname_exact, given_exact, patronymic_exact, updated_at)
     SELECT iin, surname, given_name, nullif(patronymic, ''), birth_date, sex, nullif(address, ''), nullif(phone, ''), 'register',
       upper(surname), upper(given_name), upper(patronymic), lower(surname), lower(given_name), lower(patronymic),
       '2026-01-01T00:00:00.000Z'
     FROM temp.staging ORDER BY iin;`,
    ...indexes.map((i) => `${i};`),
    'COMMIT;',
  ].join('\n');
  const t0 = performance.now();
  const run = spawnSync('sqlite3', ['-bail', file], { input: script, encoding: 'utf8', maxBuffer: 1 << 24 });
  const ms = performance.now() - t0;
  if (run.status !== 0) throw new Error(`sqlite3 failed: ${run.stderr || run.stdout}`);
  const count = spawnSync('sqlite3', [file, 'SELECT count(*) FROM person'], { encoding: 'utf8' }).stdout.trim();
  fs.rmSync(file, { force: true });
  if (!/^\d+$/.test(count) || Number(count) === 0) throw new Error(`sqlite3 loaded ${count} rows`);
  return ms;
}

/** The `tirkeu` command as a user runs it: a real process, real files. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import { openDatabase } from '../../../db/connection';
import { SCHEMA_VERSION } from '../../../db/migrations';
import { PROJECT_ROOT } from '../../../electron/services/paths';
import { tempDir } from '../../helpers/app';

const BIN = path.join(PROJECT_ROOT, 'bin', 'tirkeu.mjs');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const dataDir = () => {
  const d = tempDir('tirkeu-cli-');
  dirs.push(d);
  return d;
};
const tirkeu = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TIRKEU_DATA: '' } });

describe('tirkeu iin', () => {
  it('prints one JSON line per number and exits 0 when all are valid', () => {
    const a = makeIin('1985-03-01', 'F', 11);
    const b = makeIin('1901-12-31', 'M', 3);
    const r = tirkeu('iin', a, b);
    expect(r.status).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { iin: a, valid: true, birthDate: '1985-03-01', sex: 'F' },
      { iin: b, valid: true, birthDate: '1901-12-31', sex: 'M' },
    ]);
  });

  it('exits 1 when any is invalid, with the reason', () => {
    const r = tirkeu('iin', makeIin('1985-03-01', 'F', 11), '12345', '85030140011X');
    expect(r.status).toBe(1);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[1]).toEqual({ iin: '12345', valid: false, reason: 'length' });
    expect(lines[2]).toEqual({ iin: '85030140011X', valid: false, reason: 'not-digits' });
  });
});

describe('tirkeu migrate and verify-audit', () => {
  it('creates the database, then reports the first broken audit link after someone edits history', () => {
    const dir = dataDir();
    expect(tirkeu('migrate', '--data', dir).stdout).toContain(`to ${SCHEMA_VERSION}`);
    expect(tirkeu('migrate', '--data', dir).stdout).toContain('up to date');
    expect(tirkeu('reset-password', 'nobody', '--data', dir).status).toBe(1);
    // Write three audit entries through the real code path: a population import writes one each.
    const csv = path.join(dir, 'p.csv');
    fs.writeFileSync(csv, `iin,surname,given_name\n${makeIin('1970-01-01', 'M', 1)},Оспанов,Серік\n`);
    for (let i = 0; i < 3; i++) expect(tirkeu('import-population', csv, '--data', dir).status).toBe(0);
    const ok = tirkeu('verify-audit', '--data', dir);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ ok: true, rows: 3 });

    const raw = openDatabase(path.join(dir, 'tirkeu.sqlite')).db;
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare(`UPDATE audit_log SET staff_login = 'someone-else' WHERE id = 2`).run();
    raw.close();
    const broken = tirkeu('verify-audit', '--data', dir);
    expect(broken.status).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, brokenAt: 2 });
    expect(broken.stderr).toContain('broken at entry 2');
  });

  it('refuses a database from a newer version with a clear message', () => {
    const dir = dataDir();
    tirkeu('migrate', '--data', dir);
    const raw = openDatabase(path.join(dir, 'tirkeu.sqlite')).db;
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const r = tirkeu('migrate', '--data', dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('newer Tirkeu');
  });
});

describe('tirkeu import-population', () => {
  it('imports good rows, rejects broken ones with line and reason, and is safe to re-run', () => {
    const dir = dataDir();
    const good1 = makeIin('1980-05-05', 'M', 1);
    const good2 = makeIin('1992-10-10', 'F', 1);
    const csv = path.join(dir, 'people.csv');
    fs.writeFileSync(
      csv,
      '\uFEFFiin,surname,given_name,patronymic,birth_date,sex,address,phone\n' +
        `${good1},Оспанов,Серік,Болатұлы,1980-05-05,M,"Астана қ., Абай д-лы, 1",+7 701 000 00 01\n` +
        `${good2},Иванова,Ольга,Петровна,,,,\n` +
        `123,Жоқ,Адам,,,,,\n` +
        `${good1},Екінші,Рет,,,,,\n` +
        `${makeIin('1975-01-01', 'M', 9)},Қате,Жыныс,,,F,,\n` +
        `${makeIin('1975-02-02', 'M', 9)},,Атысыз,,,,,\n`,
    );
    const r = tirkeu('import-population', csv, '--data', dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Read 6 rows: imported 2, rejected 4');
    expect(r.stdout).toMatch(/line 4: 123 — invalid IIN: the IIN is not 12 digits/);
    expect(r.stdout).toMatch(/line 5: .* the same IIN appears earlier/);
    expect(r.stdout).toMatch(/the sex “female” does not match the IIN/);
    const rejected = fs.readFileSync(path.join(dir, 'people.rejected.csv'), 'utf8');
    expect(rejected.split('\n')[0]).toBe('\uFEFFLine,IIN,Field,Reason');
    expect(rejected.trim().split('\n')).toHaveLength(5);
    // In Kazakh when asked: the administrator's file for the clinic's people.
    expect(tirkeu('import-population', csv, '--data', dir, '--lang', 'kk').stdout).toContain('imported 2');
    const kk = fs.readFileSync(path.join(dir, 'people.rejected.csv'), 'utf8');
    expect(kk.split('\n')[0]).toBe('\uFEFFЖол,ЖСН,Өріс,Себебі');
    expect(kk).toContain('"ЖСН жарамсыз: ЖСН 12 саннан тұрмайды"');
    // The command ends once its worker has copied the new register from the WAL into the database file.
    const wal = path.join(dir, 'tirkeu.sqlite-wal');
    expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0);
    const { db } = openDatabase(path.join(dir, 'tirkeu.sqlite'));
    expect(db.prepare('SELECT count(*) AS n FROM person').get()).toEqual({ n: 2 });
    expect(db.prepare('SELECT address FROM person WHERE iin = ?').get(good1)).toEqual({ address: 'Астана қ., Абай д-лы, 1' });
    db.close();
  });

  it('recognises a Windows-1251 file, imports nothing from it, and reads it when told the encoding', () => {
    const dir = dataDir();
    const csv = path.join(dir, 'cp1251.csv');
    const text = `iin,surname,given_name\n${makeIin('1960-06-06', 'F', 1)},Петрова,Анна\n`;
    fs.writeFileSync(csv, encode1251(text));
    const r = tirkeu('import-population', csv, '--data', dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Windows-1251');
    const { db } = openDatabase(path.join(dir, 'tirkeu.sqlite'));
    expect(db.prepare('SELECT count(*) AS n FROM person').get()).toEqual({ n: 0 });
    db.close();
    const ok = tirkeu('import-population', csv, '--data', dir, '--encoding', 'windows-1251');
    expect(ok.stdout).toContain('imported 1');
  });

  it('names the missing columns of a wrong header', () => {
    const dir = dataDir();
    const csv = path.join(dir, 'bad.csv');
    fs.writeFileSync(csv, 'id,name\n1,x\n');
    const r = tirkeu('import-population', csv, '--data', dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('lacks the column(s): iin, surname, given_name');
  });
});

/** Windows-1251 for Cyrillic (А–я, Ё, ё); enough for the test text. */
function encode1251(text: string): Buffer {
  const bytes: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) bytes.push(c);
    else if (c >= 0x410 && c <= 0x44f) bytes.push(c - 0x410 + 0xc0);
    else if (c === 0x401) bytes.push(0xa8);
    else if (c === 0x451) bytes.push(0xb8);
    else throw new Error(`not in the test encoder: ${ch}`);
  }
  return Buffer.from(bytes);
}

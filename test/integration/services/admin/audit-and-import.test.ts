/**
 * The Administration screen's audit check and register import through the dispatcher, on a real SQLite file
 * (issue 16): the verdicts `tirkeu verify-audit` gives (intact, edited, cut short, re-hashed), and a CSV sent in
 * chunks, imported with its rejected rows named by field, and its rejected-rows file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UPLOAD_CHUNK_BYTES, type UploadStatusInfo } from '../../../../common/api/maintenance';
import { makeIin } from '../../../../common/iin';
import { auditHead } from '../../../../db/audit';
import { updateSyncState } from '../../../../db/sync';
import { FIELD_OF, REJECTION_CODES, rejectionText, type Rejection } from '../../../../common/population-rejections';
import { LANGUAGES } from '../../../../common/roles';
import { CSV_HEADER, generatePeople, personCsvLine } from '../../../../electron/services/demo-population';
import { rowToPerson } from '../../../../electron/services/population-import';
import { RENDERER_DIR } from '../../../../electron/services/paths';
import { startWebHost } from '../../../../electron/webhost';
import { createTestWorkstation, type Caller, type TestWorkstation } from '../../../helpers/app';

let ws: TestWorkstation | null = null;
afterEach(() => {
  ws?.close();
  ws = null;
});

describe('the audit check', () => {
  it('says intact, then names the edited entry; compares with the acknowledged head', async () => {
    ws = createTestWorkstation({ population: 5 });
    const admin = await ws.as('admin');
    const fine = await admin.call('auditLog.check', {});
    expect(fine).toMatchObject({ ok: true, chain: { ok: true }, acknowledged: null, server: null });

    // The server acknowledged the head; then the log is cut short by someone with the file.
    const head = auditHead(ws.app.db);
    updateSyncState(ws.app.db, { auditAcknowledged: { seq: head.seq + 5, hash: 'f'.repeat(64) } });
    const cut = await admin.call('auditLog.check', {});
    expect(cut).toMatchObject({ ok: false, chain: { ok: true }, server: { ok: false, problem: 'truncated', endsAt: expect.any(Number) } });

    updateSyncState(ws.app.db, { auditAcknowledged: { seq: 1, hash: 'f'.repeat(64) } });
    const rehashed = await admin.call('auditLog.check', {});
    expect(rehashed).toMatchObject({ ok: false, server: { ok: false, problem: 'rehashed', row: 1 } });

    updateSyncState(ws.app.db, {
      auditAcknowledged: { seq: 1, hash: ws.app.db.prepare('SELECT hash FROM audit_log WHERE id = 1').pluck().get() as string },
    });
    expect(await admin.call('auditLog.check', {})).toMatchObject({ ok: true, server: { ok: true } });

    ws.app.db.exec('DROP TRIGGER audit_log_no_update');
    ws.app.db.prepare('UPDATE audit_log SET details = \'{"edited":true}\' WHERE id = 2').run();
    const broken = await admin.call('auditLog.check', {});
    expect(broken).toMatchObject({ ok: false, chain: { ok: false, brokenAt: 2, reason: 'hash-mismatch' } });
  });

  it('walks the chain on another thread: the desk answers and saves while it runs', async () => {
    ws = createTestWorkstation({ population: 5 });
    const admin = await ws.as('admin');
    const registrar = await ws.as('registrar');
    let done = false;
    const check = admin.call('auditLog.check', {}).finally(() => (done = true));
    await registrar.call('people.createManual', { iin: makeIin('1988-04-05', 'F', 4242), surname: 'Жақсыбекова', givenName: 'Дана' });
    let turns = 0;
    while (!done) {
      turns++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Had the chain been walked on this thread, nothing else could have run before the answer.
    expect(turns).toBeGreaterThan(0);
    expect(await check).toMatchObject({ ok: true, chain: { ok: true } });
    // The entry the save wrote meanwhile is part of an intact chain too.
    expect(await admin.call('auditLog.check', {})).toMatchObject({ ok: true, chain: { ok: true } });
  });
});

async function upload(admin: Caller, csv: string, chunk = 64): Promise<UploadStatusInfo> {
  const bytes = Buffer.from(csv);
  let s = await admin.call('populationImport.begin', { fileName: 'register.csv', bytes: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += chunk)
    s = await admin.call('populationImport.chunk', { id: s.id, offset, data: bytes.subarray(offset, offset + chunk).toString('base64') });
  s = await admin.call('populationImport.start', { id: s.id });
  while (s.state === 'importing') {
    await new Promise((r) => setTimeout(r, 20));
    s = await admin.call('populationImport.status', { id: s.id });
  }
  return s;
}

describe('the register import from the screen', () => {
  it('imports a file sent in chunks, names each rejected row’s field, and gives the rejected-rows file', async () => {
    ws = createTestWorkstation({ population: 5 });
    const admin = await ws.as('admin');
    const good = makeIin('1985-01-02', 'F', 901);
    const csv = [
      'iin,surname,given_name,patronymic,birth_date,sex',
      `${good},Иванова,Мария,Петровна,1985-01-02,F`,
      '123456789012,Петров,Пётр,,,',
      `${makeIin('1970-06-07', 'M', 902)},Ахметов,Болат,,1970-06-08,`,
      `${makeIin('1971-06-07', 'M', 903)},Сейтов,Ерлан,,,F`,
      `${good},Иванова,Мария,,,`,
    ].join('\n');
    const s = await upload(admin, csv);
    expect(s).toMatchObject({ state: 'done', report: { read: 5, imported: 1, rejectedCount: 4 } });
    expect(s.rejected.map((r) => [r.line, r.field])).toEqual([
      [3, 'iin'],
      [4, 'birth_date'],
      [5, 'sex'],
      [6, 'duplicate'],
    ]);
    expect(s.rejected.map((r) => [r.code, r.params ?? null])).toEqual([
      ['iin-invalid', { reason: 'century' }],
      ['birth-date-mismatch', { given: '1970-06-08', fromIin: '1970-06-07' }],
      ['sex-mismatch', { given: 'F', fromIin: 'M' }],
      ['duplicate', null],
    ]);
    // The saved file speaks the language asked for: labels and reasons in words, no column key or English.
    const ru = await admin.call('populationImport.rejectedRows', { id: s.id, language: 'ru' });
    expect(ru.fileName).toBe('register.rejected.csv');
    expect(ru.rows).toBe(4);
    const ruLines = ru.csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(ruLines[0]).toBe('Строка,ИИН,Поле,Причина');
    expect(ruLines[1]).toBe('3,123456789012,"ИИН","неверный ИИН: 7-я цифра ИИН не от 1 до 6"');
    expect(ruLines[2]).toContain('"дата рождения 1970-06-08 не совпадает с ИИН (по ИИН 1970-06-07)"');
    expect(ruLines[3]).toContain('"пол «женский» не совпадает с ИИН (по ИИН «мужской»)"');
    const kk = await admin.call('populationImport.rejectedRows', { id: s.id, language: 'kk' });
    expect(kk.csv).toContain('Жол,ЖСН,Өріс,Себебі');
    expect(kk.csv).toContain('"бұл ЖСН файлда жоғарыда кездескен"');
    for (const f of [ru, kk]) expect(f.csv.replace(/\d{4}-\d{2}-\d{2}/g, '')).not.toMatch(/[A-Za-z]/);
    const en = await admin.call('populationImport.rejectedRows', { id: s.id, language: 'en' });
    expect(en.csv).toContain('"the same IIN appears earlier in the file"');
    expect((await admin.call('people.findByIin', { iin: good }))?.surname).toBe('Иванова');
    // The audit names the file the administrator chose; the uploaded copy is gone.
    const entry = ws.app.db.prepare("SELECT details FROM audit_log WHERE action = 'population.imported'").pluck().get() as string;
    expect(JSON.parse(entry)).toMatchObject({ file: 'register.csv', imported: 1, rejected: 4 });
    expect(fs.readdirSync(path.join(ws.dir, 'imports'))).toEqual([]);
  });

  it('stops an import on request, with the register as it was', async () => {
    ws = createTestWorkstation({ population: 5 });
    const admin = await ws.as('admin');
    const before = ws.app.db.prepare('SELECT * FROM person ORDER BY iin').all();
    const lines = [CSV_HEADER, ...[...generatePeople(30_000, 3)].map(personCsvLine)];
    const bytes = Buffer.from(lines.join('\n') + '\n');
    let s = await admin.call('populationImport.begin', { fileName: 'big.csv', bytes: bytes.length });
    for (let offset = 0; offset < bytes.length; offset += UPLOAD_CHUNK_BYTES)
      s = await admin.call('populationImport.chunk', {
        id: s.id,
        offset,
        data: bytes.subarray(offset, offset + UPLOAD_CHUNK_BYTES).toString('base64'),
      });
    s = await admin.call('populationImport.start', { id: s.id });
    expect(s).toMatchObject({ state: 'importing', phase: 'reading' });
    s = await admin.call('populationImport.cancel', { id: s.id });
    while (s.state === 'importing') {
      await new Promise((r) => setTimeout(r, 20));
      s = await admin.call('populationImport.status', { id: s.id });
    }
    expect(s).toMatchObject({ state: 'cancelled', report: null, error: null });
    expect(ws.app.db.prepare('SELECT * FROM person ORDER BY iin').all()).toEqual(before);
    const late = await admin.raw('populationImport.cancel', { id: s.id });
    expect(late.ok ? null : late.error.code).toBe('conflict');
  });

  it('names a wrong header and refuses chunks out of order', async () => {
    ws = createTestWorkstation({ population: 5 });
    const admin = await ws.as('admin');
    const s = await upload(admin, 'number,name\n1,x\n');
    expect(s).toMatchObject({ state: 'failed', error: { code: 'header' } });

    const b = await admin.call('populationImport.begin', { fileName: 'x.csv', bytes: 10 });
    const r = await admin.raw('populationImport.chunk', { id: b.id, offset: 5, data: Buffer.from('abcde').toString('base64') });
    expect(r.ok ? null : r.error.code).toBe('validation');
    const early = await admin.raw('populationImport.start', { id: b.id });
    expect(early.ok ? null : early.error.code).toBe('validation');
    const registrar = await ws.as('registrar');
    expect(await registrar.raw('populationImport.status', { id: b.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('gives every rejection a code and its field, and words for each in kk, ru and en', () => {
    const iin = makeIin('1980-01-01', 'M', 5);
    const rows: Record<string, string>[] = [
      { iin: '1', surname: 'А', given_name: 'Б' },
      { iin, surname: '1', given_name: 'Б' },
      { iin, surname: 'А', given_name: '' },
      { iin, surname: 'А', given_name: 'Б', patronymic: '7' },
      { iin, surname: 'А', given_name: 'Б', birth_date: '1999-01-01' },
      { iin, surname: 'А', given_name: 'Б', sex: 'F' },
    ];
    const why = rows.map((r) => rowToPerson(r) as Rejection);
    expect(why.map((r) => r.code)).toEqual([
      'iin-invalid',
      'surname-not-letters',
      'given-name-missing',
      'patronymic-not-letters',
      'birth-date-mismatch',
      'sex-mismatch',
    ]);
    expect(why.map((r) => FIELD_OF[r.code])).toEqual(['iin', 'surname', 'given_name', 'patronymic', 'birth_date', 'sex']);
    // Every code in every language, and no Latin letter in a kk or ru text.
    for (const code of REJECTION_CODES)
      for (const lang of LANGUAGES) {
        const params =
          code === 'sex-mismatch' ? { given: 'F', fromIin: 'M' } : { reason: 'date' as const, given: '1999-01-01', fromIin: '1980-01-01' };
        const text = rejectionText({ code, params }, lang);
        expect(text.length).toBeGreaterThan(3);
        if (lang !== 'en') expect(text, `${code} ${lang}`).not.toMatch(/[A-Za-z]/);
      }
  });
});

describe('one-time links', () => {
  it('are issued while the web host runs, and not in the window (no host)', async () => {
    ws = createTestWorkstation({ population: 5 });
    const admin = await ws.as('admin');
    expect(await admin.call('loginLinks.issue', {})).toEqual({ url: null });
    const host = await startWebHost({ app: ws.app, staticDir: RENDERER_DIR });
    const { url } = await admin.call('loginLinks.issue', {});
    expect(url).toMatch(new RegExp(`^${host.url}/\\?token=[\\w-]{32}$`));
    const first = await fetch(url!, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect((await fetch(url!, { redirect: 'manual' })).status).toBe(403); // once only
    await host.close();
    expect(await admin.call('loginLinks.issue', {})).toEqual({ url: null });
  });
});

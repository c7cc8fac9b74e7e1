/**
 * A dispensary register's CSV import through the real API (electron/services/dispensary/register-import.ts): a
 * large file is read and written in slices while the desk goes on answering, every row lands once with its
 * operations for the other desks, and the rejected rows are given by code — worded on the screen and in the file
 * in the reader's language, never in English on a Kazakh or Russian desk.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { registerRejectionText } from '../../../common/register-rejections';
import { lookupRegister } from '../../../db/dispensary';
import { listOutbox } from '../../../db/outbox';
import { createTestWorkstation, type TestWorkstation } from '../../helpers/app';
import { distinctIins } from '../../helpers/iins';

let ws: TestWorkstation | null = null;
afterEach(() => {
  ws?.close();
  ws = null;
});

describe('a dispensary register’s CSV import', () => {
  it('reads and writes a large file in slices: the desk answers meanwhile, every row lands once with its operations', async () => {
    ws = createTestWorkstation({ population: 0 });
    const admin = await ws.as('admin');
    const people = distinctIins(60_000);
    const text = ['iin,from_date,removed_on', ...people.map((iin, i) => `${iin},2015-01-01,${i % 10 === 0 ? '2020-01-01' : ''}`)].join(
      '\n',
    );
    // A timer on the desk and a call from another window while the import runs.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const answered: number[] = [];
    const progress: number[] = [];
    const other = await ws.as('registrar');
    const poll = setInterval(() => {
      void other.call('people.search', { query: 'Қас' }).then(() => answered.push(ticks));
      void admin.call('registers.importProgress', {}).then((p) => p && progress.push(p.done));
    }, 5);
    const report = await admin.call('registers.import', { register: 'tb', fileName: 'tb.csv', text });
    clearInterval(poll);
    clearInterval(timer);

    expect(report).toMatchObject({ total: 60_000, accepted: 60_000, rejected: 0 });
    expect(ticks).toBeGreaterThan(20);
    expect(answered.length).toBeGreaterThan(5);
    // The writing was seen part way more than once: it went in slices, not one block.
    expect(new Set(progress.filter((d) => d > 0 && d < 60_000)).size).toBeGreaterThan(2);
    expect(lookupRegister(ws.app.db, 'tb', people[59_999]!)).toMatchObject({ from_date: '2015-01-01', removed_on: null });
    expect(lookupRegister(ws.app.db, 'tb', people[10]!)).toMatchObject({ removed_on: '2020-01-01' });
    expect(ws.app.db.prepare(`SELECT count(*) FROM register_entry WHERE register = 'tb'`).pluck().get()).toBe(60_000);
    // The other desks get every row once, in operations of at most 2,000 rows.
    const ops = listOutbox(ws.app.db).filter((o) => o.kind === 'register.rows');
    const rows = ops.flatMap((o) => (o.payload as { rows: Array<{ iin: string }> }).rows.map((r) => r.iin));
    expect(Math.max(...ops.map((o) => (o.payload as { rows: unknown[] }).rows.length))).toBeLessThanOrEqual(2000);
    expect(rows.length).toBe(60_000);
    expect(new Set(rows).size).toBe(60_000);
  });

  it('gives each rejected row by code with its line, worded in kk and ru on the screen and in the staff’s language in the file', async () => {
    ws = createTestWorkstation({ population: 0 });
    const admin = await ws.as('admin');
    const [quoted, ...people] = distinctIins(20_001);
    const lines = ['iin,from_date,removed_on', ...people.map((iin) => `${iin},01.02.2015,`)];
    // Faults past the first pieces of the file, so their lines are counted across pieces.
    lines[12_000] = `${people[11_999]!.slice(0, 11)}${(Number(people[11_999]!.at(-1)) + 1) % 10},2015-01-01,`; // a wrong check digit (line 12,001)
    lines[15_000] = `${people[14_999]},2015-13-01,`;
    lines[17_000] = `${people[16_999]},2015-01-01,вчера`;
    lines[18_000] = `${people[17_999]},2015-01-01,2014-01-01`;
    lines.push(`${people[5]},2016-01-01,`, '', `"${quoted}",2015-01-01,`); // a repeat, a blank line, a quoted IIN
    const report = await admin.call('registers.import', { register: 'psychiatric', fileName: 'p.csv', text: lines.join('\r\n') });

    expect(report).toMatchObject({ total: 20_002, accepted: 19_997, rejected: 5 });
    const rejected = report.rejectedRows.map((r) => [r.line, r.code, r.params?.reason]);
    expect(rejected).toEqual([
      [12_001, 'iin-invalid', 'checksum'],
      [15_001, 'from-date-invalid', undefined],
      [17_001, 'removed-on-invalid', undefined],
      [18_001, 'removed-before-from', undefined],
      [20_002, 'duplicate', undefined],
    ]);
    expect(lookupRegister(ws.app.db, 'psychiatric', quoted!)).toMatchObject({ from_date: '2015-01-01' });
    expect(lookupRegister(ws.app.db, 'psychiatric', people[0]!)).toMatchObject({ from_date: '2015-02-01' });
    // The screen's words in each language, no English in kk or ru.
    const dates = report.rejectedRows.find((r) => r.code === 'removed-before-from')!;
    expect(registerRejectionText(dates, 'kk')).toBe('Есептен шығарылған күні есепке алынған күнінен ерте');
    expect(registerRejectionText(dates, 'ru')).toBe('Дата снятия с учёта раньше даты постановки');
    for (const r of report.rejectedRows)
      for (const lang of ['kk', 'ru'] as const) expect(registerRejectionText(r, lang)).not.toMatch(/\b(the|is|not|date|IIN)\b/);
    // The file is in the administrator's language (the demo administrator works in Kazakh).
    const [header, ...fileRows] = report.rejectedCsv.trim().split('\n');
    expect(header).toBe('Жол,Себебі,Жолдың мазмұны');
    expect(fileRows.find((l) => l.startsWith('20002,'))).toContain('Бұл ЖСН файлда жоғарыда кездескен');
  });

  it('refuses a file without the columns, naming the file, and writes nothing', async () => {
    ws = createTestWorkstation({ population: 0 });
    const admin = await ws.as('admin');
    const r = await admin.raw('registers.import', {
      register: 'tb',
      fileName: 'x.csv',
      text: `iin;date\n${distinctIins(1)[0]};2015-01-01\n`,
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'validation', fields: ['text'] } });
    expect(ws.app.db.prepare('SELECT count(*) FROM register_entry').pluck().get()).toBe(0);
  });
});

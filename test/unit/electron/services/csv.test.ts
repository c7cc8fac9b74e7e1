import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvLine, spreadsheetCsv, toCsv } from '../../../../electron/services/csv';

// The hand-written writers the helper replaced, kept here as the reference for "same output".
function legacySpreadsheet(lines: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
    return /[";\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return '\uFEFF' + lines.map((l) => l.map(cell).join(';')).join('\r\n') + '\r\n';
}
const legacyField = (v: string | null) => (v === null ? '' : /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

const TRICKY = [
  'Оспанов Серік',
  'a;b',
  'say "hi"',
  'two\nlines',
  'cr\rhere',
  '=SUM(A1)',
  '+7 701 000 00 01',
  '-5',
  '@home',
  'a,b',
  '',
  'Абай д-лы, 1',
  "'quoted'",
  'ends;"',
];

describe('CSV writing', () => {
  it('writes spreadsheet exports exactly as the hand-written writers did: BOM, semicolons, CRLF, formulas neutralised', () => {
    const lines: (string | number | null)[][] = [
      ['Нөмірі', 'Күні', 'Саны'],
      ...TRICKY.map((t, i) => [t, `2026-03-${String(i + 1).padStart(2, '0')}`, i % 3 === 0 ? null : i - 7]),
    ];
    expect(spreadsheetCsv(lines)).toBe(legacySpreadsheet(lines));
    expect(spreadsheetCsv([['only header']])).toBe('\uFEFFonly header\r\n');
  });

  it('writes plain comma lines exactly as before for values without edge spaces', () => {
    for (const t of TRICKY) expect(csvLine([t, null, 'x'])).toBe([legacyField(t), '', 'x'].join(','));
  });

  it('forces quotes on free-text columns of data rows, never on the header, and ends every line', () => {
    const rows = [
      [4, 'invalid IIN (length)', '123,Жоқ,"Адам"'],
      [7, 'the same IIN appears earlier in the file', ''],
    ];
    expect(toCsv(rows, { header: ['line', 'reason', 'row'], quoteColumns: [false, true, true] })).toBe(
      'line,reason,row\n4,"invalid IIN (length)","123,Жоқ,""Адам"""\n7,"the same IIN appears earlier in the file",""\n',
    );
    expect(toCsv([], { header: ['line', 'iin', 'reason'] })).toBe('line,iin,reason\n');
  });

  it('reads back through papaparse to the same cells', () => {
    const rows = TRICKY.map((t) => [t, ` ${t} `]);
    const text = toCsv(rows, { delimiter: ';', newline: '\r\n' });
    expect(Papa.parse<string[]>(text.replace(/\r\n$/, ''), { delimiter: ';', newline: '\r\n' }).data).toEqual(rows);
  });
});

/**
 * The import worker's row check gives rowToPerson's verdicts, straight from a record's bytes to the packed row with
 * its keys, trimming as String.prototype.trim does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeIin } from '../../../../../common/iin';
import { PACKED_COLUMNS } from '../../../../../db/person-packing';
import { packPerson, rowChecker, rowToPerson, type RecordFields } from '../../../../../electron/services/population/rows';

/** A record of these cells as the CSV reader hands it over: one buffer, each field's span in it. */
function record(cells: string[]): RecordFields {
  const parts = cells.map((c) => Buffer.from(c));
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const p of parts) {
    starts.push(at);
    ends.push((at += p.length));
  }
  return [Buffer.concat(parts), starts, ends];
}

/** The packed row with its cells as text (the checker stages most of them as the file's UTF-8 bytes). */
const asText = (row: unknown) => (Array.isArray(row) ? row.map((c) => (c instanceof Uint8Array ? Buffer.from(c).toString() : c)) : row);

const COLUMNS = ['iin', 'surname', 'given_name', 'patronymic', 'birth_date', 'sex', 'address', 'phone'];
const iin = makeIin('1980-01-01', 'M', 5);
const records: Array<Record<string, string>> = [
  {
    iin,
    surname: 'Әлімжанов',
    given_name: 'Асқар',
    patronymic: 'Серікұлы',
    birth_date: '1980-01-01',
    sex: 'm',
    address: ' Астана ',
    phone: '',
  },
  { iin: ` ${iin} `, surname: 'Иванов', given_name: 'Пётр', patronymic: '', birth_date: '', sex: '', address: '', phone: '+7 701' },
  { iin: '1', surname: 'А', given_name: 'Б', patronymic: '', birth_date: '', sex: '', address: '', phone: '' },
  { iin, surname: '1', given_name: 'Б', patronymic: '', birth_date: '', sex: '', address: '', phone: '' },
  { iin, surname: 'А', given_name: '', patronymic: '', birth_date: '', sex: '', address: '', phone: '' },
  { iin, surname: 'А', given_name: 'Б', patronymic: '7', birth_date: '', sex: '', address: '', phone: '' },
  { iin, surname: 'А', given_name: 'Б', patronymic: '', birth_date: '1999-01-01', sex: '', address: '', phone: '' },
  { iin, surname: 'А', given_name: 'Б', patronymic: '', birth_date: '', sex: 'F', address: '', phone: '' },
  // Cut at 200 and 32 characters, not bytes: 205 ASCII letters are cut, 150 Kazakh ones (300 bytes) are not.
  { iin, surname: 'А', given_name: 'Б', patronymic: '', birth_date: '', sex: '', address: 'x'.repeat(205), phone: '1'.repeat(33) },
  { iin, surname: 'А', given_name: 'Б', patronymic: '', birth_date: '', sex: '', address: 'Ә'.repeat(150), phone: 'Ә'.repeat(20) },
];

describe('the worker’s row check', () => {
  it('agrees with rowToPerson on every verdict and packs the same row', () => {
    const check = rowChecker(COLUMNS);
    for (const rec of records) {
      const expected = rowToPerson(rec);
      const got = asText(check(...record(COLUMNS.map((c) => rec[c]!))));
      if ('code' in expected) expect(got).toEqual(expected);
      else expect(got).toEqual(packPerson(expected));
    }
  });

  it('packs the keys as written and folded, in the column order of the staging table', () => {
    const row = asText(rowChecker(COLUMNS)(...record(COLUMNS.map((c) => records[0]![c]!)))) as string[];
    const byColumn = Object.fromEntries(PACKED_COLUMNS.map((c, i) => [c, row[i]]));
    expect(byColumn).toMatchObject({
      iin,
      surname: 'Әлімжанов',
      sex: 'M',
      address: 'Астана',
      phone: '',
      surname_key: 'АЛИМЖАНОВ',
      surname_exact: 'әлімжанов',
      given_exact: 'асқар',
      patronymic_key: 'СЕРИКУЛЫ',
    });
  });

  it('finds the columns by name in any order, and misses optional ones', () => {
    const check = rowChecker(['given_name', 'iin', 'surname']);
    const row = asText(check(...record(['Асқар', iin, 'Әлімжанов']))) as string[];
    expect(row.slice(0, 6)).toEqual([iin, 'Әлімжанов', 'Асқар', '', '1980-01-01', 'M']);
  });

  it('property: trims and cuts as rowToPerson, whatever the whitespace around the cells (Unicode spaces too)', () => {
    // Every character String.prototype.trim removes, and letters, digits and marks that it keeps.
    const space = fc.constantFrom(
      ' ',
      '\t',
      '\r',
      '\v',
      '\f',
      '\u00a0',
      '\u1680',
      '\u2003',
      '\u200a',
      '\u2028',
      '\u2029',
      '\u202f',
      '\u205f',
      '\u3000',
      '\ufeff',
    );
    const kept = fc.constantFrom('а', 'Ә', 'x', '1', '\u200b', '\u0085', '-', ',');
    const padded = (core: fc.Arbitrary<string>) =>
      fc.tuple(fc.string({ unit: space, maxLength: 3 }), core, fc.string({ unit: space, maxLength: 3 })).map(([a, c, b]) => a + c + b);
    const name = fc.constantFrom('Әлі', 'Иванов', "О'Нил", 'Анна-Мария', '', '7');
    const rec = fc.record({
      iin: padded(fc.constantFrom(iin, '1')),
      surname: padded(name),
      given_name: padded(name),
      patronymic: padded(name),
      birth_date: padded(fc.constantFrom('', '1980-01-01', '1981-01-01')),
      sex: padded(fc.constantFrom('', 'm', 'F')),
      address: padded(fc.string({ unit: fc.oneof(kept, space), maxLength: 230 })),
      phone: padded(fc.string({ unit: kept, maxLength: 40 })),
    });
    const check = rowChecker(COLUMNS);
    fc.assert(
      fc.property(rec, (r: Record<string, string>) => {
        const expected = rowToPerson(r);
        const got = asText(check(...record(COLUMNS.map((c) => r[c]!))));
        expect(got).toEqual('code' in expected ? expected : packPerson(expected));
      }),
      { numRuns: 500 },
    );
  });
});

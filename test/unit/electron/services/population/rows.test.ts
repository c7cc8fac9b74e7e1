/** The import worker's row check gives rowToPerson's verdicts, straight to the packed row with its keys. */
import { describe, expect, it } from 'vitest';
import { makeIin } from '../../../../../common/iin';
import { PACKED_COLUMNS } from '../../../../../db/person-packing';
import { packPerson, rowChecker, rowToPerson } from '../../../../../electron/services/population/rows';

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
];

describe('the worker’s row check', () => {
  it('agrees with rowToPerson on every verdict and packs the same row', () => {
    const check = rowChecker(COLUMNS);
    for (const rec of records) {
      const expected = rowToPerson(rec);
      const got = check(COLUMNS.map((c) => rec[c]!));
      if ('code' in expected) expect(got).toEqual(expected);
      else expect(got).toEqual(packPerson(expected));
    }
  });

  it('packs the keys as written and folded, in the column order of the staging table', () => {
    const row = rowChecker(COLUMNS)(COLUMNS.map((c) => records[0]![c]!)) as string[];
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
    const row = check(['Асқар', iin, 'Әлімжанов']) as string[];
    expect(row.slice(0, 6)).toEqual([iin, 'Әлімжанов', 'Асқар', '', '1980-01-01', 'M']);
  });
});

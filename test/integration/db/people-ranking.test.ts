/**
 * Kazakh-letter matches first (issue 16, point 5), on a real SQLite file: a search typed with Kazakh letters
 * lists the names written with those letters before the ones found only through folding (Ә→А…), and the other
 * way round for a query typed on a Russian layout; the name indexes serve both.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import { openDatabase, type Db } from '../../../db/connection';
import { insertPerson, searchPeople, upsertPerson } from '../../../db/people';
import { tempDir } from '../../helpers/app';

const AT = new Date('2026-03-02T05:00:00Z');
let dir: string | null = null;
let db: Db | null = null;
afterEach(() => {
  db?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  db = null;
  dir = null;
});

function register(names: Array<[string, string]>): Db {
  dir = tempDir('tirkeu-ranking-');
  db = openDatabase(path.join(dir, 'w.sqlite')).db;
  names.forEach(([surname, givenName], i) =>
    insertPerson(
      db!,
      {
        iin: makeIin('1980-01-01', i % 2 ? 'F' : 'M', 100 + i),
        surname,
        givenName,
        patronymic: null,
        birthDate: '1980-01-01',
        sex: i % 2 ? 'F' : 'M',
        address: null,
        phone: null,
        source: 'manual',
      },
      AT,
    ),
  );
  return db;
}

const surnames = (q: string, limit = 20) => searchPeople(db!, q, limit).map((p) => p.surname);

describe('name search ranks the letters as typed first', () => {
  // Folded, the Ал… names sort before the Әл… ones (АЛВ < АЛИ): without the exact tier they would come first.
  const NAMES: Array<[string, string]> = [
    ['Алвиев', 'Ерлан'],
    ['Алиев', 'Серік'],
    ['Әлиев', 'Серік'],
    ['Әлімжанов', 'Асқар'],
    ['Алимов', 'Ілияс'],
    ['Өтегенов', 'Нұрлан'],
    ['Отегенов', 'Марат'],
    ['Қасымов', 'Ерлан'],
    ['Касымов', 'Ерлан'],
  ];

  it('lists the Әл… names before the Ал… ones for "Әл", and the Ал… ones first for "Ал"', () => {
    register(NAMES);
    expect(surnames('Әл')).toEqual(['Әлиев', 'Әлімжанов', 'Алвиев', 'Алиев', 'Алимов']);
    expect(surnames('әл')).toEqual(['Әлиев', 'Әлімжанов', 'Алвиев', 'Алиев', 'Алимов']);
    expect(surnames('Ал')).toEqual(['Алвиев', 'Алиев', 'Алимов', 'Әлиев', 'Әлімжанов']);
    expect(surnames('Өт')).toEqual(['Өтегенов', 'Отегенов']);
    expect(surnames('От')).toEqual(['Отегенов', 'Өтегенов']);
    expect(surnames('Қас')).toEqual(['Қасымов', 'Касымов']);
  });

  it('fills the list from the folded matches without repeating anyone, up to the limit', () => {
    register(NAMES);
    expect(surnames('Әл', 3)).toEqual(['Әлиев', 'Әлімжанов', 'Алвиев']);
    expect(surnames('Әл', 2)).toEqual(['Әлиев', 'Әлімжанов']);
    const all = searchPeople(db!, 'ал', 20).map((p) => p.iin);
    expect(new Set(all).size).toBe(all.length);
  });

  it('ranks by the given name as typed too (surname and given-name prefixes)', () => {
    register(NAMES);
    // "Әлі" as the surname prefix: only Әлімжанов is written so; Алиев, Әлиев and Алимов fold to АЛИ….
    expect(surnames('Әлі А')).toEqual(['Әлімжанов']);
    expect(searchPeople(db!, 'ал сер', 20).map((p) => p.surname)).toEqual(['Алиев', 'Әлиев']);
    expect(searchPeople(db!, 'әл сер', 20).map((p) => p.surname)).toEqual(['Әлиев', 'Алиев']);
    expect(searchPeople(db!, 'Алимов І', 20).map((p) => p.givenName)).toEqual(['Ілияс']);
  });

  it('keeps the exact keys current when the register renames a person', () => {
    register(NAMES);
    const p = searchPeople(db!, 'Алвиев', 1)[0]!;
    upsertPerson(db!, { ...p, surname: 'Әлвиев', source: 'register' }, AT);
    expect(surnames('Әл')).toEqual(['Әлвиев', 'Әлиев', 'Әлімжанов', 'Алиев', 'Алимов']);
  });
});

/**
 * One row of a population-register CSV: checked on its own (IIN checksum, names, birth date and sex against the
 * IIN) and, when good, turned into the person row with its search keys — on the import's worker thread, so the
 * main thread only inserts. Kept free of the database: the worker thread loads this and the CSV parser only.
 */
import { parseIin } from '../../../common/iin';
import type { Rejection, RejectionCode } from '../../../common/population-rejections';
import type { Person } from '../../../common/schemas';
import { exactNameKey, nameKey } from '../../../common/text';
import type { PackedRow } from '../../../db/person-packing';

export const REQUIRED_COLUMNS = ['iin', 'surname', 'given_name'] as const;
export const OPTIONAL_COLUMNS = ['patronymic', 'birth_date', 'sex', 'address', 'phone'] as const;

/** A rejected row: its line, the IIN as typed and why, as a code with parameters (common/population-rejections.ts). */
export interface RejectedRow extends Rejection {
  line: number;
  iin: string;
}

export const rejected = (code: RejectionCode, params?: Rejection['params']): Rejection => (params ? { code, params } : { code });

const NAME_RE = /^[\p{L}][\p{L}\p{M}' -]*$/u;

/** Validates one CSV record; returns the person or why it is rejected. */
export function rowToPerson(rec: Record<string, string>): Person | Rejection {
  const iin = (rec.iin ?? '').trim();
  const parsed = parseIin(iin);
  if (!parsed.valid) return rejected('iin-invalid', { reason: parsed.reason });
  const surname = (rec.surname ?? '').trim();
  const given = (rec.given_name ?? '').trim();
  const patronymic = (rec.patronymic ?? '').trim() || null;
  if (!surname) return rejected('surname-missing');
  if (!NAME_RE.test(surname)) return rejected('surname-not-letters');
  if (!given) return rejected('given-name-missing');
  if (!NAME_RE.test(given)) return rejected('given-name-not-letters');
  if (patronymic && !NAME_RE.test(patronymic)) return rejected('patronymic-not-letters');
  const birth = (rec.birth_date ?? '').trim();
  if (birth && birth !== parsed.birthDate) return rejected('birth-date-mismatch', { given: birth, fromIin: parsed.birthDate });
  const sex = (rec.sex ?? '').trim().toUpperCase();
  if (sex && sex !== parsed.sex) return rejected('sex-mismatch', { given: sex, fromIin: parsed.sex });
  return {
    iin,
    surname,
    givenName: given,
    patronymic,
    birthDate: parsed.birthDate,
    sex: parsed.sex,
    address: (rec.address ?? '').trim().slice(0, 200) || null,
    phone: (rec.phone ?? '').trim().slice(0, 32) || null,
    source: 'register',
  };
}

/** One good row in the batch format of db/person-packing.ts. */
export function packPerson(p: Person): PackedRow {
  return [
    p.iin,
    p.surname,
    p.givenName,
    p.patronymic ?? '',
    p.birthDate,
    p.sex,
    p.address ?? '',
    p.phone ?? '',
    nameKey(p.surname),
    nameKey(p.givenName),
    nameKey(p.patronymic),
    exactNameKey(p.surname),
    exactNameKey(p.givenName),
    exactNameKey(p.patronymic),
  ];
}

/** A name part's check and keys, remembered: a register repeats the same names over and over. */
interface NamePart {
  ok: boolean;
  key: string;
  exact: string;
}

const NAME_CACHE_LIMIT = 500_000;

/**
 * The worker's row check: the same verdicts as rowToPerson (same order, same reasons), straight from the cells
 * to a packed row, with each distinct name checked and keyed once.
 */
export function rowChecker(columns: readonly string[]): (cells: readonly string[]) => PackedRow | Rejection {
  const at = (name: string) => columns.indexOf(name);
  const [iinAt, surAt, givenAt, patrAt, birthAt, sexAt, addrAt, phoneAt] = [
    'iin',
    'surname',
    'given_name',
    'patronymic',
    'birth_date',
    'sex',
    'address',
    'phone',
  ].map(at) as [number, number, number, number, number, number, number, number];
  const names = new Map<string, NamePart>();
  const part = (name: string): NamePart => {
    let p = names.get(name);
    if (!p) {
      if (names.size >= NAME_CACHE_LIMIT) names.clear();
      p = { ok: NAME_RE.test(name), key: nameKey(name), exact: exactNameKey(name) };
      names.set(name, p);
    }
    return p;
  };
  const cell = (cells: readonly string[], i: number) => (i >= 0 ? (cells[i] ?? '').trim() : '');
  return (cells) => {
    const iin = cell(cells, iinAt);
    const parsed = parseIin(iin);
    if (!parsed.valid) return rejected('iin-invalid', { reason: parsed.reason });
    const surname = cell(cells, surAt);
    const given = cell(cells, givenAt);
    const patronymic = cell(cells, patrAt);
    if (!surname) return rejected('surname-missing');
    const s = part(surname);
    if (!s.ok) return rejected('surname-not-letters');
    if (!given) return rejected('given-name-missing');
    const g = part(given);
    if (!g.ok) return rejected('given-name-not-letters');
    const p = patronymic ? part(patronymic) : null;
    if (p && !p.ok) return rejected('patronymic-not-letters');
    const birth = cell(cells, birthAt);
    if (birth && birth !== parsed.birthDate) return rejected('birth-date-mismatch', { given: birth, fromIin: parsed.birthDate });
    const sex = cell(cells, sexAt).toUpperCase();
    if (sex && sex !== parsed.sex) return rejected('sex-mismatch', { given: sex, fromIin: parsed.sex });
    return [
      iin,
      surname,
      given,
      patronymic,
      parsed.birthDate,
      parsed.sex,
      cell(cells, addrAt).slice(0, 200),
      cell(cells, phoneAt).slice(0, 32),
      s.key,
      g.key,
      p ? p.key : '',
      s.exact,
      g.exact,
      p ? p.exact : '',
    ];
  };
}

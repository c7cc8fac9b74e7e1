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

/** A name part's check and keys, remembered, as the UTF-8 bytes the staging file takes (db/person-staging.ts). */
interface NamePart {
  ok: boolean;
  name: Buffer;
  key: Buffer;
  exact: Buffer;
}

const NAME_CACHE_LIMIT = 500_000;

/** A record as the CSV reader hands it over (csv-records.ts): its bytes and each field's start and end in them. */
export type RecordFields = [buf: Buffer, starts: readonly number[], ends: readonly number[]];

/**
 * The worker's row check: the same verdicts as rowToPerson (same order, same reasons), straight from the record's
 * bytes to a packed row, with each distinct name checked and keyed once. The fields are trimmed as bytes, as
 * String.prototype.trim would; the names are decoded (their check and keys need the letters), the address and
 * phone are not: they are staged as the file's own bytes (an address of over 200 bytes is decoded to be cut at
 * 200 characters, as rowToPerson cuts it).
 */
export function rowChecker(columns: readonly string[]): (...record: RecordFields) => PackedRow | Rejection {
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
      const utf8 = (s: string) => Buffer.from(s, 'utf8');
      p = { ok: NAME_RE.test(name), name: utf8(name), key: utf8(nameKey(name)), exact: utf8(exactNameKey(name)) };
      names.set(name, p);
    }
    return p;
  };
  // The trimmed span of the last field asked for.
  let from = 0;
  let to = 0;
  const span = (buf: Buffer, starts: readonly number[], ends: readonly number[], i: number): boolean => {
    if (i < 0 || i >= starts.length) {
      from = to = 0;
      return false;
    }
    let s = starts[i]!;
    let e = ends[i]!;
    for (let w; s < e && (w = spaceAt(buf, s, e));) s += w;
    for (let w; e > s && (w = spaceBefore(buf, s, e));) e -= w;
    from = s;
    to = e;
    return e > s;
  };
  const text = (buf: Buffer, starts: readonly number[], ends: readonly number[], i: number) =>
    span(buf, starts, ends, i) ? buf.toString('utf8', from, to) : '';
  /** The field's bytes (a view of the record's), or its first `max` characters when it has more bytes than that. */
  const bytes = (buf: Buffer, starts: readonly number[], ends: readonly number[], i: number, max: number): Buffer | '' => {
    if (!span(buf, starts, ends, i)) return '';
    if (to - from <= max) return buf.subarray(from, to);
    return Buffer.from(buf.toString('utf8', from, to).slice(0, max), 'utf8');
  };
  return (buf, starts, ends) => {
    const iin = text(buf, starts, ends, iinAt);
    const parsed = parseIin(iin);
    if (!parsed.valid) return rejected('iin-invalid', { reason: parsed.reason });
    const surname = text(buf, starts, ends, surAt);
    const given = text(buf, starts, ends, givenAt);
    const patronymic = text(buf, starts, ends, patrAt);
    if (!surname) return rejected('surname-missing');
    const s = part(surname);
    if (!s.ok) return rejected('surname-not-letters');
    if (!given) return rejected('given-name-missing');
    const g = part(given);
    if (!g.ok) return rejected('given-name-not-letters');
    const p = patronymic ? part(patronymic) : null;
    if (p && !p.ok) return rejected('patronymic-not-letters');
    // The birth date and sex are compared as bytes (ASCII when right), decoded only to say what was wrong.
    if (span(buf, starts, ends, birthAt) && !bytesAre(buf, from, to, parsed.birthDate))
      return rejected('birth-date-mismatch', { given: buf.toString('utf8', from, to), fromIin: parsed.birthDate });
    if (span(buf, starts, ends, sexAt) && !(to - from === 1 && (buf[from]! & ~0x20) === parsed.sex.charCodeAt(0))) {
      const sex = buf.toString('utf8', from, to).toUpperCase();
      if (sex !== parsed.sex) return rejected('sex-mismatch', { given: sex, fromIin: parsed.sex });
    }
    return [
      iin,
      s.name,
      g.name,
      p ? p.name : '',
      parsed.birthDate,
      parsed.sex,
      bytes(buf, starts, ends, addrAt, 200),
      bytes(buf, starts, ends, phoneAt, 32),
      s.key,
      g.key,
      p ? p.key : '',
      s.exact,
      g.exact,
      p ? p.exact : '',
    ];
  };
}

/** Whether the bytes [from, to) are the ASCII text `ascii`. */
function bytesAre(buf: Buffer, from: number, to: number, ascii: string): boolean {
  if (to - from !== ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (buf[from + i] !== ascii.charCodeAt(i)) return false;
  return true;
}

/** A field as written, untrimmed (the IIN of a rejected row is listed so). */
export function fieldText(buf: Buffer, starts: readonly number[], ends: readonly number[], i: number): string {
  return i >= 0 && i < starts.length ? buf.toString('utf8', starts[i], ends[i]) : '';
}

/**
 * The byte length of the whitespace character String.prototype.trim would remove at `s` (0 if none): ASCII tab,
 * line breaks and space, and in UTF-8 U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF.
 */
function spaceAt(buf: Buffer, s: number, e: number): number {
  const a = buf[s]!;
  if (a === 0x20 || (a >= 0x09 && a <= 0x0d)) return 1;
  if (a < 0xc2) return 0;
  if (a === 0xc2) return e - s >= 2 && buf[s + 1] === 0xa0 ? 2 : 0;
  return e - s >= 3 && isSpace3(a, buf[s + 1]!, buf[s + 2]!) ? 3 : 0;
}

/** The byte length of such a whitespace character ending just before `e` (0 if none). */
function spaceBefore(buf: Buffer, s: number, e: number): number {
  const c = buf[e - 1]!;
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return 1;
  if (c < 0x80) return 0;
  if (c === 0xa0 && e - s >= 2 && buf[e - 2] === 0xc2) return 2;
  return e - s >= 3 && isSpace3(buf[e - 3]!, buf[e - 2]!, c) ? 3 : 0;
}

function isSpace3(a: number, b: number, c: number): boolean {
  if (a === 0xe2) {
    if (b === 0x80) return (c >= 0x80 && c <= 0x8a) || c === 0xa8 || c === 0xa9 || c === 0xaf;
    return b === 0x81 && c === 0x9f;
  }
  return (a === 0xe1 && b === 0x9a && c === 0x80) || (a === 0xe3 && b === 0x80 && c === 0x80) || (a === 0xef && b === 0xbb && c === 0xbf);
}

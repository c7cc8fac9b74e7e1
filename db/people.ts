/**
 * The local population register. IIN look-ups hit the primary key; name search is a range scan over the name keys
 * (common/text.ts) in index order, so the first 20 matches come without sorting the whole match set: first over
 * the keys as written (Kazakh letters kept), then, to fill the list, over the folded keys (Ә→А…), so "Әл" lists
 * the Әл… names before the Ал… ones.
 */
import type { Person } from '../common/schemas';
import { exactNameKey, exactQueryKeys, nameKey, nameQueryKeys, prefixUpperBound } from '../common/text';
import type { Db } from './connection';
import { statementCache } from './statements';

interface PersonRow {
  iin: string;
  surname: string;
  given_name: string;
  patronymic: string | null;
  birth_date: string;
  sex: 'M' | 'F';
  address: string | null;
  phone: string | null;
  source: 'register' | 'manual';
}

const toPerson = (r: PersonRow): Person => ({
  iin: r.iin,
  surname: r.surname,
  givenName: r.given_name,
  patronymic: r.patronymic,
  birthDate: r.birth_date,
  sex: r.sex,
  address: r.address,
  phone: r.phone,
  source: r.source,
});

/**
 * Prefix search over one name index (key columns surname, given, patronymic), in index order. `INDEXED BY`: the
 * planner must not pick the other name index, whose order is not this one's.
 */
function nameStatements(db: Db, cols: string, index: string, [sur, given, patr]: [string, string, string]) {
  return {
    surname: db.prepare(
      `SELECT ${cols} FROM person INDEXED BY ${index} WHERE ${sur} >= ? AND ${sur} < ? ORDER BY ${sur}, ${given}, ${patr} LIMIT ?`,
    ),
    nextSurname: db.prepare(`SELECT ${sur} AS k FROM person INDEXED BY ${index} WHERE ${sur} > ? AND ${sur} < ? ORDER BY ${sur} LIMIT 1`),
    firstSurname: db.prepare(`SELECT ${sur} AS k FROM person INDEXED BY ${index} WHERE ${sur} >= ? AND ${sur} < ? ORDER BY ${sur} LIMIT 1`),
    withinSurname: db.prepare(
      `SELECT ${cols} FROM person INDEXED BY ${index} WHERE ${sur} = ? AND ${given} >= ? AND ${given} < ? AND ${patr} >= ? AND ${patr} < ?
       ORDER BY ${given}, ${patr} LIMIT ?`,
    ),
  };
}

type NameStatements = ReturnType<typeof nameStatements>;

/** Up to `limit` people whose name parts start with the keys (surname, given name, patronymic). */
function byNameKeys(s: NameStatements, [sur, given, patr]: string[], limit: number): PersonRow[] {
  if (!sur || limit <= 0) return [];
  if (given === undefined) return s.surname.all(sur, prefixUpperBound(sur), limit) as PersonRow[];
  // Surname prefix + given (+ patronymic) prefix: a skip scan. SQLite would walk every index entry under the
  // surname prefix and filter the given name; instead, jump from one distinct surname to the next and seek the
  // given-name range inside each — a few index seeks per surname, however many people share it.
  const surHi = prefixUpperBound(sur);
  const givenHi = prefixUpperBound(given);
  const patrLo = patr ?? '';
  const patrHi = patr === undefined ? '\u{10FFFF}' : prefixUpperBound(patr);
  const out: PersonRow[] = [];
  let row = s.firstSurname.get(sur, surHi) as { k: string } | undefined;
  while (row && out.length < limit) {
    out.push(...(s.withinSurname.all(row.k, given, givenHi, patrLo, patrHi, limit - out.length) as PersonRow[]));
    row = s.nextSurname.get(row.k, surHi) as { k: string } | undefined;
  }
  return out;
}

function prepare(db: Db) {
  const cols = 'iin, surname, given_name, patronymic, birth_date, sex, address, phone, source';
  return {
    byIin: db.prepare(`SELECT ${cols} FROM person WHERE iin = ?`),
    iinPrefix: db.prepare(`SELECT ${cols} FROM person WHERE iin >= ? AND iin < ? ORDER BY iin LIMIT ?`),
    folded: nameStatements(db, cols, 'person_by_name', ['surname_key', 'given_key', 'patronymic_key']),
    exact: nameStatements(db, cols, 'person_by_exact_name', ['surname_exact', 'given_exact', 'patronymic_exact']),
    upsert: db.prepare(
      `INSERT INTO person (iin, surname, given_name, patronymic, birth_date, sex, address, phone, source,
                           surname_key, given_key, patronymic_key, surname_exact, given_exact, patronymic_exact, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (iin) DO UPDATE SET surname = excluded.surname, given_name = excluded.given_name,
         patronymic = excluded.patronymic, birth_date = excluded.birth_date, sex = excluded.sex,
         address = coalesce(excluded.address, person.address), phone = coalesce(excluded.phone, person.phone),
         source = excluded.source, surname_key = excluded.surname_key, given_key = excluded.given_key,
         patronymic_key = excluded.patronymic_key, surname_exact = excluded.surname_exact,
         given_exact = excluded.given_exact, patronymic_exact = excluded.patronymic_exact, updated_at = excluded.updated_at`,
    ),
    insert: db.prepare(
      `INSERT INTO person (iin, surname, given_name, patronymic, birth_date, sex, address, phone, source,
                           surname_key, given_key, patronymic_key, surname_exact, given_exact, patronymic_exact, updated_at)
       VALUES (@iin, @surname, @givenName, @patronymic, @birthDate, @sex, @address, @phone, @source,
               @surnameKey, @givenKey, @patronymicKey, @surnameExact, @givenExact, @patronymicExact, @updatedAt)`,
    ),
  };
}

const statements = statementCache(prepare);
const stmts = statements.get;

export function findPersonByIin(db: Db, iin: string): Person | null {
  const r = stmts(db).byIin.get(iin) as PersonRow | undefined;
  return r ? toPerson(r) : null;
}

/** Up to `limit` people whose IIN starts with the digits, or whose name parts start with the typed parts. */
export function searchPeople(db: Db, query: string, limit: number): Person[] {
  const s = stmts(db);
  const q = query.trim();
  if (/^\d+$/.test(q)) {
    return (s.iinPrefix.all(q, prefixUpperBound(q), limit) as PersonRow[]).map(toPerson);
  }
  const exact = byNameKeys(s.exact, exactQueryKeys(q), limit);
  if (exact.length === limit) return exact.map(toPerson);
  // The rest through the folded keys. They find the exact matches too (folding maps a name's letters one way),
  // so `limit` folded rows hold at least `limit - exact.length` new ones.
  const seen = new Set(exact.map((r) => r.iin));
  const folded = byNameKeys(s.folded, nameQueryKeys(q), limit).filter((r) => !seen.has(r.iin));
  return [...exact, ...folded.slice(0, limit - exact.length)].map(toPerson);
}

export type PersonInput = Person;

function params(p: PersonInput, at: Date) {
  return {
    ...p,
    surnameKey: nameKey(p.surname),
    givenKey: nameKey(p.givenName),
    patronymicKey: nameKey(p.patronymic),
    surnameExact: exactNameKey(p.surname),
    givenExact: exactNameKey(p.givenName),
    patronymicExact: exactNameKey(p.patronymic),
    updatedAt: at.toISOString(),
  };
}

/** Inserts a new person; throws SQLITE_CONSTRAINT_PRIMARYKEY when the IIN exists. */
export function insertPerson(db: Db, p: PersonInput, at: Date): void {
  stmts(db).insert.run(params(p, at));
}

/**
 * Inserts or refreshes from the register (import): the register is the authority for names and birth data.
 * Positional parameters and a pre-formatted time: this runs two million times in a register import.
 */
export function upsertPerson(db: Db, p: PersonInput, at: Date | string): void {
  stmts(db).upsert.run(
    p.iin,
    p.surname,
    p.givenName,
    p.patronymic,
    p.birthDate,
    p.sex,
    p.address,
    p.phone,
    p.source,
    nameKey(p.surname),
    nameKey(p.givenName),
    nameKey(p.patronymic),
    exactNameKey(p.surname),
    exactNameKey(p.givenName),
    exactNameKey(p.patronymic),
    typeof at === 'string' ? at : at.toISOString(),
  );
}

/** Forget the prepared statements of this connection (the import replaced the person table). */
export function resetPeopleStatements(db: Db): void {
  statements.reset(db);
}

export function countPeople(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM person').get() as { n: number }).n;
}

/** Is there a person with this surname and given name (name keys, see common/text.ts nameKey)? Uses person_by_name. */
export function personWithNameKeys(db: Db, surnameKey: string, givenKey: string): boolean {
  return !!db.prepare(`SELECT 1 FROM person WHERE surname_key = ? AND given_key = ? LIMIT 1`).get(surnameKey, givenKey);
}

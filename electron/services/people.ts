/** Person look-up and manual entry at the desk. */
import { ApiError } from '../../common/errors';
import { parseIin } from '../../common/iin';
import { personRecord, type NewPerson, type Person } from '../../common/schemas';
import { recordChange } from '../../db/change';
import { findPersonByIin, insertPerson, searchPeople } from '../../db/people';
import type { AppContext } from './app';
import { actorOf } from './auth';
import type { StaffRow } from '../../db/staff';

/** Parses an IIN or throws `invalid-iin` with the reason, so the user hears what exactly is wrong. */
export function requireValidIin(value: string, field = 'iin') {
  const parsed = parseIin(value);
  if (!parsed.valid) throw new ApiError('invalid-iin', `invalid IIN: ${parsed.reason}`, { reason: parsed.reason }, [field]);
  return parsed;
}

export function findByIin(app: AppContext, iin: string): Person | null {
  requireValidIin(iin);
  return findPersonByIin(app.db, iin.trim());
}

export function search(app: AppContext, query: string, limit: number): { people: Person[]; more: boolean } {
  const rows = searchPeople(app.db, query, limit + 1);
  return { people: rows.slice(0, limit), more: rows.length > limit };
}

/** A person not found in the register, entered by hand and flagged `manual` until the register confirms them. */
export function createManual(app: AppContext, staff: StaffRow, input: NewPerson): Person {
  const parsed = requireValidIin(input.iin);
  if (findPersonByIin(app.db, parsed.iin))
    throw new ApiError('duplicate-iin', 'a person with this IIN exists', { iin: parsed.iin }, ['iin']);
  const person = personRecord(input, parsed, 'manual');
  const now = app.clock();
  recordChange(app.db, actorOf(staff), now, () => insertPerson(app.db, person, now), {
    audit: { action: 'person.created-manually', entity: 'person', entityId: person.iin },
    outbox: { kind: 'person.manual', entity: 'person', entityId: person.iin, payload: person },
  });
  return person;
}

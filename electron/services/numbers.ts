/**
 * The one place human-facing numbers are issued: service requests, appointments, home-visit calls, attachment
 * talons, cash receipts and shifts, certificates.
 *
 * Why prefix + local sequence: a desk issues a number at the moment of the registrar's action, often offline, and
 * several desks of one organization issue numbers at once. The workstation's prefix (set at enrollment, unique in
 * the organization) makes numbers unique across desks without asking the server or each other; a local sequence per
 * kind (db/requests.ts, incremented inside the caller's transaction, so an action rolled back leaves no gap) makes
 * them unique on this desk. The letter says what the number is on paper (R: receipt, T: talon…). The kind is the
 * sequence's name in the database, so renaming a kind would restart its numbers: add kinds, never rename them.
 */
import type { Db } from '../../db/connection';
import { nextSequence } from '../../db/requests';

const FORMATS = {
  request: { letter: '', digits: 6 },
  appointment: { letter: 'P', digits: 6 },
  'home-visit': { letter: 'V', digits: 6 },
  talon: { letter: 'T', digits: 6 },
  receipt: { letter: 'R', digits: 6 },
  'cash-shift': { letter: 'SH', digits: 5 },
  certificate: { letter: 'C', digits: 6 },
} as const satisfies Record<string, { letter: string; digits: number }>;

export type NumberKind = keyof typeof FORMATS;

/** The next number of a kind, e.g. `A4-R000042`. Call inside the transaction that stores the numbered row. */
export function issueNumber(db: Db, workstationPrefix: string, kind: NumberKind): string {
  const f = FORMATS[kind];
  return `${workstationPrefix}-${f.letter}${String(nextSequence(db, kind)).padStart(f.digits, '0')}`;
}

/**
 * State every desk of one organization shares (issue 13): which pushed operations change it, and the change-log
 * row each becomes. The central server appends that row when it applies the operation; every desk of the
 * organization (the one that made it included) pulls it and applies it to its own tables, in the server's order.
 *
 * The rule for concurrent edits is last-writer-wins per row in the server's order: a desk applies every pulled row
 * in order, its own included, except a row whose key it has changed again and not yet pushed (that newer change
 * will come back later in the order and win). So two desks that edited the same district both end with the
 * version the server received last.
 *
 * Here, in common/, because the server and the workstation must agree on it and the server never imports
 * workstation code.
 */

export interface SharedRow {
  kind: SharedKind;
  key: string;
  /** JSON-serialisable; null for deletions. */
  payload: unknown;
  deleted: boolean;
}

export const SHARED_KINDS = [
  'person',
  'staff',
  'district',
  'timetable',
  'timetable-exception',
  'price',
  'calendar',
  'organization',
  'regulation-file',
  'regulation-adoption',
  'register-entry',
] as const;
export type SharedKind = (typeof SHARED_KINDS)[number];

interface OpLike {
  kind: string;
  entity_id: string;
  payload: unknown;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : null);

/**
 * The shared row an operation makes, or null when the operation changes nothing shared (a service request, a
 * payment…) or lacks its key. Bookings are not here: the server decides them (one booking per slot) and writes
 * their rows itself.
 */
export function sharedRowOf(op: OpLike): SharedRow | null {
  const p = (op.payload ?? {}) as Record<string, unknown>;
  const row = (kind: SharedKind, key: string | null, payload: unknown, deleted = false): SharedRow | null =>
    key ? { kind, key, payload: deleted ? null : payload, deleted } : null;
  switch (op.kind) {
    case 'person.manual':
      return row('person', str(p.iin), p);
    case 'staff.upsert':
      return row('staff', str(p.login), p);
    case 'district.save':
      return row('district', str(p.number), p);
    case 'timetable.save':
      return row('timetable', str(p.doctor), p);
    case 'timetable.exception':
      return row('timetable-exception', str(p.uid), p);
    case 'timetable.exception-remove':
      return row('timetable-exception', str(p.uid), null, true);
    case 'price.set':
      return row('price', str(p.serviceId) && str(p.effectiveFrom) ? `${p.serviceId as string}@${p.effectiveFrom as string}` : null, p);
    case 'org.calendar':
      return row('calendar', 'calendar', p);
    case 'org.profile':
      return row('organization', 'organization', p);
    case 'regulation.import':
      return row('regulation-file', str(p.file), p);
    case 'regulation.adoption':
      // An interim internal standard (common/regulation-adoption.ts): adopted, later closed; the newest version wins.
      return row('regulation-adoption', str(p.key), p);
    default:
      return null;
  }
}

/**
 * A register import's rows, pushed in chunks (`register.rows` {register, rows: [{iin, fromDate, removedOn}]}), one
 * shared row each, keyed `register:iin`. The server sends them only to the desks that check the registers.
 */
export function registerRowsOf(op: OpLike): SharedRow[] {
  if (op.kind !== 'register.rows') return [];
  const p = (op.payload ?? {}) as { register?: unknown; rows?: unknown };
  if (typeof p.register !== 'string' || !Array.isArray(p.rows)) return [];
  const register = p.register;
  return (p.rows as Array<Record<string, unknown>>)
    .filter((r) => typeof r?.iin === 'string')
    .map((r) => ({
      kind: 'register-entry' as const,
      key: `${register}:${r.iin as string}`,
      payload: { register, iin: r.iin, fromDate: r.fromDate ?? null, removedOn: r.removedOn ?? null },
      deleted: false,
    }));
}

/** Kinds of change-log rows that only desks checking the dispensary registers receive. */
export const REGISTER_KINDS: readonly string[] = ['register-entry'];

/** The operation kinds that make shared rows (for the desk's "changed again, not yet pushed" check). */
export const SHARED_OP_KINDS = [
  'person.manual',
  'staff.upsert',
  'district.save',
  'timetable.save',
  'timetable.exception',
  'timetable.exception-remove',
  'price.set',
  'org.calendar',
  'org.profile',
  'regulation.import',
  'regulation.adoption',
] as const;

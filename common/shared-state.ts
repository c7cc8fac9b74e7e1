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
    default:
      return null;
  }
}

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
] as const;

/**
 * The clinic simulation's invariants (issue 13), checked once every desk has pushed everything and pulled to the
 * head. Each is a count that must be 0:
 *
 * - lostOperations: operations in the outbox of any desk that the server does not hold (sync_op) — still queued,
 *   rejected, or gone.
 * - duplicatedOperations: operations the server holds more than once or applied twice: an op_id stored twice, a
 *   server operation of these desks that no desk's outbox holds (a re-sent batch given new ids), a booking created
 *   by two operations.
 * - doubleBookedSlots: a (doctor, slot) with more than one live booking on the server (or one booking key held
 *   twice); a desk whose free-slot search (the booked slots it reads, db/desk/appointments.ts bookedPacked) would
 *   offer a slot the server holds a booking of; a slot held by confirmed appointments of two desks.
 * - slotsNotReleased: live server bookings whose desk appointment was cancelled or rescheduled (or that no desk's
 *   appointment holds at all).
 * - duplicateNumbers: human-facing numbers (requests, appointments, home-visit calls, talons, shifts, receipts,
 *   certificates) issued more than once across the desks.
 * - erequestsRegisteredTwice: e-requests with a standing registration on more than one desk (registered there and
 *   neither lost to another desk nor cancelled).
 * - erequestsNotRegistered: e-requests the gateway delivered to the organization that no desk holds a standing
 *   registration of.
 * - desksNotConverged: desks whose shared state differs: their booked slots (own confirmed appointments plus the
 *   other desks' bookings they pulled) differ from the server's live bookings, or their people entered by hand,
 *   timetable exceptions, prices or districts differ from those most desks hold.
 *
 * `details` names the first few offenders of each non-zero count, to start the investigation from.
 */
import { bookedPacked } from '../../db/desk/appointments';
import {
  deskAppointments,
  issuedNumbers,
  outboxEntries,
  erequestRegistrations,
  remoteBookings,
  sharedSnapshot,
  staffIds,
  type DeskAppointment,
} from '../../db/clinic-snapshot';
import { doubleBookingsOnServer, liveBookings, receivedErequests, repeatedOpIds, serverOps } from '../../server/clinic-audit';
import type { Sql } from '../../server/db';
import type { SimDesk } from './desk';

export interface Invariants {
  lostOperations: number;
  duplicatedOperations: number;
  doubleBookedSlots: number;
  slotsNotReleased: number;
  duplicateNumbers: number;
  erequestsRegisteredTwice: number;
  erequestsNotRegistered: number;
  desksNotConverged: number;
}

export type InvariantDetails = Partial<Record<keyof Invariants, string[]>>;

const MINUTE_MS = 60_000;
const EXAMPLES = 5;

export async function checkInvariants(
  server: Sql,
  orgBin: string,
  desks: SimDesk[],
): Promise<{ invariants: Invariants; details: InvariantDetails; totals: Record<string, number> }> {
  const details: InvariantDetails = {};
  const note = (k: keyof Invariants, what: string) => {
    const list = (details[k] ??= []);
    if (list.length < EXAMPLES) list.push(what);
  };

  // Operations: every outbox operation on the server exactly once.
  const ops = await serverOps(server, orgBin);
  const onServer = new Set(ops.map((o) => o.opId));
  const local = new Set<string>();
  let lostOperations = 0;
  for (const d of desks) {
    for (const o of outboxEntries(d.app.db)) {
      local.add(o.opId);
      if (!onServer.has(o.opId)) {
        lostOperations++;
        note('lostOperations', `${d.name} ${o.kind} ${o.entityId} (${o.status})`);
      }
    }
  }
  const ours = new Set(desks.map((d) => d.workstationId));
  let duplicatedOperations = await repeatedOpIds(server, orgBin);
  const bookingOps = new Map<string, number>();
  for (const o of ops) {
    if (ours.has(o.workstationId) && !local.has(o.opId)) {
      duplicatedOperations++;
      note('duplicatedOperations', `server op ${o.opId} (${o.kind}) is in no desk's outbox`);
    }
    if (o.kind === 'booking.create') bookingOps.set(o.entityId, (bookingOps.get(o.entityId) ?? 0) + 1);
  }
  for (const [booking, n] of bookingOps)
    if (n > 1) {
      duplicatedOperations += n - 1;
      note('duplicatedOperations', `booking ${booking} created by ${n} operations`);
    }

  // Bookings: one per slot on the server, every desk sees each as taken, none left behind by a closed appointment.
  const live = await liveBookings(server, orgBin);
  let doubleBookedSlots = await doubleBookingsOnServer(server, orgBin);
  if (doubleBookedSlots) note('doubleBookedSlots', `${doubleBookedSlots} slot(s) or booking keys held twice on the server`);
  const appointments = new Map<string, { desk: SimDesk; a: DeskAppointment }>();
  const confirmedHolders = new Map<string, string[]>();
  const deskAppts = new Map<SimDesk, DeskAppointment[]>();
  for (const d of desks) {
    const list = deskAppointments(d.app.db);
    deskAppts.set(d, list);
    for (const a of list) {
      if (a.bookingId) appointments.set(a.bookingId, { desk: d, a });
      if (a.status === 'booked' && a.sync === 'confirmed') {
        const key = `${a.doctor} ${a.slotMs}`;
        confirmedHolders.set(key, [...(confirmedHolders.get(key) ?? []), `${d.name} ${a.number}`]);
      }
    }
  }
  for (const [slot, holders] of confirmedHolders)
    if (holders.length > 1) {
      doubleBookedSlots++;
      note('doubleBookedSlots', `${slot} held by confirmed appointments ${holders.join(', ')}`);
    }
  const serverSlots = new Set(live.map((b) => `${b.doctor} ${b.slotMs}`));
  if (live.length) {
    const from = Math.min(...live.map((b) => b.slotMs));
    const to = Math.max(...live.map((b) => b.slotMs)) + MINUTE_MS;
    for (const d of desks) {
      const ids = staffIds(d.app.db);
      const taken = new Set(bookedPacked(d.app.db, null, from, to));
      for (const b of live) {
        const id = ids.get(b.doctor);
        if (id === undefined || !taken.has((b.slotMs / MINUTE_MS) * 100_000 + id)) {
          doubleBookedSlots++;
          note('doubleBookedSlots', `${d.name} offers ${b.doctor} ${new Date(b.slotMs).toISOString()} as free; the server holds it`);
        }
      }
    }
  }

  let slotsNotReleased = 0;
  for (const b of live) {
    const held = appointments.get(b.bookingId);
    if (!held || held.a.status !== 'booked') {
      slotsNotReleased++;
      note(
        'slotsNotReleased',
        held
          ? `${b.doctor} ${new Date(b.slotMs).toISOString()}: ${held.desk.name} ${held.a.number} is ${held.a.status}`
          : `${b.doctor} ${new Date(b.slotMs).toISOString()}: booking ${b.bookingId} of no desk's appointment`,
      );
    }
  }

  // Numbers and e-requests: each issued or registered once across the clinic.
  const numbers = new Map<string, number>();
  for (const d of desks) for (const n of issuedNumbers(d.app.db)) numbers.set(n, (numbers.get(n) ?? 0) + 1);
  let duplicateNumbers = 0;
  for (const [n, c] of numbers)
    if (c > 1) {
      duplicateNumbers += c - 1;
      note('duplicateNumbers', `${n} issued ${c} times`);
    }
  const erequests = new Map<string, string[]>();
  let erequestsLost = 0;
  let erequestsUnverified = 0;
  for (const d of desks) {
    const r = erequestRegistrations(d.app.db);
    erequestsLost += r.lost.length;
    erequestsUnverified += r.unverified.length;
    for (const n of new Set(r.standing)) erequests.set(n, [...(erequests.get(n) ?? []), d.name]);
  }
  let erequestsRegisteredTwice = 0;
  for (const [n, holders] of erequests)
    if (holders.length > 1) {
      erequestsRegisteredTwice++;
      note('erequestsRegisteredTwice', `${n} registered on ${holders.join(', ')}`);
    }
  const received = await receivedErequests(server, orgBin);
  let erequestsNotRegistered = 0;
  for (const n of received)
    if (!erequests.has(n)) {
      erequestsNotRegistered++;
      note('erequestsNotRegistered', `${n} registered on no desk`);
    }

  // Convergence: every desk's calendar is the server's; the rest of the shared state is the same on every desk.
  const fingerprints = desks.map((d) => {
    const s = sharedSnapshot(d.app.db);
    return { manualPeople: s.manualPeople, exceptions: s.exceptions, prices: s.prices, districts: s.districts };
  });
  const majority = new Map<string, string>();
  for (const part of ['manualPeople', 'exceptions', 'prices', 'districts'] as const) {
    const votes = new Map<string, number>();
    for (const f of fingerprints) {
      const k = JSON.stringify(f[part]);
      votes.set(k, (votes.get(k) ?? 0) + 1);
    }
    majority.set(part, [...votes.entries()].sort((a, b) => b[1] - a[1])[0]![0]);
  }
  let desksNotConverged = 0;
  desks.forEach((d, i) => {
    const differs: string[] = [];
    const own = deskAppts
      .get(d)!
      .filter((a) => a.status === 'booked' && a.sync === 'confirmed')
      .map((a) => `${a.doctor} ${a.slotMs}`);
    const calendar = new Set([...own, ...remoteBookings(d.app.db).map((b) => `${b.doctor} ${b.slotMs}`)]);
    const missing = [...serverSlots].filter((s) => !calendar.has(s)).length;
    const extra = [...calendar].filter((s) => !serverSlots.has(s)).length;
    if (missing || extra) differs.push(`booked slots (${missing} missing, ${extra} not on the server)`);
    for (const part of ['manualPeople', 'exceptions', 'prices', 'districts'] as const) {
      const mine = fingerprints[i]![part];
      if (JSON.stringify(mine) === majority.get(part)) continue;
      const theirs = JSON.parse(majority.get(part)!) as string[];
      const onlyHere = mine.find((x) => !theirs.includes(x));
      const onlyThere = theirs.find((x) => !mine.includes(x));
      differs.push(`${part} (here ${onlyHere ?? '-'}, elsewhere ${onlyThere ?? '-'})`);
    }
    if (differs.length) {
      desksNotConverged++;
      note('desksNotConverged', `${d.name}: ${differs.join(', ')}`);
    }
  });

  return {
    invariants: {
      lostOperations,
      duplicatedOperations,
      doubleBookedSlots,
      slotsNotReleased,
      duplicateNumbers,
      erequestsRegisteredTwice,
      erequestsNotRegistered,
      desksNotConverged,
    },
    details,
    totals: {
      serverOperations: ops.length,
      liveBookings: live.length,
      numbersIssued: numbers.size,
      erequestsReceived: received.length,
      erequestsRegistered: erequests.size,
      erequestRegistrationsLost: erequestsLost,
      erequestSignaturesNotVerified: erequestsUnverified,
      manualPeople: fingerprints[0]?.manualPeople.length ?? 0,
    },
  };
}

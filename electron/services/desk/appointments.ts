/**
 * Appointments (`appointments.*`): booking a slot (or a walk-in's first free slot today), cancelling, rescheduling,
 * a person's upcoming appointments.
 *
 * No double booking is the database's rule (a partial UNIQUE index on doctor + slot start for booked
 * appointments): a slot taken meanwhile by another desk makes the INSERT fail, the whole transaction rolls back,
 * and the registrar hears `slot-taken` with the next free slot of that doctor. Across desks, the central server
 * confirms one booking per slot (db/sync.ts createBooking): a booking is provisional until then.
 */
import { DESK_SERVICES, type Appointment } from '../../../common/desk';
import { ApiError } from '../../../common/errors';
import type { Specialty } from '../../../common/roles';
import type { Person } from '../../../common/schemas';
import { dayNumberToIso, MINUTE_MS } from '../../../common/working-calendar';
import { recordChange } from '../../../db/change';
import * as appointmentsDb from '../../../db/desk/appointments';
import * as doctorsDb from '../../../db/desk/doctors';
import type { RequestRow } from '../../../db/requests';
import type { StaffRow } from '../../../db/staff';
import { createBooking } from '../../../db/sync';
import type { AppContext } from '../app';
import { issueNumber } from '../numbers';
import { calendarOf } from '../workflow/context';
import { engineActor, orgToday } from '../workflow/app-engine';
import { fullName, isUnique, localIso, organization, personName, requirePerson, runDeskRequest } from './common';
import { planInput, requireDoctor } from './doctors';
import { nextFreeOf, searchFreeSlots } from './free-slots';
import { slotAt } from '../../../common/timetable-slots';
import { requestStartMs } from '../workflow/request-start';
import { changeVerificationStatus } from '../verification/records';
import { actorOf } from '../auth';

export function appointmentView(app: AppContext, r: appointmentsDb.AppointmentRow): Appointment {
  const cal = calendarOf(app);
  const at = localIso(cal, r.slot_ms);
  return {
    id: r.id,
    number: r.number,
    requestNumber: r.request_number,
    kind: r.kind,
    channel: r.channel,
    person: { iin: r.person_iin, name: fullName(r), birthDate: r.birth_date, phone: r.phone },
    doctor: { id: r.doctor_id, fullName: r.doctor_name, specialty: r.specialty as Specialty, room: r.room },
    slotStart: r.slot_start,
    date: at.date,
    time: at.time,
    endTime: localIso(cal, r.slot_end_ms).time,
    status: r.status,
    sync: r.sync,
    reason: r.reason,
    note: r.note,
    rescheduledTo: r.rescheduled_to,
    createdAt: r.created_at,
    createdBy: r.registrar,
  };
}

export function getAppointment(app: AppContext, id: number): Appointment {
  const r = appointmentsDb.getAppointmentRow(app.db, id);
  if (!r) throw new ApiError('not-found', `no appointment ${id}`, { id });
  return appointmentView(app, r);
}

export function personAppointments(app: AppContext, iin: string): Appointment[] {
  const p = requirePerson(app, iin);
  return appointmentsDb
    .personUpcomingAppointments(app.db, p.iin, app.clock().getTime() - 60 * MINUTE_MS)
    .map((r) => appointmentView(app, r));
}

/** This registrar's appointments whose slot another desk won: they must be moved and the patient told. */
export function lostAppointments(app: AppContext, staff: StaffRow): Appointment[] {
  return appointmentsDb.lostAppointmentsOf(app.db, staff.id, app.clock().getTime() - 60 * MINUTE_MS).map((r) => appointmentView(app, r));
}

/** Checks that the doctor receives in a slot starting at `startMs` and that it is not in the past. */
function checkSlot(app: AppContext, d: doctorsDb.DoctorRow, startMs: number) {
  const cal = calendarOf(app);
  const nowMs = app.clock().getTime();
  const iso = dayNumberToIso(cal.localDayOf(startMs));
  const input = planInput(app, d, iso, iso);
  const r = slotAt(cal, input, startMs);
  if (!r.ok) {
    if (r.off === 'leave' || r.off === 'sick') {
      const e = input.exceptions.find((x) => x.kind === r.off)!;
      throw new ApiError('doctor-unavailable', `${d.full_name} is on ${r.off} from ${e.date_from} to ${e.date_to}`, {
        doctor: d.full_name,
        kind: r.off,
        from: e.date_from,
        to: e.date_to,
      });
    }
    throw new ApiError('slot-not-available', `${d.full_name} does not receive at ${new Date(startMs).toISOString()} (${r.off})`, {
      doctor: d.full_name,
      reason: r.off ?? 'no-slot',
      date: iso,
    });
  }
  if (startMs + (r.slot.endMs - r.slot.startMs) <= nowMs || (startMs < nowMs && cal.localDayOf(startMs) !== cal.localDayOf(nowMs))) {
    throw new ApiError('date-in-past', `the slot ${new Date(startMs).toISOString()} is in the past`, { date: iso, today: orgToday(app) });
  }
  return r.slot;
}

export interface BookArgs {
  iin: string;
  doctorId: number;
  slotStart?: string | null;
  channel: 'desk' | 'phone';
  walkIn?: boolean;
  note?: string | null;
  /** When the registrar began with the person (ISO time from the form); the request's clock starts then. */
  startedAt?: string | null;
}

function insertBooked(
  app: AppContext,
  staff: StaffRow,
  d: doctorsDb.DoctorRow,
  person: Person,
  slot: { startMs: number; endMs: number },
  requestId: number,
  kind: 'appointment' | 'walk-in',
  channel: 'desk' | 'phone' | 'portal',
  note: string | null,
  now: Date,
): number {
  const cal = calendarOf(app);
  const slotIso = new Date(slot.startMs).toISOString();
  // Another desk holds this slot (the server confirmed its booking and this desk has pulled it): taken, as if here.
  if (appointmentsDb.remoteBookingAt(app.db, d.id, slot.startMs)) throw slotTaken(app, d, slot.startMs);
  // The central server confirms one booking per doctor and slot (issue 7): provisional until then.
  const booking = createBooking(app.db, engineActor(staff), now, {
    doctor: d.login,
    slotStart: slotIso,
    patientIin: person.iin,
    patientName: personName(person),
    phone: person.phone,
  });
  try {
    return appointmentsDb.insertAppointment(app.db, {
      number: issueNumber(app.db, organization(app).workstationPrefix, 'appointment'),
      request_id: requestId,
      kind,
      channel,
      person_iin: person.iin,
      doctor_id: d.id,
      slot_start: slotIso,
      slot_ms: slot.startMs,
      slot_end_ms: slot.endMs,
      slot_date: dayNumberToIso(cal.localDayOf(slot.startMs)),
      sync_booking: booking.bookingId,
      note,
      created_at: now.toISOString(),
      created_day: orgToday(app),
      created_by: staff.id,
    });
  } catch (e) {
    if (isUnique(e)) throw slotTaken(app, d, slot.startMs);
    throw e;
  }
}

function slotTaken(app: AppContext, d: doctorsDb.DoctorRow, startMs: number): ApiError {
  const at = localIso(calendarOf(app), startMs);
  return new ApiError('slot-taken', `${d.full_name} at ${at.date} ${at.time} was booked meanwhile`, {
    doctor: d.full_name,
    date: at.date,
    time: at.time,
    next: nextFreeOf(app, d.id, startMs) ?? '',
  });
}

/** Books a slot (or, for a walk-in without a slot, the doctor's first free slot today). */
/** `portal`: as for registerHomeVisit, the appointment of a citizen's e-request registered as a portal request. */
export function book(app: AppContext, staff: StaffRow, a: BookArgs, portal?: { request: RequestRow }): Appointment {
  const startedMs = portal ? undefined : requestStartMs(app, a.startedAt);
  const person = requirePerson(app, a.iin);
  const d = requireDoctor(app, a.doctorId);
  let startMs: number;
  if (a.slotStart) {
    startMs = Date.parse(a.slotStart);
    if (!Number.isFinite(startMs)) throw new ApiError('validation', 'slotStart is not a time', {}, ['slotStart']);
  } else if (a.walkIn) {
    const today = orgToday(app);
    const first = searchFreeSlots(app, { doctorId: d.id, from: today, days: 1, limit: 1 }).slots[0];
    if (!first) throw new ApiError('no-free-slot', `${d.full_name} has no free slot left today`, { doctor: d.full_name, date: today });
    startMs = Date.parse(first.start);
  } else throw new ApiError('validation', 'choose a slot', {}, ['slotStart']);
  const slot = checkSlot(app, d, startMs);
  const now = app.clock();
  const kind = a.walkIn ? 'walk-in' : 'appointment';
  const id = recordChange(
    app.db,
    engineActor(staff),
    now,
    () => {
      const req = portal?.request ?? runDeskRequest(app, staff, DESK_SERVICES.appointment, a.channel, person.iin, startedMs);
      return insertBooked(app, staff, d, person, slot, req.id, kind, portal ? 'portal' : a.channel, a.note?.trim() || null, now);
    },
    {
      audit: (aid) => ({
        action: 'appointment.booked',
        entity: 'appointment',
        entityId: aid,
        details: { doctor: d.login, slotStart: new Date(startMs).toISOString(), kind },
      }),
    },
  );
  return getAppointment(app, id);
}

export function cancelAppointment(app: AppContext, staff: StaffRow, a: { id: number; reason: string }): Appointment {
  const r = appointmentsDb.getAppointmentRow(app.db, a.id);
  if (!r) throw new ApiError('not-found', `no appointment ${a.id}`, { id: a.id });
  if (r.status !== 'booked')
    throw new ApiError('appointment-closed', `appointment ${r.number} is already ${r.status}`, { number: r.number, status: r.status });
  const now = app.clock();
  recordChange(
    app.db,
    engineActor(staff),
    now,
    () => {
      if (!appointmentsDb.closeAppointmentRow(app.db, r.id, 'cancelled', a.reason.trim(), now, staff.id, null))
        throw new ApiError('appointment-closed', `appointment ${r.number} changed meanwhile`, { number: r.number, status: 'cancelled' });
      // A slip already printed says "revoked" on its page from the next sync (issue 19).
      changeVerificationStatus(app, actorOf(staff), r.number, 'revoked', a.reason.trim());
    },
    {
      audit: {
        action: 'appointment.cancelled',
        entity: 'appointment',
        entityId: r.id,
        details: { number: r.number, reason: a.reason.trim() },
      },
      outbox: {
        kind: 'booking.cancel',
        entity: 'booking',
        entityId: r.sync_booking ?? r.number,
        payload: {
          booking_id: r.sync_booking,
          doctor: r.doctor_login,
          slot_start: r.slot_start,
          patient_iin: r.person_iin,
          reason: a.reason.trim(),
        },
      },
    },
  );
  return getAppointment(app, r.id);
}

/** Moves an appointment to another slot (of the same or another doctor): the new booking and the old one's closing together. */
export function reschedule(
  app: AppContext,
  staff: StaffRow,
  a: { id: number; slotStart: string; doctorId?: number | null; reason?: string | null },
): Appointment {
  const r = appointmentsDb.getAppointmentRow(app.db, a.id);
  if (!r) throw new ApiError('not-found', `no appointment ${a.id}`, { id: a.id });
  if (r.status !== 'booked')
    throw new ApiError('appointment-closed', `appointment ${r.number} is already ${r.status}`, { number: r.number, status: r.status });
  const d = requireDoctor(app, a.doctorId ?? r.doctor_id);
  const startMs = Date.parse(a.slotStart);
  if (!Number.isFinite(startMs)) throw new ApiError('validation', 'slotStart is not a time', {}, ['slotStart']);
  if (d.id === r.doctor_id && startMs === r.slot_ms)
    throw new ApiError('validation', 'the new slot is the same as the old one', {}, ['slotStart']);
  const slot = checkSlot(app, d, startMs);
  const person = requirePerson(app, r.person_iin);
  const now = app.clock();
  const reason = a.reason?.trim() || 'rescheduled';
  const id = recordChange(
    app.db,
    engineActor(staff),
    now,
    () => {
      const newId = insertBooked(app, staff, d, person, slot, r.request_id, r.kind, r.channel, r.note, now);
      if (!appointmentsDb.closeAppointmentRow(app.db, r.id, 'rescheduled', reason, now, staff.id, newId))
        throw new ApiError('appointment-closed', `appointment ${r.number} changed meanwhile`, { number: r.number, status: 'rescheduled' });
      changeVerificationStatus(app, actorOf(staff), r.number, 'revoked', reason);
      return newId;
    },
    {
      audit: (newId) => ({
        action: 'appointment.rescheduled',
        entity: 'appointment',
        entityId: r.id,
        details: { to: newId, doctor: d.login, slotStart: new Date(startMs).toISOString() },
      }),
      outbox: {
        kind: 'booking.cancel',
        entity: 'booking',
        entityId: r.sync_booking ?? r.number,
        payload: {
          booking_id: r.sync_booking,
          doctor: r.doctor_login,
          slot_start: r.slot_start,
          patient_iin: r.person_iin,
          reason: 'rescheduled',
        },
      },
    },
  );
  return getAppointment(app, id);
}

/**
 * Timetables (`timetables.*`): a doctor's week with every slot's state, the weekly template, and the exceptions
 * (leave, sick days, extra hours). A leave or sick day cancels nothing silently: it returns the patients booked on
 * those days for the registrar to call back.
 */
import {
  hhmm,
  minutesOf,
  timetableTemplateSchema,
  type Appointment,
  type Slot,
  type TimetableException,
  type TimetableTemplate,
  type TimetableWeek,
} from '../../../common/desk';
import { ApiError } from '../../../common/errors';
import { dayNumberOf, dayNumberToIso, isoWeekday, MINUTE_MS } from '../../../common/working-calendar';
import { recordChange } from '../../../db/change';
import * as appointmentsDb from '../../../db/desk/appointments';
import * as districtsDb from '../../../db/desk/districts';
import * as timetablesDb from '../../../db/desk/timetables';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { calendarOf } from '../workflow/context';
import { engineActor, orgToday } from '../workflow/app-engine';
import { appointmentView } from './appointments';
import { doctorView, planInput, requireDoctor } from './doctors';
import { planDay, slotMinutesOf } from '../../../common/timetable-slots';

function exceptionView(e: timetablesDb.ExceptionRow): TimetableException {
  return {
    id: e.id,
    doctorId: e.doctor_id,
    kind: e.kind,
    from: e.date_from,
    to: e.date_to,
    start: e.start_time,
    end: e.end_time,
    note: e.note,
  };
}

/** A doctor's week (Monday of the week of `from`): hours, breaks, days off with the reason, every slot's state. */
export function week(app: AppContext, a: { doctorId: number; from?: string | null }): TimetableWeek {
  const d = requireDoctor(app, a.doctorId);
  const cal = calendarOf(app);
  const today = orgToday(app);
  const anchor = dayNumberOf(a.from ?? today);
  const monday = anchor - (isoWeekday(anchor) - 1);
  const from = dayNumberToIso(monday);
  const to = dayNumberToIso(monday + 6);
  const input = planInput(app, d, from, to);
  const nowMs = app.clock().getTime();
  const booked = new Map(
    appointmentsDb.bookedSlots(app.db, d.id, cal.localToInstant(monday, 0), cal.localToInstant(monday + 7, 0)).map((b) => [b.slot_ms, b]),
  );
  const days = [];
  for (let day = monday; day < monday + 7; day++) {
    const plan = planDay(cal, input, day);
    const slots: Slot[] = plan.off
      ? []
      : slotMinutesOf(plan).map((m) => {
          const startMs = cal.localToInstant(day, m);
          const b = booked.get(startMs);
          return {
            doctorId: d.id,
            start: new Date(startMs).toISOString(),
            end: new Date(startMs + plan.slotMinutes * MINUTE_MS).toISOString(),
            date: dayNumberToIso(day),
            time: hhmm(m),
            state: b ? 'booked' : startMs < nowMs ? 'past' : 'free',
            appointmentId: b?.id ?? null,
            personName: b?.person_name ?? null,
            kind: b?.kind ?? null,
          };
        });
    days.push({
      date: dayNumberToIso(day),
      weekday: isoWeekday(day),
      off: plan.off,
      holiday: plan.holiday,
      hours: plan.intervals.map((i) => ({ start: hhmm(i.start), end: hhmm(i.end), extra: i.extra })),
      slots,
    });
  }
  const districts = districtsDb.listDistricts(app.db);
  return {
    doctor: doctorView(d, districts),
    template: input.template,
    exceptions: timetablesDb.listExceptions(app.db, d.id, dayNumberToIso(monday - 366), dayNumberToIso(monday + 366)).map(exceptionView),
    from,
    days,
    today,
  };
}

export function setTemplate(app: AppContext, staff: StaffRow, a: { doctorId: number; template: TimetableTemplate }): TimetableWeek {
  const d = requireDoctor(app, a.doctorId);
  const template = timetableTemplateSchema.parse(a.template);
  const now = app.clock();
  recordChange(
    app.db,
    engineActor(staff),
    now,
    () => timetablesDb.saveTimetableRow(app.db, d.id, JSON.stringify(template), template.room, now, staff.id),
    {
      audit: { action: 'timetable.changed', entity: 'staff', entityId: d.id, details: { slotMinutes: template.slotMinutes } },
      outbox: { kind: 'timetable.save', entity: 'timetable', entityId: d.login, payload: { doctor: d.login, template } },
    },
  );
  return week(app, { doctorId: d.id });
}

export function addException(
  app: AppContext,
  staff: StaffRow,
  a: {
    doctorId: number;
    kind: 'leave' | 'sick' | 'extra';
    from: string;
    to: string;
    start?: string | null;
    end?: string | null;
    note?: string | null;
  },
): { exception: TimetableException; affected: Appointment[] } {
  const d = requireDoctor(app, a.doctorId);
  if (a.to < a.from) throw new ApiError('validation', 'the last day is before the first', {}, ['to']);
  const today = orgToday(app);
  if (a.to < today) throw new ApiError('date-in-past', `${a.to} is in the past`, { date: a.to, today }, ['to']);
  const extra = a.kind === 'extra';
  if (extra && (!a.start || !a.end || minutesOf(a.end) <= minutesOf(a.start)))
    throw new ApiError('validation', 'extra hours need a start and a later end', {}, ['end']);
  const now = app.clock();
  const cal = calendarOf(app);
  const { id } = recordChange(
    app.db,
    engineActor(staff),
    now,
    () =>
      timetablesDb.insertException(
        app.db,
        {
          doctor_id: d.id,
          kind: a.kind,
          date_from: a.from,
          date_to: a.to,
          start_time: extra ? a.start! : null,
          end_time: extra ? a.end! : null,
          note: a.note?.trim() || null,
        },
        now,
        staff.id,
      ),
    {
      audit: ({ id: eid }) => ({
        action: 'timetable.exception-added',
        entity: 'timetable_exception',
        entityId: eid,
        details: { doctor: d.login, kind: a.kind, from: a.from, to: a.to },
      }),
      outbox: ({ id: eid, uid }) => ({
        kind: 'timetable.exception',
        entity: 'timetable_exception',
        entityId: eid,
        payload: {
          uid,
          doctor: d.login,
          kind: a.kind,
          from: a.from,
          to: a.to,
          start: a.start ?? null,
          end: a.end ?? null,
          note: a.note?.trim() || null,
        },
      }),
    },
  );
  // Patients booked on those days: the registrar calls them back to reschedule (nothing is cancelled silently).
  const affected = extra
    ? []
    : appointmentsDb
        .doctorAppointmentsBetween(app.db, d.id, cal.localToInstant(dayNumberOf(a.from), 0), cal.localToInstant(dayNumberOf(a.to) + 1, 0))
        .map((r) => appointmentView(app, r));
  return { exception: exceptionView(timetablesDb.getException(app.db, id)!), affected };
}

export function removeException(app: AppContext, staff: StaffRow, id: number): { ok: true } {
  const e = timetablesDb.getException(app.db, id);
  if (!e || e.removed_at) throw new ApiError('not-found', `no exception ${id}`, { id });
  const now = app.clock();
  recordChange(app.db, engineActor(staff), now, () => timetablesDb.removeException(app.db, id, now), {
    audit: {
      action: 'timetable.exception-removed',
      entity: 'timetable_exception',
      entityId: id,
      details: { kind: e.kind, from: e.date_from, to: e.date_to },
    },
    outbox: { kind: 'timetable.exception-remove', entity: 'timetable_exception', entityId: id, payload: { id, uid: e.uid } },
  });
  return { ok: true };
}

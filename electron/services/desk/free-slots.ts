/**
 * The free-slot search (`appointments.freeSlots`): one doctor's or a whole specialty's free slots, earliest first,
 * and who is away in the period. It runs on every keystroke of the booking screen, so it reads booked slots as
 * packed numbers from one index range scan and builds ISO strings with the date part cached.
 */
import { hhmm } from '../../../common/desk';
import type { Specialty } from '../../../common/roles';
import { dayNumberOf, dayNumberToIso, MINUTE_MS } from '../../../common/working-calendar';
import * as appointmentsDb from '../../../db/desk/appointments';
import * as timetablesDb from '../../../db/desk/timetables';
import type { AppContext } from '../app';
import { calendarOf } from '../workflow/context';
import { orgToday } from '../workflow/app-engine';
import { loadDoctors, parseTemplate, requireDoctor } from './doctors';
import { freeSlots as computeFreeSlots, type DoctorPlanInput } from '../../../common/timetable-slots';

export const MAX_SEARCH_DAYS = 42;

const isoDays = new Map<number, string>();
/** `new Date(ms).toISOString()` for whole-minute instants, with the date part cached (thousands of slots per search). */
function isoInstant(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  let prefix = isoDays.get(day);
  if (prefix === undefined) isoDays.set(day, (prefix = dayNumberToIso(day) + 'T'));
  const minute = Math.floor((ms - day * 86_400_000) / MINUTE_MS);
  return ms % MINUTE_MS === 0 ? `${prefix}${hhmm(minute)}:00.000Z` : new Date(ms).toISOString();
}

export interface SlotSearch {
  doctorId?: number | null;
  specialty?: Specialty | null;
  from?: string | null;
  days?: number;
  limit?: number;
}

/** Free slots of one doctor or of every doctor of a specialty, earliest first; plus who is away in that period. */
export function searchFreeSlots(app: AppContext, a: SlotSearch) {
  const cal = calendarOf(app);
  const today = orgToday(app);
  const fromIso = a.from && a.from > today ? a.from : today;
  const days = Math.min(a.days ?? 28, MAX_SEARCH_DAYS);
  const limit = a.limit ?? 20;
  const fromDay = dayNumberOf(fromIso);
  const toIso = dayNumberToIso(fromDay + days - 1);
  const loaded = loadDoctors(app);
  const chosen = a.doctorId ? [requireDoctor(app, a.doctorId)] : loaded.doctors.filter((d) => !a.specialty || d.specialty === a.specialty);
  const exceptions = timetablesDb.listExceptions(app.db, a.doctorId ?? null, fromIso, toIso);
  const inputs: DoctorPlanInput[] = chosen.map((d) => ({
    doctorId: d.id,
    template: loaded.templates.get(d.id) ?? parseTemplate(d.template),
    exceptions: exceptions.filter((e) => e.doctor_id === d.id),
  }));
  const fromMs = cal.localToInstant(fromDay, 0);
  const toMs = cal.localToInstant(fromDay + days, 0);
  const booked = new Map<number, Set<number>>();
  const ids = new Set(chosen.map((d) => d.id));
  for (const packed of appointmentsDb.bookedPacked(app.db, a.doctorId ?? null, fromMs, toMs)) {
    const doctor = packed % 100_000;
    const ms = ((packed - doctor) / 100_000) * MINUTE_MS;
    if (!ids.has(doctor)) continue;
    let s = booked.get(doctor);
    if (!s) booked.set(doctor, (s = new Set()));
    s.add(ms);
  }
  const slots = computeFreeSlots(cal, inputs, fromDay, days, app.clock().getTime(), booked, limit);
  const byId = new Map(chosen.map((d) => [d.id, d]));
  const dates: string[] = [];
  const times: string[] = [];
  return {
    from: fromIso,
    to: toIso,
    slots: slots.map((s) => {
      const d = byId.get(s.doctorId)!;
      return {
        doctorId: s.doctorId,
        doctorName: d.full_name,
        specialty: d.specialty as Specialty,
        room: d.room,
        start: isoInstant(s.startMs),
        date: (dates[s.dayNum - fromDay] ??= dayNumberToIso(s.dayNum)),
        time: (times[s.minute] ??= hhmm(s.minute)),
      };
    }),
    unavailable: exceptions
      .filter((e) => e.kind !== 'extra' && ids.has(e.doctor_id))
      .map((e) => ({ doctorId: e.doctor_id, fullName: byId.get(e.doctor_id)!.full_name, kind: e.kind, from: e.date_from, to: e.date_to })),
  };
}

/** The doctor's first free slot after `afterMs`, as `date time`: what the registrar offers when a slot was taken meanwhile. */
export function nextFreeOf(app: AppContext, doctorId: number, afterMs: number): string | null {
  const cal = calendarOf(app);
  const from = dayNumberToIso(cal.localDayOf(Math.max(afterMs, app.clock().getTime())));
  const s = searchFreeSlots(app, { doctorId, from, days: 28, limit: 50 }).slots.find((x) => Date.parse(x.start) > afterMs);
  return s ? `${s.date} ${s.time}` : null;
}

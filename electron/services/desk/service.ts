/**
 * The front desk (issue 4): districts, timetables, home-visit calls, appointments, attachment.
 *
 * Every registrar action is one recordChange transaction holding: the service request started through the step
 * engine and its desk steps completed by the registrar (so deadlines and the quality survey work as for any other
 * service; the engine's own transactions nest as savepoints), the domain row (journal entry), the audit entry and
 * the outbox operation. Anything refused throws before or inside that transaction, so nothing is half-saved.
 *
 * No double booking is the database's rule (a partial UNIQUE index on doctor + slot start for booked
 * appointments): a slot taken meanwhile by another desk makes the INSERT fail, the whole transaction rolls back,
 * and the registrar hears `slot-taken` with the next free slot of that doctor.
 */
import { createHash } from 'node:crypto';
import {
  DESK_SERVICES,
  hhmm,
  houseMatches,
  minutesOf,
  parseAddress,
  streetKey,
  timetableTemplateSchema,
  type Appointment,
  type Attachment,
  type District,
  type DistrictAddress,
  type DistrictResolution,
  type Doctor,
  type HomeVisit,
  type Slot,
  type TimetableException,
  type TimetableTemplate,
  type TimetableWeek,
} from '../../../common/desk';
import { ApiError } from '../../../common/errors';
import type { Specialty } from '../../../common/roles';
import type { Organization, Person } from '../../../common/schemas';
import { dayNumberOf, dayNumberToIso, isoWeekday, MINUTE_MS, type WorkingCalendar } from '../../../common/working-calendar';
import { recordChange } from '../../../db/change';
import * as dbd from '../../../db/desk';
import { getOrganization } from '../../../db/organization';
import { findPersonByIin } from '../../../db/people';
import { nextSequence, openStepRow, type RequestRow } from '../../../db/requests';
import type { StaffRow } from '../../../db/staff';
import { createBooking } from '../../../db/sync';
import type { AppContext } from '../app';
import { requireValidIin } from '../people';
import { calendarOf, catalogOf } from '../workflow/context';
import { canAct } from '../workflow/engine';
import { engineActor, engineOf, orgToday } from '../workflow/service';
import { freeSlots as computeFreeSlots, planDay, slotAt, slotMinutesOf, visitWindow, type DoctorPlanInput } from './slots';

export const MAX_SEARCH_DAYS = 42;

export function organization(app: AppContext): Organization {
  const org = getOrganization(app.db);
  if (!org) throw new ApiError('internal', 'the organization is not set up');
  return org;
}

const fullName = (p: { surname: string; given_name: string; patronymic: string | null }) => [p.surname, p.given_name, p.patronymic].filter(Boolean).join(' ');
const personName = (p: Person) => [p.surname, p.givenName, p.patronymic].filter(Boolean).join(' ');

function requirePerson(app: AppContext, iin: string): Person {
  const parsed = requireValidIin(iin);
  const p = findPersonByIin(app.db, parsed.iin);
  if (!p) throw new ApiError('not-found', `no person with IIN ${parsed.iin} in the register`, { iin: parsed.iin }, ['iin']);
  return p;
}

function isUnique(e: unknown): boolean {
  return (e as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function localIso(cal: WorkingCalendar, ms: number): { date: string; time: string } {
  const day = cal.localDayOf(ms);
  const minute = Math.round((ms + cal.offsetAt(ms) - day * 86_400_000) / MINUTE_MS);
  return { date: dayNumberToIso(day), time: hhmm(minute) };
}

function age(birthDate: string, today: string): number {
  let a = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (today.slice(5) < birthDate.slice(5)) a--;
  return a;
}

/**
 * Starts the service's request for the person and completes the steps the registrar takes at the desk, inside the
 * caller's transaction. Steps of other roles (if a regulation adds any) stay open in their queues.
 */
function runDeskRequest(app: AppContext, staff: StaffRow, serviceId: string, channel: 'desk' | 'phone', iin: string): RequestRow {
  const org = organization(app);
  const def = catalogOf(app).catalog.byId(serviceId, org.region, orgToday(app));
  if (!def) throw new ApiError('service-not-in-force', `no regulation of ${serviceId} is in force in ${org.region} today`, { service: serviceId, region: org.region });
  const engine = engineOf(app);
  const actor = engineActor(staff);
  let row = engine.start(def, channel, { iin }, actor, { feeKzt: def.fee.kzt });
  for (let i = 0; i < 64 && row.status === 'open'; i++) {
    const open = openStepRow(app.db, row.id);
    if (!open || !canAct(open, actor)) break;
    row = engine.completeStep(row.id, open.step_id, actor, {});
  }
  return row;
}

function number(app: AppContext, kind: string, letter: string): string {
  return `${organization(app).workstationPrefix}-${letter}${String(nextSequence(app.db, kind)).padStart(6, '0')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Doctors, templates, districts

interface Loaded {
  doctors: dbd.DoctorRow[];
  byId: Map<number, dbd.DoctorRow>;
  templates: Map<number, TimetableTemplate | null>;
}

const parsedTemplates = new Map<string, TimetableTemplate | null>();
/** A stored template, validated once per distinct text (searches read every doctor's template each time). */
function parseTemplate(text: string | null): TimetableTemplate | null {
  if (!text) return null;
  let t = parsedTemplates.get(text);
  if (t === undefined) {
    const r = timetableTemplateSchema.safeParse(JSON.parse(text));
    t = r.success ? r.data : null;
    if (parsedTemplates.size > 5000) parsedTemplates.clear();
    parsedTemplates.set(text, t);
  }
  return t;
}

function loadDoctors(app: AppContext): Loaded {
  const doctors = dbd.listDoctors(app.db);
  return { doctors, byId: new Map(doctors.map((d) => [d.id, d])), templates: new Map(doctors.map((d) => [d.id, parseTemplate(d.template)])) };
}

function requireDoctor(app: AppContext, id: number): dbd.DoctorRow {
  const d = dbd.getDoctor(app.db, id);
  if (!d) throw new ApiError('not-found', `no doctor ${id}`, { id }, ['doctorId']);
  return d;
}

function planInput(app: AppContext, d: dbd.DoctorRow, from: string, to: string): DoctorPlanInput {
  return { doctorId: d.id, template: parseTemplate(d.template), exceptions: dbd.listExceptions(app.db, d.id, from, to) };
}

function districtView(app: AppContext, r: dbd.DistrictRow, addresses?: dbd.DistrictAddressRow[]): District {
  const person = (id: number | null, name: string | null) => (id !== null && name !== null ? { id, fullName: name } : null);
  return {
    id: r.id,
    number: r.number,
    name: r.name,
    therapist: person(r.therapist_id, r.therapist_name),
    paediatrician: person(r.paediatrician_id, r.paediatrician_name),
    gp: person(r.gp_id, r.gp_name),
    addresses: (addresses ?? dbd.listDistrictAddresses(app.db, r.id)).map((a) => ({ street: a.street, houseFrom: a.house_from, houseTo: a.house_to, parity: a.parity })),
    attached: r.attached,
  };
}

export function listDistricts(app: AppContext): District[] {
  const all = dbd.listDistrictAddresses(app.db);
  return dbd.listDistricts(app.db).map((r) => districtView(app, r, all.filter((a) => a.district_id === r.id)));
}

function doctorView(d: dbd.DoctorRow, districts: dbd.DistrictRow[]): Doctor {
  return {
    id: d.id,
    login: d.login,
    fullName: d.full_name,
    specialty: d.specialty as Specialty,
    room: d.room,
    hasTimetable: d.template !== null,
    districts: districts.filter((x) => x.therapist_id === d.id || x.paediatrician_id === d.id || x.gp_id === d.id).map((x) => x.number),
  };
}

export function listDoctorViews(app: AppContext): Doctor[] {
  const districts = dbd.listDistricts(app.db);
  return dbd.listDoctors(app.db).map((d) => doctorView(d, districts));
}

/** What the desk screens need at once: today, the districts, the doctors, the attachment documents checklist. */
export function overview(app: AppContext) {
  const org = organization(app);
  const today = orgToday(app);
  const def = catalogOf(app).catalog.byId(DESK_SERVICES.attachment, org.region, today);
  const services = Object.values(DESK_SERVICES).map((id) => {
    const d = catalogOf(app).catalog.byId(id, org.region, today);
    return { id, inForce: !!d, title: d?.titles ?? { kk: id, ru: id, en: id }, channels: d?.channels.filter((c) => c !== 'portal') ?? [] };
  });
  const cal = calendarOf(app);
  const now = app.clock().getTime();
  return {
    today,
    now: localIso(cal, now).time,
    timeZone: org.timezone,
    districts: listDistricts(app),
    doctors: listDoctorViews(app),
    attachmentDocuments: (def?.documents ?? []).map((d) => ({ id: d.id, title: d.title, required: d.required })),
    services,
  };
}

export interface DistrictSaveInput {
  id?: number | null;
  number: string;
  name: string;
  therapistId: number | null;
  paediatricianId: number | null;
  gpId: number | null;
  addresses: DistrictAddress[];
}

export function saveDistrict(app: AppContext, staff: StaffRow, a: DistrictSaveInput): District {
  const id = a.id ?? null;
  if (dbd.districtNumberTaken(app.db, a.number, id)) throw new ApiError('conflict', `district ${a.number} exists`, { number: a.number }, ['number']);
  for (const [field, want] of [['therapistId', 'therapist'], ['paediatricianId', 'paediatrician'], ['gpId', 'gp']] as const) {
    const v = a[field];
    if (v === null) continue;
    const d = dbd.getDoctor(app.db, v);
    if (!d || d.specialty !== want) throw new ApiError('validation', `${field}: not a ${want}`, {}, [field]);
  }
  const addresses = a.addresses.map((x, i) => {
    const key = streetKey(x.street);
    if (!key) throw new ApiError('validation', `addresses.${i}.street: no street name`, {}, [`addresses.${i}.street`]);
    if (x.houseFrom !== null && x.houseTo !== null && x.houseTo < x.houseFrom) throw new ApiError('validation', 'house range reversed', {}, [`addresses.${i}.houseTo`]);
    return { street: x.street.trim(), streetKey: key, houseFrom: x.houseFrom, houseTo: x.houseTo, parity: x.parity };
  });
  const now = app.clock();
  const saved = recordChange(app.db, engineActor(staff), now, () => dbd.saveDistrictRow(app.db, { id, number: a.number, name: a.name, therapistId: a.therapistId, paediatricianId: a.paediatricianId, gpId: a.gpId, addresses }, now), {
    audit: (did) => ({ action: id === null ? 'district.created' : 'district.changed', entity: 'district', entityId: did, details: { number: a.number, streets: addresses.length } }),
    outbox: (did) => ({ kind: 'district.save', entity: 'district', entityId: a.number, payload: { id: did, ...a, addresses } }),
  });
  return districtView(app, dbd.getDistrictRow(app.db, saved)!);
}

function proposeDoctor(app: AppContext, d: dbd.DistrictRow, birthDate: string): DistrictResolution['doctor'] {
  const child = age(birthDate, orgToday(app)) < 18;
  const order: Array<[number | null, string | null, Specialty]> = child
    ? [[d.paediatrician_id, d.paediatrician_name, 'paediatrician'], [d.gp_id, d.gp_name, 'gp'], [d.therapist_id, d.therapist_name, 'therapist']]
    : [[d.therapist_id, d.therapist_name, 'therapist'], [d.gp_id, d.gp_name, 'gp']];
  const hit = order.find(([id, name]) => id !== null && name !== null);
  return hit ? { id: hit[0]!, fullName: hit[1]!, specialty: hit[2] } : null;
}

interface Match {
  district: dbd.DistrictRow;
  rule: dbd.DistrictAddressRow | null;
  house: number | null;
}

function matchAddress(app: AppContext, address: string | null): { match: Match | null; parsed: ReturnType<typeof parseAddress> } {
  const parsed = parseAddress(address);
  if (!parsed) return { match: null, parsed };
  const rule = dbd.addressesByStreetKey(app.db, parsed.key).find((r) => houseMatches({ houseFrom: r.house_from, houseTo: r.house_to, parity: r.parity }, parsed.house));
  const district = rule ? dbd.getDistrictRow(app.db, rule.district_id) : undefined;
  return { match: district && rule ? { district, rule, house: parsed.house } : null, parsed };
}

/** The person's district: where they are attached here, else by the street and house of the address. */
export function resolveDistrict(app: AppContext, a: { iin: string; address?: string | null; districtId?: number | null }): DistrictResolution {
  const person = requirePerson(app, a.iin);
  const attachment = dbd.activeAttachmentOf(app.db, person.iin);
  const address = a.address?.trim() || person.address;
  let district: dbd.DistrictRow | undefined;
  let matchedBy: DistrictResolution['matchedBy'] = null;
  const { match, parsed } = matchAddress(app, address);
  if (a.districtId) {
    district = dbd.getDistrictRow(app.db, a.districtId);
    if (!district) throw new ApiError('not-found', `no district ${a.districtId}`, { id: a.districtId }, ['districtId']);
  } else if (attachment) {
    district = dbd.getDistrictRow(app.db, attachment.district_id);
    matchedBy = 'attachment';
  } else if (match) {
    district = match.district;
    matchedBy = 'address';
  }
  const doctor = district ? proposeDoctor(app, district, person.birthDate) : null;
  let window: DistrictResolution['window'] = null;
  if (doctor) {
    const d = requireDoctor(app, doctor.id);
    const cal = calendarOf(app);
    const today = orgToday(app);
    const w = visitWindow(cal, planInput(app, d, today, today), dayNumberOf(today), app.clock().getTime());
    if (w) window = { date: today, from: hhmm(w.from), to: hhmm(w.to) };
  }
  return {
    district: district ? districtView(app, district) : null,
    matchedBy,
    problem: district ? null : !address || !parsed ? 'no-address' : 'outside',
    street: parsed?.street ?? null,
    house: parsed?.house ?? null,
    doctor,
    window,
    attachment: attachment ? { id: attachment.id, talonNumber: attachment.talon_number, since: attachment.attached_day } : null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Timetables

function exceptionView(e: dbd.ExceptionRow): TimetableException {
  return { id: e.id, doctorId: e.doctor_id, kind: e.kind, from: e.date_from, to: e.date_to, start: e.start_time, end: e.end_time, note: e.note };
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
  const booked = new Map(dbd.bookedSlots(app.db, d.id, cal.localToInstant(monday, 0), cal.localToInstant(monday + 7, 0)).map((b) => [b.slot_ms, b]));
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
  const districts = dbd.listDistricts(app.db);
  return {
    doctor: doctorView(d, districts),
    template: input.template,
    exceptions: dbd.listExceptions(app.db, d.id, dayNumberToIso(monday - 366), dayNumberToIso(monday + 366)).map(exceptionView),
    from,
    days,
    today,
  };
}

export function setTemplate(app: AppContext, staff: StaffRow, a: { doctorId: number; template: TimetableTemplate }): TimetableWeek {
  const d = requireDoctor(app, a.doctorId);
  const template = timetableTemplateSchema.parse(a.template);
  const now = app.clock();
  recordChange(app.db, engineActor(staff), now, () => dbd.saveTimetableRow(app.db, d.id, JSON.stringify(template), template.room, now, staff.id), {
    audit: { action: 'timetable.changed', entity: 'staff', entityId: d.id, details: { slotMinutes: template.slotMinutes } },
    outbox: { kind: 'timetable.save', entity: 'timetable', entityId: d.login, payload: { doctor: d.login, template } },
  });
  return week(app, { doctorId: d.id });
}

export function addException(
  app: AppContext,
  staff: StaffRow,
  a: { doctorId: number; kind: 'leave' | 'sick' | 'extra'; from: string; to: string; start?: string | null; end?: string | null; note?: string | null },
): { exception: TimetableException; affected: Appointment[] } {
  const d = requireDoctor(app, a.doctorId);
  if (a.to < a.from) throw new ApiError('validation', 'the last day is before the first', {}, ['to']);
  const today = orgToday(app);
  if (a.to < today) throw new ApiError('date-in-past', `${a.to} is in the past`, { date: a.to, today }, ['to']);
  const extra = a.kind === 'extra';
  if (extra && (!a.start || !a.end || minutesOf(a.end) <= minutesOf(a.start))) throw new ApiError('validation', 'extra hours need a start and a later end', {}, ['end']);
  const now = app.clock();
  const cal = calendarOf(app);
  const id = recordChange(
    app.db,
    engineActor(staff),
    now,
    () => dbd.insertException(app.db, { doctor_id: d.id, kind: a.kind, date_from: a.from, date_to: a.to, start_time: extra ? a.start! : null, end_time: extra ? a.end! : null, note: a.note?.trim() || null }, now, staff.id),
    {
      audit: (eid) => ({ action: 'timetable.exception-added', entity: 'timetable_exception', entityId: eid, details: { doctor: d.login, kind: a.kind, from: a.from, to: a.to } }),
      outbox: (eid) => ({ kind: 'timetable.exception', entity: 'timetable_exception', entityId: eid, payload: { doctor: d.login, kind: a.kind, from: a.from, to: a.to, start: a.start ?? null, end: a.end ?? null } }),
    },
  );
  // Patients booked on those days: the registrar calls them back to reschedule (nothing is cancelled silently).
  const affected = extra ? [] : dbd.doctorAppointmentsBetween(app.db, d.id, cal.localToInstant(dayNumberOf(a.from), 0), cal.localToInstant(dayNumberOf(a.to) + 1, 0)).map((r) => appointmentView(app, r));
  return { exception: exceptionView(dbd.getException(app.db, id)!), affected };
}

export function removeException(app: AppContext, staff: StaffRow, id: number): { ok: true } {
  const e = dbd.getException(app.db, id);
  if (!e || e.removed_at) throw new ApiError('not-found', `no exception ${id}`, { id });
  const now = app.clock();
  recordChange(app.db, engineActor(staff), now, () => dbd.removeException(app.db, id, now), {
    audit: { action: 'timetable.exception-removed', entity: 'timetable_exception', entityId: id, details: { kind: e.kind, from: e.date_from, to: e.date_to } },
    outbox: { kind: 'timetable.exception-remove', entity: 'timetable_exception', entityId: id, payload: { id } },
  });
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------------------------
// Free slots and appointments

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
  const exceptions = dbd.listExceptions(app.db, a.doctorId ?? null, fromIso, toIso);
  const inputs: DoctorPlanInput[] = chosen.map((d) => ({ doctorId: d.id, template: loaded.templates.get(d.id) ?? parseTemplate(d.template), exceptions: exceptions.filter((e) => e.doctor_id === d.id) }));
  const fromMs = cal.localToInstant(fromDay, 0);
  const toMs = cal.localToInstant(fromDay + days, 0);
  const booked = new Map<number, Set<number>>();
  const ids = new Set(chosen.map((d) => d.id));
  for (const packed of dbd.bookedPacked(app.db, a.doctorId ?? null, fromMs, toMs)) {
    const doctor = packed % 100_000;
    const ms = (packed - doctor) / 100_000 * MINUTE_MS;
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

function appointmentView(app: AppContext, r: dbd.AppointmentRow): Appointment {
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
  const r = dbd.getAppointmentRow(app.db, id);
  if (!r) throw new ApiError('not-found', `no appointment ${id}`, { id });
  return appointmentView(app, r);
}

export function personAppointments(app: AppContext, iin: string): Appointment[] {
  const p = requirePerson(app, iin);
  return dbd.personUpcomingAppointments(app.db, p.iin, app.clock().getTime() - 60 * MINUTE_MS).map((r) => appointmentView(app, r));
}

/** Checks that the doctor receives in a slot starting at `startMs` and that it is not in the past. */
function checkSlot(app: AppContext, d: dbd.DoctorRow, startMs: number) {
  const cal = calendarOf(app);
  const nowMs = app.clock().getTime();
  const iso = dayNumberToIso(cal.localDayOf(startMs));
  const input = planInput(app, d, iso, iso);
  const r = slotAt(cal, input, startMs);
  if (!r.ok) {
    if (r.off === 'leave' || r.off === 'sick') {
      const e = input.exceptions.find((x) => x.kind === r.off)!;
      throw new ApiError('doctor-unavailable', `${d.full_name} is on ${r.off} from ${e.date_from} to ${e.date_to}`, { doctor: d.full_name, kind: r.off, from: e.date_from, to: e.date_to });
    }
    throw new ApiError('slot-not-available', `${d.full_name} does not receive at ${new Date(startMs).toISOString()} (${r.off})`, { doctor: d.full_name, reason: r.off ?? 'no-slot', date: iso });
  }
  if (startMs + (r.slot.endMs - r.slot.startMs) <= nowMs || (startMs < nowMs && cal.localDayOf(startMs) !== cal.localDayOf(nowMs))) {
    throw new ApiError('date-in-past', `the slot ${new Date(startMs).toISOString()} is in the past`, { date: iso, today: orgToday(app) });
  }
  return r.slot;
}

function nextFreeOf(app: AppContext, doctorId: number, afterMs: number): string | null {
  const cal = calendarOf(app);
  const from = dayNumberToIso(cal.localDayOf(Math.max(afterMs, app.clock().getTime())));
  const s = searchFreeSlots(app, { doctorId, from, days: 28, limit: 50 }).slots.find((x) => Date.parse(x.start) > afterMs);
  return s ? `${s.date} ${s.time}` : null;
}

export interface BookArgs {
  iin: string;
  doctorId: number;
  slotStart?: string | null;
  channel: 'desk' | 'phone';
  walkIn?: boolean;
  note?: string | null;
}

function insertBooked(app: AppContext, staff: StaffRow, d: dbd.DoctorRow, person: Person, slot: { startMs: number; endMs: number }, requestId: number, kind: 'appointment' | 'walk-in', channel: 'desk' | 'phone' | 'portal', note: string | null, now: Date): number {
  const cal = calendarOf(app);
  const slotIso = new Date(slot.startMs).toISOString();
  // The central server confirms one booking per doctor and slot (issue 7): provisional until then.
  const booking = createBooking(app.db, engineActor(staff), now, { doctor: d.login, slotStart: slotIso, patientIin: person.iin, patientName: personName(person), phone: person.phone });
  try {
    return dbd.insertAppointment(app.db, {
      number: number(app, 'appointment', 'P'),
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
    if (isUnique(e)) {
      const at = localIso(cal, slot.startMs);
      throw new ApiError('slot-taken', `${d.full_name} at ${at.date} ${at.time} was booked meanwhile`, { doctor: d.full_name, date: at.date, time: at.time, next: nextFreeOf(app, d.id, slot.startMs) ?? '' });
    }
    throw e;
  }
}

/** Books a slot (or, for a walk-in without a slot, the doctor's first free slot today). */
/** `portal`: as for registerHomeVisit, the appointment of a citizen's e-request registered as a portal request. */
export function book(app: AppContext, staff: StaffRow, a: BookArgs, portal?: { request: RequestRow }): Appointment {
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
      const req = portal?.request ?? runDeskRequest(app, staff, DESK_SERVICES.appointment, a.channel, person.iin);
      return insertBooked(app, staff, d, person, slot, req.id, kind, portal ? 'portal' : a.channel, a.note?.trim() || null, now);
    },
    {
      audit: (aid) => ({ action: 'appointment.booked', entity: 'appointment', entityId: aid, details: { doctor: d.login, slotStart: new Date(startMs).toISOString(), kind } }),
    },
  );
  return getAppointment(app, id);
}

export function cancelAppointment(app: AppContext, staff: StaffRow, a: { id: number; reason: string }): Appointment {
  const r = dbd.getAppointmentRow(app.db, a.id);
  if (!r) throw new ApiError('not-found', `no appointment ${a.id}`, { id: a.id });
  if (r.status !== 'booked') throw new ApiError('appointment-closed', `appointment ${r.number} is already ${r.status}`, { number: r.number, status: r.status });
  const now = app.clock();
  recordChange(
    app.db,
    engineActor(staff),
    now,
    () => {
      if (!dbd.closeAppointmentRow(app.db, r.id, 'cancelled', a.reason.trim(), now, staff.id, null)) throw new ApiError('appointment-closed', `appointment ${r.number} changed meanwhile`, { number: r.number, status: 'cancelled' });
    },
    {
      audit: { action: 'appointment.cancelled', entity: 'appointment', entityId: r.id, details: { number: r.number, reason: a.reason.trim() } },
      outbox: { kind: 'booking.cancel', entity: 'booking', entityId: r.sync_booking ?? r.number, payload: { booking_id: r.sync_booking, doctor: r.doctor_login, slot_start: r.slot_start, patient_iin: r.person_iin, reason: a.reason.trim() } },
    },
  );
  return getAppointment(app, r.id);
}

/** Moves an appointment to another slot (of the same or another doctor): the new booking and the old one's closing together. */
export function reschedule(app: AppContext, staff: StaffRow, a: { id: number; slotStart: string; doctorId?: number | null; reason?: string | null }): Appointment {
  const r = dbd.getAppointmentRow(app.db, a.id);
  if (!r) throw new ApiError('not-found', `no appointment ${a.id}`, { id: a.id });
  if (r.status !== 'booked') throw new ApiError('appointment-closed', `appointment ${r.number} is already ${r.status}`, { number: r.number, status: r.status });
  const d = requireDoctor(app, a.doctorId ?? r.doctor_id);
  const startMs = Date.parse(a.slotStart);
  if (!Number.isFinite(startMs)) throw new ApiError('validation', 'slotStart is not a time', {}, ['slotStart']);
  if (d.id === r.doctor_id && startMs === r.slot_ms) throw new ApiError('validation', 'the new slot is the same as the old one', {}, ['slotStart']);
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
      if (!dbd.closeAppointmentRow(app.db, r.id, 'rescheduled', reason, now, staff.id, newId)) throw new ApiError('appointment-closed', `appointment ${r.number} changed meanwhile`, { number: r.number, status: 'rescheduled' });
      return newId;
    },
    {
      audit: (newId) => ({ action: 'appointment.rescheduled', entity: 'appointment', entityId: r.id, details: { to: newId, doctor: d.login, slotStart: new Date(startMs).toISOString() } }),
      outbox: { kind: 'booking.cancel', entity: 'booking', entityId: r.sync_booking ?? r.number, payload: { booking_id: r.sync_booking, doctor: r.doctor_login, slot_start: r.slot_start, patient_iin: r.person_iin, reason: 'rescheduled' } },
    },
  );
  return getAppointment(app, id);
}

// ---------------------------------------------------------------------------------------------------------------
// Home-visit calls

function visitView(r: dbd.HomeVisitRow): HomeVisit {
  return {
    id: r.id,
    number: r.number,
    requestNumber: r.request_number,
    channel: r.channel,
    person: { iin: r.person_iin, name: fullName(r), birthDate: r.birth_date },
    address: r.address,
    phone: r.phone,
    complaint: r.complaint,
    caller: r.caller,
    callerName: r.caller_name,
    district: r.district_number,
    doctor: { id: r.doctor_id, fullName: r.doctor_name, specialty: r.specialty as Specialty },
    visitDate: r.visit_date,
    windowFrom: r.window_from,
    windowTo: r.window_to,
    lateReason: r.late_reason,
    status: r.status,
    statusReason: r.status_reason,
    statusAt: r.status_at,
    createdAt: r.created_at,
    createdBy: r.registrar,
  };
}

export function getHomeVisit(app: AppContext, id: number): HomeVisit {
  const r = dbd.getHomeVisitRow(app.db, id);
  if (!r) throw new ApiError('not-found', `no home-visit call ${id}`, { id });
  return visitView(r);
}

export interface HomeVisitArgs {
  iin: string;
  channel: 'desk' | 'phone';
  address: string;
  phone?: string | null;
  complaint: string;
  caller: 'self' | 'relative' | 'other';
  callerName?: string | null;
  districtId?: number | null;
  doctorId: number;
  visitDate: string;
  windowFrom: string;
  windowTo: string;
  lateReason?: string | null;
}

/**
 * `portal`: the call comes from a citizen's e-request (issue 8) already registered through the step engine as a
 * portal request; the journal entry is linked to that request instead of starting a desk request.
 */
export function registerHomeVisit(app: AppContext, staff: StaffRow, a: HomeVisitArgs, portal?: { request: RequestRow }): HomeVisit {
  const person = requirePerson(app, a.iin);
  const d = requireDoctor(app, a.doctorId);
  const today = orgToday(app);
  const cal = calendarOf(app);
  if (a.visitDate < today) throw new ApiError('date-in-past', `${a.visitDate} is in the past`, { date: a.visitDate, today }, ['visitDate']);
  if (minutesOf(a.windowTo) <= minutesOf(a.windowFrom)) throw new ApiError('validation', 'the window ends before it starts', {}, ['windowTo']);
  const lateReason = a.lateReason?.trim() || null;
  if (a.visitDate > today && (!lateReason || lateReason.length < 3)) {
    throw new ApiError('visit-reason-required', `the visit is the same day; ${a.visitDate} needs a recorded reason`, { date: a.visitDate }, ['lateReason']);
  }
  if (a.visitDate === today) {
    const nowLocal = localIso(cal, app.clock().getTime()).time;
    if (a.windowTo <= nowLocal) throw new ApiError('date-in-past', `the window ${a.windowFrom}–${a.windowTo} has passed`, { date: a.visitDate, today }, ['windowTo']);
  }
  const plan = planDay(cal, planInput(app, d, a.visitDate, a.visitDate), dayNumberOf(a.visitDate));
  if (plan.off === 'leave' || plan.off === 'sick') {
    const e = dbd.listExceptions(app.db, d.id, a.visitDate, a.visitDate).find((x) => x.kind === plan.off)!;
    throw new ApiError('doctor-unavailable', `${d.full_name} is on ${plan.off} from ${e.date_from} to ${e.date_to}`, { doctor: d.full_name, kind: plan.off, from: e.date_from, to: e.date_to });
  }
  const { match } = matchAddress(app, a.address);
  let districtId = a.districtId ?? null;
  if (districtId !== null) {
    if (!dbd.getDistrictRow(app.db, districtId)) throw new ApiError('not-found', `no district ${districtId}`, { id: districtId }, ['districtId']);
  } else {
    const attached = dbd.activeAttachmentOf(app.db, person.iin);
    districtId = attached?.district_id ?? match?.district.id ?? null;
    if (districtId === null) throw new ApiError('outside-districts', `the address "${a.address}" is outside every district`, { address: a.address }, ['districtId']);
  }
  const sameDistrict = match && match.district.id === districtId;
  const now = app.clock();
  const id = recordChange(
    app.db,
    engineActor(staff),
    now,
    () => {
      const req = portal?.request ?? runDeskRequest(app, staff, DESK_SERVICES.homeVisit, a.channel, person.iin);
      return dbd.insertHomeVisit(app.db, {
        number: number(app, 'home-visit', 'V'),
        request_id: req.id,
        channel: portal ? 'portal' : a.channel,
        person_iin: person.iin,
        address: a.address.trim(),
        phone: a.phone?.trim() || null,
        complaint: a.complaint.trim(),
        caller: a.caller,
        caller_name: a.callerName?.trim() || null,
        district_id: districtId,
        doctor_id: d.id,
        visit_date: a.visitDate,
        window_from: a.windowFrom,
        window_to: a.windowTo,
        late_reason: a.visitDate > today ? lateReason : null,
        route_street: sameDistrict ? match.rule!.position : null,
        route_house: sameDistrict ? match.house : null,
        created_at: now.toISOString(),
        created_day: today,
        created_by: staff.id,
      });
    },
    {
      audit: (vid) => ({ action: 'home-visit.registered', entity: 'home_visit', entityId: vid, details: { doctor: d.login, visitDate: a.visitDate, channel: a.channel } }),
      outbox: (vid) => {
        const r = dbd.getHomeVisitRow(app.db, vid)!;
        return { kind: 'home-visit.register', entity: 'home_visit', entityId: r.number, payload: { number: r.number, request: r.request_number, personIin: person.iin, doctor: d.login, district: r.district_number, visitDate: a.visitDate, window: [a.windowFrom, a.windowTo], caller: a.caller, channel: a.channel, createdAt: r.created_at } };
      },
    },
  );
  return getHomeVisit(app, id);
}

export function setVisitStatus(app: AppContext, staff: StaffRow, a: { id: number; status: 'visited' | 'cancelled'; reason?: string | null }): HomeVisit {
  const r = dbd.getHomeVisitRow(app.db, a.id);
  if (!r) throw new ApiError('not-found', `no home-visit call ${a.id}`, { id: a.id });
  const reason = a.reason?.trim() || null;
  if (a.status === 'cancelled' && (!reason || reason.length < 3)) throw new ApiError('validation', 'a cancellation needs a reason', {}, ['reason']);
  if (r.status !== 'registered') throw new ApiError('visit-closed', `call ${r.number} is already ${r.status}`, { number: r.number, status: r.status });
  const now = app.clock();
  recordChange(
    app.db,
    engineActor(staff),
    now,
    () => {
      if (!dbd.setHomeVisitStatus(app.db, r.id, a.status, reason, now, staff.id)) throw new ApiError('visit-closed', `call ${r.number} changed meanwhile`, { number: r.number, status: a.status });
    },
    {
      audit: { action: `home-visit.${a.status}`, entity: 'home_visit', entityId: r.id, details: { number: r.number, reason } },
      outbox: { kind: 'home-visit.status', entity: 'home_visit', entityId: r.number, payload: { number: r.number, status: a.status, reason, at: now.toISOString(), by: staff.login } },
    },
  );
  return getHomeVisit(app, r.id);
}

export function doctorDay(app: AppContext, a: { doctorId: number; date: string }): { doctor: Doctor; date: string; visits: HomeVisit[] } {
  const d = requireDoctor(app, a.doctorId);
  return { doctor: doctorView(d, dbd.listDistricts(app.db)), date: a.date, visits: dbd.doctorDayVisits(app.db, d.id, a.date).map(visitView) };
}

export function personVisits(app: AppContext, iin: string): HomeVisit[] {
  return dbd.personOpenVisits(app.db, requirePerson(app, iin).iin, orgToday(app)).map(visitView);
}

// ---------------------------------------------------------------------------------------------------------------
// Attachment

function attachmentView(r: dbd.AttachmentRow): Attachment {
  return {
    id: r.id,
    talonNumber: r.talon_number,
    requestNumber: r.request_number,
    person: { iin: r.person_iin, name: fullName(r), birthDate: r.birth_date, address: r.address, phone: r.phone },
    district: { id: r.district_id, number: r.district_number, name: r.district_name },
    doctor: r.doctor_id !== null && r.doctor_name ? { id: r.doctor_id, fullName: r.doctor_name, specialty: r.specialty as Specialty } : null,
    documents: JSON.parse(r.documents) as string[],
    previousOrganization: r.previous_org,
    districtChosenByHand: r.district_by_hand === 1,
    status: r.status,
    attachedAt: r.attached_at,
    date: r.attached_day,
    verification: r.verification,
    createdBy: r.registrar,
  };
}

export function getAttachment(app: AppContext, id: number): Attachment {
  const r = dbd.getAttachmentRow(app.db, id);
  if (!r) throw new ApiError('not-found', `no attachment ${id}`, { id });
  return attachmentView(r);
}

/** The talon's verification code: a digest of what the talon states, printed and put in its QR code. */
export function talonDigest(fields: { talon: string; bin: string; iin: string; district: string; date: string }): string {
  return createHash('sha256').update([fields.talon, fields.bin, fields.iin, fields.district, fields.date].join('|')).digest('hex').slice(0, 16).toUpperCase();
}

export interface AttachArgs {
  iin: string;
  documents: string[];
  districtId?: number | null;
  doctorId?: number | null;
  previousOrganization?: string | null;
}

/** `portal`: as for registerHomeVisit, the attachment of a citizen's e-request registered as a portal request. */
export function attach(app: AppContext, staff: StaffRow, a: AttachArgs, portal?: { request: RequestRow }): Attachment {
  const person = requirePerson(app, a.iin);
  const org = organization(app);
  const today = orgToday(app);
  const def = catalogOf(app).catalog.byId(DESK_SERVICES.attachment, org.region, today);
  if (!def) throw new ApiError('service-not-in-force', `no regulation of attachment is in force in ${org.region} today`, { service: 'attachment', region: org.region });
  const already = dbd.activeAttachmentOf(app.db, person.iin);
  if (already) {
    throw new ApiError('already-attached', `${person.iin} is attached here already (talon ${already.talon_number})`, { talon: already.talon_number, district: already.district_number, since: already.attached_day });
  }
  const known = new Set(def.documents.map((d) => d.id));
  const unknown = a.documents.filter((x) => !known.has(x));
  if (unknown.length) throw new ApiError('validation', `unknown documents: ${unknown.join(', ')}`, {}, ['documents']);
  const missing = def.documents.filter((d) => d.required && !a.documents.includes(d.id));
  if (missing.length) {
    throw new ApiError('document-missing', `required documents missing: ${missing.map((m) => m.id).join(', ')}`, { documents: missing.map((m) => m.title[staff.language]).join('; '), ids: missing.map((m) => m.id).join(',') }, ['documents']);
  }
  let district: dbd.DistrictRow | undefined;
  const byHand = !!a.districtId;
  if (a.districtId) {
    district = dbd.getDistrictRow(app.db, a.districtId);
    if (!district) throw new ApiError('not-found', `no district ${a.districtId}`, { id: a.districtId }, ['districtId']);
  } else {
    district = matchAddress(app, person.address).match?.district;
    if (!district) throw new ApiError('outside-districts', `the address "${person.address ?? ''}" is outside every district`, { address: person.address ?? '' }, ['districtId']);
  }
  let doctorId = a.doctorId ?? proposeDoctor(app, district, person.birthDate)?.id ?? null;
  if (doctorId !== null) doctorId = requireDoctor(app, doctorId).id;
  const now = app.clock();
  const previous = a.previousOrganization?.trim() || null;
  const dist = district;
  const id = recordChange(
    app.db,
    engineActor(staff),
    now,
    () => {
      const req = portal?.request ?? runDeskRequest(app, staff, DESK_SERVICES.attachment, 'desk', person.iin);
      const talon = number(app, 'talon', 'T');
      try {
        return dbd.insertAttachment(app.db, {
          talon_number: talon,
          request_id: req.id,
          person_iin: person.iin,
          district_id: dist.id,
          doctor_id: doctorId,
          district_by_hand: byHand ? 1 : 0,
          documents: JSON.stringify(a.documents),
          previous_org: previous,
          verification: talonDigest({ talon, bin: org.bin, iin: person.iin, district: dist.number, date: today }),
          attached_at: now.toISOString(),
          attached_day: today,
          created_by: staff.id,
        });
      } catch (e) {
        if (isUnique(e)) throw new ApiError('already-attached', `${person.iin} was attached meanwhile`, { talon: '', district: '', since: today });
        throw e;
      }
    },
    {
      audit: (aid) => ({ action: 'attachment.created', entity: 'attachment', entityId: aid, details: { district: dist.number, byHand, detachedFrom: previous, documents: a.documents } }),
      outbox: (aid) => {
        const r = dbd.getAttachmentRow(app.db, aid)!;
        return {
          kind: 'attachment.create',
          entity: 'attachment',
          entityId: r.talon_number,
          // The detachment from the previous organization travels with it: the centre closes that attachment.
          payload: { talon: r.talon_number, request: r.request_number, personIin: person.iin, district: dist.number, doctor: r.doctor_id, documents: a.documents, detachFrom: previous, attachedAt: r.attached_at, verification: r.verification },
        };
      },
    },
  );
  return getAttachment(app, id);
}

export { attachmentView, appointmentView, visitView, localIso, fullName as rowFullName };

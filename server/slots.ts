/**
 * Free appointment times for the portal (issue 15, point 5; Astana appendix 2, cl. 9: the citizen chooses a free
 * time in the doctor's timetable): `GET /v1/gateway/slots?org=BIN[&specialty=S|&doctor=LOGIN][&from=D&to=D]`.
 *
 * Answered from the central server's own view of the organization: the shared rows its desks pushed (staff,
 * timetables, timetable exceptions, the working calendar; change_current holds the latest of each), the
 * organization's time zone (its profile) and the bookings the server confirmed (one per slot). The slots are
 * counted by the same pure code as the desk's (common/timetable-slots.ts). A doctor the server has no staff row or
 * timetable for is not offered. The answer names doctors and times only: no patient, no staff IIN.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { timetableTemplateSchema, type TimetableTemplate } from '../common/desk';
import { SPECIALTIES, type Specialty } from '../common/roles';
import { freeSlots, type DoctorPlanInput, type TimetableExceptionRow } from '../common/timetable-slots';
import { calendarSettingsSchema, DEFAULT_CALENDAR_SETTINGS } from '../common/workflow';
import {
  createWorkingCalendar,
  dayNumberOf,
  dayNumberToIso,
  isValidIsoDate,
  parseCalendarData,
  type CalendarData,
  type WorkingCalendar,
} from '../common/working-calendar';
import type { Sql } from './db';
import { getProfile } from './organization';

/** The longest period one request may ask for (days, both ends included). */
export const SLOTS_MAX_DAYS = 14;
/** The period when `to` is not given (days, from `from`). */
export const SLOTS_DEFAULT_DAYS = 7;
export const SLOTS_DEFAULT_LIMIT = 500;
export const SLOTS_MAX_LIMIT = 2_000;
/** The zone of an organization whose profile the server does not have (the desk's default too). */
const DEFAULT_TIME_ZONE = 'Asia/Almaty';

export interface SlotQuery {
  org: string;
  specialty: Specialty | null;
  doctor: string | null;
  /** Local dates, inclusive; null: from the organization's today. */
  from: string | null;
  to: string | null;
  limit: number;
}

/** A refused query: the HTTP status, and the parameter at fault. */
export class SlotQueryError extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly code: string,
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
  }
}

const bad = (parameter: string, message: string) => new SlotQueryError(400, 'bad-request', parameter, message);

/** Reads the query string; every refusal names the parameter. */
export function parseSlotQuery(q: Record<string, unknown>): SlotQuery {
  const one = (name: string): string | null => {
    const v = q[name];
    if (v === undefined || v === '') return null;
    if (typeof v !== 'string') throw bad(name, 'give it once');
    return v;
  };
  const org = one('org');
  if (!org) throw bad('org', "the organization's BIN is required");
  if (!/^\d{12}$/.test(org)) throw bad('org', 'expected a BIN (12 digits)');
  const specialty = one('specialty');
  if (specialty !== null && !(SPECIALTIES as readonly string[]).includes(specialty))
    throw bad('specialty', `expected one of ${SPECIALTIES.join(', ')}`);
  const doctor = one('doctor');
  if (doctor !== null && !/^[A-Za-z0-9._@-]{1,60}$/.test(doctor)) throw bad('doctor', "expected a doctor's login");
  const date = (name: string): string | null => {
    const v = one(name);
    if (v !== null && !(/^\d{4}-\d\d-\d\d$/.test(v) && isValidIsoDate(v))) throw bad(name, 'expected a date YYYY-MM-DD');
    return v;
  };
  const from = date('from');
  const to = date('to');
  if (from && to) {
    if (to < from) throw bad('to', 'is before from');
    if (dayNumberOf(to) - dayNumberOf(from) + 1 > SLOTS_MAX_DAYS) throw bad('to', `at most ${SLOTS_MAX_DAYS} days from from`);
  }
  const limitText = one('limit');
  const limit = limitText === null ? SLOTS_DEFAULT_LIMIT : Number(limitText);
  if (!/^\d+$/.test(limitText ?? '1') || !Number.isInteger(limit) || limit < 1 || limit > SLOTS_MAX_LIMIT)
    throw bad('limit', `expected a whole number from 1 to ${SLOTS_MAX_LIMIT}`);
  return { org, specialty: specialty as Specialty | null, doctor: doctor?.toLowerCase() ?? null, from, to, limit };
}

export interface OfferedSlot {
  /** The doctor's login: what the appointment e-request names (`doctor`). */
  doctor: string;
  doctorName: string;
  specialty: Specialty;
  start: string;
  end: string;
}

export interface SlotsAnswer {
  organizationBin: string;
  timeZone: string;
  from: string;
  to: string;
  slots: OfferedSlot[];
  /** More free slots than `limit` in the period: ask for a shorter one or one doctor. */
  truncated: boolean;
}

let countryData: CalendarData | null = null;
/** The country's calendar shipped in resources/calendars (the same file the desks read). */
function countryCalendar(): CalendarData {
  if (!countryData) {
    const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'calendars', 'kz.json');
    countryData = parseCalendarData(JSON.parse(fs.readFileSync(file, 'utf8')), 'calendars/kz.json');
  }
  return countryData;
}

const calendars = new Map<string, WorkingCalendar>();
/** The organization's calendar from its pushed settings (cached per zone and settings text). */
function calendarFor(timeZone: string, settingsText: string | null): WorkingCalendar {
  const key = `${timeZone}|${settingsText ?? ''}`;
  let cal = calendars.get(key);
  if (!cal) {
    const parsed = settingsText ? calendarSettingsSchema.safeParse(JSON.parse(settingsText)) : null;
    const settings = parsed?.success ? parsed.data : DEFAULT_CALENDAR_SETTINGS;
    cal = createWorkingCalendar(countryCalendar(), { timeZone, hours: settings.hours, extraTransfers: settings.extraTransfers });
    if (calendars.size > 200) calendars.clear();
    calendars.set(key, cal);
  }
  return cal;
}

interface ServerDoctor {
  login: string;
  name: string;
  specialty: Specialty;
  template: TimetableTemplate;
}

/** Physicians of the organization with a timetable, as the server's change log last has them. */
async function loadDoctors(db: Sql, org: string, q: SlotQuery): Promise<ServerDoctor[]> {
  const r = await db.query<{ kind: string; key: string; payload: string }>(
    `SELECT kind, key, payload FROM change_current WHERE org_bin = $1 AND kind IN ('staff', 'timetable') AND NOT deleted
        AND ($2::text IS NULL OR key = $2)`,
    [org, q.doctor],
  );
  const staff = new Map<string, { fullName?: unknown; role?: unknown; specialty?: unknown; disabled?: unknown }>();
  const templates = new Map<string, TimetableTemplate>();
  for (const row of r.rows) {
    const p = JSON.parse(row.payload) as Record<string, unknown> | null;
    if (!p) continue;
    if (row.kind === 'staff') staff.set(row.key, p);
    else {
      const t = timetableTemplateSchema.safeParse(p.template);
      if (t.success) templates.set(row.key, t.data);
    }
  }
  const out: ServerDoctor[] = [];
  for (const [login, s] of staff) {
    const template = templates.get(login);
    if (!template || s.role !== 'physician' || s.disabled || typeof s.fullName !== 'string') continue;
    if (!(SPECIALTIES as readonly unknown[]).includes(s.specialty)) continue;
    if (q.specialty && s.specialty !== q.specialty) continue;
    out.push({ login, name: s.fullName, specialty: s.specialty as Specialty, template });
  }
  return out.sort((a, b) => a.specialty.localeCompare(b.specialty) || a.name.localeCompare(b.name) || a.login.localeCompare(b.login));
}

/** Exceptions in force overlapping [from, to] of the given doctors (by login). */
async function loadExceptions(db: Sql, org: string, from: string, to: string, ids: Map<string, number>): Promise<TimetableExceptionRow[]> {
  const r = await db.query<{ payload: string }>(
    `SELECT payload FROM change_current WHERE org_bin = $1 AND kind = 'timetable-exception' AND NOT deleted
        AND payload::jsonb->>'from' <= $3 AND payload::jsonb->>'to' >= $2`,
    [org, from, to],
  );
  const out: TimetableExceptionRow[] = [];
  for (const row of r.rows) {
    const p = JSON.parse(row.payload) as Record<string, unknown>;
    const id = typeof p.doctor === 'string' ? ids.get(p.doctor) : undefined;
    if (id === undefined || !['leave', 'sick', 'extra'].includes(String(p.kind))) continue;
    const extra = p.kind === 'extra';
    if (extra && (typeof p.start !== 'string' || typeof p.end !== 'string')) continue;
    out.push({
      doctor_id: id,
      kind: p.kind as TimetableExceptionRow['kind'],
      date_from: String(p.from),
      date_to: String(p.to),
      start_time: extra ? (p.start as string) : null,
      end_time: extra ? (p.end as string) : null,
    });
  }
  return out;
}

/** Slots the server has confirmed bookings for: doctor index → slot start instants. */
async function loadBooked(db: Sql, org: string, fromMs: number, toMs: number, ids: Map<string, number>) {
  const r = await db.query<{ doctor: string; slot_start: string }>(
    `SELECT doctor, to_json(slot_start)#>>'{}' AS slot_start FROM booking
      WHERE org_bin = $1 AND doctor = ANY (SELECT jsonb_array_elements_text($4::jsonb)) AND slot_start >= $2 AND slot_start < $3`,
    [org, new Date(fromMs).toISOString(), new Date(toMs).toISOString(), JSON.stringify([...ids.keys()])],
  );
  const booked = new Map<number, Set<number>>();
  for (const row of r.rows) {
    const id = ids.get(row.doctor);
    if (id === undefined) continue;
    let set = booked.get(id);
    if (!set) booked.set(id, (set = new Set()));
    set.add(Date.parse(row.slot_start));
  }
  return booked;
}

/**
 * The free slots of the query, earliest first. Throws SlotQueryError 404 for an organization no desk connected,
 * or a doctor the server does not know with a timetable.
 */
export async function freeSlotsFor(db: Sql, q: SlotQuery, now: Date): Promise<SlotsAnswer> {
  const known = await db.query(`SELECT 1 FROM organization WHERE bin = $1`, [q.org]);
  if (known.rowCount === 0) throw new SlotQueryError(404, 'unknown-organization', 'org', `no organization with BIN ${q.org} is connected`);
  const timeZone = (await getProfile(db, q.org))?.timezone ?? DEFAULT_TIME_ZONE;
  const calRow = await db.query<{ payload: string }>(
    `SELECT payload FROM change_current WHERE org_bin = $1 AND kind = 'calendar' AND key = 'calendar' AND NOT deleted`,
    [q.org],
  );
  const cal = calendarFor(timeZone, calRow.rows[0]?.payload ?? null);
  const today = dayNumberToIso(cal.localDayOf(now.getTime()));
  const from = q.from ?? today;
  const to = q.to ?? dayNumberToIso(dayNumberOf(from) + SLOTS_DEFAULT_DAYS - 1);
  if (to < from) throw bad('to', 'is before from');
  const fromDay = dayNumberOf(from);
  const days = dayNumberOf(to) - fromDay + 1;
  if (days > SLOTS_MAX_DAYS) throw bad('to', `at most ${SLOTS_MAX_DAYS} days from from`);

  const doctors = await loadDoctors(db, q.org, q);
  if (q.doctor && doctors.length === 0)
    throw new SlotQueryError(
      404,
      'unknown-doctor',
      'doctor',
      `no doctor ${q.doctor} with a timetable${q.specialty ? ` in ${q.specialty}` : ''}`,
    );
  const ids = new Map(doctors.map((d, i) => [d.login, i + 1]));
  const exceptions = await loadExceptions(db, q.org, from, to, ids);
  const fromMs = cal.localToInstant(fromDay, 0);
  const toMs = cal.localToInstant(fromDay + days, 0);
  const booked = await loadBooked(db, q.org, fromMs, toMs, ids);
  const inputs: DoctorPlanInput[] = doctors.map((d, i) => ({
    doctorId: i + 1,
    template: d.template,
    exceptions: exceptions.filter((e) => e.doctor_id === i + 1),
  }));
  const found = freeSlots(cal, inputs, fromDay, days, now.getTime(), booked, q.limit + 1);
  return {
    organizationBin: q.org,
    timeZone,
    from,
    to,
    slots: found.slice(0, q.limit).map((s) => {
      const d = doctors[s.doctorId - 1]!;
      return {
        doctor: d.login,
        doctorName: d.name,
        specialty: d.specialty,
        start: new Date(s.startMs).toISOString(),
        end: new Date(s.endMs).toISOString(),
      };
    }),
    truncated: found.length > q.limit,
  };
}

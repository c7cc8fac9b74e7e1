/**
 * Slots from timetables (pure; no database). Shared by the desk (electron/services/desk/free-slots.ts) and the
 * central server's free times for the portal (server/slots.ts), so both count the same slots from the same
 * timetable, exceptions and calendar.
 *
 * A doctor receives on a local day when the organization works that day (its working calendar: weekends, public
 * holidays and transfers) and the doctor's weekly template has hours for that weekday, unless a leave or sick
 * day covers it. Extra hours add a reception interval on their dates, even on a day the organization is closed (a
 * decision of the administrator, written down as an exception). Slots run from the start of each interval in
 * steps of the template's slot length; a slot that would overlap a break is skipped and counting resumes at the
 * break's end. Times are local wall-clock minutes turned into instants through the calendar's zone, so a slot's
 * instant is right whatever the host machine's zone.
 */
import { dayNumberToIso, isoWeekday, MINUTE_MS, type WorkingCalendar } from './working-calendar';
import { minutesOf, type TimetableTemplate } from './desk';

/** A timetable exception as both sides hold it (the desk's `timetable_exception` row has these columns and more). */
export interface TimetableExceptionRow {
  doctor_id: number;
  kind: 'leave' | 'sick' | 'extra';
  /** Local dates, inclusive. */
  date_from: string;
  date_to: string;
  /** HH:MM, extra hours only. */
  start_time: string | null;
  end_time: string | null;
}

export interface Interval {
  start: number;
  end: number;
  extra: boolean;
}

export interface DayPlan {
  dayNum: number;
  off: 'holiday' | 'weekend' | 'leave' | 'sick' | 'no-hours' | null;
  holiday: boolean;
  intervals: Interval[];
  breaks: { start: number; end: number }[];
  slotMinutes: number;
}

export interface DoctorPlanInput {
  doctorId: number;
  template: TimetableTemplate | null;
  /** This doctor's exceptions (any order). */
  exceptions: readonly TimetableExceptionRow[];
}

/** What a doctor's day looks like: hours, breaks, or why there is no reception. */
export function planDay(cal: WorkingCalendar, d: DoctorPlanInput, dayNum: number, iso = dayNumberToIso(dayNum)): DayPlan {
  const holiday = cal.isHoliday(dayNum);
  const slotMinutes = d.template?.slotMinutes ?? 15;
  const plan: DayPlan = { dayNum, off: null, holiday, intervals: [], breaks: [], slotMinutes };
  let absent: 'leave' | 'sick' | null = null;
  const extras: Interval[] = [];
  for (const e of d.exceptions) {
    if (e.date_from > iso || e.date_to < iso) continue;
    if (e.kind === 'extra') extras.push({ start: minutesOf(e.start_time!), end: minutesOf(e.end_time!), extra: true });
    else absent = absent === 'sick' ? 'sick' : e.kind;
  }
  if (absent) {
    plan.off = absent;
    return plan;
  }
  const tday = d.template?.days[isoWeekday(dayNum) - 1] ?? null;
  if (cal.isWorkingDayNumber(dayNum) && tday) {
    plan.intervals.push({ start: minutesOf(tday.start), end: minutesOf(tday.end), extra: false });
    plan.breaks = tday.breaks.map((b) => ({ start: minutesOf(b.start), end: minutesOf(b.end) }));
  }
  plan.intervals.push(...extras);
  plan.intervals.sort((a, b) => a.start - b.start);
  if (plan.intervals.length === 0) plan.off = !cal.isWorkingDayNumber(dayNum) ? (holiday ? 'holiday' : 'weekend') : 'no-hours';
  return plan;
}

/** Local start minutes of the slots of a day plan. */
export function slotMinutesOf(plan: DayPlan): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  for (const iv of plan.intervals) {
    let t = iv.start;
    while (t + plan.slotMinutes <= iv.end) {
      const clash = iv.extra ? undefined : plan.breaks.find((b) => t < b.end && t + plan.slotMinutes > b.start);
      if (clash) {
        t = clash.end;
        continue;
      }
      if (!seen.has(t)) {
        seen.add(t);
        out.push(t);
      }
      t += plan.slotMinutes;
    }
  }
  return out.sort((a, b) => a - b);
}

const weekly = new WeakMap<TimetableTemplate, (number[] | null)[]>();
/** Slot start minutes of each weekday of a template (index 0 = Monday), cached per template object. */
function weeklyMinutes(t: TimetableTemplate): (number[] | null)[] {
  let w = weekly.get(t);
  if (!w) {
    w = t.days.map((day) =>
      day
        ? slotMinutesOf({
            dayNum: 0,
            off: null,
            holiday: false,
            slotMinutes: t.slotMinutes,
            intervals: [{ start: minutesOf(day.start), end: minutesOf(day.end), extra: false }],
            breaks: day.breaks.map((b) => ({ start: minutesOf(b.start), end: minutesOf(b.end) })),
          })
        : null,
    );
    weekly.set(t, w);
  }
  return w;
}

export interface FreeSlot {
  doctorId: number;
  startMs: number;
  endMs: number;
  dayNum: number;
  minute: number;
}

/**
 * Free slots of several doctors over days [fromDay, fromDay + days), earliest first, at most `limit`; slots that
 * start before `nowMs` and booked ones (`booked`: doctor → slot start instants) are left out. Days are walked in
 * order and the search stops at the end of the first day that fills the limit, so "the first free slot of any
 * therapist" costs one or two days of work, and a full four-week scan of 50 doctors a few milliseconds.
 */
export function freeSlots(
  cal: WorkingCalendar,
  doctors: readonly DoctorPlanInput[],
  fromDay: number,
  days: number,
  nowMs: number,
  booked: ReadonlyMap<number, ReadonlySet<number>>,
  limit: number,
): FreeSlot[] {
  const out: FreeSlot[] = [];
  for (let day = fromDay; day < fromDay + days; day++) {
    const before = out.length;
    // One zone look-up per day: on a day without an offset change, local minute m is midnight + m minutes.
    const midnight = cal.localToInstant(day, 0);
    const uniform = cal.localToInstant(day, 1439) - midnight === 1439 * MINUTE_MS;
    const iso = dayNumberToIso(day);
    const working = cal.isWorkingDayNumber(day);
    const weekday = isoWeekday(day) - 1;
    for (const d of doctors) {
      let minutes: readonly number[] | null;
      let slotLength: number;
      if (d.exceptions.some((e) => e.date_from <= iso && e.date_to >= iso)) {
        const plan = planDay(cal, d, day, iso);
        minutes = plan.off ? null : slotMinutesOf(plan);
        slotLength = plan.slotMinutes;
      } else {
        // The usual case: the template's slots of that weekday, computed once per template.
        minutes = working && d.template ? weeklyMinutes(d.template)[weekday]! : null;
        slotLength = d.template?.slotMinutes ?? 15;
      }
      if (!minutes) continue;
      const taken = booked.get(d.doctorId);
      for (const m of minutes) {
        const startMs = uniform ? midnight + m * MINUTE_MS : cal.localToInstant(day, m);
        if (startMs < nowMs || taken?.has(startMs)) continue;
        out.push({ doctorId: d.doctorId, startMs, endMs: startMs + slotLength * MINUTE_MS, dayNum: day, minute: m });
      }
    }
    if (out.length > before) {
      const dayPart = out.splice(before).sort((a, b) => a.startMs - b.startMs || a.doctorId - b.doctorId);
      out.push(...dayPart);
    }
    if (out.length >= limit) break;
  }
  return out.slice(0, limit);
}

/** The slot of a doctor that starts at an instant, if the timetable has one there (otherwise why not). */
export function slotAt(
  cal: WorkingCalendar,
  d: DoctorPlanInput,
  startMs: number,
): { ok: true; slot: FreeSlot } | { ok: false; off: DayPlan['off'] | 'no-slot'; plan: DayPlan } {
  const day = cal.localDayOf(startMs);
  const plan = planDay(cal, d, day);
  if (plan.off) return { ok: false, off: plan.off, plan };
  for (const m of slotMinutesOf(plan)) {
    if (cal.localToInstant(day, m) === startMs)
      return { ok: true, slot: { doctorId: d.doctorId, startMs, endMs: startMs + plan.slotMinutes * MINUTE_MS, dayNum: day, minute: m } };
  }
  return { ok: false, off: 'no-slot', plan };
}

/** Local minute of the day of an instant. */
export function localMinute(cal: WorkingCalendar, ms: number): number {
  const local = ms + cal.offsetAt(ms);
  return Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / MINUTE_MS);
}

/**
 * The home-visit window proposed for a doctor on a day: the doctor goes out before or after reception, within the
 * organization's opening hours; on the current day the window starts at least 30 minutes from now (rounded up to
 * the half hour) and must still be an hour long. Null when nothing is left that day.
 */
export function visitWindow(cal: WorkingCalendar, d: DoctorPlanInput, dayNum: number, nowMs: number): { from: number; to: number } | null {
  const info = cal.day(dayNum);
  const open = info.working ? localMinute(cal, info.open) : 9 * 60;
  const close = info.working ? localMinute(cal, info.close) || 1440 : 18 * 60;
  const plan = planDay(cal, d, dayNum);
  if (plan.off === 'leave' || plan.off === 'sick') return null;
  const candidates: { from: number; to: number }[] = [];
  if (plan.intervals.length) {
    const first = plan.intervals[0]!.start;
    const last = Math.max(...plan.intervals.map((i) => i.end));
    if (last < close) candidates.push({ from: last, to: Math.min(last + 4 * 60, close) });
    if (first > open) candidates.push({ from: Math.max(open, first - 4 * 60), to: first });
  } else {
    candidates.push({ from: Math.max(open, 9 * 60), to: Math.min(close, 18 * 60) });
  }
  const today = cal.localDayOf(nowMs) === dayNum;
  const earliest = today ? Math.ceil((localMinute(cal, nowMs) + 30) / 30) * 30 : 0;
  for (const c of candidates.sort((a, b) => a.from - b.from)) {
    const from = Math.max(c.from, earliest);
    if (c.to - from >= 60) return { from, to: c.to };
  }
  return null;
}

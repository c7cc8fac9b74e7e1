/**
 * Why one file of over 500 lines: the calendar, the deadline clock and the zone arithmetic they share (cached zone
 * offsets, day numbers, holidays moved off weekends) are one algorithm, and the decisions written below hold only
 * when read against all of it at once.
 *
 * The organization's working calendar and the deadline clock.
 *
 * Pure TypeScript (no Node, no DOM): the main process computes deadlines with it and the renderer can show
 * "time left" with the very same rules.
 *
 * Time zones: every local date and time is read through `Intl.DateTimeFormat` with the organization's IANA zone
 * (e.g. `Asia/Almaty`, `Asia/Atyrau`). Offsets are never hard-coded: Kazakhstan moved to a single UTC+5 on
 * 2024-03-01 and the tz data in the runtime's ICU knows that; the host machine's own zone (`TZ`) never matters
 * because only `Date.UTC` arithmetic and explicit-zone formatters are used.
 *
 * Working-day deadlines (the decision, documented in the report and tested):
 *   A step with "at most N working days" that starts during working day D ends at the **close of the N-th working
 *   day after D** (the day of receipt is not counted, as Kazakh service standards say: "the day of receipt of the
 *   documents is not included in the term"). D is the local day of the start if that day is a working day and its
 *   close has not passed; a start on a non-working day, or after closing time, belongs to the next working day
 *   (documents received after hours count as received on the next working day). A start before opening on a
 *   working day belongs to that day. `addWorkingDays(start, 0)` is the close of D itself ("the same working day").
 *   The deadline instant is the last instant that is still on time.
 *
 * Minutes count in real time (`addMinutes`): a 15-minute step started at 19:55 is due at 20:10 even if the desk
 * closes at 20:00, because the regulation's minutes are the citizen's waiting time, not office time.
 *
 * A day is a working day when the organization is open on it: a Monday–Friday (or a Saturday/Sunday if the
 * organization has hours for it) that is not a public holiday, not a day off moved off a weekend holiday and not a
 * transferred day off; or a transferred working day (e.g. a Saturday made working), which keeps weekday hours.
 */
import { z } from 'zod';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------------------------
// Calendar data (resources/calendars/kz.json)

/** A real calendar date `YYYY-MM-DD` (2025-02-30 is refused, not rolled over). */
export const calendarDateSchema = z.string().refine(isValidIsoDate, {
  error: (issue) => `malformed date ${JSON.stringify(issue.input)}: expected a real date YYYY-MM-DD`,
});

const localizedNameSchema = z.object({ kk: z.string().min(1), ru: z.string().min(1), en: z.string().min(1) });
export type LocalizedName = z.infer<typeof localizedNameSchema>;

const holidayRuleSchema = z
  .object({
    month: z.number().int().min(1).max(12),
    day: z.number().int().min(1).max(31),
    name: localizedNameSchema,
    /** Whether a day off is added on the next working day when the holiday falls on a weekend (law on holidays:
     * yes for national and state holidays, no for the religious ones — Kurban ait, Orthodox Christmas). */
    movesOffWeekend: z.boolean(),
    /** First and last year the holiday exists (e.g. Republic Day is a holiday again since 2022). */
    fromYear: z.number().int().optional(),
    toYear: z.number().int().optional(),
  })
  .strict()
  .refine((h) => h.day <= daysInMonth(2024, h.month), { error: 'no such day in this month', path: ['day'] });

const datedHolidaySchema = z
  .object({
    date: calendarDateSchema,
    name: localizedNameSchema,
    movesOffWeekend: z.boolean(),
    /** The date is announced each year (Kurban ait by the Spiritual Administration): not yet confirmed. */
    uncertain: z.boolean().optional(),
    comment: z.string().optional(),
  })
  .strict();

export const transferSchema = z
  .object({
    date: calendarDateSchema,
    /** `working`: a weekend day made working; `day-off`: a weekday made a day off. */
    kind: z.enum(['working', 'day-off']),
    comment: z.string().optional(),
    uncertain: z.boolean().optional(),
  })
  .strict();
export type Transfer = z.infer<typeof transferSchema>;

/** Where a year's data was checked, so an administrator knows which years rest on a decree text actually seen. */
export const calendarYearSchema = z
  .object({
    year: z.number().int().min(1991),
    /** `decree`: the year's transfer act(s) were read and every transfer is listed; `partial`: the transfers listed
     * are from the sources named, others may exist; `unverified`: no transfer act was found (holidays by law only). */
    transfers: z.enum(['decree', 'partial', 'unverified']),
    sources: z.array(z.string().min(1)),
    note: z.string().optional(),
  })
  .strict();

export const calendarDataSchema = z
  .object({
    $comment: z.union([z.string(), z.array(z.string())]).optional(),
    country: z.string().min(2),
    /** ISO weekdays (1 = Monday … 7 = Sunday) that are the legal weekend. */
    weekend: z.array(z.number().int().min(1).max(7)),
    holidays: z.array(holidayRuleSchema),
    datedHolidays: z.array(datedHolidaySchema),
    transfers: z.array(transferSchema),
    years: z.array(calendarYearSchema).optional(),
  })
  .strict();
export type CalendarData = z.infer<typeof calendarDataSchema>;

/** Thrown when calendar data is malformed; the message names the file and the field of every problem. */
export class CalendarDataError extends Error {
  constructor(
    readonly file: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(issues.map((i) => `${file}: ${i.path || '(root)'}: ${i.message}`).join('\n'));
    this.name = 'CalendarDataError';
  }
}

/** Validates calendar data read from `file` (the name only appears in error messages). */
export function parseCalendarData(data: unknown, file: string): CalendarData {
  const parsed = calendarDataSchema.safeParse(data);
  if (!parsed.success) {
    throw new CalendarDataError(
      file,
      parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    );
  }
  const issues: { path: string; message: string }[] = [];
  const seen = new Map<string, number>();
  parsed.data.transfers.forEach((t, i) => {
    const prev = seen.get(t.date);
    if (prev !== undefined)
      issues.push({ path: `transfers[${i}].date`, message: `duplicate transfer of ${t.date} (also transfers[${prev}])` });
    seen.set(t.date, i);
  });
  if (issues.length) throw new CalendarDataError(file, issues);
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------------------------
// Organization settings

/** Opening hours of one day, local time `HH:MM`–`HH:MM` (close after open, same day). */
export interface DayHours {
  open: string;
  close: string;
}

export interface WorkingCalendarOptions {
  /** IANA time zone of the organization, e.g. `Asia/Almaty`. */
  timeZone: string;
  /** Monday–Friday hours; Saturday/Sunday hours only if the organization works then (then those days count). */
  hours: { weekdays: DayHours; saturday?: DayHours | null; sunday?: DayHours | null };
  /** The administrator's own additions (a local day off, a working Saturday), applied after the country data. */
  extraTransfers?: Transfer[];
}

export const DEFAULT_HOURS: WorkingCalendarOptions['hours'] = {
  weekdays: { open: '08:00', close: '20:00' },
  saturday: null,
  sunday: null,
};

interface DayInfo {
  working: boolean;
  /** Epoch ms of opening and closing (only meaningful when working). */
  open: number;
  close: number;
}

/**
 * A working calendar bound to one organization. It caches per-day facts (is it working, when does it open and
 * close) and zone offsets, so computing deadlines for a whole queue costs a few map look-ups per request.
 * Build it once and keep it; it never changes after construction.
 */
export class WorkingCalendar {
  readonly timeZone: string;
  private readonly weekend: Set<number>;
  private readonly hoursByIsoDay: (readonly [number, number] | null)[];
  private readonly weekdayHours: readonly [number, number];
  private readonly overrides = new Map<number, 'working' | 'day-off'>();
  private readonly transferOf = new Map<number, Transfer>();
  private readonly holidayYears = new Set<number>();
  private readonly holidays = new Set<number>();
  private readonly holidayNames = new Map<number, LocalizedName>();
  private readonly movedDaysOff = new Set<number>();
  /** Moved day off → the weekend holiday it stands for (for `explainDay`). */
  private readonly movedFrom = new Map<number, number>();
  private readonly days = new Map<number, DayInfo>();
  private readonly advance = new Map<number, number>();
  private readonly utcDayOffset = new Map<number, number | null>();
  private readonly bucketOffset = new Map<number, number>();
  private readonly parts: Intl.DateTimeFormat;

  constructor(
    private readonly data: CalendarData,
    options: WorkingCalendarOptions,
  ) {
    this.timeZone = options.timeZone;
    this.parts = zoneFormatter(options.timeZone);
    this.weekend = new Set(data.weekend);
    const wd = parseHours(options.hours.weekdays, 'hours.weekdays');
    this.weekdayHours = wd;
    const sat = options.hours.saturday ? parseHours(options.hours.saturday, 'hours.saturday') : null;
    const sun = options.hours.sunday ? parseHours(options.hours.sunday, 'hours.sunday') : null;
    // index = ISO weekday (1..7); 0 unused
    this.hoursByIsoDay = [null, wd, wd, wd, wd, wd, sat, sun];
    for (const t of [...data.transfers, ...(options.extraTransfers ?? [])]) {
      this.overrides.set(dayNumberOf(t.date), t.kind);
      this.transferOf.set(dayNumberOf(t.date), t);
    }
  }

  /** Facts of one local day (day number = days since 1970-01-01 of the local calendar date). */
  day(dayNum: number): DayInfo {
    let info = this.days.get(dayNum);
    if (info) return info;
    const hours = this.hoursOf(dayNum);
    info = hours
      ? { working: true, open: this.localToInstant(dayNum, hours[0]), close: this.localToInstant(dayNum, hours[1]) }
      : { working: false, open: NaN, close: NaN };
    this.days.set(dayNum, info);
    return info;
  }

  /** Local day number (days since 1970-01-01 of the local date) of an instant, in the organization's zone. */
  localDayOf(ms: number): number {
    return Math.floor((ms + this.offsetAt(ms)) / DAY_MS);
  }

  /** The working day D an instant belongs to (see the header: after-hours and days off go to the next one). */
  anchorDay(ms: number): number {
    const dayNum = this.localDayOf(ms);
    const info = this.day(dayNum);
    if (info.working && ms <= info.close) return dayNum;
    return this.nextWorkingDay(dayNum);
  }

  /** The first working day strictly after `dayNum`. Gives up after ten years (a calendar with no working days). */
  nextWorkingDay(dayNum: number): number {
    return this.advanceDays(dayNum, 1);
  }

  /** The N-th working day strictly after working day `dayNum` (N = 0: `dayNum` itself). Cached per (day, N). */
  advanceDays(dayNum: number, n: number): number {
    if (n === 0) return dayNum;
    // Keys pack (day, n) in one number: n < 4096 and |day| < 2^40 keep it exact.
    const cacheable = n < 4096;
    const key = dayNum * 4096 + n;
    if (cacheable) {
      const hit = this.advance.get(key);
      if (hit !== undefined) return hit;
    }
    let d = dayNum;
    let left = n;
    const limit = dayNum + 3660 + n * 7;
    while (left > 0) {
      d++;
      if (d > limit) throw new RangeError(`no working day within ten years after ${dayNumberToIso(dayNum)}`);
      if (this.day(d).working) left--;
    }
    if (cacheable) this.advance.set(key, d);
    return d;
  }

  isWorkingDayNumber(dayNum: number): boolean {
    return this.day(dayNum).working;
  }

  /** Whether the local date is a holiday (including a day off moved off a weekend holiday). */
  isHoliday(dayNum: number): boolean {
    this.ensureHolidays(dayNumberToYear(dayNum));
    // A moved day off that a transfer act made working (2020-05-11) was used up by that act: not a holiday.
    return this.holidays.has(dayNum) || (this.movedDaysOff.has(dayNum) && this.overrides.get(dayNum) !== 'working');
  }

  /** Why a day is working or not (for `tirkeu calendar` and whoever must check a deadline by hand). */
  explainDay(dayNum: number): DayExplanation {
    const working = this.day(dayNum).working;
    const transfer = this.transferOf.get(dayNum);
    if (transfer) return { working, why: 'transfer', comment: transfer.comment };
    this.ensureHolidays(dayNumberToYear(dayNum));
    const name = this.holidayNames.get(dayNum);
    if (name) return { working, why: 'holiday', name };
    const from = this.movedFrom.get(dayNum);
    if (from !== undefined) return { working, why: 'moved-day-off', name: this.holidayNames.get(from), from: dayNumberToIso(from) };
    if (!working) return { working, why: 'weekend' };
    return { working, why: 'working-day' };
  }

  private hoursOf(dayNum: number): readonly [number, number] | null {
    const override = this.overrides.get(dayNum);
    if (override === 'working') return this.weekdayHours;
    if (override === 'day-off') return null;
    if (this.isHoliday(dayNum)) return null;
    return this.hoursByIsoDay[isoWeekday(dayNum)] ?? null;
  }

  /** Holidays of a year plus the days off they move onto when they fall on a weekend. */
  private ensureHolidays(year: number): void {
    if (this.holidayYears.has(year)) return;
    // A holiday late in the previous year could move its day off into this one.
    if (!this.holidayYears.has(year - 1)) this.computeHolidays(year - 1);
    this.computeHolidays(year);
  }

  private computeHolidays(year: number): void {
    if (this.holidayYears.has(year)) return;
    this.holidayYears.add(year);
    const list: { day: number; moves: boolean; name: LocalizedName }[] = [];
    for (const h of this.data.holidays) {
      if (h.fromYear !== undefined && year < h.fromYear) continue;
      if (h.toYear !== undefined && year > h.toYear) continue;
      if (h.day > daysInMonth(year, h.month)) continue;
      list.push({ day: Math.floor(Date.UTC(year, h.month - 1, h.day) / DAY_MS), moves: h.movesOffWeekend, name: h.name });
    }
    for (const h of this.data.datedHolidays) {
      if (Number(h.date.slice(0, 4)) !== year) continue;
      list.push({ day: dayNumberOf(h.date), moves: h.movesOffWeekend, name: h.name });
    }
    list.sort((a, b) => a.day - b.day);
    for (const h of list) {
      this.holidays.add(h.day);
      this.holidayNames.set(h.day, h.name);
    }
    // The law on holidays: a holiday on a weekend day gives a day off on the next working day. Several holidays
    // on one weekend (Nauryz 21–23 March) give several consecutive days off.
    for (const h of list) {
      if (!h.moves || !this.weekend.has(isoWeekday(h.day))) continue;
      let d = h.day + 1;
      const guardYear = (day: number) => {
        // A day off moved into the next year must see that year's holidays too.
        const y = dayNumberToYear(day);
        if (y !== year) this.computeHolidays(y);
        return true;
      };
      const taken = (day: number) =>
        guardYear(day) &&
        (this.weekend.has(isoWeekday(day)) ||
          this.holidays.has(day) ||
          this.movedDaysOff.has(day) ||
          this.overrides.get(day) === 'day-off');
      // A weekday the government made working stops the search there: its decree moved that very day off
      // elsewhere (2020: "from Monday 11 May to Friday 8 May"), so the day off is used up, not pushed further.
      while (taken(d)) d++;
      this.movedDaysOff.add(d);
      this.movedFrom.set(d, h.day);
    }
  }

  /** Zone offset (ms to add to UTC to get local wall time) at an instant. */
  offsetAt(ms: number): number {
    // Fast path: one offset for a whole UTC day when it is the same at both ends (no transition that day).
    const utcDay = Math.floor(ms / DAY_MS);
    let dayOffset = this.utcDayOffset.get(utcDay);
    if (dayOffset === undefined) {
      const a = this.offsetOfBucket(Math.floor((utcDay * DAY_MS) / BUCKET_MS));
      const b = this.offsetOfBucket(Math.floor(((utcDay + 1) * DAY_MS - 1) / BUCKET_MS));
      dayOffset = a === b ? a : null;
      this.utcDayOffset.set(utcDay, dayOffset);
    }
    if (dayOffset !== null) return dayOffset;
    // A transition day: zone transitions happen on quarter-hour instants, so a 15-minute bucket is exact.
    return this.offsetOfBucket(Math.floor(ms / BUCKET_MS));
  }

  private offsetOfBucket(bucket: number): number {
    let off = this.bucketOffset.get(bucket);
    if (off === undefined) {
      const at = bucket * BUCKET_MS;
      off = wallClockUtc(this.parts, at) - at;
      this.bucketOffset.set(bucket, off);
    }
    return off;
  }

  /** The instant of a local wall-clock minute on a local day (two passes settle offsets near transitions). */
  localToInstant(dayNum: number, minuteOfDay: number): number {
    const wall = dayNum * DAY_MS + minuteOfDay * MINUTE_MS;
    const first = wall - this.offsetAt(wall);
    return wall - this.offsetAt(first);
  }
}

const BUCKET_MS = 15 * MINUTE_MS;

/** Why a day is (not) working: a transfer act, a holiday, a day off standing for a weekend holiday, or the week. */
export type DayExplanation =
  | { working: boolean; why: 'transfer'; comment: string | undefined }
  | { working: boolean; why: 'holiday'; name: LocalizedName }
  | { working: boolean; why: 'moved-day-off'; name: LocalizedName | undefined; from: string }
  | { working: boolean; why: 'weekend' | 'working-day' };

/** Builds a working calendar; throws a RangeError naming the option if the zone or hours are wrong. */
export function createWorkingCalendar(data: CalendarData, options: WorkingCalendarOptions): WorkingCalendar {
  return new WorkingCalendar(data, options);
}

// ---------------------------------------------------------------------------------------------------------------
// The deadline clock

/** Real-time minutes (regulation minutes are waiting time, not office time). Fractions allowed (30 s = 0.5). */
export function addMinutes(start: Date, minutes: number): Date {
  return new Date(start.getTime() + Math.round(minutes * MINUTE_MS));
}

/** Close of the N-th working day after the working day the start belongs to (see the header). N ≥ 0. */
export function addWorkingDays(start: Date, n: number, calendar: WorkingCalendar): Date {
  return new Date(addWorkingDaysMs(start.getTime(), n, calendar));
}

/** `addWorkingDays` on epoch milliseconds: the allocation-free path for whole queues. */
export function addWorkingDaysMs(startMs: number, n: number, calendar: WorkingCalendar): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
  return calendar.day(calendar.advanceDays(calendar.anchorDay(startMs), n)).close;
}

/** Whether the local date of `date` (in the organization's zone) is a working day. */
export function isWorkingDay(date: Date, calendar: WorkingCalendar): boolean {
  return calendar.isWorkingDayNumber(calendar.localDayOf(date.getTime()));
}

/**
 * Closing time of the working day `date` belongs to: that day's close if it is a working day not yet closed,
 * otherwise the close of the next working day (same rule as the anchor day D of `addWorkingDays`).
 */
export function workingDayEnd(date: Date, calendar: WorkingCalendar): Date {
  return new Date(addWorkingDaysMs(date.getTime(), 0, calendar));
}

/** Opening time of the next working day that has not yet opened at `date` (or today's if before opening). */
export function nextWorkingDayStart(date: Date, calendar: WorkingCalendar): Date {
  const ms = date.getTime();
  const today = calendar.localDayOf(ms);
  const info = calendar.day(today);
  const day = info.working && ms < info.open ? today : calendar.nextWorkingDay(today);
  return new Date(calendar.day(day).open);
}

/** A step's or request's allowed duration. */
export type Duration = { maxMinutes: number } | { maxWorkingDays: number } | { byEndOfWorkingDay: true };

/** Deadline (epoch ms) of something started at `startMs` with the given maximum. */
export function deadlineMs(startMs: number, duration: Duration, calendar: WorkingCalendar): number {
  if ('maxMinutes' in duration) return startMs + Math.round(duration.maxMinutes * MINUTE_MS);
  if ('maxWorkingDays' in duration) return addWorkingDaysMs(startMs, duration.maxWorkingDays, calendar);
  return addWorkingDaysMs(startMs, 0, calendar);
}

export function deadline(start: Date, duration: Duration, calendar: WorkingCalendar): Date {
  return new Date(deadlineMs(start.getTime(), duration, calendar));
}

/** Milliseconds left until the deadline; negative when overdue. */
export function timeLeftMs(deadline: Date | number, now: Date | number): number {
  return +deadline - +now;
}

export function isOverdue(deadline: Date | number, now: Date | number): boolean {
  return +now > +deadline;
}

export type DeadlineStatus = 'on-time' | 'due-soon' | 'overdue';

/**
 * Status for queues and journals: `due-soon` when less than `warnFraction` of the allowed time (or less than
 * `warnMs`, whichever is larger) is left, so a 15-minute step warns at ~3 minutes and a 3-day step a few hours before.
 */
export function deadlineStatus(
  startedAt: Date | number,
  deadline: Date | number,
  now: Date | number,
  opts: { warnFraction?: number; warnMs?: number } = {},
): DeadlineStatus {
  const left = +deadline - +now;
  if (left < 0) return 'overdue';
  const total = Math.max(0, +deadline - +startedAt);
  const warn = Math.max((opts.warnFraction ?? 0.2) * total, opts.warnMs ?? 0);
  return left <= warn ? 'due-soon' : 'on-time';
}

// ---------------------------------------------------------------------------------------------------------------
// Dates and zones

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One cached formatter per zone (creating Intl formatters is slow; never do it per request). */
function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      throw new RangeError(`unknown IANA time zone ${JSON.stringify(timeZone)}`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time of an instant in the formatter's zone, expressed as if it were UTC (epoch ms). */
function wallClockUtc(f: Intl.DateTimeFormat, ms: number): number {
  let y = 0,
    mo = 0,
    d = 0,
    h = 0,
    mi = 0,
    s = 0;
  for (const p of f.formatToParts(ms)) {
    switch (p.type) {
      case 'year':
        y = Number(p.value);
        break;
      case 'month':
        mo = Number(p.value);
        break;
      case 'day':
        d = Number(p.value);
        break;
      case 'hour':
        h = Number(p.value);
        break;
      case 'minute':
        mi = Number(p.value);
        break;
      case 'second':
        s = Number(p.value);
        break;
    }
  }
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** Local calendar date `YYYY-MM-DD` of an instant in a zone (e.g. "which regulation is in force today"). */
export function toLocalIsoDate(at: Date | number, timeZone: string): string {
  const wall = wallClockUtc(zoneFormatter(timeZone), +at);
  return new Date(wall).toISOString().slice(0, 10);
}

/** Whether an IANA zone name is known to this runtime. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    zoneFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function isValidIsoDate(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const y = Number(value.slice(0, 4));
  const m = Number(value.slice(5, 7));
  const d = Number(value.slice(8, 10));
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** Days since 1970-01-01 of a calendar date `YYYY-MM-DD`. */
export function dayNumberOf(isoDate: string): number {
  return Math.floor(Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10))) / DAY_MS);
}

export function dayNumberToIso(dayNum: number): string {
  return new Date(dayNum * DAY_MS).toISOString().slice(0, 10);
}

function dayNumberToYear(dayNum: number): number {
  return new Date(dayNum * DAY_MS).getUTCFullYear();
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number; 1970-01-01 was a Thursday. */
export function isoWeekday(dayNum: number): number {
  return ((((dayNum + 3) % 7) + 7) % 7) + 1;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseHours(h: DayHours, field: string): readonly [number, number] {
  const open = parseClock(h.open);
  const close = parseClock(h.close);
  if (open === null) throw new RangeError(`${field}.open: expected HH:MM, got ${JSON.stringify(h.open)}`);
  if (close === null) throw new RangeError(`${field}.close: expected HH:MM, got ${JSON.stringify(h.close)}`);
  if (close <= open) throw new RangeError(`${field}: closing time ${h.close} is not after opening time ${h.open}`);
  return [open, close];
}

function parseClock(v: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(v);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  return v === '24:00' ? 1440 : null;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/**
 * The one test clock. Every test, fixture and bench takes "now" from here and hands the same clock to every part
 * it starts: the workstation (`openApp({ clock })`), the central server and its gateway (`buildServer({ clock })`),
 * the test PKI and each OpenSSL call that stamps a time (certificate validity, CRL lastUpdate/nextUpdate, the CMS
 * signingTime: OpenSSL runs under libfaketime at the clock's time, see pki.ts).
 *
 * The real date is read in exactly one place, `realNow()`. A test that needs a working day asks the shipped
 * calendar for the next one after the real date (`workingDayClock`) instead of writing one down, so the suite
 * passes on any day — and a run under `faketime` at another date (npm run test:dates) moves everything together.
 * Tests about a particular calendar fact (a holiday, a transfer) may still pin a date: what matters is that
 * nothing in such a test reads any other clock.
 */
import type { Clock } from '../../common/clock';
import { createWorkingCalendar, DEFAULT_HOURS, dayNumberOf, dayNumberToIso, type WorkingCalendar } from '../../common/working-calendar';
import { countryCalendarData } from '../../electron/services/workflow/context';

/** The organization's zone in the demo data and the e-request rig (Astana, UTC+5). */
export const TEST_TIME_ZONE = 'Asia/Almaty';

/** The real time: the only place a test reads it. Under `faketime` this is the faked date. */
export function realNow(): Date {
  return new Date();
}

/** A clock that stands still until a test moves it. Hand `clock.read` to whatever takes a `Clock`. */
export class TestClock {
  private ms: number;

  constructor(start: Date | number) {
    this.ms = typeof start === 'number' ? start : start.getTime();
  }

  /** The `Clock` to inject (a new Date each call, so callers can never mutate the clock's time). */
  readonly read: Clock = () => new Date(this.ms);

  get now(): Date {
    return new Date(this.ms);
  }

  set now(at: Date) {
    this.ms = at.getTime();
  }

  advance(ms: number): Date {
    this.ms += ms;
    return this.now;
  }

  /** The clock's local calendar date (YYYY-MM-DD) in a zone. */
  today(timeZone = TEST_TIME_ZONE): string {
    return localDate(this.now, timeZone);
  }
}

/** The shipped Kazakh calendar with the demo organization's default hours (08:00–20:00, Monday–Friday). */
export function shippedCalendar(timeZone = TEST_TIME_ZONE): WorkingCalendar {
  return createWorkingCalendar(countryCalendarData(), { timeZone, hours: DEFAULT_HOURS });
}

/** The local calendar date of an instant (YYYY-MM-DD). */
export function localDate(at: Date, timeZone = TEST_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The first working day strictly after the local date of `after` (default: the real date), per the calendar. */
export function nextWorkingDay(after: Date = realNow(), calendar: WorkingCalendar = shippedCalendar()): string {
  return dayNumberToIso(calendar.nextWorkingDay(dayNumberOf(localDate(after, calendar.timeZone))));
}

/** The working day `n` working days after `date` (n = 1: the next one). */
export function workingDaysAfter(date: string, n: number, calendar: WorkingCalendar = shippedCalendar()): string {
  return dayNumberToIso(calendar.advanceDays(dayNumberOf(date), n));
}

/** The instant of a local date and time (HH:MM) in a zone, whatever that zone's offset on that day. */
export function localInstant(date: string, time: string, timeZone = TEST_TIME_ZONE): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // The zone's offset at that wall time: format the guess back and correct by the difference (twice covers a
  // guess that lands on the other side of an offset change).
  let at = wall;
  for (let i = 0; i < 2; i++) at = wall - offsetMs(at, timeZone);
  return new Date(at);
}

function offsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(at / 1000) * 1000;
}

/** A test clock at `time` (local, Astana) on the next working day after the real date. */
export function workingDayClock(time = '10:00', timeZone = TEST_TIME_ZONE): TestClock {
  return new TestClock(localInstant(nextWorkingDay(realNow(), shippedCalendar(timeZone)), time, timeZone));
}

/**
 * A clock that starts at a pinned instant and then runs at the real pace, for browser tests whose screens wait on
 * real timers. `restart()` puts it back at its start (once the slow set-up is done, so building the renderer does
 * not eat the morning's first slots). Elapsed time is read from the monotonic clock, not the wall clock.
 */
export class RunningClock {
  private anchor = performance.now();

  constructor(private readonly start: number) {}

  readonly read: Clock = () => new Date(this.start + (performance.now() - this.anchor));

  get now(): Date {
    return this.read();
  }

  restart(): void {
    this.anchor = performance.now();
  }
}

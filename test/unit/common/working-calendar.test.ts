import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addMinutes,
  addWorkingDays,
  addWorkingDaysMs,
  CalendarDataError,
  createWorkingCalendar,
  DAY_MS,
  deadline,
  deadlineStatus,
  isOverdue,
  isWorkingDay,
  nextWorkingDayStart,
  parseCalendarData,
  timeLeftMs,
  toLocalIsoDate,
  workingDayEnd,
  type CalendarData,
  type WorkingCalendar,
} from '../../../common/working-calendar';

const KZ_FILE = 'calendars/kz.json';
const kzRaw = JSON.parse(readFileSync(join(__dirname, '../../../resources', KZ_FILE), 'utf8')) as unknown;
const kz = parseCalendarData(kzRaw, KZ_FILE);

const almaty = () => createWorkingCalendar(kz, { timeZone: 'Asia/Almaty', hours: { weekdays: { open: '08:00', close: '20:00' } } });
const at = (iso: string) => new Date(iso);
const local = (d: Date, cal: WorkingCalendar) => toLocalIsoDate(d, cal.timeZone);

describe('calendar data', () => {
  it('the shipped Kazakhstan calendar parses', () => {
    expect(kz.country).toBe('KZ');
    expect(kz.datedHolidays.some((h) => h.date === '2025-06-06')).toBe(true);
  });

  it('a malformed date names the file and the field', () => {
    const bad = JSON.parse(JSON.stringify(kzRaw)) as any;
    bad.datedHolidays[1].date = '2026-02-30';
    bad.transfers[0].date = '03.01.2025';
    try {
      parseCalendarData(bad, KZ_FILE);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CalendarDataError);
      const msg = (e as Error).message;
      expect(msg).toContain('calendars/kz.json: datedHolidays[1].date: malformed date "2026-02-30"');
      expect(msg).toContain('calendars/kz.json: transfers[0].date: malformed date "03.01.2025"');
    }
  });

  it('a day that does not exist in its month, and duplicate transfers, are named', () => {
    const bad = JSON.parse(JSON.stringify(kzRaw)) as any;
    bad.holidays[0].day = 32;
    expect(() => parseCalendarData(bad, KZ_FILE)).toThrow(/calendars\/kz\.json: holidays\[0\]\.day/);
    const dup = JSON.parse(JSON.stringify(kzRaw)) as any;
    const first = dup.transfers.findIndex((t: { date: string }) => t.date === '2025-01-03');
    dup.transfers.push({ date: '2025-01-03', kind: 'working' });
    const added = dup.transfers.length - 1;
    expect(() => parseCalendarData(dup, KZ_FILE)).toThrow(
      `transfers[${added}].date: duplicate transfer of 2025-01-03 (also transfers[${first}])`,
    );
  });

  it('refuses an unknown time zone and bad hours with the option named', () => {
    expect(() => createWorkingCalendar(kz, { timeZone: 'Asia/Nowhere', hours: { weekdays: { open: '08:00', close: '20:00' } } })).toThrow(
      /Asia\/Nowhere/,
    );
    expect(() => createWorkingCalendar(kz, { timeZone: 'Asia/Almaty', hours: { weekdays: { open: '20:00', close: '08:00' } } })).toThrow(
      /hours\.weekdays/,
    );
    expect(() => createWorkingCalendar(kz, { timeZone: 'Asia/Almaty', hours: { weekdays: { open: '8:00', close: '20:00' } } })).toThrow(
      /hours\.weekdays\.open/,
    );
  });
});

describe('working days of Kazakhstan', () => {
  const cal = almaty();
  const working = (d: string) => isWorkingDay(at(`${d}T12:00:00+05:00`), cal);

  it('weekends and fixed holidays are days off', () => {
    expect(working('2025-05-10')).toBe(false); // Saturday
    expect(working('2025-05-11')).toBe(false); // Sunday
    expect(working('2025-05-01')).toBe(false);
    expect(working('2025-12-16')).toBe(false);
    expect(working('2025-12-17')).toBe(true); // no longer a holiday since 2022
    expect(working('2013-12-17')).toBe(false); // but was in 2013
    expect(working('2025-05-12')).toBe(true);
  });

  it('a holiday on a weekend moves a day off to the next working day; Nauryz moves several', () => {
    expect(working('2025-03-10')).toBe(false); // 8 March 2025 was a Saturday
    expect(working('2025-03-24')).toBe(false); // Nauryz 21 (Fri), 22 (Sat), 23 (Sun) 2025
    expect(working('2025-03-25')).toBe(false);
    expect(working('2025-03-26')).toBe(true);
    expect(working('2025-10-27')).toBe(false); // Republic Day on Saturday 25 October 2025
  });

  it('religious holidays do not move', () => {
    expect(working('2025-06-06')).toBe(false); // Kurban ait, Friday
    expect(working('2027-05-17')).toBe(true); // Kurban ait 2027 expected on Sunday 16 May: no moved day off
  });

  it('transfers: a transferred day off and a weekend made working', () => {
    expect(working('2025-01-03')).toBe(false);
    expect(working('2025-01-05')).toBe(true); // Sunday made working
    expect(addWorkingDays(at('2025-01-02T10:00:00+05:00'), 1, cal).toISOString()).toBe('2025-01-06T15:00:00.000Z');
    // Friday 2025-01-03 was off, so a step started on Saturday 4th belongs to Sunday 5th
    expect(addWorkingDays(at('2025-01-04T10:00:00+05:00'), 1, cal).toISOString()).toBe('2025-01-06T15:00:00.000Z');
  });

  it('an administrator can add a local day off and a working Saturday', () => {
    const own = createWorkingCalendar(kz, {
      timeZone: 'Asia/Almaty',
      hours: { weekdays: { open: '08:00', close: '20:00' } },
      extraTransfers: [
        { date: '2025-11-14', kind: 'day-off' },
        { date: '2025-11-15', kind: 'working' },
      ],
    });
    expect(isWorkingDay(at('2025-11-14T12:00:00+05:00'), own)).toBe(false);
    expect(isWorkingDay(at('2025-11-15T12:00:00+05:00'), own)).toBe(true);
    expect(workingDayEnd(at('2025-11-15T09:00:00+05:00'), own).toISOString()).toBe('2025-11-15T15:00:00.000Z');
  });

  it('Saturday hours make Saturdays working days', () => {
    const six = createWorkingCalendar(kz, {
      timeZone: 'Asia/Almaty',
      hours: { weekdays: { open: '08:00', close: '20:00' }, saturday: { open: '09:00', close: '14:00' } },
    });
    expect(addWorkingDays(at('2025-11-14T10:00:00+05:00'), 1, six).toISOString()).toBe('2025-11-15T09:00:00.000Z');
    expect(isWorkingDay(at('2025-11-16T10:00:00+05:00'), six)).toBe(false);
  });
});

describe('working-day deadlines', () => {
  const cal = almaty();

  it('a step started during working day D ends at the close of the N-th working day after D', () => {
    // Monday 2025-11-10, 10:00 → 1 working day → Tuesday 20:00 (+05) = 15:00Z
    expect(addWorkingDays(at('2025-11-10T10:00:00+05:00'), 1, cal).toISOString()).toBe('2025-11-11T15:00:00.000Z');
    expect(addWorkingDays(at('2025-11-10T10:00:00+05:00'), 3, cal).toISOString()).toBe('2025-11-13T15:00:00.000Z');
    // before opening still belongs to that day
    expect(addWorkingDays(at('2025-11-10T06:00:00+05:00'), 1, cal).toISOString()).toBe('2025-11-11T15:00:00.000Z');
    // N = 0: the close of D itself ("the same working day")
    expect(addWorkingDays(at('2025-11-10T10:00:00+05:00'), 0, cal).toISOString()).toBe('2025-11-10T15:00:00.000Z');
  });

  it('after closing time, and on days off, the step belongs to the next working day', () => {
    expect(addWorkingDays(at('2025-11-14T20:30:00+05:00'), 1, cal).toISOString()).toBe('2025-11-18T15:00:00.000Z'); // Fri late → D = Mon
    expect(addWorkingDays(at('2025-11-15T11:00:00+05:00'), 1, cal).toISOString()).toBe('2025-11-18T15:00:00.000Z'); // Sat → D = Mon
    expect(workingDayEnd(at('2025-11-15T11:00:00+05:00'), cal).toISOString()).toBe('2025-11-17T15:00:00.000Z');
    expect(nextWorkingDayStart(at('2025-11-15T11:00:00+05:00'), cal).toISOString()).toBe('2025-11-17T03:00:00.000Z');
    expect(nextWorkingDayStart(at('2025-11-17T07:00:00+05:00'), cal).toISOString()).toBe('2025-11-17T03:00:00.000Z');
  });

  it('crosses the year boundary over the New Year holidays', () => {
    // Wed 2025-12-31 → 1, 2 Jan holidays, 3–4 weekend → Mon 5 Jan 2026
    expect(addWorkingDays(at('2025-12-31T10:00:00+05:00'), 1, cal).toISOString()).toBe('2026-01-05T15:00:00.000Z');
    // Tue 2026-01-06 → 7 Jan (Orthodox Christmas) off → Thu 8 Jan
    expect(addWorkingDays(at('2026-01-06T10:00:00+05:00'), 1, cal).toISOString()).toBe('2026-01-08T15:00:00.000Z');
    // 2027: 2 January is a Saturday → Monday 4 January is a moved day off
    expect(addWorkingDays(at('2026-12-31T10:00:00+05:00'), 1, cal).toISOString()).toBe('2027-01-05T15:00:00.000Z');
  });

  it('the HIV result (3 working days) over Nauryz', () => {
    // Thu 2025-03-20 → 21–25 off, 22–23 weekend → Wed 26, Thu 27, Fri 28 March
    expect(deadline(at('2025-03-20T09:00:00+05:00'), { maxWorkingDays: 3 }, cal).toISOString()).toBe('2025-03-28T15:00:00.000Z');
  });

  it('minutes count in real time, also past closing time', () => {
    expect(addMinutes(at('2025-11-14T19:55:00+05:00'), 15).toISOString()).toBe('2025-11-14T15:10:00.000Z');
    expect(addMinutes(at('2025-11-14T10:00:00Z'), 0.5).toISOString()).toBe('2025-11-14T10:00:30.000Z');
    expect(deadline(at('2025-11-15T10:00:00Z'), { maxMinutes: 10 }, cal).toISOString()).toBe('2025-11-15T10:10:00.000Z');
  });

  it('time left, overdue and the warning status', () => {
    const start = at('2025-11-14T10:00:00Z');
    const due = addMinutes(start, 15);
    expect(timeLeftMs(due, at('2025-11-14T10:05:00Z'))).toBe(10 * 60_000);
    expect(isOverdue(due, at('2025-11-14T10:15:00Z'))).toBe(false); // the deadline instant is still on time
    expect(isOverdue(due, at('2025-11-14T10:15:01Z'))).toBe(true);
    expect(deadlineStatus(start, due, at('2025-11-14T10:05:00Z'))).toBe('on-time');
    expect(deadlineStatus(start, due, at('2025-11-14T10:13:00Z'))).toBe('due-soon');
    expect(deadlineStatus(start, due, at('2025-11-14T10:16:00Z'))).toBe('overdue');
  });

  it('refuses a negative or fractional number of working days', () => {
    expect(() => addWorkingDays(at('2025-11-10T10:00:00Z'), -1, cal)).toThrow(RangeError);
    expect(() => addWorkingDays(at('2025-11-10T10:00:00Z'), 1.5, cal)).toThrow(RangeError);
  });
});

describe('time zones', () => {
  it('Kazakhstan moved to a single UTC+5 on 2024-03-01: tz data decides, nothing is hard-coded', () => {
    const cal = almaty();
    // Thursday 2024-02-29 closes at 20:00 +06, Friday 2024-03-01 at 20:00 +05
    expect(workingDayEnd(at('2024-02-29T10:00:00Z'), cal).toISOString()).toBe('2024-02-29T14:00:00.000Z');
    expect(workingDayEnd(at('2024-03-01T10:00:00Z'), cal).toISOString()).toBe('2024-03-01T15:00:00.000Z');
  });

  it('Atyrau (always UTC+5 in this period) and the other zones agree after 2024', () => {
    const atyrau = createWorkingCalendar(kz, { timeZone: 'Asia/Atyrau', hours: { weekdays: { open: '08:00', close: '20:00' } } });
    expect(workingDayEnd(at('2025-11-10T10:00:00Z'), atyrau).toISOString()).toBe('2025-11-10T15:00:00.000Z');
  });

  it('DST-free zone: every working day after 2024-03-01 closes at 15:00 UTC', () => {
    const cal = almaty();
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2024, 2, 2), max: Date.UTC(2027, 11, 31) }), fc.integer({ min: 0, max: 40 }), (t, n) => {
        const d = addWorkingDaysMs(t, n, cal);
        return new Date(d).toISOString().endsWith('T15:00:00.000Z');
      }),
    );
  });

  it('a zone with DST keeps the local closing hour on both sides of the change', () => {
    const berlin = createWorkingCalendar(kz, { timeZone: 'Europe/Berlin', hours: { weekdays: { open: '08:00', close: '20:00' } } });
    expect(workingDayEnd(at('2025-03-28T10:00:00Z'), berlin).toISOString()).toBe('2025-03-28T19:00:00.000Z');
    expect(workingDayEnd(at('2025-03-31T10:00:00Z'), berlin).toISOString()).toBe('2025-03-31T18:00:00.000Z');
    expect(addWorkingDays(at('2025-03-28T10:00:00Z'), 1, berlin).toISOString()).toBe('2025-03-31T18:00:00.000Z');
  });

  describe('the host time zone does not matter', () => {
    const original = process.env.TZ;
    afterEach(() => {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    });

    it('same deadlines under TZ=UTC, America/New_York, Pacific/Kiritimati, Asia/Kathmandu', () => {
      const samples = fc.sample(
        fc.tuple(fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2027, 11, 31) }), fc.integer({ min: 0, max: 20 })),
        {
          numRuns: 300,
          seed: 42,
        },
      );
      const results: string[][] = [];
      const hostOffsets = new Set<number>();
      for (const tz of ['UTC', 'America/New_York', 'Pacific/Kiritimati', 'Asia/Kathmandu']) {
        process.env.TZ = tz;
        const cal = almaty(); // a fresh calendar: no cache carried over between host zones
        hostOffsets.add(new Date(Date.UTC(2025, 0, 1)).getTimezoneOffset());
        results.push(samples.map(([t, n]) => `${addWorkingDaysMs(t, n, cal)}|${toLocalIsoDate(t, 'Asia/Almaty')}`));
      }
      expect(hostOffsets.size).toBe(4); // the host zone really changed between runs
      for (const r of results.slice(1)) expect(r).toEqual(results[0]);
    });
  });
});

describe('properties of working-day deadlines', () => {
  const cal = almaty();
  const instant = fc.integer({ min: Date.UTC(2013, 0, 1), max: Date.UTC(2027, 11, 31) });
  const days = fc.integer({ min: 0, max: 30 });

  it("never fall on a non-working day, and are that day's closing time", () => {
    fc.assert(
      fc.property(instant, days, (t, n) => {
        const d = addWorkingDaysMs(t, n, cal);
        const dayNum = cal.localDayOf(d - 1); // the close instant belongs to its day
        return cal.isWorkingDayNumber(dayNum) && cal.day(dayNum).close === d;
      }),
      { numRuns: 2000 },
    );
  });

  it('never fall on a weekend day, holiday or transferred day off of the shipped calendar', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 30 }), (t, n) => {
        const d = new Date(addWorkingDaysMs(t, n, cal) - 1);
        const iso = local(d, cal);
        const weekday = new Date(`${iso}T00:00:00Z`).getUTCDay();
        const transferredWorking = kz.transfers.some((x) => x.date === iso && x.kind === 'working');
        return (
          (transferredWorking || (weekday !== 0 && weekday !== 6)) &&
          !kz.datedHolidays.some((h) => h.date === iso) &&
          !kz.transfers.some((x) => x.date === iso && x.kind === 'day-off') &&
          !cal.isHoliday(cal.localDayOf(+d))
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('are after the start, grow with N, and never decrease when the start moves later', () => {
    fc.assert(
      fc.property(instant, instant, days, (a, b, n) => {
        const [s, e] = a <= b ? [a, b] : [b, a];
        const dn = addWorkingDaysMs(s, n, cal);
        return (
          dn > s &&
          addWorkingDaysMs(s, n + 1, cal) > dn &&
          addWorkingDaysMs(e, n, cal) >= dn &&
          // exactly n working days strictly between D's close and the deadline's day (inclusive of the latter)
          countWorkingDays(cal, cal.anchorDay(s) + 1, cal.localDayOf(dn - 1)) === n
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('a step started in working hours on a working day with N = 0 ends the same local day', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const info = cal.day(cal.localDayOf(t));
        fc.pre(info.working && t <= info.close);
        return cal.localDayOf(addWorkingDaysMs(t, 0, cal) - 1) === cal.localDayOf(t);
      }),
    );
  });
});

function countWorkingDays(cal: WorkingCalendar, from: number, to: number): number {
  let c = 0;
  for (let d = from; d <= to; d++) if (cal.isWorkingDayNumber(d)) c++;
  return c;
}

describe('speed', () => {
  it('100,000 deadlines take well under a second (the bench holds the 200 ms figure)', () => {
    const cal = almaty();
    const start = Date.UTC(2025, 10, 1);
    const t0 = performance.now();
    let sum = 0;
    for (let i = 0; i < 100_000; i++) sum += addWorkingDaysMs(start + ((i * 7919) % (30 * DAY_MS)), 1 + (i % 3), cal);
    const ms = performance.now() - t0;
    expect(sum).toBeGreaterThan(0);
    expect(ms).toBeLessThan(1000);
  });
});

// Keeps the type import used when the data shape is referred to in helpers.
export type { CalendarData };

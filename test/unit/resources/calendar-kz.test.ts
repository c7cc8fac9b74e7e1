/**
 * The shipped Kazakhstan calendar (resources/calendars/kz.json) against the official lists, year by year since 2013.
 *
 * Each table below is written from the published calendar of its year (the law "On holidays", the Labour Code's
 * rule that a national or state holiday on a weekend gives the next working day off, Kurban ait as announced, and
 * the government's transfer acts named in the data's `years`), not from the engine: `daysOff` lists every
 * Monday–Friday that was not worked, `workedWeekend` every Saturday/Sunday (or weekday) made working. The test
 * compares them with what the calendar computes for every day of the year.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  createWorkingCalendar,
  dayNumberOf,
  dayNumberToIso,
  isoWeekday,
  parseCalendarData,
} from '../../../common/working-calendar';

const KZ_FILE = 'calendars/kz.json';
const kz = parseCalendarData(JSON.parse(readFileSync(join(__dirname, '../../../resources', KZ_FILE), 'utf8')), KZ_FILE);
const cal = createWorkingCalendar(kz, { timeZone: 'Asia/Almaty', hours: { weekdays: { open: '08:00', close: '20:00' } } });

/** Month-day lists (`MM-DD`, space-separated) per year. */
const OFFICIAL: Record<number, { daysOff: string; worked: string }> = {
  2013: {
    // 23 Mar Sat → 25 Mar; 6 Jul Sat → 8 Jul; 1 Dec Sun → 2 Dec; decree: 4 May → 10 May; Kurban ait 15 Oct
    daysOff: '01-01 01-02 01-07 03-08 03-21 03-22 03-25 05-01 05-07 05-09 05-10 07-08 08-30 10-15 12-02 12-16 12-17',
    worked: '05-04 12-28',
  },
  2014: {
    // decree: 28 Dec 2013 → 3 Jan; 4 May (Sun) → 2 May; 11 May (Sun) → 8 May; 8 Mar Sat → 10 Mar; 22–23 Mar → 24–25 Mar;
    // 6 Jul Sun → 7 Jul; 30 Aug Sat → 1 Sep; Kurban ait 4 Oct is a Saturday (not moved)
    daysOff: '01-01 01-02 01-03 01-07 03-10 03-21 03-24 03-25 05-01 05-02 05-07 05-08 05-09 07-07 09-01 12-01 12-16 12-17',
    worked: '05-04 05-11',
  },
  2015: {
    // egov.kz 2015: 9 Mar; Nauryz 21–25 Mar; 11 May; 31 Aug; Kurban ait 24 Sep
    daysOff: '01-01 01-02 01-07 03-09 03-23 03-24 03-25 05-01 05-07 05-11 07-06 08-31 09-24 12-01 12-16 12-17',
    worked: '',
  },
  2016: {
    // 2 Jan Sat → 4 Jan; transfer 5 Mar → 7 Mar; 1 May Sun → 2 May; 7 May Sat → 10 May (9 May is itself a holiday);
    // Kurban ait 12 Sep; 17 Dec Sat → 19 Dec
    daysOff: '01-01 01-04 01-07 03-07 03-08 03-21 03-22 03-23 05-02 05-09 05-10 07-06 08-30 09-12 12-01 12-16 12-19',
    worked: '03-05',
  },
  2017: {
    // 1 Jan Sun → 3 Jan; 7 Jan Sat (Christmas, not moved); decree: 18 Mar → 20 Mar, 1 Jul → 7 Jul; 7 May Sun → 8 May;
    // Kurban ait 1 Sep; 16–17 Dec Sat–Sun → 18–19 Dec
    daysOff: '01-02 01-03 03-08 03-20 03-21 03-22 03-23 05-01 05-08 05-09 07-06 07-07 08-30 09-01 12-01 12-18 12-19',
    worked: '03-18 07-01',
  },
  2018: {
    // decree: 3 Mar → 9 Mar, 28 Apr → 30 Apr, 5 May → 8 May, 25 Aug → 31 Aug, 29 Dec → 31 Dec; Kurban ait 21 Aug;
    // 1 Dec Sat → 3 Dec; 16 Dec Sun → 18 Dec (17 Dec is itself a holiday)
    daysOff: '01-01 01-02 03-08 03-09 03-21 03-22 03-23 04-30 05-01 05-07 05-08 05-09 07-06 08-21 08-30 08-31 12-03 12-17 12-18 12-31',
    worked: '03-03 04-28 05-05 08-25 12-29',
  },
  2019: {
    // 23 Mar Sat → 25 Mar; 6 Jul Sat → 8 Jul; 1 Dec Sun → 2 Dec; Kurban ait 11 Aug is a Sunday (not moved)
    daysOff: '01-01 01-02 01-07 03-08 03-21 03-22 03-25 05-01 05-07 05-09 07-08 08-30 12-02 12-16 12-17',
    worked: '',
  },
  2020: {
    // decree: 5 Jan (Sun) → 3 Jan, Mon 11 May (for Victory Day on Sat 9 May) → 8 May, 20 Dec (Sun) → 18 Dec;
    // 8 Mar Sun → 9 Mar; 21–22 Mar → 24–25 Mar; Kurban ait 31 Jul; 30 Aug Sun → 31 Aug
    daysOff: '01-01 01-02 01-03 01-07 03-09 03-23 03-24 03-25 05-01 05-07 05-08 07-06 07-31 08-31 12-01 12-16 12-17 12-18',
    worked: '01-05 05-11 12-20',
  },
  2021: {
    // 2 Jan Sat → 4 Jan; 21 Mar Sun → 24 Mar; 1 May Sat → 3 May; 9 May Sun → 10 May; decree: 3 Jul → 5 Jul;
    // Kurban ait 20 Jul
    daysOff: '01-01 01-04 01-07 03-08 03-22 03-23 03-24 05-03 05-07 05-10 07-05 07-06 07-20 08-30 12-01 12-16 12-17',
    worked: '07-03',
  },
  2022: {
    // 1–2 Jan Sat–Sun → 3–4 Jan; decree No. 713: 5 Mar → 7 Mar, 27 Aug → 29 Aug; amendment: 22 Oct → 24 Oct;
    // 1 May Sun → 2 May; 7 May Sat → 10 May; Kurban ait 9 Jul is a Saturday; Republic Day 25 Oct from 2022;
    // no 1 December and Independence Day 16 December only from 2022
    daysOff: '01-03 01-04 01-07 03-07 03-08 03-21 03-22 03-23 05-02 05-09 05-10 07-06 08-29 08-30 10-24 10-25 12-16',
    worked: '03-05 08-27 10-22',
  },
  2023: {
    // 1 Jan Sun → 3 Jan; 7 Jan Sat; 7 May Sun → 8 May; Kurban ait 28 Jun; decree: 1 Jul → 7 Jul; 16 Dec Sat → 18 Dec
    daysOff: '01-02 01-03 03-08 03-21 03-22 03-23 05-01 05-08 05-09 06-28 07-06 07-07 08-30 10-25 12-18',
    worked: '07-01',
  },
  2024: {
    // 23 Mar Sat → 25 Mar; order: 4 May → 8 May; Kurban ait 16 Jun is a Sunday; 6 Jul Sat → 8 Jul
    daysOff: '01-01 01-02 03-08 03-21 03-22 03-25 05-01 05-07 05-08 05-09 07-08 08-30 10-25 12-16',
    worked: '05-04',
  },
  2025: {
    // order: 5 Jan (Sun) → 3 Jan; 8 Mar Sat → 10 Mar; 22–23 Mar → 24–25 Mar; Kurban ait 6 Jun; 6 Jul Sun → 7 Jul;
    // 30 Aug Sat → 1 Sep; 25 Oct Sat → 27 Oct
    daysOff: '01-01 01-02 01-03 01-07 03-10 03-21 03-24 03-25 05-01 05-07 05-09 06-06 07-07 09-01 10-27 12-16',
    worked: '01-05',
  },
  2026: {
    // 8 Mar Sun → 9 Mar; 21–22 Mar → 24–25 Mar; 9 May Sat → 11 May; Kurban ait 27 May; 30 Aug Sun → 31 Aug;
    // 25 Oct Sun → 26 Oct (no transfer act found for 2026)
    daysOff: '01-01 01-02 01-07 03-09 03-23 03-24 03-25 05-01 05-07 05-11 05-27 07-06 08-31 10-26 12-16',
    worked: '',
  },
};

/** What the calendar computes for a year, in the tables' terms. */
function computed(year: number): { daysOff: string[]; worked: string[] } {
  const daysOff: string[] = [];
  const worked: string[] = [];
  for (let d = dayNumberOf(`${year}-01-01`); d <= dayNumberOf(`${year}-12-31`); d++) {
    const weekend = isoWeekday(d) >= 6;
    const working = cal.isWorkingDayNumber(d);
    const md = dayNumberToIso(d).slice(5);
    if (!weekend && !working) daysOff.push(md);
    // a weekday that stays working is only listed when a transfer act says so (2020-05-11)
    const transfer = kz.transfers.find((t) => t.date === dayNumberToIso(d));
    if (working && (weekend || transfer?.kind === 'working')) worked.push(md);
  }
  return { daysOff, worked };
}

describe('the Kazakhstan calendar against the official lists', () => {
  const days = (list: string) => list.split(' ').filter(Boolean);
  it.each(Object.entries(OFFICIAL))('%s: every day off and every worked weekend day', (year, official) => {
    expect(computed(Number(year))).toEqual({ daysOff: days(official.daysOff), worked: days(official.worked) });
  });

  it('has a table and a recorded source for every year since 2013', () => {
    const years = kz.years ?? [];
    for (let y = 2013; y <= 2026; y++) {
      expect(OFFICIAL[y], `table for ${y}`).toBeDefined();
      const rec = years.find((r) => r.year === y);
      expect(rec, `years entry for ${y}`).toBeDefined();
      if (rec!.transfers !== 'unverified') expect(rec!.sources.length, `sources of ${y}`).toBeGreaterThan(0);
    }
  });

  it('every transfer lies in a year whose check is recorded, and the weekday/kind fit', () => {
    for (const t of kz.transfers) {
      const y = Number(t.date.slice(0, 4));
      if (y < 2013) continue;
      expect(
        kz.years?.some((r) => r.year === y),
        `years entry for transfer ${t.date}`,
      ).toBe(true);
      const weekend = isoWeekday(dayNumberOf(t.date)) >= 6;
      // a day-off transfer lands on a weekday; a working one is a weekend day, or (2020-05-11) a moved day off
      if (t.kind === 'day-off') expect(weekend, t.date).toBe(false);
      else if (!weekend) expect(t.date).toBe('2020-05-11');
    }
  });

  it('issue 15: 3 working days from Tuesday 22.09.2015 (Astana) end on Monday 28.09.2015, Kurban ait being 24.09', () => {
    const due = addWorkingDays(new Date('2015-09-22T10:00:00+06:00'), 3, cal);
    // 23 Wed (1), 24 Thu Kurban ait, 25 Fri (2), 26–27 weekend, 28 Mon (3); close 20:00 Almaty (UTC+6 then)
    expect(due.toISOString()).toBe('2015-09-28T14:00:00.000Z');
    expect(cal.explainDay(dayNumberOf('2015-09-24'))).toMatchObject({ working: false, why: 'holiday', name: { en: 'Kurban ait' } });
  });

  it('2013: Kurban ait 15.10.2013 is a day off (the other day the issue found missing)', () => {
    const due = addWorkingDays(new Date('2013-10-14T10:00:00+06:00'), 1, cal);
    expect(due.toISOString()).toBe('2013-10-16T14:00:00.000Z');
  });

  it('explains a moved day off and a transfer', () => {
    expect(cal.explainDay(dayNumberOf('2019-07-08'))).toMatchObject({
      working: false,
      why: 'moved-day-off',
      from: '2019-07-06',
      name: { en: 'Capital Day' },
    });
    expect(cal.explainDay(dayNumberOf('2020-05-11'))).toMatchObject({ working: true, why: 'transfer' });
    expect(cal.explainDay(dayNumberOf('2020-05-12'))).toEqual({ working: true, why: 'working-day' });
    // the day off for Victory Day 2020 was moved by decree to 8 May: 11 May is neither working-but-holiday nor pushed on
    expect(cal.isHoliday(dayNumberOf('2020-05-11'))).toBe(false);
    expect(cal.isHoliday(dayNumberOf('2020-05-12'))).toBe(false);
  });
});

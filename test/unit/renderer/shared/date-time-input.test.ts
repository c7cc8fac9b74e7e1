/** The keystrokes of the date and time fields (renderer/src/shared/date-time-input.ts), one by one. */
import { describe, expect, it } from 'vitest';
import {
  formatDate,
  maskDate,
  maskTime,
  parseDate,
  parseTime,
  partAt,
  stepDate,
  stepTime,
  type Masked,
} from '../../../../renderer/src/shared/date-time-input';

/** Types `keys` at the end of the field one at a time, as a registrar does. */
function typed(keys: string, mask: (raw: string, caret: number) => Masked): string {
  let text = '';
  for (const key of keys) text = mask(text + key, text.length + 1).text;
  return text;
}
const date = (raw: string, caret: number) => maskDate(raw, caret, '.');

describe('date typing', () => {
  it('puts the dots in as digits are typed, and closes a part on a typed separator', () => {
    expect(typed('01122026', date)).toBe('01.12.2026');
    expect(typed('1.12.2026', date)).toBe('01.12.2026');
    expect(typed('1/2/2026', date)).toBe('01.02.2026');
    expect(typed('4122026', date)).toBe('04.12.2026'); // no day starts with 4x: it is 04
    expect(typed('0122026', date)).toBe('01.02.2026'); // …nor a month with 2x: it is 02
    expect(typed('011220269', date)).toBe('01.12.2026'); // nothing past the year
    expect(typed('01..', date)).toBe('01.');
  });

  it('takes a whole text as typed or pasted, an ISO date included, with the language’s separator', () => {
    expect(maskDate('01122026', 8, '.').text).toBe('01.12.2026');
    expect(maskDate('1.12.2026', 9, '.').text).toBe('01.12.2026');
    expect(maskDate('2026-12-01', 10, '.').text).toBe('01.12.2026');
    expect(maskDate('01122026', 8, '/').text).toBe('01/12/2026');
  });

  it('keeps the caret after the digit it followed, and lets a part edited in the middle keep one digit', () => {
    expect(maskDate('0112', 3, '.')).toEqual({ text: '01.12', caret: 4 });
    // The month's 2 deleted: the 1 stays alone (not 01) so the next digit makes 12 again.
    expect(maskDate('01.1.2026', 4, '.')).toEqual({ text: '01.1.2026', caret: 4 });
    expect(maskDate('01.12.2026', 4, '.')).toEqual({ text: '01.12.2026', caret: 4 });
  });

  it('parses finished dates to ISO and tells unfinished from impossible ones', () => {
    expect(parseDate('01.12.2026')).toEqual({ ok: true, value: '2026-12-01' });
    expect(parseDate('1.2.2026')).toEqual({ ok: true, value: '2026-02-01' });
    expect(parseDate('29.02.2028')).toEqual({ ok: true, value: '2028-02-29' });
    expect(parseDate('29.02.2026')).toEqual({ ok: false, problem: 'noSuchDate' });
    expect(parseDate('31.04.2026')).toEqual({ ok: false, problem: 'noSuchDate' });
    expect(parseDate('01.13.2026')).toEqual({ ok: false, problem: 'noSuchDate' });
    expect(parseDate('00.12.2026')).toEqual({ ok: false, problem: 'noSuchDate' });
    expect(parseDate('01.12.20')).toEqual({ ok: false, problem: 'incomplete' });
    expect(formatDate('2026-12-01', '.')).toBe('01.12.2026');
    expect(formatDate('', '.')).toBe('');
  });

  it('steps the part under the caret: day across months and years, month keeping the day in range', () => {
    expect(partAt('01.12.2026', 0)).toBe(0);
    expect(partAt('01.12.2026', 4)).toBe(1);
    expect(partAt('01.12.2026', 10)).toBe(2);
    expect(stepDate('2026-12-31', 0, 1)).toBe('2027-01-01');
    expect(stepDate('2026-03-01', 0, -1)).toBe('2026-02-28');
    expect(stepDate('2026-01-31', 1, 1)).toBe('2026-02-28');
    expect(stepDate('2026-01-15', 1, -1)).toBe('2025-12-15');
    expect(stepDate('2028-02-29', 2, 1)).toBe('2029-02-28');
  });
});

describe('time typing', () => {
  it('puts the colon in, and takes 930 and 9:30 as 09:30', () => {
    expect(typed('0930', maskTime)).toBe('09:30');
    expect(typed('930', maskTime)).toBe('09:30');
    expect(typed('9:30', maskTime)).toBe('09:30');
    expect(typed('1:05', maskTime)).toBe('01:05');
    expect(typed('23591', maskTime)).toBe('23:59');
  });

  it('parses HH:MM on a 24-hour clock', () => {
    expect(parseTime('09:30')).toEqual({ ok: true, value: '09:30' });
    expect(parseTime('23:59')).toEqual({ ok: true, value: '23:59' });
    expect(parseTime('24:00')).toEqual({ ok: false, problem: 'noSuchTime' });
    expect(parseTime('12:60')).toEqual({ ok: false, problem: 'noSuchTime' });
    expect(parseTime('12:3')).toEqual({ ok: false, problem: 'incomplete' });
  });

  it('steps the hour, or the minutes onto their grid, round the clock', () => {
    expect(stepTime('10:07', 1, 1, 15)).toBe('10:15');
    expect(stepTime('10:07', 1, -1, 15)).toBe('10:00');
    expect(stepTime('10:15', 1, 1, 15)).toBe('10:30');
    expect(stepTime('23:50', 1, 1, 15)).toBe('00:00');
    expect(stepTime('00:00', 1, -1)).toBe('23:59');
    expect(stepTime('00:30', 0, -1)).toBe('23:30');
  });
});

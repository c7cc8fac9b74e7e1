/**
 * One format per language (issue 16, point 3): the screens and the printouts write dates, times and tenge through
 * common/format.ts. Kazakh and Russian as on the clinic's papers, English as en-GB; never month-first or AM/PM.
 */
import { describe, expect, it } from 'vitest';
import { dateSeparator, dateText, dateTimeText, moneyText, numberText, onPaper, timeText } from '../../../common/format';

const NBSP = '\u00a0';

describe('common/format', () => {
  it('writes money with the language’s grouping and the tenge sign, a void with a real minus', () => {
    expect(moneyText(1500, 'kk')).toBe(`1${NBSP}500 ₸`);
    expect(moneyText(1500, 'ru')).toBe(`1${NBSP}500 ₸`);
    expect(moneyText(1234567, 'en')).toBe('1,234,567 ₸');
    expect(moneyText(0, 'kk')).toBe('0 ₸');
    expect(moneyText(-200, 'ru')).toBe('−200 ₸');
    expect(moneyText(1500.5, 'ru')).toBe(`1${NBSP}500,50 ₸`);
    expect(moneyText(1500.5, 'en')).toBe('1,500.50 ₸');
    expect(numberText(12345, 'kk')).toBe(`12${NBSP}345`);
  });

  it('gives paper plain spaces, so a printed sum reads and searches as typed', () => {
    expect(onPaper(moneyText(1500, 'kk'))).toBe('1 500 ₸');
    expect(onPaper(`a\u202fb${NBSP}c`)).toBe('a b c');
  });

  it('writes dates dd.mm.yyyy in Kazakh and Russian and dd/mm/yyyy in English', () => {
    expect(dateText('2026-12-01', 'kk')).toBe('01.12.2026');
    expect(dateText('2026-12-01', 'ru')).toBe('01.12.2026');
    expect(dateText('2026-12-01', 'en')).toBe('01/12/2026');
    // The date part of an instant is the calendar date written in it, not shifted by any zone.
    expect(dateText('2026-12-01T23:30:00Z', 'kk')).toBe('01.12.2026');
    expect(dateText('not a date', 'kk')).toBe('not a date');
    expect(dateSeparator('kk')).toBe('.');
    expect(dateSeparator('en')).toBe('/');
  });

  it('writes instants in the zone given (the organization’s), on a 24-hour clock in every language', () => {
    for (const lang of ['kk', 'ru'] as const) {
      expect(dateTimeText('2026-12-05T20:30:00Z', 'Asia/Almaty', lang)).toBe('06.12.2026, 01:30');
      expect(dateTimeText('2026-12-05T20:30:00Z', 'Asia/Atyrau', lang)).toBe('06.12.2026, 01:30');
    }
    expect(dateTimeText('2026-12-05T20:30:00Z', 'Asia/Almaty', 'en')).toBe('06/12/2026, 01:30');
    expect(timeText('2026-12-05T12:05:09Z', 'Asia/Almaty', 'en')).toBe('17:05');
    expect(timeText('2026-12-05T12:05:09Z', 'Asia/Almaty', 'kk', true)).toBe('17:05:09');
    expect(timeText('2026-12-05T19:00:00Z', 'Asia/Almaty', 'en')).toBe('00:00');
  });
});

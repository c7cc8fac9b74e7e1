import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDigit, isRealDate, makeIin, parseBin, parseIin, withCheckDigit } from '../../../common/iin';

const dateArb = fc
  .date({ min: new Date(Date.UTC(1800, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('IIN', () => {
  it('reads birth date and sex from a known IIN', () => {
    expect(parseIin('400101300012')).toEqual({ valid: true, iin: '400101300012', birthDate: '1940-01-01', sex: 'M' });
    expect(parseIin('610906400019')).toEqual({ valid: true, iin: '610906400019', birthDate: '1961-09-06', sex: 'F' });
  });

  it('names what is wrong', () => {
    expect(parseIin('')).toMatchObject({ valid: false, reason: 'empty' });
    expect(parseIin('40010130001')).toMatchObject({ valid: false, reason: 'length' });
    expect(parseIin('4001013000123')).toMatchObject({ valid: false, reason: 'length' });
    expect(parseIin('40010130001A')).toMatchObject({ valid: false, reason: 'not-digits' });
    expect(parseIin('400101300013')).toMatchObject({ valid: false, reason: 'checksum' });
    expect(parseIin('400101000012')).toMatchObject({ valid: false, reason: 'century' });
    expect(parseIin('400101700012')).toMatchObject({ valid: false, reason: 'century' });
    expect(parseIin('400230300012')).toMatchObject({ valid: false, reason: 'date' }); // 30 February
    expect(parseIin('010229500012')).toMatchObject({ valid: false, reason: 'date' }); // 2001 is not leap
    expect(parseIin('001301300012')).toMatchObject({ valid: false, reason: 'date' }); // month 13
  });

  it('accepts 29 February only in leap years, 1900 is not one and 2000 is', () => {
    expect(isRealDate(2000, 2, 29)).toBe(true);
    expect(isRealDate(1900, 2, 29)).toBe(false);
    expect(isRealDate(2024, 2, 29)).toBe(true);
    expect(parseIin(makeIin('2000-02-29', 'F', 1))).toMatchObject({ valid: true, birthDate: '2000-02-29', sex: 'F' });
  });

  it('uses the second weight set when the first gives 10, and rejects numbers where both give 10', () => {
    // Find 11-digit prefixes of each kind by search, then check parseIin agrees with the rule.
    let secondPass: string | null = null;
    let none: string | null = null;
    for (let s = 0; s < 10_000 && (!secondPass || !none); s++) {
      const first11 = `900101300${String(s).padStart(2, '0')}`.slice(0, 11);
      const d = Array.from(first11, Number);
      const r1 = d.reduce((a, x, i) => a + x * (i + 1), 0) % 11;
      if (r1 !== 10) continue;
      const w2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
      const r2 = d.reduce((a, x, i) => a + x * w2[i]!, 0) % 11;
      if (r2 === 10) none ??= first11;
      else secondPass ??= first11 + String(r2);
    }
    expect(secondPass).not.toBeNull();
    expect(parseIin(secondPass!)).toMatchObject({ valid: true });
    if (none) for (let c = 0; c <= 9; c++) expect(parseIin(none + c)).toMatchObject({ valid: false, reason: 'checksum' });
  });

  it('property: every IIN made for a real date and sex is valid and reads back', () => {
    fc.assert(
      fc.property(dateArb, fc.constantFrom<'M' | 'F'>('M', 'F'), fc.integer({ min: 0, max: 9000 }), (date, sex, serial) => {
        const r = parseIin(makeIin(date, sex, serial));
        expect(r).toMatchObject({ valid: true, birthDate: date, sex });
      }),
      { numRuns: 2000 },
    );
  });

  it('property: any other check digit makes a valid IIN invalid', () => {
    fc.assert(
      fc.property(
        dateArb,
        fc.constantFrom<'M' | 'F'>('M', 'F'),
        fc.integer({ min: 0, max: 9000 }),
        fc.integer({ min: 1, max: 9 }),
        (date, sex, serial, delta) => {
          const iin = makeIin(date, sex, serial);
          const wrong = iin.slice(0, 11) + String((Number(iin[11]) + delta) % 10);
          expect(parseIin(wrong)).toMatchObject({ valid: false, reason: 'checksum' });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('property: parsing never throws and a valid result is always 12 digits with a matching check digit', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\d{12}$/)), (s) => {
        const r = parseIin(s);
        if (r.valid) {
          expect(r.iin).toMatch(/^\d{12}$/);
          expect(checkDigit(r.iin.slice(0, 11))).toBe(Number(r.iin[11]));
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('BIN', () => {
  it('accepts a well-formed BIN and names what is wrong', () => {
    const bin = withCheckDigit('12014000101')!;
    expect(parseBin(bin)).toEqual({ valid: true, bin });
    expect(parseBin(bin.slice(0, 11) + String((Number(bin[11]) + 1) % 10))).toMatchObject({ valid: false, reason: 'checksum' });
    expect(parseBin('121340001010')).toMatchObject({ valid: false, reason: 'month' });
    expect(parseBin('120170001010')).toMatchObject({ valid: false, reason: 'entity-type' });
    expect(parseBin('12')).toMatchObject({ valid: false, reason: 'length' });
  });
});

/**
 * Kazakhstan's IIN (individual) and BIN (business) identification numbers.
 *
 * Both are 12 digits with a mod-11 check digit: weights 1..11 over the first 11 digits; when the remainder is 10,
 * a second pass with weights 3,4,5,6,7,8,9,10,11,1,2; a remainder of 10 again means no valid number exists.
 * An IIN starts with the birth date (YYMMDD) and its 7th digit encodes century and sex:
 * 1/2 → 1800s, 3/4 → 1900s, 5/6 → 2000s; odd is male, even is female.
 * A BIN starts with the registration year and month (YYMM), then the entity type (4, 5 or 6) and its kind.
 */

export const IIN_INVALID_REASONS = ['empty', 'length', 'not-digits', 'checksum', 'century', 'date'] as const;
export type IinInvalidReason = (typeof IIN_INVALID_REASONS)[number];
export type Sex = 'M' | 'F';

export type IinResult = { valid: true; iin: string; birthDate: string; sex: Sex } | { valid: false; iin: string; reason: IinInvalidReason };

export type BinInvalidReason = 'empty' | 'length' | 'not-digits' | 'checksum' | 'month' | 'entity-type';
export type BinResult = { valid: true; bin: string } | { valid: false; bin: string; reason: BinInvalidReason };

const WEIGHTS_1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WEIGHTS_2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** The check digit for the first 11 digits, or null when the number cannot have one. */
export function checkDigit(first11: string): number | null {
  let r = weightedSum(first11, WEIGHTS_1);
  if (r === 10) r = weightedSum(first11, WEIGHTS_2);
  return r === 10 ? null : r;
}

/** A plain loop over char codes: this runs for every row of a 2,000,000-row register import. */
function weightedSum(digits: string, weights: number[]): number {
  let acc = 0;
  for (let i = 0; i < digits.length && i < 11; i++) acc += (digits.charCodeAt(i) - 48) * weights[i]!;
  return acc % 11;
}

function shapeError(value: string): 'empty' | 'length' | 'not-digits' | null {
  if (value.length === 0) return 'empty';
  if (!/^\d*$/.test(value)) return 'not-digits';
  if (value.length !== 12) return 'length';
  return null;
}

function checksumOk(value: string): boolean {
  const c = checkDigit(value.slice(0, 11));
  return c !== null && c === Number(value[11]);
}

/** Calendar check without Date's rollover (Date.UTC(2001, 1, 30) silently becomes 2 March). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

export function parseIin(input: string): IinResult {
  const iin = input.trim();
  const shape = shapeError(iin);
  if (shape) return { valid: false, iin, reason: shape };
  const centuryDigit = Number(iin[6]);
  if (centuryDigit < 1 || centuryDigit > 6) return { valid: false, iin, reason: 'century' };
  const century = 1800 + Math.floor((centuryDigit - 1) / 2) * 100;
  const year = century + Number(iin.slice(0, 2));
  const month = Number(iin.slice(2, 4));
  const day = Number(iin.slice(4, 6));
  if (!isRealDate(year, month, day)) return { valid: false, iin, reason: 'date' };
  if (!checksumOk(iin)) return { valid: false, iin, reason: 'checksum' };
  const birthDate = `${year}-${iin.slice(2, 4)}-${iin.slice(4, 6)}`;
  return { valid: true, iin, birthDate, sex: centuryDigit % 2 === 1 ? 'M' : 'F' };
}

export function isValidIin(input: string): boolean {
  return parseIin(input).valid;
}

export function parseBin(input: string): BinResult {
  const bin = input.trim();
  const shape = shapeError(bin);
  if (shape) return { valid: false, bin, reason: shape };
  const month = Number(bin.slice(2, 4));
  if (month < 1 || month > 12) return { valid: false, bin, reason: 'month' };
  if (!['4', '5', '6'].includes(bin[4]!)) return { valid: false, bin, reason: 'entity-type' };
  if (!checksumOk(bin)) return { valid: false, bin, reason: 'checksum' };
  return { valid: true, bin };
}

/** Completes 11 digits with their check digit (demo data, tests); null when no check digit exists. */
export function withCheckDigit(first11: string): string | null {
  const c = checkDigit(first11);
  return c === null ? null : first11 + String(c);
}

/**
 * Builds an IIN for a birth date, sex and 4-digit serial, skipping serials with no check digit.
 * Used by demo data and tests; a real IIN is issued by the state, never by the workstation.
 */
export function makeIin(birthDate: string, sex: Sex, serial: number): string {
  const [y, m, d] = birthDate.split('-');
  const year = Number(y);
  const centuryBase = year < 1900 ? 1 : year < 2000 ? 3 : 5;
  const centuryDigit = centuryBase + (sex === 'F' ? 1 : 0);
  for (let s = serial; s < serial + 10_000; s++) {
    const first11 = `${y!.slice(2)}${m}${d}${centuryDigit}${String(s % 10_000).padStart(4, '0')}`;
    const iin = withCheckDigit(first11);
    if (iin) return iin;
  }
  throw new Error('no IIN with a check digit near this serial');
}

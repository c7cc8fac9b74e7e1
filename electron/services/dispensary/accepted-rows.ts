/**
 * The accepted rows of a dispensary register import (register-import.ts), kept until they are written, and given
 * back in IIN order.
 *
 * In IIN order a write slice's rows fall on neighbouring pages of the register's index (a file in no particular
 * order put nearly every row of a 2,000-row slice on a page of its own: 10–45 ms a slice). The rows are grouped by
 * the IIN's first six digits (the birth date) as they are read, and each group is sorted only when the writing
 * reaches it: no sort of the whole file that would hold the desk.
 *
 * The rows are kept as numbers in typed arrays, not as objects. A million rows held as objects in maps made a live
 * heap of some 150 MB that V8's collector marked again and again while the file was still being read — its marking
 * steps ran inside the reading's pieces, and some pieces held the event loop 100–250 ms instead of about 10. Typed
 * arrays are never scanned by the collector. A repeated IIN is found by a hash set of IINs kept the same way. For a
 * file of a million rows (26 MB) the arrays and the set take about 50 MB, made at once (see the constructor).
 */
import type { RegisterRow } from './registers';

/** An IIN's twelve digits as a number (exact: below 2^53), and back. */
const iinNumber = (iin: string) => Number(iin);
const iinText = (n: number) => String(n).padStart(12, '0');

/** A YYYY-MM-DD date as the number YYYYMMDD (0: none), and back (the texts remembered: a register repeats dates). */
const dateNumber = (date: string | null) => (date === null ? 0 : Number(date.slice(0, 4) + date.slice(5, 7) + date.slice(8, 10)));

/** Group keys are the IIN's first six digits; a row's place in its group's sort key is below 2^24. */
const GROUP_DIVISOR = 1_000_000;
const PLACES = 2 ** 24;

/** Made at once for at most this many rows (about 130 MB); a larger file grows the arrays and the set past it. */
const PRESIZED_AT_MOST = 4_000_000;

/** Row indices of one group, in the order they were added (the file's). */
interface Group {
  rows: Uint32Array;
  size: number;
}

export class AcceptedRows {
  /** Rows added (repeats not counted). */
  count = 0;
  private iins: Float64Array;
  private fromDates: Int32Array;
  private removedOn: Int32Array;
  private readonly seen: IinSet;
  private readonly groups = new Map<number, Group>();
  private readonly dateTexts = new Map<number, string>();

  /**
   * `atMost`: how many rows the file can hold (its length over the shortest row's). The arrays and the IIN set are
   * made that large at once: growing the set means putting every IIN in again, 50–130 ms at half a million rows
   * in one go on the desk's thread. Past it they still grow.
   */
  constructor(atMost = 0) {
    const rows = Math.max(1024, Math.min(PRESIZED_AT_MOST, Math.ceil(atMost)));
    this.iins = new Float64Array(rows);
    this.fromDates = new Int32Array(rows);
    this.removedOn = new Int32Array(rows);
    this.seen = new IinSet(rows);
  }

  /** Adds the row; false, and nothing added, when an earlier row has its IIN. */
  add(row: RegisterRow): boolean {
    const iin = iinNumber(row.iin);
    if (!this.seen.add(iin)) return false;
    if (this.count === this.iins.length) this.grow();
    const i = this.count++;
    this.iins[i] = iin;
    this.fromDates[i] = dateNumber(row.fromDate);
    this.removedOn[i] = dateNumber(row.removedOn);
    const key = Math.floor(iin / GROUP_DIVISOR);
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { rows: new Uint32Array(8), size: 0 }));
    if (group.size === group.rows.length) {
      if (group.size >= PLACES) throw new Error(`more than ${PLACES} rows born on one day`);
      group.rows = widened(group.rows, group.size * 2);
    }
    group.rows[group.size++] = i;
    return true;
  }

  /** The rows in IIN order, each group sorted when it is reached (and then let go). */
  *inOrder(): Generator<RegisterRow> {
    for (const key of [...this.groups.keys()].sort((a, b) => a - b)) {
      const { rows, size } = this.groups.get(key)!;
      this.groups.delete(key);
      // The IIN's last six digits and the row's place in the group in one number, sorted natively (no comparator).
      const order = new Float64Array(size);
      for (let k = 0; k < size; k++) order[k] = (this.iins[rows[k]!]! % GROUP_DIVISOR) * PLACES + k;
      order.sort();
      for (let k = 0; k < size; k++) {
        const i = rows[order[k]! % PLACES]!;
        yield { iin: iinText(this.iins[i]!), fromDate: this.dateText(this.fromDates[i]!)!, removedOn: this.dateText(this.removedOn[i]!) };
      }
    }
  }

  private dateText(n: number): string | null {
    if (n === 0) return null;
    let text = this.dateTexts.get(n);
    if (text === undefined) {
      const digits = String(n).padStart(8, '0');
      text = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
      if (this.dateTexts.size < 100_000) this.dateTexts.set(n, text);
    }
    return text;
  }

  private grow(): void {
    const n = this.iins.length * 2;
    this.iins = widened(this.iins, n);
    this.fromDates = widened(this.fromDates, n);
    this.removedOn = widened(this.removedOn, n);
  }
}

/** A copy of `array` with room for `length` items. */
function widened<T extends Float64Array | Int32Array | Uint32Array>(array: T, length: number): T {
  const wider = new (array.constructor as new (length: number) => T)(length);
  wider.set(array as ArrayLike<number>);
  return wider;
}

/** A set of IINs as numbers: open addressing in a typed array (0 marks a free slot, so each IIN is kept plus one). */
class IinSet {
  private slots: Float64Array;
  private size = 0;

  /** A set sized for `expected` IINs, at most half full. */
  constructor(expected: number) {
    this.slots = new Float64Array(2 ** Math.ceil(Math.log2(Math.max(2048, expected * 2))));
  }

  /** Adds `iin`; false when it was there already. */
  add(iin: number): boolean {
    if ((this.size + 1) * 2 > this.slots.length) this.rehash();
    if (!put(this.slots, iin + 1)) return false;
    this.size++;
    return true;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    for (const value of old) if (value !== 0) put(this.slots, value);
  }
}

/** Puts `value` (not 0) in the table `slots` (a power of two long, never full); false when it was there. */
function put(slots: Float64Array, value: number): boolean {
  const mask = slots.length - 1;
  for (let i = mix(value) & mask; ; i = (i + 1) & mask) {
    const s = slots[i]!;
    if (s === value) return false;
    if (s === 0) {
      slots[i] = value;
      return true;
    }
  }
}

/** A 32-bit hash of an integer below 2^53 (both halves mixed, murmur3's finaliser). */
function mix(n: number): number {
  let h = Math.imul((n % 4294967296) | 0, 0x9e3779b1) ^ Math.imul(Math.floor(n / 4294967296) | 0, 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

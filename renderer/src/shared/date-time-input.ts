/**
 * What the project's date and time fields do with keystrokes (components/DateField.vue, TimeField.vue), apart
 * from Vue so it can be tested keystroke by keystroke. A registrar types digits: 01122026 becomes 01.12.2026,
 * 1.12.2026 becomes 01.12.2026, 930 becomes 09:30; the separators come by themselves. The value the screens and
 * services see stays ISO: YYYY-MM-DD and HH:MM.
 */

/** A field's text after a keystroke, and where the caret goes. */
export interface Masked {
  text: string;
  caret: number;
}

/** Characters a user may type between the parts (whatever the language's own separator is). */
const SEPARATOR = /[./\-:,\s]/;

/**
 * Reformats typed text into groups of digits: `sizes` digits per group, `padAbove[g]` the largest first digit of
 * a group that can still take a second one (a day starting with 4 is 04, an hour starting with 3 is 03). A typed
 * separator closes a group (1. → 01.), a digit beyond a full group opens the next one. The caret stays after the
 * same digit it followed.
 */
function maskGroups(raw: string, caret: number, sizes: readonly number[], padAbove: readonly (number | null)[], sep: string): Masked {
  const groups: string[] = [''];
  let groupStart = 0;
  let caretAt = caret <= 0 ? 0 : -1;
  const last = sizes.length - 1;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    let g = groups.length - 1;
    if (/\d/.test(ch)) {
      if (groups[g]!.length >= sizes[g]! && g < last) {
        groups.push('');
        groupStart = i;
        g++;
      }
      const pad = padAbove[g];
      if (groups[g] === '' && g < last && pad != null && Number(ch) > pad) {
        groups[g] = `0${ch}`;
        groups.push('');
        groupStart = i + 1;
      } else if (groups[g]!.length < sizes[g]!) groups[g] += ch;
    } else if (SEPARATOR.test(ch) && groups[g] !== '' && g < last) {
      // A group the user is editing in the middle of the text keeps its one digit: the next keystroke adds the other.
      const editing = caret < raw.length && caret > groupStart && caret <= i;
      if (!editing) groups[g] = groups[g]!.padStart(sizes[g]!, '0');
      groups.push('');
      groupStart = i + 1;
    }
    if (i === caret - 1) caretAt = groups.join(sep).length;
  }
  const text = groups.join(sep);
  return { text, caret: caretAt < 0 || caret >= raw.length ? text.length : caretAt };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The date field's text after a keystroke (an ISO date pasted in is taken as it is). */
export function maskDate(raw: string, caret: number, sep: string): Masked {
  const iso = ISO_DATE.exec(raw.trim());
  if (iso) {
    const text = formatDate(raw.trim(), sep);
    return { text, caret: text.length };
  }
  return maskGroups(raw, caret, [2, 2, 4], [3, 1, null], sep);
}

/** The time field's text after a keystroke. */
export function maskTime(raw: string, caret: number): Masked {
  return maskGroups(raw, caret, [2, 2], [2, null], ':');
}

/** YYYY-MM-DD as the field shows it (06.12.2026); anything else shows as nothing. */
export function formatDate(iso: string | null | undefined, sep: string): string {
  const m = iso ? ISO_DATE.exec(iso) : null;
  return m ? `${m[3]}${sep}${m[2]}${sep}${m[1]}` : '';
}

/** Why a date field's text is not a date: not finished (or not digits), or a day the calendar does not have. */
export type DateProblem = 'incomplete' | 'noSuchDate';
export type TimeProblem = 'incomplete' | 'noSuchTime';
export type Parsed<P> = { ok: true; value: string } | { ok: false; problem: P };

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const two = (n: number) => String(n).padStart(2, '0');
const isoOf = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${two(m)}-${two(d)}`;

/** The field's text (dd.mm.yyyy with any separator) as YYYY-MM-DD. */
export function parseDate(text: string): Parsed<DateProblem> {
  const m = /^(\d{1,2})\D(\d{1,2})\D(\d{4})$/.exec(text.trim());
  if (!m) return { ok: false, problem: 'incomplete' };
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return { ok: false, problem: 'noSuchDate' };
  return { ok: true, value: isoOf(y, mo, d) };
}

/** The field's text (hh:mm) as HH:MM, 24-hour. */
export function parseTime(text: string): Parsed<TimeProblem> {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return { ok: false, problem: 'incomplete' };
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (h > 23 || min > 59) return { ok: false, problem: 'noSuchTime' };
  return { ok: true, value: `${two(h)}:${m[2]}` };
}

/** Which part of the text the caret is in: 0 before the first separator, 1 after it, and so on. */
export function partAt(text: string, caret: number): number {
  let part = 0;
  for (let i = 0; i < Math.min(caret, text.length); i++) if (!/\d/.test(text[i]!)) part++;
  return part;
}

/**
 * The date a step of an arrow key leads to: `part` 0 moves the day (across months and years), 1 the month, 2 the
 * year; a day the new month lacks becomes its last (31.01 + 1 month = 28.02 or 29.02).
 */
export function stepDate(iso: string, part: number, delta: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  if (part === 0) {
    const t = new Date(Date.UTC(y, m - 1, d + delta));
    return isoOf(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
  }
  const months = y * 12 + (m - 1) + (part === 1 ? delta : 12 * delta);
  const [ny, nm] = [Math.floor(months / 12), (months % 12) + 1];
  return isoOf(ny, nm, Math.min(d, daysIn(ny, nm)));
}

/**
 * The time a step of an arrow key leads to: `part` 0 moves the hour, 1 the minutes by `stepMinutes` onto its
 * grid (10:07 up by 15 is 10:15, down is 10:00). Past midnight it goes round, as a clock does.
 */
export function stepTime(hhmm: string, part: number, delta: number, stepMinutes = 1): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const total = h * 60 + m;
  let next: number;
  if (part === 0) next = total + 60 * delta;
  else {
    const step = Math.max(1, Math.round(stepMinutes));
    next = delta > 0 ? Math.floor(total / step) * step + step * delta : Math.ceil(total / step) * step + step * delta;
  }
  const wrapped = ((next % 1440) + 1440) % 1440;
  return `${two(Math.floor(wrapped / 60))}:${two(wrapped % 60)}`;
}

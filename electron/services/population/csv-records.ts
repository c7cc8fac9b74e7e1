/**
 * CSV records (RFC 4180: comma-separated, fields in double quotes may hold commas, quotes doubled, and line
 * breaks) from the file's bytes as they arrive in chunks. The register import reads 2,000,000 rows through this on
 * its worker threads, and reads them as bytes: the separators are ASCII, so a record's fields are found without
 * decoding the text, and most of a row (its address, its phone) goes to the staging file as the very bytes the
 * file held (db/person-staging.ts). Per 1,000,000 rows on one thread, decoding whole chunks into strings,
 * splitting those and checking the rows took 3.2 s; reading the bytes and checking the rows (rows.ts), 1.9 s.
 *
 * A record reaches its sink as a buffer and the start and end of each field in it. A field's bytes are a span of
 * the file's own bytes, unless the field had a doubled quote or text after its closing quote: then the record's
 * fields are copied, unescaped, into a buffer of their own (rare). The sink must read them before it returns (the
 * arrays are reused). The UTF-8 check of those bytes is the reader's (utf8Checker below).
 */
import { isUtf8 } from 'node:buffer';

export type RecordSink = (buf: Buffer, starts: readonly number[], ends: readonly number[]) => void;

export interface CsvRecords {
  /** Hands the complete records of the bytes so far to `sink` (a record cut by the chunk's end waits for the next). */
  push(chunk: Buffer, sink: RecordSink): void;
  /** The records left at the end of the input (a last line without a line break). */
  end(sink: RecordSink): void;
  /** Whether the bytes so far end inside a record (its rest waits for more): not at a record's boundary. */
  pending(): boolean;
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

export function csvRecords(): CsvRecords {
  let rest: Buffer | null = null;
  const starts: number[] = [];
  const ends: number[] = [];
  /** Per field, its pieces (start, end, start, end…) when it has more than one: a doubled quote, text after a quote. */
  const pieces: Array<number[] | undefined> = [];
  let split = false;

  const field = (s: number, e: number) => {
    starts.push(s);
    ends.push(e);
  };

  // The quoted field being read: its first non-empty piece, and all its pieces once it has a second.
  let firstFrom = -1;
  let firstTo = -1;
  let more: number[] | null = null;
  const piece = (s: number, e: number) => {
    if (e <= s) return;
    if (firstFrom < 0) {
      firstFrom = s;
      firstTo = e;
    } else (more ??= [firstFrom, firstTo]).push(s, e);
  };

  /** The quoted field from `p` (its opening quote) to the comma or line break after it; -1: not complete yet. */
  const quoted = (buf: Buffer, p: number, final: boolean): number => {
    const n = buf.length;
    firstFrom = firstTo = -1;
    more = null;
    let q = p + 1;
    for (;;) {
      const close = buf.indexOf(QUOTE, q);
      if (close < 0) {
        if (!final) return -1;
        piece(q, n); // an unclosed quote runs to the end of the input
        p = n;
        break;
      }
      if (close + 1 >= n && !final) return -1; // "" or " at the very end: cannot tell yet
      if (buf[close + 1] === QUOTE) {
        piece(q, close + 1);
        q = close + 2;
        continue;
      }
      piece(q, close);
      p = close + 1;
      break;
    }
    // Anything between the closing quote and the next comma or line break belongs to the field.
    let e = p;
    while (e < n && buf[e] !== COMMA && buf[e] !== LF) e++;
    if (e >= n && !final) return -1;
    piece(p, e > p && buf[e - 1] === CR ? e - 1 : e);
    if (more) {
      pieces[starts.length] = more;
      split = true;
    }
    if (firstFrom < 0) field(e, e);
    else field(firstFrom, firstTo);
    return e;
  };

  /** One record from `p`: its fields in starts/ends; the position after it, or -1 when it is not complete. */
  const record = (buf: Buffer, p: number, final: boolean): number => {
    const n = buf.length;
    starts.length = 0;
    ends.length = 0;
    if (split) {
      pieces.length = 0;
      split = false;
    }
    for (;;) {
      if (p < n && buf[p] === QUOTE) {
        p = quoted(buf, p, final);
        if (p < 0) return -1;
      } else {
        let e = p;
        for (; e < n; e++) {
          const c = buf[e];
          if (c === COMMA || c === LF) break;
        }
        if (e >= n && !final) return -1;
        field(p, e > p && buf[e - 1] === CR && (e >= n || buf[e] === LF) ? e - 1 : e);
        p = e;
      }
      if (p >= n) return n;
      if (buf[p] === LF) return p + 1;
      p++; // the comma
      if (p >= n) {
        if (!final) return -1;
        field(n, n);
        return n;
      }
    }
  };

  /** The record's fields copied into a buffer of their own, their pieces joined (a field that was unescaped). */
  const joined = (buf: Buffer): Buffer => {
    let size = 0;
    for (let f = 0; f < starts.length; f++) {
      const own = pieces[f];
      if (!own) size += ends[f]! - starts[f]!;
      else for (let i = 0; i < own.length; i += 2) size += own[i + 1]! - own[i]!;
    }
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    for (let f = 0; f < starts.length; f++) {
      const own = pieces[f] ?? [starts[f]!, ends[f]!];
      const from = at;
      for (let i = 0; i < own.length; i += 2) at += buf.copy(out, at, own[i]!, own[i + 1]!);
      starts[f] = from;
      ends[f] = at;
    }
    return out;
  };

  const parse = (buf: Buffer, final: boolean, sink: RecordSink) => {
    let p = 0;
    const n = buf.length;
    while (p < n) {
      const next = record(buf, p, final);
      if (next < 0) break;
      sink(split ? joined(buf) : buf, starts, ends);
      p = next;
    }
    rest = p < n ? buf.subarray(p) : null;
  };

  return {
    push: (chunk, sink) => parse(rest ? Buffer.concat([rest, chunk]) : chunk, false, sink),
    end: (sink) => {
      if (rest) parse(rest, true, sink);
    },
    pending: () => rest !== null,
  };
}

/**
 * Whether bytes that arrive in chunks are UTF-8: each chunk checked up to its last whole character (node's
 * isUtf8, simdutf: milliseconds for the whole file), the cut character's bytes carried to the next.
 */
export function utf8Checker(): { push(chunk: Buffer): boolean; end(): boolean } {
  let carry: Buffer | null = null;
  return {
    push(chunk) {
      const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
      const whole = wholeCharacters(bytes);
      carry = whole < bytes.length ? Buffer.from(bytes.subarray(whole)) : null;
      return isUtf8(bytes.subarray(0, whole));
    },
    end: () => carry === null,
  };
}

/** How many of the bytes end on a character's boundary (a multi-byte character cut at the end left out). */
function wholeCharacters(bytes: Buffer): number {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    const b = bytes[i]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const length = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + length > n ? i : n;
  }
  return n; // no lead byte in the last four: not UTF-8, which isUtf8 says
}

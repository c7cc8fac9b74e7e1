/**
 * An administrator's CSV import of a dispensary register (iin, from_date, removed_on): every row checked, the
 * rejected ones reported by code (common/register-rejections.ts: the screen and the file say why in the reader's
 * language), the accepted ones upserted with their operations for the clinic's other desks.
 *
 * The desk never waits for it (issue 18). A register may list a million people: the whole file was parsed and
 * checked at once (the event loop held 0.5–0.6 s for a million rows), then written 20,000 rows a transaction, each
 * holding it again, and the whole import took 21–22 s. Now the text is read a piece at a time (cut at a line break
 * outside quotes) and written in IIN order in slices of about 20 ms (sync/slices.ts SliceSizer), the event loop
 * let in between. A slice never starts while a population import swaps its register in (db/swap-window.ts). The rows
 * read wait for the writing as numbers in typed arrays (accepted-rows.ts), not as objects the collector must mark.
 */
import Papa from 'papaparse';
import { ApiError } from '../../../common/errors';
import { parseIin } from '../../../common/iin';
import { isoDateSchema } from '../../../common/schemas';
import type { Language } from '../../../common/roles';
import { registerRejectedRowsHeader, registerRejectionText, type RegisterRejection } from '../../../common/register-rejections';
import { appendAudit } from '../../../db/audit';
import { insertRegisterImport, REGISTERS, type RegisterKind } from '../../../db/dispensary';
import { enqueueOutbox } from '../../../db/outbox';
import type { StaffRow } from '../../../db/staff';
import { swapWindowClosing } from '../../../db/swap-window';
import type { AppContext } from '../app';
import { actorOf } from '../auth';
import { toCsv } from '../csv';
import { SliceSizer, yieldToEventLoop } from '../sync/slices';
import { AcceptedRows } from './accepted-rows';
import { applyRegisterRows, type RegisterRow } from './registers';

/** ~60 bytes a row: 2,000 rows stay well under the server's 256 KB per operation. */
export const REGISTER_ROWS_PER_OP = 2_000;

/**
 * What parsing and checking one piece of the file may hold the main process for. A piece's size, in characters,
 * follows the time the last ones took (sync/slices.ts SliceSizer): 128 KiB pieces (about 4,000 rows) took some 10 ms
 * once warm, but the first ones 50–140 ms while the code was still being compiled, and a slow desk takes longer.
 */
const PIECE_MS = 15;
const FIRST_PIECE_CHARS = 16 * 1024;
const MIN_PIECE_CHARS = 4 * 1024;
const MAX_PIECE_CHARS = 1024 * 1024;

/** What one slice of the writing may hold the main process for; its size is counted in operations. */
const WRITE_SLICE_MS = 20;

/** The shortest row that can be accepted, line break included: a 12-digit IIN, a comma and a 10-character date. */
const SHORTEST_ROW_CHARS = 24;

/** Rejected rows listed on the screen; the file has them all. */
const LISTED = 1000;

export interface RejectedRegisterRow extends RegisterRejection {
  line: number;
  /** The row as it was in the file (at most 200 characters). */
  raw: string;
}

/** The import in progress per database (the renderer polls registers.importProgress). */
const progress = new WeakMap<object, { register: RegisterKind; done: number; total: number } | null>();
export function importProgress(app: AppContext) {
  return progress.get(app.db) ?? null;
}

/** A date as YYYY-MM-DD or DD.MM.YYYY, given as YYYY-MM-DD; null when it is not a day of the calendar (2015-13-01). */
function date(v: string | undefined): string | null {
  const t = (v ?? '').trim();
  const dotted = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(t);
  const iso = dotted ? `${dotted[3]}-${dotted[2]}-${dotted[1]}` : t;
  return isoDateSchema.safeParse(iso).success ? iso : null;
}

/**
 * The text in pieces of about `size` characters (asked again before each piece), each ending just after a line
 * break that is not inside a quoted field (an even number of quotes before it in the piece), so that each piece
 * parses on its own into whole rows.
 */
export function* csvPieces(text: string, size: number | (() => number)): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + Math.max(1, typeof size === 'number' ? size : size()));
    if (end < text.length) {
      let quotes = countQuotes(text, start, end);
      let nl = text.indexOf('\n', end);
      while (nl >= 0) {
        quotes += countQuotes(text, end, nl);
        if (quotes % 2 === 0) break;
        end = nl;
        nl = text.indexOf('\n', nl + 1);
      }
      end = nl < 0 ? text.length : nl + 1;
    }
    yield text.slice(start, end);
    start = end;
  }
}

/** Quotes in text[from, to): a bounded scan (indexOf would search on to the end of the file when there are none). */
function countQuotes(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 34) n++;
  return n;
}

/** The file's rows with their line numbers (the header's is 1), a piece at a time, the event loop let in between. */
async function* rowsOf(text: string): AsyncGenerator<{ line: number; cells: string[] }> {
  let line = 0;
  const sizer = new SliceSizer(PIECE_MS, FIRST_PIECE_CHARS, MIN_PIECE_CHARS, MAX_PIECE_CHARS);
  for (const piece of csvPieces(text.replace(/^\uFEFF/, ''), () => sizer.next())) {
    // Timed from the parse to the end of the checks of the piece's rows (the caller's, between the yields).
    const started = performance.now();
    const rows = Papa.parse<string[]>(piece, { skipEmptyLines: false }).data;
    // The empty row Papa reads after a piece's last line break is the next piece's first line, not a line.
    if (piece.endsWith('\n') && rows.length && rows.at(-1)!.length === 1 && rows.at(-1)![0] === '') rows.pop();
    for (const cells of rows) yield { line: ++line, cells };
    sizer.took(piece.length, performance.now() - started);
    await yieldToEventLoop();
  }
}

export async function importCsv(
  app: AppContext,
  staff: StaffRow,
  a: { register: RegisterKind; fileName: string; text: string },
  onProgress?: (done: number, total: number) => void,
) {
  if (!(REGISTERS as readonly string[]).includes(a.register)) throw new ApiError('validation', 'unknown register', {}, ['register']);
  const good = new AcceptedRows((a.text.length + 1) / SHORTEST_ROW_CHARS);
  const rejected: RejectedRegisterRow[] = [];
  let total = 0;
  let col: ((name: string) => number) | null = null;
  for await (const { line, cells } of rowsOf(a.text)) {
    if (!col) {
      const header = cells.map((c) => c.trim().toLowerCase());
      col = (n) => header.indexOf(n);
      if (col('iin') < 0 || col('from_date') < 0)
        throw new ApiError(
          'validation',
          'the header must have the columns iin,from_date[,removed_on]',
          { expected: 'iin,from_date,removed_on' },
          ['text'],
        );
      continue;
    }
    if (cells.length === 1 && cells[0]!.trim() === '') continue;
    total++;
    const row = checkRow(cells, col);
    const rejection = 'code' in row ? row : good.add(row) ? null : ({ code: 'duplicate' } as const);
    if (rejection) rejected.push({ line, raw: cells.join(',').slice(0, 200), ...rejection });
  }
  const now = app.clock();
  const accepted = good.count;
  progress.set(app.db, { register: a.register, done: 0, total: accepted });
  try {
    await writeRows(app, a, good.inOrder(), now, (done) => {
      progress.set(app.db, { register: a.register, done, total: accepted });
      onProgress?.(done, accepted);
    });
  } finally {
    progress.set(app.db, null);
  }
  await swapWindowClosing(app.db);
  app.db
    .transaction(() => {
      const counts = { total, accepted, rejected: rejected.length };
      insertRegisterImport(app.db, {
        register: a.register,
        file_name: a.fileName,
        imported_at: now.toISOString(),
        imported_by: staff.id,
        ...counts,
      });
      appendAudit(
        app.db,
        actorOf(staff),
        { action: 'register.imported', entity: 'register', entityId: a.register, details: { file: a.fileName, ...counts } },
        now,
      );
    })
    .immediate();
  return {
    register: a.register,
    total,
    accepted,
    rejected: rejected.length,
    rejectedRows: rejected.slice(0, LISTED),
    rejectedCsv: rejectedCsv(rejected, staff.language),
  };
}

/** A row checked: the register row, or why it is rejected (a repeat is found when it is added: RowsInIinOrder). */
function checkRow(cells: string[], col: (name: string) => number): RegisterRow | RegisterRejection {
  const iin = parseIin(cells[col('iin')] ?? '');
  if (!iin.valid) return { code: 'iin-invalid', params: { reason: iin.reason } };
  const from = date(cells[col('from_date')]);
  if (!from) return { code: 'from-date-invalid' };
  const removedRaw = col('removed_on') >= 0 ? (cells[col('removed_on')] ?? '').trim() : '';
  const removed = removedRaw === '' ? null : date(removedRaw);
  if (removedRaw !== '' && !removed) return { code: 'removed-on-invalid' };
  if (removed && removed < from) return { code: 'removed-before-from' };
  return { iin: iin.iin, fromDate: from, removedOn: removed };
}

/**
 * The accepted rows upserted in slices, each slice one transaction with its operations for the other desks that
 * check the registers (issue 13: whole operations of REGISTER_ROWS_PER_OP rows, which land with the rows or not at
 * all). A slice's size, in operations, follows the time the last ones took.
 */
async function writeRows(
  app: AppContext,
  a: { register: RegisterKind; fileName: string },
  rows: Iterator<RegisterRow>,
  now: Date,
  done: (rows: number) => void,
): Promise<void> {
  const sizer = new SliceSizer(WRITE_SLICE_MS, 1, 1, 20);
  let written = 0;
  for (;;) {
    await swapWindowClosing(app.db);
    const ops = sizer.next();
    const slice = take(rows, ops * REGISTER_ROWS_PER_OP);
    if (!slice.length) return;
    sizer.measure(ops, () =>
      app.db
        .transaction(() => {
          applyRegisterRows(app.db, a.register, slice, `csv:${a.fileName}`, now);
          for (let j = 0; j < slice.length; j += REGISTER_ROWS_PER_OP)
            enqueueOutbox(
              app.db,
              {
                kind: 'register.rows',
                entity: 'register',
                entityId: a.register,
                payload: { register: a.register, rows: slice.slice(j, j + REGISTER_ROWS_PER_OP) },
              },
              now,
            );
        })
        .immediate(),
    );
    written += slice.length;
    done(written);
    await yieldToEventLoop();
  }
}

/** Up to `n` items from `items`. */
function take<T>(items: Iterator<T>, n: number): T[] {
  const out: T[] = [];
  while (out.length < n) {
    const next = items.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

/** Every rejected row, for the administrator to mend and send again: line, reason (in `lang`), the row. */
function rejectedCsv(rows: readonly RejectedRegisterRow[], lang: Language): string {
  return toCsv(
    rows.map((r) => [r.line, registerRejectionText(r, lang), r.raw]),
    { header: registerRejectedRowsHeader(lang), quoteColumns: [false, true, true] },
  );
}

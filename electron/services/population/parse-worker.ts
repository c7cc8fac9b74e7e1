/**
 * The register import's worker threads. A large file is read in two parts at once, each by a thread of its own
 * (a small one by one thread): each reads its bytes — as bytes: the records are split and most of each row is
 * staged without decoding the text (csv-records.ts, rows.ts) — checks every row (IIN checksum, names, birth date
 * and sex against the IIN; IINs repeated in the file are found by the finishing step's sort), computes the search
 * keys and stores the good rows in a staging file of its own (db/person-staging.ts), telling the main thread only the
 * counts, the rejected rows and the bytes read. The rows never cross to the main thread: its event loop stays the
 * desk's, and the two cores parse and store instead of one parsing while the other unpacks.
 *
 * The second part starts at the first line break after the file's middle: a record's start, unless a quoted field
 * holding line breaks spans it. The first part's reader sees which (its CSV parser is inside a record there); in
 * that case it reads on to the end of the file itself and the second part's rows are dropped.
 *
 * When the rows are stored the main thread hands the first part's thread the staging files (a FinishJob) and it
 * builds and swaps in the new register on a connection of its own (db/people-load.ts finishPersonImport): the
 * seconds of sorting and index building at 2,000,000 rows never hold the main thread's event loop.
 */
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { finishPersonImport, ImportFinishCancelled, type RegisterBuild, type RegisterSwapped } from '../../../db/people-load';
import type { StagedRow } from '../../../db/person-packing';
import { openStagingWriter } from '../../../db/person-staging';
import { csvRecords, utf8Checker } from './csv-records';
import type { Rejection } from '../../../common/population-rejections';
import { fieldText, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, rowChecker, type RecordFields, type RejectedRow } from './rows';

export interface ParseJob {
  file: string;
  encoding: 'utf-8' | 'windows-1251';
  /**
   * Which part of the file: 0 from its start (the header, then rows up to `end`), or 1 from `start` (just after a
   * line break) to its end, with the header read from the file's start. Its lines are counted from its own start.
   */
  part: 0 | 1;
  start: number;
  end: number;
  /** The staging file this thread stores its rows in. */
  stagingFile: string;
  /** Rows per staging transaction and per progress message. */
  batchSize: number;
  maxListedRejections: number;
  /** One Int32 the main thread sets to 1 when the import is cancelled; the finishing step reads it between steps. */
  cancel?: SharedArrayBuffer;
}

/** What a part's thread has done so far: rows read (good and rejected), stored, rejected (the new ones listed). */
interface PartCounts {
  part: 0 | 1;
  /** Bytes of this part's text parsed so far. */
  bytes: number;
  read: number;
  staged: number;
  rejectedCount: number;
  rejected: RejectedRow[];
}

export type ParseMessage =
  | ({ type: 'progress' } & PartCounts)
  | ({
      type: 'done';
      /** The part's last line, counted from its start (the first part's header is line 1). */
      lines: number;
      /** The first part read on to the end of the file (the split fell inside a record): the second is void. */
      wholeFile: boolean;
    } & PartCounts)
  /** The first part's reader goes on to the end of the file (the split fell inside a record). */
  | { type: 'whole-file' }
  | { type: 'error'; code: 'encoding' | 'header' | 'io' | 'finish' | 'cancelled'; message: string }
  /** The finishing step is about to take the write lock for its swap: the main thread opens the desk's swap window. */
  | { type: 'swapping' }
  | ({ type: 'finished' } & RegisterSwapped);

/** The main thread's order to build and swap in the new register from the staged rows. */
export interface FinishJob extends Omit<RegisterBuild, 'at'> {
  type: 'finish';
  dbFile: string;
  stagingFiles: string[];
  /** The register's update stamp (ISO), from the main thread's clock. */
  at: string;
  /** One Int32 the main thread sets to 1 once its connection has opened the swap window (db/swap-window.ts). */
  swapWindow: SharedArrayBuffer;
}

/** How long the finishing step waits for the main thread to open its swap window before swapping anyway. */
const SWAP_WINDOW_WAIT_MS = 2000;

class FileFault extends Error {
  constructor(
    readonly code: 'encoding' | 'header' | 'io',
    message: string,
  ) {
    super(message);
  }
}

/** The error for bytes that are not UTF-8, naming Windows-1251 when that is what they look like. */
function notUtf8(chunk: Buffer): FileFault {
  return new FileFault(
    'encoding',
    chunk.some((b) => b >= 0xc0)
      ? 'The file is not UTF-8: it looks like Windows-1251. Save it as "CSV UTF-8" or import with --encoding windows-1251.'
      : 'The file is not UTF-8 text. Save it as "CSV UTF-8".',
  );
}

/**
 * The file's bytes [start, end) as UTF-8, chunk by chunk: a UTF-8 file's own bytes, checked (and refused when they
 * are not UTF-8); a Windows-1251 file's decoded and written as UTF-8 (the reader works on UTF-8 bytes only).
 */
async function* bytesOf(job: ParseJob, start: number, end: number): AsyncGenerator<{ utf8: Buffer; read: number }> {
  if (end <= start) return;
  const source = fs.createReadStream(job.file, { start, end: end - 1, highWaterMark: 1 << 20 });
  const cp1251 = job.encoding === 'windows-1251' ? new TextDecoder('windows-1251') : null;
  const checked = utf8Checker();
  // A byte-order mark at the file's start is not part of the header (a decoder would drop it too): left in, it
  // would hide the quote of a quoted first column.
  let atFileStart = start === 0 && !cp1251;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (cp1251) yield { utf8: Buffer.from(cp1251.decode(chunk, { stream: true }), 'utf8'), read: chunk.length };
      else if (!checked.push(chunk)) throw notUtf8(chunk);
      else {
        const bom = atFileStart && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
        atFileStart = false;
        yield { utf8: bom ? chunk.subarray(3) : chunk, read: chunk.length };
      }
    }
  } catch (error) {
    throw error instanceof FileFault ? error : new FileFault('io', `The CSV could not be read: ${(error as Error).message}`);
  }
  if (!checked.end() && !cp1251)
    throw new FileFault('encoding', 'The file is not UTF-8 text: it ends inside a character. Save it as "CSV UTF-8".');
}

/** The header's cells as column names; a header without the required columns is refused. */
function columnsOf(cells: string[]): string[] {
  const columns = cells.map((c) =>
    c
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase(),
  );
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length)
    throw new FileFault(
      'header',
      `The header lacks the column(s): ${missing.join(', ')}. Expected: ${[...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].join(',')}`,
    );
  return columns;
}

/** A record's fields as text (the header). */
const cellsOf: (...record: RecordFields) => string[] = (buf, starts, ends) => starts.map((_, i) => fieldText(buf, starts, ends, i));

/** The file's first record (the second part's thread reads the header this way before its own bytes). */
async function headerOf(job: ParseJob): Promise<string[]> {
  const records = csvRecords();
  let first: string[] | null = null;
  const keep = (...record: RecordFields) => (first ??= cellsOf(...record));
  for await (const { utf8 } of bytesOf(job, 0, job.start)) {
    records.push(utf8, keep);
    if (first) return first;
  }
  records.end(keep);
  if (!first) throw new FileFault('header', 'The file has no header line.');
  return first;
}

/**
 * Reads, checks and stores one part of the file, calling `send` with progress after each stored batch; returns
 * the part's 'done' message (the caller sends it once the staging file is closed).
 */
export async function readPart(
  job: ParseJob,
  store: (rows: StagedRow[]) => void,
  send: (m: ParseMessage) => void,
): Promise<Extract<ParseMessage, { type: 'done' }>> {
  const size = fs.statSync(job.file).size;
  let check: ReturnType<typeof rowChecker> | null = null;
  let iinAt = -1;
  const useHeader = (cells: string[]) => {
    const columns = columnsOf(cells);
    iinAt = columns.indexOf('iin');
    check = rowChecker(columns);
  };
  if (job.part === 1) useHeader(await headerOf(job));
  // The first part's header is line 1; the second part counts from its own start.
  let line = job.part === 0 ? 1 : 0;
  const counts: PartCounts = { part: job.part, bytes: 0, read: 0, staged: 0, rejectedCount: 0, rejected: [] };
  let batch: StagedRow[] = [];
  const flush = () => {
    store(batch);
    counts.staged += batch.length;
    batch = [];
  };
  const reject = (l: number, iin: string, why: Rejection) => {
    counts.rejectedCount++;
    if (counts.rejectedCount <= job.maxListedRejections) counts.rejected.push({ line: l, iin, ...why });
  };
  const take = (buf: Buffer, starts: readonly number[], ends: readonly number[]) => {
    if (!check) {
      useHeader(cellsOf(buf, starts, ends));
      return;
    }
    line++;
    if (starts.length === 1 && starts[0] === ends[0]) return; // blank line
    counts.read++;
    const result = check(buf, starts, ends);
    if (!Array.isArray(result)) {
      reject(line, fieldText(buf, starts, ends, iinAt), result);
      return;
    }
    // An IIN repeated in the file is found when the new register is sorted (db/people-load.ts fillRegister).
    (result as StagedRow).push(line);
    batch.push(result);
    if (batch.length >= job.batchSize) {
      flush();
      send({ type: 'progress', ...counts });
      counts.rejected = [];
    }
  };

  const records = csvRecords();
  let wholeFile = false;
  let [from, to] = [job.start, job.end];
  for (;;) {
    for await (const { utf8, read } of bytesOf(job, from, to)) {
      counts.bytes += read;
      records.push(utf8, take);
    }
    // The split fell inside a record (a quoted field with line breaks): this part reads on to the end.
    if (job.part === 0 && records.pending() && to < size) {
      wholeFile = true;
      send({ type: 'whole-file' }); // the second part's reader can stop now
      [from, to] = [to, size];
      continue;
    }
    break;
  }
  records.end(take);
  flush();
  return { type: 'done', ...counts, lines: line, wholeFile };
}

/** The thread's side: stores its part, then (the first part's thread) waits for the order to finish. */
function runAsWorker(): void {
  const port = parentPort!;
  const job = workerData as ParseJob;
  const fail = (error: unknown, code?: 'finish' | 'cancelled') =>
    port.postMessage({
      type: 'error',
      code: code ?? (error instanceof FileFault ? error.code : 'io'),
      message: error instanceof Error ? error.message : String(error),
    } satisfies ParseMessage);
  port.on('message', (m: FinishJob) => {
    if (m.type !== 'finish') return;
    const flag = job.cancel ? new Int32Array(job.cancel) : null;
    let swapped = false;
    try {
      const cancelled = () => flag !== null && Atomics.load(flag, 0) === 1;
      // 'finished' as soon as the swap has committed; the checkpoint that follows is this thread's own tidying.
      const windowOpen = new Int32Array(m.swapWindow);
      const beforeSwap = () => {
        port.postMessage({ type: 'swapping' } satisfies ParseMessage);
        // The main thread answers between two of its tasks, when none of the desk's transactions is open. Should it
        // be held up, the swap goes ahead and the desk's busy timeout covers a write that meets it, as before.
        Atomics.wait(windowOpen, 0, 0, SWAP_WINDOW_WAIT_MS);
      };
      finishPersonImport(
        { ...m, at: new Date(m.at) },
        cancelled,
        (result) => {
          swapped = true;
          port.postMessage({ type: 'finished', ...result } satisfies ParseMessage);
        },
        beforeSwap,
      );
    } catch (error) {
      // After the swap nothing can undo it: a failed checkpoint is SQLite's to redo (at the next one).
      if (!swapped) fail(error, error instanceof ImportFinishCancelled ? 'cancelled' : 'finish');
    }
    // Nothing more to do: the thread ends (the main thread waits for that before its own checkpoints resume).
    port.close();
  });
  let writer: ReturnType<typeof openStagingWriter> | null = null;
  const read = async () => {
    writer = openStagingWriter(job.stagingFile);
    const done = await readPart(job, writer.store, (m) => port.postMessage(m));
    writer.close();
    writer = null;
    port.postMessage(done);
    // The second part's thread is done; the first waits for the FinishJob.
    if (job.part === 1) port.close();
  };
  read().catch((error: unknown) => {
    writer?.close();
    fail(error);
  });
}

if (parentPort && (workerData as { populationImport?: boolean } | undefined)?.populationImport) runAsWorker();

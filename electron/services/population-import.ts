/**
 * Import of the population register (ЖТ МДБ extract) from CSV.
 *
 * Every row is checked on its own: a broken row is rejected with its line number and reason and the others go
 * in. Worker threads read, check and store the file's rows, a large file in two parts at once
 * (population/read-parts.ts, population/parse-worker.ts), each in a staging file of its own; at the end the first
 * of them, on a connection of its own, builds the new register in IIN order with its name indexes and swaps it in
 * for the old one in one short transaction (db/people-load.ts; a first import, into an empty register, builds it
 * in place in one transaction). This thread only tallies their messages: its event loop stays the desk's, and the
 * desk reads the old register until the swap commits. A cancelled, failed or crashed import therefore leaves the
 * previous register exactly as it was. People already there and absent from
 * the file are kept; a re-run of the same file gives the same register. The file must be UTF-8; Windows-1251 (what
 * Excel often saves) is recognised and named, or read with `encoding: 'windows-1251'`.
 */
import fs from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { appendAudit, type Actor } from '../../db/audit';
import type { Db } from '../../db/connection';
import { pauseCheckpoints, swapInStaged, type RegisterSwapped } from '../../db/people-load';
import { openSwapWindow } from '../../db/swap-window';
import { removeStagingFiles, stagingFilesOf } from '../../db/person-staging';
import { resetPeopleStatements } from '../../db/people';
import { systemClock } from '../../common/clock';
import type { Language } from '../../common/roles';
import { FIELD_OF, rejectedFieldLabel, rejectedRowsHeader, rejectionText } from '../../common/population-rejections';
import { toCsv } from './csv';
import type { FinishJob, ParseMessage } from './population/parse-worker';
import { PartError, readInParts, splitPoint } from './population/read-parts';
import { rejected, type RejectedRow } from './population/rows';

export { OPTIONAL_COLUMNS, REQUIRED_COLUMNS, rowToPerson, type RejectedRow } from './population/rows';

export interface ImportReport {
  read: number;
  imported: number;
  rejected: RejectedRow[];
  /** Rejections past this many are counted but not listed. */
  rejectedCount: number;
  /** People in the register after the import (the file's and those kept from before). */
  registerSize: number;
  seconds: number;
}

export class ImportFileError extends Error {
  constructor(
    readonly code: 'encoding' | 'header' | 'io',
    message: string,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

/** The import was cancelled before its register was swapped in: the previous register is unchanged. */
export class ImportCancelledError extends Error {
  readonly code = 'cancelled';
  constructor() {
    super('The import was cancelled; the register is as it was before.');
    this.name = 'ImportCancelledError';
  }
}

export interface ImportProgress {
  /** 'reading': rows are read, checked and staged; 'finishing': the new register is sorted, indexed and swapped in. */
  phase: 'reading' | 'finishing';
  bytes: number;
  total: number;
  /** Rows read so far (good and rejected). */
  rows: number;
  rowsPerSecond: number;
  /** Estimated seconds until the import ends, the finishing step included; null until there is a rate. */
  secondsLeft: number | null;
}

export interface ImportOptions {
  actor: Actor;
  clock?: () => Date;
  encoding?: 'utf-8' | 'windows-1251';
  /** Rows per batch a reader stores in one transaction (and reports progress after). */
  batchSize?: number;
  /** Files of at least this many bytes are read in two parts at once (default 4 MiB; 0: always, if it can). */
  splitFrom?: number;
  onProgress?: (progress: ImportProgress) => void;
  maxListedRejections?: number;
  /** Aborting cancels the import: the staged rows are dropped and the register stays as it was. */
  signal?: AbortSignal;
}

/**
 * The finishing step (sorted copy, two index builds, swap) measured at about this share of the reading time on
 * the bench's machine (1.2 at 200,000 people, 1.6 at 2,000,000 with the file read in two parts: the sorts grow
 * faster than the file); the estimate of time left adds it so the last minutes are not a surprise.
 */
const FINISH_SHARE = 1.5;

export async function importPopulationCsv(db: Db, file: string, options: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const clock = options.clock ?? systemClock;
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    throw new ImportFileError('io', `The file could not be read: ${(error as Error).message}`);
  }
  options.signal?.throwIfAborted?.();
  // One import at a time per database: a second one would replace the first one's staging file.
  if (importing.has(db)) throw new ImportFileError('io', 'Another register import is running on this database; wait for it to end.');
  importing.add(db);
  try {
    return await importWith(db, file, size, options, clock, started);
  } finally {
    importing.delete(db);
  }
}

const importing = new WeakSet<Db>();

async function importWith(
  db: Db,
  file: string,
  size: number,
  options: ImportOptions,
  clock: () => Date,
  started: number,
): Promise<ImportReport> {
  const report: ImportReport = { read: 0, imported: 0, rejected: [], rejectedCount: 0, registerSize: 0, seconds: 0 };
  let split: number | null;
  try {
    split = splitPoint(file, size, options.splitFrom ?? SPLIT_FROM);
  } catch (error) {
    throw new ImportFileError('io', `The file could not be read: ${(error as Error).message}`);
  }
  const allStagingFiles = stagingFilesOf(db);
  // What an earlier import left (a killed process) goes first: the readers start on fresh files.
  removeStagingFiles(allStagingFiles);
  // Until the readers have ended (and with them the checkpoint after the swap), this connection leaves checkpoints to them.
  const resumeCheckpoints = pauseCheckpoints(db);
  // Cancelling while the worker finishes: it reads this flag between its steps (its thread is busy in SQLite, so a
  // message would wait until the end).
  const cancel = new SharedArrayBuffer(4);
  const raiseCancel = () => Atomics.store(new Int32Array(cancel), 0, 1);
  options.signal?.addEventListener('abort', raiseCancel, { once: true });
  const progress = (phase: ImportProgress['phase'], bytes: number) => {
    if (!options.onProgress) return;
    const elapsed = (performance.now() - started) / 1000;
    const readLeft = bytes > 0 ? (elapsed * (size - bytes)) / bytes : null;
    options.onProgress({
      phase,
      bytes,
      total: size,
      rows: report.read,
      rowsPerSecond: elapsed > 0 ? report.read / elapsed : 0,
      secondsLeft: readLeft === null ? null : readLeft + FINISH_SHARE * (readLeft + elapsed),
    });
  };
  const maxListed = options.maxListedRejections ?? 1000;
  const reading = readInParts(
    { file, encoding: options.encoding ?? 'utf-8', batchSize: options.batchSize ?? 10_000, maxListedRejections: maxListed, cancel },
    { size, split, stagingFiles: allStagingFiles },
    (bytes, rows) => {
      report.read = rows;
      progress('reading', bytes);
    },
  );
  const [finisher] = reading.readers as [Worker, ...Worker[]];
  try {
    const read = await untilAborted(reading.done, options.signal);
    Object.assign(report, { read: read.read, imported: read.staged, rejectedCount: read.rejectedCount, rejected: read.rejected });
    progress('finishing', size);
    // A cancel from here on stops the worker between its steps (the sorted copy, each index build); once the swap's
    // copy has begun the import completes. The swap either commits or the old register stays.
    const build = { staged: read.staged, listDuplicates: maxListed, lineOffset: read.lineOffset };
    let swapped: RegisterSwapped;
    if (db.memory) {
      // No other connection can reach an in-memory database: this thread swaps, once the readers are gone.
      await Promise.all(reading.readers.map((r) => r.terminate()));
      swapped = swapInStaged(db, read.stagingFiles, { ...build, at: clock() });
    } else {
      const job: FinishJob = {
        type: 'finish',
        dbFile: db.name,
        stagingFiles: read.stagingFiles,
        ...build,
        at: clock().toISOString(),
        swapWindow: new SharedArrayBuffer(4),
      };
      swapped = await finishOnWorker(db, finisher, job);
    }
    // A stopped second reader may still hold its file for a moment (Windows refuses to delete an open file).
    await Promise.all(reading.readers.slice(1).map((r) => r.terminate()));
    try {
      removeStagingFiles(allStagingFiles);
    } catch {
      // Left for the next import, which deletes them before it starts: the register is in, that is what counts.
    }
    report.registerSize = swapped.registerSize;
    withDuplicates(report, swapped.duplicates, maxListed);
  } catch (error) {
    // The readers hold the staging files open (Windows refuses to delete an open file): they go first.
    await Promise.all(reading.readers.map((r) => r.terminate()));
    try {
      removeStagingFiles(allStagingFiles);
    } catch {
      // Left for the next import, which deletes them before it starts.
    }
    throw callerError(error);
  } finally {
    options.signal?.removeEventListener('abort', raiseCancel);
    settling.set(db, Promise.all(reading.readers.map(workerEnded)).then(resumeCheckpoints));
    // This connection's cached statements name the person table the swap replaced.
    resetPeopleStatements(db);
  }
  report.seconds = (performance.now() - started) / 1000;
  db.transaction(() =>
    appendAudit(
      db,
      options.actor,
      {
        action: 'population.imported',
        details: { file: file.split(/[\\/]/).pop(), read: report.read, imported: report.imported, rejected: report.rejectedCount },
      },
      clock(),
    ),
  ).immediate();
  return report;
}

/** Files smaller than this are read by one thread (a second one's start-up would cost more than it saves). */
const SPLIT_FROM = 4 << 20;

/** `work`, or ImportCancelledError as soon as `signal` aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new ImportCancelledError());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new ImportCancelledError());
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

const settling = new WeakMap<Db, Promise<void>>();

/**
 * Resolves when the last import on `db` has tidied up after itself: its worker thread has copied the new register
 * from the WAL into the database file and ended. The import itself is over (and durable) before that; this is for
 * whoever then wants the disk to itself (the bench's baseline) or the file closed.
 */
export function importSettled(db: Db): Promise<void> {
  return settling.get(db) ?? Promise.resolve();
}

function workerEnded(worker: Worker): Promise<void> {
  return new Promise<void>((resolve) => {
    worker.once('exit', () => resolve());
    // Already gone (terminated after a failure, or exited): 'exit' has been emitted.
    if (worker.threadId === -1) resolve();
  });
}

/** A reader's failure as the error the caller sees (anything else as it is). */
function callerError(error: unknown): unknown {
  if (!(error instanceof PartError)) return error;
  if (error.code === 'cancelled') return new ImportCancelledError();
  return error.code === 'finish' ? new Error(error.message) : new ImportFileError(error.code, error.message);
}

/**
 * The rows whose IIN an earlier line already had, found by the finishing step, as rejections among the others:
 * counted, no longer counted as imported, and listed in line order with the first `limit` rejections overall.
 */
function withDuplicates(report: ImportReport, duplicates: RegisterSwapped['duplicates'], limit: number): void {
  if (duplicates.count === 0) return;
  report.imported -= duplicates.count;
  report.rejectedCount += duplicates.count;
  const listed = duplicates.listed.map(({ line, iin }): RejectedRow => ({ line, iin, ...rejected('duplicate') }));
  report.rejected = [...report.rejected, ...listed].sort((a, b) => a.line - b.line).slice(0, limit);
}

/**
 * Hands the staged rows to the worker, which builds and swaps in the register; resolves with what it swapped in.
 * While the swap holds the write lock, `db`'s swap window is open (db/swap-window.ts): a desk call whose write
 * meets the lock runs again afterwards instead of holding this thread's event loop.
 */
function finishOnWorker(db: Db, parser: Worker, job: FinishJob): Promise<RegisterSwapped> {
  let closeWindow: (() => void) | null = null;
  let settled = false;
  return new Promise<RegisterSwapped>((resolve, reject) => {
    parser.removeAllListeners('message');
    parser.on('message', (m: ParseMessage) => {
      if (m.type === 'swapping') {
        if (settled) return; // a window opened now would never close
        closeWindow = openSwapWindow(db);
        const windowOpen = new Int32Array(job.swapWindow);
        Atomics.store(windowOpen, 0, 1);
        Atomics.notify(windowOpen, 0);
      } else if (m.type === 'finished') resolve({ registerSize: m.registerSize, duplicates: m.duplicates });
      else if (m.type === 'error') reject(new PartError(m));
    });
    parser.on('error', reject);
    parser.on('exit', (code) => reject(new PartError({ code: 'io', message: `The register's builder stopped (exit code ${code}).` })));
    parser.postMessage(job);
  }).finally(() => {
    settled = true;
    closeWindow?.();
  });
}

/**
 * The rejected rows as a file in the reader's language: line, IIN, the column's label, the reason in words. With a
 * byte-order mark, so a spreadsheet opens the Kazakh and Russian letters as UTF-8.
 */
export function rejectedRowsCsv(rows: readonly RejectedRow[], lang: Language): string {
  // The IIN as typed, without quotes, commas or line breaks: one rejected row stays one line of the file.
  return toCsv(
    rows.map((r) => [r.line, r.iin.replace(/[",\n]/g, ''), rejectedFieldLabel(FIELD_OF[r.code], lang), rejectionText(r, lang)]),
    { header: rejectedRowsHeader(lang), quoteColumns: [false, false, true, true], bom: true },
  );
}

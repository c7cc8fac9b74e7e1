/**
 * Import of the population register (ЖТ МДБ extract) from CSV.
 *
 * Every row is checked on its own: a broken row is rejected with its line number and reason and the others go
 * in. A worker thread reads and checks the file (population/parse-worker.ts) while this thread stores the good
 * rows in a staging database; at the end the worker, on a connection of its own, builds the new register in IIN
 * order with its name indexes in the staging file and swaps it in for the old one in one short transaction
 * (db/people-load.ts), while this thread's event loop stays free and the desk reads the old register until the
 * swap commits. A cancelled, failed or crashed import therefore leaves the previous register exactly as it was.
 * People already there and absent from the file are kept; a re-run of the same file gives the same register. The file must be UTF-8; Windows-1251 (what Excel often saves)
 * is recognised and named, or read with `encoding: 'windows-1251'`.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { appendAudit, type Actor } from '../../db/audit';
import type { Db } from '../../db/connection';
import { openPersonStaging, pauseCheckpoints, type RegisterSwapped } from '../../db/people-load';
import { resetPeopleStatements } from '../../db/people';
import { systemClock } from '../../common/clock';
import type { Language } from '../../common/roles';
import { FIELD_OF, rejectedFieldLabel, rejectedRowsHeader, rejectionText } from '../../common/population-rejections';
import { toCsv } from './csv';
import type { FinishJob, ParseJob, ParseMessage } from './population/parse-worker';
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
  /** Rows per batch the worker hands over (each batch is one short transaction on this thread). */
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => void;
  maxListedRejections?: number;
  /** Aborting cancels the import: the staged rows are dropped and the register stays as it was. */
  signal?: AbortSignal;
}

/**
 * The finishing step (sorted copy, two index builds, swap) measured at about this share of the reading time on
 * the bench's machine (1.1 at 200,000 people, 1.6 at 2,000,000: the sorts grow faster than the file); the estimate
 * of time left adds it so the last minutes are not a surprise.
 */
const FINISH_SHARE = 1.4;

/** The worker: the bundled script beside the built main process, or the TypeScript source through tsx. */
function startParser(job: ParseJob): Worker {
  const workerData = { ...job, populationImport: true };
  const built = new URL('./population-import-worker.js', import.meta.url);
  if (built.protocol === 'file:' && fs.existsSync(fileURLToPath(built))) return new Worker(built, { workerData });
  const source = new URL('./population/parse-worker.ts', import.meta.url).href;
  // tsx's ESM entry (a development dependency: the packaged application runs the bundled script above).
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsx = pathToFileURL(path.join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => m.tsImport(${JSON.stringify(source)}, ${JSON.stringify(source)}))`, {
    eval: true,
    workerData,
  });
}

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
  const staging = openPersonStaging(db);
  // Until the worker has ended (and with it the checkpoint after its swap), this connection leaves checkpoints to it.
  const resumeCheckpoints = pauseCheckpoints(db);
  // Cancelling while the worker finishes: it reads this flag between its steps (its thread is busy in SQLite, so a
  // message would wait until the end).
  const cancel = new SharedArrayBuffer(4);
  const raiseCancel = () => Atomics.store(new Int32Array(cancel), 0, 1);
  options.signal?.addEventListener('abort', raiseCancel, { once: true });
  const parser = startParser({
    file,
    encoding: options.encoding ?? 'utf-8',
    batchSize: options.batchSize ?? 10_000,
    maxListedRejections: options.maxListedRejections ?? 1000,
    cancel,
  });
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
  try {
    await new Promise<void>((resolve, reject) => {
      const cancel = () => reject(new ImportCancelledError());
      if (options.signal?.aborted) return cancel();
      options.signal?.addEventListener('abort', cancel, { once: true });
      parser.on('message', (m: ParseMessage) => {
        try {
          if (m.type === 'error') return reject(workerError(m));
          if (m.type === 'finished') return;
          report.read = m.read;
          report.rejectedCount = m.rejectedCount;
          report.rejected.push(...m.rejected);
          if (m.type === 'done') return resolve();
          if (options.signal?.aborted) return; // the abort listener rejects
          report.imported += staging.store(m.packed);
          parser.postMessage('stored');
          progress('reading', m.bytes);
        } catch (error) {
          reject(error);
        }
      });
      parser.on('error', reject);
      parser.on('exit', (code) => reject(new ImportFileError('io', `The file's reader stopped (exit code ${code}).`)));
    });
    if (options.signal?.aborted) throw new ImportCancelledError();
    progress('finishing', size);
    // A cancel from here on stops the worker between its steps (the sorted copy, each index build); once the swap's
    // transaction has begun the import completes. The swap either commits or the old register stays.
    const handed = staging.handOver();
    if (!handed) void parser.terminate(); // an in-memory database: this thread swaps (no other can reach it)
    const listDuplicates = options.maxListedRejections ?? 1000;
    const swapped = handed
      ? await finishOnWorker(parser, { type: 'finish', ...handed, at: clock().toISOString(), listDuplicates })
      : staging.swapIn(clock(), listDuplicates);
    staging.discard();
    report.registerSize = swapped.registerSize;
    withDuplicates(report, swapped.duplicates, listDuplicates);
  } catch (error) {
    staging.discard();
    void parser.terminate();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', raiseCancel);
    settling.set(db, workerEnded(parser).then(resumeCheckpoints));
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

/** A worker's error message as the error the caller sees. */
function workerError(m: Extract<ParseMessage, { type: 'error' }>): Error {
  if (m.code === 'cancelled') return new ImportCancelledError();
  return m.code === 'finish' ? new Error(m.message) : new ImportFileError(m.code, m.message);
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

/** Hands the staged rows to the worker, which builds and swaps in the register; resolves with what it swapped in. */
function finishOnWorker(parser: Worker, job: FinishJob): Promise<RegisterSwapped> {
  return new Promise<RegisterSwapped>((resolve, reject) => {
    parser.removeAllListeners('message');
    parser.on('message', (m: ParseMessage) => {
      if (m.type === 'finished') resolve({ registerSize: m.registerSize, duplicates: m.duplicates });
      else if (m.type === 'error') reject(workerError(m));
    });
    parser.on('error', reject);
    parser.on('exit', (code) => reject(new ImportFileError('io', `The register's builder stopped (exit code ${code}).`)));
    parser.postMessage(job);
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

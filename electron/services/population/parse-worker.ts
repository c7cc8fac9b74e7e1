/**
 * The register import's worker thread: reads the CSV, checks every row (IIN checksum, names, birth date and sex
 * against the IIN; IINs repeated in the file are found by the finishing step's sort), computes the search keys and
 * hands the good rows to the main thread in packed batches, with the rejected rows and the bytes read. The main
 * thread only inserts, so parsing and inserting use both cores. At most a few batches wait unacknowledged: the file
 * is read no faster than it is stored.
 * When the main thread has stored every batch it hands the staging file back (a FinishJob) and this thread builds
 * and swaps in the new register on a connection of its own (db/people-load.ts finishPersonImport): the minutes of
 * sorting and index building at 2,000,000 rows never hold the main thread's event loop.
 */
import fs from 'node:fs';
import { Transform } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { finishPersonImport, ImportFinishCancelled, type RegisterSwapped } from '../../../db/people-load';
import type { StagedRow } from '../../../db/person-packing';
import { csvChunkParser } from './csv-records';
import type { Rejection } from '../../../common/population-rejections';
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS, rowChecker, type RejectedRow } from './rows';

export interface ParseJob {
  file: string;
  encoding: 'utf-8' | 'windows-1251';
  batchSize: number;
  maxListedRejections: number;
  /** One Int32 the main thread sets to 1 when the import is cancelled; the finishing step reads it between steps. */
  cancel?: SharedArrayBuffer;
}

export type ParseMessage =
  | {
      type: 'batch';
      packed: string;
      rows: number;
      bytes: number;
      total: number;
      read: number;
      rejected: RejectedRow[];
      rejectedCount: number;
    }
  | { type: 'done'; read: number; rejectedCount: number; rejected: RejectedRow[] }
  | { type: 'error'; code: 'encoding' | 'header' | 'io' | 'finish' | 'cancelled'; message: string }
  | ({ type: 'finished' } & RegisterSwapped);

/** The main thread's order to build and swap in the new register from the staged rows. */
export interface FinishJob {
  type: 'finish';
  dbFile: string;
  stagingFile: string;
  /** The register's update stamp (ISO), from the main thread's clock. */
  at: string;
  /** Rows the main thread stored in the staging table. */
  staged: number;
  /** Rows with an IIN already seen earlier in the file: how many to list (they are all counted). */
  listDuplicates: number;
}

/** Batches sent and not yet stored by the main thread, before reading pauses. */
const IN_FLIGHT = 3;

class FileFault extends Error {
  constructor(
    readonly code: 'encoding' | 'header' | 'io',
    message: string,
  ) {
    super(message);
  }
}

/** A stream stage that refuses bytes that are not UTF-8, naming Windows-1251 when that is what they look like. */
function utf8Guard(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // Strings out (object mode): papaparse takes them as they are instead of turning Buffers back into text.
  return new Transform({
    readableObjectMode: true,
    readableHighWaterMark: 2,
    transform(chunk: Buffer, _enc, done) {
      try {
        done(null, decoder.decode(chunk, { stream: true }));
      } catch {
        const cyrillic1251 = chunk.some((b) => b >= 0xc0);
        done(
          new FileFault(
            'encoding',
            cyrillic1251
              ? 'The file is not UTF-8: it looks like Windows-1251. Save it as "CSV UTF-8" or import with --encoding windows-1251.'
              : 'The file is not UTF-8 text. Save it as "CSV UTF-8".',
          ),
        );
      }
    },
    flush(done) {
      try {
        const rest = decoder.decode();
        done(null, rest || undefined);
      } catch {
        done(new FileFault('encoding', 'The file is not UTF-8 text: it ends inside a character. Save it as "CSV UTF-8".'));
      }
    },
  });
}

function cp1251Decoder(): Transform {
  const decoder = new TextDecoder('windows-1251');
  return new Transform({
    readableObjectMode: true,
    readableHighWaterMark: 2,
    transform(chunk: Buffer, _enc, done) {
      done(null, decoder.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, decoder.decode() || undefined);
    },
  });
}

/** Parses the file, calling `send` for each message; `send` returns a promise when the reader must wait. */
export function parsePopulationFile(job: ParseJob, send: (m: ParseMessage) => Promise<void> | null): Promise<void> {
  const total = fs.statSync(job.file).size;
  // Bytes of the text parsed so far (not read ahead): the progress and the time left follow the rows.
  let bytes = 0;
  const byteLength = job.encoding === 'windows-1251' ? (t: string) => t.length : (t: string) => Buffer.byteLength(t);
  const source = fs.createReadStream(job.file, { highWaterMark: 1 << 20 });
  const decoded = source.pipe(job.encoding === 'windows-1251' ? cp1251Decoder() : utf8Guard());

  let packed: StagedRow[] = [];
  let read = 0;
  let rejectedCount = 0;
  let fresh: RejectedRow[] = [];
  let columns: string[] | null = null;
  let check: ReturnType<typeof rowChecker> | null = null;
  let iinAt = -1;
  let line = 1;
  const reject = (l: number, iin: string, why: Rejection) => {
    rejectedCount++;
    if (rejectedCount <= job.maxListedRejections) fresh.push({ line: l, iin, ...why });
  };
  const batch = (): ParseMessage => {
    const m: ParseMessage = {
      type: 'batch',
      packed: JSON.stringify(packed),
      rows: packed.length,
      bytes,
      total,
      read,
      rejected: fresh,
      rejectedCount,
    };
    packed = [];
    fresh = [];
    return m;
  };
  const onRow = (cells: string[]) => {
    if (!columns) {
      columns = cells.map((c) =>
        c
          .replace(/^\uFEFF/, '')
          .trim()
          .toLowerCase(),
      );
      const missing = REQUIRED_COLUMNS.filter((c) => !columns!.includes(c));
      if (missing.length)
        throw new FileFault(
          'header',
          `The header lacks the column(s): ${missing.join(', ')}. Expected: ${[...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].join(',')}`,
        );
      iinAt = columns.indexOf('iin');
      check = rowChecker(columns);
      return;
    }
    line++;
    if (cells.length === 1 && cells[0] === '') return; // blank line
    read++;
    const result = check!(cells);
    if (!Array.isArray(result)) return reject(line, cells[iinAt] ?? '', result);
    // An IIN repeated in the file is found when the new register is sorted (db/people-load.ts fillRegister).
    (result as StagedRow).push(line);
    packed.push(result);
  };

  // Reads the decoded text chunk by chunk; pauses the file while the main thread catches up.
  const records = csvChunkParser();
  return new Promise<void>((resolve, fail) => {
    let stopped = false;
    const stop = (error: unknown) => {
      if (stopped) return;
      stopped = true;
      fail(error);
      source.destroy();
    };
    const take = (rows: string[][]) => {
      for (const row of rows) {
        onRow(row);
        if (packed.length >= job.batchSize) {
          const wait = send(batch());
          if (wait) {
            decoded.pause();
            void wait.then(() => !stopped && decoded.resume());
          }
        }
      }
    };
    decoded.on('data', (text: string) => {
      if (stopped) return;
      try {
        bytes += byteLength(text);
        take(records.push(text));
      } catch (error) {
        stop(error);
      }
    });
    decoded.on('end', () => {
      if (stopped) return;
      try {
        take(records.end());
        if (packed.length) void send(batch());
        void send({ type: 'done', read, rejectedCount, rejected: fresh });
        resolve();
      } catch (error) {
        stop(error);
      }
    });
    decoded.on('error', (e) => stop(e));
    source.on('error', (e) => stop(new FileFault('io', `The CSV could not be read: ${e.message}`)));
  });
}

/** The thread's side: messages to the main thread, which answers 'stored' for each batch it has inserted. */
function runAsWorker(): void {
  const port = parentPort!;
  let inFlight = 0;
  let wake: (() => void) | null = null;
  port.on('message', (m: 'stored' | FinishJob) => {
    if (typeof m === 'object' && m.type === 'finish') {
      const flag = (workerData as ParseJob).cancel ? new Int32Array((workerData as ParseJob).cancel!) : null;
      let swapped = false;
      try {
        const cancelled = () => flag !== null && Atomics.load(flag, 0) === 1;
        // 'finished' as soon as the swap has committed; the checkpoint that follows is this thread's own tidying.
        const build = {
          dbFile: m.dbFile,
          stagingFile: m.stagingFile,
          at: new Date(m.at),
          staged: m.staged,
          listDuplicates: m.listDuplicates,
        };
        finishPersonImport(build, cancelled, (result) => {
          swapped = true;
          port.postMessage({ type: 'finished', ...result } satisfies ParseMessage);
        });
      } catch (error) {
        // After the swap nothing can undo it: a failed checkpoint is SQLite's to redo (at the next one).
        if (!swapped) {
          const code = error instanceof ImportFinishCancelled ? 'cancelled' : 'finish';
          port.postMessage({ type: 'error', code, message: error instanceof Error ? error.message : String(error) } satisfies ParseMessage);
        }
      }
      // Nothing more to do: the thread ends (the main thread waits for that before its own checkpoints resume).
      port.close();
      return;
    }
    if (m !== 'stored') return;
    inFlight--;
    if (inFlight < IN_FLIGHT && wake) {
      wake();
      wake = null;
    }
  });
  parsePopulationFile(workerData as ParseJob, (m) => {
    port.postMessage(m);
    if (m.type !== 'batch') return null;
    inFlight++;
    return inFlight >= IN_FLIGHT ? new Promise<void>((r) => (wake = r)) : null;
  }).catch((error: unknown) => {
    const code = error instanceof FileFault ? error.code : 'io';
    port.postMessage({ type: 'error', code, message: error instanceof Error ? error.message : String(error) } satisfies ParseMessage);
  });
}

if (parentPort && (workerData as { populationImport?: boolean } | undefined)?.populationImport) runAsWorker();

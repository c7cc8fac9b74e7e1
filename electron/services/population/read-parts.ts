/**
 * The reading half of a register import (population-import.ts): a large file split at the first line break after
 * its middle, one worker thread per part (parse-worker.ts) storing its own rows, and the parts' counts and rejected
 * rows merged into one account in the file's line order. This thread only tallies messages.
 */
import fs from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../worker-thread';
import type { ParseJob, ParseMessage } from './parse-worker';
import type { RejectedRow } from './rows';

/**
 * Young-generation space for each reader: its garbage is millions of short-lived strings and arrays, and with
 * V8's default a fifth of the thread's time went to scavenges. 192 MB read 2,000,000 rows in 6.4 s against 8.0 s
 * (48 MB and 384 MB were no better than the default; measured in a worker, two runs each).
 */
const YOUNG_GENERATION_MB = 192;

/** The worker: the bundled script beside the built main process, or the TypeScript source through tsx. */
export function startReader(job: ParseJob): Worker {
  return startWorker(new URL('./population-import-worker.js', import.meta.url), new URL('./parse-worker.ts', import.meta.url), {
    workerData: { ...job, populationImport: true },
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
}

/**
 * Where the second part starts: just after the first line break at or after the middle, or null when the file is
 * smaller than `splitFrom` bytes or has no line break in its second half (one part, one thread).
 */
export function splitPoint(file: string, size: number, splitFrom: number): number | null {
  if (size < splitFrom || size < 2) return null;
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1 << 16);
    for (let at = Math.floor(size / 2); at < size; at += buffer.length) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, at);
      if (n <= 0) return null;
      const lf = buffer.subarray(0, n).indexOf(10);
      if (lf >= 0) return at + lf + 1 < size ? at + lf + 1 : null;
    }
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** The parts read: the rows stored in each part's staging file, and the rejected ones, as one file's account. */
export interface PartsRead {
  read: number;
  staged: number;
  rejectedCount: number;
  /** The first `maxListedRejections` rejected rows, in line order. */
  rejected: RejectedRow[];
  /** The staging files that hold the file's rows (the first part's alone when it read the whole file). */
  stagingFiles: string[];
  /** The first part's last line: the second part's lines are numbered on from it. */
  lineOffset: number;
}

export interface PartsReading {
  /** Every reader started; the first part's goes on to finish the import. */
  readers: Worker[];
  done: Promise<PartsRead>;
}

type PartState = Extract<ParseMessage, { type: 'done' }> | null;

/**
 * Starts one reader per part and settles when the file is read: `progress` gets the bytes and rows so far. A
 * failure of the first part fails the reading at once; the second part's waits for the first part's end (its
 * rows, and its failure, are void if the first part read on to the end).
 */
export function readInParts(
  job: Omit<ParseJob, 'part' | 'start' | 'end' | 'stagingFile'>,
  { size, split, stagingFiles }: { size: number; split: number | null; stagingFiles: readonly string[] },
  progress: (bytes: number, rows: number) => void,
): PartsReading {
  const ranges =
    split === null
      ? [[0, size]]
      : [
          [0, split],
          [split, size],
        ];
  const readers = ranges.map(([start, end], i) =>
    startReader({ ...job, part: i as 0 | 1, start: start!, end: end!, stagingFile: stagingFiles[i]! }),
  );
  const bytes = ranges.map(() => 0);
  const rows = ranges.map(() => 0);
  const rejected: RejectedRow[][] = ranges.map(() => []);
  const done: PartState[] = ranges.map(() => null);
  let secondFailed: Error | null = null;
  // Once the first reader reads on to the end, the second one's work is void: stopped, and its counts forgotten.
  let secondVoid = false;
  const voidSecond = () => {
    secondVoid = true;
    bytes[1] = rows[1] = 0;
    if (readers[1]) void readers[1].terminate();
  };
  const finished = new Promise<PartsRead>((resolve, reject) => {
    const settle = () => {
      const first = done[0];
      if (!first) return;
      // (A first part that read the whole file has already voided the second: its 'whole-file' came before 'done'.)
      const second = first.wholeFile ? null : (done[1] ?? null);
      if (!first.wholeFile && readers.length > 1) {
        if (secondFailed) return reject(secondFailed);
        if (!second) return;
      }
      const lineOffset = first.lines;
      const listed = [...rejected[0]!, ...(second ? rejected[1]!.map((r) => ({ ...r, line: r.line + lineOffset })) : [])];
      resolve({
        read: first.read + (second?.read ?? 0),
        staged: first.staged + (second?.staged ?? 0),
        rejectedCount: first.rejectedCount + (second?.rejectedCount ?? 0),
        rejected: listed.slice(0, job.maxListedRejections),
        stagingFiles: stagingFiles.slice(0, second ? 2 : 1),
        lineOffset,
      });
    };
    readers.forEach((reader, i) => {
      const failed = (error: Error) => {
        if (i === 0) return reject(error);
        if (secondVoid) return;
        secondFailed ??= error;
        settle();
      };
      reader.on('message', (m: ParseMessage) => {
        if (m.type === 'error') return failed(new PartError(m));
        if (m.type === 'whole-file') return voidSecond();
        if ((m.type !== 'progress' && m.type !== 'done') || (i === 1 && secondVoid)) return;
        bytes[i] = m.bytes;
        rows[i] = m.read;
        rejected[i]!.push(...m.rejected);
        progress(
          Math.min(
            size,
            bytes.reduce((a, b) => a + b, 0),
          ),
          rows.reduce((a, b) => a + b, 0),
        );
        if (m.type === 'done') {
          done[i] = m;
          settle();
        }
      });
      reader.on('error', failed);
      reader.on('exit', (code) => {
        if (!done[i]) failed(new PartError({ code: 'io', message: `The file's reader stopped (exit code ${code}).` }));
      });
    });
  });
  return { readers, done: finished };
}

/** A reader's failure as its message told it (population-import.ts turns it into the caller's error). */
export class PartError extends Error {
  readonly code: Extract<ParseMessage, { type: 'error' }>['code'];
  constructor(m: Pick<Extract<ParseMessage, { type: 'error' }>, 'code' | 'message'>) {
    super(m.message);
    this.code = m.code;
  }
}

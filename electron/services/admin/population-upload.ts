/**
 * The population-register import from the Administration screen: the chosen CSV arrives in chunks over the API
 * (the same calls over Electron IPC and the web host, whose request body is capped at 2 MB), lands in a file in
 * the data folder's `imports/`, and is then imported by the same service as `tirkeu import-population`
 * (population-import.ts) in the background, while the screen asks for the progress.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../common/errors';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { actorOf } from '../auth';
import { FIELD_OF, type RejectedField } from '../../../common/population-rejections';
import type { Language } from '../../../common/roles';
import { ImportCancelledError, ImportFileError, importPopulationCsv, rejectedRowsCsv, type RejectedRow } from '../population-import';

/** A rejected row with the column it is about (the screen names it by its label). */
const withField = (r: RejectedRow): RejectedRow & { field: RejectedField } => ({ ...r, field: FIELD_OF[r.code] });

export type UploadState = 'uploading' | 'importing' | 'done' | 'failed' | 'cancelled';

export interface UploadStatus {
  id: string;
  state: UploadState;
  fileName: string;
  /** Bytes received (uploading) or read by the import (importing) of `total`. */
  done: number;
  total: number;
  rows: number;
  phase: 'reading' | 'finishing' | null;
  rowsPerSecond: number;
  secondsLeft: number | null;
  report: { read: number; imported: number; rejectedCount: number; seconds: number } | null;
  /** The first rejected rows, each with the column it is about. */
  rejected: Array<RejectedRow & { field: RejectedField }>;
  error: { code: 'encoding' | 'header' | 'io' | 'internal'; message: string } | null;
}

interface Upload extends UploadStatus {
  file: string;
  app: AppContext;
  allRejected: RejectedRow[];
  abort: AbortController | null;
}

const SHOWN_REJECTIONS = 50;
const uploads = new Map<string, Upload>();

function importsDir(app: AppContext): string {
  return path.join(app.dataDir, 'imports');
}

function uploadOf(app: AppContext, id: string): Upload {
  const u = uploads.get(id);
  if (!u || u.app !== app) throw new ApiError('not-found', `no upload ${id}`, { id });
  return u;
}

const statusOf = ({ file: _f, app: _a, allRejected: _r, abort: _c, ...status }: Upload): UploadStatus => status;

/** Uploads remembered for their status and rejected rows; older ones are forgotten (and their files removed). */
const KEPT_UPLOADS = 5;

export function beginUpload(app: AppContext, fileName: string, total: number): UploadStatus {
  const dir = importsDir(app);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  forgetOldUploads(app);
  const id = randomBytes(12).toString('hex');
  // In a folder of its own under its own name: the import's audit entry names the file the administrator chose.
  const safeName = path.basename(fileName).replace(/[^\p{L}\p{N}._ -]/gu, '_') || 'population.csv';
  fs.mkdirSync(path.join(dir, id), { mode: 0o700 });
  const file = path.join(dir, id, safeName);
  fs.writeFileSync(file, '', { mode: 0o600 });
  const u: Upload = {
    id,
    state: 'uploading',
    fileName: path.basename(fileName),
    done: 0,
    total,
    rows: 0,
    phase: null,
    rowsPerSecond: 0,
    secondsLeft: null,
    report: null,
    rejected: [],
    error: null,
    file,
    app,
    allRejected: [],
    abort: null,
  };
  uploads.set(id, u);
  return statusOf(u);
}

/** One chunk at its offset: chunks come in order, a repeated one (a retry) is ignored. */
export function appendChunk(app: AppContext, id: string, offset: number, base64: string): UploadStatus {
  const u = uploadOf(app, id);
  if (u.state !== 'uploading') throw new ApiError('conflict', `upload ${id} is ${u.state}`);
  const bytes = Buffer.from(base64, 'base64');
  if (offset < u.done) return statusOf(u);
  if (offset !== u.done || u.done + bytes.length > u.total)
    throw new ApiError('validation', `chunk at ${offset} does not follow ${u.done} of ${u.total}`, undefined, ['offset']);
  fs.appendFileSync(u.file, bytes);
  u.done += bytes.length;
  return statusOf(u);
}

/** Starts the import of a complete upload; the screen follows it with `uploadStatus`. */
export function startImport(app: AppContext, admin: StaffRow, id: string, encoding?: 'utf-8' | 'windows-1251'): UploadStatus {
  const u = uploadOf(app, id);
  if (u.state !== 'uploading') throw new ApiError('conflict', `upload ${id} is ${u.state}`);
  if (u.done !== u.total) throw new ApiError('validation', `the upload has ${u.done} of ${u.total} bytes`, undefined, ['offset']);
  u.state = 'importing';
  u.done = 0;
  u.phase = 'reading';
  u.abort = new AbortController();
  void importPopulationCsv(app.db, u.file, {
    actor: actorOf(admin),
    clock: app.clock,
    encoding,
    signal: u.abort.signal,
    onProgress: (p) =>
      Object.assign(u, {
        done: p.bytes,
        total: p.total,
        rows: p.rows,
        phase: p.phase,
        rowsPerSecond: Math.round(p.rowsPerSecond),
        secondsLeft: p.secondsLeft === null ? null : Math.round(p.secondsLeft),
      }),
  })
    .then((report) => {
      u.state = 'done';
      u.phase = null;
      u.secondsLeft = 0;
      u.done = u.total;
      u.rows = report.read;
      u.report = { read: report.read, imported: report.imported, rejectedCount: report.rejectedCount, seconds: report.seconds };
      u.allRejected = report.rejected;
      u.rejected = report.rejected.slice(0, SHOWN_REJECTIONS).map(withField);
      app.log.info('population.import-ui', { read: report.read, imported: report.imported, rejected: report.rejectedCount });
    })
    .catch((error: unknown) => {
      u.phase = null;
      u.secondsLeft = null;
      if (error instanceof ImportCancelledError) {
        u.state = 'cancelled';
        app.log.info('population.import-cancelled', { rows: u.rows });
        return;
      }
      u.state = 'failed';
      u.error =
        error instanceof ImportFileError
          ? { code: error.code, message: error.message }
          : { code: 'internal', message: 'the import stopped; the register is as it was before' };
      if (!(error instanceof ImportFileError)) app.log.error('population.import-failed', { error: (error as Error).message });
    })
    .finally(() => {
      u.abort = null;
      fs.rmSync(path.dirname(u.file), { recursive: true, force: true });
    });
  return statusOf(u);
}

/** Cancels a running import (the register stays as it was); the status turns 'cancelled' when it has stopped. */
export function cancelImport(app: AppContext, id: string): UploadStatus {
  const u = uploadOf(app, id);
  if (u.state !== 'importing') throw new ApiError('conflict', `upload ${id} is ${u.state}`);
  u.abort?.abort();
  return statusOf(u);
}

/** Keeps the newest uploads of this context; removes the folders an earlier run left behind. */
function forgetOldUploads(app: AppContext): void {
  const mine = [...uploads.values()].filter((u) => u.app === app);
  for (const u of mine.slice(0, Math.max(0, mine.length - KEPT_UPLOADS + 1))) {
    if (u.state === 'importing') continue;
    uploads.delete(u.id);
    fs.rmSync(path.dirname(u.file), { recursive: true, force: true });
  }
  const known = new Set(mine.map((u) => u.id));
  for (const name of fs.readdirSync(importsDir(app)))
    if (!known.has(name)) fs.rmSync(path.join(importsDir(app), name), { recursive: true, force: true });
}

export function uploadStatus(app: AppContext, id: string): UploadStatus {
  return statusOf(uploadOf(app, id));
}

/** Every listed rejected row (up to 1000) as the file the administrator saves, in the language asked for. */
export function rejectedRows(app: AppContext, id: string, lang: Language): { fileName: string; csv: string; rows: number } {
  const u = uploadOf(app, id);
  if (u.state !== 'done') throw new ApiError('conflict', `upload ${id} is ${u.state}`);
  return {
    fileName: u.fileName.replace(/\.csv$/i, '') + '.rejected.csv',
    csv: rejectedRowsCsv(u.allRejected, lang),
    rows: u.allRejected.length,
  };
}

/**
 * Import of the population register (ЖТ МДБ extract) from CSV.
 *
 * Every row is checked on its own: a broken row is rejected with its line number and reason and the others go
 * in. Rows are committed in batches so a 2,000,000-row refresh never holds the writer for long (the desk keeps
 * working during an import); re-running the same file is idempotent (upsert by IIN). The file must be UTF-8;
 * Windows-1251 (what Excel often saves) is recognised and named, or read with `encoding: 'windows-1251'`.
 */
import Papa from 'papaparse';
import fs from 'node:fs';
import { Transform } from 'node:stream';
import { parseIin } from '../../common/iin';
import type { Person } from '../../common/schemas';
import { appendAudit, type Actor } from '../../db/audit';
import type { Db } from '../../db/connection';
import { countPeople, upsertPerson, withoutNameIndex } from '../../db/people';
import { systemClock } from '../../common/clock';
import type { Language } from '../../common/roles';
import {
  FIELD_OF,
  rejectedFieldLabel,
  rejectedRowsHeader,
  rejectionText,
  type Rejection,
  type RejectionCode,
} from '../../common/population-rejections';
import { toCsv } from './csv';

export const REQUIRED_COLUMNS = ['iin', 'surname', 'given_name'] as const;
export const OPTIONAL_COLUMNS = ['patronymic', 'birth_date', 'sex', 'address', 'phone'] as const;

/** A rejected row: its line, the IIN as typed and why, as a code with parameters (common/population-rejections.ts). */
export interface RejectedRow extends Rejection {
  line: number;
  iin: string;
}

export interface ImportReport {
  read: number;
  imported: number;
  rejected: RejectedRow[];
  /** Rejections past this many are counted but not listed. */
  rejectedCount: number;
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

export interface ImportOptions {
  actor: Actor;
  clock?: () => Date;
  encoding?: 'utf-8' | 'windows-1251';
  batchSize?: number;
  /** Called after each batch with bytes read so far and the file size. */
  onProgress?: (done: number, total: number, rows: number) => void;
  maxListedRejections?: number;
}

const NAME_RE = /^[\p{L}][\p{L}\p{M}' -]*$/u;

const rejected = (code: RejectionCode, params?: Rejection['params']): Rejection => (params ? { code, params } : { code });

/** Validates one CSV record; returns the person or why it is rejected. */
export function rowToPerson(rec: Record<string, string>): Person | Rejection {
  const iin = (rec.iin ?? '').trim();
  const parsed = parseIin(iin);
  if (!parsed.valid) return rejected('iin-invalid', { reason: parsed.reason });
  const surname = (rec.surname ?? '').trim();
  const given = (rec.given_name ?? '').trim();
  const patronymic = (rec.patronymic ?? '').trim() || null;
  if (!surname) return rejected('surname-missing');
  if (!NAME_RE.test(surname)) return rejected('surname-not-letters');
  if (!given) return rejected('given-name-missing');
  if (!NAME_RE.test(given)) return rejected('given-name-not-letters');
  if (patronymic && !NAME_RE.test(patronymic)) return rejected('patronymic-not-letters');
  const birth = (rec.birth_date ?? '').trim();
  if (birth && birth !== parsed.birthDate) return rejected('birth-date-mismatch', { given: birth, fromIin: parsed.birthDate });
  const sex = (rec.sex ?? '').trim().toUpperCase();
  if (sex && sex !== parsed.sex) return rejected('sex-mismatch', { given: sex, fromIin: parsed.sex });
  return {
    iin,
    surname,
    givenName: given,
    patronymic,
    birthDate: parsed.birthDate,
    sex: parsed.sex,
    address: (rec.address ?? '').trim().slice(0, 200) || null,
    phone: (rec.phone ?? '').trim().slice(0, 32) || null,
    source: 'register',
  };
}

/** A stream stage that refuses bytes that are not UTF-8, naming Windows-1251 when that is what they look like. */
function utf8Guard(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        done(null, decoder.decode(chunk, { stream: true }));
      } catch {
        const cyrillic1251 = chunk.some((b) => b >= 0xc0);
        done(
          new ImportFileError(
            'encoding',
            cyrillic1251
              ? 'The file is not UTF-8: it looks like Windows-1251. Save it as "CSV UTF-8" or import with --encoding windows-1251.'
              : 'The file is not UTF-8 text. Save it as "CSV UTF-8".',
          ),
        );
      }
    },
  });
}

function cp1251Decoder(): Transform {
  const decoder = new TextDecoder('windows-1251');
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, decoder.decode(chunk, { stream: true }));
    },
  });
}

export async function importPopulationCsv(db: Db, file: string, options: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const clock = options.clock ?? systemClock;
  const total = fs.statSync(file).size;
  let bytes = 0;
  const source = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  source.on('data', (c) => (bytes += (c as Buffer).length));
  const decoded = source.pipe(options.encoding === 'windows-1251' ? cp1251Decoder() : utf8Guard());

  const batchSize = options.batchSize ?? 20_000;
  const maxListed = options.maxListedRejections ?? 1000;
  const report: ImportReport = { read: 0, imported: 0, rejected: [], rejectedCount: 0, seconds: 0 };
  const seen = new Set<string>();
  let batch: Person[] = [];
  const flush = db.transaction((people: Person[], at: Date) => {
    const stamp = at.toISOString();
    for (const p of people) upsertPerson(db, p, stamp);
  });
  const commit = () => {
    if (batch.length === 0) return;
    flush.immediate(batch, clock());
    report.imported += batch.length;
    batch = [];
    options.onProgress?.(bytes, total, report.read);
  };
  const reject = (line: number, iin: string, why: Rejection) => {
    report.rejectedCount++;
    if (report.rejected.length < maxListed) report.rejected.push({ line, iin, ...why });
  };

  // A bigger page cache while importing: rows arrive in IIN-random order, so both B-trees take random inserts.
  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -262144');
  let columns: string[] | null = null;
  let line = 1;
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
        throw new ImportFileError(
          'header',
          `The header lacks the column(s): ${missing.join(', ')}. Expected: ${[...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].join(',')}`,
        );
      return;
    }
    line++;
    if (cells.length === 1 && cells[0] === '') return; // blank line
    report.read++;
    const record: Record<string, string> = {};
    for (let i = 0; i < columns.length; i++) record[columns[i]!] = cells[i] ?? '';
    const result = rowToPerson(record);
    if ('code' in result) return reject(line, record.iin ?? '', result);
    if (seen.has(result.iin)) return reject(line, result.iin, rejected('duplicate'));
    seen.add(result.iin);
    batch.push(result);
    if (batch.length >= batchSize) commit();
  };

  const load = () =>
    new Promise<void>((resolve, reject) => {
      decoded.on('error', reject);
      Papa.parse<string[]>(decoded as unknown as File, {
        skipEmptyLines: false,
        chunk: (results, parser) => {
          try {
            for (const row of results.data) onRow(row);
          } catch (error) {
            reject(error); // before abort(): aborting calls complete(), which would resolve first
            parser.abort();
          }
        },
        complete: () => resolve(),
        error: (error: Error) => reject(new ImportFileError('io', `The CSV could not be read: ${error.message}`)),
      });
    }).then(commit);
  try {
    await (countPeople(db) === 0 ? withoutNameIndex(db, load) : load());
  } finally {
    // Batches already committed stay: each is a consistent set of whole rows and re-running the file is safe.
    source.destroy();
    db.pragma(`cache_size = ${cacheBefore}`);
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

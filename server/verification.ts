/**
 * The verification records on the central server (issue 19): applied from the desks' `document.verification`
 * operations, looked up by the public page, counted per check. The code never reaches the server; its SHA-256,
 * bound to the number, does. A lookup compares hashes in constant time, and an unknown number costs the same
 * comparison as a wrong code, so the answer and its timing say nothing about which numbers exist.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  codeHashInput,
  DOCUMENT_KINDS,
  DOCUMENT_NUMBER,
  DOCUMENT_STATUSES,
  normalizeCode,
  type DocumentKind,
  type DocumentShows,
  type DocumentStatus,
  type VerificationCheckCount,
  type VerificationPayload,
} from '../common/verification';
import { verifyDetached } from '../pki/verify-detached';
import type { ServerDb, Sql } from './db';
import type { Workstation } from './enrollment';

const HEX64 = /^[0-9a-f]{64}$/;
const ISO = /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:\d\d))?$/;
const MAX_SHOWS = 16 * 1024;

/** The outcome of the CAdES check made when a signed document's record arrived. */
export interface SignatureCheck {
  verified: boolean;
  signers: Array<{ name: string | null; signedAt: string | null; ok: boolean }>;
}

export class VerificationOpError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The payload checked field by field; a bad one is named. */
export function readVerificationPayload(raw: unknown): VerificationPayload {
  const p = (raw ?? {}) as Partial<VerificationPayload>;
  const bad = (field: string, what: string) => new VerificationOpError('invalid-payload', `${field}: ${what}`);
  if (typeof p.number !== 'string' || !DOCUMENT_NUMBER.test(p.number)) throw bad('number', 'not a document number');
  if (!(DOCUMENT_KINDS as readonly unknown[]).includes(p.kind)) throw bad('kind', `one of ${DOCUMENT_KINDS.join(', ')}`);
  if (typeof p.codeHash !== 'string' || !HEX64.test(p.codeHash)) throw bad('codeHash', '64 lowercase hex digits');
  if (!(DOCUMENT_STATUSES as readonly unknown[]).includes(p.status)) throw bad('status', `one of ${DOCUMENT_STATUSES.join(', ')}`);
  if (typeof p.issuedAt !== 'string' || !ISO.test(p.issuedAt)) throw bad('issuedAt', 'an ISO time');
  if (p.statusAt != null && (typeof p.statusAt !== 'string' || !ISO.test(p.statusAt))) throw bad('statusAt', 'an ISO time');
  if (p.statusReason != null && (typeof p.statusReason !== 'string' || p.statusReason.length > 300)) throw bad('statusReason', 'text');
  const s = p.shows as DocumentShows | undefined;
  if (!s || typeof s !== 'object' || !s.title || !s.organization || !Array.isArray(s.lines) || !Array.isArray(s.signers))
    throw bad('shows', 'what the paper shows');
  if (JSON.stringify(s).length > MAX_SHOWS) throw bad('shows', `at most ${MAX_SHOWS} characters`);
  return p as VerificationPayload;
}

/** An anonymous document's record keeps no person, whatever a desk sent. */
function anonymised(kind: DocumentKind, shows: DocumentShows): DocumentShows {
  return kind === 'hiv-certificate' ? { ...shows, person: null, iin: null } : shows;
}

/** Verifies a signed document's CAdES over its canonical bytes, which must be this organization's document. */
export function checkSignature(orgBin: string, number: string, signed: { document: string; cms: string }): SignatureCheck {
  const document = Buffer.from(signed.document, 'base64');
  const cms = Buffer.from(signed.cms, 'base64');
  let content: { number?: unknown; organization?: { bin?: unknown } } = {};
  try {
    content = JSON.parse(document.toString('utf8')) as typeof content;
  } catch {
    return { verified: false, signers: [] };
  }
  const v = verifyDetached(cms, document);
  const ours = content.number === number && content.organization?.bin === orgBin;
  return {
    verified: v.valid && ours,
    signers: v.signers.map((s) => ({ name: s.certificate?.name ?? null, signedAt: s.signingTime, ok: s.ok })),
  };
}

/**
 * Stores a desk's record, or its new status. The first code hash of a number stands: a record with another one is
 * refused (the paper printed first keeps its code).
 */
export async function applyVerificationOp(tx: Sql, ws: Workstation, raw: unknown, receivedAt: string): Promise<void> {
  const p = readVerificationPayload(raw);
  const signature = p.signed ? JSON.stringify(checkSignature(ws.orgBin, p.number, p.signed)) : null;
  const r = await tx.query<{ code_hash: string }>(
    `INSERT INTO document_verification (org_bin, number, kind, code_hash, status, status_reason, status_at, issued_at, shows, signature,
                                        workstation_id, received_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
     ON CONFLICT (org_bin, number) DO UPDATE SET
       status = CASE WHEN document_verification.code_hash = excluded.code_hash THEN excluded.status ELSE document_verification.status END,
       status_reason = CASE WHEN document_verification.code_hash = excluded.code_hash THEN excluded.status_reason ELSE document_verification.status_reason END,
       status_at = CASE WHEN document_verification.code_hash = excluded.code_hash THEN excluded.status_at ELSE document_verification.status_at END,
       signature = COALESCE(excluded.signature, document_verification.signature),
       updated_at = excluded.updated_at
     RETURNING code_hash`,
    [
      ws.orgBin,
      p.number,
      p.kind,
      p.codeHash,
      p.status,
      p.statusReason ?? null,
      p.statusAt ?? null,
      p.issuedAt,
      JSON.stringify(anonymised(p.kind, p.shows)),
      signature,
      ws.id,
      receivedAt,
    ],
  );
  if (r.rows[0]?.code_hash !== p.codeHash)
    throw new VerificationOpError('code-mismatch', `${p.number}: the server holds another code for this document`);
}

/** What the page shows of a confirmed document. */
export interface VerifiedDocument {
  number: string;
  kind: DocumentKind;
  status: DocumentStatus;
  statusAt: string | null;
  issuedAt: string;
  orgBin: string;
  shows: DocumentShows;
  signature: SignatureCheck | null;
  checks: number;
}

/** A hash compared when no record has the number, so an unknown number takes as long as a wrong code. */
const DUMMY = createHash('sha256').update('tirkeu-verify:none').digest();

/**
 * The page's checks, counted in memory and written in one statement a second (and before the counts are read or
 * the server closes): a write and its commit on every check would make each look-up wait for the disk. A crash
 * loses at most the last second's counts, which are statistics, not records.
 */
export class CheckCounter {
  private pending = new Map<string, { orgBin: string; number: string; n: number; at: string }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: ServerDb,
    private readonly intervalMs = 1000,
  ) {}

  /** Counts one check; returns the checks not yet written for this document, this one included. */
  note(orgBin: string, number: string, at: Date): number {
    const key = `${orgBin}\u0000${number}`;
    const e = this.pending.get(key) ?? { orgBin, number, n: 0, at: '' };
    e.n++;
    e.at = at.toISOString();
    this.pending.set(key, e);
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.intervalMs).unref();
    return e.n;
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const rows = [...this.pending.values()];
    this.pending = new Map();
    await this.db.query(
      `UPDATE document_verification d SET checks = d.checks + x.n, last_checked_at = GREATEST(d.last_checked_at, x.at::timestamptz)
         FROM jsonb_to_recordset($1::jsonb) AS x(org_bin text, number text, n int, at text)
        WHERE d.org_bin = x.org_bin AND d.number = x.number`,
      [JSON.stringify(rows.map((r) => ({ org_bin: r.orgBin, number: r.number, n: r.n, at: r.at })))],
    );
  }
}

/**
 * The document with this number and code, counting the check; null for a wrong code, an unknown number or a
 * malformed code alike.
 */
export async function verifyDocument(
  db: ServerDb,
  counter: CheckCounter,
  number: string,
  rawCode: string,
  now: Date,
): Promise<VerifiedDocument | null> {
  const code = normalizeCode(rawCode) ?? '';
  const given = createHash('sha256').update(codeHashInput(number, code)).digest();
  const rows = DOCUMENT_NUMBER.test(number)
    ? (
        await db.query<{
          org_bin: string;
          kind: string;
          code_hash: string;
          status: string;
          status_at: string | null;
          issued_at: string;
          shows: string;
          signature: string | null;
          checks: string | number;
        }>(
          `SELECT org_bin, kind, code_hash, status, to_json(status_at)#>>'{}' AS status_at, to_json(issued_at)#>>'{}' AS issued_at,
                  shows, signature, checks
             FROM document_verification WHERE number = $1 LIMIT 16`,
          [number],
        )
      ).rows
    : [];
  let match: (typeof rows)[number] | null = null;
  if (rows.length === 0) timingSafeEqual(given, DUMMY);
  for (const row of rows) if (timingSafeEqual(Buffer.from(row.code_hash, 'hex'), given) && code) match = row;
  if (!match) return null;
  const pending = counter.note(match.org_bin, number, now);
  return {
    number,
    kind: match.kind as DocumentKind,
    status: match.status as DocumentStatus,
    statusAt: match.status_at,
    issuedAt: match.issued_at,
    orgBin: match.org_bin,
    shows: JSON.parse(match.shows) as DocumentShows,
    signature: match.signature ? (JSON.parse(match.signature) as SignatureCheck) : null,
    checks: Number(match.checks) + pending,
  };
}

/** The organization's checked documents, most checked first: what its administrator sees. */
export async function checkCounts(db: ServerDb, counter: CheckCounter, orgBin: string, limit = 500): Promise<VerificationCheckCount[]> {
  await counter.flush();
  const r = await db.query<{ number: string; kind: string; status: string; checks: string | number; last_checked_at: string | null }>(
    `SELECT number, kind, status, checks, to_json(last_checked_at)#>>'{}' AS last_checked_at
       FROM document_verification WHERE org_bin = $1 AND checks > 0 ORDER BY checks DESC, number LIMIT $2`,
    [orgBin, limit],
  );
  return r.rows.map((row) => ({
    number: row.number,
    kind: row.kind as DocumentKind,
    status: row.status as DocumentStatus,
    checks: Number(row.checks),
    lastCheckedAt: row.last_checked_at,
  }));
}

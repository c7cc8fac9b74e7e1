/**
 * A document checked at the desk (issue 19): the scanner types the URL of a printed document's QR code, the
 * renderer finds `/v/<number>/<code>` in it and asks here. This desk's own documents are checked against its own
 * records (offline too); a document of another desk is asked of the central server's page, as anyone would.
 * The administrator revokes a document here; the count of the page's checks comes from the server.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { DocumentCheck } from '../../../common/api/verifications';
import { ApiError } from '../../../common/errors';
import { HEADER_PROTOCOL, HEADER_SCHEMA, SYNC_PROTOCOL } from '../../../common/sync-protocol';
import {
  normalizeCode,
  verificationPath,
  type DocumentKind,
  type DocumentShows,
  type DocumentStatus,
  type VerificationCheckCount,
} from '../../../common/verification';
import { SCHEMA_VERSION } from '../../../db/migrations';
import type { StaffRow } from '../../../db/staff';
import { getEnrollment } from '../../../db/sync';
import { getVerification, type VerificationRow } from '../../../db/verifications';
import type { AppContext } from '../app';
import { actorOf } from '../auth';
import { syncCredential } from '../sealed-settings';
import { request } from '../sync/http';
import { changeVerificationStatus } from './records';

const sha = (s: string) => createHash('sha256').update(s).digest();

function fromRow(row: VerificationRow): DocumentCheck {
  return {
    found: true,
    source: 'local',
    number: row.number,
    kind: row.kind as DocumentKind,
    status: row.status as DocumentStatus,
    statusReason: row.status_reason,
    shows: JSON.parse(row.shows) as DocumentShows,
    requestId: row.request_id,
    personIin: row.kind === 'hiv-certificate' ? null : row.person_iin,
    signatureVerified: null,
  };
}

const notFound = (number: string, source: DocumentCheck['source']): DocumentCheck => ({
  found: false,
  source,
  number,
  kind: null,
  status: null,
  statusReason: null,
  shows: null,
  requestId: null,
  personIin: null,
  signatureVerified: null,
});

/** The central server's JSON answer for a document this desk did not issue; null when it cannot be reached. */
async function askServer(app: AppContext, number: string, code: string): Promise<DocumentCheck | null> {
  const enrollment = getEnrollment(app.db);
  if (!enrollment) return null;
  try {
    const res = await request('GET', `${enrollment.serverUrl}${verificationPath(number, code)}`, {
      headers: { accept: 'application/json' },
      timeoutMs: 5_000,
    });
    if (res.status === 404) return notFound(number, 'server');
    if (res.status !== 200) return null;
    const j = JSON.parse(res.body) as {
      kind: DocumentKind;
      status: DocumentStatus;
      title: DocumentShows['title'];
      organization: DocumentShows['organization'];
      issuedOn: string;
      person: string | null;
      iin: string | null;
      anonymousCode: string | null;
      lines: DocumentShows['lines'];
      signers: DocumentShows['signers'];
      signature: { verified: boolean } | null;
    };
    return {
      found: true,
      source: 'server',
      number,
      kind: j.kind,
      status: j.status,
      statusReason: null,
      shows: {
        title: j.title,
        person: j.person,
        iin: j.iin,
        anonymousCode: j.anonymousCode,
        organization: j.organization,
        issuedOn: j.issuedOn,
        lines: j.lines,
        signers: j.signers,
      },
      requestId: null,
      personIin: null,
      signatureVerified: j.signature?.verified ?? null,
    };
  } catch {
    return null;
  }
}

/** Checks a number and code: this desk's record first, else the server; `offline` when neither can say. */
export async function checkDocument(app: AppContext, a: { number: string; code: string }): Promise<DocumentCheck> {
  const code = normalizeCode(a.code);
  if (!code) throw new ApiError('validation', 'code: 16 characters of the printed code', {}, ['code']);
  const row = getVerification(app.db, a.number);
  if (row) {
    // A wrong code for one of this desk's numbers is "not found", as on the page.
    return timingSafeEqual(sha(row.code), sha(code)) ? fromRow(row) : notFound(a.number, 'local');
  }
  return (await askServer(app, a.number, code)) ?? notFound(a.number, 'offline');
}

/** The administrator revokes an issued document: its page says so from the next sync on. */
export function revokeDocument(app: AppContext, staff: StaffRow, a: { number: string; reason: string }): DocumentCheck {
  const row = getVerification(app.db, a.number);
  if (!row) throw new ApiError('not-found', `no document ${a.number} was issued at this workstation`, { number: a.number }, ['number']);
  if (row.status !== 'valid')
    throw new ApiError('validation', `number: ${a.number} is already ${row.status}`, { number: a.number }, ['number']);
  changeVerificationStatus(app, actorOf(staff), a.number, 'revoked', a.reason);
  return fromRow(getVerification(app.db, a.number)!);
}

/** The page's check counts of this organization's documents, from the central server. */
export async function checkCounts(app: AppContext): Promise<{ reachable: boolean; documents: VerificationCheckCount[] }> {
  const enrollment = getEnrollment(app.db);
  const credential = enrollment ? syncCredential(app) : null;
  if (!enrollment || !credential) return { reachable: false, documents: [] };
  try {
    const res = await request('GET', `${enrollment.serverUrl}/v1/verifications/checks`, {
      headers: { authorization: `Bearer ${credential}`, [HEADER_PROTOCOL]: String(SYNC_PROTOCOL), [HEADER_SCHEMA]: String(SCHEMA_VERSION) },
      timeoutMs: 10_000,
    });
    if (res.status !== 200) return { reachable: false, documents: [] };
    return { reachable: true, documents: (JSON.parse(res.body) as { documents: VerificationCheckCount[] }).documents };
  } catch {
    return { reachable: false, documents: [] };
  }
}

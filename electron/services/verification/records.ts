/**
 * The verification record of an issued document (issue 19): made the first time the document is printed or sent,
 * so every copy of it carries the same code, and pushed to the central server with the normal sync
 * (`document.verification`). A void or a revocation changes its status here and there.
 *
 * The code is 80 random bits from the operating system's generator, written in Crockford's base32: it says
 * nothing about the number, and the server keeps only the SHA-256 of number and code. This desk keeps the code
 * itself, to print it again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ApiError } from '../../../common/errors';
import {
  CODE_ALPHABET,
  CODE_LENGTH,
  codeHashInput,
  groupCode,
  VERIFICATION_OP,
  verificationUrl,
  type DocumentKind,
  type DocumentShows,
  type DocumentStatus,
  type VerificationPayload,
} from '../../../common/verification';
import type { Actor } from '../../../db/audit';
import { recordChange } from '../../../db/change';
import { getEnrollment } from '../../../db/sync';
import { getVerification, insertVerification, setVerificationStatus, type VerificationRow } from '../../../db/verifications';
import type { AppContext } from '../app';

/** A fresh code: 80 bits from the cryptographic generator, 16 characters of Crockford's base32. */
export function newVerificationCode(): string {
  const bytes = randomBytes((CODE_LENGTH * 5) / 8);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += CODE_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

export const codeHash = (number: string, code: string): string => createHash('sha256').update(codeHashInput(number, code)).digest('hex');

export interface DocumentSpec {
  number: string;
  kind: DocumentKind;
  shows: DocumentShows;
  issuedAt: string;
  /** The request the document belongs to and the person it names: what the desk's scanner opens. */
  requestId?: number | null;
  personIin?: string | null;
  /** The status when it is first recorded (a receipt printed after its void is already voided). */
  status?: DocumentStatus;
  statusReason?: string | null;
  /** A document signed with ЭЦҚ: the canonical bytes and the CAdES, for the server to verify. */
  signed?: { document: Buffer; cms: Buffer } | null;
}

/** What a printout needs: the URL for the QR code and the code in letters, grouped. */
export interface VerificationMark {
  number: string;
  code: string;
  grouped: string;
  url: string;
}

export function markOf(app: AppContext, row: Pick<VerificationRow, 'number' | 'code'>): VerificationMark {
  return {
    number: row.number,
    code: row.code,
    grouped: groupCode(row.code),
    url: verificationUrl(getEnrollment(app.db)?.serverUrl ?? null, row.number, row.code),
  };
}

function payloadOf(row: VerificationRow, signed?: DocumentSpec['signed']): VerificationPayload {
  return {
    number: row.number,
    kind: row.kind as DocumentKind,
    codeHash: codeHash(row.number, row.code),
    status: row.status as DocumentStatus,
    statusReason: row.status_reason,
    statusAt: row.status_at,
    issuedAt: row.issued_at,
    shows: JSON.parse(row.shows) as DocumentShows,
    ...(signed ? { signed: { document: signed.document.toString('base64'), cms: signed.cms.toString('base64') } } : {}),
  };
}

/** An anonymous document never carries a name or an IIN, whatever its caller passed. */
function assertAnonymous(spec: DocumentSpec): void {
  if (spec.kind !== 'hiv-certificate') return;
  if (spec.shows.person !== null || spec.shows.iin !== null || spec.personIin)
    throw new ApiError('internal', 'an HIV certificate’s verification record must not name the person');
}

/**
 * The document's verification mark: the stored one, or a new record (with its outbox operation and audit entry)
 * the first time. A signed document whose record was made before its last signature is pushed again with it.
 */
export function documentVerification(app: AppContext, actor: Actor, spec: DocumentSpec): VerificationMark {
  assertAnonymous(spec);
  const existing = getVerification(app.db, spec.number);
  if (existing) return markOf(app, existing);
  const now = app.clock().toISOString();
  const row: VerificationRow = {
    number: spec.number,
    kind: spec.kind,
    code: newVerificationCode(),
    shows: JSON.stringify(spec.shows),
    status: spec.status ?? 'valid',
    status_reason: spec.statusReason ?? null,
    status_at: spec.status && spec.status !== 'valid' ? now : null,
    issued_at: spec.issuedAt,
    request_id: spec.requestId ?? null,
    person_iin: spec.kind === 'hiv-certificate' ? null : (spec.personIin ?? null),
    created_at: now,
  };
  recordChange(app.db, actor, app.clock(), () => insertVerification(app.db, row), {
    audit: { action: 'document.verification', entity: 'document', entityId: row.number, details: { kind: row.kind } },
    outbox: { kind: VERIFICATION_OP, entity: 'document', entityId: row.number, payload: payloadOf(row, spec.signed) },
  });
  return markOf(app, row);
}

/**
 * A voided receipt or a revoked document: the status here and, through the outbox, on the server's page. A document
 * never printed has no record yet; it is made with this status when it is.
 */
export function changeVerificationStatus(
  app: AppContext,
  actor: Actor,
  number: string,
  status: Exclude<DocumentStatus, 'valid'>,
  reason: string,
): boolean {
  const row = getVerification(app.db, number);
  if (!row || row.status === status) return false;
  const at = app.clock().toISOString();
  recordChange(app.db, actor, app.clock(), () => setVerificationStatus(app.db, number, status, reason, at), {
    audit: { action: `document.${status}`, entity: 'document', entityId: number, details: { reason } },
    outbox: {
      kind: VERIFICATION_OP,
      entity: 'document',
      entityId: number,
      payload: payloadOf({ ...row, status, status_reason: reason, status_at: at }),
    },
  });
  return true;
}

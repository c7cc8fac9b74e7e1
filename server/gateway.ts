/**
 * The e-request gateway on the central server (issue 8): the portal gateway posts a citizen's signed request;
 * the server numbers it, stores the document unchanged and routes it to the organization's workstations as a
 * pulled `erequest` row. The workstation verifies, registers, checks and answers; its `erequest.status`
 * operations (pushed through the outbox) update what the citizen sees. The server itself only reads the request's
 * routing fields: whether the citizen's signature holds is the workstation's decision (condition 2). The answers
 * going back are the server's business: it shows one only when the organization signed it (issue 14).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  EREQUEST_ROW_KIND,
  EREQUEST_TYPES,
  FINAL_GATEWAY_STATUSES,
  type ErequestRowPayload,
  type ErequestStatusPayload,
  type ErequestTakenConflict,
  type GatewayRequestView,
  type GatewayStatus,
  type PortalSurvey,
  type SignedAnswer,
} from '../common/erequests';
import { parseSignedData } from '../pki/cms';
import { decodeCmsInput } from '../pki/verify-request';
import type { ServerDb, Sql } from './db';
import { systemClock } from '../common/clock';
import type { Workstation } from './enrollment';
import { appendChanges } from './push';
import { checkAnswerSignature, type AnswerRefused } from './answer-signature';
import { leaseChange, mayAnswer, takenConflict, type LeaseColumns } from './erequest-leases';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Largest signed request accepted (a request with a certificate chain is a few kB). */
export const GATEWAY_MAX_BYTES = 256 * 1024;

export async function createGatewayCredential(db: Sql, name = ''): Promise<{ id: string; credential: string }> {
  const id = 'gw-' + randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await db.query(`INSERT INTO gateway_client (id, name, secret_hash) VALUES ($1, $2, $3)`, [id, name.slice(0, 100), sha256(secret)]);
  return { id, credential: `${id}.${secret}` };
}

export async function authenticateGateway(db: Sql, credential: string): Promise<string | null> {
  const dot = credential.indexOf('.');
  if (dot <= 0 || credential.length > 200 || !credential.startsWith('gw-')) return null;
  const id = credential.slice(0, dot);
  const r = await db.query<{ secret_hash: string; revoked_at: unknown }>(
    `SELECT secret_hash, revoked_at FROM gateway_client WHERE id = $1`,
    [id],
  );
  const row = r.rows[0];
  if (!row || row.revoked_at) return null;
  const given = Buffer.from(sha256(credential.slice(dot + 1)), 'hex');
  const stored = Buffer.from(row.secret_hash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored) ? id : null;
}

export class GatewayRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Routing {
  requestId: string;
  organizationBin: string;
  iin: string | null;
  type: string | null;
  submittedAt: string | null;
}

/** The routing fields of the encapsulated JSON. The signature is not judged here. */
export function readRouting(der: Uint8Array): Routing {
  let content: Uint8Array | null;
  try {
    content = parseSignedData(der).content;
  } catch {
    throw new GatewayRequestError(400, 'bad-request', 'not a CMS SignedData');
  }
  if (!content) throw new GatewayRequestError(400, 'bad-request', 'the request must be encapsulated in the signature (not detached)');
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(content)) as Record<string, unknown>;
  } catch {
    throw new GatewayRequestError(400, 'bad-request', 'the signed content is not JSON');
  }
  const str = (v: unknown, max = 100) => (typeof v === 'string' && v.length > 0 && v.length <= max && !v.includes('\u0000') ? v : null);
  const requestId = str(doc.requestId);
  const organizationBin = str(doc.organizationBin, 12);
  if (!requestId || !/^[\w.:-]{8,100}$/.test(requestId))
    throw new GatewayRequestError(400, 'bad-request', 'requestId missing or not an identifier');
  if (!organizationBin || !/^\d{12}$/.test(organizationBin)) throw new GatewayRequestError(400, 'bad-request', 'organizationBin missing');
  const type = str(doc.type, 40);
  if (!type || !(EREQUEST_TYPES as readonly string[]).includes(type))
    throw new GatewayRequestError(400, 'unknown-service', `type must be one of ${EREQUEST_TYPES.join(', ')}`);
  return { requestId, organizationBin, iin: str(doc.iin, 12), type, submittedAt: str(doc.submittedAt, 40) };
}

async function nextNumber(tx: Sql, now: Date): Promise<string> {
  const r = await tx.query<{ n: string }>(`SELECT nextval('gateway_request_seq')::text AS n`);
  const year = now.getUTCFullYear();
  return `E${year}-${r.rows[0]!.n.padStart(8, '0')}`;
}

export interface SubmitResult {
  number: string;
  status: GatewayStatus;
  duplicate: boolean;
}

/**
 * Accepts one signed request. A second request with the same requestId returns the first number and creates
 * nothing. An organization that no workstation serves gets `unknown-organization` at once; otherwise the request
 * is appended to that organization's change log in the same transaction.
 */
export async function submitRequest(db: ServerDb, clientId: string, body: Uint8Array, now: Date = systemClock()): Promise<SubmitResult> {
  if (body.length > GATEWAY_MAX_BYTES) throw new GatewayRequestError(413, 'too-large', `at most ${GATEWAY_MAX_BYTES} bytes`);
  const der = decodeCmsInput(body);
  if (!der) throw new GatewayRequestError(400, 'bad-request', 'expected a CMS SignedData (DER, PEM or base64)');
  const routing = readRouting(der);
  const cms = Buffer.from(der).toString('base64');
  return db.transaction(async (tx) => {
    const existing = await tx.query<{ number: string; status: GatewayStatus }>(
      `SELECT number, status FROM gateway_request WHERE client_id = $1 AND request_id = $2`,
      [clientId, routing.requestId],
    );
    if (existing.rows[0]) return { ...existing.rows[0], duplicate: true };
    const served = await tx.query(`SELECT 1 FROM workstation WHERE org_bin = $1 AND revoked_at IS NULL LIMIT 1`, [routing.organizationBin]);
    const status: GatewayStatus = served.rowCount > 0 ? 'received' : 'unknown-organization';
    const number = await nextNumber(tx, now);
    const inserted = await tx.query<{ received_at: string }>(
      `INSERT INTO gateway_request (number, request_id, client_id, org_bin, iin, service_type, submitted_at, document, status, status_reason, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (client_id, request_id) DO NOTHING RETURNING to_json(received_at)#>>'{}' AS received_at`,
      [
        number,
        routing.requestId,
        clientId,
        routing.organizationBin,
        routing.iin,
        routing.type,
        routing.submittedAt,
        cms,
        status,
        status === 'unknown-organization' ? `no organization with BIN ${routing.organizationBin} is connected to the central server` : null,
        now.toISOString(),
      ],
    );
    if (inserted.rowCount === 0) {
      // A concurrent POST of the same requestId won the race: answer with its number.
      const r = await tx.query<{ number: string; status: GatewayStatus }>(
        `SELECT number, status FROM gateway_request WHERE client_id = $1 AND request_id = $2`,
        [clientId, routing.requestId],
      );
      return { ...r.rows[0]!, duplicate: true };
    }
    if (status === 'received') {
      const payload: ErequestRowPayload = {
        number,
        requestId: routing.requestId,
        serviceType: routing.type,
        iin: routing.iin,
        organizationBin: routing.organizationBin,
        receivedAt: new Date(inserted.rows[0]!.received_at).toISOString(),
        cms,
      };
      await appendChanges(tx, routing.organizationBin, null, [{ kind: EREQUEST_ROW_KIND, key: number, payload: JSON.stringify(payload) }]);
    }
    return { number, status, duplicate: false };
  });
}

const RANK: Record<string, number> = { received: 0, registered: 1, done: 2, refused: 2 };

/**
 * Applies a workstation's `erequest.status` operation inside the push transaction. Only the organization the
 * request was routed to may answer it, only the desk that holds it (leases, issue 13), and a status never goes
 * back (a final answer stays final). Returns the conflict for a desk that does not hold the request, or for an
 * answer not signed by the organization's registered certificate (server/answer-signature.ts): its status is not
 * applied. The first accepted status of a desk makes its lease final; that is a change the other desks pull.
 */
export async function applyStatusOp(
  tx: Sql,
  ws: Workstation,
  payload: unknown,
  at: string,
  changes: Array<{ kind: string; key: string; payload: string }>,
): Promise<ErequestTakenConflict | AnswerRefused | null> {
  const p = payload as Partial<ErequestStatusPayload> | null;
  if (!p || typeof p.number !== 'string' || !['registered', 'done', 'refused'].includes(String(p.status))) return null;
  const r = await tx.query<LeaseColumns & { status: string; org_bin: string }>(
    `SELECT status, org_bin, lease_holder, to_json(lease_until)#>>'{}' AS lease_until, handled_by FROM gateway_request WHERE number = $1 FOR UPDATE`,
    [p.number],
  );
  const row = r.rows[0];
  if (!row || row.org_bin !== ws.orgBin) return null;
  if (!mayAnswer(ws, row)) return takenConflict(tx, p.number, row);
  if (!row.handled_by) {
    await tx.query(`UPDATE gateway_request SET handled_by = $2, lease_holder = $2, lease_until = NULL WHERE number = $1`, [
      p.number,
      ws.id,
    ]);
    const name = await tx.query<{ name: string }>(`SELECT name FROM workstation WHERE id = $1`, [ws.id]);
    changes.push(
      leaseChange({ number: p.number, state: 'handled', holder: { id: ws.id, name: name.rows[0]?.name ?? '' }, leaseUntil: null, at }),
    );
  }
  if ((FINAL_GATEWAY_STATUSES as readonly string[]).includes(row.status) || (RANK[row.status] ?? 0) > (RANK[p.status!] ?? 0)) {
    // Already final; still fill in the registration and deadline if they were missing.
    await tx.query(
      `UPDATE gateway_request SET registered_as = coalesce(registered_as, $2), deadline_at = coalesce(deadline_at, $3) WHERE number = $1`,
      [p.number, p.registeredAs ?? null, p.deadlineAt ?? null],
    );
    return null;
  }
  const answer = p.answer ?? null;
  // What the citizen is shown must be signed by the organization (issue 14): otherwise the previous status stays.
  if (answer) {
    const refused = await checkAnswerSignature(tx, row.org_bin, p.number, answer, at);
    if (refused) return refused;
  }
  await tx.query(
    `UPDATE gateway_request SET status = $2, status_reason = $3, registered_as = coalesce($4, registered_as), deadline_at = coalesce($5, deadline_at),
            answer = coalesce($6, answer), answered_at = CASE WHEN $6::text IS NULL THEN answered_at ELSE $7::timestamptz END, updated_at = $7::timestamptz
      WHERE number = $1`,
    [
      p.number,
      p.status,
      answer?.kind === 'refusal' ? (answer.code ?? null) : null,
      p.registeredAs ?? null,
      p.deadlineAt ?? null,
      answer ? JSON.stringify(answer) : null,
      at,
    ],
  );
  return null;
}

/** What the citizen's screen shows; only the gateway client that posted the request may read it (issue 14). */
export async function getRequestView(db: Sql, number: string, clientId: string): Promise<GatewayRequestView | null> {
  const r = await db.query<{
    number: string;
    request_id: string;
    iin: string | null;
    org_bin: string;
    service_type: string | null;
    status: GatewayStatus;
    status_reason: string | null;
    received_at: string;
    registered_as: string | null;
    deadline_at: string | null;
    answer: string | null;
    survey: string | null;
    surveyed_at: string | null;
  }>(
    `SELECT number, request_id, iin, org_bin, service_type, status, status_reason, to_json(received_at)#>>'{}' AS received_at, registered_as, deadline_at, answer,
            survey, to_json(surveyed_at)#>>'{}' AS surveyed_at
       FROM gateway_request WHERE number = $1 AND client_id = $2`,
    [number, clientId],
  );
  const row = r.rows[0];
  if (!row) return null;
  const answer = row.answer ? (JSON.parse(row.answer) as SignedAnswer) : null;
  return {
    number: row.number,
    requestId: row.request_id,
    iin: row.iin,
    organizationBin: row.org_bin,
    serviceType: row.service_type,
    status: row.status,
    statusReason: row.status_reason,
    receivedAt: new Date(row.received_at).toISOString(),
    registeredAs: row.registered_as,
    deadlineAt: row.deadline_at,
    result: answer?.kind === 'result' ? answer : null,
    refusal: answer?.kind === 'refusal' ? answer : null,
    survey: row.survey ? { ...(JSON.parse(row.survey) as Omit<PortalSurvey, 'at'>), at: new Date(row.surveyed_at!).toISOString() } : null,
  };
}

/**
 * The e-request inbox in SQL (issue 8): taking pulled `erequest` rows into the inbox, the rows' progress
 * (verified, registered, checked, answered) and the trust files the administrator loaded.
 */
import { EREQUEST_ROW_KIND, type ErequestRowPayload } from '../common/erequests';
import type { Db } from './connection';
import { ingestPulledLeases, type LeaseState } from './erequest-leases';
import { statementCache } from './statements';

export type ErequestStatus = 'new' | 'awaiting-registrar' | 'decided' | 'done' | 'refused';

export interface ErequestRow {
  id: number;
  number: string;
  citizen_ref: string;
  service_type: string | null;
  iin: string | null;
  received_at: string;
  pulled_at: string;
  cms: Buffer;
  status: ErequestStatus;
  verification: string | null;
  content: string | null;
  request_id: number | null;
  registered_as: string | null;
  deadline_at: string | null;
  deadline_ms: number | null;
  grounds: string | null;
  proposal: string | null;
  decision: string | null;
  journal_ref: string | null;
  answer_kind: 'result' | 'refusal' | null;
  refusal_code: string | null;
  answer_doc: string | null;
  answer_cms: Buffer | null;
  answered_at: string | null;
  answered_by: string | null;
  updated_at: string;
  /** Who holds it (issue 13): null when no desk claimed it yet (or read without the lease). */
  lease_state?: LeaseState | null;
  lease_holder?: string | null;
  lease_holder_name?: string | null;
  lease_until?: string | null;
  lease_reason?: string | null;
}

export interface TrustMaterial {
  kind: 'ca-certificate' | 'crl';
  name: string;
  der: Buffer;
}

/** Each row with who holds it (issue 13): the lease columns are null when no desk claimed it yet. */
const WITH_LEASE = `SELECT e.*, l.state AS lease_state, l.holder AS lease_holder, l.holder_name AS lease_holder_name,
       l.lease_until AS lease_until, l.reason AS lease_reason
  FROM erequest e LEFT JOIN erequest_lease l ON l.number = e.number`;
/** Still this clinic's work at this desk: not registered by another desk, not lost to one. */
const HERE = `(l.state IS NULL OR l.state NOT IN ('elsewhere','lost'))`;

function prepare(db: Db) {
  return {
    pulledRows: db.prepare(`SELECT key, payload FROM sync_reference WHERE kind = ?`),
    insertPulled: db.prepare(
      `INSERT INTO erequest (number, citizen_ref, service_type, iin, received_at, pulled_at, cms, updated_at)
       VALUES (@number, @ref, @type, @iin, @received, @pulled, @cms, @pulled) ON CONFLICT (number) DO NOTHING`,
    ),
    removePulled: db.prepare(`DELETE FROM sync_reference WHERE kind = ? AND key = ?`),
    listNew: db.prepare(
      `SELECT e.* FROM erequest e LEFT JOIN erequest_lease l ON l.number = e.number
        WHERE e.status = 'new' AND ${HERE} ORDER BY e.id LIMIT ?`,
    ),
    byId: db.prepare(`${WITH_LEASE} WHERE e.id = ?`),
    byNumber: db.prepare(`${WITH_LEASE} WHERE e.number = ?`),
    saveProcessed: db.prepare(
      `UPDATE erequest SET status = @status, verification = @verification, content = @content, request_id = @request_id,
              registered_as = @registered_as, deadline_at = @deadline_at, deadline_ms = @deadline_ms, grounds = @grounds,
              proposal = @proposal, updated_at = @at
        WHERE id = @id AND status = 'new'`,
    ),
    saveDecision: db.prepare(
      `UPDATE erequest SET status = 'decided', decision = ?, journal_ref = ?, updated_at = ? WHERE id = ? AND status IN ('new','awaiting-registrar')`,
    ),
    listDecided: db.prepare(`${WITH_LEASE} WHERE e.status = 'decided' AND ${HERE} ORDER BY e.id LIMIT ?`),
    saveAnswer: db.prepare(
      `UPDATE erequest SET status = @status, journal_ref = @journal_ref, answer_kind = @answer_kind, refusal_code = @refusal_code,
              answer_doc = @answer_doc, answer_cms = @answer_cms, answered_at = @at, answered_by = @answered_by, updated_at = @at
        WHERE id = @id AND answer_kind IS NULL`,
    ),
    openInbox: db.prepare(
      `${WITH_LEASE} WHERE e.status IN ('new','awaiting-registrar','decided') AND ${HERE}
        ORDER BY coalesce(e.deadline_ms, 9e15), e.id LIMIT ?`,
    ),
    wholeInbox: db.prepare(`${WITH_LEASE} ORDER BY e.id DESC LIMIT ?`),
    countOpen: db.prepare(
      `SELECT count(*) AS n FROM erequest e LEFT JOIN erequest_lease l ON l.number = e.number
        WHERE e.status IN ('new','awaiting-registrar') AND ${HERE}`,
    ),
    firstRegistrar: db.prepare(`SELECT login FROM staff WHERE role = 'registrar' ORDER BY id LIMIT 1`),
    addTrustFile: db.prepare(`INSERT INTO trust_file (name, kind, der, added_at, added_by) VALUES (?, ?, ?, ?, ?)`),
    trustFiles: db.prepare(`SELECT id, name, kind, der, added_at FROM trust_file ORDER BY id`),
    trustReferences: db.prepare(`SELECT kind, key, payload FROM sync_reference WHERE kind IN ('ca-certificate','crl') ORDER BY kind, key`),
    trustFilesVersion: db.prepare(`SELECT count(*) AS n, max(id) AS m FROM trust_file`),
    trustReferencesVersion: db.prepare(
      `SELECT count(*) AS n, max(updated_at) AS m FROM sync_reference WHERE kind IN ('ca-certificate','crl')`,
    ),
  };
}

const s = statementCache(prepare).get;

/**
 * Moves pulled `erequest` reference rows into the inbox (a number already there is not taken twice) and removes
 * them from the reference table, in one transaction, and the other desks' leases into `erequest_lease`. Returns how
 * many new e-requests arrived.
 */
export function ingestPulled(db: Db, at: Date): number {
  const st = s(db);
  ingestPulledLeases(db);
  const rows = st.pulledRows.all(EREQUEST_ROW_KIND) as Array<{ key: string; payload: string }>;
  if (rows.length === 0) return 0;
  let n = 0;
  db.transaction(() => {
    for (const r of rows) {
      const p = JSON.parse(r.payload) as ErequestRowPayload;
      n += st.insertPulled.run({
        number: p.number,
        ref: p.requestId,
        type: p.serviceType,
        iin: p.iin,
        received: p.receivedAt,
        pulled: at.toISOString(),
        cms: Buffer.from(p.cms, 'base64'),
      }).changes;
      st.removePulled.run(EREQUEST_ROW_KIND, r.key);
    }
  }).immediate();
  return n;
}

export function listNew(db: Db, limit: number): ErequestRow[] {
  return s(db).listNew.all(limit) as ErequestRow[];
}

export function getErequestRow(db: Db, id: number): ErequestRow | undefined {
  return s(db).byId.get(id) as ErequestRow | undefined;
}

export function getErequestByNumber(db: Db, number: string): ErequestRow | undefined {
  return s(db).byNumber.get(number) as ErequestRow | undefined;
}

export interface ProcessedPatch {
  status: ErequestStatus;
  verification: string | null;
  content: string | null;
  request_id: number | null;
  registered_as: string | null;
  deadline_at: string | null;
  deadline_ms: number | null;
  grounds: string | null;
  proposal: string | null;
}

/** Records verification, registration and the checks of a new e-request (only while it is still new). */
export function saveProcessed(db: Db, id: number, p: ProcessedPatch, at: Date): boolean {
  return s(db).saveProcessed.run({ ...p, id, at: at.toISOString() }).changes === 1;
}

export interface AnswerPatch {
  status: 'done' | 'refused';
  journal_ref: string | null;
  answer_kind: 'result' | 'refusal';
  refusal_code: string | null;
  answer_doc: string;
  answer_cms: Buffer;
  answered_by: string;
}

/** Records the decision (and the journal entry made for it) before the answer is signed. */
export function saveDecision(db: Db, id: number, decision: string, journalRef: string | null, at: Date): boolean {
  return s(db).saveDecision.run(decision, journalRef, at.toISOString(), id).changes === 1;
}

export function listDecided(db: Db, limit: number): ErequestRow[] {
  return s(db).listDecided.all(limit) as ErequestRow[];
}

/** Writes the answer once. False when the e-request was answered meanwhile. */
export function saveAnswer(db: Db, id: number, a: AnswerPatch, at: Date): boolean {
  return s(db).saveAnswer.run({ ...a, id, at: at.toISOString() }).changes === 1;
}

export function listInboxRows(db: Db, opts: { open: boolean; limit: number }): ErequestRow[] {
  return (opts.open ? s(db).openInbox : s(db).wholeInbox).all(opts.limit) as ErequestRow[];
}

export function countOpen(db: Db): number {
  return (s(db).countOpen.get() as { n: number }).n;
}

/** The first registrar (by id): in whose name unattended journal entries are made when the policy names nobody. */
export function firstRegistrarLogin(db: Db): string | null {
  return (s(db).firstRegistrar.get() as { login: string } | undefined)?.login ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Trust files

export function addTrustFile(db: Db, f: TrustMaterial, at: Date, by: number | null): number {
  return Number(s(db).addTrustFile.run(f.name, f.kind, f.der, at.toISOString(), by).lastInsertRowid);
}

export function listTrustFiles(db: Db): Array<TrustMaterial & { id: number; added_at: string }> {
  return s(db).trustFiles.all() as Array<TrustMaterial & { id: number; added_at: string }>;
}

/** CA certificates and CRLs handed down by the central server: payload `{der: base64}` or `{pem}`. */
export function trustReferenceRows(db: Db): Array<{ kind: 'ca-certificate' | 'crl'; key: string; payload: string }> {
  return s(db).trustReferences.all() as Array<{
    kind: 'ca-certificate' | 'crl';
    key: string;
    payload: string;
  }>;
}

/** Changes whenever the trust material changes: the cache key of the built trust store. */
export function trustVersion(db: Db): string {
  const a = s(db).trustFilesVersion.get() as { n: number; m: number | null };
  const b = s(db).trustReferencesVersion.get() as { n: number; m: string | null };
  return `${a.n}/${a.m}/${b.n}/${b.m}`;
}

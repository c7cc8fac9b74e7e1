/**
 * The registrar's e-request inbox (`erequests.inbox`, `.get`, `.resolve`): the e-requests with their verification,
 * grounds, proposal and decision, most urgent first; the registrar confirms (the result) or refuses (a motivated
 * refusal with the reason written), and the answer is signed at once when the provider key allows.
 */
import { ApiError } from '../../../common/errors';
import * as dbe from '../../../db/erequests';
import { findStaffByLogin, type StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { decide, signDecided } from './answers';
import { decisionOf, groundsOf, proposalOf, refusal, verificationOf } from './decisions';

export function inbox(app: AppContext, a: { open: boolean; limit: number }) {
  dbe.ingestPulled(app.db, app.clock());
  const nowMs = app.clock().getTime();
  // The registrar who decided, by name (the screen never shows a login where a person's name belongs).
  const nameOf = (login: string) => findStaffByLogin(app.db, login)?.full_name ?? null;
  return { rows: dbe.listInboxRows(app.db, a).map((r) => view(r, nowMs, nameOf)), now: new Date(nowMs).toISOString() };
}

function view(r: dbe.ErequestRow, nowMs: number, nameOf: (login: string) => string | null) {
  const v = verificationOf(r);
  const d = decisionOf(r);
  return {
    id: r.id,
    number: r.number,
    serviceType: r.service_type,
    iin: r.iin,
    receivedAt: r.received_at,
    status: r.status,
    registeredAs: r.registered_as,
    deadlineAt: r.deadline_at,
    timeLeftMs: r.deadline_ms !== null ? r.deadline_ms - nowMs : null,
    signature: v ? { valid: v.valid, reasons: v.reasons, signer: v.signer?.name ?? null } : null,
    grounds: groundsOf(r),
    proposal: proposalOf(r),
    content: r.content ? (JSON.parse(r.content) as Record<string, unknown>) : null,
    decision: d ? { kind: d.kind, code: d.code, reasons: d.reasons, by: d.by, byName: d.by === 'rules' ? null : nameOf(d.by) } : null,
    journalRef: r.journal_ref,
    answeredAt: r.answered_at,
    lease: r.lease_state
      ? {
          state: r.lease_state,
          holder: r.lease_holder ?? null,
          holderName: r.lease_holder_name ?? null,
          until: r.lease_until ?? null,
          reason: r.lease_reason ?? null,
        }
      : null,
  };
}

export function get(app: AppContext, id: number) {
  const r = dbe.getErequestRow(app.db, id);
  if (!r) throw new ApiError('not-found', `no e-request ${id}`, { id });
  return view(r, app.clock().getTime(), (login) => findStaffByLogin(app.db, login)?.full_name ?? null);
}

/** The registrar confirms (the result) or refuses (a motivated refusal with the reason written). */
export async function resolve(app: AppContext, staff: StaffRow, a: { id: number; decision: 'confirm' | 'refuse'; reason?: string | null }) {
  const r = dbe.getErequestRow(app.db, a.id);
  if (!r) throw new ApiError('not-found', `no e-request ${a.id}`, { id: a.id });
  if (r.lease_state === 'lost' || r.lease_state === 'elsewhere')
    throw new ApiError('erequest-decided', `e-request ${r.number} is handled by another workstation`, {
      number: r.number,
      status: r.lease_state,
    });
  if (r.status !== 'awaiting-registrar')
    throw new ApiError('erequest-decided', `e-request ${r.number} is already ${r.status}`, { number: r.number, status: r.status });
  if (a.decision === 'refuse') {
    const reason = a.reason?.trim() ?? '';
    if (reason.length < 3) throw new ApiError('validation', 'a motivated refusal needs its reason', {}, ['reason']);
    decide(app, r, refusal('grounds-not-met', [reason], staff.login), staff);
  } else decide(app, r, { kind: 'result', code: null, reason: null, reasons: [], by: staff.login }, staff);
  await signDecided(app);
  return get(app, a.id);
}

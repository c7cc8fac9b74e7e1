/**
 * One desk per e-request (issue 13, point 5). Before this desk registers new e-requests it claims them from the
 * central server in one call; only the ones granted to it are registered (intake.ts), the others show in the inbox
 * as taken by another desk until their lease runs out. Offline, nothing is claimed and nothing registered: the
 * requests wait (the deadline runs from receipt anyway). A workstation that is not enrolled has no other desk and
 * registers as before.
 *
 * When the server refuses this desk's `erequest.status` because another desk holds the request (this desk's lease
 * ran out while it was offline and another desk registered it), this desk's registration is cancelled with the
 * reason, its home-visit calls and appointments too, and the request shows as lost to that desk: at most one
 * registration stands.
 */
import { EREQUEST_CLAIM_MAX, type DeskRef, type ErequestClaimResponse, type ErequestTakenConflict } from '../../../common/erequests';
import { HEADER_PROTOCOL, HEADER_SCHEMA, SYNC_PROTOCOL } from '../../../common/sync-protocol';
import { recordChange } from '../../../db/change';
import * as leases from '../../../db/erequest-leases';
import * as dbe from '../../../db/erequests';
import { SCHEMA_VERSION } from '../../../db/migrations';
import { getRequestRow } from '../../../db/requests';
import { getEnrollment } from '../../../db/sync';
import { syncCredential } from '../sealed-settings';
import { SecretsUnavailableError } from '../secrets';
import type { AppContext } from '../app';
import * as appointments from '../desk/appointments';
import * as homeVisits from '../desk/home-visits';
import { request } from '../sync/http';
import { engineOf } from '../workflow/app-engine';
import type { EngineActor } from '../workflow/engine';
import { onBehalfOf } from './settings';

/** Cancels a lost registration: the system acting as the administrator may cancel at any step. */
const LEASE_LOST: EngineActor = { staffId: null, login: 'sync', role: 'administrator', specialty: null };

export type ClaimOutcome =
  /** Not enrolled: no other desk, everything may be registered here. */
  | { mode: 'standalone' }
  | { mode: 'claimed'; granted: Set<string> }
  /** The server could not be asked: register nothing now. */
  | { mode: 'offline'; error: string };

/** Claims the numbers for this desk, in calls of at most EREQUEST_CLAIM_MAX, and records every answer. */
export async function claimForThisDesk(app: AppContext, numbers: string[], timeoutMs = 30_000): Promise<ClaimOutcome> {
  const enrollment = getEnrollment(app.db);
  let credential: string | null;
  try {
    credential = syncCredential(app);
  } catch (e) {
    // The sealed credential cannot be opened (key file missing): as if the server could not be asked.
    if (e instanceof SecretsUnavailableError) return { mode: 'offline', error: e.message };
    throw e;
  }
  if (!enrollment || !credential) return { mode: 'standalone' };
  const granted = new Set<string>();
  const self: DeskRef = { id: enrollment.workstationId, name: '' };
  for (let i = 0; i < numbers.length; i += EREQUEST_CLAIM_MAX) {
    let answer: ErequestClaimResponse;
    try {
      const res = await request('POST', `${enrollment.serverUrl}/v1/erequests/claim`, {
        headers: {
          authorization: `Bearer ${credential}`,
          [HEADER_PROTOCOL]: String(SYNC_PROTOCOL),
          [HEADER_SCHEMA]: String(SCHEMA_VERSION),
        },
        body: JSON.stringify({ numbers: numbers.slice(i, i + EREQUEST_CLAIM_MAX) }),
        timeoutMs,
      });
      if (res.status !== 200) throw new Error(`the central server answered HTTP ${res.status}: ${res.body.slice(0, 200)}`);
      answer = JSON.parse(res.body) as ErequestClaimResponse;
    } catch (error) {
      app.log.warn('erequests.claim-failed', { error: (error as Error).message });
      // What was granted before the failure may still be registered: the server holds it for this desk.
      return granted.size > 0 ? { mode: 'claimed', granted } : { mode: 'offline', error: (error as Error).message };
    }
    leases.saveClaimAnswers(app.db, self, answer.results, answer.server_time);
    for (const r of answer.results) if (r.status === 'granted') granted.add(r.number);
  }
  return { mode: 'claimed', granted };
}

function holderLabel(holder: DeskRef | null): string {
  return holder ? holder.name || holder.id : 'another workstation';
}

/**
 * Cancels this desk's registration of every e-request the server refused to take from it, with the reason
 * recorded on the request, its journal entries and the e-request. Returns the numbers handled.
 */
export function cancelLostRegistrations(app: AppContext): string[] {
  const lost = leases.listRefusedStatuses(app.db);
  for (const { number, conflict } of lost) cancelLost(app, number, conflict);
  return lost.map((l) => l.number);
}

function cancelLost(app: AppContext, number: string, conflict: ErequestTakenConflict | null): void {
  const now = app.clock();
  const holder = conflict?.holder ?? null;
  const reason = `e-request ${number} is registered by ${holderLabel(holder)}: this workstation's lease ran out before its registration reached the central server`;
  const row = dbe.getErequestByNumber(app.db, number);
  const request = row?.request_id != null ? getRequestRow(app.db, row.request_id) : undefined;
  const cancelled: string[] = [];
  recordChange(
    app.db,
    { staffId: null, login: LEASE_LOST.login, role: 'system' },
    now,
    () => {
      if (request) {
        const entries = leases.openJournalEntries(app.db, request.id);
        if (entries.visits.length + entries.appointments.length > 0) {
          // The desk services cancel them as a registrar would: the register, the audit and the server all see it.
          const staff = onBehalfOf(app);
          for (const id of entries.visits)
            cancelled.push(homeVisits.setVisitStatus(app, staff, { id, status: 'cancelled', reason }).number);
          for (const id of entries.appointments) cancelled.push(appointments.cancelAppointment(app, staff, { id, reason }).number);
        }
        if (request.status === 'open') engineOf(app).cancel(request.id, LEASE_LOST, reason);
      }
      leases.markLost(app.db, number, holder, reason, now);
    },
    {
      audit: {
        action: 'erequest.lost',
        entity: 'erequest',
        entityId: number,
        details: { holder: holder?.id ?? null, request: request?.number ?? null, cancelled: cancelled.join(',') },
      },
    },
  );
  app.log.warn('erequests.lease-lost', { number, holder: holder?.id ?? null, request: request?.number ?? null });
}

/**
 * The audit check (`tirkeu verify-audit` and the Administration screen): the hash chain walked end to end, and the
 * head the central server last acknowledged compared with the local log, which names a log that was cut short or
 * edited and re-hashed although its chain still holds (issue 14).
 */
import { checkAgainstAcknowledged, verifyAudit, type AuditAgainstServer, type AuditVerdict } from '../../../db/audit';
import type { Db } from '../../../db/connection';
import { getSyncState } from '../../../db/sync';
import { auditChainOnThread } from './maintenance-thread';

export interface AuditCheck {
  chain: AuditVerdict;
  /** The head the central server acknowledged; null before the desk ever synced. */
  acknowledged: { seq: number; hash: string } | null;
  server: AuditAgainstServer | null;
  ok: boolean;
}

function withServerCheck(db: Db, chain: AuditVerdict): AuditCheck {
  const acknowledged = getSyncState(db).auditAcknowledged;
  const server = acknowledged ? checkAgainstAcknowledged(db, acknowledged) : null;
  return { chain, acknowledged, server, ok: chain.ok && (!server || server.ok) };
}

/**
 * For the running application: the chain walked on a worker thread over a snapshot of the log (1.4 s for 300,000
 * entries would hold the desk's thread); an in-memory database (the demo, tests) is walked here, since no other
 * thread can open it.
 */
export async function checkAuditLog(db: Db): Promise<AuditCheck> {
  return withServerCheck(db, db.memory ? verifyAudit(db) : await auditChainOnThread(db.name));
}

/** On the caller's thread: `tirkeu verify-audit`, a process of its own with nothing else to answer. */
export function checkAuditLogHere(db: Db): AuditCheck {
  return withServerCheck(db, verifyAudit(db));
}

/**
 * The audit check (`tirkeu verify-audit` and the Administration screen): the hash chain walked end to end, and the
 * head the central server last acknowledged compared with the local log, which names a log that was cut short or
 * edited and re-hashed although its chain still holds (issue 14).
 */
import { checkAgainstAcknowledged, verifyAudit, type AuditAgainstServer, type AuditVerdict } from '../../../db/audit';
import type { Db } from '../../../db/connection';
import { getSyncState } from '../../../db/sync';

export interface AuditCheck {
  chain: AuditVerdict;
  /** The head the central server acknowledged; null before the desk ever synced. */
  acknowledged: { seq: number; hash: string } | null;
  server: AuditAgainstServer | null;
  ok: boolean;
}

export function checkAuditLog(db: Db): AuditCheck {
  const chain = verifyAudit(db);
  const acknowledged = getSyncState(db).auditAcknowledged;
  const server = acknowledged ? checkAgainstAcknowledged(db, acknowledged) : null;
  return { chain, acknowledged, server, ok: chain.ok && (!server || server.ok) };
}

/**
 * Maintenance reads of the whole database on a worker thread (admin/maintenance-thread.ts starts it): the backup's
 * copy (about 1.5 s at 2,000,000 people on the development machine, many times that on a clinic's hard disk), the
 * check of a backup file before a restore (SQLite's quick_check reads all of it) and the audit log's hash chain
 * walked end to end (1.4 s for 300,000 entries, a busy desk's year). On the desk's thread each would stop every
 * call and, in the browser mode, the window until it was done. Each job opens its own read-only connection.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { verifyAuditFile, type AuditVerdict } from '../../../db/audit';
import { copyDatabaseFile, readBackupContents, type BackupContents } from '../../../db/backups';

export type MaintenanceJob =
  { kind: 'copy'; source: string; target: string } | { kind: 'contents'; file: string } | { kind: 'audit-chain'; file: string };
export type MaintenanceAnswer = { ok: true; contents?: BackupContents; chain?: AuditVerdict } | { ok: false; message: string };

function run(job: MaintenanceJob): MaintenanceAnswer {
  try {
    switch (job.kind) {
      case 'copy':
        copyDatabaseFile(job.source, job.target);
        return { ok: true };
      case 'contents':
        return { ok: true, contents: readBackupContents(job.file) };
      case 'audit-chain':
        return { ok: true, chain: verifyAuditFile(job.file) };
    }
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

const data = workerData as { maintenanceJob?: MaintenanceJob } | undefined;
if (parentPort && data?.maintenanceJob) parentPort.postMessage(run(data.maintenanceJob));

/**
 * Runs a maintenance job (admin/maintenance-worker.ts) on a worker thread of its own and waits for its answer
 * without holding the desk's thread. One thread per job: these run once a day or when the administrator asks, and
 * the thread's start (tens of milliseconds when built) is nothing beside the work.
 */
import type { AuditVerdict } from '../../../db/audit';
import type { BackupContents } from '../../../db/backups';
import { startWorker } from '../worker-thread';
import type { MaintenanceAnswer, MaintenanceJob } from './maintenance-worker';

function runOnThread(job: MaintenanceJob): Promise<Extract<MaintenanceAnswer, { ok: true }>> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(new URL('./maintenance-worker.js', import.meta.url), new URL('./maintenance-worker.ts', import.meta.url), {
      workerData: { maintenanceJob: job },
    });
    let answered = false;
    worker.once('message', (answer: MaintenanceAnswer) => {
      answered = true;
      if (answer.ok) resolve(answer);
      else reject(new Error(answer.message));
      void worker.terminate();
    });
    worker.once('error', (error) => {
      answered = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the maintenance thread stopped (exit code ${code}) before it answered`));
    });
  });
}

/** A consistent copy of the database file `source` at `target`, made on a worker thread. */
export async function copyDatabaseOnThread(source: string, target: string): Promise<void> {
  await runOnThread({ kind: 'copy', source, target });
}

/** What a backup file holds (db/backups.ts readBackupContents), read on a worker thread. */
export async function backupContentsOnThread(file: string): Promise<BackupContents> {
  return (await runOnThread({ kind: 'contents', file })).contents!;
}

/** The audit log's hash chain in the database file, walked on a worker thread (db/audit.ts verifyAudit). */
export async function auditChainOnThread(file: string): Promise<AuditVerdict> {
  return (await runOnThread({ kind: 'audit-chain', file })).chain!;
}

/**
 * A backup's slow part on a worker thread (admin/backup-thread.ts starts it): the copy of the database, about
 * 1.5 s at 2,000,000 people on the development machine and many times that on a clinic's hard disk, and the check
 * of a backup file before a restore (SQLite's quick_check reads all of it). On the desk's thread either would stop
 * every call and, in the browser mode, the window until it was done.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { copyDatabaseFile, readBackupContents, type BackupContents } from '../../../db/backups';

export type BackupJob = { kind: 'copy'; source: string; target: string } | { kind: 'contents'; file: string };
export type BackupAnswer = { ok: true; contents: BackupContents | null } | { ok: false; message: string };

function run(job: BackupJob): BackupAnswer {
  try {
    if (job.kind === 'copy') {
      copyDatabaseFile(job.source, job.target);
      return { ok: true, contents: null };
    }
    return { ok: true, contents: readBackupContents(job.file) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

const data = workerData as { backupJob?: BackupJob } | undefined;
if (parentPort && data?.backupJob) parentPort.postMessage(run(data.backupJob));

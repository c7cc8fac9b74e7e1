/**
 * Runs a backup job (admin/backup-worker.ts) on a worker thread of its own and waits for its answer without
 * holding the desk's thread. One thread per job: a backup is taken once a day or on demand, and the thread's
 * start (tens of milliseconds when built) is nothing beside the copy.
 */
import type { BackupContents } from '../../../db/backups';
import { startWorker } from '../worker-thread';
import type { BackupAnswer, BackupJob } from './backup-worker';

function runOnThread(job: BackupJob): Promise<BackupContents | null> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(new URL('./backup-worker.js', import.meta.url), new URL('./backup-worker.ts', import.meta.url), {
      workerData: { backupJob: job },
    });
    let answered = false;
    worker.once('message', (answer: BackupAnswer) => {
      answered = true;
      if (answer.ok) resolve(answer.contents);
      else reject(new Error(answer.message));
      void worker.terminate();
    });
    worker.once('error', (error) => {
      answered = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the backup thread stopped (exit code ${code}) before it answered`));
    });
  });
}

/** A consistent copy of the database file `source` at `target`, made on a worker thread. */
export async function copyDatabaseOnThread(source: string, target: string): Promise<void> {
  await runOnThread({ kind: 'copy', source, target });
}

/** What a backup file holds (db/backups.ts readBackupContents), read on a worker thread. */
export async function backupContentsOnThread(file: string): Promise<BackupContents> {
  return (await runOnThread({ kind: 'contents', file }))!;
}

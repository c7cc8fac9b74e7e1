/**
 * One process per PGlite data folder (issue 13). PGlite is PostgreSQL running inside this process with no
 * postmaster to refuse a second one: two processes on one folder each write their own view of it and one loses
 * (enrollments vanished after a restart). A lock file in the folder holds the owner's pid; opening a folder whose
 * lock names a live process fails at once, naming the folder and the pid. A lock left by a process that died
 * (kill -9, power cut) is stale and taken over.
 */
import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'tirkeu-server.lock';

export class DataFolderLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The server data folder ${dataDir} is already open by process ${pid}${pid === process.pid ? ' (this process)' : ''}. ` +
        `Stop that process first (one server per data folder), or use the running server (the CLI does so by itself).`,
    );
  }
}

export interface DataFolderLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function readPid(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Takes the folder's lock or throws DataFolderLockedError. The folder must exist. */
export function lockDataFolder(dataDir: string): DataFolderLock {
  const dir = path.resolve(dataDir);
  const lock = path.join(dir, LOCK_FILE);
  const mine = path.join(dir, `${LOCK_FILE}.${process.pid}`);
  fs.writeFileSync(mine, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        fs.linkSync(mine, lock); // atomic: fails when a lock exists
        const release = () => {
          if (readPid(lock) === process.pid) fs.rmSync(lock, { force: true });
          process.off('exit', release);
        };
        process.on('exit', release);
        return { release };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readPid(lock);
      if (holder !== null && alive(holder)) throw new DataFolderLockedError(dir, holder);
      // Stale (its process is gone) or unreadable: move it aside under a name of our own, so that of two
      // processes taking over the same stale lock only one removes it; check it is still the stale one.
      const aside = path.join(dir, `${LOCK_FILE}.stale.${process.pid}`);
      try {
        fs.renameSync(lock, aside);
      } catch {
        continue; // someone else moved it first: look again
      }
      const moved = readPid(aside);
      if (moved !== holder && moved !== null && alive(moved)) {
        // We moved a live process's fresh lock: put it back where it was and yield to it.
        try {
          fs.linkSync(aside, lock);
        } finally {
          fs.rmSync(aside, { force: true });
        }
        throw new DataFolderLockedError(dir, moved);
      }
      fs.rmSync(aside, { force: true });
    }
    throw new Error(`could not take the lock of the server data folder ${dir}`);
  } finally {
    fs.rmSync(mine, { force: true });
  }
}

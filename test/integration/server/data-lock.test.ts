/**
 * Issue 13, point 6: one process per PGlite data folder. A second open — another process or the same one — fails
 * at once naming the folder and the holder's pid; the lock of a process killed with SIGKILL is stale and taken
 * over; a clean close releases it.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openServerDb } from '../../../server/db';
import { LOCK_FILE, lockDataFolder } from '../../../server/data-lock';
import { tempDir } from '../../helpers/app';
import { freshPgliteDir, spawnServer } from '../../helpers/sync-server';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('the PGlite data folder lock', () => {
  it('refuses a second open in the same process, and opens again after close', async () => {
    const dir = await freshPgliteDir();
    try {
      const first = await openServerDb({ dataDir: dir });
      await expect(openServerDb({ dataDir: dir })).rejects.toThrow(
        new RegExp(`data folder ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is already open by process ${process.pid}`),
      );
      expect((await first.query<{ one: number }>(`SELECT 1 AS one`)).rows[0]!.one).toBe(1); // the first still works
      await first.close();
      expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
      const again = await openServerDb({ dataDir: dir });
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a folder a running server process holds, and takes it over once that process is killed', async () => {
    const dataDir = tempDir('tirkeu-lock-');
    fs.cpSync(await freshPgliteDir(), path.join(dataDir, 'pglite'), { recursive: true });
    const server = await spawnServer({ dataDir, port: await freePort() });
    try {
      const pid = server.proc.pid!;
      const t0 = performance.now();
      const error = await openServerDb({ dataDir: path.join(dataDir, 'pglite') }).then(
        () => null,
        (e: Error) => e,
      );
      expect(performance.now() - t0).toBeLessThan(2_000); // at once, not after a timeout
      expect(error?.message).toContain(`${path.join(dataDir, 'pglite')} is already open by process ${pid}`);
      await server.kill(); // SIGKILL: the lock file stays, naming a dead process
      expect(fs.readFileSync(path.join(dataDir, 'pglite', LOCK_FILE), 'utf8').trim()).toBe(String(pid));
      const db = await openServerDb({ dataDir: path.join(dataDir, 'pglite') });
      try {
        expect(fs.readFileSync(path.join(dataDir, 'pglite', LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
      } finally {
        await db.close();
      }
    } finally {
      await server.kill();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('takes over a lock whose pid is dead or unreadable', () => {
    const dir = tempDir('tirkeu-lock-stale-');
    try {
      fs.writeFileSync(path.join(dir, LOCK_FILE), '2147483646\n'); // no such process
      const a = lockDataFolder(dir);
      expect(() => lockDataFolder(dir)).toThrow(/already open by process/);
      a.release();
      fs.writeFileSync(path.join(dir, LOCK_FILE), 'garbage');
      lockDataFolder(dir).release();
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

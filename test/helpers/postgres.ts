/**
 * A throwaway PostgreSQL cluster for tests, from Debian's binaries (/usr/lib/postgresql/<v>/bin): initdb and
 * pg_ctl in a temporary folder, listening on a random loopback port and a socket in that folder. Run as the
 * `postgres` user when the tests run as root. With TIRKEU_PG_URL set, that server is used instead (each test
 * gets its own database in it).
 *
 * Missing binaries fail the test with the command that installs them: the sync suite must run against a real
 * PostgreSQL, not silently skip it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PgCluster {
  /** A URL of a fresh, empty database in this cluster. */
  createDatabase(): Promise<string>;
  /** Stops and starts the server (`immediate`: like a crash, no checkpoint). Not available with TIRKEU_PG_URL. */
  restart(mode?: 'fast' | 'immediate'): void;
  stop(mode?: 'fast' | 'immediate'): void;
  start(): void;
  readonly external: boolean;
  close(): Promise<void>;
}

export function findPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  throw new Error(
    'PostgreSQL binaries are missing (no /usr/lib/postgresql/*/bin/initdb). The sync tests need a real PostgreSQL: ' +
      'run `apt-get install -y postgresql` (or set TIRKEU_PG_URL to a server the tests may create databases on).',
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function asPostgres(bin: string, args: string[]): void {
  const cmd = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd[0] as string, cmd[1] as string[], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${path.basename(bin)} failed (${r.status}): ${r.stderr || r.stdout}`);
}

let counter = 0;

export async function startPostgres(): Promise<PgCluster> {
  const external = process.env.TIRKEU_PG_URL;
  if (external) return externalCluster(external);
  const bin = findPostgresBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-pg-'));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  if (isRoot()) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  asPostgres(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const conf = [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${dir}'`,
    'fsync = off',
    'full_page_writes = off',
    'max_connections = 60',
    'shared_buffers = 64MB',
    'logging_collector = off',
  ].join('\n');
  fs.appendFileSync(path.join(data, 'postgresql.conf'), `\n${conf}\n`);
  const pgCtl = path.join(bin, 'pg_ctl');
  const log = path.join(dir, 'server.log');
  if (isRoot()) {
    fs.writeFileSync(log, '');
    execFileSync('chown', ['postgres:postgres', log]);
  }
  const start = () => asPostgres(pgCtl, ['-D', data, '-l', log, '-w', '-t', '60', 'start']);
  const stop = (mode: 'fast' | 'immediate' = 'fast') => asPostgres(pgCtl, ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
  start();
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    external: false,
    async createDatabase() {
      const name = `tirkeu_${process.pid}_${++counter}`;
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    restart(mode = 'fast') {
      stop(mode);
      start();
    },
    stop,
    start,
    async close() {
      try {
        stop('immediate');
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function externalCluster(url: string): PgCluster {
  const created: string[] = [];
  const unsupported = () => {
    throw new Error('restarting PostgreSQL needs a local cluster (unset TIRKEU_PG_URL)');
  };
  return {
    external: true,
    async createDatabase() {
      const name = `tirkeu_${process.pid}_${Date.now()}_${++counter}`;
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      created.push(name);
      const u = new URL(url);
      u.pathname = `/${name}`;
      return u.toString();
    },
    restart: unsupported,
    stop: unsupported,
    start: unsupported,
    async close() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        for (const name of created) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

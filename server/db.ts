/**
 * One small interface over the two databases the server runs on: PostgreSQL through `pg` (production, when
 * DATABASE_URL is set) and embedded PGlite in a data folder (a fresh machine, tests). The same SQL runs on both:
 * queries use $1… parameters and nothing PGlite lacks.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { SERVER_MIGRATIONS } from './migrations/index';
import { lockDataFolder, type DataFolderLock } from './data-lock';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<T>>;
}

export interface ServerDb extends Sql {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one READ COMMITTED transaction; rolls back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
  close(): Promise<void>;
}

export interface OpenServerDbOptions {
  /** postgres://… — when absent, PGlite in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

export async function openServerDb(options: OpenServerDbOptions): Promise<ServerDb> {
  const db = options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 8) : await openPglite(options.dataDir);
  try {
    await migrateServerDb(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}

function openPostgres(url: string, max: number): ServerDb {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5_000 });
  // An idle client whose server went away (PostgreSQL restarted) emits 'error'; the pool drops it.
  pool.on('error', () => undefined);
  // A single statement outside a transaction is retried once when it met a connection PostgreSQL had already
  // closed (a restart): the pool notices dead idle connections only when it uses them.
  const query = async <T>(text: string, params?: unknown[]) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await pool.query(text, params as unknown[]);
        return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
      } catch (error) {
        // Each failure discards one dead connection; there are at most `max` of them.
        if (!isTransientDbError(error) || attempt >= max) throw error;
      }
    }
  };
  return {
    kind: 'postgres',
    query,
    async transaction(fn) {
      const client = await pool.connect();
      let broken = false;
      // A connection lost between two statements is reported as an 'error' event: the next query fails anyway.
      const onError = () => {
        broken = true;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const tx: Sql = {
          async query<T>(text: string, params?: unknown[]) {
            const r = await client.query(text, params as unknown[]);
            return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
          },
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken ? true : undefined);
      }
    },
    async exec(text) {
      await pool.query(text);
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string | undefined): Promise<ServerDb> {
  const { PGlite } = await import('@electric-sql/pglite');
  let lock: DataFolderLock | null = null;
  if (dataDir) {
    fs.mkdirSync(path.resolve(dataDir), { recursive: true });
    lock = lockDataFolder(dataDir);
  }
  let lite: InstanceType<typeof PGlite>;
  try {
    lite = new PGlite(dataDir ? path.resolve(dataDir) : undefined);
    await lite.waitReady;
  } catch (error) {
    lock?.release();
    throw error;
  }
  const query = async <T>(text: string, params?: unknown[]) => {
    const r = await lite.query<T>(text, params);
    return { rows: r.rows, rowCount: r.rows.length > 0 ? r.rows.length : (r.affectedRows ?? 0) };
  };
  return {
    kind: 'pglite',
    query,
    transaction(fn) {
      return lite.transaction(async (t) =>
        fn({
          async query<T>(text: string, params?: unknown[]) {
            const r = await t.query<T>(text, params);
            return { rows: r.rows, rowCount: r.rows.length > 0 ? r.rows.length : (r.affectedRows ?? 0) };
          },
        }),
      );
    },
    async exec(text) {
      await lite.exec(text);
    },
    async close() {
      try {
        await lite.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** Applies the server's numbered migrations, each in its own transaction, under an advisory lock. */
export async function migrateServerDb(db: ServerDb): Promise<number> {
  await db.exec(
    `CREATE TABLE IF NOT EXISTS server_schema (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(7207001)`);
    const r = await tx.query<{ v: number | null }>(`SELECT max(version) AS v FROM server_schema`);
    const current = Number(r.rows[0]?.v ?? 0);
    const latest = SERVER_MIGRATIONS.length;
    if (current > latest)
      throw new Error(`The server database has schema version ${current}; this server supports up to ${latest}. Run the newer server.`);
    for (const m of SERVER_MIGRATIONS) {
      if (m.version <= current) continue;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query(`INSERT INTO server_schema (version, name) VALUES ($1, $2)`, [m.version, m.name]);
    }
    return latest;
  });
}

/** Migrations are plain DDL separated by `;` at line ends (no functions with bodies), so a split is safe. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}

/** PostgreSQL errors worth retrying: connection loss, shutdown, serialization and deadlock, resource limits. */
export function isTransientDbError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') {
    if (/^(08|53|57P|58)/.test(code)) return true;
    if (code === '40001' || code === '40P01' || code === '55P03') return true;
    if (/^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN)$/.test(code)) return true;
  }
  const message = error instanceof Error ? error.message : String(error);
  return /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down|in recovery mode)|Cannot use a pool after calling end/i.test(
    message,
  );
}

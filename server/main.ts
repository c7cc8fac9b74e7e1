/**
 * `npm run server` — the central server. PostgreSQL when DATABASE_URL is set, otherwise embedded PGlite in the
 * data folder (default ./server-data, or $TIRKEU_SERVER_DATA). Plain HTTP is refused off loopback unless
 * --allow-insecure-http; give --tls-cert and --tls-key (or the same keys in --config FILE.json) for HTTPS.
 * --retention-days N (default 30): history kept on the server; it must exceed the longest time a desk stays
 * offline (a batch replayed after it is treated as new). PGlite is vacuumed and analyzed hourly.
 * --updates-dir DIR: electron-builder's output (installers + latest*.yml) served to enrolled desks (server/updates.ts).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildServer, isLoopback } from './app';
import { openServerDb, type ServerDb } from './db';
import { DEFAULT_RETENTION_DAYS, startMaintenance } from './maintenance';
import { systemClock } from '../common/clock';

export interface ServerConfig {
  host: string;
  port: number;
  /** PGlite data folder (also where server.json for the CLI is written). */
  dataDir: string;
  databaseUrl?: string | undefined;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  allowInsecureHttp?: boolean;
  minSchema?: number;
  /** How long a claimed e-request stays with one desk without a registration (minutes; default 10). */
  erequestLeaseMinutes?: number;
  logger?: boolean;
  /** Days of server history kept (operations, batches, superseded or pulled changes); see server/maintenance.ts. */
  retentionDays?: number;
  /** The folder of published application updates served to enrolled workstations (server/updates.ts). */
  updatesDir?: string | undefined;
}

export interface RunningServer {
  app: FastifyInstance;
  db: ServerDb;
  url: string;
  close(): Promise<void>;
}

export const SERVER_STATE_FILE = 'server.json';

export function resolveConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'allow-insecure-http': { type: 'boolean' },
      'min-schema': { type: 'string' },
      'erequest-lease-minutes': { type: 'string' },
      'retention-days': { type: 'string' },
      'updates-dir': { type: 'string' },
      quiet: { type: 'boolean' },
    },
  });
  const file = values.config ? (JSON.parse(fs.readFileSync(values.config, 'utf8')) as Partial<ServerConfig>) : {};
  return {
    host: values.host ?? file.host ?? env.TIRKEU_SERVER_HOST ?? '127.0.0.1',
    port: Number(values.port ?? file.port ?? env.TIRKEU_SERVER_PORT ?? 8787),
    dataDir: path.resolve(values.data ?? file.dataDir ?? env.TIRKEU_SERVER_DATA ?? 'server-data'),
    databaseUrl: env.DATABASE_URL || file.databaseUrl || undefined,
    tlsCert: values['tls-cert'] ?? file.tlsCert,
    tlsKey: values['tls-key'] ?? file.tlsKey,
    allowInsecureHttp: values['allow-insecure-http'] ?? file.allowInsecureHttp ?? false,
    minSchema: Number(values['min-schema'] ?? file.minSchema ?? 0),
    erequestLeaseMinutes: leaseMinutes(values['erequest-lease-minutes'] ?? file.erequestLeaseMinutes),
    retentionDays: retentionDays(values['retention-days'] ?? file.retentionDays ?? env.TIRKEU_SERVER_RETENTION_DAYS),
    logger: !(values.quiet ?? false),
    updatesDir: updatesDir(values['updates-dir'] ?? file.updatesDir),
  };
}

function updatesDir(raw: string | undefined): string | undefined {
  return raw ? path.resolve(raw) : undefined;
}

function leaseMinutes(raw: string | number | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 1 || n > 24 * 60) throw new Error(`--erequest-lease-minutes: expected 1…1440 minutes, got ${raw}`);
  return n;
}

function retentionDays(value: string | number | undefined): number {
  if (value === undefined || value === '') return DEFAULT_RETENTION_DAYS;
  const days = Number(value);
  if (!Number.isFinite(days) || days < 1)
    throw new Error(`--retention-days: expected a number of days (1 or more), got ${JSON.stringify(value)}`);
  return days;
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const tls = config.tlsCert || config.tlsKey;
  if (tls && !(config.tlsCert && config.tlsKey)) throw new Error('TLS needs both --tls-cert and --tls-key');
  const loopbackHost = config.host === 'localhost' || isLoopback(config.host);
  if (!tls && !loopbackHost && !config.allowInsecureHttp)
    throw new Error(
      `Refusing plain HTTP on ${config.host}: give --tls-cert and --tls-key, or --allow-insecure-http on a network you trust.`,
    );
  fs.mkdirSync(config.dataDir, { recursive: true });
  const db = await openServerDb({ databaseUrl: config.databaseUrl, dataDir: path.join(config.dataDir, 'pglite') });
  const adminToken = randomBytes(24).toString('base64url');
  const app = buildServer({
    db,
    adminToken,
    minSchema: config.minSchema,
    updatesDir: config.updatesDir ?? null,
    ...(config.erequestLeaseMinutes ? { erequestLeaseMs: config.erequestLeaseMinutes * 60_000 } : {}),
    logger: config.logger,
    https: tls ? { cert: fs.readFileSync(config.tlsCert!), key: fs.readFileSync(config.tlsKey!) } : null,
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await db.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const url = `${tls ? 'https' : 'http'}://${hostForUrl}:${port}`;
  const stateFile = path.join(config.dataDir, SERVER_STATE_FILE);
  const adminUrl = `${tls ? 'https' : 'http'}://${config.host === '0.0.0.0' || config.host === '::' || loopbackHost ? '127.0.0.1' : config.host}:${port}`;
  fs.writeFileSync(stateFile, JSON.stringify({ pid: process.pid, url, adminUrl, adminToken, database: db.kind }), { mode: 0o600 });
  const maintenance = startMaintenance(db, {
    retentionDays: config.retentionDays ?? DEFAULT_RETENTION_DAYS,
    clock: systemClock,
    log: (message, details) => app.log.info(details ?? {}, message),
  });
  return {
    app,
    db,
    url,
    async close() {
      try {
        fs.rmSync(stateFile, { force: true });
        await maintenance.stop();
        await app.close();
      } finally {
        await db.close();
      }
    },
  };
}

async function main() {
  const config = resolveConfig(process.argv.slice(2));
  const server = await startServer(config);
  process.stdout.write(
    `Tirkeu central server on ${server.url} (${server.db.kind === 'pglite' ? `embedded PGlite in ${path.join(config.dataDir, 'pglite')}` : 'PostgreSQL'})\n` +
      `Create an enrollment code: npm run server:cli -- enroll-code --org BIN --data ${config.dataDir}\n`,
  );
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    process.stderr.write(`tirkeu-server: ${(error as Error).message}\n`);
    process.exit(1);
  });
}

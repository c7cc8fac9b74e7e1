/**
 * The clinic simulation's central server (issue 13): the real Fastify app on PGlite (a data folder) or PostgreSQL
 * (a scratch database), which the simulation restarts — for PGlite the database is closed and the same data folder
 * opened again, for PostgreSQL the app and its pool are rebuilt — and, in front of it, a proxy the desks talk to.
 * The proxy stays up across restarts (so the desks keep their server address) and drops some push responses after
 * the server committed the batch: the desk never hears the answer and sends the same batch again. It drops some
 * e-request claim answers the same way: the server leased the requests to a desk that does not know it, so they
 * wait until that desk claims them again or the lease runs out. A desk that goes offline loses its network here
 * (its credential is refused), so a round in flight at that moment breaks off half done — e.g. after claiming
 * e-requests and registering them, before the registrations reached the server.
 */
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../common/clock';
import { buildServer } from '../../server/app';
import { createScratchDatabase } from '../../server/clinic-audit';
import { openServerDb, type ServerDb } from '../../server/db';

export type SimDatabase = 'pglite' | 'postgres';

export interface CentralOptions {
  database: SimDatabase;
  /** PostgreSQL: a server URL with a user allowed to create databases (a scratch one is made per run). */
  postgresUrl?: string;
  /** PostgreSQL: an empty database to use as it is (instead of a scratch one on `postgresUrl`). */
  databaseUrl?: string;
  clock: Clock;
  /** Probability that a push (or e-request claim) response is dropped after the server committed it. */
  dropRate: number;
  random: () => number;
}

export class CentralServer {
  db!: ServerDb;
  private app: FastifyInstance | null = null;
  private upstreamPort = 0;
  private proxy: http.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private dataDir: string | null = null;
  private dropDatabase: (() => Promise<void>) | null = null;
  private databaseUrl: string | null = null;
  /** The bearer credentials of the desks that are offline: their requests never reach the server. */
  private readonly offline = new Set<string>();
  /** Push and claim responses the proxy dropped; server restarts done. */
  dropped = 0;
  restarts = 0;
  /** The address the desks enroll with (the proxy's). */
  url = '';

  constructor(private readonly options: CentralOptions) {}

  async start(): Promise<void> {
    if (this.options.database === 'postgres' && this.options.databaseUrl) {
      this.databaseUrl = this.options.databaseUrl;
    } else if (this.options.database === 'postgres') {
      if (!this.options.postgresUrl) throw new Error('--database postgres needs a server: set DATABASE_URL or pass --postgres-url');
      const name = `tirkeu_sim_${process.pid}_${Math.floor(this.options.random() * 1e9)}`;
      const scratch = await createScratchDatabase(this.options.postgresUrl, name);
      this.databaseUrl = scratch.url;
      this.dropDatabase = scratch.drop;
    } else {
      this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-sim-server-'));
    }
    await this.open();
    await this.startProxy();
  }

  private async open(): Promise<void> {
    this.db = await openServerDb(this.databaseUrl ? { databaseUrl: this.databaseUrl, poolSize: 4 } : { dataDir: this.dataDir! });
    this.app = buildServer({ db: this.db, clock: this.options.clock, adminToken: null });
    await this.app.listen({ host: '127.0.0.1', port: 0 });
    this.upstreamPort = (this.app.server.address() as net.AddressInfo).port;
  }

  /** Stops the server (requests in progress finish; the desks' next requests fail) and starts it again. */
  async restart(): Promise<void> {
    await this.app?.close();
    await this.db.close();
    this.app = null;
    await this.open();
    this.restarts++;
  }

  /** Cuts a desk off the network (or connects it again), by its credential. */
  setOffline(credential: string, offline: boolean): void {
    if (offline) this.offline.add(`Bearer ${credential}`);
    else this.offline.delete(`Bearer ${credential}`);
  }

  private async startProxy(): Promise<void> {
    this.proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (!this.app || this.offline.has(req.headers.authorization ?? '')) {
          req.socket.destroy(); // restarting, or the desk offline: as if the server were unreachable
          return;
        }
        const up = http.request(
          { host: '127.0.0.1', port: this.upstreamPort, path: req.url, method: req.method, headers: req.headers },
          (ur) => {
            const body: Buffer[] = [];
            ur.on('data', (c: Buffer) => body.push(c));
            ur.on('end', () => {
              const droppable = req.url?.startsWith('/v1/sync/push') || req.url?.startsWith('/v1/erequests/claim');
              if (droppable && ur.statusCode === 200 && this.options.random() < this.options.dropRate) {
                this.dropped++;
                req.socket.destroy(); // committed on the server; the desk never hears of it
                return;
              }
              res.writeHead(ur.statusCode ?? 502, ur.headers);
              res.end(Buffer.concat(body));
            });
            ur.on('error', () => req.socket.destroy());
          },
        );
        up.on('error', () => req.socket.destroy());
        up.end(Buffer.concat(chunks));
      });
    });
    this.proxy.on('connection', (s: net.Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.proxy!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.proxy.address() as net.AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.proxy ? this.proxy.close(() => resolve()) : resolve()));
    await this.app?.close();
    await this.db?.close();
    if (this.dropDatabase) await this.dropDatabase().catch(() => undefined);
    if (this.dataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

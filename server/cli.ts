/**
 * `npm run server:cli -- <command>` — the central server's administration.
 *
 *   enroll-code --org BIN [--name NAME] [--ttl-hours 72] [--profile ORG.json]
 *                                                            a one-time code for one workstation; the profile
 *                                                            ({name: {kk, ru, en}, region, timezone, address}) is
 *                                                            what every desk of the organization receives
 *   revoke WORKSTATION_ID                                    refuse that workstation's credential from now on
 *   workstations [--org BIN]                                 the enrolled workstations
 *   publish --org BIN FILE.json                              reference rows [{kind, key, payload}] for an organization
 *                                                            (any number: sent in chunks of LIMITS.publishMaxRows)
 *   gateway-credential [--name NAME]                         the portal gateway's own credential (shown once)
 *
 * Common options: --data DIR (the server's data folder; default ./server-data or $TIRKEU_SERVER_DATA).
 * With DATABASE_URL set the CLI works on PostgreSQL directly. With embedded PGlite, which one process at a time
 * may open, the CLI asks the running server (loopback, admin token from DIR/server.json) or, when no server
 * runs, opens the data folder itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { openServerDb, type ServerDb } from './db';
import { SERVER_STATE_FILE } from './main';
import { createGatewayCredential } from './gateway';
import { createEnrollmentCode, listWorkstations, revokeWorkstation } from './enrollment';
import { publishChunks, publishReference } from './change-log';
import { LIMITS } from '../common/sync-protocol';
import { orgProfileSchema, type OrgProfile } from '../common/organization';

interface Io {
  out(s: string): void;
  err(s: string): void;
  env: NodeJS.ProcessEnv;
}

type Backend = {
  call<T>(route: string, body: unknown, direct: (db: ServerDb) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function backend(dataDir: string, env: NodeJS.ProcessEnv): Promise<Backend> {
  const stateFile = path.join(dataDir, SERVER_STATE_FILE);
  if (!env.DATABASE_URL && fs.existsSync(stateFile)) {
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { pid: number; adminUrl: string; adminToken: string };
    if (alive(state.pid)) {
      return {
        async call<T>(route: string, body: unknown) {
          const r = await fetch(`${state.adminUrl}/admin/${route}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-tirkeu-admin': state.adminToken },
            body: JSON.stringify(body ?? {}),
          });
          const data = (await r.json()) as T & { message?: string };
          if (!r.ok) throw new Error(data.message ?? `HTTP ${r.status}`);
          return data;
        },
        close: async () => undefined,
      };
    }
  }
  const db = await openServerDb({ databaseUrl: env.DATABASE_URL, dataDir: path.join(dataDir, 'pglite') });
  return { call: (_route, _body, direct) => direct(db), close: () => db.close() };
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      org: { type: 'string' },
      name: { type: 'string' },
      'ttl-hours': { type: 'string' },
      profile: { type: 'string' },
    },
  });
  const dataDir = path.resolve(values.data ?? io.env.TIRKEU_SERVER_DATA ?? 'server-data');
  const usage = () => {
    io.err(
      'Usage: tirkeu-server enroll-code --org BIN [--name NAME] [--ttl-hours H] [--profile ORG.json] | revoke WORKSTATION_ID | workstations [--org BIN] | publish --org BIN FILE.json | gateway-credential [--name NAME]   [--data DIR]\n',
    );
    return 2;
  };
  if (!command) return usage();
  if (command === 'enroll-code' && !/^\d{12}$/.test(values.org ?? '')) {
    io.err('enroll-code needs --org BIN (the organization’s 12-digit BIN)\n');
    return 2;
  }
  if (!['enroll-code', 'revoke', 'workstations', 'publish', 'gateway-credential'].includes(command)) return usage();
  const b = await backend(dataDir, io.env);
  try {
    switch (command) {
      case 'enroll-code': {
        const ttlHours = values['ttl-hours'] ? Number(values['ttl-hours']) : 72;
        // The organization's names, region, time zone and address (common/organization.ts), sent to every desk.
        let profile: OrgProfile | undefined;
        if (values.profile) {
          const parsed = orgProfileSchema.safeParse(JSON.parse(fs.readFileSync(values.profile, 'utf8')));
          if (!parsed.success) {
            io.err(`${values.profile}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}\n`);
            return 2;
          }
          profile = parsed.data;
        }
        const r = await b.call('enroll-code', { org: values.org, name: values.name, ttlHours, profile }, (db) =>
          createEnrollmentCode(db, { orgBin: values.org!, name: values.name, ttlHours, profile }),
        );
        io.out(
          `Enrollment code for organization ${values.org}: ${r.code}\nValid once, until ${r.expiresAt}. Enter it on the workstation: Sync → Enroll.\n`,
        );
        return 0;
      }
      case 'revoke': {
        const id = positionals[0];
        if (!id) return usage();
        const r = await b.call('revoke', { id }, async (db) => ({ revoked: await revokeWorkstation(db, id) }));
        io.out(r.revoked ? `Workstation ${id} revoked: its credential is refused from now on.\n` : `No active workstation ${id}.\n`);
        return r.revoked ? 0 : 1;
      }
      case 'workstations': {
        const rows = await b.call('workstations', { org: values.org }, (db) => listWorkstations(db, values.org));
        for (const w of rows) io.out(JSON.stringify(w) + '\n');
        return 0;
      }
      case 'publish': {
        const file = positionals[0];
        if (!file || !values.org) return usage();
        const rows = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ kind: string; key: string; payload: unknown; deleted?: boolean }>;
        // In chunks: one request (and transactions of its own) each, so any size passes the server's body limit.
        let published = 0;
        for (const chunk of publishChunks(rows, LIMITS.publishMaxRows, LIMITS.publishMaxBytes)) {
          const r = await b.call('publish', { org: values.org, rows: chunk }, async (db) => ({
            published: await publishReference(db, values.org!, chunk),
          }));
          published += r.published;
        }
        io.out(`Published ${published} reference rows for ${values.org}.\n`);
        return 0;
      }
      case 'gateway-credential': {
        const r = await b.call('gateway-credential', { name: values.name }, (db) => createGatewayCredential(db, values.name ?? ''));
        io.out(`Gateway credential ${r.id} (shown once; send it as "Authorization: Bearer …"):\n${r.credential}\n`);
        return 0;
      }
    }
    return usage();
  } catch (error) {
    io.err(`tirkeu-server ${command}: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await b.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
  );
}

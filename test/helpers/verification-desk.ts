/**
 * The setting of the document-verification tests (issue 19): a central server whose public page answers as many
 * checks as a test makes, and a workstation enrolled with it, with the test's people in its register and its
 * registrar and administrator logged in.
 */
import { getOrganization } from '../../db/organization';
import { addToRegister, createTestWorkstation, type Caller, type TestWorkstation } from './app';
import type { PgCluster } from './postgres';
import { startTestServer, type Backend, type TestServer } from './sync-server';

export interface VerificationDesk {
  server: TestServer;
  ws: TestWorkstation;
  admin: Caller;
  reg: Caller;
  close(): Promise<void>;
}

export async function verificationDesk(
  backend: Backend,
  cluster: PgCluster | undefined,
  clock: () => Date,
  people: Array<Parameters<typeof addToRegister>[1]>,
): Promise<VerificationDesk> {
  const server = await startTestServer(backend, cluster, { clock, verifyRateLimit: { burst: 1000, perSecond: 1000 } });
  const ws = createTestWorkstation({ population: 5, clock });
  for (const p of people) addToRegister(ws.app, p);
  const admin = await ws.as('admin');
  await admin.call('sync.enroll', { serverUrl: server.url, code: await server.code(getOrganization(ws.app.db)!.bin) });
  const reg = await ws.as('registrar');
  return {
    server,
    ws,
    admin,
    reg,
    async close() {
      ws.close();
      await server.close();
    },
  };
}

/** The public page as a plain HTTP client (an employer's browser or script) gets it. */
export async function verificationPage(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

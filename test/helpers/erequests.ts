/**
 * E-requests end to end on loopback: the central server on PGlite with a gateway credential, a workstation of the
 * test PKI's organization (BIN = the organization certificate's) enrolled with it, trusting the test CA and its
 * CRL, with the organization's PKCS#12 as the provider key, and a test citizen in the register, attached here.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { getOrganization, saveOrganization } from '../../db/organization';
import { findStaffByLogin } from '../../db/staff';
import { createGatewayCredential } from '../../server/gateway';
import { publishReference } from '../../server/push';
import { addToRegister, createTestWorkstation, type Caller, type TestWorkstation } from './app';
import { workingDayClock, type TestClock } from './clock';
import { createTestPki, type TestPki } from './pki';
import { startTestServer, type TestServer } from './sync-server';

export const ORG_P12_PASSWORD = 'Ұйым-құпия 7';

export interface ErequestRig {
  pki: TestPki;
  server: TestServer;
  ws: TestWorkstation;
  admin: Caller;
  registrar: Caller;
  gateway: string;
  /** The one clock of the rig: PKI, OpenSSL, server, gateway and workstation all read it. */
  clock: TestClock;
  post(der: Uint8Array): Promise<{ status: number; body: { number: string; status: string; duplicate: boolean } }>;
  status(number: string): Promise<any>;
  close(): Promise<void>;
}

/** What the administrator and the registrar do once: org BIN, enrollment, provider key, trust, the test citizen. */
export async function setUpErequestWorkstation(
  ws: TestWorkstation,
  pki: TestPki,
  server: TestServer,
  options: { attachCitizen?: boolean; registrarConfirms?: boolean } = {},
): Promise<{ admin: Caller; registrar: Caller }> {
  // No direct write of the BIN: enrolling a fresh desk with the organization's code makes it that organization's.
  const admin = await ws.as('admin');
  await admin.call('sync.enroll', { serverUrl: server.url, code: await server.code(pki.organizationBin) });
  if (getOrganization(ws.app.db)!.bin !== pki.organizationBin) throw new Error('enrollment did not bind the desk to its organization');
  // The central server checks the organization's signed answers against the CA certificates published to it (issue 14).
  await publishReference(server.db, pki.organizationBin, [
    { kind: 'ca-certificate', key: 'test-ca', payload: { pem: fs.readFileSync(pki.caCert, 'utf8') } },
  ]);
  return setUpErequestDesk(ws, pki, options);
}

/**
 * A desk of the test PKI's organization that is enrolled with no server (a clinic's single workstation): the BIN
 * written as its administrator's clinic set-up leaves it, then the same key, trust and citizen. Its intake takes
 * every new e-request without claiming it (the bench measures the desk's own work with it).
 */
export async function setUpStandaloneErequestDesk(
  ws: TestWorkstation,
  pki: TestPki,
  options: { attachCitizen?: boolean; registrarConfirms?: boolean } = {},
): Promise<{ admin: Caller; registrar: Caller }> {
  saveOrganization(ws.app.db, { ...getOrganization(ws.app.db)!, bin: pki.organizationBin });
  return setUpErequestDesk(ws, pki, options);
}

/** The provider key, the trust files, the test citizen in the register (attached unless told otherwise), the policy. */
async function setUpErequestDesk(
  ws: TestWorkstation,
  pki: TestPki,
  options: { attachCitizen?: boolean; registrarConfirms?: boolean },
): Promise<{ admin: Caller; registrar: Caller }> {
  const admin = await ws.as('admin');
  const registrar = await ws.as('registrar');
  const p12 = path.join(pki.dir, 'organization.p12');
  if (!fs.existsSync(p12)) {
    pki.openssl(
      [
        'pkcs12',
        '-export',
        '-inkey',
        pki.certs.organization.key,
        '-in',
        pki.certs.organization.cert,
        '-certfile',
        pki.caCert,
        '-name',
        'org',
        '-passout',
        'stdin',
        '-out',
        p12,
      ],
      {
        input: `${ORG_P12_PASSWORD}\n`,
      },
    );
  }
  await admin.call('erequests.setProviderKey', {
    source: { kind: 'pkcs12', fileName: 'organization.p12', fileBase64: fs.readFileSync(p12).toString('base64') },
    secret: ORG_P12_PASSWORD,
  });
  await admin.call('erequests.addTrustFile', { fileName: 'ca.pem', base64: fs.readFileSync(pki.caCert).toString('base64') });
  await admin.call('erequests.addTrustFile', { fileName: 'crl.pem', base64: fs.readFileSync(pki.crl).toString('base64') });
  // The test citizen: in the register, living in district 1, attached here (unless the test attaches them).
  // In the population register (an Astana desk serves no one entered by hand: the regulation refuses them).
  addToRegister(ws.app, {
    iin: pki.citizenIin,
    surname: 'Тестов',
    givenName: 'Али',
    address: 'Астана қ., Тұран д-лы, 5, 12',
    phone: '+77011234567',
  });
  if (options.attachCitizen !== false)
    await registrar.call('attachments.apply', { iin: pki.citizenIin, documents: ['application', 'identity-document'] });
  // The Astana e-services are fully automated (cl. 3): the rules answer, unless the organization has a registrar confirm.
  if (options.registrarConfirms) await admin.call('erequests.setPolicy', { autoAnswer: false, confirmAutomated: true, onBehalfOf: null });
  return { admin, registrar };
}

/** A home-visit e-request from the test citizen, as the portal sends it (sign it with `pki.signRequest`). */
export function homeVisitRequest(pki: TestPki, at: Date, over: Record<string, unknown> = {}) {
  return {
    type: 'home-visit',
    requestId: randomUUID(),
    iin: pki.citizenIin,
    organizationBin: pki.organizationBin,
    submittedAt: at.toISOString(),
    address: 'Астана қ., Тұран д-лы, 5, 12',
    phone: '+77011234567',
    complaint: 'Температура 38,5',
    ...over,
  };
}

/** The gateway's two calls. */
export function gatewayClient(serverUrl: string, gateway: string) {
  return {
    async post(der: Uint8Array) {
      const r = await fetch(`${serverUrl}/v1/gateway/requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gateway}`, 'content-type': 'application/pkcs7-mime' },
        body: der as unknown as RequestInit['body'],
      });
      return { status: r.status, body: (await r.json()) as { number: string; status: string; duplicate: boolean } };
    },
    async status(number: string): Promise<any> {
      const r = await fetch(`${serverUrl}/v1/gateway/requests/${number}`, { headers: { authorization: `Bearer ${gateway}` } });
      return r.json();
    },
  };
}

export async function createErequestRig(
  options: { clock?: TestClock; attachCitizen?: boolean; registrarConfirms?: boolean } = {},
): Promise<ErequestRig> {
  // 10:00 in Astana on the next working day after today, unless told otherwise; everything below shares it.
  const clock = options.clock ?? workingDayClock('10:00');
  const pki = createTestPki({ clock });
  const server = await startTestServer('pglite', undefined, { clock: clock.read });
  const ws = createTestWorkstation({ population: 20, clock: clock.read });
  const { admin, registrar } = await setUpErequestWorkstation(ws, pki, server, {
    attachCitizen: options.attachCitizen,
    registrarConfirms: options.registrarConfirms,
  });
  const gateway = (await createGatewayCredential(server.db, 'test portal')).credential;
  return {
    pki,
    server,
    ws,
    admin,
    registrar,
    gateway,
    clock,
    ...gatewayClient(server.url, gateway),
    async close() {
      ws.close();
      await server.close();
      pki.cleanup();
    },
  };
}

/**
 * The first free slot of a doctor (by login) from now on, as the application offers it to a registrar: a test never
 * writes a slot time down, so it holds on whatever day the suite runs.
 */
export async function firstFreeSlot(ws: TestWorkstation, registrar: Caller, doctorLogin: string): Promise<string> {
  const doctor = findStaffByLogin(ws.app.db, doctorLogin);
  if (!doctor) throw new Error(`no doctor ${doctorLogin} in the demo staff`);
  const { slots } = await registrar.call('appointments.freeSlots', { doctorId: doctor.id, days: 1, limit: 1 });
  if (!slots[0]) throw new Error(`${doctorLogin} has no free slot today`);
  return slots[0].start;
}

/** `openssl cms -verify` of a detached answer against the test CA: true when openssl says the signature holds. */
export function opensslVerifies(pki: TestPki, document: string, cmsBase64: string): boolean {
  const doc = path.join(pki.dir, `answer-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(doc, document);
  fs.writeFileSync(`${doc}.p7s`, Buffer.from(cmsBase64, 'base64'));
  try {
    pki.openssl([
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      `${doc}.p7s`,
      '-content',
      doc,
      '-CAfile',
      pki.caCert,
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ]);
    return true;
  } catch {
    return false;
  }
}

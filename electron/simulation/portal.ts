/**
 * The citizens' portal of the clinic simulation (issue 13): citizens of the desks' population send signed
 * e-requests (home visits, appointments) through the gateway to the simulated central server, which hands them down
 * to every desk; the desks must register each exactly once between them (e-request leases).
 *
 * The signatures are real CMS (CAdES-BES, content encapsulated) made by the openssl CLI, as the portal's gateway
 * would pass them on (server/gateway-submit.ts signs the same way): a throw-away certification authority (a
 * self-signed EC key and certificate, and its empty CRL) made once per run in a temporary folder, one signing
 * certificate per citizen (IIN in SERIALNUMBER, as NCA issues them) made the first time that citizen writes, and
 * one `openssl cms -sign` per request. Every desk's administrator loads the CA and its CRL as trust files, so the
 * requests verify and wait for the registrar as genuine ones do. The pool of citizens who write is small (a dozen),
 * so a run makes a dozen certificates at most.
 */
import { cmsSignArgs } from '../../pki/openssl-cms';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../../common/clock';
import type { ErequestContent } from '../../common/erequests';
import { createGatewayCredential } from '../../server/gateway';
import type { ServerDb } from '../../server/db';

/** Citizens who write to the portal during a run (a certificate each). */
const WRITERS = 12;
const DAY_MS = 86_400_000;

const CONFIG = `
[ ca ]
default_ca = sim_ca
[ sim_ca ]
database = index.txt
crlnumber = crlnumber
certificate = ca.pem
private_key = ca.key
default_md = sha256
default_crl_days = 3650
[ req ]
distinguished_name = dn
[ dn ]
[ ca_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ citizen ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ crl_ext ]
authorityKeyIdentifier = keyid
`;

export interface PortalRequest {
  type: 'home-visit' | 'appointment';
  iin: string;
  /** Appointment: the doctor's login as the timetable publishes it. */
  doctor?: string;
}

export class SimPortal {
  /** Requests the gateway accepted; posts that failed (the server restarting) and were sent again. */
  posted = 0;
  retried = 0;
  private readonly certs = new Map<string, string>();
  private readonly pending: Buffer[] = [];
  private seq = 0;

  private constructor(
    private readonly dir: string,
    private readonly serverUrl: string,
    private readonly credential: string,
    private readonly orgBin: string,
    private readonly clock: Clock,
    /** The citizens who write: IINs of the population register every desk holds. */
    readonly writers: string[],
  ) {}

  /** Makes the CA and the gateway's credential on the server; `population` is the desks' population register. */
  static async open(o: { server: { url: string; db: ServerDb }; orgBin: string; clock: Clock; population: string[] }): Promise<SimPortal> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-sim-portal-'));
    fs.writeFileSync(path.join(dir, 'openssl.cnf'), CONFIG);
    fs.writeFileSync(path.join(dir, 'index.txt'), '');
    fs.writeFileSync(path.join(dir, 'crlnumber'), '01\n');
    const run = (args: string[]) => openssl(dir, args);
    run([
      'req',
      '-x509',
      '-config',
      'openssl.cnf',
      '-extensions',
      'ca_ext',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '3650',
      '-subj',
      '/C=KZ/O=Tirkeu simulation/CN=SIMULATED PORTAL CA',
    ]);
    run(['ca', '-batch', '-config', 'openssl.cnf', '-gencrl', '-crlexts', 'crl_ext', '-out', 'crl.pem']);
    // One key for every citizen: the certificates (and their IINs) differ, which is what the desks check.
    run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'citizen.key']);
    const { credential } = await createGatewayCredential(o.server.db, 'simulated portal');
    return new SimPortal(dir, o.server.url, credential, o.orgBin, o.clock, o.population.slice(0, WRITERS));
  }

  /** The CA certificate and its CRL (PEM), for the desks' trust files. */
  trustFiles(): Array<{ fileName: string; base64: string }> {
    return ['ca.pem', 'crl.pem'].map((f) => ({
      fileName: `simulated-portal-${f}`,
      base64: fs.readFileSync(path.join(this.dir, f)).toString('base64'),
    }));
  }

  /** The signing certificate of a citizen (made the first time the citizen writes). */
  private certOf(iin: string): string {
    let file = this.certs.get(iin);
    if (!file) {
      file = `citizen-${iin}.pem`;
      openssl(this.dir, [
        'req',
        '-x509',
        '-config',
        'openssl.cnf',
        '-extensions',
        'citizen',
        '-new',
        '-key',
        'citizen.key',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-days',
        '3650',
        '-utf8',
        '-subj',
        `/CN=АЗАМАТ ${iin}/serialNumber=IIN${iin}/C=KZ`,
        '-out',
        file,
      ]);
      this.certs.set(iin, file);
    }
    return file;
  }

  /** Signs the request as the citizen and posts it; a post that fails is sent again with the next one. */
  async submit(r: PortalRequest): Promise<void> {
    const now = this.clock();
    const requestId = `sim-portal-${now.getTime()}-${++this.seq}`;
    const base = { requestId, iin: r.iin, organizationBin: this.orgBin, submittedAt: now.toISOString() };
    const content: ErequestContent =
      r.type === 'home-visit'
        ? {
            type: 'home-visit',
            ...base,
            address: 'Атырау қ., Сәтпаев д-лы, 12, 7',
            phone: '+7 701 555 12 34',
            complaint: 'Қызуы 38,2, жөтел',
          }
        : {
            type: 'appointment',
            ...base,
            doctor: r.doctor ?? 'therapist',
            // The next day, on the hour: the desk checks the slot; a taken or closed one is the registrar's concern.
            slotStart: new Date(Math.ceil((now.getTime() + DAY_MS) / 3_600_000) * 3_600_000).toISOString(),
            phone: '+7 701 555 12 34',
          };
    const input = path.join(this.dir, `request-${this.seq}.json`);
    fs.writeFileSync(input, JSON.stringify(content));
    const der = openssl(this.dir, cmsSignArgs({ input, signer: this.certOf(r.iin), key: 'citizen.key', encapsulated: true }));
    fs.rmSync(input);
    this.pending.push(der);
    await this.flush();
  }

  /** Posts what is waiting; the gateway answers a second post of one request with its first number. */
  async flush(): Promise<void> {
    while (this.pending.length) {
      try {
        const res = await fetch(`${this.serverUrl}/v1/gateway/requests`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.credential}`, 'content-type': 'application/pkcs7-mime' },
          body: this.pending[0] as unknown as RequestInit['body'],
        });
        if (!res.ok) throw new Error(`the gateway answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
        const body = (await res.json()) as { duplicate?: boolean };
        if (!body.duplicate) this.posted++;
        this.pending.shift();
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('the gateway answered')) throw error;
        this.retried++;
        return; // unreachable (restarting): sent again with the next request or at the end
      }
    }
  }

  get waiting(): number {
    return this.pending.length;
  }

  close(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function openssl(cwd: string, args: string[]): Buffer {
  try {
    return execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`openssl ${args[0]} failed: ${err.stderr?.toString().trim() || err.message}`);
  }
}

/**
 * The clinic set-up of the Administration screen (issue 16) on a real SQLite file and a test PKI made by openssl:
 * the e-request trust files (what is trusted, what is refused and why, naming the field), the organization's answer
 * key (its certificate shown, never the key; refused when it cannot answer for the organization; stored sealed),
 * and `tirkeu trust` / `tirkeu answer-key` on the same data folder and services.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../../electron/cli';
import { trustOverview } from '../../../../electron/services/admin/trust-files';
import { trustStore } from '../../../../electron/services/erequests/trust';
import { createTestWorkstation, type Caller, type TestWorkstation } from '../../../helpers/app';
import { realNow, TestClock } from '../../../helpers/clock';
import { makeBigCrl } from '../../../helpers/crl-writer';
import { createTestPki, writeTemp, type TestPki } from '../../../helpers/pki';

const ORG_PASSWORD = 'Ұйым-кілті 9';
let ws: TestWorkstation;
let pki: TestPki;
let admin: Caller;
let orgP12: string;
const clock = new TestClock(realNow());

beforeAll(async () => {
  ws = createTestWorkstation({ population: 10, clock: clock.read });
  pki = createTestPki({ clock: ws.app.clock });
  // The organization of the test PKI: its BIN is what the answer key must carry.
  ws.app.db.prepare('UPDATE organization SET bin = ?').run(pki.organizationBin);
  orgP12 = path.join(pki.dir, 'organization.p12');
  pki.openssl(
    [
      'pkcs12',
      '-export',
      '-inkey',
      pki.certs.organization.key,
      '-in',
      pki.certs.organization.cert,
      '-name',
      'org',
      '-passout',
      'stdin',
      '-out',
      orgP12,
    ],
    { input: `${ORG_PASSWORD}\n` },
  );
  admin = await ws.as('admin');
}, 120_000);
afterAll(async () => {
  // Each command's log file opens asynchronously: let it open before the folder goes.
  await new Promise((r) => setTimeout(r, 200));
  ws?.close();
  pki?.cleanup();
});

const b64 = (file: string) => fs.readFileSync(file).toString('base64');

async function refusal(c: Caller, method: string, args: unknown) {
  const r = await c.raw(method, args);
  if (r.ok) throw new Error(`${method} was accepted`);
  return r.error as { code: string; message: string; params?: Record<string, unknown>; fields?: string[] };
}

describe('e-request trust files', () => {
  it('starts empty, then shows the loaded CA with its validity and the CRL with its updates and entry count', async () => {
    expect(await admin.call('trustFiles.list', {})).toEqual({ certificates: [], crls: [] });
    await admin.call('trustFiles.add', { fileName: 'ca.pem', base64: b64(pki.caCert) });
    const after = await admin.call('trustFiles.add', { fileName: 'crl.der', base64: b64(pki.crlDer) });
    expect(after.certificates).toHaveLength(1);
    const ca = after.certificates[0]!;
    expect(ca).toMatchObject({ source: 'file', name: 'ca.pem', state: 'valid' });
    expect(ca.subject).toContain('CN=');
    expect(new Date(ca.notAfter).getTime()).toBeGreaterThan(ws.app.clock().getTime());
    expect(after.crls).toHaveLength(1);
    const crl = after.crls[0]!;
    // One certificate of the test PKI is revoked.
    expect(crl).toMatchObject({ name: 'crl.der', state: 'current', entries: 1, problem: null, issuer: ca.subject });
    expect(new Date(crl.nextUpdate!).getTime()).toBeGreaterThan(new Date(crl.thisUpdate!).getTime());
    // The verifier uses what the screen shows.
    expect(trustStore(ws.app).anchors).toHaveLength(1);
    expect(trustStore(ws.app).crlCount).toBe(1);
  });

  it('an older CRL of the same CA is shown as superseded, not used', async () => {
    const r = await admin.call('trustFiles.add', { fileName: 'stale-crl.pem', base64: b64(pki.staleCrl) });
    const stale = r.crls.find((c) => c.name === 'stale-crl.pem')!;
    expect(stale.state).toBe('superseded');
    expect(r.crls.find((c) => c.name === 'crl.der')!.state).toBe('current');
  });

  it('refuses what is not a certificate or CRL, an end-entity certificate and CRLs no trusted CA signed, naming the file field', async () => {
    const text = await refusal(admin, 'trustFiles.add', {
      fileName: 'notes.txt',
      base64: Buffer.from('hello, not a certificate').toString('base64'),
    });
    expect(text).toMatchObject({ code: 'validation', params: { problem: 'not-certificate-or-crl' }, fields: ['base64'] });
    const key = await refusal(admin, 'trustFiles.add', { fileName: 'key.pem', base64: b64(pki.caKey) });
    expect(key.params?.problem).toBe('not-certificate-or-crl');
    const leaf = await refusal(admin, 'trustFiles.add', { fileName: 'citizen.pem', base64: b64(pki.certs.valid.cert) });
    expect(leaf).toMatchObject({ params: { problem: 'not-ca-certificate' }, fields: ['base64'] });
    const forged = await refusal(admin, 'trustFiles.add', { fileName: 'forged.pem', base64: b64(pki.forgedCrl) });
    expect(forged).toMatchObject({ params: { problem: 'crl-bad-signature' }, fields: ['base64'] });
    const other = makeBigCrl(3);
    const unknown = await refusal(admin, 'trustFiles.add', { fileName: 'other-ca.crl', base64: other.crlDer.toString('base64') });
    expect(unknown).toMatchObject({ params: { problem: 'crl-not-trusted' }, fields: ['base64'] });
    // Nothing refused was stored.
    const now = await admin.call('trustFiles.list', {});
    expect(now.certificates).toHaveLength(1);
    expect(now.crls.map((c) => c.name).sort()).toEqual(['crl.der', 'stale-crl.pem']);
  });

  it('a CRL past its next update is shown out of date, and the CA past its end expired', async () => {
    const list = await admin.call('trustFiles.list', {});
    const crl = list.crls.find((c) => c.name === 'crl.der')!;
    const saved = clock.now;
    // The service itself: a session would lock after idling a month.
    clock.now = new Date(new Date(crl.nextUpdate!).getTime() + 60_000);
    try {
      expect(trustOverview(ws.app).crls.find((c) => c.name === 'crl.der')!.state).toBe('stale');
      clock.now = new Date(new Date(list.certificates[0]!.notAfter).getTime() + 60_000);
      expect(trustOverview(ws.app).certificates[0]!.state).toBe('expired');
    } finally {
      clock.now = saved;
    }
    expect((await admin.call('trustFiles.list', {})).crls.find((c) => c.name === 'crl.der')!.state).toBe('current');
  });

  it('only the administrator may read or change them', async () => {
    const registrar = await ws.as('registrar');
    expect((await refusal(registrar, 'trustFiles.list', {})).code).toBe('forbidden');
    expect((await refusal(registrar, 'trustFiles.add', { fileName: 'ca.pem', base64: b64(pki.caCert) })).code).toBe('forbidden');
    expect((await refusal(registrar, 'tokens.check', {})).code).toBe('forbidden');
    expect((await refusal(registrar, 'answerKey.get', {})).code).toBe('forbidden');
  });
});

describe("the organization's answer key", () => {
  it('shows none until one is imported', async () => {
    expect(await admin.call('answerKey.get', {})).toMatchObject({
      configured: false,
      certificate: null,
      organizationBin: pki.organizationBin,
    });
  });

  it('refuses a wrong password (naming the password), a key of another holder and an expired key; stores nothing', async () => {
    const source = { kind: 'pkcs12' as const, fileName: 'organization.p12', fileBase64: b64(orgP12) };
    const wrong = await refusal(admin, 'answerKey.import', { source, secret: 'not the password' });
    expect(wrong).toMatchObject({ code: 'password-incorrect', fields: ['secret'] });
    const personal = { kind: 'pkcs12' as const, fileName: 'physician.p12', fileBase64: b64(pki.p12.path) };
    const mismatch = await refusal(admin, 'answerKey.import', { source: personal, secret: pki.p12.password });
    expect(mismatch).toMatchObject({ code: 'validation', params: { problem: 'bin-mismatch' }, fields: ['source'] });
    const expired = { kind: 'pkcs12' as const, fileName: 'expired.p12', fileBase64: b64(pki.p12Expired.path) };
    const old = await refusal(admin, 'answerKey.import', { source: expired, secret: pki.p12Expired.password });
    expect(old.message).toContain('certificate-expired');
    const garbage = { kind: 'pkcs12' as const, fileName: 'x.p12', fileBase64: Buffer.from('not a key file').toString('base64') };
    expect((await refusal(admin, 'answerKey.import', { source: garbage, secret: 'x' })).fields).toEqual(['source']);
    expect((await admin.call('answerKey.get', {})).configured).toBe(false);
  });

  it('imports the organization key: shows its subject, BIN and validity, keeps the file and password sealed', async () => {
    const source = { kind: 'pkcs12' as const, fileName: 'organization.p12', fileBase64: b64(orgP12) };
    const status = await admin.call('answerKey.import', { source, secret: ORG_PASSWORD });
    expect(status).toMatchObject({ configured: true, kind: 'pkcs12', label: 'organization.p12', problems: [], openError: null });
    expect(status.certificate!.bin).toBe(pki.organizationBin);
    expect(status.certificate!.subject).toContain(`BIN${pki.organizationBin}`);
    expect(new Date(status.certificate!.notAfter).getTime()).toBeGreaterThan(ws.app.clock().getTime());
    // What the screen gets back holds neither the password nor the file.
    const shown = JSON.stringify(await admin.call('answerKey.get', {}));
    expect(shown).not.toContain(ORG_PASSWORD);
    expect(shown).not.toContain(source.fileBase64.slice(0, 40));
    // The database holds them sealed only: neither the password nor the file's bytes appear in any setting.
    const settings = ws.app.db.prepare("SELECT key, value FROM setting WHERE key LIKE 'erequests.%'").all() as {
      key: string;
      value: string;
    }[];
    const all = settings.map((s) => s.value).join('\n');
    expect(settings.length).toBeGreaterThanOrEqual(2);
    expect(all).not.toContain(ORG_PASSWORD);
    expect(all).not.toContain(JSON.stringify(ORG_PASSWORD).slice(1, -1));
    expect(all).not.toContain(source.fileBase64.slice(0, 40));
    // The audit entry names the certificate, not the secret.
    const audit = ws.app.db.prepare("SELECT details FROM audit_log WHERE action = 'erequests.provider-key-set'").all() as {
      details: string;
    }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toContain(pki.organizationBin);
    expect(audit[0]!.details).not.toContain(ORG_PASSWORD);
  });
});

describe('tirkeu trust / answer-key on the same data folder', () => {
  async function tirkeu(argv: string[], stdin = '') {
    const out: string[] = [];
    const err: string[] = [];
    const sink = (to: string[]) => Object.assign(new PassThrough(), { write: (s: string) => (to.push(String(s)), true) });
    const input = new PassThrough();
    input.end(stdin);
    const code = await main(argv, { stdout: sink(out), stderr: sink(err), stdin: input, env: {} });
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  it('lists what the screen loaded, refuses a bad file by name, adds a file the screen then shows', async () => {
    const listed = await tirkeu(['trust', '--data', ws.dir]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/CA certificates: 1/);
    expect(listed.stdout).toMatch(/entries 1  current  \(crl\.der\)/);
    const bad = await tirkeu(['trust', 'add', writeTemp(pki, 'bad.pem', 'nothing'), '--data', ws.dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.pem holds neither a certificate nor a CRL \(base64\)/);
    const foreign = await tirkeu(['trust', 'add', pki.foreignCaCert, '--data', ws.dir]);
    expect(foreign.code).toBe(0);
    expect((await admin.call('trustFiles.list', {})).certificates.map((c) => c.name)).toContain('foreign-ca.pem');

    const key = await tirkeu(['answer-key', '--data', ws.dir]);
    expect(key.code).toBe(0);
    expect(key.stdout).toContain(`BIN ${pki.organizationBin}`);
    // Re-importing from the command line, the password on standard input; a wrong one is refused.
    expect((await tirkeu(['answer-key', 'import', orgP12, '--data', ws.dir], 'wrong\n')).stderr).toMatch(/wrong password.*\(secret\)/);
    const imported = await tirkeu(['answer-key', 'import', orgP12, '--data', ws.dir], `${ORG_PASSWORD}\n`);
    expect(imported.code).toBe(0);
    expect(imported.stdout).not.toContain(ORG_PASSWORD);
    expect(await admin.call('answerKey.get', {})).toMatchObject({ configured: true, problems: [] });
  });
});

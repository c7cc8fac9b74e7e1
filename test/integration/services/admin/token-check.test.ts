/**
 * The guided token check (issue 16) on real PKCS#11 modules: SoftHSM2 tokens made with softhsm2-util and
 * pkcs11-tool holding openssl-made certificates (a ready signing key beside an authentication key; an expired and a
 * not-yet-valid certificate; an empty token), OpenSC's module with no reader (no token inserted), a path with no
 * file and a file that is not a library. Each fault is named; nothing asks for a PIN.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../../electron/cli';
import { createTestWorkstation, type Caller, type TestWorkstation } from '../../../helpers/app';
import { createTestPki, type TestPki } from '../../../helpers/pki';
import { createSoftHsm, type SoftHsm } from '../../../helpers/softhsm';

const OPENSC_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
  '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so',
  '/usr/lib/opensc-pkcs11.so',
  '/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so',
];
// OpenSC comes with pkcs11-tool, which the SoftHSM helpers require: missing, it is an error, not a skip.
const openscModule = () => {
  const found = OPENSC_CANDIDATES.find((p) => fs.existsSync(p));
  if (!found) throw new Error('opensc-pkcs11.so not found: apt-get install opensc');
  return found;
};

let ws: TestWorkstation;
let pki: TestPki;
let hsm: SoftHsm;
let admin: Caller;
let notALibrary: string;
const missing = '/opt/no-such-vendor/libno-such-token.so';

beforeAll(async () => {
  ws = createTestWorkstation({ population: 5 });
  pki = createTestPki({ clock: ws.app.clock });
  hsm = createSoftHsm([
    {
      label: 'Тіркеуші токені',
      pin: '11223344',
      keys: [
        { id: '01', label: 'signing', key: pki.certs.physician.key, cert: pki.certs.physician.cert },
        { id: '02', label: 'auth', key: pki.certs.physicianAuth.key, cert: pki.certs.physicianAuth.cert },
      ],
    },
    {
      label: 'Old token',
      pin: '55667788',
      keys: [
        { id: '0a', label: 'expired', key: pki.certs.expired.key, cert: pki.certs.expired.cert },
        { id: '0b', label: 'future', key: pki.certs.notYetValid.key, cert: pki.certs.notYetValid.cert },
        { id: '0c', label: 'auth only', key: pki.certs.auth.key, cert: pki.certs.auth.cert },
      ],
    },
    { label: 'Empty token', pin: '99887766', keys: [] },
    {
      label: 'Ұйым токені',
      pin: '13572468',
      keys: [{ id: '0d', label: 'organization', key: pki.certs.organization.key, cert: pki.certs.organization.cert }],
    },
  ]);
  ws.app.db.prepare('UPDATE organization SET bin = ?').run(pki.organizationBin);
  notALibrary = path.join(hsm.dir, 'libnot-a-module.so');
  fs.writeFileSync(notALibrary, 'this is text, not a shared library');
  admin = await ws.as('admin');
}, 180_000);
afterAll(async () => {
  // Each command's log file opens asynchronously: let it open before the folder goes.
  await new Promise((r) => setTimeout(r, 200));
  ws?.close();
  hsm?.cleanup();
  pki?.cleanup();
});

describe('the token check', () => {
  it('says no module is configured before one is', async () => {
    const r = await admin.call('tokens.check', {});
    expect(r.ready).toBe(false);
    expect(r.findings.map((f) => f.code)).toEqual(['no-modules']);
  });

  it('lists the slots, tokens and certificates of a SoftHSM2 module and names what is wrong on each token', async () => {
    await admin.call('signing.setModules', { pkcs11Modules: [hsm.module] });
    const r = await admin.call('tokens.check', {});
    expect(r.modules).toHaveLength(1);
    const m = r.modules[0]!;
    expect(m.state).toBe('loaded');
    const tokens = m.slots.filter((s) => s.token?.initialized).map((s) => s.token!);
    expect(tokens.map((t) => t.label).sort()).toEqual(['Empty token', 'Old token', 'Тіркеуші токені', 'Ұйым токені']);
    for (const t of tokens) expect(t).toMatchObject({ initialized: true, userPinInitialized: true, pinLocked: false });
    expect(tokens.every((t) => t.serial.length > 0)).toBe(true);
    // SoftHSM always offers one free, uninitialized token besides: listed, not a fault while real tokens exist.
    expect(m.slots.some((s) => s.token && !s.token.initialized)).toBe(true);

    const slot = (label: string) => m.slots.find((s) => s.token?.label === label)!;
    const ready = slot('Тіркеуші токені');
    expect(ready.certificates.map((c) => [c.keyId, c.problem])).toEqual([
      ['01', null],
      ['02', 'certificate-not-for-signing'],
    ]);
    expect(ready.certificates[0]!.iin).toBe(pki.physicianIin);
    expect(
      slot('Old token')
        .certificates.map((c) => c.problem)
        .sort(),
    ).toEqual(['certificate-expired', 'certificate-not-for-signing', 'certificate-not-yet-valid']);

    const of = (token: string) => r.findings.filter((f) => f.token === token).map((f) => `${f.severity} ${f.code}`);
    // The authentication key beside a working signing key is information, not a fault.
    expect(of('Тіркеуші токені')).toEqual(['ok ready', 'info certificate-not-for-signing']);
    expect(of('Old token').sort()).toEqual([
      'error certificate-expired',
      'error certificate-not-for-signing',
      'error certificate-not-yet-valid',
    ]);
    expect(of('Empty token')).toEqual(['error no-certificate']);
    const expired = r.findings.find((f) => f.code === 'certificate-expired')!;
    expect(expired.date).toBe(slot('Old token').certificates.find((c) => c.problem === 'certificate-expired')!.notAfter);
    expect(r.ready).toBe(true);
  });

  it("imports the organization's answer key from a token: the PIN is checked by a test signature, then the key is shown without it", async () => {
    const source = { kind: 'pkcs11' as const, module: hsm.module, token: 'Ұйым токені' };
    const wrong = await admin.raw('answerKey.import', { source, secret: '00000000' });
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.error).toMatchObject({ code: 'pin-incorrect', fields: ['secret'] });
    // The physician's token holds no key with the organization's BIN.
    const personal = await admin.raw('answerKey.import', { source: { ...source, token: 'Тіркеуші токені' }, secret: '11223344' });
    expect(!personal.ok && personal.error).toMatchObject({ params: { problem: 'bin-mismatch' }, fields: ['source'] });
    expect((await admin.call('answerKey.get', {})).configured).toBe(false);
    const status = await admin.call('answerKey.import', { source, secret: '13572468' });
    expect(status).toMatchObject({ configured: true, kind: 'pkcs11', keyId: '0d', problems: [] });
    expect(status.label).toBe(`${hsm.module} · Ұйым токені`);
    expect(status.certificate!.bin).toBe(pki.organizationBin);
    expect(JSON.stringify(status)).not.toContain('13572468');
    const stored = ws.app.db.prepare("SELECT value FROM setting WHERE key LIKE 'erequests.%'").all() as { value: string }[];
    expect(stored.map((r) => r.value).join('\n')).not.toContain('13572468');
  });

  it('names a module file that is not there, a file that does not load, and a module with no token inserted', async () => {
    const nothing = openscModule();
    await admin.call('signing.setModules', { pkcs11Modules: [missing, notALibrary, nothing] });
    const r = await admin.call('tokens.check', {});
    expect(r.modules.map((m) => [m.module, m.state])).toEqual([
      [missing, 'missing'],
      [notALibrary, 'load-failed'],
      [nothing, 'loaded'],
    ]);
    expect(r.modules[1]!.detail).toMatch(/cannot load the PKCS#11 module/);
    expect(r.findings.map((f) => [f.module, f.code])).toEqual([
      [missing, 'module-missing'],
      [notALibrary, 'module-load-failed'],
      [nothing, 'no-token'],
    ]);
    expect(r.ready).toBe(false);
  });

  it('`tirkeu token-check` on the same data folder checks the configured modules, or the ones named', async () => {
    const out: string[] = [];
    const sink = () => Object.assign(new PassThrough(), { write: (s: string) => (out.push(String(s)), true) });
    const run = (argv: string[]) => main(argv, { stdout: sink(), stderr: sink(), stdin: new PassThrough(), env: {} });
    expect(await run(['token-check', '--data', ws.dir])).toBe(1);
    expect(out.join('')).toMatch(/error\s+module-missing/);
    out.length = 0;
    expect(await run(['token-check', '--module', hsm.module, '--data', ws.dir])).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/token "Тіркеуші токені" serial \S+/);
    expect(text).toMatch(/ok\s+ready token "Тіркеуші токені"/);
    expect(text).toMatch(/error\s+no-certificate token "Empty token"/);
  });
});

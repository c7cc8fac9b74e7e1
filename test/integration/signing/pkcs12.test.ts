/** Signing with PKCS#12 key files made by openssl (AES/PBES2, legacy 3DES, EC), verified by `openssl cms -verify`. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../../common/canonical-json';
import { run as signCli } from '../../../electron/cli/sign';
import { createPkcs12Signer } from '../../../electron/services/signing';
import { verifyDetached } from '../../../pki';
import { createTestPki, openssl, type TestPki } from '../../helpers/pki';
import { captureIo, opensslVerifyDetached } from '../../helpers/signing';
import { rejection } from '../../helpers/api-errors';

let pki: TestPki;
let docPath: string;
let doc: Uint8Array;

beforeAll(() => {
  pki = createTestPki();
  doc = canonicalBytes({ kind: 'talon', number: 'AST-0001-000042', person: { iin: pki.citizenIin, name: 'Тестов Али' } });
  docPath = join(pki.dir, 'talon.json');
  writeFileSync(docPath, doc);
});
afterAll(() => pki?.cleanup());

describe('PKCS#12 provider', () => {
  for (const variant of ['p12', 'p12Legacy', 'p12Ec'] as const) {
    it(`signs with ${variant}; openssl accepts the detached CAdES-BES`, async () => {
      const file = pki[variant];
      const secret = Buffer.from(file.password);
      const r = await createPkcs12Signer({ file: file.path }).sign(doc, { signingTime: pki.clock.now, secret });
      expect(secret.every((b) => b === 0)).toBe(true);
      const p7s = join(pki.dir, `${variant}.p7s`);
      writeFileSync(p7s, r.cms);
      const v = opensslVerifyDetached(p7s, docPath, pki.caCert);
      expect(v.ok, v.output).toBe(true);
      expect(verifyDetached(r.cms, doc).valid).toBe(true);
    });
  }

  it('lists the key with its certificate (password needed: openssl encrypts certificates too)', async () => {
    const keys = await createPkcs12Signer({ file: pki.p12.path }).listKeys(Buffer.from(pki.p12.password));
    expect(keys).toHaveLength(1);
    expect(keys[0]!.certificate).toMatchObject({ iin: pki.physicianIin, canSign: true, name: 'ДӘРІГЕРОВА ГҮЛНАР' });
    expect(keys[0]!.label).toBe('physician');
  });

  it('wrong password: password-incorrect', async () => {
    const e = await rejection(
      createPkcs12Signer({ file: pki.p12.path }).sign(doc, { signingTime: pki.clock.now, secret: Buffer.from('wrong') }),
    );
    expect(e.code).toBe('password-incorrect');
    const e2 = await rejection(
      createPkcs12Signer({ file: pki.p12Legacy.path }).sign(doc, { signingTime: pki.clock.now, secret: Buffer.from('wrong') }),
    );
    expect(e2.code).toBe('password-incorrect');
  });

  it('expired certificate: certificate-expired', async () => {
    const e = await rejection(
      createPkcs12Signer({ file: pki.p12Expired.path }).sign(doc, {
        signingTime: pki.clock.now,
        secret: Buffer.from(pki.p12Expired.password),
      }),
    );
    expect(e.code).toBe('certificate-expired');
  });

  it('a damaged key file: key-file-invalid, not a crash', async () => {
    const bytes = Buffer.from(readFileSync(pki.p12.path));
    const e = await rejection(
      createPkcs12Signer({ file: { bytes: bytes.subarray(0, bytes.length - 40), name: 'cut.p12' } }).sign(doc, {
        signingTime: pki.clock.now,
        secret: Buffer.from(pki.p12.password),
      }),
    );
    expect(e.code).toBe('key-file-invalid');
  });

  it('identity: the organization certificate carries the BIN', async () => {
    // Make a key file for the organization certificate on the fly.
    const path = join(pki.dir, 'org.p12');
    openssl([
      'pkcs12',
      '-export',
      '-inkey',
      pki.certs.organization.key,
      '-in',
      pki.certs.organization.cert,
      '-passout',
      'pass:org',
      '-out',
      path,
    ]);
    const r = await createPkcs12Signer({ file: path }).sign(doc, {
      signingTime: pki.clock.now,
      secret: Buffer.from('org'),
      expect: { bin: pki.organizationBin },
    });
    expect(r.certificate.bin).toBe(pki.organizationBin);
    const e = await rejection(
      createPkcs12Signer({ file: pki.p12.path }).sign(doc, {
        signingTime: pki.clock.now,
        secret: Buffer.from(pki.p12.password),
        expect: { bin: pki.organizationBin },
      }),
    );
    expect(e.code).toBe('signer-mismatch');
  });
});

describe('tirkeu sign --p12', () => {
  it('password from standard input; the signed file is unchanged', async () => {
    const before = createHash('sha256').update(readFileSync(docPath)).digest('hex');
    const out = join(pki.dir, 'cli.p7s');
    const io = captureIo({}, `${pki.p12.password}\n`);
    const code = await signCli([docPath, '--p12', pki.p12.path, '--out', out], io);
    expect(code, io.err()).toBe(0);
    expect(opensslVerifyDetached(out, docPath, pki.caCert).ok).toBe(true);
    expect(createHash('sha256').update(readFileSync(docPath)).digest('hex')).toBe(before);
  });

  it('a second signer with --add-to', async () => {
    const first = join(pki.dir, 'first.p7s');
    expect(await signCli([docPath, '--p12', pki.p12Ec.path, '--out', first], captureIo({ TIRKEU_PIN: pki.p12Ec.password }))).toBe(0);
    const both = join(pki.dir, 'both.p7s');
    const io = captureIo({ TIRKEU_PIN: pki.p12.password });
    expect(await signCli([docPath, '--p12', pki.p12.path, '--add-to', first, '--out', both], io), io.err()).toBe(0);
    expect(opensslVerifyDetached(both, docPath, pki.caCert).ok).toBe(true);
    expect(verifyDetached(readFileSync(both), doc).signers).toHaveLength(2);
  });

  it('wrong password: exit 1 and no output', async () => {
    const out = join(pki.dir, 'nope.p7s');
    const io = captureIo({ TIRKEU_PIN: 'nope' });
    expect(await signCli([docPath, '--p12', pki.p12.path, '--out', out], io)).toBe(1);
    expect(io.err()).toMatch(/password-incorrect/);
    expect(existsSync(out)).toBe(false);
  });
});

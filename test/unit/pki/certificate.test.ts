import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  assertCanSign,
  certificateBin,
  certificateIin,
  certificateInfo,
  certificatesFromFile,
  checkSignerIdentity,
  signingUsageProblem,
  type ParsedCertificate,
} from '../../../pki';
import { createTestPki, type CitizenCertName, type TestPki } from '../../helpers/pki';
import { errorCode } from '../../helpers/api-errors';

let pki: TestPki;
const cert = (n: CitizenCertName): ParsedCertificate => certificatesFromFile(readFileSync(pki.certs[n].cert))[0]!;

beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki?.cleanup());

describe('certificates', () => {
  it('reads IIN from SERIALNUMBER and BIN from OU, as NCA writes them', () => {
    expect(certificateIin(cert('valid'))).toBe(pki.citizenIin);
    expect(certificateBin(cert('valid'))).toBeNull();
    expect(certificateBin(cert('organization'))).toBe(pki.organizationBin);
    const info = certificateInfo(cert('organization'));
    expect(info).toMatchObject({
      name: 'ДӘРІГЕРОВА ГҮЛНАР',
      organization: 'ҚАЛАЛЫҚ ЕМХАНА №1',
      iin: pki.physicianIin,
      bin: pki.organizationBin,
    });
    expect(info.subject).toContain(`OU=BIN${pki.organizationBin}`);
  });

  it('signing usage: nonRepudiation required; authentication keys and certificates without keyUsage refused', () => {
    expect(signingUsageProblem(cert('valid'))).toBeNull();
    expect(signingUsageProblem(cert('auth'))).toMatch(/signing key|authentication/);
    expect(signingUsageProblem(cert('noKeyUsage'))).toMatch(/no keyUsage/);
    expect(errorCode(() => assertCanSign(cert('auth'), pki.clock.now))).toBe('key-usage');
  });

  it('validity: expired and not yet valid are distinct errors', () => {
    expect(errorCode(() => assertCanSign(cert('expired'), pki.clock.now))).toBe('certificate-expired');
    expect(errorCode(() => assertCanSign(cert('notYetValid'), pki.clock.now))).toBe('certificate-not-yet-valid');
    expect(errorCode(() => assertCanSign(cert('valid'), pki.clock.now))).toBe('ok');
  });

  it('checkSignerIdentity: IIN for a physician, BIN for the provider', () => {
    expect(errorCode(() => checkSignerIdentity(cert('physician'), { iin: pki.physicianIin }))).toBe('ok');
    expect(errorCode(() => checkSignerIdentity(cert('physician'), { iin: pki.citizenIin }))).toBe('signer-mismatch');
    expect(errorCode(() => checkSignerIdentity(cert('organization'), { bin: pki.organizationBin, iin: pki.physicianIin }))).toBe('ok');
    expect(errorCode(() => checkSignerIdentity(cert('physician'), { bin: pki.organizationBin }))).toBe('signer-mismatch');
    // works on the UI's CertificateInfo too
    expect(errorCode(() => checkSignerIdentity(certificateInfo(cert('organization')), { bin: '000000000000' }))).toBe('signer-mismatch');
  });
});

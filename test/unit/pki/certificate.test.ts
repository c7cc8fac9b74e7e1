import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ApiError } from '../../../common/errors';
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

let pki: TestPki;
const cert = (n: CitizenCertName): ParsedCertificate => certificatesFromFile(readFileSync(pki.certs[n].cert))[0]!;

beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki?.cleanup());

function code(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).code;
  }
}

describe('certificates', () => {
  it('reads IIN from SERIALNUMBER and BIN from OU, as NCA writes them', () => {
    expect(certificateIin(cert('valid'))).toBe(pki.citizenIin);
    expect(certificateBin(cert('valid'))).toBeNull();
    expect(certificateBin(cert('organization'))).toBe(pki.organizationBin);
    const info = certificateInfo(cert('organization'));
    expect(info).toMatchObject({ name: 'ДӘРІГЕРОВА ГҮЛНАР', organization: 'ҚАЛАЛЫҚ ЕМХАНА №1', iin: pki.physicianIin, bin: pki.organizationBin });
    expect(info.subject).toContain(`OU=BIN${pki.organizationBin}`);
  });

  it('signing usage: nonRepudiation required; authentication keys and certificates without keyUsage refused', () => {
    expect(signingUsageProblem(cert('valid'))).toBeNull();
    expect(signingUsageProblem(cert('auth'))).toMatch(/signing key|authentication/);
    expect(signingUsageProblem(cert('noKeyUsage'))).toMatch(/no keyUsage/);
    expect(code(() => assertCanSign(cert('auth'), pki.clock.now))).toBe('key-usage');
  });

  it('validity: expired and not yet valid are distinct errors', () => {
    expect(code(() => assertCanSign(cert('expired'), pki.clock.now))).toBe('certificate-expired');
    expect(code(() => assertCanSign(cert('notYetValid'), pki.clock.now))).toBe('certificate-not-yet-valid');
    expect(code(() => assertCanSign(cert('valid'), pki.clock.now))).toBeNull();
  });

  it('checkSignerIdentity: IIN for a physician, BIN for the provider', () => {
    expect(code(() => checkSignerIdentity(cert('physician'), { iin: pki.physicianIin }))).toBeNull();
    expect(code(() => checkSignerIdentity(cert('physician'), { iin: pki.citizenIin }))).toBe('signer-mismatch');
    expect(code(() => checkSignerIdentity(cert('organization'), { bin: pki.organizationBin, iin: pki.physicianIin }))).toBeNull();
    expect(code(() => checkSignerIdentity(cert('physician'), { bin: pki.organizationBin }))).toBe('signer-mismatch');
    // works on the UI's CertificateInfo too
    expect(code(() => checkSignerIdentity(certificateInfo(cert('organization')), { bin: '000000000000' }))).toBe('signer-mismatch');
  });
});

/**
 * Checks the signatures on a document signed here (detached CAdES over the canonical bytes): each SignerInfo's
 * digest, signed attributes and signature. Trust, revocation and identity are the callers' business (the document
 * store knows which staff member and which organization had to sign); this answers "are these bytes what was
 * signed, and by which certificates".
 */
import { certificateInfo, type CertificateInfo } from './certificate';
import { certificatesOf, checkSignerInfo, findSignerCertificate, parseSignedData } from './cms';

export interface DetachedVerification {
  valid: boolean;
  signers: { certificate: CertificateInfo | null; ok: boolean; signingTime: string | null; problem: string | null }[];
}

export function verifyDetached(cms: Uint8Array, content: Uint8Array): DetachedVerification {
  let sd;
  try {
    sd = parseSignedData(cms);
  } catch (e) {
    return { valid: false, signers: [{ certificate: null, ok: false, signingTime: null, problem: `bad-format: ${(e as Error).message}` }] };
  }
  const certs = certificatesOf(sd);
  const data = sd.content ?? content;
  const signers = sd.signerInfos.map((si) => {
    const cert = findSignerCertificate(si, certs);
    if (!cert) return { certificate: null, ok: false, signingTime: null, problem: 'the signer’s certificate is missing' };
    const r = checkSignerInfo(si, sd.contentType, data, cert);
    return {
      certificate: certificateInfo(cert),
      ok: r.ok,
      signingTime: r.signingTime?.toISOString() ?? null,
      problem: r.ok ? null : `${r.reason}: ${r.detail}`,
    };
  });
  return { valid: signers.length > 0 && signers.every((s) => s.ok), signers };
}

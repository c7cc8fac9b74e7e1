/**
 * The central server's check of an organization's signed answer before a citizen sees it (issue 14, point 7): the
 * CMS verifies over the answer document, and its signer is the organization's registered certificate, or a
 * certificate that carries the organization's BIN and chains to the CA certificates the server was given (then the
 * caller registers it). Plain Node, shared code: the server imports it.
 */
import { certificateBin, type ParsedCertificate } from './certificate';
import { certificatesOf, findSignerCertificate, parseSignedData } from './cms';
import { verifyDetached } from './verify-detached';
import { chainToTrust } from './verify-request';

export const ANSWER_REFUSALS = [
  'answer-unsigned',
  'answer-signature-invalid',
  'answer-wrong-organization',
  'answer-untrusted-signer',
] as const;
export type AnswerRefusal = (typeof ANSWER_REFUSALS)[number];

export type AnswerVerification =
  { ok: true; signer: ParsedCertificate; registered: boolean } | { ok: false; code: AnswerRefusal; message: string };

export function verifyOrganizationAnswer(
  answer: { document?: unknown; cms?: unknown },
  options: { orgBin: string; registered: Uint8Array[]; anchors: ParsedCertificate[]; at: Date },
): AnswerVerification {
  if (typeof answer.document !== 'string' || typeof answer.cms !== 'string' || answer.cms.length === 0)
    return { ok: false, code: 'answer-unsigned', message: 'the answer carries no signature (cms) over its document' };
  const cms = Buffer.from(answer.cms, 'base64');
  const content = Buffer.from(answer.document, 'utf8');
  const check = verifyDetached(cms, content);
  let sd;
  try {
    sd = parseSignedData(cms);
  } catch {
    return { ok: false, code: 'answer-signature-invalid', message: 'the answer’s signature is not a CMS SignedData' };
  }
  // An attached signature must be over this very document, not some other content.
  if (sd.content && Buffer.compare(Buffer.from(sd.content), content) !== 0)
    return { ok: false, code: 'answer-signature-invalid', message: 'the signature covers another document' };
  if (!check.valid || sd.signerInfos.length !== 1)
    return {
      ok: false,
      code: 'answer-signature-invalid',
      message: `the signature does not verify over the answer document: ${check.signers.map((s) => s.problem).join('; ')}`,
    };
  const certs = certificatesOf(sd);
  const signer = findSignerCertificate(sd.signerInfos[0]!, certs)!;
  if (certificateBin(signer) !== options.orgBin)
    return {
      ok: false,
      code: 'answer-wrong-organization',
      message: `the answer is signed by ${certificateBin(signer) ?? 'a certificate without a BIN'}, not by organization ${options.orgBin}`,
    };
  if (options.registered.some((der) => Buffer.compare(Buffer.from(der), Buffer.from(signer.der)) === 0))
    return { ok: true, signer, registered: true };
  if (options.anchors.length === 0 || chainToTrust(signer, certs, options.anchors, options.at) !== 'ok')
    return {
      ok: false,
      code: 'answer-untrusted-signer',
      message: `the signer's certificate is not registered for organization ${options.orgBin} and does not chain to the CA certificates the central server was given`,
    };
  return { ok: true, signer, registered: false };
}

/**
 * The regulation's "condition 2" for a citizen's signed e-request: the signature is intact, the certificate chains
 * to a trusted CA, was valid at the signing time, is a signing (not an authentication) certificate, is not revoked,
 * and carries the IIN written in the request.
 *
 * The verifier never throws on input: whatever arrives from the gateway, the answer is a result with reasons.
 * All reasons found are reported (a registrar explaining a refusal wants all of them), except that a request that
 * cannot be parsed stops at `bad-format`. `valid` is true only when there are no reasons at all, so anything
 * indeterminate (no CRL, stale CRL, unknown algorithm) can never come out as valid.
 */
import { certificateIin, certificateInfo, signingUsageProblem, validityProblem, type ParsedCertificate } from './certificate';
import { certificatesOf, checkSignerInfo, findSignerCertificate, parseSignedData, type ParsedSignedData } from './cms';
import { UnsupportedAlgorithm, verifySignature } from './algorithms';
import { isGost } from './oids';
import type { TrustStore } from './trust-store';

export const REQUEST_REASONS = [
  'bad-format',
  'bad-signature',
  'untrusted',
  'expired',
  'not-yet-valid',
  'key-usage',
  'revoked',
  'revocation-unknown',
  'iin-mismatch',
  'unsupported-algorithm',
] as const;
export type RequestReason = (typeof REQUEST_REASONS)[number];

export interface RequestSigner {
  name: string;
  iin: string | null;
  serial: string;
  notBefore: string;
  notAfter: string;
}

export interface RequestVerification {
  valid: boolean;
  /** The IIN written in the request, or null when the request has none. */
  iin: string | null;
  signer: RequestSigner | null;
  reasons: RequestReason[];
}

export interface VerifyRequestOptions {
  /** The time at which the certificate must have been valid (default: the signingTime attribute, else now). */
  at?: Date;
  /** The verifier's now (its injected clock), used for CRL freshness and when there is no signingTime. */
  now: Date;
}

/** DER, PEM (any label) or bare base64 → DER bytes, or null. */
export function decodeCmsInput(input: Uint8Array | string): Uint8Array | null {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (i >= bytes.length) return null;
  if (bytes[i] === 0x30) return bytes.subarray(i);
  const text = Buffer.from(bytes).toString('latin1');
  const pem = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/.exec(text);
  const b64 = (pem ? pem[1]! : text).replace(/\s+/g, '');
  if (b64.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
  const der = Buffer.from(b64, 'base64');
  return der.length > 0 && der[0] === 0x30 ? der : null;
}

const badFormat = (iin: string | null = null): RequestVerification => ({
  valid: false,
  iin,
  signer: null,
  reasons: ['bad-format'],
});

export function verifySignedRequest(input: Uint8Array | string, trust: TrustStore, options: VerifyRequestOptions): RequestVerification {
  try {
    return verifyInner(input, trust, options);
  } catch {
    // Hostile or broken input must produce an answer, never an exception that drops the request on the floor.
    return badFormat();
  }
}

function requestIin(content: Uint8Array): { ok: boolean; iin: string | null } {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(content));
  } catch {
    return { ok: false, iin: null };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, iin: null };
  const iin = (doc as Record<string, unknown>).iin;
  return { ok: true, iin: typeof iin === 'string' ? iin : null };
}

function verifyInner(input: Uint8Array | string, trust: TrustStore, options: VerifyRequestOptions): RequestVerification {
  const der = decodeCmsInput(input);
  if (!der) return badFormat();
  let sd: ParsedSignedData;
  try {
    sd = parseSignedData(der);
  } catch {
    return badFormat();
  }
  if (!sd.content || sd.signerInfos.length === 0) return badFormat();
  const request = requestIin(sd.content);
  if (!request.ok) return badFormat();

  const reasons = new Set<RequestReason>();
  const certs = certificatesOf(sd);
  const { now } = options;
  let signer: RequestSigner | null = null;

  for (const si of sd.signerInfos) {
    const cert = findSignerCertificate(si, certs);
    if (!cert) {
      // Without the signer's certificate nothing can be checked: the request is incomplete.
      reasons.add('bad-format');
      continue;
    }
    if (!signer) {
      const info = certificateInfo(cert);
      signer = { name: info.name, iin: info.iin, serial: info.serial, notBefore: info.notBefore, notAfter: info.notAfter };
    }

    const gost = isGost(si.signatureAlgorithm) || isGost(si.digestAlgorithm) || isGost(cert.publicKeyAlgorithm);
    const check = gost ? null : checkSignerInfo(si, sd.contentType, sd.content, cert);
    if (gost) reasons.add('unsupported-algorithm');
    else if (check && !check.ok) reasons.add(check.reason);

    const at = options.at ?? check?.signingTime ?? now;
    const validity = validityProblem(cert, at);
    if (validity) reasons.add(validity);

    const chain = chainToTrust(cert, certs, trust.anchors, at);
    if (chain !== 'ok') reasons.add(chain);

    if (signingUsageProblem(cert)) reasons.add('key-usage');

    const crl = trust.crlFor(cert);
    const revocation = crl?.lookup(cert.serialHex) ?? null;
    // A listed serial is revoked even when the CRL is stale. The date is not compared with signingTime: in
    // CAdES-BES that time is the signer's own claim, so "signed before the revocation" proves nothing.
    if (revocation) reasons.add('revoked');
    else if (!crl || (crl.nextUpdate !== null && crl.nextUpdate.getTime() < now.getTime())) reasons.add('revocation-unknown');

    const certIin = certificateIin(cert);
    if (!request.iin || !certIin || request.iin !== certIin) reasons.add('iin-mismatch');
  }

  const ordered = REQUEST_REASONS.filter((r) => reasons.has(r));
  return { valid: ordered.length === 0, iin: request.iin, signer, reasons: ordered };
}

/**
 * Walks issuer links from the signer to a trust anchor, through intermediates carried in the request or held in
 * the trust store. An intermediate must be a CA valid at `at`; the anchors are trusted as configured.
 */
export function chainToTrust(
  leaf: ParsedCertificate,
  bag: ParsedCertificate[],
  anchors: ParsedCertificate[],
  at: Date,
): 'ok' | 'untrusted' | 'unsupported-algorithm' {
  const isAnchor = (c: ParsedCertificate) => anchors.some((a) => Buffer.compare(Buffer.from(a.der), Buffer.from(c.der)) === 0);
  let current = leaf;
  let unsupported = false;
  for (let depth = 0; depth < 8; depth++) {
    if (isAnchor(current)) return 'ok';
    const issuerName = Buffer.from(current.issuerDer);
    const candidates = [...anchors, ...bag].filter((c) => c !== current && Buffer.compare(Buffer.from(c.subjectDer), issuerName) === 0);
    let next: ParsedCertificate | null = null;
    for (const cand of candidates) {
      if (isGost(current.signatureAlgorithm) || isGost(cand.publicKeyAlgorithm)) {
        unsupported = true;
        continue;
      }
      let ok = false;
      try {
        ok = verifySignature(current.signatureAlgorithm, current.signatureParams, current.tbs, current.signature, cand.spki);
      } catch (e) {
        if (e instanceof UnsupportedAlgorithm) unsupported = true;
        continue;
      }
      if (!ok) continue;
      if (isAnchor(cand)) return 'ok';
      if (!cand.isCa || validityProblem(cand, at) || (cand.keyUsage && !cand.keyUsage.includes('keyCertSign'))) continue;
      next = cand;
      break;
    }
    if (!next) return unsupported ? 'unsupported-algorithm' : 'untrusted';
    current = next;
  }
  return 'untrusted';
}

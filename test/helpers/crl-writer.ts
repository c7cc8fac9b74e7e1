/**
 * Writes large CRLs quickly (openssl `ca -gencrl` needs minutes for a national-size list): a CA made with
 * node:crypto, a tbsCertList written entry by entry into one preallocated buffer, signed with SHA-256/RSA.
 * Used by the CRL tests (small sizes) and the benchmark (400,000 entries).
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { ctx, encodeBitString, encodeInteger, encodeNull, encodeOid, encodeUtcTime, seq, setOf, tlv, TAG } from '../../pki/der';
import { OID } from '../../pki/oids';
import { realNow } from './clock';

export interface BigCrl {
  caDer: Buffer;
  caPem: string;
  crlDer: Buffer;
  /** Every revoked serial, lowercase hex without leading zero octets. */
  serials: string[];
  key: KeyObject;
}

const sha256WithRsa = () => seq(encodeOid(OID.sha256WithRSA), encodeNull());
const name = (cn: string) => seq(setOf(seq(encodeOid(OID.commonName), tlv(TAG.UTF8_STRING, Buffer.from(cn, 'utf8')))));

function lengthHeader(tag: number, len: number): Buffer {
  if (len < 0x80) return Buffer.from([tag, len]);
  const bytes: number[] = [];
  for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
}

export function makeCa(cn = 'BENCH NCA (RSA)', at: Date = realNow()): { der: Buffer; pem: string; key: KeyObject; name: Buffer } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = at.getTime();
  const exts = ctx(
    3,
    true,
    seq(
      seq(encodeOid(OID.basicConstraints), Buffer.from([0x01, 0x01, 0xff]), tlv(TAG.OCTET_STRING, seq(Buffer.from([0x01, 0x01, 0xff])))),
      seq(encodeOid(OID.keyUsage), Buffer.from([0x01, 0x01, 0xff]), tlv(TAG.OCTET_STRING, encodeBitString(Buffer.from([0x06]), 1))),
    ),
  );
  const tbs = seq(
    ctx(0, true, encodeInteger(2)),
    encodeInteger(randomBytes(16)),
    sha256WithRsa(),
    name(cn),
    seq(encodeUtcTime(new Date(now - 86_400_000)), encodeUtcTime(new Date(now + 3650 * 86_400_000))),
    name(cn),
    publicKey.export({ format: 'der', type: 'spki' }),
    exts,
  );
  const der = seq(tbs, sha256WithRsa(), encodeBitString(sign('sha256', tbs, privateKey)));
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
  return { der, pem, key: privateKey, name: name(cn) };
}

/** A CRL with `count` random 16-octet serials; every fourth entry carries a reasonCode extension. */
export function makeBigCrl(count: number, options: { nextUpdateInDays?: number; at?: Date } = {}): BigCrl {
  const now = (options.at ?? realNow()).getTime();
  const ca = makeCa(undefined, new Date(now));
  const revocationTime = encodeUtcTime(new Date(now - 3_600_000)); // 15 octets
  const reasonExt = Buffer.from([0x30, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d, 0x15, 0x04, 0x03, 0x0a, 0x01, 0x01]);
  const body = Buffer.alloc(count * (2 + 18 + 15 + reasonExt.length));
  const serials: string[] = new Array(count);
  const rnd = randomBytes(count * 16);
  let o = 0;
  for (let i = 0; i < count; i++) {
    const s = rnd.subarray(i * 16, i * 16 + 16);
    s[0] = (s[0]! & 0x7f) | 0x01; // positive and without a leading zero octet, so the hex is already canonical
    const withExt = i % 4 === 0;
    body[o++] = 0x30;
    body[o++] = 18 + 15 + (withExt ? reasonExt.length : 0);
    body[o++] = 0x02;
    body[o++] = 16;
    s.copy(body, o);
    o += 16;
    revocationTime.copy(body, o);
    o += 15;
    if (withExt) {
      reasonExt.copy(body, o);
      o += reasonExt.length;
    }
    serials[i] = s.toString('hex');
  }
  const revoked = Buffer.concat([lengthHeader(0x30, o), body.subarray(0, o)]);
  const tbsContent = Buffer.concat([
    encodeInteger(1),
    sha256WithRsa(),
    ca.name,
    encodeUtcTime(new Date(now - 3_600_000)),
    encodeUtcTime(new Date(now + (options.nextUpdateInDays ?? 7) * 86_400_000)),
    ...(count > 0 ? [revoked] : []),
  ]);
  const tbs = Buffer.concat([lengthHeader(0x30, tbsContent.length), tbsContent]);
  const sig = encodeBitString(sign('sha256', tbs, ca.key));
  const alg = sha256WithRsa();
  const crlDer = Buffer.concat([lengthHeader(0x30, tbs.length + alg.length + sig.length), tbs, alg, sig]);
  return { caDer: ca.der, caPem: ca.pem, crlDer, serials, key: ca.key };
}

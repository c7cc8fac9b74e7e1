/**
 * Digital signatures (issue 5 targets):
 * - `sign.softhsm.median_ms`: a CAdES-BES signature of a certificate document on a SoftHSM2 token, each one a full
 *   operation as the physician's click makes it (session, certificate checks, login, sign, logout) ≤ 5 ms median.
 * - `verify.request.median_ms`: verifying a citizen's signed request (CMS parse, signature, chain to the test CA,
 *   CRL lookup, IIN) ≤ 5 ms median, with the 400,000-entry index loaded in the same trust store beside the test
 *   CA's own CRL (a lookup is one Map.get whatever the list's size).
 * - `crl.load.400k_ms` / `crl.load.400k_mb`: reading and indexing a 400,000-entry CRL (signature checked) ≤ 1 s and
 *   ≤ 150 MB. The baseline is a general parser (asn1js + pkijs, with asn1js's node limit lifted — by default it
 *   refuses lists this long) on a 100,000-entry sample, scaled ×4: the full list costs it ~20 s and ~1.8 GB.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { figure, median, type BenchContext, type BenchFigure } from './types';
import { canonicalBytes } from '../common/canonical-json';
import { loadCrl, parseCertificate, TrustStore, verifySignedRequest } from '../pki';
import { createPkcs11Signer } from '../electron/services/signing';
import { makeBigCrl } from '../test/helpers/crl-writer';
import { createTestPki } from '../test/helpers/pki';
import { createSoftHsm } from '../test/helpers/softhsm';

const gc = (globalThis as { gc?: () => void }).gc;
const memNow = () => {
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

export default async function (ctx: BenchContext): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const entries = ctx.quick ? 40_000 : 400_000;
  const sampleEntries = entries / 4;
  const scale = entries / sampleEntries;

  // --- CRL load -------------------------------------------------------------------------------------------------
  ctx.log(`generating a ${entries}-entry CRL`);
  const big = makeBigCrl(entries);
  const crlFile = join(ctx.dir, 'big.crl');
  writeFileSync(crlFile, big.crlDer);
  const ca = parseCertificate(big.caDer);
  const loads: number[] = [];
  let memory = 0;
  let index = null as ReturnType<typeof loadCrl> | null;
  for (let run = 0; run < 3; run++) {
    index = null;
    const m0 = memNow();
    const t0 = performance.now();
    const der = readFileSync(crlFile);
    index = loadCrl(der, { issuers: [ca] });
    loads.push(performance.now() - t0);
    // Retained plus transient allocations of the load; without --expose-gc this also counts garbage (an upper bound).
    const m1 = process.memoryUsage();
    memory = Math.max(memory, m1.heapUsed + m1.arrayBuffers - m0);
    if (index.size !== entries) throw new Error(`index has ${index.size} entries, expected ${entries}`);
  }

  ctx.log(`baseline: asn1js + pkijs on ${sampleEntries} entries`);
  const sample = makeBigCrl(sampleEntries).crlDer;
  const b0 = performance.now();
  const parsed = asn1js.fromBER(sample, { maxNodes: 50_000_000 });
  if (parsed.offset === -1) throw new Error(`baseline parser failed: ${parsed.result.error}`);
  const crl = new pkijs.CertificateRevocationList({ schema: parsed.result });
  const baselineSet = new Set(
    (crl.revokedCertificates ?? []).map((e) => Buffer.from(e.userCertificate.valueBlock.valueHexView).toString('hex')),
  );
  const baselineMs = (performance.now() - b0) * scale;
  if (baselineSet.size !== sampleEntries) throw new Error('baseline lost entries');

  const loadMs = median(loads);
  figures.push(
    figure(`crl.load.400k_ms`, loadMs, 'ms', 1000, {
      baseline: {
        value: Math.round(baselineMs),
        ratio: Math.round((loadMs / baselineMs) * 10_000) / 10_000,
        what: `asn1js+pkijs parse, ${sampleEntries} entries ×${scale}`,
      },
      note: `${entries} entries, ${(big.crlDer.length / 1e6).toFixed(1)} MB DER, read + index + signature check, median of 3`,
    }),
    figure('crl.load.400k_mb', memory / 1e6, 'MB', 150, {
      note: `heap + array buffers allocated by the load (${gc ? 'after gc' : 'no --expose-gc: includes garbage'})`,
    }),
  );

  // --- Request verification -----------------------------------------------------------------------------------
  ctx.log('making a test PKI with openssl');
  const pki = createTestPki();
  try {
    const trust = TrustStore.fromFiles({ trust: [pki.caCert], crl: [pki.crl] });
    // The national-size index beside the test CA's CRL: lookups must stay constant-time whatever the list size.
    trust.addCertificates(Buffer.from(big.caPem));
    trust.addCrls(big.crlDer);
    const request = pki.signRequest({ iin: pki.citizenIin, service: 'home-visit', address: 'Астана, Мәңгілік Ел 8' }, 'valid');
    const verifies: number[] = [];
    const n = ctx.quick ? 100 : 500;
    for (let i = 0; i < n + 20; i++) {
      const t0 = performance.now();
      const r = verifySignedRequest(request, trust, { now: pki.clock.now });
      const dt = performance.now() - t0;
      if (!r.valid) throw new Error(`the bench request does not verify: ${r.reasons.join(',')}`);
      if (i >= 20) verifies.push(dt); // the first ones warm the JIT
    }
    figures.push(figure('verify.request.median_ms', median(verifies), 'ms', 5, { note: `RSA-2048, median of ${n}` }));

    // --- Signing on SoftHSM2 ------------------------------------------------------------------------------------
    ctx.log('initializing a SoftHSM2 token');
    const hsm = createSoftHsm([
      {
        label: 'bench',
        pin: '123456',
        keys: [{ id: '01', label: 'signing', key: pki.certs.physician.key, cert: pki.certs.physician.cert }],
      },
    ]);
    try {
      const signer = createPkcs11Signer({ module: hsm.module, token: 'bench' });
      const doc = canonicalBytes({
        kind: 'tb-certificate',
        number: 'ATR-07-000123',
        person: { iin: pki.citizenIin, name: 'ТЕСТОВ АЛИ' },
        result: 'not registered',
        issuedAt: '2026-01-15T09:30:00+05:00',
      });
      const signs: number[] = [];
      const m = ctx.quick ? 20 : 100;
      for (let i = 0; i < m + 5; i++) {
        const t0 = performance.now();
        await signer.sign(doc, {
          keyId: '01',
          signingTime: pki.clock.now,
          secret: Buffer.from('123456'),
          expect: { iin: pki.physicianIin },
        });
        const dt = performance.now() - t0;
        if (i >= 5) signs.push(dt);
      }
      figures.push(
        figure('sign.softhsm.median_ms', median(signs), 'ms', 5, { note: `RSA-2048 on SoftHSM2, login per signature, median of ${m}` }),
      );
    } finally {
      hsm.cleanup();
    }
  } finally {
    pki.cleanup();
  }
  return figures;
}

/**
 * E-requests from the portal (issue 8 targets):
 * - `erequests.verify_register_1000_ms`: 1,000 signed requests (as pulled from the server) taken into the inbox,
 *   verified (signature, chain, validity, key usage, CRL, IIN), registered through the step engine as portal
 *   requests and checked against the grounds at the workstation ≤ 5 s (registrar mode: they wait for the
 *   registrar; nothing is signed).
 * - `erequests.post_to_result.median_ms`: from the gateway's POST to the signed result on the server, one request
 *   at a time on loopback, when the rules decide (pull, verify, register, check, call-register entry, CAdES-BES
 *   provider signature with the PKCS#12 key, push) ≤ 2 s.
 * The citizens' requests are signed in-process with the test citizen's PKCS#12 key (encapsulated CAdES-BES), so
 * that making 1,000 of them does not take longer than the measurement.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { canonicalBytes } from '../common/canonical-json';
import { EREQUEST_ROW_KIND, type ErequestRowPayload } from '../common/erequests';
import { applyPulledPage, getCursor } from '../db/sync';
import { processInbox } from '../electron/services/erequests/intake';
import { createPkcs12Signer } from '../electron/services/signing';
import { syncNow } from '../electron/services/sync/index';
import { createErequestRig } from '../test/helpers/erequests';
import { figure, median, percentile, type BenchContext, type BenchFigure } from './types';

export default async function (ctx: BenchContext): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const rig = await createErequestRig();
  try {
    const { pki } = rig;
    const signer = createPkcs12Signer({ file: { bytes: readFileSync(pki.p12Ec.path), name: 'citizen.p12' } });
    const sign = async (request: unknown) =>
      (
        await signer.sign(canonicalBytes(request), {
          secret: Buffer.from(pki.p12Ec.password, 'utf8'),
          expect: { iin: pki.citizenIin },
          encapsulate: true,
          signingTime: rig.clock.now,
        })
      ).cms;
    const homeVisit = () => ({
      type: 'home-visit',
      requestId: randomUUID(),
      iin: pki.citizenIin,
      organizationBin: pki.organizationBin,
      submittedAt: rig.clock.now.toISOString(),
      address: 'Астана қ., Тұран д-лы, 5, 12',
      complaint: 'Температура 38,5',
    });

    // --- 1,000 verified and registered ---------------------------------------------------------------------------
    const n = ctx.quick ? 200 : 1_000;
    ctx.log(`signing ${n} requests`);
    const rows: ErequestRowPayload[] = [];
    for (let i = 0; i < n; i++) {
      const cms = await sign(homeVisit());
      rows.push({
        number: `B${String(i).padStart(8, '0')}`,
        requestId: randomUUID(),
        serviceType: 'home-visit',
        iin: pki.citizenIin,
        organizationBin: pki.organizationBin,
        receivedAt: rig.clock.now.toISOString(),
        cms: cms.toString('base64'),
      });
    }
    const db = rig.ws.app.db;
    applyPulledPage(
      db,
      rows.map((p) => ({ kind: EREQUEST_ROW_KIND, key: p.number, payload: p, deleted: false })),
      getCursor(db) ?? '',
      rig.clock.now,
    );
    ctx.log(`verifying and registering ${n}`);
    const t0 = performance.now();
    const r = await processInbox(rig.ws.app);
    const took = performance.now() - t0;
    if (r.processed !== n) throw new Error(`processed ${r.processed} of ${n}`);
    const waiting = (
      db.prepare(`SELECT count(*) AS n FROM erequest WHERE status = 'awaiting-registrar' AND registered_as IS NOT NULL`).get() as {
        n: number;
      }
    ).n;
    if (waiting !== n) throw new Error(`${waiting} of ${n} registered and waiting`);
    figures.push(
      figure('erequests.verify_register_1000_ms', (took * 1_000) / n, 'ms', 5_000, {
        note: `${n} requests in ${Math.round(took)} ms (scaled to 1,000); ${Math.round((took / n) * 100) / 100} ms each`,
      }),
    );

    // --- POST → signed result on the server -------------------------------------------------------------------------
    await rig.admin.call('erequests.setPolicy', { autoAnswer: true, onBehalfOf: 'registrar' });
    await syncNow(rig.ws.app); // push the registrations of the first part out of the way
    const samples: number[] = [];
    const count = ctx.quick ? 5 : 20;
    for (let i = 0; i < count; i++) {
      const der = await sign(homeVisit());
      const t1 = performance.now();
      const posted = await rig.post(der);
      await syncNow(rig.ws.app);
      await processInbox(rig.ws.app);
      await syncNow(rig.ws.app);
      const seen = await rig.status(posted.body.number);
      samples.push(performance.now() - t1);
      if (seen.status !== 'done' || !seen.result?.cms) throw new Error(`request ${posted.body.number} is ${seen.status}`);
    }
    figures.push(
      figure('erequests.post_to_result.median_ms', median(samples), 'ms', 2_000, {
        note: `${count} requests one at a time; p90 ${Math.round(percentile(samples, 90))} ms`,
      }),
    );
  } finally {
    await rig.close();
  }
  return figures;
}

/**
 * Issue 14, point 7: the central server shows a citizen an answer only when the organization signed it. The
 * e-request rig (test PKI, real server on PGlite, the organization's certificate chaining to the test CA published
 * to the server): a valid signed answer is shown and registers the organization's certificate; an unsigned answer,
 * a tampered document and an answer signed by another organization's certificate are refused as conflicts with a
 * clear code, and the citizen keeps seeing the previous status.
 */
import { cmsSignArgs } from '../../../pki/openssl-cms';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErequestStatusPayload, SignedAnswer } from '../../../common/erequests';
import { getEnrollment } from '../../../db/sync';
import { push } from '../../../server/push';
import { createErequestRig, type ErequestRig } from '../../helpers/erequests';
import { writeTemp } from '../../helpers/pki';

let rig: ErequestRig;
beforeAll(async () => {
  rig = await createErequestRig();
}, 120_000);
afterAll(async () => {
  await rig?.close();
});

let n = 0;
async function newRequest(): Promise<string> {
  const body = {
    requestId: `answer-sig-${Date.now().toString(36)}-${n++}`,
    organizationBin: rig.pki.organizationBin,
    iin: rig.pki.citizenIin,
    type: 'home-visit',
    submittedAt: rig.clock.read().toISOString(),
  };
  const posted = await rig.post(rig.pki.signRequest(body, 'valid'));
  expect(posted.status).toBe(201);
  return posted.body.number;
}

/** A detached CAdES signature over `document` by the given certificate and key (openssl cms, as a provider would). */
function sign(document: string, cert: string, key: string): string {
  const input = writeTemp(rig.pki, `answer-${n++}.json`, document);
  const out = `${input}.p7s`;
  rig.pki.openssl(cmsSignArgs({ input, signer: cert, key, encapsulated: false, out }));
  return fs.readFileSync(out).toString('base64');
}

/** Another organization's certificate from the same CA: a valid chain, a different BIN. */
function otherOrganizationCert(): { cert: string; key: string } {
  const p = (f: string) => `${rig.pki.dir}/${f}`;
  const key = p('rsa2.key');
  rig.pki.openssl([
    'req',
    '-new',
    '-key',
    key,
    '-out',
    p('other-org.csr'),
    '-subj',
    '/CN=OTHER/C=KZ/O=BASQA EMKHANA/OU=BIN990140000017',
    '-utf8',
  ]);
  rig.pki.openssl([
    'x509',
    '-req',
    '-in',
    p('other-org.csr'),
    '-CA',
    rig.pki.caCert,
    '-CAkey',
    rig.pki.caKey,
    '-CAcreateserial',
    '-out',
    p('other-org.pem'),
    '-days',
    '30',
  ]);
  return { cert: p('other-org.pem'), key };
}

async function answer(number: string, a: Partial<SignedAnswer> | null) {
  const enrollment = getEnrollment(rig.ws.app.db)!;
  const payload: ErequestStatusPayload = {
    number,
    status: 'done',
    registeredAs: 'REG-1',
    deadlineAt: null,
    at: rig.clock.read().toISOString(),
    answer: a ? ({ kind: 'result', code: null, reason: null, reasons: [], document: '', cms: '', ...a } as SignedAnswer) : null,
  };
  const r = await push(
    rig.server.db,
    { id: enrollment.workstationId, orgBin: rig.pki.organizationBin },
    {
      batch_id: `answer-batch-${n++}`,
      ops: [{ op_id: `answer-op-${n++}`, kind: 'erequest.status', entity: 'erequest', entity_id: number, payload, created_at: payload.at }],
    },
    { clock: rig.clock.read },
  );
  return r.results[0]!;
}

const org = () => ({ cert: rig.pki.certs.organization.cert, key: rig.pki.certs.organization.key });
const doc = (number: string) => JSON.stringify({ type: 'home-visit-certificate', number, organizationBin: rig.pki.organizationBin });

describe('the server shows an answer only when the organization signed it', () => {
  it('refuses an unsigned answer, a tampered document and another organization’s signature; shows a valid one', async () => {
    const number = await newRequest();
    expect((await rig.status(number)).status).toBe('received');

    const unsigned = await answer(number, { document: doc(number), cms: '' });
    expect(unsigned).toMatchObject({ status: 'conflict', server: { reason: 'answer-unsigned', number } });
    expect(await rig.status(number)).toMatchObject({ status: 'received', result: null });

    const signed = sign(doc(number), org().cert, org().key);
    const tampered = await answer(number, { document: doc(number).replace('home-visit', 'home-visiT'), cms: signed });
    expect(tampered).toMatchObject({ status: 'conflict', server: { reason: 'answer-signature-invalid' } });
    expect(await rig.status(number)).toMatchObject({ status: 'received', result: null });

    const other = otherOrganizationCert();
    const foreign = await answer(number, { document: doc(number), cms: sign(doc(number), other.cert, other.key) });
    expect(foreign).toMatchObject({ status: 'conflict', server: { reason: 'answer-wrong-organization' } });
    expect((foreign as { server: { message: string } }).server.message).toContain('990140000017');
    expect(await rig.status(number)).toMatchObject({ status: 'received', result: null });

    const physician = await answer(number, {
      document: doc(number),
      cms: sign(doc(number), rig.pki.certs.physician.cert, rig.pki.certs.physician.key),
    });
    expect(physician).toMatchObject({ status: 'conflict', server: { reason: 'answer-wrong-organization' } });

    const registeredBefore = await rig.server.db.query(`SELECT 1 FROM org_certificate WHERE org_bin = $1`, [rig.pki.organizationBin]);
    expect(registeredBefore.rowCount).toBe(0);
    const ok = await answer(number, { document: doc(number), cms: signed });
    expect(ok).toMatchObject({ status: 'applied' });
    const seen = await rig.status(number);
    expect(seen).toMatchObject({ status: 'done', result: { document: doc(number), cms: signed } });
    const registered = await rig.server.db.query<{ first_number: string }>(`SELECT first_number FROM org_certificate WHERE org_bin = $1`, [
      rig.pki.organizationBin,
    ]);
    expect(registered.rows).toEqual([{ first_number: number }]);
  }, 120_000);

  it('does not register a certificate with the organization’s BIN that chains to no CA the server was given', async () => {
    const number = await newRequest();
    const p = (f: string) => `${rig.pki.dir}/${f}`;
    // Self-signed, with the right BIN: anyone can make one.
    rig.pki.openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      p('rsa.key'),
      '-out',
      p('self-org.pem'),
      '-days',
      '30',
      '-utf8',
      '-subj',
      `/CN=FAKE/C=KZ/O=FAKE/OU=BIN${rig.pki.organizationBin}`,
    ]);
    const r = await answer(number, { document: doc(number), cms: sign(doc(number), p('self-org.pem'), p('rsa.key')) });
    expect(r).toMatchObject({ status: 'conflict', server: { reason: 'answer-untrusted-signer' } });
    expect(await rig.status(number)).toMatchObject({ status: 'received', result: null });
  }, 120_000);
});

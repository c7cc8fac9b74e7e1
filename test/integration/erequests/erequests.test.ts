/**
 * Issue 8 end to end on loopback: a test citizen's key signs e-requests (valid, tampered, revoked, mismatched IIN,
 * late home visit), the gateway posts them to the central server (PGlite), the workstation pulls, verifies,
 * registers, checks and answers; the citizen's status shows the signed result or the refusal with its reason, and
 * the result's signature verifies with `openssl cms -verify`.
 */
import { createGatewayCredential } from '../../../server/gateway';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncNow } from '../../../electron/services/sync/index';
import { processInbox } from '../../../electron/services/erequests/intake';
import { localInstant } from '../../helpers/clock';
import { createErequestRig, firstFreeSlot, gatewayClient, opensslVerifies, type ErequestRig } from '../../helpers/erequests';

let rig: ErequestRig;
beforeAll(async () => {
  rig = await createErequestRig();
}, 120_000);
afterAll(async () => {
  await rig?.close();
});

const homeVisit = (over: Record<string, unknown> = {}) => ({
  type: 'home-visit',
  requestId: randomUUID(),
  iin: rig.pki.citizenIin,
  organizationBin: rig.pki.organizationBin,
  submittedAt: rig.clock.now.toISOString(),
  address: 'Астана қ., Тұран д-лы, 5, 12',
  phone: '+77011234567',
  complaint: 'Температура 38,5, жөтел',
  ...over,
});

/** Pull, process, push: one round trip of the workstation. */
async function round() {
  await syncNow(rig.ws.app);
  const r = await processInbox(rig.ws.app);
  await syncNow(rig.ws.app);
  return r;
}

describe('e-requests from the portal', () => {
  it('numbers a request, routes it by pull, and the registrar confirms: signed home-visit certificate, call register entry', async () => {
    // The organization's choice: a registrar confirms each answer of a fully automated e-service.
    await rig.admin.call('erequests.setPolicy', { autoAnswer: false, confirmAutomated: true, onBehalfOf: null });
    const posted = await rig.post(rig.pki.signRequest(homeVisit(), 'valid'));
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ status: 'received', duplicate: false });
    expect(posted.body.number).toMatch(/^E\d{4}-\d{8}$/);
    expect(await rig.status(posted.body.number)).toMatchObject({
      status: 'received',
      iin: rig.pki.citizenIin,
      serviceType: 'home-visit',
      result: null,
    });

    await round();
    const inbox = await rig.registrar.call('erequests.inbox', { open: true });
    const row = inbox.rows.find((r) => r.number === posted.body.number)!;
    expect(row).toMatchObject({ status: 'awaiting-registrar', signature: { valid: true } });
    // Numbered by this desk: its workstation code from enrollment starts the number.
    const prefix = (await rig.registrar.call('org.get', {})).workstationPrefix;
    expect(prefix).toMatch(/^D\d+$/);
    expect(row.registeredAs?.startsWith(`${prefix}-`)).toBe(true);
    expect(row.deadlineAt).not.toBeNull();
    expect(row.grounds.every((g) => g.ok)).toBe(true);
    expect(await rig.status(posted.body.number)).toMatchObject({ status: 'registered', registeredAs: row.registeredAs });

    const done = await rig.registrar.call('erequests.resolve', { id: row.id, decision: 'confirm' });
    expect(done).toMatchObject({ status: 'done', decision: { kind: 'result' } });
    expect(done.journalRef?.startsWith(`${prefix}-V`)).toBe(true);
    await syncNow(rig.ws.app);

    const seen = await rig.status(posted.body.number);
    expect(seen.status).toBe('done');
    expect(seen.deadlineAt).toBe(row.deadlineAt);
    const doc = JSON.parse(seen.result.document);
    expect(doc).toMatchObject({
      type: 'home-visit-certificate',
      number: posted.body.number,
      iin: rig.pki.citizenIin,
      callNumber: done.journalRef,
      organization: { bin: rig.pki.organizationBin },
    });
    expect(opensslVerifies(rig.pki, seen.result.document, seen.result.cms)).toBe(true);
    expect(opensslVerifies(rig.pki, seen.result.document.replace('home-visit', 'home-visiT'), seen.result.cms)).toBe(false);

    // The call is in the register as a desk call would be, linked to the portal request.
    const visits = await rig.registrar.call('homeVisits.ofPerson', { iin: rig.pki.citizenIin });
    expect(visits.find((v) => v.number === done.journalRef)?.channel).toBe('portal');
    const req = rig.ws.app.db.prepare(`SELECT channel, status FROM service_request WHERE number = ?`).get(row.registeredAs) as {
      channel: string;
      status: string;
    };
    expect(req).toEqual({ channel: 'portal', status: 'done' });
    // Every ground's detail is a code with parameters (rendered in kk/ru/en), and the grounds' titles are the data's.
    expect(row.grounds.map((g) => [g.check, g.code])).toEqual([
      ['signature', 'signed-by'],
      // The Astana act was repealed in 2014: the demo clinic works by it as its adopted interim internal standard.
      ['in-force', 'regulation-adopted'],
      ['cutoff', 'cutoff-ok'],
      ['person', 'person-found'],
      ['attached', 'attached'],
      ['district', 'district'],
      ['visit-window', 'visit-window'],
    ]);
    expect(row.grounds.find((g) => g.check === 'visit-window')!.title?.kk).toBe('Учаскелік дәрігер өтініш берілген күні келе алады');
    await rig.admin.call('erequests.setPolicy', { autoAnswer: false, confirmAutomated: false, onBehalfOf: null });
  }, 60_000);

  it('refuses automatically, signed, when the signature is not confirmed: tampered, revoked, another person’s certificate', async () => {
    const valid = Buffer.from(rig.pki.signRequest(homeVisit({ complaint: 'Basyn auyrady qatty' }), 'valid'));
    const at = valid.indexOf('Basyn auyrady');
    valid[at] = 'X'.charCodeAt(0); // one letter of the signed content changed in transit
    const cases = [
      { der: valid, reason: 'bad-signature' },
      { der: rig.pki.signRequest(homeVisit(), 'revoked'), reason: 'revoked' },
      { der: rig.pki.signRequest(homeVisit(), 'mismatch'), reason: 'iin-mismatch' },
    ];
    const numbers: string[] = [];
    for (const c of cases) numbers.push((await rig.post(c.der)).body.number);
    await round();
    for (const [i, c] of cases.entries()) {
      const seen = await rig.status(numbers[i]!);
      expect(seen.status).toBe('refused');
      expect(seen.statusReason).toBe('signature-not-confirmed');
      expect(seen.refusal.reasons.join(' ')).toContain(c.reason);
      expect(seen.refusal.reason.kk).toContain('ЭЦҚ расталмады');
      expect(JSON.parse(seen.refusal.document)).toMatchObject({ type: 'motivated-refusal', code: 'signature-not-confirmed' });
      expect(opensslVerifies(rig.pki, seen.refusal.document, seen.refusal.cms)).toBe(true);
    }
  }, 60_000);

  it('refuses a home-visit request that arrives later than 2 hours before closing (clause 9)', async () => {
    // It reaches the gateway at 18:30 Astana time; the organization closes at 20:00.
    const morning = rig.clock.now;
    rig.clock.now = localInstant(rig.clock.today(), '18:30');
    const posted = await rig.post(rig.pki.signRequest(homeVisit(), 'valid'));
    await round();
    rig.clock.now = morning;
    const seen = await rig.status(posted.body.number);
    expect(seen).toMatchObject({ status: 'refused', statusReason: 'after-cutoff' });
    expect(seen.refusal.reasons[0]).toContain('after 18:00');
  }, 60_000);

  it('answers a fully automated e-service at once (Astana cl. 3): an appointment answered unattended; a taken slot refused', async () => {
    const appointment = (slotStart: string) => ({
      type: 'appointment',
      requestId: randomUUID(),
      iin: rig.pki.citizenIin,
      organizationBin: rig.pki.organizationBin,
      submittedAt: rig.clock.now.toISOString(),
      doctor: 'therapist',
      slotStart,
    });
    const slot = await firstFreeSlot(rig.ws, rig.registrar, 'therapist');
    const first = await rig.post(rig.pki.signRequest(appointment(slot), 'valid'));
    await round();
    const seen = await rig.status(first.body.number);
    expect(seen.status).toBe('done');
    expect(JSON.parse(seen.result.document)).toMatchObject({ type: 'appointment-certificate', slotStart: slot });
    expect(opensslVerifies(rig.pki, seen.result.document, seen.result.cms)).toBe(true);

    const second = await rig.post(rig.pki.signRequest(appointment(slot), 'valid'));
    await round();
    const taken = await rig.status(second.body.number);
    expect(taken).toMatchObject({ status: 'refused', statusReason: 'grounds-not-met' });
    expect(taken.refusal.reasons.join(' ')).toMatch(/slot/);
    // The citizen reads which ground failed in their language, by its title in the regulation's data.
    expect(taken.refusal.reason.kk).toContain('Дәрігер кестесіндегі таңдалған уақыт бос');
    expect(taken.refusal.reason.ru).toContain('Выбранное время в расписании врача свободно');
  }, 60_000);

  it('answers a duplicate with the first number, and an unknown organization with a clear status', async () => {
    const body = homeVisit();
    const der = rig.pki.signRequest(body, 'valid');
    const a = await rig.post(der);
    const b = await rig.post(der);
    expect(b).toMatchObject({ status: 200, body: { number: a.body.number, duplicate: true } });
    const rows = await rig.server.db.query(`SELECT count(*)::int AS n FROM gateway_request WHERE request_id = $1`, [body.requestId]);
    expect(rows.rows[0]).toEqual({ n: 1 });
    // Request ids are each gateway client's own: another client's request 42 is another request, and neither client
    // reads the other's.
    const otherGateway = gatewayClient(rig.server.url, (await createGatewayCredential(rig.server.db, 'second portal')).credential);
    const c = await otherGateway.post(der);
    expect(c).toMatchObject({ status: 201, body: { duplicate: false } });
    expect(c.body.number).not.toBe(a.body.number);
    expect(await otherGateway.status(a.body.number)).toMatchObject({ error: 'not-found' });
    expect(await rig.status(a.body.number)).toMatchObject({ number: a.body.number });

    const other = await rig.post(rig.pki.signRequest(homeVisit({ organizationBin: '000000000000' }), 'valid'));
    expect(other.body.status).toBe('unknown-organization');
    expect(await rig.status(other.body.number)).toMatchObject({ status: 'unknown-organization' });

    const noAuth = await fetch(`${rig.server.url}/v1/gateway/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/pkcs7-mime' },
      body: der,
    });
    expect(noAuth.status).toBe(401);
  }, 60_000);
});

describe('the gateway script and the server CLI', () => {
  it('submits a request signed with openssl and shows the citizen’s status', async () => {
    const { main } = await import('../../../server/gateway-submit');
    const { writeTemp } = await import('../../helpers/pki');
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s), env: {} };
    const json = writeTemp(rig.pki, 'demo.json', JSON.stringify(homeVisit()));
    const c = rig.pki.certs.valid;
    expect(
      await main(['submit', '--server', rig.server.url, '--credential', rig.gateway, '--json', json, '--cert', c.cert, '--key', c.key], io),
    ).toBe(0);
    const number = out.join('').split(' ')[0]!;
    expect(number).toMatch(new RegExp(`^E${rig.clock.now.getUTCFullYear()}-\\d{8}$`));
    expect(await main(['status', '--server', rig.server.url, '--credential', rig.gateway, number], io)).toBe(0);
    expect(out.join('')).toContain(`${number}  IIN ${rig.pki.citizenIin}  home-visit  received`);
  });
});

/**
 * The quality survey on the portal (Astana appendix 3; issue 15): once an e-request is answered, the portal posts
 * the citizen's answers to the two questions through the gateway; the central server keeps them once, shows them
 * on the citizen's status, and passes them to the organization's desks, where the desk that handled the request
 * counts them in its survey report with source "portal".
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processInbox } from '../../../electron/services/erequests/intake';
import { syncNow } from '../../../electron/services/sync/index';
import { createGatewayCredential } from '../../../server/gateway';
import { createErequestRig, type ErequestRig } from '../../helpers/erequests';

let rig: ErequestRig;
beforeAll(async () => {
  rig = await createErequestRig({ registrarConfirms: true });
}, 120_000);
afterAll(async () => {
  await rig?.close();
});

const homeVisit = () => ({
  type: 'home-visit',
  requestId: randomUUID(),
  iin: rig.pki.citizenIin,
  organizationBin: rig.pki.organizationBin,
  submittedAt: rig.clock.now.toISOString(),
  address: 'Астана қ., Тұран д-лы, 5, 12',
  phone: '+77011234567',
  complaint: 'Температура 38,5',
});

async function round() {
  await syncNow(rig.ws.app);
  await processInbox(rig.ws.app);
  await syncNow(rig.ws.app);
}

async function survey(number: string, body: unknown, credential = rig.gateway) {
  const r = await fetch(`${rig.server.url}/v1/gateway/requests/${number}/survey`, {
    method: 'POST',
    headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

describe('the quality survey on the portal', () => {
  it('takes the citizen’s answers once the request is answered, once, and the handling desk counts them', async () => {
    const posted = await rig.post(rig.pki.signRequest(homeVisit(), 'valid'));
    await round();
    // Not answered yet: the survey waits for the answer.
    expect(await survey(posted.body.number, { q1: 'satisfied', q2: 'satisfied' })).toMatchObject({
      status: 409,
      body: { error: 'not-answered' },
    });
    const inbox = await rig.registrar.call('erequests.inbox', { open: true });
    const row = inbox.rows.find((r) => r.number === posted.body.number)!;
    await rig.registrar.call('erequests.resolve', { id: row.id, decision: 'confirm' });
    await syncNow(rig.ws.app);

    // A bad answer is named; another gateway client's citizen cannot answer for this one.
    expect(await survey(posted.body.number, { q1: 'very-happy', q2: 'satisfied' })).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('q1') },
    });
    const other = (await createGatewayCredential(rig.server.db, 'another portal')).credential;
    expect((await survey(posted.body.number, { q1: 'satisfied', q2: 'satisfied' }, other)).status).toBe(404);

    const taken = await survey(posted.body.number, { q1: 'partly-satisfied', q2: 'not-satisfied' });
    expect(taken).toMatchObject({ status: 201, body: { q1: 'partly-satisfied', q2: 'not-satisfied' } });
    expect(await survey(posted.body.number, { q1: 'satisfied', q2: 'satisfied' })).toMatchObject({
      status: 409,
      body: { error: 'survey-taken' },
    });
    expect((await rig.status(posted.body.number)).survey).toMatchObject({ q1: 'partly-satisfied', q2: 'not-satisfied' });

    // The desk pulls the answers and counts them with its own, as the portal's.
    const before = await rig.admin.call('survey.report', { from: rig.clock.today(), to: rig.clock.today() });
    const count = (r: typeof before) => r.services.find((s) => s.serviceId === 'home-visit')?.q2['not-satisfied'] ?? 0;
    await round();
    const after = await rig.admin.call('survey.report', { from: rig.clock.today(), to: rig.clock.today() });
    expect(count(after)).toBe(count(before) + 1);
    const stored = rig.ws.app.db
      .prepare(
        `SELECT s.source, s.q1, s.q2, s.recorded_by FROM service_survey s JOIN service_request r ON r.id = s.request_id WHERE r.number = ?`,
      )
      .all(row.registeredAs);
    expect(stored).toEqual([{ source: 'portal', q1: 'partly-satisfied', q2: 'not-satisfied', recorded_by: null }]);
    const request = rig.ws.app.db.prepare(`SELECT id FROM service_request WHERE number = ?`).get(row.registeredAs) as { id: number };
    expect((await rig.registrar.call('requests.get', { requestId: request.id })).survey).toMatchObject({
      q1: 'partly-satisfied',
      q2: 'not-satisfied',
    });
    // Pulled again (a desk that resyncs): counted once.
    await round();
    expect(count(await rig.admin.call('survey.report', { from: rig.clock.today(), to: rig.clock.today() }))).toBe(count(after));
  }, 60_000);
});

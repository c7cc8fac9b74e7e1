/**
 * The attachment e-service end to end (Astana app. 3 cl. 8(1), 12; Atyrau app. 3 cl. 3, 8(12)): a citizen not yet
 * attached signs an attachment e-request; the workstation checks the grounds (in the population register, not
 * attached here yet, the address in a district), the registrar confirms, and the citizen receives the talon as an
 * electronic document signed with the provider's key. The attachment journal holds it like a desk attachment. A
 * second application from the same person is refused on the "already attached here" ground.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processInbox } from '../../../electron/services/erequests/intake';
import { syncNow } from '../../../electron/services/sync/index';
import { createErequestRig, opensslVerifies, type ErequestRig } from '../../helpers/erequests';

let rig: ErequestRig;
beforeAll(async () => {
  rig = await createErequestRig({ attachCitizen: false, registrarConfirms: true });
}, 120_000);
afterAll(async () => {
  await rig?.close();
});

const attachment = () => ({
  type: 'attachment',
  requestId: randomUUID(),
  iin: rig.pki.citizenIin,
  organizationBin: rig.pki.organizationBin,
  submittedAt: rig.clock.now.toISOString(),
  previousOrganization: '№ 4 қалалық емхана',
});

async function round() {
  await syncNow(rig.ws.app);
  await processInbox(rig.ws.app);
  await syncNow(rig.ws.app);
}

async function inboxRow(number: string) {
  const inbox = await rig.registrar.call('erequests.inbox', { open: false });
  return inbox.rows.find((r) => r.number === number)!;
}

describe('the attachment e-talon', () => {
  it('checks the grounds, and the registrar’s confirmation sends a talon signed by the provider', async () => {
    const posted = await rig.post(rig.pki.signRequest(attachment(), 'valid'));
    expect(posted.status).toBe(201);
    await round();
    const row = await inboxRow(posted.body.number);
    expect(row).toMatchObject({ status: 'awaiting-registrar', signature: { valid: true } });
    expect(row.grounds.map((g) => [g.check, g.ok])).toEqual([
      ['signature', true],
      ['in-force', true],
      ['cutoff', true],
      ['person', true],
      ['not-attached-here', true],
      ['district', true],
    ]);

    const done = await rig.registrar.call('erequests.resolve', { id: row.id, decision: 'confirm' });
    expect(done).toMatchObject({ status: 'done', decision: { kind: 'result' } });
    await syncNow(rig.ws.app);

    const seen = await rig.status(posted.body.number);
    expect(seen.status).toBe('done');
    const talon = JSON.parse(seen.result.document);
    expect(talon).toMatchObject({
      number: posted.body.number,
      iin: rig.pki.citizenIin,
      talonNumber: done.journalRef,
      organization: { bin: rig.pki.organizationBin },
      callCentre: '1414',
    });
    expect(talon.type).toMatch(/talon/);
    expect(talon.district).toBeTruthy();
    expect(talon.verification).toMatch(/\S{6,}/);
    // The answer can be checked on the central server's page (issue 19): its URL and code travel in it.
    expect(talon.verificationPage).toMatchObject({
      url: expect.stringMatching(/\/v\/E\d{4}-\d{8}\/[0-9A-Z]{16}$/),
      code: expect.stringMatching(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/),
    });
    const checked = await fetch(talon.verificationPage.url, { headers: { accept: 'application/json' } });
    expect(await checked.json()).toMatchObject({ found: true, kind: 'erequest-answer', status: 'valid', number: posted.body.number });
    expect(opensslVerifies(rig.pki, seen.result.document, seen.result.cms)).toBe(true);
    // One changed letter of the talon and the signature no longer holds.
    expect(opensslVerifies(rig.pki, seen.result.document.replace(talon.talonNumber, `${talon.talonNumber}9`), seen.result.cms)).toBe(false);

    // In the attachment journal like a desk attachment, by the portal channel and with the previous organization.
    const journal = rig.ws.app.db
      .prepare(
        `SELECT a.talon_number, a.status, a.previous_org, r.channel
           FROM attachment a JOIN service_request r ON r.id = a.request_id WHERE a.person_iin = ?`,
      )
      .all(rig.pki.citizenIin);
    expect(journal).toEqual([{ talon_number: done.journalRef, status: 'active', previous_org: '№ 4 қалалық емхана', channel: 'portal' }]);
  }, 60_000);

  it('refuses a second application: the person is already attached here', async () => {
    const posted = await rig.post(rig.pki.signRequest(attachment(), 'valid'));
    await round();
    const row = await inboxRow(posted.body.number);
    expect(row.grounds.find((g) => g.check === 'not-attached-here')).toMatchObject({ ok: false });
    const refused = await rig.registrar.call('erequests.resolve', {
      id: row.id,
      decision: 'refuse',
      reason: 'Осы ұйымға бекітілген (талон бар)',
    });
    expect(refused).toMatchObject({ status: 'refused', decision: { kind: 'refusal' } });
    await syncNow(rig.ws.app);
    const seen = await rig.status(posted.body.number);
    expect(seen).toMatchObject({ status: 'refused', statusReason: 'grounds-not-met' });
    expect(opensslVerifies(rig.pki, seen.refusal.document, seen.refusal.cms)).toBe(true);
    const active = rig.ws.app.db
      .prepare(`SELECT count(*) AS n FROM attachment WHERE person_iin = ? AND status = 'active'`)
      .get(rig.pki.citizenIin);
    expect(active).toEqual({ n: 1 });
  }, 60_000);
});

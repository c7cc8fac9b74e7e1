/**
 * Chromium, real renderer, web host, real SQLite, and the central server on PGlite: e-requests signed with the
 * test citizen's key are posted to the gateway and pulled by the workstation; the registrar works the inbox —
 * sees the deadline clock, the signature check and the grounds, confirms one home-visit call (signed result) and
 * refuses an appointment with a written reason (signed motivated refusal); a revoked-certificate request is
 * already refused by the rules. The citizen's status on the server follows.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayCredential } from '../../server/gateway';
import { syncNow } from '../../electron/services/sync/index';
import { logIn, screenshot, startBrowserSession, type BrowserSession } from '../helpers/browser';
import { workingDayClock } from '../helpers/clock';
import { firstFreeSlot, gatewayClient, opensslVerifies, setUpErequestWorkstation } from '../helpers/erequests';
import type { Caller } from '../helpers/app';
import { createTestPki, type TestPki } from '../helpers/pki';
import { startTestServer, type TestServer } from '../helpers/sync-server';

let s: BrowserSession;
let server: TestServer;
let pki: TestPki;
let gw: ReturnType<typeof gatewayClient>;
let registrar: Caller;
const clock = workingDayClock('10:00'); // 10:00 in Astana on the next working day; PKI, server and workstation share it

beforeAll(async () => {
  pki = createTestPki({ clock });
  server = await startTestServer('pglite', undefined, { clock: clock.read });
  s = await startBrowserSession({ population: 20, clock: clock.read });
  registrar = (await setUpErequestWorkstation(s.ws, pki, server, { registrarConfirms: true })).registrar;
  gw = gatewayClient(server.url, (await createGatewayCredential(server.db, 'e2e portal')).credential);
}, 180_000);
afterAll(async () => {
  await s?.close();
  await server?.close();
  pki?.cleanup();
});

const base = () => ({
  requestId: randomUUID(),
  iin: pki.citizenIin,
  organizationBin: pki.organizationBin,
  submittedAt: clock.now.toISOString(),
});

describe('the registrar works the e-request inbox', () => {
  it('confirms a home-visit call, refuses an appointment with a reason, sees a revoked signature refused', async () => {
    const visit = await gw.post(
      pki.signRequest({ type: 'home-visit', ...base(), address: 'Астана қ., Тұран д-лы, 5, 12', complaint: 'Температура 38,5' }, 'valid'),
    );
    const appointment = await gw.post(
      pki.signRequest(
        { type: 'appointment', ...base(), doctor: 'therapist', slotStart: await firstFreeSlot(s.ws, registrar, 'therapist') },
        'valid',
      ),
    );
    const revoked = await gw.post(
      pki.signRequest({ type: 'home-visit', ...base(), address: 'Астана қ., Тұран д-лы, 5, 12', complaint: 'Бас ауруы' }, 'revoked'),
    );
    await syncNow(s.ws.app); // the workstation pulls; the inbox screen processes what arrived

    const { page } = await s.newPage({ locale: 'kk-KZ' });
    page.setDefaultTimeout(15_000);
    await logIn(page, 'registrar');
    await page.locator('[data-nav="erequests"]').click();
    const inbox = page.locator('[data-test="inbox"]');
    await inbox.waitFor();
    const row = (n: string) => inbox.locator(`tr[data-number="${n}"]`);
    await expect.poll(() => row(visit.body.number).locator('[data-status]').getAttribute('data-status')).toBe('awaiting-registrar');
    expect(await row(visit.body.number).textContent()).toMatch(/қалды/); // the deadline clock
    await expect.poll(() => row(revoked.body.number).count()).toBe(0); // already refused by the rules: not in the open list

    // The home visit: signature confirmed, every ground holds → confirm and sign.
    await row(visit.body.number).click();
    const detail = page.locator('[data-test="detail"]');
    expect(await detail.locator('[data-test="signature"]').textContent()).toContain('ЭЦҚ расталды');
    expect(await detail.locator('[data-test="grounds"] li.error').count()).toBe(0);
    // The grounds in Kazakh: titles from the regulation's data, details through i18n; no English word (issue 15).
    const grounds = (await detail.locator('[data-test="grounds"]').textContent())!;
    expect(grounds).toContain('Учаскелік дәрігер өтініш берілген күні келе алады');
    expect(grounds).toContain('ЖТ МДБ-да табылды');
    expect(await detail.locator('[data-test="proposal"]').textContent()).toContain('Растаса, шақыру журналына');
    expect(grounds.replace(/[A-Za-z]+-\d+/g, '')).not.toMatch(/\b(found|district|received|attached|signed|until|talon)\b/i);
    await screenshot(page, 'erequests-inbox');
    await detail.locator('[data-test="confirm"]').click();
    await expect.poll(() => detail.locator('[data-test="decision"]').textContent()).toContain('Нәтиже берілді');
    await screenshot(page, 'erequests-confirmed');

    // The appointment: the registrar refuses it with a written reason.
    await row(appointment.body.number).click();
    await detail.locator('[data-test="reason"]').fill('Дәрігер бұл уақытта учаскеге шығады, басқа уақытты таңдаңыз');
    await detail.locator('[data-test="refuse"]').click();
    await expect.poll(() => detail.locator('[data-test="decision"]').textContent()).toContain('Бас тартылды');

    // Everything, including the rules' refusal of the revoked signature.
    await page.locator('[data-test="show-all"]').check();
    await row(revoked.body.number).click();
    expect(await detail.locator('[data-test="signature"]').textContent()).toContain('тіркеу куәлігі кері қайтарылған');
    await screenshot(page, 'erequests-refused-signature');

    await syncNow(s.ws.app);
    const v = await gw.status(visit.body.number);
    expect(v.status).toBe('done');
    expect(opensslVerifies(pki, v.result.document, v.result.cms)).toBe(true);
    const a = await gw.status(appointment.body.number);
    expect(a).toMatchObject({ status: 'refused', statusReason: 'grounds-not-met' });
    expect(a.refusal.reasons[0]).toContain('басқа уақытты таңдаңыз');
    expect(await gw.status(revoked.body.number)).toMatchObject({ status: 'refused', statusReason: 'signature-not-confirmed' });
  }, 120_000);

  it('the administrator makes the registrar’s confirmation of automated answers an explicit choice (kk)', async () => {
    const { page } = await s.newPage({ locale: 'kk-KZ' });
    page.setDefaultTimeout(15_000);
    await logIn(page, 'admin');
    await page.locator('[data-nav="erequests"]').click();
    const policy = page.locator('[data-test="erequests-policy"]');
    await policy.waitFor();
    expect(await policy.textContent()).toContain('Толық автоматтандырылған қызметтердің әр жауабын тіркеуші растайды');
    // Set up with the registrar confirming (the inbox test above): the box is ticked; untick and save.
    expect(await policy.locator('[data-test="confirm-automated"]').isChecked()).toBe(true);
    await policy.locator('[data-test="confirm-automated"]').uncheck();
    await policy.locator('[data-test="save-policy"]').click();
    await expect.poll(() => policy.locator('[role="status"]').textContent()).toContain('Сақталды');
    expect((await s.ws.as('admin').then((a) => a.call('erequests.settings', {}))).policy.confirmAutomated).toBe(false);
    await screenshot(page, 'erequests-policy');
  }, 60_000);
});

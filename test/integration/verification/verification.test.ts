/**
 * Issue 19 end to end, on PGlite and PostgreSQL: documents printed at one workstation (a talon, a receipt, a TB
 * certificate signed with ЭЦҚ on SoftHSM2), pushed with the normal sync and verified through the public page by a
 * plain HTTP client: kk and ru HTML and JSON, masked person, the signature verified; a tampered code and an unknown
 * number get the same 404; a voided receipt and a revoked talon show their status after the next sync; the checks
 * are counted for the organization's administrator; the desk checks its own documents itself, offline too.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import { groupCode } from '../../../common/verification';
import { getOrganization, saveOrganization } from '../../../db/organization';
import { setSetting } from '../../../db/settings';
import { getVerification } from '../../../db/verifications';
import { syncNow } from '../../../electron/services/sync/index';
import { resetWorkflowCaches } from '../../../electron/services/workflow/context';
import { addToRegister, adoptRegionActs, type Caller, type TestWorkstation } from '../../helpers/app';
import { workingDayClock } from '../../helpers/clock';
import { startPostgres, type PgCluster } from '../../helpers/postgres';
import { setUpPhysicianToken, TOKEN_LABEL, TOKEN_PIN, type DeskPki } from '../../helpers/signing-desk';
import type { Backend, TestServer } from '../../helpers/sync-server';
import { verificationDesk, verificationPage, type VerificationDesk } from '../../helpers/verification-desk';

const PERSON = makeIin('1985-03-01', 'F', 11);
const CLEAN = makeIin('1988-05-05', 'M', 21);

let cluster: PgCluster;
// One SoftHSM2 token for the file: the PKCS#11 module keeps the first configuration it was loaded with.
let shared: DeskPki | null = null;
const clock = workingDayClock('10:00', 'Asia/Almaty');
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(async () => {
  shared?.cleanup();
  await cluster?.close();
});

function token(app: TestWorkstation['app']): DeskPki {
  if (!shared) return (shared = setUpPhysicianToken(app, 'phthisiatrician'));
  app.db.prepare('UPDATE staff SET iin = ? WHERE login = ?').run(shared.pki.physicianIin, 'phthisiatrician');
  setSetting(app.db, 'signing.pkcs11Modules', [shared.hsm.module]);
  return shared;
}

const pdfText = (dir: string, base64: string) => {
  const f = path.join(dir, `v${Math.random()}.pdf`);
  fs.writeFileSync(f, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', f, '-']).toString('utf8');
};

const page = verificationPage;

describe.each<Backend>(['pglite', 'postgres'])('document verification on %s', (backend) => {
  let desk: VerificationDesk;
  let server: TestServer;
  let ws: TestWorkstation;
  let reg: Caller;
  let admin: Caller;

  beforeAll(async () => {
    desk = await verificationDesk(backend, cluster, clock.read, [
      { iin: PERSON, surname: 'Қасымова', givenName: 'Динара', address: 'Астана қ., Тұран д-лы, 12-үй, 4-пәтер' },
    ]);
    ({ server, ws, reg, admin } = desk);
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('a talon printed at the desk, synced, is confirmed by the page in kk, ru and JSON with the person masked', async () => {
    const a = await reg.call('attachments.apply', { iin: PERSON, documents: ['application', 'identity-document'] });
    const pdf = await reg.call('attachments.talon', { id: a.id });
    const record = getVerification(ws.app.db, a.talonNumber)!;
    expect(record.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    const text = pdfText(ws.dir, pdf.base64);
    expect(text).toContain(`Құжаттың түпнұсқалығын тексеру коды: ${groupCode(record.code)}`);
    expect(text).toContain(`Код проверки подлинности документа: ${groupCode(record.code)}`);
    // A re-print carries the same code.
    await reg.call('attachments.talon', { id: a.id });
    expect(getVerification(ws.app.db, a.talonNumber)!.code).toBe(record.code);

    await syncNow(ws.app);
    const url = `${server.url}/v/${a.talonNumber}/${record.code}`;
    const json = await page(url, { accept: 'application/json' });
    expect(json.status).toBe(200);
    const j = JSON.parse(json.body);
    expect(j).toMatchObject({
      found: true,
      number: a.talonNumber,
      kind: 'talon',
      status: 'valid',
      person: 'Қасымова Д.',
      iin: `${PERSON.slice(0, 6)}****${PERSON.slice(10)}`,
      organization: { bin: getOrganization(ws.app.db)!.bin },
      signature: null,
    });
    expect(json.body).not.toContain(PERSON);
    expect(json.body).not.toContain('Динара');

    const kk = await page(url);
    expect(kk.type).toContain('text/html');
    expect(kk.body).toContain('Құжат расталды');
    expect(kk.body).toContain('Жарамды');
    expect(kk.body).toContain('Қасымова Д.');
    expect(kk.body).toContain(getOrganization(ws.app.db)!.name.kk);
    const ru = await page(url, { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' });
    expect(ru.body).toContain('Документ подтверждён');
    expect(ru.body).toContain('Действителен');
    expect((await page(`${url}?lang=kk`, { 'accept-language': 'ru' })).body).toContain('Құжат расталды');
    // The code as printed (grouped, lower case, O for 0) is the same code.
    const typed = groupCode(record.code).toLowerCase().replace(/0/g, 'o');
    expect((await page(`${server.url}/v/${a.talonNumber}/${typed}`, { accept: 'application/json' })).status).toBe(200);

    // A tampered code and an unknown number: the same answer.
    const flipped = record.code.slice(0, 15) + (record.code[15] === 'A' ? 'B' : 'A');
    const tampered = await page(`${server.url}/v/${a.talonNumber}/${flipped}`, { accept: 'application/json' });
    const unknown = await page(`${server.url}/v/${a.talonNumber}9/${record.code}`, { accept: 'application/json' });
    expect(tampered).toEqual({ status: 404, type: unknown.type, body: unknown.body });
    expect(JSON.parse(tampered.body)).toEqual({ found: false });
    const tamperedHtml = await page(`${server.url}/v/${a.talonNumber}/${flipped}?lang=ru`);
    const unknownHtml = await page(`${server.url}/v/X9-T999999/${flipped}?lang=ru`);
    expect(tamperedHtml.status).toBe(404);
    expect(tamperedHtml.body.replace(/href="[^"]*"/, '')).toBe(unknownHtml.body.replace(/href="[^"]*"/, ''));
    expect(tamperedHtml.body).toContain('Документ с таким номером и кодом не найден');

    // The desk checks its own document itself, also with the server gone from its settings.
    expect(await reg.call('verifications.check', { number: a.talonNumber, code: groupCode(record.code) })).toMatchObject({
      found: true,
      source: 'local',
      kind: 'talon',
      status: 'valid',
      personIin: PERSON,
    });
    expect(await reg.call('verifications.check', { number: a.talonNumber, code: flipped })).toMatchObject({
      found: false,
      source: 'local',
    });

    // Revoked by the administrator: after the next sync the page says so.
    await admin.call('verifications.revoke', { number: a.talonNumber, reason: 'выдан ошибочно' });
    await syncNow(ws.app);
    expect(JSON.parse((await page(url, { accept: 'application/json' })).body)).toMatchObject({ status: 'revoked' });
    expect((await page(`${url}?lang=ru`)).body).toContain('Отозван');
    expect((await page(url)).body).toContain('Кері қайтарылған');

    // Every confirmed check is counted; the administrator sees the count through the desk.
    const counts = await admin.call('verifications.checks', {});
    expect(counts.reachable).toBe(true);
    expect(counts.documents.find((d) => d.number === a.talonNumber)).toMatchObject({ kind: 'talon', status: 'revoked', checks: 8 });
    expect((await reg.raw('verifications.checks', {})).ok).toBe(false);
  });

  it('a paid TB certificate signed with ЭЦҚ and its receipt: the signature verifies; the voided receipt says voided', async () => {
    saveOrganization(ws.app.db, { ...getOrganization(ws.app.db)!, region: 'atyrau', timezone: 'Asia/Atyrau' });
    adoptRegionActs(ws.app);
    resetWorkflowCaches(ws.app);
    addToRegister(ws.app, { iin: CLEAN, surname: 'Омаров', givenName: 'Ерлан' });
    const pki = token(ws.app);
    const adminA = await ws.as('admin');
    await adminA.call('prices.set', { serviceId: 'tb-certificate', feeKzt: 1500, effectiveFrom: '2026-01-01' });
    const operator = await ws.as('operator');
    const cashier = await ws.as('cashier');
    const phth = await ws.as('phthisiatrician');
    const r = await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: CLEAN });
    await operator.call('registers.check', { requestId: r.id });
    await operator.call('requests.completeStep', { requestId: r.id, stepId: 'journal-entry' });
    await cashier.call('cash.openShift', {});
    const receipt = await cashier.call('cash.pay', { requestId: r.id, method: 'cash' });
    const receiptText = pdfText(ws.dir, (await cashier.call('cash.receipt', { receiptNo: receipt.receiptNo, layout: '80mm' })).base64);
    const rc = getVerification(ws.app.db, receipt.receiptNo)!;
    expect(receiptText.replace(/\s+/g, ' ')).toContain(groupCode(rc.code));
    const cert = await phth.call('certificates.sign', {
      requestId: r.id,
      stepId: 'sign-issue',
      source: { kind: 'pkcs11', module: pki.hsm.module, token: TOKEN_LABEL },
      keyId: '01',
      secret: TOKEN_PIN,
    });
    const certText = pdfText(ws.dir, (await phth.call('certificates.pdf', { number: cert.number, language: 'ru' })).base64);
    const cc = getVerification(ws.app.db, cert.number)!;
    expect(certText).toContain(`Код проверки подлинности документа: ${groupCode(cc.code)}`);
    await syncNow(ws.app);

    const certPage = JSON.parse((await page(`${server.url}/v/${cert.number}/${cc.code}`, { accept: 'application/json' })).body);
    expect(certPage).toMatchObject({
      found: true,
      kind: 'dispensary-certificate',
      status: 'valid',
      person: 'Омаров Е.',
      signature: { verified: true },
    });
    expect(certPage.signers).toHaveLength(1);
    expect((await page(`${server.url}/v/${cert.number}/${cc.code}?lang=ru`)).body).toContain('Электронная цифровая подпись (CAdES) верна');

    const receiptUrl = `${server.url}/v/${receipt.receiptNo}/${rc.code}`;
    expect(JSON.parse((await page(receiptUrl, { accept: 'application/json' })).body)).toMatchObject({
      kind: 'receipt',
      status: 'valid',
      person: null,
    });
    await cashier.call('cash.void', { receiptNo: receipt.receiptNo, reason: 'ошибочный способ оплаты' });
    await syncNow(ws.app);
    const voided = await page(`${receiptUrl}?lang=ru`);
    expect(voided.body).toContain('Аннулирован (возврат)');
    expect(voided.body).not.toContain('ошибочный'); // the reason stays with the organization
    expect(await cashier.call('verifications.check', { number: receipt.receiptNo, code: rc.code })).toMatchObject({ status: 'voided' });
  });
});

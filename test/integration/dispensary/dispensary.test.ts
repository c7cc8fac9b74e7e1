/**
 * Issue 6 through the real API: register checks (positive → refusal), the TB certificate with payment and a
 * SoftHSM2 signature, the psychiatric certificate with two signatures, cash rules (second payment, void of another
 * shift, signing before payment, roles), certificate PDFs (pdftotext), HIV anonymous/confidential with the scan of
 * the database file, the outbox and the log for the anonymous person's identity.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupCode, verificationUrl } from '../../../common/verification';
import { getVerification } from '../../../db/verifications';
import { makeIin } from '../../../common/iin';
import { listAudit, verifyAudit } from '../../../db/audit';
import { getOrganization, saveOrganization } from '../../../db/organization';
import { stepJournalOfRequest } from '../../../db/step-journal';
import { listOutbox } from '../../../db/outbox';
import { getEnrollment } from '../../../db/sync';
import { upsertPerson } from '../../../db/people';
import { closeApp, openApp } from '../../../electron/services/app';
import { DEMO_ACCOUNTS, seedDemoData } from '../../../electron/services/demo-data';
import { certificateByNumber, signaturesOf } from '../../../db/dispensary';
import { signedData } from '../../../electron/services/dispensary/certificates';
import { verifyDetached } from '../../../pki';
import { resetWorkflowCaches } from '../../../electron/services/workflow/context';
import { adoptRegionActs, caller, TEST_PASSWORD, tempDir, type Caller } from '../../helpers/app';
import { refusal } from '../../helpers/api-errors';
import { readQrCodes } from '../../helpers/qr-reader';
import { setUpPhysicianToken, TOKEN_LABEL, TOKEN_PIN, type DeskPki } from '../../helpers/signing-desk';
import type { AppContext } from '../../../electron/services/app';
import { localDate, workingDayClock } from '../../helpers/clock';

const CLEAN = makeIin('1988-05-05', 'M', 21);
const ON_TB = makeIin('1979-01-02', 'F', 33);
const ANON_IIN = makeIin('1995-07-08', 'M', 44);
const ANON_NAME = 'Жасырынбаев';
const CONF_IIN = makeIin('1990-03-04', 'F', 55);
// 10:00 in Atyrau on the next working day: the workstation and the test PKI's certificates share this clock.
const clock = workingDayClock('10:00', 'Asia/Atyrau');
const TODAY = clock.today('Asia/Atyrau');
const DAY_BEFORE = localDate(new Date(clock.now.getTime() - 86400_000), 'Asia/Atyrau');
const DAY_AFTER = localDate(new Date(clock.now.getTime() + 86400_000), 'Asia/Atyrau');
let app: AppContext;
let dir: string;
let pki: DeskPki;
const as = async (login: string): Promise<Caller> => {
  const c = caller(app);
  await c.call('session.login', { login, password: TEST_PASSWORD });
  return c;
};
const pdfText = (base64: string) => {
  const f = path.join(dir, `t${Math.random()}.pdf`);
  fs.writeFileSync(f, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', f, '-']).toString('utf8');
};

beforeAll(() => {
  dir = tempDir();
  // A real log file (openApp's default logger) so the anonymity scan covers it.
  ({ app } = openApp({ dataDir: dir, clock: clock.read }));
  seedDemoData(app, { population: 20, passwords: Object.fromEntries(DEMO_ACCOUNTS.map((a) => [a.login, TEST_PASSWORD])) });
  saveOrganization(app.db, { ...getOrganization(app.db)!, region: 'atyrau', timezone: 'Asia/Atyrau' });
  adoptRegionActs(app);
  resetWorkflowCaches(app);
  for (const [iin, surname] of [
    [CLEAN, 'Омаров'],
    [ON_TB, 'Серікова'],
    [CONF_IIN, 'Құпиябаева'],
  ] as const) {
    upsertPerson(
      app.db,
      {
        iin,
        surname,
        givenName: 'Айгүл',
        patronymic: null,
        birthDate: '1988-05-05',
        sex: 'F',
        address: null,
        phone: null,
        source: 'register',
      },
      clock.now,
    );
  }
  pki = setUpPhysicianToken(app, 'phthisiatrician');
  // One SoftHSM2 token stands in for both signers' tokens (the test PKI issues one person's certificate).
  for (const login of ['psychiatrist', 'registrar'])
    app.db.prepare('UPDATE staff SET iin = ? WHERE login = ?').run(pki.pki.physicianIin, login);
}, 60_000);
afterAll(() => {
  closeApp(app);
  pki?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const source = () => ({ kind: 'pkcs11' as const, module: pki.hsm.module, token: TOKEN_LABEL });

describe('registers', () => {
  it('imports a CSV with rejected rows; look-ups only by the dispensary’s roles, each recorded', async () => {
    const admin = await as('admin');
    const csv = `iin,from_date,removed_on\n${ON_TB},2020-01-10,\n123,2020-01-01,\n${CLEAN},2019-01-01,2021-05-05\n${ON_TB},2020-01-01,\n`;
    const r = await admin.call('registers.import', { register: 'tb', fileName: 'tb.csv', text: csv });
    expect(r).toMatchObject({ total: 4, accepted: 2, rejected: 2 });
    expect(r.rejectedRows.map((x) => x.line)).toEqual([3, 5]);
    const operator = await as('operator');
    const phth = await as('phthisiatrician');
    const registrar = await as('registrar');
    const cashier = await as('cashier');
    // Look-ups only inside a request of the dispensary's service, of its person (issue 14): no IIN argument at all.
    const onTb = await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: ON_TB });
    const clean = await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: CLEAN });
    const psych = await registrar.call('requests.start', { serviceId: 'psychoneurological-certificate', channel: 'desk', iin: ON_TB });
    const lookup = await phth.call('registers.lookup', { requestId: onTb.id });
    expect(lookup).toMatchObject({ found: true, iin: ON_TB, requestId: onTb.id, checkedBy: 'phthisiatrician' });
    expect((await operator.call('registers.lookup', { requestId: clean.id })).found).toBe(false); // removed in 2021
    expect((await refusal(registrar, 'registers.lookup', { requestId: onTb.id })).code).toBe('forbidden');
    expect((await refusal(operator, 'registers.lookup', { requestId: psych.id })).code).toBe('forbidden');
    expect((await refusal(cashier, 'registers.lookup', { requestId: onTb.id })).code).toBe('forbidden');
    expect((await refusal(registrar, 'registers.lookup', { register: 'psychiatric', iin: ON_TB } as never)).code).toBe('validation');
    const anyService = await registrar.call('requests.start', { serviceId: 'attachment', channel: 'desk', iin: ON_TB });
    expect((await refusal(registrar, 'registers.lookup', { requestId: anyService.id })).code).toBe('validation');
    for (const id of [onTb.id, clean.id, psych.id, anyService.id])
      await admin.call('requests.cancel', { requestId: id, reason: 'тестовая заявка' });
    const audit = listAudit(app.db, {}).filter((a) => a.action === 'register.looked-up');
    expect(audit.map((a) => a.entityId).sort()).toEqual([onTb.number, clean.number].sort());
    // No list or browse method exists.
    expect((await admin.raw('registers.list', {})).ok).toBe(false);
  });
});

describe('TB certificate', () => {
  it('register-positive: the request ends at the check with the reason; no certificate', async () => {
    const operator = await as('operator');
    let r = await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: ON_TB });
    expect((await refusal(operator, 'requests.completeStep', { requestId: r.id, stepId: 'register-check' })).code).toBe(
      'register-check-required',
    );
    const c = await operator.call('registers.check', { requestId: r.id });
    expect(c).toMatchObject({ found: true, fromDate: '2020-01-10', checkedBy: 'operator', checkedByName: 'Динара Маратқызы Қасымова' });
    r = await operator.call('requests.get', { requestId: r.id });
    expect(r.status).toBe('refused');
    expect(r.steps[0]).toMatchObject({ condition: 'on-register', refusal: { code: 'on-register' } });
    expect(r.steps[0]!.refusal!.reason.ru).toContain('справка об отсутствии на учёте не выдаётся');
    expect((await operator.call('requests.extras', { requestId: r.id })).certificate).toBeNull();
    // The cashier, whose step never started on it, reads nothing of it: the same answer as a request that does not exist.
    const cashier = await as('cashier');
    for (const m of ['requests.extras', 'requests.get'] as const) {
      expect(await refusal(cashier, m, { requestId: r.id })).toMatchObject({ code: 'not-found', message: `no service request ${r.id}` });
      expect(await refusal(cashier, m, { requestId: 99_999 })).toMatchObject({ code: 'not-found', message: 'no service request 99999' });
    }
  });

  it('operator → operator → cashier → phthisiatrician with a SoftHSM2 signature; cash and document rules', async () => {
    const admin = await as('admin');
    await admin.call('prices.set', { serviceId: 'tb-certificate', feeKzt: 1500, effectiveFrom: '2026-01-01' });
    const operator = await as('operator');
    const cashier = await as('cashier');
    const phth = await as('phthisiatrician');
    let r = await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: CLEAN });
    expect(r.feeKzt).toBe(1500);
    expect((await operator.call('registers.check', { requestId: r.id })).found).toBe(false);
    r = await operator.call('requests.completeStep', { requestId: r.id, stepId: 'journal-entry' });
    expect(r.currentStep?.stepId).toBe('payment');
    // "The operator records the person in the journal": a row of the certificate-issuance journal (issue 15, point 4).
    expect(stepJournalOfRequest(app.db, r.id)).toEqual([
      expect.objectContaining({
        journal: 'certificate-issuance',
        step_id: 'journal-entry',
        person_iin: CLEAN,
        service_id: 'tb-certificate',
      }),
    ]);
    expect((await cashier.call('requests.queue', {})).rows.map((q) => q.number)).toContain(r.number);
    // No plain completion of the cash step, no signing before payment, no payment without a shift.
    expect((await refusal(cashier, 'requests.completeStep', { requestId: r.id, stepId: 'payment' })).code).toBe('payment-required');
    expect(
      (
        await refusal(phth, 'certificates.sign', {
          requestId: r.id,
          stepId: 'sign-issue',
          source: source(),
          keyId: '01',
          secret: TOKEN_PIN,
        })
      ).code,
    ).toBe('step-not-current');
    expect((await refusal(cashier, 'cash.pay', { requestId: r.id, method: 'cash' })).code).toBe('shift-not-open');
    // Roles in main: a physician cannot take money, a cashier cannot sign.
    expect((await refusal(phth, 'cash.pay', { requestId: r.id, method: 'cash' })).code).toBe('forbidden');
    expect(
      (await refusal(cashier, 'certificates.sign', { requestId: r.id, stepId: 'sign-issue', source: source(), secret: TOKEN_PIN })).code,
    ).toBe('forbidden');
    const shift = await cashier.call('cash.openShift', {});
    expect((await refusal(cashier, 'cash.openShift', {})).code).toBe('shift-already-open');
    const receipt = await cashier.call('cash.pay', { requestId: r.id, method: 'card' });
    expect(receipt).toMatchObject({ kind: 'payment', amountKzt: 1500, method: 'card', receiptNo: 'A4-R000001', shiftNumber: shift.number });
    expect((await refusal(cashier, 'cash.pay', { requestId: r.id, method: 'cash' })).code).toBe('already-paid');
    r = await phth.call('requests.get', { requestId: r.id });
    expect(r.currentStep?.stepId).toBe('sign-issue');
    expect(r.steps[2]).toMatchObject({ stepId: 'payment', completedBy: { login: 'cashier' } });
    for (const layout of ['a4', '80mm'] as const) {
      const p = await cashier.call('cash.receipt', { receiptNo: receipt.receiptNo, layout });
      const text = pdfText(p.base64);
      expect(text).toContain('A4-R000001');
      expect(text).toContain('1 500 ₸');
    }
    expect((await refusal(phth, 'requests.completeStep', { requestId: r.id, stepId: 'sign-issue' })).code).toBe('signature-required');
    const cert = await phth.call('certificates.sign', {
      requestId: r.id,
      stepId: 'sign-issue',
      source: source(),
      keyId: '01',
      secret: TOKEN_PIN,
    });
    expect(cert.issuedAt).not.toBeNull();
    expect(cert.signers).toHaveLength(1);
    r = await phth.call('requests.get', { requestId: r.id });
    expect(r.status).toBe('done');
    const signed = signedData(app, cert.number);
    expect(verifyDetached(signed.cms!, signed.document).valid).toBe(true);
    const kk = pdfText((await phth.call('certificates.pdf', { number: cert.number, language: 'kk' })).base64);
    expect(kk).toContain('Туберкулез диспансерінен анықтама');
    expect(kk).toContain(CLEAN);
    expect(kk).toContain('Омаров');
    expect(kk).toContain(cert.hash.slice(0, 32));
    const ru1 = (await phth.call('certificates.pdf', { number: cert.number, language: 'ru' })).base64;
    clock.advance(3600_000);
    const ru2 = (await operator.call('certificates.pdf', { number: cert.number, language: 'ru' })).base64;
    expect(pdfText(ru2)).toBe(pdfText(ru1)); // a re-print is the same document
    expect(pdfText(ru1)).toContain('не состоит');
    // The act (Atyrau No. 150) was repealed in 2015: the certificate says the clinic works by it as its own interim
    // internal standard, with who adopted it and why (issue 15, point 3).
    const flat = (t: string) => t.replace(/\s+/g, ' ');
    expect(flat(kk)).toContain('Күші жойылған акт ұйымның уақытша ішкі стандарты ретінде');
    expect(flat(kk)).toContain('Ержан Болатұлы Сәрсенов');
    expect(flat(pdfText(ru1))).toContain('принят организацией как временный внутренний');
    expect(flat(pdfText(ru1))).toContain('Тестовая клиника');
    const journal = await operator.call('certificates.journal', { from: DAY_BEFORE, to: DAY_AFTER });
    expect(journal.map((c) => c.number)).toContain(cert.number);

    // Voids: only with a reason, as a reversing entry, of the own open shift.
    const v = await cashier.call('cash.void', { receiptNo: receipt.receiptNo, reason: 'ошибочный способ оплаты' });
    expect(v).toMatchObject({ kind: 'void', amountKzt: -1500, voidsReceipt: 'A4-R000001' });
    expect((await refusal(cashier, 'cash.void', { receiptNo: receipt.receiptNo, reason: 'ещё раз' })).code).toBe('already-voided');
    const closed = await cashier.call('cash.closeShift', {});
    expect(closed.totals).toMatchObject({ card: 0, total: 0, payments: 1, voids: 1 });
    expect(pdfText((await cashier.call('cash.shiftReport', { shiftId: closed.id })).base64)).toContain(closed.number);
    await cashier.call('cash.openShift', {});
    // A void of another shift's receipt is refused.
    let r2 = await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: CLEAN });
    await operator.call('registers.check', { requestId: r2.id });
    r2 = await operator.call('requests.completeStep', { requestId: r2.id, stepId: 'journal-entry' });
    const p2 = await cashier.call('cash.pay', { requestId: r2.id, method: 'cash' });
    await cashier.call('cash.closeShift', {});
    await cashier.call('cash.openShift', {});
    expect((await refusal(cashier, 'cash.void', { receiptNo: p2.receiptNo, reason: 'другая смена' })).code).toBe('receipt-other-shift');
    // A voided payment returns the open request to the cash desk with its history; paid again, it is signed.
    let r3 = await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: CLEAN });
    await operator.call('registers.check', { requestId: r3.id });
    await operator.call('requests.completeStep', { requestId: r3.id, stepId: 'journal-entry' });
    const p3 = await cashier.call('cash.pay', { requestId: r3.id, method: 'cash' });
    await cashier.call('cash.void', { receiptNo: p3.receiptNo, reason: 'не та сумма' });
    r3 = await phth.call('requests.get', { requestId: r3.id });
    expect(r3.currentStep?.stepId).toBe('payment');
    expect(r3.steps.map((st) => st.stepId)).toEqual(['register-check', 'journal-entry', 'payment', 'sign-issue', 'payment']);
    expect(
      (
        await refusal(phth, 'certificates.sign', {
          requestId: r3.id,
          stepId: 'sign-issue',
          source: source(),
          keyId: '01',
          secret: TOKEN_PIN,
        })
      ).code,
    ).toBe('step-not-current');
    await cashier.call('cash.pay', { requestId: r3.id, method: 'card' });
    expect((await refusal(cashier, 'cash.pay', { requestId: r3.id, method: 'cash' })).code).toBe('already-paid');
    const c3 = await phth.call('certificates.sign', {
      requestId: r3.id,
      stepId: 'sign-issue',
      source: source(),
      keyId: '01',
      secret: TOKEN_PIN,
    });
    expect(c3.issuedAt).not.toBeNull();
    const kk3 = (await phth.call('certificates.pdf', { number: c3.number, language: 'kk' })).base64;
    const t3 = pdfText(kk3);
    for (const t of ['Фтизиатр-дәрігер: Бауыржан Қайратұлы Есенов', 'Қолы', 'Жеке мөрі', 'М.О.', 'Динара Маратқызы Қасымова'])
      expect(t3).toContain(t);
    expect(t3).not.toMatch(/physician|phthisiatrician|operator\)/);
    // The certificate's QR code, read from the printed page, leads to its page on the central server.
    const mark3 = getVerification(app.db, c3.number)!;
    expect(readQrCodes(Buffer.from(kk3, 'base64'))).toEqual([
      verificationUrl(getEnrollment(app.db)?.serverUrl ?? null, c3.number, mark3.code),
    ]);
    const f3 = path.join(dir, 'tb-kk.pdf');
    fs.writeFileSync(f3, Buffer.from(kk3, 'base64'));
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', f3, path.join(process.env.TIRKEU_PNG_DIR ?? dir, 'tb-kk')]);
    const j = await cashier.call('cash.journal', { from: TODAY, to: DAY_AFTER });
    expect(j.rows.map((x) => x.receiptNo)).toEqual(['A4-R000001', 'A4-R000002', 'A4-R000003', 'A4-R000004', 'A4-R000005', 'A4-R000006']);
    // The cash journal and the certificate are append-only in the database.
    expect(() => app.db.prepare('UPDATE cash_entry SET amount_kzt = 1 WHERE id = 1').run()).toThrow(/append-only/);
    expect(() => app.db.prepare(`UPDATE certificate SET document = '{}'`).run()).toThrow(/never changes/);
    expect(verifyAudit(app.db).ok).toBe(true);
  }, 60_000);
});

describe('psychiatric certificate', () => {
  it('five steps, two signatures (the medical registrar’s and the psychiatrist’s) in one CMS', async () => {
    const registrar = await as('registrar');
    const cashier = await as('cashier');
    const psych = await as('psychiatrist');
    const admin = await as('admin');
    await admin.call('registers.import', { register: 'psychiatric', fileName: 'p.csv', text: `iin,from_date\n${ON_TB},2015-02-02\n` });
    const operator = await as('operator');
    const other = await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: CLEAN });
    // A register check by a role of another dispensary is refused.
    expect((await refusal(registrar, 'registers.check', { requestId: other.id })).code).toBe('forbidden');

    let pos = await registrar.call('requests.start', { serviceId: 'psychoneurological-certificate', channel: 'desk', iin: ON_TB });
    await registrar.call('registers.check', { requestId: pos.id });
    pos = await registrar.call('requests.get', { requestId: pos.id });
    expect(pos).toMatchObject({ status: 'refused' });

    let r = await registrar.call('requests.start', { serviceId: 'psychoneurological-certificate', channel: 'desk', iin: CLEAN });
    await registrar.call('registers.check', { requestId: r.id });
    const first = await registrar.call('certificates.sign', {
      requestId: r.id,
      stepId: 'journal-entry',
      source: source(),
      keyId: '01',
      secret: TOKEN_PIN,
    });
    expect(first.issuedAt).toBeNull();
    expect(stepJournalOfRequest(app.db, r.id).map((j) => [j.journal, j.step_id])).toEqual([['certificate-issuance', 'journal-entry']]);
    r = await cashier.call('requests.get', { requestId: r.id });
    expect(r.currentStep?.stepId).toBe('payment');
    await cashier.call('cash.pay', { requestId: r.id, method: 'cash' });
    const second = await psych.call('certificates.sign', {
      requestId: r.id,
      stepId: 'physician-sign',
      source: source(),
      keyId: '01',
      secret: TOKEN_PIN,
    });
    expect(second.signers.map((s) => s.stepId)).toEqual(['journal-entry', 'physician-sign']);
    expect(second.issuedAt).not.toBeNull();
    r = await registrar.call('requests.completeStep', { requestId: r.id, stepId: 'hand-over' });
    expect(r.status).toBe('done');
    const sigs = signaturesOf(app.db, certificateByNumber(app.db, second.number)!.id);
    const v = verifyDetached(sigs[1]!.cms, signedData(app, second.number).document);
    expect(v.valid).toBe(true);
    expect(JSON.stringify(v)).toBeTruthy();
    const text = pdfText((await registrar.call('certificates.pdf', { number: second.number, language: 'ru' })).base64);
    expect(text).toContain('Справка психоневрологического диспансера');
    // Full names and positions, the places for signature, personal stamp and seal; no login or role code.
    for (const t of [
      'Врач-психиатр: Гүлнар Асқарқызы Төлегенова',
      'Медицинский регистратор: Айгүл Серікқызы Нұрланова',
      'Подпись',
      'Личная печать',
      'М.П.',
    ])
      expect(text).toContain(t);
    expect(text).not.toMatch(/physician|psychiatrist:|registrar/);
  }, 60_000);
});

describe('HIV examination', () => {
  it('anonymous negative and positive, confidential; result once, released only against the code; nothing identifies the anonymous person', async () => {
    const counsellor = await as('counsellor');
    const nurse = await as('nurse');
    const therapist = await as('therapist');
    const walk = async (anonymous: boolean) => {
      let r = await counsellor.call(
        'requests.start',
        anonymous
          ? { serviceId: 'hiv-examination', channel: 'desk', anonymous: true }
          : { serviceId: 'hiv-examination', channel: 'desk', iin: CONF_IIN },
      );
      r = await counsellor.call('requests.completeStep', { requestId: r.id, stepId: 'pre-test-counselling', note: 'консультация' });
      const label = await nurse.call('hiv.label', { requestId: r.id });
      const code = r.anonymousCode ?? r.number;
      expect(pdfText(label.base64)).toContain(code);
      // The label's QR code, read from the printed label (15 mm on 58 × 40 mm), holds the code and the sample number.
      expect(readQrCodes(Buffer.from(label.base64, 'base64'), undefined, 1, 300)).toEqual([
        `${code};${label.fileName.replace(/\.pdf$/, '')}`,
      ]);
      r = await nurse.call('requests.completeStep', { requestId: r.id, stepId: 'blood-draw' });
      return { r, code };
    };
    const neg = await walk(true);
    expect((await refusal(counsellor, 'hiv.release', { code: neg.code })).code).toBe('result-missing');
    expect((await refusal(counsellor, 'requests.completeStep', { requestId: neg.r.id, stepId: 'post-test-counselling' })).code).toBe(
      'result-missing',
    );
    await nurse.call('hiv.enterResult', { code: neg.code, result: 'negative' });
    expect((await refusal(nurse, 'hiv.enterResult', { code: neg.code, result: 'positive' })).code).toBe('result-already-entered');
    expect((await refusal(counsellor, 'hiv.release', { code: 'ZZZZ-ZZZZ' })).code).toBe('code-unknown');
    expect((await refusal(therapist, 'hiv.release', { code: neg.code })).code).toBe('forbidden');
    const rel = await counsellor.call('hiv.release', { code: neg.code });
    expect(rel.certificate).not.toBeNull();
    const text = pdfText(rel.pdf!.base64);
    expect(text).toContain(neg.code);
    expect((await counsellor.call('requests.get', { requestId: neg.r.id })).status).toBe('done');
    // Issued without ЭЦҚ: the counselling doctor's name and position with the places for signature and stamps.
    expect(text).toContain('Анықтаманы берген');
    expect(text).toMatch(/Психоәлеуметтік кеңес беру кабинетінің дәрігері: Жанар Ерланқызы Бекмұханова/);
    for (const t of ['Қолы', 'Жеке мөрі', 'М.О.']) expect(text).toContain(t);
    expect(text).not.toMatch(/physician|counselling|counsellor/);
    // Its verification record (issue 19) names only the anonymous code: no name, no IIN, no person to open.
    const record = getVerification(app.db, rel.certificate!)!;
    expect(record).toMatchObject({ kind: 'hiv-certificate', person_iin: null });
    expect(JSON.parse(record.shows)).toMatchObject({ person: null, iin: null, anonymousCode: neg.code });
    expect(text).toContain(groupCode(record.code));

    const pos = await walk(true);
    await nurse.call('hiv.enterResult', { code: pos.code, result: 'positive' });
    const prel = await counsellor.call('hiv.release', { code: pos.code });
    expect(prel).toMatchObject({ result: 'positive', certificate: null, pdf: null });
    const done = await counsellor.call('requests.get', { requestId: pos.r.id });
    expect(done.outcome?.code).toBe('positive-follow-up');
    expect((await counsellor.call('hiv.followUps', {})).map((f) => f.code)).toEqual([pos.code]);

    const conf = await walk(false);
    expect((await nurse.call('requests.get', { requestId: conf.r.id })).person?.iin).toBe(CONF_IIN);
    const admin = await as('admin');
    expect((await admin.call('requests.get', { requestId: conf.r.id })).person).toBeNull();
    expect((await admin.call('requests.queue', {})).rows.find((q) => q.id === conf.r.id)?.personIin).toBeNull();

    // The scan: the database file, the outbox payloads and the log hold the confidential IIN but never the
    // anonymous person's (whose identity is never typed in: the test shows it is absent everywhere).
    app.db.pragma('wal_checkpoint(TRUNCATE)');
    const files = fs.readdirSync(dir).filter((f) => f.startsWith('tirkeu'));
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(dir, f))));
    const outbox = JSON.stringify(listOutbox(app.db));
    const log = fs.existsSync(path.join(dir, 'tirkeu.log')) ? fs.readFileSync(path.join(dir, 'tirkeu.log'), 'utf8') : '';
    expect(files.some((f) => f.endsWith('.log'))).toBe(true);
    expect(bytes.includes(Buffer.from(CONF_IIN))).toBe(true);
    expect(outbox).toContain(CONF_IIN);
    for (const needle of [ANON_IIN, ANON_NAME]) {
      expect(bytes.includes(Buffer.from(needle))).toBe(false);
      expect(outbox).not.toContain(needle);
      expect(log).not.toContain(needle);
    }
    expect(outbox).toContain(neg.code);
  }, 60_000);
});

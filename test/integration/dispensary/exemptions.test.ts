/**
 * Money only from the price list (issue 14, point 5), through the real API: the fee of a request is the price in
 * force that day and no caller names an amount; an exemption needs a reason from the fixed list, only the cashier
 * or the administrator applies it, it is audited, and its receipt (PDF, read back with pdftotext) shows it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import { listAudit } from '../../../db/audit';
import { getOrganization, saveOrganization } from '../../../db/organization';
import { upsertPerson } from '../../../db/people';
import { resetWorkflowCaches } from '../../../electron/services/workflow/context';
import { adoptRegionActs, createTestWorkstation, type Caller, type TestWorkstation } from '../../helpers/app';
import { refusal } from '../../helpers/api-errors';
import { workingDayClock } from '../../helpers/clock';

const IIN = makeIin('1988-05-05', 'M', 21);
const clock = workingDayClock('10:00', 'Asia/Atyrau');
const TODAY = clock.today('Asia/Atyrau');
let ws: TestWorkstation;
let operator: Caller, cashier: Caller, registrar: Caller, admin: Caller;

const pdfText = (base64: string) => {
  const f = path.join(ws.dir, `r${Math.random()}.pdf`);
  fs.writeFileSync(f, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', [f, '-']).toString('utf8').replace(/\s+/g, ' ');
};

/** A TB certificate request brought to the cash desk. */
async function atCashDesk(): Promise<number> {
  const r = await operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: IIN });
  await operator.call('registers.check', { requestId: r.id });
  const at = await operator.call('requests.completeStep', { requestId: r.id, stepId: 'journal-entry' });
  expect(at.currentStep?.stepId).toBe('payment');
  return r.id;
}

beforeAll(async () => {
  ws = createTestWorkstation({ population: 0, clock: clock.read });
  saveOrganization(ws.app.db, { ...getOrganization(ws.app.db)!, region: 'atyrau', timezone: 'Asia/Atyrau' });
  adoptRegionActs(ws.app);
  resetWorkflowCaches(ws.app);
  const person = { iin: IIN, surname: 'Омаров', givenName: 'Ерлан', patronymic: null, birthDate: '1988-05-05', sex: 'M' as const };
  upsertPerson(ws.app.db, { ...person, address: null, phone: null, source: 'register' }, clock.now);
  operator = await ws.as('operator');
  cashier = await ws.as('cashier');
  registrar = await ws.as('registrar');
  admin = await ws.as('admin');
  await admin.call('prices.set', { serviceId: 'tb-certificate', feeKzt: 1000, effectiveFrom: TODAY });
  await cashier.call('cash.openShift', {});
}, 60_000);
afterAll(() => ws.close());

describe('money only from the price list', () => {
  it('takes the fee of the price list in force; neither the desk nor the cashier can name an amount', async () => {
    const start = await refusal(operator, 'requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin: IIN, feeKzt: 0 });
    expect(start.code).toBe('validation');
    const id = await atCashDesk();
    expect((await operator.call('requests.get', { requestId: id })).feeKzt).toBe(1000);
    const pay = await refusal(cashier, 'cash.pay', { requestId: id, method: 'cash', amountKzt: 1 });
    expect(pay.code).toBe('validation');
    expect((await cashier.call('cash.pay', { requestId: id, method: 'card' })).amountKzt).toBe(1000);
  });

  it('exempts only with a reason from the list, only as cashier or administrator; audited; the receipt shows it', async () => {
    const id = await atCashDesk();
    for (const c of [registrar, operator])
      expect((await refusal(c, 'cash.exempt', { requestId: id, reason: 'veteran' })).code).toBe('forbidden');
    const none = await refusal(cashier, 'cash.exempt', { requestId: id });
    expect(none).toMatchObject({ code: 'validation', fields: ['reason'] });
    const free = await refusal(cashier, 'cash.exempt', { requestId: id, reason: 'a friend of the doctor' });
    expect(free).toMatchObject({ code: 'validation', fields: ['reason'] });
    // Nothing was written by the refusals: the request still waits at the cash desk.
    expect((await cashier.call('requests.get', { requestId: id })).currentStep?.stepId).toBe('payment');

    const ex = await cashier.call('cash.exempt', { requestId: id, reason: 'disabled-1' });
    expect(ex).toMatchObject({ requestId: id, reason: 'disabled-1', waivedKzt: 1000 });
    expect((await cashier.call('requests.get', { requestId: id })).currentStep?.stepId).toBe('sign-issue');
    expect((await refusal(cashier, 'cash.pay', { requestId: id, method: 'cash' })).code).toBe('step-not-current');
    expect((await refusal(admin, 'cash.exempt', { requestId: id, reason: 'veteran' })).code).toBe('conflict');
    const audit = listAudit(ws.app.db, { entity: 'fee_exemption' });
    expect(audit.map((a) => [a.action, a.login, a.details])).toContainEqual([
      'cash.exempted',
      'cashier',
      expect.objectContaining({ reason: 'disabled-1', waivedKzt: 1000 }),
    ]);

    const text = pdfText((await cashier.call('cash.receipt', { receiptNo: ex.receiptNo, layout: 'a4' })).base64);
    expect(text).toContain('Чек об освобождении от оплаты');
    expect(text).toContain('Лицо с инвалидностью первой группы');
    expect(text).toContain('Бірінші топтағы мүгедектігі бар адам');
    expect(text).toMatch(/Плата по прейскуранту: 1 000 ₸/);
    expect(text).toMatch(/К оплате: 0 ₸/);

    // The administrator may exempt too (no cash shift: no money changes hands).
    const other = await atCashDesk();
    expect(await admin.call('cash.exempt', { requestId: other, reason: 'state-order' })).toMatchObject({ reason: 'state-order' });
  });
});

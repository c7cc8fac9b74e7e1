/**
 * Motivated refusals at the desk (issue 15, point 4), as a registrar does them: a person missing from the
 * population register is refused with the regulation's ground (Astana cl. 13(4)–(5)), recorded through the step
 * engine, and printed in Kazakh and Russian for the citizen — with the ground, the act and the clinic's adoption of
 * it, and no English. A person entered by hand cannot be served instead: the regulation refuses them. The generic
 * queue cannot end a desk service without its journal row.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupCode } from '../../../common/verification';
import { getVerification } from '../../../db/verifications';
import { makeIin } from '../../../common/iin';
import { createTestWorkstation, type Caller, type TestWorkstation } from '../../helpers/app';
import { errorCode } from '../../helpers/api-errors';
import { workingDayClock, type TestClock } from '../../helpers/clock';

let ws: TestWorkstation;
let clock: TestClock;
let registrar: Caller;

const pdfText = (base64: string) => {
  const f = path.join(ws.dir, `t${Math.random()}.pdf`);
  fs.writeFileSync(f, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', f, '-']).toString('utf8');
};
const flat = (t: string) => t.replace(/\s+/g, ' ');

beforeAll(async () => {
  clock = workingDayClock('10:00');
  ws = createTestWorkstation({ population: 10, clock: clock.read });
  registrar = await ws.as('registrar');
});
afterAll(() => ws?.close());

describe('motivated refusal at the desk', () => {
  it('the grounds come from the regulation; an Astana desk service allows no manual entry instead of the register', async () => {
    const g = await registrar.call('desk.refusalGrounds', { serviceId: 'home-visit', channel: 'desk' });
    expect(g.grounds.map((x) => x.code).sort()).toEqual(['grounds-not-met', 'person-not-found']);
    expect(g.manualEntryAllowed).toBe(false);
    expect(g.grounds.find((x) => x.code === 'person-not-found')!.reason.kk).toContain('ЖТ МДБ');
  });

  it('a person missing from the register is refused with the ground, recorded, and printed in kk and ru without English', async () => {
    const iin = makeIin('1987-03-14', 'M', 61);
    expect(await registrar.call('people.findByIin', { iin })).toBeNull();
    const r = await registrar.call('desk.refuse', {
      serviceId: 'home-visit',
      channel: 'desk',
      iin,
      personName: 'Сапаров Нұрлан',
      ground: 'person-not-found',
    });
    expect(r.ground).toBe('person-not-found');
    const req = await registrar.call('requests.get', { requestId: r.requestId });
    expect(req.status).toBe('refused');
    expect(req.steps.map((s) => s.stepId)).toEqual(['desk-auth', 'desk-choose-service', 'desk-population-query', 'desk-person-not-found']);
    expect(req.steps.at(-1)).toMatchObject({ outcome: 'refused', completedBy: { login: 'registrar' } });
    const audit = ws.app.db.prepare(`SELECT action FROM audit_log WHERE action = 'desk.refused' AND entity_id = ?`).all(r.number);
    expect(audit).toHaveLength(1);

    const pdf = await registrar.call('desk.refusalPdf', { requestId: r.requestId });
    const text = flat(pdfText(pdf.base64));
    // Kazakh: title, ground in the regulation's words, the act and the clinic's adoption of it.
    expect(text).toContain('Мемлекеттік қызмет көрсетуден дәлелді бас тарту');
    expect(text).toContain('ЖТ МДБ-да тұтынушының мәліметтері болмағандықтан мәліметтер алу мүмкін емес');
    expect(text).toContain('Астана қаласының әкімдігі, 29.12.2012 № 106-1923 қаулысы');
    expect(text).toContain('ұйымның уақытша ішкі стандарты ретінде қабылданған');
    // Russian.
    expect(text).toContain('Мотивированный отказ в оказании государственной услуги');
    expect(text).toContain('Невозможно получить сведения: потребитель отсутствует в ГБД ФЛ');
    expect(text).toContain('принят организацией как временный внутренний стандарт');
    // The person as they gave their name, the registrar by full name and position.
    expect(text).toContain('Сапаров Нұрлан');
    expect(text).toContain(iin);
    expect(text).toContain('Айгүл Серікқызы Нұрланова');
    expect(text).toContain('Медициналық тіркеуші');
    expect(text).toContain('Медицинский регистратор');
    // The verification code in letters (issue 19), in both languages, and no English word, key or login besides it.
    const code = groupCode(getVerification(ws.app.db, r.number)!.code);
    expect(text).toContain(`Құжаттың түпнұсқалығын тексеру коды: ${code}`);
    expect(text).toContain(`Код проверки подлинности документа: ${code}`);
    expect(text.split(code).join(' ')).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('a person entered by hand is not served where the regulation refuses those missing from the register', async () => {
    const iin = makeIin('1993-07-07', 'F', 62);
    // Living at an address of the clinic's districts (so only the register decides).
    const address = ws.app.db
      .prepare(`SELECT address FROM person WHERE source = 'register' AND address IS NOT NULL LIMIT 1`)
      .pluck()
      .get() as string;
    await registrar.call('people.createManual', { iin, surname: 'Қолмен', givenName: 'Енгізілген', address });
    expect(await errorCode(registrar.call('attachments.apply', { iin, documents: ['application', 'identity-document'] }))).toBe(
      'person-not-in-register',
    );
    // The refusal is what the desk records for them.
    const r = await registrar.call('desk.refuse', { serviceId: 'attachment', channel: 'desk', iin, ground: 'person-not-found' });
    expect((await registrar.call('requests.get', { requestId: r.requestId })).status).toBe('refused');
    // A person in the register is not refused on that ground.
    const inRegister = ws.app.db.prepare(`SELECT iin FROM person WHERE source = 'register' LIMIT 1`).pluck().get() as string;
    expect(
      await errorCode(
        registrar.call('desk.refuse', { serviceId: 'attachment', channel: 'desk', iin: inRegister, ground: 'person-not-found' }),
      ),
    ).toBe('validation');
    expect(
      await errorCode(registrar.call('desk.refuse', { serviceId: 'attachment', channel: 'desk', iin, ground: 'no-such-ground' })),
    ).toBe('validation');
  });

  it('a refusal on the grounds (cl. 13(8)–(9)) for a person in the register; the cashier may not record one', async () => {
    const inRegister = ws.app.db.prepare(`SELECT iin FROM person WHERE source = 'register' LIMIT 1`).pluck().get() as string;
    const r = await registrar.call('desk.refuse', {
      serviceId: 'appointment',
      channel: 'phone',
      iin: inRegister,
      ground: 'grounds-not-met',
      note: 'Дәрігер мамандығы көрсетілмеген',
    });
    const text = flat(pdfText((await registrar.call('desk.refusalPdf', { requestId: r.requestId })).base64));
    expect(text).toContain('Сұраныс қызмет көрсету негізіне сәйкес келмегендіктен дәлелді бас тарту');
    expect(text).toContain('Мотивированный отказ: запрос не соответствует основаниям для оказания услуги');
    expect(text).toContain('Дәрігер мамандығы көрсетілмеген');
    const cashier = await ws.as('cashier');
    expect(
      await errorCode(
        cashier.call('desk.refuse', { serviceId: 'appointment', channel: 'desk', iin: inRegister, ground: 'grounds-not-met' }),
      ),
    ).toBe('forbidden');
  });
});

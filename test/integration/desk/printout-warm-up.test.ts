/**
 * The start-up warm-up of the printing path (electron/services/desk/printout-warm-up.ts): sample talons rendered in
 * idle time touch nothing of the workstation — no record, no verification code, no audit line — and leave nothing
 * of the sample on a real talon printed afterwards (the fonts and pdfkit's state are shared by every document of
 * the process). It starts on its own after its delay, and stops when asked, between two renders.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import { upsertPerson } from '../../../db/people';
import { startPrintoutWarmUp, WARM_UP_RENDERS, warmPrintouts } from '../../../electron/services/desk/printout-warm-up';
import { createTestWorkstation, type Caller, type TestWorkstation } from '../../helpers/app';

const now = new Date('2026-03-10T04:00:00Z');
const IIN = makeIin('1979-11-02', 'M', 31);
let ws: TestWorkstation;
let reg: Caller;

beforeAll(async () => {
  ws = createTestWorkstation({ clock: () => now, population: 5 });
  upsertPerson(
    ws.app.db,
    {
      iin: IIN,
      surname: 'Жұмабеков',
      givenName: 'Ерлан',
      patronymic: 'Серікұлы',
      birthDate: '1979-11-02',
      sex: 'M',
      address: 'Астана қ., Абай д-лы, 7-үй',
      phone: null,
      source: 'register',
    },
    now,
  );
  reg = await ws.as('registrar');
});
afterAll(() => ws?.close());

const rowsIn = (table: string) => ws.app.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

function pdfText(base64: string): string {
  const file = path.join(ws.dir, `w-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

describe('the printing path warmed up at start-up', () => {
  it('renders sample talons without writing anything, and a real talon after it carries only its own data', async () => {
    const before = { audit: rowsIn('audit_log'), verification: rowsIn('document_verification'), outbox: rowsIn('outbox') };
    expect(await warmPrintouts(4)).toBe(4);
    expect({ audit: rowsIn('audit_log'), verification: rowsIn('document_verification'), outbox: rowsIn('outbox') }).toEqual(before);

    const district = (await reg.call('desk.overview', {})).districts[0]!;
    const a = await reg.call('attachments.apply', { iin: IIN, documents: ['application', 'identity-document'], districtId: district.id });
    const text = pdfText((await reg.call('attachments.talon', { id: a.id })).base64);
    expect(text).toContain('Жұмабеков Ерлан Серікұлы');
    expect(text).toContain(a.talonNumber);
    expect(text).not.toMatch(/Үлгі|Образец|WU-000000/);
  });

  it('stops between two renders when asked', async () => {
    let rendered = 0;
    const done = await warmPrintouts(50, () => ++rendered > 2);
    expect(done).toBe(2);
  });

  it('runs on its own after the delay and reports the sample talons it rendered', async () => {
    const rendered = await new Promise<number>((resolve, reject) =>
      startPrintoutWarmUp({ delayMs: 1, onDone: (renders) => resolve(renders), onError: reject }),
    );
    expect(rendered).toBe(WARM_UP_RENDERS);
    // Stopped before its delay has run out, it renders nothing.
    let reported = false;
    const stop = startPrintoutWarmUp({ delayMs: 20, onDone: () => (reported = true) });
    stop();
    await new Promise((r) => setTimeout(r, 60));
    expect(reported).toBe(false);
  });
});

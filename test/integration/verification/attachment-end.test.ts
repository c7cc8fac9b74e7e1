/**
 * Issue 19: a talon's verification status follows its attachment. A talon printed and synced is valid on the public
 * page; when the registrar detaches the person (`attachments.end`), the talon's record is revoked in the same
 * transaction and, after the normal sync, the page (HTML and JSON) says the talon is revoked. A talon never printed
 * before the detachment is revoked the moment it is. PGlite behind a real HTTP server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import { getVerification } from '../../../db/verifications';
import { syncNow } from '../../../electron/services/sync/index';
import type { Caller, TestWorkstation } from '../../helpers/app';
import { workingDayClock } from '../../helpers/clock';
import type { TestServer } from '../../helpers/sync-server';
import { verificationDesk, verificationPage, type VerificationDesk } from '../../helpers/verification-desk';

const MOVING = makeIin('1979-07-14', 'M', 31);
const UNPRINTED = makeIin('1992-02-20', 'F', 41);
const clock = workingDayClock('10:00', 'Asia/Almaty');

const page = verificationPage;

describe('a talon follows its attachment', () => {
  let desk: VerificationDesk;
  let server: TestServer;
  let ws: TestWorkstation;
  let reg: Caller;

  beforeAll(async () => {
    desk = await verificationDesk('pglite', undefined, clock.read, [
      { iin: MOVING, surname: 'Серікбаев', givenName: 'Ержан', address: 'Астана қ., Тұран д-лы, 12-үй, 4-пәтер' },
      { iin: UNPRINTED, surname: 'Әлиева', givenName: 'Гүлнар', address: 'Астана қ., Тұран д-лы, 12-үй, 5-пәтер' },
    ]);
    ({ server, ws, reg } = desk);
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('detaching the person revokes the printed talon on the public page after the next sync', async () => {
    const a = await reg.call('attachments.apply', { iin: MOVING, documents: ['application', 'identity-document'] });
    await reg.call('attachments.talon', { id: a.id });
    const code = getVerification(ws.app.db, a.talonNumber)!.code;
    await syncNow(ws.app);
    const url = `${server.url}/v/${a.talonNumber}/${code}`;
    expect(JSON.parse((await page(url, { accept: 'application/json' })).body)).toMatchObject({ found: true, status: 'valid' });

    const ended = await reg.call('attachments.end', { id: a.id, reason: 'переезд в другой город' });
    expect(ended.status).toBe('ended');
    const record = getVerification(ws.app.db, a.talonNumber)!;
    expect(record).toMatchObject({ status: 'revoked', status_reason: 'переезд в другой город' });
    expect(record.code).toBe(code);
    // The page still says valid until the desk syncs: the change travels with the normal push.
    expect(JSON.parse((await page(url, { accept: 'application/json' })).body)).toMatchObject({ status: 'valid' });

    await syncNow(ws.app);
    expect(JSON.parse((await page(url, { accept: 'application/json' })).body)).toMatchObject({ found: true, status: 'revoked' });
    const ru = await page(`${url}?lang=ru`);
    expect(ru.status).toBe(200);
    expect(ru.body).toContain('Отозван');
    expect(ru.body).not.toContain('Действителен');
    expect((await page(`${url}?lang=kk`)).body).toContain('Кері қайтарылған');

    // The end reached the centre too, and the person may be attached again.
    const ops = await server.db.query<{ kind: string }>(`SELECT kind FROM sync_op WHERE entity_id = $1 ORDER BY received_at`, [
      a.talonNumber,
    ]);
    expect(ops.rows.map((o) => o.kind)).toContain('attachment.end');
    const again = await reg.call('attachments.apply', { iin: MOVING, documents: ['application', 'identity-document'] });
    expect(again.status).toBe('active');
    expect(again.talonNumber).not.toBe(a.talonNumber);
  });

  it('a second detachment is refused, and one without a reason names the field', async () => {
    const a = await reg.call('attachments.apply', { iin: UNPRINTED, documents: ['application', 'identity-document'] });
    await expect(reg.call('attachments.end', { id: a.id, reason: ' ' })).rejects.toMatchObject({
      data: { code: 'validation', fields: ['reason'] },
    });
    await reg.call('attachments.end', { id: a.id, reason: 'прикреплён ошибочно' });
    await expect(reg.call('attachments.end', { id: a.id, reason: 'ещё раз' })).rejects.toMatchObject({
      data: { code: 'attachment-ended' },
    });

    // Never printed before the detachment: printed now, its record is revoked from the start, and so is the page.
    expect(getVerification(ws.app.db, a.talonNumber)).toBeUndefined();
    await reg.call('attachments.talon', { id: a.id });
    const record = getVerification(ws.app.db, a.talonNumber)!;
    expect(record.status).toBe('revoked');
    await syncNow(ws.app);
    const json = await page(`${server.url}/v/${a.talonNumber}/${record.code}`, { accept: 'application/json' });
    expect(JSON.parse(json.body)).toMatchObject({ found: true, status: 'revoked' });
  });

  it('only a registrar detaches', async () => {
    const doctor = await ws.as('therapist');
    await expect(doctor.call('attachments.end', { id: 1, reason: 'переезд' })).rejects.toMatchObject({ data: { code: 'forbidden' } });
  });
});

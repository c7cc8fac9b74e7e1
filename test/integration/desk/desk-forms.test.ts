/**
 * Desk request forms certified with the registrar's ЭЦҚ, with scanned documents (issue 15, point 6; Astana, table 2,
 * act 5), against a real SQLite file and a SoftHSM2 token: the form is signed before it is registered, the signature
 * and the scans' hashes verify at every view, an edit behind the application's back is found, the scans are shown
 * only to the roles handling the request, and a bad file or a missing token is a clear error that loses nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../../common/canonical-json';
import { makeIin } from '../../../common/iin';
import { listAudit } from '../../../db/audit';
import { listOutbox } from '../../../db/outbox';
import { upsertPerson } from '../../../db/people';
import { setSetting } from '../../../db/settings';
import { verifyDetached } from '../../../pki';
import { createTestWorkstation, type Caller, type TestWorkstation } from '../../helpers/app';
import { refusal } from '../../helpers/api-errors';
import { workingDayClock } from '../../helpers/clock';
import { createTestPki, type TestPki } from '../../helpers/pki';
import { createSoftHsm, type SoftHsm } from '../../helpers/softhsm';

const TOKEN = 'Тіркеуші токені';
const PIN = '13572468';
const clock = workingDayClock('10:00');
let ws: TestWorkstation;
let pki: TestPki;
let hsm: SoftHsm;
let reg: Caller;

const PERSON = makeIin('1985-03-01', 'F', 41);
const SECOND = makeIin('1979-06-12', 'M', 42);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('an identity card, scanned')]);
const PDF = Buffer.from('%PDF-1.4\n% a written application\n%%EOF\n');
const b64 = (b: Buffer) => b.toString('base64');
const count = (table: string) => (ws.app.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const setRegistrarIin = (iin: string | null) => ws.app.db.prepare(`UPDATE staff SET iin = ? WHERE login = 'registrar'`).run(iin);
const token = () => ({ kind: 'pkcs11' as const, module: hsm.module, token: TOKEN });

beforeAll(async () => {
  ws = createTestWorkstation({ clock: clock.read, population: 20 });
  for (const [iin, surname, given] of [
    [PERSON, 'Қасымова', 'Динара'],
    [SECOND, 'Серіков', 'Бақыт'],
  ] as const)
    upsertPerson(
      ws.app.db,
      {
        iin,
        surname,
        givenName: given,
        patronymic: null,
        birthDate: '1985-03-01',
        sex: 'F',
        address: 'Астана қ., Тұран д-лы, 12-үй, 4-пәтер',
        phone: '+7 701 555 12 12',
        source: 'register',
      },
      clock.now,
    );
  // The registrar's own token: the certificate carries the IIN the administrator records on the account.
  pki = createTestPki({ clock: clock.read });
  hsm = createSoftHsm([
    { label: TOKEN, pin: PIN, keys: [{ id: '01', label: 'signing', key: pki.certs.physician.key, cert: pki.certs.physician.cert }] },
  ]);
  setSetting(ws.app.db, 'signing.pkcs11Modules', [hsm.module]);
  setRegistrarIin(pki.physicianIin);
  reg = await ws.as('registrar');
});
afterAll(() => {
  ws?.close();
  hsm?.cleanup();
  pki?.cleanup();
});

async function scan(documentId: string, fileName: string, bytes: Buffer) {
  return reg.call('deskForms.addScan', { serviceId: 'attachment', documentId, fileName, dataBase64: b64(bytes) });
}

describe('the desk form the regulation asks to certify', () => {
  it('says, from the data, that the attachment form is certified and which documents are scanned (kk/ru/en titles)', async () => {
    const r = await reg.call('deskForms.requirements', { serviceId: 'attachment' });
    expect(r).toMatchObject({ certify: true, stepId: 'desk-form-sign', drafts: [], maxScanBytes: 10 * 1024 * 1024 });
    expect(r.documents.map((d) => [d.id, d.required])).toEqual([
      ['application', true],
      ['identity-document', true],
      ['birth-certificate', false],
    ]);
    expect(r.documents[1]!.title).toEqual({
      kk: 'Жеке басын куәландыратын құжат',
      ru: 'Документ, удостоверяющий личность',
      en: 'Identity document',
    });
  });

  it('refuses a file that is not PNG, JPEG or PDF by its first bytes, or larger than 10 MB, naming the file', async () => {
    const before = count('desk_scan');
    const fake = await refusal(reg, 'deskForms.addScan', {
      serviceId: 'attachment',
      documentId: 'application',
      fileName: 'өтініш.png',
      dataBase64: b64(Buffer.from('GIF89a not really a png')),
    });
    expect(fake).toMatchObject({ code: 'scan-type', params: { file: 'өтініш.png' }, fields: ['dataBase64'] });
    const big = Buffer.alloc(10 * 1024 * 1024 + 1);
    PNG.copy(big);
    const large = await refusal(reg, 'deskForms.addScan', {
      serviceId: 'attachment',
      documentId: 'application',
      fileName: 'C:\\scans\\big.png',
      dataBase64: b64(big),
    });
    expect(large).toMatchObject({ code: 'scan-too-large', params: { file: 'big.png', max: 10 }, fields: ['dataBase64'] });
    expect(
      await refusal(reg, 'deskForms.addScan', { serviceId: 'attachment', documentId: 'passport', fileName: 'a.png', dataBase64: b64(PNG) }),
    ).toMatchObject({
      code: 'validation',
      fields: ['documentId'],
    });
    expect(count('desk_scan')).toBe(before);
  });

  it('a registrar without a token, with someone else’s certificate or without an IIN gets a clear error; nothing is registered and the drafts stay', async () => {
    const id = await scan('identity-document', 'удостоверение.png', PNG);
    const app = await scan('application', 'өтініш.pdf', PDF);
    expect(id).toMatchObject({ mediaType: 'image/png', size: PNG.length });
    expect(app).toMatchObject({ mediaType: 'application/pdf' });
    const requests = count('service_request');
    const certification = { source: token(), secret: PIN, scanIds: [id.id, app.id] };
    const apply = (c: object) =>
      refusal(reg, 'attachments.apply', { iin: PERSON, documents: ['application', 'identity-document'], certification: c });

    expect(await apply({ ...certification, source: { ...token(), token: 'no such token' } })).toMatchObject({ code: 'token-absent' });
    expect(await apply({ ...certification, secret: '0000' })).toMatchObject({ code: 'pin-incorrect' });
    setRegistrarIin(pki.otherIin);
    expect(await apply(certification)).toMatchObject({ code: 'signer-mismatch' });
    setRegistrarIin(null);
    expect(await apply(certification)).toMatchObject({ code: 'signer-iin-missing' });
    setRegistrarIin(pki.physicianIin);
    expect(await apply({ ...certification, scanIds: [id.id] })).toMatchObject({
      code: 'scan-missing',
      params: { ids: 'application' },
      fields: ['certification.scanIds'],
    });

    expect(count('service_request')).toBe(requests);
    expect(count('desk_form')).toBe(0);
    const drafts = (await reg.call('deskForms.requirements', { serviceId: 'attachment' })).drafts;
    expect(drafts.map((d) => d.fileName)).toEqual(['удостоверение.png', 'өтініш.pdf']);
  });

  it('signs the form with the registrar’s token and registers it; the handler sees “certified by”, the time, and a signature that verifies', async () => {
    const drafts = (await reg.call('deskForms.requirements', { serviceId: 'attachment' })).drafts;
    const talon = await reg.call('attachments.apply', {
      iin: PERSON,
      documents: ['application', 'identity-document'],
      certification: { source: token(), keyId: '01', secret: PIN, scanIds: drafts.map((d) => d.id) },
    });
    const request = ws.app.db.prepare(`SELECT id FROM service_request WHERE number = ?`).get(talon.requestNumber) as { id: number };
    const view = await reg.call('deskForms.ofRequest', { requestId: request.id });
    expect(view).toMatchObject({
      required: true,
      certification: { signerName: 'ДӘРІГЕРОВА ГҮЛНАР', signedAt: clock.now.toISOString(), verified: true, problems: [] },
    });
    expect(view.scans.map((s) => [s.documentId, s.fileName])).toEqual([
      ['identity-document', 'удостоверение.png'],
      ['application', 'өтініш.pdf'],
    ]);
    // The stored CMS verifies on its own over the canonical form, which names every scan by its SHA-256.
    const row = ws.app.db.prepare(`SELECT document, cms FROM desk_form WHERE request_id = ?`).get(request.id) as {
      document: string;
      cms: Buffer;
    };
    const form = JSON.parse(row.document);
    expect(form).toMatchObject({ type: 'desk-request-form', service: 'attachment', step: 'desk-form-sign', form: { iin: PERSON } });
    expect(form.scans.map((s: { sha256: string }) => s.sha256)).toEqual(drafts.map((d) => d.sha256));
    expect(verifyDetached(row.cms, canonicalBytes(form))).toMatchObject({
      valid: true,
      signers: [{ ok: true, certificate: { iin: pki.physicianIin } }],
    });
    // The file itself comes back byte for byte.
    const file = await reg.call('deskForms.scan', { scanId: view.scans[1]!.id });
    expect(Buffer.from(file.dataBase64, 'base64').equals(PDF)).toBe(true);
    expect(file).toMatchObject({ fileName: 'өтініш.pdf', mediaType: 'application/pdf' });
    // No drafts left; the change is audited (without the PIN) and the signed form goes to the centre.
    expect((await reg.call('deskForms.requirements', { serviceId: 'attachment' })).drafts).toEqual([]);
    const audit = listAudit(ws.app.db, { limit: 50 });
    expect(audit.find((a) => a.action === 'desk-form.certified')).toBeTruthy();
    expect(JSON.stringify(audit)).not.toContain(PIN);
    const op = listOutbox(ws.app.db).find((o) => o.kind === 'desk-form.certified');
    expect(op).toBeTruthy();
  });

  it('certifies a phone home-visit call and a walk-in appointment too (their identity-document scan is optional)', async () => {
    const overview = await reg.call('desk.overview', {});
    const therapist = overview.doctors.find((d) => d.specialty === 'therapist')!;
    const certification = { source: token(), secret: PIN, scanIds: [] };
    const visit = await reg.call('homeVisits.register', {
      iin: SECOND,
      channel: 'phone',
      address: 'Астана қ., Тұран д-лы, 12-үй, 4-пәтер',
      complaint: 'Қызуы 38',
      caller: 'self',
      doctorId: therapist.id,
      visitDate: clock.today(),
      windowFrom: '14:00',
      windowTo: '18:00',
      certification,
    });
    const appointment = await reg.call('appointments.book', {
      iin: SECOND,
      doctorId: therapist.id,
      walkIn: true,
      channel: 'desk',
      certification,
    });
    for (const number of [visit.requestNumber, appointment.requestNumber]) {
      const { id } = ws.app.db.prepare(`SELECT id FROM service_request WHERE number = ?`).get(number) as { id: number };
      expect((await reg.call('deskForms.ofRequest', { requestId: id })).certification, number).toMatchObject({ verified: true });
    }
    const services = ws.app.db.prepare(`SELECT json_extract(document, '$.service') FROM desk_form ORDER BY request_id`).pluck().all();
    expect(services).toEqual(['attachment', 'home-visit', 'appointment']);
  });

  it('without a certification the request registers as before and its view says the act’s certification is missing', async () => {
    const talon = await reg.call('attachments.apply', { iin: SECOND, documents: ['application', 'identity-document'] });
    const request = ws.app.db.prepare(`SELECT id FROM service_request WHERE number = ?`).get(talon.requestNumber) as { id: number };
    expect(await reg.call('deskForms.ofRequest', { requestId: request.id })).toEqual({
      requestId: request.id,
      required: true,
      certification: null,
      scans: [],
    });
  });

  it('shows the form and the scans only to the roles handling the request', async () => {
    const requestId = (ws.app.db.prepare(`SELECT request_id FROM desk_form`).get() as { request_id: number }).request_id;
    const scanId = (ws.app.db.prepare(`SELECT id FROM desk_scan WHERE request_id = ?`).get(requestId) as { id: number }).id;
    for (const login of ['therapist', 'cashier', 'nurse', 'admin']) {
      const other = await ws.as(login);
      expect(await refusal(other, 'deskForms.ofRequest', { requestId }), login).toMatchObject({ code: 'forbidden' });
      expect(await refusal(other, 'deskForms.scan', { scanId }), login).toMatchObject({ code: 'forbidden' });
    }
    expect(
      await refusal(await ws.as('therapist'), 'deskForms.addScan', {
        serviceId: 'attachment',
        documentId: 'application',
        fileName: 'a.pdf',
        dataBase64: b64(PDF),
      }),
    ).toMatchObject({
      code: 'forbidden',
    });
  });

  it('finds a scan or the form edited behind the application’s back', async () => {
    const requestId = (ws.app.db.prepare(`SELECT request_id FROM desk_form`).get() as { request_id: number }).request_id;
    // Someone with the database file drops the append-only triggers and swaps a scan's bytes.
    ws.app.db.exec(`DROP TRIGGER desk_scan_attached_no_update; DROP TRIGGER desk_form_no_update;`);
    ws.app.db
      .prepare(`UPDATE desk_scan SET bytes = ? WHERE request_id = ? AND file_name = 'удостоверение.png'`)
      .run(Buffer.concat([PNG, Buffer.from('!')]), requestId);
    expect((await reg.call('deskForms.ofRequest', { requestId })).certification).toMatchObject({
      verified: false,
      problems: ['scan:удостоверение.png'],
    });
    // … or edits the signed form itself (another person's IIN).
    const row = ws.app.db.prepare(`SELECT document FROM desk_form WHERE request_id = ?`).get(requestId) as { document: string };
    const edited = JSON.parse(row.document);
    edited.form.iin = SECOND;
    ws.app.db.prepare(`UPDATE desk_form SET document = ? WHERE request_id = ?`).run(JSON.stringify(edited), requestId);
    expect((await reg.call('deskForms.ofRequest', { requestId })).certification?.problems).toContain('signature');
  });
});

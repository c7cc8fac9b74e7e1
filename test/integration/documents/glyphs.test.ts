/**
 * Every Kazakh and Russian letter reaches the paper and the text layer of a printout. The fonts are parsed once per
 * process and shared by every document (electron/services/documents/pdf.ts), so the talon and the certificates are
 * printed one after another, more than once, and each is read back with `pdftotext`: a letter printed in one
 * document must not lose its character in the next (what copy, search and screen readers see). The talon comes
 * first on purpose: DejaVu draws several Cyrillic capitals from their Latin twins, which is where sharing can go wrong.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import { upsertPerson } from '../../../db/people';
import { certificatePdf, type CertificateDocument } from '../../../electron/services/dispensary/documents';
import { createTestWorkstation, type Caller, type TestWorkstation } from '../../helpers/app';
import { certificateDocument } from '../../helpers/certificate-document';

/** The Kazakh Cyrillic alphabet (42 letters; the Russian 33 are among them), upper and lower case. */
const KK_UPPER = 'АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ';
const KK_LOWER = KK_UPPER.toLowerCase();
const RU_UPPER = 'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ';
const RU_LOWER = RU_UPPER.toLowerCase();

const now = new Date('2026-03-10T04:00:00Z');
const IIN = makeIin('1985-03-01', 'F', 21);
let ws: TestWorkstation;
let reg: Caller;

beforeAll(async () => {
  ws = createTestWorkstation({ clock: () => now, population: 20 });
  upsertPerson(
    ws.app.db,
    {
      iin: IIN,
      surname: 'Құрманғазиева',
      givenName: 'Әйгерім',
      patronymic: 'Өмірқызы',
      birthDate: '1985-03-01',
      sex: 'F',
      // The whole alphabet in the address: the talon prints it in both halves.
      address: `Астана қ., Тұран д-лы, 12-үй (${KK_UPPER} ${KK_LOWER})`,
      phone: '+7 701 555 12 12',
      source: 'register',
    },
    now,
  );
  reg = await ws.as('registrar');
});
afterAll(() => ws?.close());

/** The text layer as pdftotext reads it, with runs of white space made one space. */
function pdfText(base64: string): string {
  const file = path.join(ws.dir, `g-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

function certificate(n: number): CertificateDocument {
  return certificateDocument(
    n,
    { iin: IIN, name: 'Құрманғазиева Әйгерім Өмірқызы', birthDate: '1985-03-01' },
    {
      statement: { kk: `Есепте тұрмайды. ${KK_UPPER} ${KK_LOWER}`, ru: `На учёте не состоит. ${RU_UPPER} ${RU_LOWER}` },
    },
  );
}
const signers = [
  { position: { kk: 'тіркеуші', ru: 'регистратор' }, name: 'Жұмабаев Асқар Нұрланұлы', signedAt: now.toISOString() },
  { position: { kk: 'дәрігер-психиатр', ru: 'врач-психиатр' }, name: 'Щербакова Юлия Эдуардовна', signedAt: now.toISOString() },
];

describe('Kazakh and Russian glyphs in printouts', () => {
  it('the talon holds every letter in its Kazakh and Russian halves, printed twice in a row', async () => {
    const district = (await reg.call('desk.overview', {})).districts[0]!;
    const a = await reg.call('attachments.apply', { iin: IIN, documents: ['application', 'identity-document'], districtId: district.id });
    for (let round = 0; round < 2; round++) {
      const text = pdfText((await reg.call('attachments.talon', { id: a.id })).base64);
      expect(text).toContain('МСАК ұйымына тіркеу туралы анықтама (талон)');
      expect(text).toContain('Справка (талон) о прикреплении к организации ПМСП');
      expect(text).toContain('Құрманғазиева Әйгерім Өмірқызы');
      // The address is printed in each half (a narrow column: pdftotext reads its line breaks as spaces).
      expect(text.replace(/\s/g, '').split(`${KK_UPPER}${KK_LOWER}`).length - 1).toBe(2);
    }
  });

  it('kk and ru certificates hold every letter, in either order, after the talon and each other', async () => {
    for (let round = 0; round < 2; round++) {
      for (const lang of ['kk', 'ru'] as const) {
        const pdf = await certificatePdf(certificate(round), 'ab'.repeat(32), signers, lang, 'Asia/Atyrau');
        const text = pdfText(pdf.base64);
        if (lang === 'kk') {
          expect(text).toContain(`Есепте тұрмайды. ${KK_UPPER} ${KK_LOWER}`);
          expect(text).toContain('Психоневрологиялық диспансердің анықтамасы');
          expect(text).toContain('Дәрігер-психиатр: Щербакова Юлия Эдуардовна');
          expect(text).toContain('Көрсетілетін қызметті берушінің мөрі');
        } else {
          expect(text).toContain(`На учёте не состоит. ${RU_UPPER} ${RU_LOWER}`);
          expect(text).toContain('Справка психоневрологического диспансера');
          expect(text).toContain('Врач-психиатр: Щербакова Юлия Эдуардовна');
          expect(text).toContain('Печать услугодателя');
        }
        expect(text).toContain('Құрманғазиева Әйгерім Өмірқызы');
        expect(text).toContain('Жұмабаев Асқар Нұрланұлы');
        // Latin letters the talon printed only inside Cyrillic ones (DejaVu draws "В" from "B", "Е" from "E"): the
        // talon's subset asked for them without their characters, and the shared font must not keep them so.
        expect(text).toContain(lang === 'kk' ? '(ЭЦҚ, CAdES-BES)' : '(ЭЦП, CAdES-BES)');
        expect(text).toContain('(SHA-256)');
        expect(text).toContain(`A4-C00000${round}`);
        expect(text.replace(/\s/g, '')).toContain('ab'.repeat(32));
      }
    }
  });
});

/**
 * The front desk's printouts: the attachment talon (Kazakh and Russian, with a place for the seal and a QR code
 * holding the talon number and its verification code), the appointment slip and a doctor's home visits of the day
 * in route order. The journals and their exports are in desk/journals.ts (both were desk/documents.ts until issue 12).
 */
import type { Attachment, PdfFile } from '../../../common/desk';
import type { Organization } from '../../../common/schemas';
import { dateText } from '../../../common/format';
import { SYSTEM_ACTOR, type Actor } from '../../../db/audit';
import type { StaffRow } from '../../../db/staff';
import { actorOf } from '../auth';
import { drawVerification, verificationLines } from '../documents/verification-mark';
import { slipMark, talonMark } from '../verification/documents';
import type { VerificationMark } from '../verification/records';
import type { AppContext } from '../app';
import { BOLD, callCentreLine, drawQr, FONT, orgHeader, renderPdf, table, type Lang, type PdfDoc } from '../documents/pdf';
import { getAppointment } from './appointments';
import { getAttachment } from './attachments';
import { organization } from './common';
import { doctorDay } from './home-visits';
import { COLUMN_TITLES, PRINT, value } from './texts';

/** A printed caption in one language (desk/texts.ts PRINT); the journals' exports use it too. */
export const P = (key: string, lang: Lang) => PRINT[key]![lang];
/** An ISO date as printed: 06.12.2026 (common/format.ts; Kazakh and Russian papers write dates alike). */
export const dmy = (iso: string) => dateText(iso, 'ru');
const toFile = (fileName: string, r: { buffer: Buffer; pages: number }): PdfFile => ({
  fileName,
  base64: r.buffer.toString('base64'),
  pages: r.pages,
});

function label(doc: PdfDoc, x: number, y: number, w: number, caption: string, text: string) {
  doc.font(FONT).fontSize(7.5).fillColor('#555555').text(caption, x, y, { width: w });
  doc
    .font(FONT)
    .fontSize(10)
    .fillColor('black')
    .text(text || '—', x, doc.y + 1, { width: w });
  return doc.y + 5;
}

/**
 * The talon: one A4 page, Kazakh half and Russian half, each with every field, seal place and QR code (vector). The
 * QR code holds the talon's page on the central server (issue 19), and the code is printed in letters under it.
 */
export async function talonPdf(app: AppContext, id: number, actor: Actor = SYSTEM_ACTOR): Promise<PdfFile> {
  const t = getAttachment(app, id);
  const org = organization(app);
  const mark = talonMark(app, actor, org, t);
  return toFile(`talon_${t.talonNumber}.pdf`, await renderTalon(t, org, mark));
}

/** The talon drawn from its data alone (no database): talonPdf's body, and the start-up warm-up's (documents/warm-up.ts). */
export function renderTalon(t: Attachment, org: Organization, mark: VerificationMark): Promise<{ buffer: Buffer; pages: number }> {
  const langs: Lang[] = ['kk', 'ru'];
  return renderPdf({ title: `${P('talonTitle', 'kk')} ${t.talonNumber}`, margin: 36, footer: callCentreLine(langs) }, (doc) => {
    const width = doc.page.width - 72;
    const half = (doc.page.height - 72 - 20) / 2;
    langs.forEach((lang, i) => {
      const top = 36 + i * (half + 10);
      doc.y = top;
      doc.x = 36;
      doc
        .font(FONT)
        .fontSize(10)
        .text(org.name[lang], 36, top, { width: width - 110, align: 'left' });
      doc
        .font(FONT)
        .fontSize(8)
        .fillColor('#333333')
        .text(`${P('bin', lang)}: ${org.bin} · ${org.address}`, 36, doc.y + 1, { width: width - 110 });
      doc.fillColor('black');
      drawQr(doc, mark.url, 36 + width - 96, top, 96);
      doc
        .font(FONT)
        .fontSize(14)
        .text(P('talonTitle', lang), 36, top + 104, { width, align: 'center' });
      doc
        .font(FONT)
        .fontSize(12)
        .text(`${P('talonNo', lang)} ${t.talonNumber}`, 36, doc.y + 2, { width, align: 'center' });
      let y = doc.y + 10;
      const colW = (width - 16) / 2;
      const left = 36;
      const right = 36 + colW + 16;
      let yl = label(doc, left, y, colW, P('person', lang), t.person.name);
      yl = label(doc, left, yl, colW, P('iin', lang), t.person.iin);
      yl = label(doc, left, yl, colW, P('birthDate', lang), dmy(t.person.birthDate));
      yl = label(doc, left, yl, colW, P('address', lang), t.person.address ?? '');
      let yr = label(doc, right, y, colW, P('attachedTo', lang), org.name[lang]);
      yr = label(doc, right, yr, colW, P('district', lang), `№ ${t.district.number} — ${t.district.name}`);
      yr = label(doc, right, yr, colW, P('doctor', lang), t.doctor ? `${t.doctor.fullName} (${value(t.doctor.specialty, lang)})` : '');
      yr = label(doc, right, yr, colW, P('date', lang), dmy(t.date));
      if (t.previousOrganization) yr = label(doc, right, yr, colW, P('previous', lang), t.previousOrganization);
      y = Math.max(yl, yr) + 8;
      // The registrar signs, the seal goes in the circle: the paper talon is "certified with the provider's seal".
      doc
        .font(FONT)
        .fontSize(9)
        .text(`${P('registrar', lang)}: ____________________ (${P('signature', lang)})   ${t.createdBy}`, left, y, { width: colW + 60 });
      doc
        .circle(right + colW - 50, y + 22, 34)
        .dash(3, { space: 3 })
        .lineWidth(0.8)
        .strokeColor('#777777')
        .stroke()
        .undash();
      doc
        .strokeColor('black')
        .font(FONT)
        .fontSize(7.5)
        .fillColor('#555555')
        .text(P('seal', lang), right + colW - 110, y + 60, { width: 120, align: 'center' });
      doc
        .fillColor('black')
        .font(FONT)
        .fontSize(8)
        .text(verificationLines(mark, [lang as 'kk' | 'ru'])[0]!, left, y + 40, { width: colW + 60 });
      if (i === 0) {
        const cut = top + half + 4;
        doc
          .moveTo(36, cut)
          .lineTo(36 + width, cut)
          .dash(4, { space: 4 })
          .lineWidth(0.5)
          .strokeColor('#999999')
          .stroke()
          .undash()
          .strokeColor('black');
      }
    });
  });
}

/** The appointment slip handed over (or read out on the phone): A6, in the staff member's language and Russian/Kazakh. */
export async function slipPdf(app: AppContext, staff: StaffRow, id: number): Promise<PdfFile> {
  const a = getAppointment(app, id);
  const org = organization(app);
  const mark = slipMark(app, actorOf(staff), org, a);
  const langs: Lang[] = staff.language === 'ru' ? ['ru', 'kk'] : ['kk', 'ru'];
  const r = await renderPdf(
    { title: `${P('slipTitle', langs[0]!)} ${a.number}`, size: 'A5', margin: 30, footer: callCentreLine(langs) },
    (doc) => {
      orgHeader(doc, org, langs, { bin: P('bin', langs[0]!) });
      const w = doc.page.width - 60;
      doc
        .font(BOLD)
        .fontSize(13)
        .text(langs.map((l) => P('slipTitle', l)).join(' / '), 30, doc.y, { width: w, align: 'center' });
      doc
        .font(BOLD)
        .fontSize(11)
        .text(`${langs.map((l) => P('slipNo', l)).join(' / ')} ${a.number}`, { width: w, align: 'center' });
      let y = doc.y + 10;
      const both = (k: string) => langs.map((l) => P(k, l)).join(' / ');
      y = label(doc, 30, y, w, both('person'), `${a.person.name}, ${P('iin', langs[0]!)} ${a.person.iin}`);
      y = label(
        doc,
        30,
        y,
        w,
        both('doctor').replace(/Учаскелік дәрігер|Участковый врач/g, (m) => m),
        `${a.doctor.fullName} — ${langs.map((l) => value(a.doctor.specialty, l)).join(' / ')}`,
      );
      doc.font(FONT).fontSize(8).fillColor('#555555').text(both('when'), 30, y, { width: w });
      doc
        .font(BOLD)
        .fontSize(18)
        .fillColor('black')
        .text(`${dmy(a.date)}  ${a.time}–${a.endTime}`, 30, doc.y + 2, { width: w });
      y = doc.y + 6;
      if (a.doctor.room) y = label(doc, 30, y, w, both('room'), a.doctor.room);
      doc.font(FONT).fontSize(8.5);
      for (const l of langs) doc.text(P('slipNote', l), 30, doc.y + 4, { width: w });
      drawVerification(doc, mark, langs as Array<'kk' | 'ru'>, { x: 30, y: doc.y + 8, size: 72, textWidth: w - 80, beside: true });
    },
  );
  return toFile(`appointment_${a.number}.pdf`, r);
}

/** A doctor's home visits of a day, in route order, with a column to tick. */
export async function visitListPdf(app: AppContext, staff: StaffRow, a: { doctorId: number; date: string }): Promise<PdfFile> {
  const lang = staff.language as Lang;
  const day = doctorDay(app, a);
  const org = organization(app);
  const r = await renderPdf(
    { title: `${P('visitsTitle', lang)} ${a.date}`, layout: 'landscape', footer: callCentreLine([lang]) },
    (doc) => {
      orgHeader(doc, org, [lang], { bin: P('bin', lang) });
      doc
        .font(BOLD)
        .fontSize(13)
        .text(`${P('visitsTitle', lang)} — ${dmy(a.date)}`, { align: 'center' });
      doc
        .font(FONT)
        .fontSize(10)
        .text(`${P('visitsFor', lang)}: ${day.doctor.fullName} (${value(day.doctor.specialty, lang)})`, { align: 'center' });
      doc.font(FONT).fontSize(8).fillColor('#555555').text(P('routeNote', lang), { align: 'center' }).fillColor('black');
      doc.moveDown(0.6);
      const rows = day.visits.map((v, i) => [
        String(i + 1),
        v.address,
        `${v.windowFrom}–${v.windowTo}`,
        v.person.name,
        dmy(v.person.birthDate),
        v.phone ?? '',
        v.complaint,
        v.number,
        '',
      ]);
      if (rows.length === 0) doc.font(FONT).fontSize(11).text(P('none', lang), { align: 'center' });
      else
        table(
          doc,
          [
            { title: '№', width: 22 },
            { title: COLUMN_TITLES.address![lang], width: 170 },
            { title: P('window', lang), width: 60 },
            { title: COLUMN_TITLES.person![lang], width: 130 },
            { title: COLUMN_TITLES.birthDate![lang], width: 58 },
            { title: COLUMN_TITLES.phone![lang], width: 80 },
            { title: COLUMN_TITLES.complaint![lang], width: 150 },
            { title: COLUMN_TITLES.number![lang], width: 62 },
            { title: P('mark', lang), width: 40 },
          ],
          rows,
          { fontSize: 8.5 },
        );
    },
  );
  return toFile(`visits_${day.doctor.login}_${a.date}.pdf`, r);
}

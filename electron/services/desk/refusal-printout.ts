/**
 * The printed motivated refusal (дәлелді бас тарту / мотивированный отказ) handed to the citizen at the desk:
 * one A4 page, Kazakh then Russian, with the request number and date, the service, the person, the regulation's
 * ground in its own words, the act it rests on (and, when the act is repealed, the organization's adoption of it
 * as its interim internal standard), and the registrar's name, position and a place to sign. No English on it.
 */
import type { PdfFile } from '../../../common/desk';
import { ApiError } from '../../../common/errors';
import { dateText } from '../../../common/format';
import { positionOf } from '../../../common/positions';
import { getDeskRefusal } from '../../../db/desk/refusals';
import { findPersonByIin } from '../../../db/people';
import { getRequestRow, listStepRows } from '../../../db/requests';
import { getStaff } from '../../../db/staff';
import type { AppContext } from '../app';
import { BOLD, callCentreLine, FONT, orgHeader, renderPdf, type PdfDoc } from '../documents/pdf';
import { adoptionNotes } from '../regulations/adoption';
import { catalogOf } from '../workflow/context';
import { toLocalIsoDate } from '../../../common/working-calendar';
import { organization, personName } from './common';
import { SYSTEM_ACTOR, type Actor } from '../../../db/audit';
import { drawVerification } from '../documents/verification-mark';
import { refusalMark } from '../verification/documents';

type L = 'kk' | 'ru';

const T = {
  title: { kk: 'Мемлекеттік қызмет көрсетуден дәлелді бас тарту', ru: 'Мотивированный отказ в оказании государственной услуги' },
  request: { kk: 'Сұраныс №', ru: 'Запрос №' },
  date: { kk: 'Күні', ru: 'Дата' },
  service: { kk: 'Қызмет', ru: 'Услуга' },
  person: { kk: 'Көрсетілетін қызметті алушы', ru: 'Услугополучатель' },
  iin: { kk: 'ЖСН', ru: 'ИИН' },
  ground: { kk: 'Бас тарту негізі', ru: 'Основание отказа' },
  note: { kk: 'Тіркеушінің белгісі', ru: 'Отметка регистратора' },
  act: { kk: 'Регламент', ru: 'Регламент' },
  actText: {
    kk: (a: { issuer: string; date: string; number: string }) => `${a.issuer}, ${a.date} № ${a.number} қаулысы`,
    ru: (a: { issuer: string; date: string; number: string }) => `${a.issuer}, постановление от ${a.date} № ${a.number}`,
  },
  issued: { kk: 'Берген', ru: 'Выдал(а)' },
  signature: { kk: 'Қолы', ru: 'Подпись' },
  appeal: {
    kk: 'Шешімге келіспеген жағдайда көрсетілетін қызметті берушінің басшысына немесе заңнамада белгіленген тәртіппен шағым жасауға болады.',
    ru: 'При несогласии с решением его можно обжаловать у руководителя услугодателя или в порядке, установленном законодательством.',
  },
} as const;

/** The refusal of a request, as a PDF in Kazakh and Russian. */
export async function refusalPdf(app: AppContext, requestId: number, actor: Actor = SYSTEM_ACTOR): Promise<PdfFile> {
  const row = getRequestRow(app.db, requestId);
  const refusal = getDeskRefusal(app.db, requestId);
  if (!row || !refusal || row.status !== 'refused')
    throw new ApiError('not-found', `request ${requestId} has no motivated refusal recorded at the desk`, { requestId });
  const def = catalogOf(app).catalog.byKey(row.definition_key);
  if (!def) throw new ApiError('internal', `the regulation ${row.definition_key} is not loaded`);
  const refusedStep = listStepRows(app.db, row.id).find((s) => s.refusal_code !== null);
  const reason = refusedStep?.refusal_reason ? (JSON.parse(refusedStep.refusal_reason) as Record<L, string>) : null;
  const org = organization(app);
  const day = toLocalIsoDate(new Date(row.closed_at ?? row.created_at), org.timezone);
  const adoption = adoptionNotes(app, def, day);
  const person = row.person_iin ? findPersonByIin(app.db, row.person_iin) : null;
  const name = person ? personName(person) : refusal.person_name;
  const staff = getStaff(app.db, refusal.created_by);
  const langs: L[] = ['kk', 'ru'];
  const mark = refusalMark(app, actor, org, {
    requestId: row.id,
    number: row.number,
    day,
    closedAt: row.closed_at ?? row.created_at,
    personName: name,
    iin: row.person_iin,
    service: def.titles,
  });

  const r = await renderPdf({ title: `${T.request.ru} ${row.number}`, footer: callCentreLine(langs) }, (doc: PdfDoc) => {
    orgHeader(doc, org, langs, { bin: 'БСН / БИН' });
    const x = doc.page.margins.left;
    const width = doc.page.width - x - doc.page.margins.right;
    const field = (label: string, value: string) =>
      doc.font(BOLD).fontSize(10).text(`${label}: `, x, undefined, { continued: true, width }).font(FONT).text(value);
    for (const lang of langs) {
      doc.moveDown(0.6).font(BOLD).fontSize(13).text(T.title[lang], x, undefined, { width, align: 'center' });
      doc.font(FONT).fontSize(11).text(`${T.request[lang]} ${row.number}`, x, undefined, { width, align: 'center' });
      doc.moveDown(0.5);
      field(T.date[lang], dateText(day, lang));
      field(T.service[lang], def.titles[lang]);
      field(T.person[lang], [name, row.person_iin ? `${T.iin[lang]} ${row.person_iin}` : null].filter(Boolean).join(', '));
      field(T.ground[lang], reason?.[lang] ?? refusal.ground);
      if (refusal.note) field(T.note[lang], refusal.note);
      field(T.act[lang], T.actText[lang]({ issuer: def.act.issuer[lang], date: dateText(def.act.date, lang), number: def.act.number }));
      if (adoption) doc.font(FONT).fontSize(9).fillColor('#333333').text(adoption[lang], x, undefined, { width }).fillColor('black');
      const position = staff ? positionOf(staff.role, staff.specialty)[lang] : '';
      doc.moveDown(0.5);
      field(T.issued[lang], [position.charAt(0).toUpperCase() + position.slice(1), staff?.full_name].filter(Boolean).join(': '));
      doc.font(FONT).fontSize(10).text(`${T.signature[lang]}: ____________________`, x, undefined, { width });
      doc
        .font(FONT)
        .fontSize(8.5)
        .fillColor('#333333')
        .text(T.appeal[lang], x, doc.y + 4, { width })
        .fillColor('black');
      if (lang === 'kk') {
        const y = doc.y + 10;
        doc
          .moveTo(x, y)
          .lineTo(x + width, y)
          .dash(4, { space: 4 })
          .lineWidth(0.5)
          .strokeColor('#999999')
          .stroke()
          .undash()
          .strokeColor('black');
        doc.y = y + 6;
      }
    }
    drawVerification(doc, mark, langs, { x, y: doc.y + 10, size: 72, textWidth: width - 80, beside: true });
  });
  return { fileName: `refusal_${row.number}.pdf`, base64: r.buffer.toString('base64'), pages: r.pages };
}

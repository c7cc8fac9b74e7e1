/**
 * Printouts of issue 6 with the shared pdfkit helpers (electron/services/documents/pdf.ts): receipts (A4 and the
 * 80 mm receipt printer), the shift report, certificates (Kazakh or Russian, rendered from the stored canonical
 * document, so a re-print is the same document) and the HIV sample label (the code only).
 */
import type { CashEntry, FeeExemption, FeeExemptionReason, Shift } from '../../../common/dispensary';
import { dateText, dateTimeText, moneyText, onPaper } from '../../../common/format';
import type { Organization } from '../../../common/schemas';
import { BOLD, callCentreLine, drawQr, FONT, orgHeader, renderPdf, table, type PdfDoc } from '../documents/pdf';
import { drawVerification, verificationLines } from '../documents/verification-mark';
import type { VerificationMark } from '../verification/records';

type L = 'kk' | 'ru';
const MM = 72 / 25.4;
/** Tenge on paper, in the one format of common/format.ts (kk and ru group digits alike): 1 500 ₸. */
const money = (n: number) => onPaper(moneyText(n, 'ru'));

const T = {
  receipt: { kk: 'Төлем туралы чек', ru: 'Чек об оплате' },
  void: { kk: 'Қайтару (жою) чегі', ru: 'Чек возврата (аннулирования)' },
  request: { kk: 'Өтінім', ru: 'Заявка' },
  service: { kk: 'Қызмет', ru: 'Услуга' },
  amount: { kk: 'Сомасы', ru: 'Сумма' },
  method: { kk: 'Төлем тәсілі', ru: 'Способ оплаты' },
  cash: { kk: 'қолма-қол', ru: 'наличные' },
  card: { kk: 'карта', ru: 'карта' },
  cashier: { kk: 'Кассир', ru: 'Кассир' },
  shift: { kk: 'Ауысым', ru: 'Смена' },
  date: { kk: 'Күні', ru: 'Дата' },
  reason: { kk: 'Себебі', ru: 'Причина' },
  voids: { kk: 'Жойылатын чек', ru: 'Аннулируемый чек' },
  bin: { kk: 'БСН', ru: 'БИН' },
  exemption: { kk: 'Төлемнен босату туралы чек', ru: 'Чек об освобождении от оплаты' },
  exempted: { kk: 'Босату негізі', ru: 'Основание освобождения' },
  waived: { kk: 'Прейскурант бойынша төлем', ru: 'Плата по прейскуранту' },
  due: { kk: 'Төленуге тиіс', ru: 'К оплате' },
  by: { kk: 'Босатқан', ru: 'Освободил(а)' },
} as const;

/** The exemption reasons as the printed receipt names them (the screens' texts are in renderer/src/i18n). */
export const EXEMPTION_TITLES: Record<FeeExemptionReason, { kk: string; ru: string }> = {
  veteran: {
    kk: 'Ұлы Отан соғысының ардагері және оған теңестірілген адам',
    ru: 'Ветеран Великой Отечественной войны и приравненное лицо',
  },
  'disabled-1': { kk: 'Бірінші топтағы мүгедектігі бар адам', ru: 'Лицо с инвалидностью первой группы' },
  'disabled-2': { kk: 'Екінші топтағы мүгедектігі бар адам', ru: 'Лицо с инвалидностью второй группы' },
  'low-income': { kk: 'Атаулы әлеуметтік көмек алушы', ru: 'Получатель адресной социальной помощи' },
  'child-under-18': { kk: '18 жасқа толмаған бала', ru: 'Ребёнок до 18 лет' },
  'state-order': { kk: 'Тегін медициналық көмектің кепілдік берілген көлемі', ru: 'Гарантированный объём бесплатной медицинской помощи' },
};

/** An instant on paper in the organization's zone: 06.12.2026, 14:30 (kk and ru write it alike). */
function localTime(iso: string, tz: string, lang: L = 'ru'): string {
  return onPaper(dateTimeText(iso, tz, lang));
}

/** A receipt (payment or void) with its verification block: the QR of its page and the code in letters. */
export async function receiptPdf(
  org: Organization,
  e: CashEntry,
  serviceTitle: { kk: string; ru: string },
  layout: 'a4' | '80mm',
  mark: VerificationMark,
) {
  const narrow = layout === '80mm';
  const langs: L[] = ['kk', 'ru'];
  const { buffer, pages } = await renderPdf(
    {
      title: e.receiptNo,
      size: narrow ? [80 * MM, 150 * MM] : 'A4',
      margin: narrow ? 8 : 40,
      footer: narrow ? undefined : callCentreLine(['kk', 'ru']),
    },
    async (doc) => {
      if (narrow) {
        doc.font(BOLD).fontSize(8).text(org.name.kk, { align: 'center' }).text(org.name.ru, { align: 'center' });
        doc.font(FONT).fontSize(7).text(`${T.bin.kk}/${T.bin.ru}: ${org.bin}`, { align: 'center' });
        doc.moveDown(0.5);
      } else {
        orgHeader(doc, org, langs, { bin: `${T.bin.kk} / ${T.bin.ru}` });
      }
      const size = narrow ? 8 : 11;
      const title = e.kind === 'payment' ? T.receipt : T.void;
      doc
        .font(BOLD)
        .fontSize(size + 2)
        .text(`${title.kk} / ${title.ru}`, { align: 'center' });
      doc.text(e.receiptNo, { align: 'center' });
      doc.moveDown(0.5).font(FONT).fontSize(size);
      const line = (label: { kk: string; ru: string }, value: string) => doc.text(`${label.kk} / ${label.ru}: ${value}`);
      line(T.date, localTime(e.createdAt, org.timezone));
      line(T.request, e.requestNumber);
      line(T.service, `${serviceTitle.kk} / ${serviceTitle.ru}`);
      line(T.method, `${T[e.method].kk} / ${T[e.method].ru}`);
      if (e.voidsReceipt) line(T.voids, e.voidsReceipt);
      if (e.reason) line(T.reason, e.reason);
      line(T.shift, e.shiftNumber);
      line(T.cashier, e.cashier);
      doc
        .moveDown(0.5)
        .font(BOLD)
        .fontSize(size + 3)
        .text(`${T.amount.kk} / ${T.amount.ru}: ${money(e.amountKzt)}`, { align: narrow ? 'center' : 'left' });
      doc.font(FONT);
      receiptVerification(doc, mark, narrow);
      if (narrow) doc.fontSize(6).text(callCentreLine(['kk', 'ru']), 8, doc.y + 2, { align: 'center', width: 80 * MM - 16 });
    },
  );
  return { fileName: `${e.receiptNo}-${layout}.pdf`, base64: buffer.toString('base64'), pages };
}

/** The verification block of a receipt: under the amount, the QR code on the left and the code beside it. */
function receiptVerification(doc: PdfDoc, mark: VerificationMark, narrow: boolean): void {
  const x = doc.page.margins.left;
  const width = doc.page.width - x - doc.page.margins.right;
  const size = narrow ? 62 : 80;
  drawVerification(doc, mark, ['kk', 'ru'], { x, y: doc.y + 6, size, textWidth: width - size - 8, beside: true, fontSize: narrow ? 6 : 8 });
}

/** The receipt of an exemption: the fee of the price list, the reason, who exempted, and 0 to pay. */
export async function exemptionReceiptPdf(
  org: Organization,
  e: FeeExemption,
  serviceTitle: { kk: string; ru: string },
  layout: 'a4' | '80mm',
  mark: VerificationMark,
) {
  const narrow = layout === '80mm';
  const { buffer, pages } = await renderPdf(
    {
      title: e.receiptNo,
      size: narrow ? [80 * MM, 150 * MM] : 'A4',
      margin: narrow ? 8 : 40,
      footer: narrow ? undefined : callCentreLine(['kk', 'ru']),
    },
    async (doc) => {
      if (narrow) doc.font(BOLD).fontSize(8).text(org.name.kk, { align: 'center' }).text(org.name.ru, { align: 'center' });
      else orgHeader(doc, org, ['kk', 'ru'], { bin: `${T.bin.kk} / ${T.bin.ru}` });
      const size = narrow ? 8 : 11;
      doc
        .font(BOLD)
        .fontSize(size + 2)
        .text(`${T.exemption.kk} / ${T.exemption.ru}`, { align: 'center' })
        .text(e.receiptNo, { align: 'center' });
      doc.moveDown(0.5).font(FONT).fontSize(size);
      const line = (label: { kk: string; ru: string }, value: string) => doc.text(`${label.kk} / ${label.ru}: ${value}`);
      line(T.date, localTime(e.createdAt, org.timezone));
      line(T.request, e.requestNumber);
      line(T.service, `${serviceTitle.kk} / ${serviceTitle.ru}`);
      line(T.waived, money(e.waivedKzt));
      line(T.exempted, `${EXEMPTION_TITLES[e.reason].kk} / ${EXEMPTION_TITLES[e.reason].ru}`);
      line(T.by, e.by);
      doc
        .moveDown(0.5)
        .font(BOLD)
        .fontSize(size + 3)
        .text(`${T.due.kk} / ${T.due.ru}: ${money(0)}`);
      doc.font(FONT);
      receiptVerification(doc, mark, narrow);
    },
  );
  return { fileName: `${e.receiptNo}-${layout}.pdf`, base64: buffer.toString('base64'), pages };
}

export async function shiftReportPdf(org: Organization, sh: Shift) {
  const { buffer, pages } = await renderPdf({ title: sh.number, footer: '' }, (doc) => {
    orgHeader(doc, org, ['kk', 'ru'], { bin: 'БСН / БИН' });
    doc.font(BOLD).fontSize(13).text(`Ауысым есебі / Отчёт по смене ${sh.number}`, { align: 'center' });
    doc.font(FONT).fontSize(10).text(`${T.cashier.kk} / ${T.cashier.ru}: ${sh.cashier}`);
    doc.text(`${localTime(sh.openedAt, org.timezone)} — ${sh.closedAt ? localTime(sh.closedAt, org.timezone) : '…'}`);
    doc.moveDown(0.5);
    table(
      doc,
      [
        { title: 'Чек', width: 90 },
        { title: 'Өтінім / Заявка', width: 80 },
        { title: 'Тәсіл / Способ', width: 60 },
        { title: 'Сомасы / Сумма', width: 70, align: 'right' },
        { title: 'Себебі / Причина', width: 140 },
      ],
      sh.entries.map((e) => [e.receiptNo, e.requestNumber, T[e.method].ru, money(e.amountKzt), e.reason ?? '']),
    );
    doc.moveDown(0.5).fontSize(11);
    doc.text(`Қолма-қол / Наличные: ${money(sh.totals.cash)}`);
    doc.text(`Карта / Карта: ${money(sh.totals.card)}`);
    doc.font(BOLD).text(`Барлығы / Итого: ${money(sh.totals.total)} (${sh.totals.payments} / ${sh.totals.voids})`);
  });
  return { fileName: `${sh.number}.pdf`, base64: buffer.toString('base64'), pages };
}

// ---------------------------------------------------------------------------------------------------------------
// Certificates

export interface CertificateDocument {
  type: 'dispensary-certificate' | 'hiv-negative-certificate';
  number: string;
  request: string;
  serviceId: string;
  definitionKey: string;
  title: { kk: string; ru: string };
  statement: { kk: string; ru: string };
  organization: { bin: string; name: { kk: string; ru: string }; address: string };
  person: { iin: string; name: string | null; birthDate: string | null } | null;
  code: string | null;
  register: { kind: string; checkedAt: string; checkedBy: string; found: boolean } | null;
  issuedOn: string;
  act: { number: string; date: string };
  /**
   * Set when the act was repealed and applies as the organization's interim internal standard (issue 15, point 3):
   * the printed note, part of the signed document. Absent in certificates issued before.
   */
  adoption?: { kk: string; ru: string } | null;
  /** Who issued a certificate that carries no ЭЦҚ (the HIV certificate, given out at post-test counselling). */
  issuedBy?: { name: string; role: string; specialty: string | null };
}

/** A signer as printed: full name and position (never a login or a role code); signedAt null without an ЭЦҚ. */
export interface PrintedSigner {
  name: string;
  position: { kk: string; ru: string };
  signedAt: string | null;
}

const CL = {
  number: { kk: 'Анықтама №', ru: 'Справка №' },
  iin: { kk: 'ЖСН', ru: 'ИИН' },
  name: { kk: 'Аты-жөні', ru: 'Ф.И.О.' },
  birth: { kk: 'Туған күні', ru: 'Дата рождения' },
  code: { kk: 'Код', ru: 'Код' },
  issued: { kk: 'Берілген күні', ru: 'Дата выдачи' },
  request: { kk: 'Өтінім', ru: 'Заявка' },
  checked: { kk: 'Тіркелім бойынша тексерілді', ru: 'Проверено по регистру' },
  signers: { kk: 'Қол қойғандар (ЭЦҚ, CAdES-BES)', ru: 'Подписали (ЭЦП, CAdES-BES)' },
  issuer: { kk: 'Анықтаманы берген', ru: 'Справку выдал(а)' },
  ecp: { kk: 'ЭЦҚ қойылды', ru: 'подписано ЭЦП' },
  signature: { kk: 'Қолы', ru: 'Подпись' },
  personalStamp: { kk: 'Жеке мөрі', ru: 'Личная печать' },
  seal: { kk: 'М.О.', ru: 'М.П.' },
  sealOf: { kk: 'Көрсетілетін қызметті берушінің мөрі', ru: 'Печать услугодателя' },
  hash: { kk: 'Құжаттың хэші (SHA-256)', ru: 'Хэш документа (SHA-256)' },
  act: { kk: 'Регламент: Атырау облысы әкімдігінің қаулысы', ru: 'Регламент: постановление акимата Атырауской области' },
} as const;

export async function certificatePdf(
  doc0: CertificateDocument,
  hash: string,
  signers: PrintedSigner[],
  lang: L,
  tz: string,
  checkedBy?: string,
  mark?: VerificationMark,
) {
  const { buffer, pages } = await renderPdf({ title: `${doc0.number}`, footer: callCentreLine([lang]) }, async (doc: PdfDoc) => {
    const x = doc.page.margins.left;
    const width = doc.page.width - x - doc.page.margins.right;
    doc.font(BOLD).fontSize(11).text(doc0.organization.name[lang], { align: 'center' });
    doc
      .font(FONT)
      .fontSize(8.5)
      .text(`${lang === 'kk' ? 'БСН' : 'БИН'}: ${doc0.organization.bin} · ${doc0.organization.address}`, { align: 'center' });
    doc.moveDown(1);
    doc.font(BOLD).fontSize(14).text(doc0.title[lang], { align: 'center' });
    doc.fontSize(12).text(`${CL.number[lang]} ${doc0.number}`, { align: 'center' });
    doc.moveDown(1).font(FONT).fontSize(11);
    const field = (label: string, value: string) => {
      doc.font(BOLD).text(`${label}: `, { continued: true }).font(FONT).text(value);
    };
    if (doc0.person) {
      if (doc0.person.name) field(CL.name[lang], doc0.person.name);
      field(CL.iin[lang], doc0.person.iin);
      if (doc0.person.birthDate) field(CL.birth[lang], dateText(doc0.person.birthDate, lang));
    }
    if (doc0.code) field(CL.code[lang], doc0.code);
    field(CL.request[lang], doc0.request);
    field(CL.issued[lang], dateText(doc0.issuedOn, lang));
    doc.moveDown(0.8);
    doc.fontSize(11.5).text(doc0.statement[lang], { align: 'justify' });
    if (doc0.register) {
      doc
        .moveDown(0.5)
        .fontSize(9)
        .fillColor('#333333')
        .text(`${CL.checked[lang]}: ${localTime(doc0.register.checkedAt, tz, lang)} (${checkedBy ?? doc0.register.checkedBy})`)
        .fillColor('black');
    }
    const electronic = signers.some((s) => s.signedAt !== null);
    doc
      .moveDown(1)
      .font(BOLD)
      .fontSize(10)
      .text((electronic ? CL.signers : CL.issuer)[lang], x);
    for (const s of signers) {
      const position = s.position[lang].charAt(0).toUpperCase() + s.position[lang].slice(1);
      const when = s.signedAt ? ` — ${CL.ecp[lang]} ${localTime(s.signedAt, tz, lang)}` : '';
      doc.font(FONT).fontSize(10).text(`${position}: ${s.name}${when}`, x);
      stampPlaces(doc, x, lang);
    }
    doc.moveDown(0.5);
    const y = doc.y;
    // The QR holds the certificate's page on the central server (issue 19); without a mark (a bench), the hash.
    // Vector squares, not a PNG: encoding one only for pdfkit to decode it again was a third of the certificate's time.
    drawQr(doc, mark ? mark.url : `${doc0.number};sha256=${hash}`, x, y, 100);
    const sealR = 48;
    const textWidth = width - 110 - 2 * sealR - 20;
    doc.fontSize(7.5).fillColor('#333333');
    if (mark)
      doc
        .font(BOLD)
        .text(verificationLines(mark, [lang])[0]!, x + 110, y + 4, { width: textWidth })
        .font(FONT);
    doc.text(`${CL.hash[lang]}:\n${hash}`, x + 110, mark ? undefined : y + 10, { width: textWidth });
    doc.text(`${CL.act[lang]} № ${doc0.act.number}, ${dateText(doc0.act.date, lang)}`, x + 110, undefined, { width: textWidth });
    if (doc0.adoption) doc.text(doc0.adoption[lang], x + 110, undefined, { width: textWidth });
    sealPlace(doc, x + width - sealR, y + sealR + 2, sealR, lang);
    doc.fillColor('black');
    doc.x = x;
    doc.y = Math.max(doc.y, y + 2 * sealR + 16);
  });
  return { fileName: `${doc0.number}-${lang}.pdf`, base64: buffer.toString('base64'), pages };
}

/** Under a signer: a line for the wet signature and a box for the personal (doctor's) stamp, each labelled. */
function stampPlaces(doc: PdfDoc, x: number, lang: L): void {
  const y = doc.y + 4;
  doc.save().lineWidth(0.7).strokeColor('#000000');
  doc
    .moveTo(x, y + 30)
    .lineTo(x + 170, y + 30)
    .stroke();
  doc
    .dash(3, { space: 2 })
    .rect(x + 210, y, 130, 44)
    .stroke()
    .undash();
  doc.restore();
  doc.font(FONT).fontSize(7.5).fillColor('#333333');
  doc.text(CL.signature[lang], x, y + 33, { width: 170, align: 'center' });
  doc.text(CL.personalStamp[lang], x + 210, y + 33, { width: 130, align: 'center' });
  doc.fillColor('black');
  doc.x = x;
  doc.y = y + 52;
}

/** The place of the organization's seal: a dashed circle with "М.О." / "М.П." and what it is for. */
function sealPlace(doc: PdfDoc, cx: number, cy: number, r: number, lang: L): void {
  doc.save().lineWidth(0.7).dash(3, { space: 2 }).circle(cx, cy, r).stroke().undash().restore();
  doc.font(BOLD).fontSize(11).fillColor('#333333');
  doc.text(CL.seal[lang], cx - r, cy - 14, { width: 2 * r, align: 'center' });
  doc
    .font(FONT)
    .fontSize(6.5)
    .text(CL.sealOf[lang], cx - r + 8, cy + 2, { width: 2 * r - 16, align: 'center' });
  doc.fillColor('black');
}

/** The sample label (58 × 40 mm): the code, the sample number and the date — never a name or an IIN. */
export async function sampleLabelPdf(code: string, sampleNo: string, drawnAt: string, tz: string) {
  const { buffer, pages } = await renderPdf({ title: sampleNo, size: [58 * MM, 40 * MM], margin: 6 }, async (doc) => {
    doc.font(BOLD).fontSize(14).text(code, { align: 'center' });
    doc.font(FONT).fontSize(8).text(`№ ${sampleNo}`, { align: 'center' });
    doc.text(localTime(drawnAt, tz), { align: 'center' });
    drawQr(doc, `${code};${sampleNo}`, (58 * MM - 42) / 2, doc.y + 2, 42);
  });
  return { fileName: `${sampleNo}.pdf`, base64: buffer.toString('base64'), pages };
}

/**
 * The verification block every printed document carries (issue 19): a QR code holding the short URL of the
 * document's page on the central server, and the same code in letters, grouped by four, under a caption in the
 * paper's languages. The URL itself is not printed as text: the caption and the code are all a reader types.
 */
import type { VerificationMark } from '../verification/records';
import { drawQr, FONT, type PdfDoc } from './pdf';

type L = 'kk' | 'ru';

export const VERIFY_CAPTION = {
  kk: 'Құжаттың түпнұсқалығын тексеру коды',
  ru: 'Код проверки подлинности документа',
} as const;

/** The caption and code as one line per language: `Код проверки подлинности документа: 7K3M-Q9XA-…`. */
export const verificationLines = (mark: VerificationMark, langs: readonly L[]): string[] =>
  langs.map((l) => `${VERIFY_CAPTION[l]}: ${mark.grouped}`);

/**
 * Draws the QR code at (x, y), `size` points wide, and the caption with the code beside it (`beside`) or under it.
 * Leaves doc.y under what it drew.
 */
export function drawVerification(
  doc: PdfDoc,
  mark: VerificationMark,
  langs: readonly L[],
  at: { x: number; y: number; size: number; textWidth: number; beside?: boolean; fontSize?: number },
): void {
  drawQr(doc, mark.url, at.x, at.y, at.size);
  const tx = at.beside ? at.x + at.size + 8 : at.x;
  const ty = at.beside ? at.y + 4 : at.y + at.size + 2;
  doc
    .font(FONT)
    .fontSize(at.fontSize ?? 8)
    .fillColor('black');
  let y = ty;
  for (const line of verificationLines(mark, langs)) {
    doc.text(line, tx, y, { width: at.textWidth });
    y = doc.y + 1;
  }
  doc.x = at.x;
  doc.y = Math.max(doc.y, at.beside ? at.y + at.size + 2 : doc.y);
}

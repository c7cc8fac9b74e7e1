/**
 * Printouts as PDF (pdfkit) with Kazakh glyphs: DejaVu Sans from the dejavu-fonts-ttf package (the 14 standard PDF
 * fonts have no Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І). Shared by every printed document: the talon, the appointment slip,
 * doctors' visit lists and journals here; receipts and certificates later.
 *
 * - `renderPdf` builds a document in memory and returns its bytes (and the page count);
 * - `orgHeader` prints the organization (name in the chosen languages, BIN, address);
 * - `footer` stamps every page with the call centre 1414 (citizen-facing printouts must show it) and page numbers;
 * - `drawQr` draws a QR code (vector).
 *
 * Fonts are read and parsed once per process (`sharedFonts`); pdfkit subsets them per document, every subset
 * starting with the same base alphabet so that its compressed font file is written once per process
 * (font-embedding.ts): a talon (one font) is some 30 KB, a certificate (two) some 50 KB.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type PDFKitDocument from 'pdfkit';
import type QRCodeModule from 'qrcode';
import type { Organization } from '../../../common/schemas';
import { shareFontFiles } from './font-embedding';

const require = createRequire(import.meta.url);
/**
 * pdfkit, its font parser fontkit (loaded from pdfkit's folder, so it is the very copy pdfkit uses) and qrcode load
 * with the first printout, not at start-up: together they were a third of the application's start (issue 18, goal 5).
 */
let libs: { PDFDocument: typeof PDFKitDocument; QRCode: typeof QRCodeModule; fontkit: { create(data: Buffer): FontkitFont } } | null = null;
async function loadLibraries() {
  if (!libs) {
    const [{ default: PDFDocument }, { default: QRCode }] = await Promise.all([import('pdfkit'), import('qrcode')]);
    const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as { create(data: Buffer): FontkitFont };
    libs = { PDFDocument, QRCode, fontkit };
  }
  return libs;
}
/** The libraries, once a printout has loaded them (every drawing helper runs inside `renderPdf`). */
function loaded() {
  if (!libs) throw new Error('pdf.ts: draw inside renderPdf (the PDF libraries are not loaded yet)');
  return libs;
}

export type PdfDoc = PDFKit.PDFDocument;
export type Lang = 'kk' | 'ru' | 'en';

/** The part of a parsed fontkit font this module touches (fontkit ships no types). */
interface FontkitGlyph {
  codePoints: number[];
  /** fontkit's own (private) reading of the glyph's outline. */
  _decode?: () => unknown;
}
interface FontkitRun {
  glyphs: FontkitGlyph[];
  positions: object[];
}
interface FontkitFont {
  getGlyph(id: number, codePoints?: number[]): FontkitGlyph | null;
  layout(text: string, features?: unknown): FontkitRun;
}

/** The font files, read once per process. */
export function fontFiles(): { regular: Buffer; bold: Buffer } {
  files ??= {
    regular: fs.readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: fs.readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
  return files;
}
let files: { regular: Buffer; bold: Buffer } | null = null;
let parsed: { regular: FontkitFont; bold: FontkitFont } | null = null;

/**
 * The fonts parsed once per process and shared by every document. Parsing is cheap, but a fresh font's first
 * layout decodes its character map and its substitution and positioning tables: 15–20 ms for each of the two
 * fonts, most of a talon's time when every document parsed its own. Each document still has its own subset.
 */
export function sharedFonts(): { regular: FontkitFont; bold: FontkitFont } {
  const f = fontFiles();
  const { fontkit } = loaded();
  const prepare = (data: Buffer) => {
    const font = shareableGlyphs(fontkit.create(data));
    shapedWords.set(font, new Map());
    return font;
  };
  parsed ??= { regular: prepare(f.regular), bold: prepare(f.bold) };
  return parsed;
}

/**
 * fontkit keeps one glyph object per glyph id, with the characters it was first asked for. Writing a subset asks
 * for the parts of a composed glyph (DejaVu draws Cyrillic "А" from Latin "A") with no characters; once shared, a
 * later document that prints that part as a letter would get it without its character, and pdfkit's text layer
 * (what copy, search and `pdftotext` read) would lose the letter. So a glyph asked for with characters gets them if
 * it has none.
 *
 * Writing each document's subset also decodes every glyph's outline again, only to find a composed glyph's parts:
 * a sixth of a certificate's time. The decoded outline is read, never changed, so each glyph keeps it.
 */
function shareableGlyphs(font: FontkitFont): FontkitFont {
  const getGlyph = font.getGlyph.bind(font);
  const decodedOnce = new WeakSet<FontkitGlyph>();
  font.getGlyph = (id, codePoints = []) => {
    const glyph = getGlyph(id, codePoints);
    if (!glyph) return glyph;
    if (glyph.codePoints.length === 0 && codePoints.length > 0) glyph.codePoints = codePoints;
    if (!decodedOnce.has(glyph) && typeof glyph._decode === 'function') {
      decodedOnce.add(glyph);
      const decode = glyph._decode.bind(glyph);
      let decoded: { value: unknown } | null = null;
      glyph._decode = () => (decoded ??= { value: decode() }).value;
    }
    return glyph;
  };
  return font;
}

export const FONT = 'DejaVuSans';
export const BOLD = 'DejaVuSans-Bold';

export interface PdfOptions {
  title: string;
  size?: string | [number, number];
  layout?: 'portrait' | 'landscape';
  margin?: number;
  /** Footer lines stamped on every page (the call centre line is added by `callCentreLine`). */
  footer?: string;
}

/** Words whose shaping is remembered across documents, per font; past this the memory starts again. */
const LAYOUTS_KEPT = 20_000;

/** The part of pdfkit's embedded font (one object per font and document) that shapes words. */
interface PdfkitFont {
  font: FontkitFont;
  layoutCached(text: string): unknown;
  layoutRun(text: string): unknown;
}

/** Each parsed font's shaped words, shared by every document. */
const shapedWords = new WeakMap<FontkitFont, Map<string, unknown>>();
let shapingShared = false;

/**
 * Shaping a word (fontkit's layout: substitutions, positioning, then pdfkit's scaling to its units) was a quarter
 * of a talon's time, for the same labels, headers and names on every document. pdfkit remembers a word's shaped
 * run per document (layoutCached) and treats it as read-only: it hands the same run out for every use of the word.
 * Its embedded-font class is given one memory per parsed font instead, for all documents, so a talon shapes only
 * the words no document had before. Done once, on the class of the first document's font.
 */
function shareShapedWords(font: PdfkitFont): void {
  if (shapingShared) return;
  const proto = Object.getPrototypeOf(font) as PdfkitFont;
  if (typeof proto.layoutCached !== 'function' || typeof proto.layoutRun !== 'function') return;
  shapingShared = true;
  const perDocument = proto.layoutCached;
  proto.layoutCached = function (this: PdfkitFont, text: string) {
    let words = shapedWords.get(this.font);
    if (!words) return perDocument.call(this, text);
    let run = words.get(text);
    if (run === undefined) {
      run = this.layoutRun(text);
      if (words.size >= LAYOUTS_KEPT) shapedWords.set(this.font, (words = new Map()));
      words.set(text, run);
    }
    return run;
  };
}

/** Builds a PDF in memory. `draw` may be async. */
export async function renderPdf(
  options: PdfOptions,
  draw: (doc: PdfDoc) => void | Promise<void>,
): Promise<{ buffer: Buffer; pages: number }> {
  const { PDFDocument } = await loadLibraries();
  const f = sharedFonts();
  const doc = new PDFDocument({
    size: options.size ?? 'A4',
    layout: options.layout ?? 'portrait',
    margin: options.margin ?? 40,
    bufferPages: true,
    info: { Title: options.title, Creator: 'Tirkeu', Producer: 'Tirkeu' },
    // Fixed dates keep identical documents byte-identical apart from content (and make tests deterministic).
    autoFirstPage: true,
    // Our font from the start: pdfkit's default, Helvetica, would otherwise be parsed from its metrics file each time.
    font: f.regular as unknown as string,
  });
  // pdfkit takes a parsed font as it is (PDFFontFactory.open), so no document parses the files again.
  doc.registerFont(FONT, f.regular as unknown as PDFKit.Mixins.PDFFontSource);
  doc.registerFont(BOLD, f.bold as unknown as PDFKit.Mixins.PDFFontSource);
  doc.font(FONT);
  const embeddedFont = (doc as unknown as { _font: PdfkitFont })._font;
  shareShapedWords(embeddedFont);
  shareFontFiles(embeddedFont);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  await draw(doc);
  const range = doc.bufferedPageRange();
  const pages = range.count;
  if (options.footer !== undefined) {
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      footer(doc, options.footer, pages > 1 ? `${i + 1}/${pages}` : '');
    }
  }
  doc.end();
  await ended;
  return { buffer: Buffer.concat(chunks), pages };
}

/** The organization block at the top of a page: name(s) in bold, BIN and address. Returns the y below it. */
export function orgHeader(doc: PdfDoc, org: Organization, langs: readonly Lang[], labels: { bin: string }): number {
  const x = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  doc.font(BOLD).fontSize(10);
  for (const l of langs) doc.text(org.name[l], x, undefined, { width, align: 'center' });
  doc.font(FONT).fontSize(8.5).fillColor('#333333');
  doc.text(`${labels.bin}: ${org.bin} · ${org.address}`, x, undefined, { width, align: 'center' });
  doc.fillColor('black');
  const y = doc.y + 4;
  doc
    .moveTo(x, y)
    .lineTo(x + width, y)
    .lineWidth(0.7)
    .strokeColor('#555555')
    .stroke();
  doc.strokeColor('black');
  doc.y = y + 8;
  return doc.y;
}

/** The citizen-facing line about the call centre (regulations: information through the call centre 1414). */
export function callCentreLine(langs: readonly Lang[]): string {
  const t: Record<Lang, string> = {
    kk: 'Мемлекеттік қызметтер бойынша бірыңғай байланыс орталығы: 1414',
    ru: 'Единый контакт-центр по вопросам оказания государственных услуг: 1414',
    en: 'Public services call centre: 1414',
  };
  return langs.map((l) => t[l]).join(' · ');
}

/** Stamps the footer at the bottom of the current page without flowing onto a new page. */
export function footer(doc: PdfDoc, text: string, pageLabel: string): void {
  const bottom = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  const x = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const y = doc.page.height - Math.max(24, bottom * 0.7);
  doc.font(FONT).fontSize(7.5).fillColor('#444444');
  doc.text(text, x, y, { width: pageLabel ? width - 40 : width, align: pageLabel ? 'left' : 'center', lineBreak: false });
  if (pageLabel) doc.text(pageLabel, x + width - 40, y, { width: 40, align: 'right', lineBreak: false });
  doc.fillColor('black');
  doc.page.margins.bottom = bottom;
}

/** The characters QR's alphanumeric mode holds. */
const QR_ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]*$/;

/**
 * Draws a QR code as vector squares at (x, y), `size` points wide: sharper on any printer than an image, and it
 * spares encoding a PNG only for pdfkit to decode it again (most of a talon's time otherwise).
 */
export function drawQr(doc: PdfDoc, text: string, x: number, y: number, size: number): void {
  // A text with a character only byte mode holds (the verification URLs' lower case) is one byte-mode segment:
  // qrcode's own choice of modes searches every way to split the text (a shortest path over a graph of segments):
  // half the code's cost, and some 150 KB of the 2 MB a talon allocated, for the same symbol size on our URLs. A short
  // upper-case code (the HIV sample's label) keeps the search: there it saves a symbol size on a 15 mm label.
  const segments = QR_ALPHANUMERIC.test(text) ? text : [{ data: Buffer.from(text), mode: 'byte' as const }];
  const qr = loaded().QRCode.create(segments, { errorCorrectionLevel: 'M' });
  doc.save();
  doc.rect(x, y, size, size).fill('#ffffff');
  doc.addContent(qrPath(qr.modules, x, y, size));
  doc.fill('#000000');
  doc.restore();
}

/**
 * The dark modules of a QR code as one PDF path: each row's runs of dark modules one rectangle each (a code of
 * 41×41 modules is some 250 rectangles instead of 800), written as one string. A printout used to draw every
 * module with its own call; that was a fifth of what a talon allocated, and its garbage collections are what
 * made a talon's slowest prints twice its median (issue 18, goal 2).
 */
export function qrPath(
  modules: { size: number; get(row: number, col: number): number | boolean },
  x: number,
  y: number,
  size: number,
): string {
  const n = modules.size;
  const cell = size / (n + 2);
  const f = (v: number) => v.toFixed(3);
  const h = f(cell + 0.05);
  const parts: string[] = [];
  for (let r = 0; r < n; r++) {
    const top = f(y + (r + 1) * cell);
    for (let c = 0; c < n; c++) {
      if (!modules.get(r, c)) continue;
      let end = c + 1;
      while (end < n && modules.get(r, end)) end++;
      parts.push(`${f(x + (c + 1) * cell)} ${top} ${f((end - c) * cell + 0.05)} ${h} re`);
      c = end;
    }
  }
  return parts.join('\n');
}

/** A simple ruled table that continues on new pages with the header repeated. */
export function table(
  doc: PdfDoc,
  columns: { title: string; width: number; align?: 'left' | 'right' | 'center' }[],
  rows: string[][],
  options: { fontSize?: number; headerFill?: string; fit?: boolean } = {},
): void {
  const size = options.fontSize ?? 8;
  const x0 = doc.page.margins.left;
  const total = columns.reduce((s, c) => s + c.width, 0);
  const avail = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const scale = avail / total;
  const pad = 3;
  const widths = options.fit ? fittedWidths(doc, columns, rows, size, avail, pad) : columns.map((c) => c.width * scale);
  const heightOf = (cells: string[], font: string) => {
    doc.font(font).fontSize(size);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i]! - pad * 2 }))) + pad * 2;
  };
  const drawRow = (cells: string[], font: string, fill: string | null) => {
    const h = heightOf(cells, font);
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      drawHeader();
    }
    const y = doc.y;
    let x = x0;
    if (fill) doc.rect(x0, y, avail, h).fill(fill).fillColor('black');
    doc.font(font).fontSize(size);
    cells.forEach((c, i) => {
      doc.text(c, x + pad, y + pad, { width: widths[i]! - pad * 2, align: columns[i]!.align ?? 'left' });
      x += widths[i]!;
    });
    doc.rect(x0, y, avail, h).lineWidth(0.4).strokeColor('#999999').stroke();
    x = x0;
    for (const w of widths.slice(0, -1)) {
      x += w;
      doc
        .moveTo(x, y)
        .lineTo(x, y + h)
        .stroke();
    }
    doc.strokeColor('black');
    doc.x = x0;
    doc.y = y + h;
  };
  const drawHeader = () =>
    drawRow(
      columns.map((c) => c.title),
      BOLD,
      options.headerFill ?? '#eeeeee',
    );
  drawHeader();
  for (const r of rows) drawRow(r, FONT, null);
}

/**
 * Column widths that never break a word: each column is at least as wide as its longest word (an IIN, a date, a
 * header word, a number), and the room left is shared by how much longer each column's text runs. The given widths
 * only weigh the share when the words alone already fill the page (then they are scaled as before).
 */
/** Points of room beyond a word's measured width: PDFKit's line breaking needs a little. */
const SLACK = 4;

function fittedWidths(
  doc: PdfDoc,
  columns: { title: string; width: number }[],
  rows: string[][],
  size: number,
  avail: number,
  pad: number,
): number[] {
  const words = (s: string) => s.split(/\s+/).filter(Boolean);
  const widest = (texts: string[], font: string) => {
    doc.font(font).fontSize(size);
    return Math.max(0, ...texts.map((t) => doc.widthOfString(t)));
  };
  const min = columns.map(
    (c, i) =>
      Math.max(
        widest(words(c.title), BOLD),
        widest(
          rows.flatMap((r) => words(r[i] ?? '')),
          FONT,
        ),
      ) +
      pad * 2 +
      SLACK,
  );
  // How much each column would like: its longest cell on one line (capped, so one long complaint does not win all).
  const want = columns.map((c, i) =>
    Math.min(
      Math.max(
        min[i]!,
        widest(
          rows.map((r) => r[i] ?? ''),
          FONT,
        ) +
          pad * 2 +
          SLACK,
      ),
      avail / 3,
    ),
  );
  const minSum = min.reduce((a, b) => a + b, 0);
  if (minSum >= avail) {
    const total = columns.reduce((s, c) => s + c.width, 0);
    return columns.map((c) => (c.width * avail) / total);
  }
  const extra = want.map((w, i) => w - min[i]!);
  const extraSum = extra.reduce((a, b) => a + b, 0);
  const room = avail - minSum;
  if (extraSum <= room) {
    // Everything fits on one line: the rest goes to the widest columns by their share.
    const base = want.reduce((a, b) => a + b, 0);
    return want.map((w) => w + ((avail - base) * w) / base);
  }
  return min.map((m, i) => m + (room * extra[i]!) / extraSum);
}

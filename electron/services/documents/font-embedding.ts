/**
 * The fonts embedded in a printout, written once per process instead of once per document (issue 18, goal 2).
 *
 * pdfkit embeds in every document the subset of each font that the document used: the glyphs collected while its
 * text was laid out, numbered in the order they first appeared, then the subset encoded as a TrueType file and
 * compressed. For a certificate that was some 2 ms of its 5 ms and a third of what it allocated (0.5 MB), for the
 * same few hundred letters every time. Here each document's subset starts with the same glyphs, in the same
 * order: every letter, digit and sign of the Kazakh, Russian and English alphabets (`BASE_TEXT`). A document whose
 * text uses only those (nearly all) has the same subset as any other, and its font file is the one compressed
 * before; a glyph beyond them (a name in another script, a shaped ligature) comes after them and makes a subset of
 * its own, kept too. Each font file is some 20 KB larger than a document's own subset was; the text layer
 * (ToUnicode, what copy and `pdftotext` read) maps every glyph as before.
 *
 * This reaches into pdfkit's EmbeddedFont (its `subset`, `widths`, `unicode`, `embed`), which pdfkit does not
 * document; the version is pinned in package-lock.json, and the tests read every printout back with `pdftotext`
 * and check the font files with `pdffonts`.
 */
import zlib from 'node:zlib';

/** Every character whose glyph each subset starts with. */
const BASE_TEXT =
  ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~' +
  'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя' +
  'ӘәҒғҚқҢңӨөҰұҮүҺһІі' +
  '«»–—№…‘’“”•·°×';

/** Subsets kept per font: beyond this the memory starts again. */
const SUBSETS_KEPT = 64;

interface Glyph {
  id: number;
  advanceWidth: number;
}
interface Font {
  glyphForCodePoint(codePoint: number): Glyph;
}
interface Subset {
  glyphs: number[];
  includeGlyph(id: number): number;
  encode(): Uint8Array;
  cff?: unknown;
}
interface Reference {
  data: Record<string, unknown>;
  compress: boolean;
}
/** The part of pdfkit's embedded font (one object per font and document) that this touches. */
interface EmbeddedFont {
  font: Font;
  subset: Subset;
  widths: Array<number | undefined>;
  unicode: Array<number[] | undefined>;
  scale: number;
  document: { ref(data?: object): Reference; compress: boolean };
  encode(text: string, features?: unknown): unknown;
  embed(): unknown;
}

/** Each font's compressed subset files, by the subset's glyphs. */
const embedded = new WeakMap<Font, Map<string, Buffer>>();
const started = new WeakSet<EmbeddedFont>();
let patched = false;

/** Starts a document's subset with the base glyphs, their widths and characters, before its first text. */
function startSubset(font: EmbeddedFont): void {
  started.add(font);
  for (const char of BASE_TEXT) {
    const codePoint = char.codePointAt(0)!;
    const glyph = font.font.glyphForCodePoint(codePoint);
    if (glyph.id === 0) continue; // the font lacks it
    const gid = font.subset.includeGlyph(glyph.id);
    font.widths[gid] ??= glyph.advanceWidth * font.scale;
    font.unicode[gid] ??= [codePoint];
  }
}

/**
 * Makes pdfkit's embedded fonts start their subsets with the base glyphs and reuse compressed subset files. Done
 * once, on the class of the first document's font.
 */
export function shareFontFiles(font: unknown): void {
  if (patched) return;
  const proto = Object.getPrototypeOf(font) as EmbeddedFont;
  if (typeof proto.encode !== 'function' || typeof proto.embed !== 'function') return;
  patched = true;
  const encode = proto.encode;
  const embed = proto.embed;
  proto.encode = function (this: EmbeddedFont, text, features) {
    if (!started.has(this)) startSubset(this);
    return encode.call(this, text, features);
  };
  proto.embed = function (this: EmbeddedFont) {
    if (this.subset.cff != null || !this.document.compress) return embed.call(this);
    let files = embedded.get(this.font);
    if (!files) embedded.set(this.font, (files = new Map()));
    const key = this.subset.glyphs.join(',');
    let file = files.get(key);
    if (!file) {
      file = zlib.deflateSync(this.subset.encode());
      if (files.size >= SUBSETS_KEPT) files.clear();
      files.set(key, file);
    }
    const compressed = file;
    // pdfkit's embed makes the font file its first reference and ends it with the subset's bytes: that reference
    // takes the compressed file as it is, marked as such, and the subset is not encoded again.
    const document = this.document;
    const ref = document.ref;
    const ownRef = Object.prototype.hasOwnProperty.call(document, 'ref');
    let first = true;
    document.ref = function (this: typeof document, data?: object) {
      const reference = ref.call(this, data);
      if (first) {
        first = false;
        reference.compress = false;
        reference.data.Filter = 'FlateDecode';
      }
      return reference;
    };
    const subsetEncode = this.subset.encode;
    this.subset.encode = () => compressed;
    try {
      return embed.call(this);
    } finally {
      if (ownRef) document.ref = ref;
      else delete (document as { ref?: unknown }).ref;
      this.subset.encode = subsetEncode;
    }
  };
}

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
 * (ToUnicode, what copy and `pdftotext` read) maps every glyph as before, and is kept with its font file.
 *
 * This reaches into pdfkit's EmbeddedFont (its `subset`, `widths`, `unicode`, `embed`, `toUnicodeCmap`), which
 * pdfkit does not document; the version is pinned in package-lock.json, and the tests read every printout back with `pdftotext`
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

/** What `cache` keeps for `font` under `key`, made (and kept, at most SUBSETS_KEPT per font) when it has none. */
function kept(cache: WeakMap<Font, Map<string, Buffer>>, font: Font, key: string, make: () => Buffer): Buffer {
  let byKey = cache.get(font);
  if (!byKey) cache.set(font, (byKey = new Map()));
  let value = byKey.get(key);
  if (!value) {
    value = make();
    if (byKey.size >= SUBSETS_KEPT) byKey.clear();
    byKey.set(key, value);
  }
  return value;
}

interface Glyph {
  id: number;
  advanceWidth: number;
}
interface Font {
  glyphForCodePoint(codePoint: number): Glyph;
}
interface Subset {
  glyphs: number[];
  mapping: Record<number, number>;
  includeGlyph(id: number): number;
  encode(): Uint8Array;
  cff?: unknown;
}
interface Reference {
  data: Record<string, unknown>;
  compress: boolean;
  end(chunk?: string | Uint8Array): void;
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
  toUnicodeCmap(): Reference;
}

/** Each font's compressed subset files, by the subset's glyphs. */
const embedded = new WeakMap<Font, Map<string, Buffer>>();
const started = new WeakSet<EmbeddedFont>();
/** Documents' fonts whose subset began as a copy of the font's start (startSubset). */
const copiedStart = new WeakSet<EmbeddedFont>();
/** A document's font as it is embedded: its subset's glyphs, as the key of its font file. */
const embedding = new WeakMap<EmbeddedFont, string>();
/** Each font's compressed text layers (ToUnicode maps), by the subset's glyphs and their characters past the start. */
const textLayers = new WeakMap<Font, Map<string, Buffer>>();
let patched = false;

/** A subset's start, the same for every document of a font: its glyphs, their numbers, widths and characters. */
interface SubsetStart {
  glyphs: number[];
  mapping: Record<number, number>;
  widths: Array<number | undefined>;
  unicode: Array<number[] | undefined>;
}
const starts = new WeakMap<Font, SubsetStart>();

/**
 * Starts a document's subset with the base glyphs, their widths and characters, before its first text. They are
 * worked out for the first document of each font; every later one copies them (laying them out again for each
 * document allocated as much as the subset file it saved). A subset looks its glyphs up in `mapping`: each
 * document's inherits the start's and adds its own.
 */
function startSubset(font: EmbeddedFont): void {
  started.add(font);
  // pdfkit has put the missing glyph alone in a new subset: anything else and the start is not this one's to copy.
  if (font.subset.glyphs.length !== 1) return includeBase(font);
  let start = starts.get(font.font);
  if (!start) {
    includeBase(font);
    start = {
      glyphs: font.subset.glyphs.slice(),
      mapping: { ...font.subset.mapping },
      widths: font.widths.slice(),
      unicode: font.unicode.slice(),
    };
    starts.set(font.font, start);
    return;
  }
  copiedStart.add(font);
  font.subset.glyphs = start.glyphs.slice();
  font.subset.mapping = Object.create(start.mapping) as Record<number, number>;
  font.widths = start.widths.slice();
  font.unicode = start.unicode.slice();
}

function includeBase(font: EmbeddedFont): void {
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
    const key = this.subset.glyphs.join(',');
    embedding.set(this, key);
    const compressed = kept(embedded, this.font, key, () => zlib.deflateSync(this.subset.encode()));
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
  const toUnicodeCmap = proto.toUnicodeCmap;
  if (typeof toUnicodeCmap !== 'function') return;
  // The text layer of a font file: pdfkit writes it out of the subset's characters and compresses it for every
  // document (a tenth of what a certificate allocated once its subsets began with the alphabets). Its map is kept
  // with the font file's key and the characters of the glyphs past the start, which alone can differ.
  proto.toUnicodeCmap = function (this: EmbeddedFont) {
    const key = embedding.get(this);
    const start = starts.get(this.font);
    if (key === undefined || !start || !copiedStart.has(this)) return toUnicodeCmap.call(this);
    let past = '';
    for (let gid = start.glyphs.length; gid < this.unicode.length; gid++) past += `${this.unicode[gid]?.join(' ') ?? ''};`;
    const layer = kept(textLayers, this.font, `${key}|${past}`, () => {
      // pdfkit's own map, collected from the reference it writes it to (it reads only `unicode` and `document.ref`).
      let text = '';
      const collector = { data: {}, compress: false, end: (chunk?: string | Uint8Array) => void (text = String(chunk)) };
      toUnicodeCmap.call({ unicode: this.unicode, document: { ref: () => collector } } as unknown as EmbeddedFont);
      // As pdfkit writes a text chunk: its characters as bytes, and a line break.
      return zlib.deflateSync(Buffer.from(`${text}\n`, 'latin1'));
    });
    // A reference made with its filter named is not compressed again by pdfkit.
    const cmap = this.document.ref({ Filter: 'FlateDecode' });
    cmap.end(layer);
    return cmap;
  };
}

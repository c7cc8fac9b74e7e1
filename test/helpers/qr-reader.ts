/**
 * Reads the QR codes printed on a PDF page the way a phone would see them: the page rendered to pixels by poppler
 * (pdftoppm) and each part of it searched by jsQR. A test that compares the text read back with what was meant to
 * be printed does not depend on how the code was drawn.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';

/** A part of the page as fractions of its width and height (jsQR finds one code per image). */
export interface PagePart {
  left: number;
  top: number;
  width: number;
  height: number;
}

export const WHOLE_PAGE: PagePart = { left: 0, top: 0, width: 1, height: 1 };

/** The text of the QR code found in each part of `page` (1-based) of the PDF, or null where none was read. */
export function readQrCodes(pdf: Buffer, parts: readonly PagePart[] = [WHOLE_PAGE], page = 1, dpi = 150): Array<string | null> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-qr-'));
  try {
    const file = path.join(dir, 'page.pdf');
    fs.writeFileSync(file, pdf);
    execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', file, path.join(dir, 'page')]);
    const image = readPpm(fs.readFileSync(path.join(dir, 'page.ppm')));
    return parts.map((part) => {
      const crop = cropRgba(image, part);
      return jsQR(crop.data, crop.width, crop.height)?.data ?? null;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Rgb {
  width: number;
  height: number;
  pixels: Buffer;
}

/** A binary PPM (P6, 8 bits per channel), as pdftoppm writes by default. */
function readPpm(data: Buffer): Rgb {
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(data.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('qr-reader: not an 8-bit P6 image');
  const [width, height] = [Number(header[1]), Number(header[2])];
  return { width, height, pixels: data.subarray(header[0].length, header[0].length + width * height * 3) };
}

function cropRgba({ width, height, pixels }: Rgb, part: PagePart): { data: Uint8ClampedArray; width: number; height: number } {
  const x0 = Math.floor(part.left * width);
  const y0 = Math.floor(part.top * height);
  const w = Math.min(width - x0, Math.round(part.width * width));
  const h = Math.min(height - y0, Math.round(part.height * height));
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const from = ((y0 + y) * width + x0 + x) * 3;
      const to = (y * w + x) * 4;
      data[to] = pixels[from]!;
      data[to + 1] = pixels[from + 1]!;
      data[to + 2] = pixels[from + 2]!;
      data[to + 3] = 255;
    }
  return { data, width: w, height: h };
}

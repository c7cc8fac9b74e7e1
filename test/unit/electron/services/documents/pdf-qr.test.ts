/**
 * The QR code on every printout is one PDF path of rectangles, one per run of dark modules in a row
 * (documents/pdf.ts qrPath): read back, the rectangles must cover exactly the dark modules of the code qrcode
 * computed, so a phone reads the same URL as before.
 */
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrPath } from '../../../../../electron/services/documents/pdf';

/** The path's rectangles painted onto the module grid: which modules' centres they cover. */
function paint(path: string, n: number, x: number, y: number, size: number): boolean[][] {
  const cell = size / (n + 2);
  const grid = Array.from({ length: n }, () => Array<boolean>(n).fill(false));
  for (const line of path.split('\n')) {
    const m = /^(\S+) (\S+) (\S+) (\S+) re$/.exec(line);
    if (!m) throw new Error(`not a rectangle: ${line}`);
    const [rx, ry, rw, rh] = m.slice(1).map(Number) as [number, number, number, number];
    for (let r = 0; r < n; r++)
      for (let c = 0; c < n; c++) {
        const cx = x + (c + 1.5) * cell;
        const cy = y + (r + 1.5) * cell;
        if (cx > rx && cx < rx + rw && cy > ry && cy < ry + rh) grid[r]![c] = true;
      }
  }
  return grid;
}

describe('the QR code of a printout', () => {
  it.each([
    ['a verification URL', 'https://verify.example.kz/v/T-2026-000123/7K3MQ9XAB2CD4EF5'],
    ['a certificate hash', 'C-2026-0042;sha256=' + 'ab'.repeat(32)],
    ['an anonymous code', 'HIV-7Q2M;S-0001'],
  ])('draws every dark module of %s and nothing else, in one rectangle per run', (_what, text) => {
    const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    const [x, y, size] = [420.5, 61.25, 96];
    const path = qrPath(qr.modules, x, y, size);
    const expected = Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => !!qr.modules.get(r, c)));
    expect(paint(path, n, x, y, size)).toEqual(expected);

    const dark = expected.flat().filter(Boolean).length;
    const runs = expected.reduce((sum, row) => sum + row.filter((d, c) => d && !row[c - 1]).length, 0);
    expect(path.split('\n')).toHaveLength(runs);
    expect(runs).toBeLessThan(dark * 0.75);
  });
});

/** The register import's reading in pieces (electron/services/dispensary/register-import.ts csvPieces). */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvPieces } from '../../../../../electron/services/dispensary/register-import';

const quotes = (s: string) => s.split('"').length - 1;

describe('a register file read in pieces', () => {
  it('cuts only after a line break outside quotes, so the pieces parse into the same rows as the whole', () => {
    const lines = ['iin,from_date,note'];
    for (let i = 0; i < 400; i++)
      lines.push(i % 7 === 3 ? `${i},2015-01-01,"a note ""${i}""\non two lines, and a comma"` : `${i},2015-01-01,`);
    const text = lines.join('\n') + '\n';
    // A size asked again for each piece, as the import's timed pieces are.
    const varying = () => {
      let k = 0;
      return () => [1, 50, 7, 300, 0][k++ % 5]!;
    };
    for (const size of [1, 10, 64, 1000, text.length, text.length * 2, varying()]) {
      const pieces = [...csvPieces(text, size)];
      expect(pieces.join('')).toBe(text);
      for (const p of pieces) {
        expect(p.endsWith('\n') || p === pieces.at(-1)).toBe(true);
        expect(quotes(p) % 2).toBe(0);
      }
      const rows = pieces.flatMap((p) => Papa.parse<string[]>(p).data.filter((r) => !(r.length === 1 && r[0] === '')));
      expect(rows).toEqual(Papa.parse<string[]>(text).data.filter((r) => !(r.length === 1 && r[0] === '')));
      if (typeof size === 'function' || size <= 64) expect(pieces.length).toBeGreaterThan(50);
    }
  });

  it('keeps a last line without a line break, and gives nothing for an empty text', () => {
    expect([...csvPieces('a,b\nc,d', 2)]).toEqual(['a,b\n', 'c,d']);
    expect([...csvPieces('', 2)]).toEqual([]);
  });
});

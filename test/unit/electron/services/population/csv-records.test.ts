/** The import's CSV reader agrees with papaparse on every shape of record, however the text is cut into chunks. */
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvChunkParser } from '../../../../../electron/services/population/csv-records';

function parseInChunks(text: string, cuts: number[]): string[][] {
  const parser = csvChunkParser();
  const rows: string[][] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    rows.push(...parser.push(text.slice(at, cut)));
    at = cut;
  }
  rows.push(...parser.push(text.slice(at)));
  rows.push(...parser.end());
  return rows;
}

const papa = (text: string) => Papa.parse<string[]>(text, { skipEmptyLines: false }).data;

describe('CSV records in chunks', () => {
  it('reads plain and quoted fields, doubled quotes, commas and line breaks inside quotes, CRLF', () => {
    const text = 'iin,surname,address\r\n1,Әлі,"Астана, Абай 10"\r\n2,"О""Нил","две\nстроки"\n3,,\n\n4,x,"конец"';
    expect(parseInChunks(text, [])).toEqual([
      ['iin', 'surname', 'address'],
      ['1', 'Әлі', 'Астана, Абай 10'],
      ['2', 'О"Нил', 'две\nстроки'],
      ['3', '', ''],
      [''],
      ['4', 'x', 'конец'],
    ]);
    // Cut anywhere, the same records.
    for (let cut = 1; cut < text.length; cut++) expect(parseInChunks(text, [cut])).toEqual(parseInChunks(text, []));
  });

  it('property: the same records as papaparse, cut anywhere', () => {
    const field = fc.oneof(
      fc.string({ unit: fc.constantFrom('а', 'Ә', '1', ' ', '-'), maxLength: 6 }),
      fc.string({ unit: fc.constantFrom('а', ',', '"', '\n', ' '), maxLength: 6 }).map((s) => `"${s.replace(/"/g, '""')}"`),
    );
    const record = fc.array(field, { minLength: 1, maxLength: 4 }).map((fs) => fs.join(','));
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.boolean(),
        (recs, cuts, crlf) => {
          const text = recs.join(crlf ? '\r\n' : '\n') + '\n';
          fc.pre(text.trim() !== ''); // papaparse reads an empty text as no record at all
          expect(
            parseInChunks(
              text,
              cuts.map((c) => c % (text.length + 1)),
            ),
          ).toEqual(papa(text.slice(0, -1)));
        },
      ),
    );
  });
});

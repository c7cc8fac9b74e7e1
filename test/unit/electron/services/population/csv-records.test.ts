/**
 * The import's CSV reader agrees with papaparse on every shape of record, however the bytes are cut into chunks
 * (inside a character too); and its UTF-8 check agrees with a fatal TextDecoder.
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvRecords, utf8Checker } from '../../../../../electron/services/population/csv-records';

/** The records of `text`'s UTF-8 bytes cut at the byte offsets `cuts`, each field decoded. */
function parseInChunks(text: string, cuts: number[]): string[][] {
  const bytes = Buffer.from(text);
  const parser = csvRecords();
  const rows: string[][] = [];
  const sink = (buf: Buffer, starts: readonly number[], ends: readonly number[]) =>
    rows.push(starts.map((s, i) => buf.toString('utf8', s, ends[i])));
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    parser.push(bytes.subarray(at, cut), sink);
    at = cut;
  }
  parser.push(bytes.subarray(at), sink);
  parser.end(sink);
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
    for (let cut = 1; cut < Buffer.byteLength(text); cut++) expect(parseInChunks(text, [cut])).toEqual(parseInChunks(text, []));
  });

  it('keeps text after a closing quote in the field, and runs an unclosed quote to the end of the file', () => {
    expect(parseInChunks('1,"ab"cd,x\n2,"a""b"c\r\n3,"open,\nto the end', [])).toEqual([
      ['1', 'abcd', 'x'],
      ['2', 'a"bc'],
      ['3', 'open,\nto the end'],
    ]);
  });

  it('tells whether the bytes so far end inside a record', () => {
    const parser = csvRecords();
    const none = () => {};
    parser.push(Buffer.from('1,"a\n'), none);
    expect(parser.pending()).toBe(true);
    parser.push(Buffer.from('b",c\n'), none);
    expect(parser.pending()).toBe(false);
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
              cuts.map((c) => c % (Buffer.byteLength(text) + 1)),
            ),
          ).toEqual(papa(text.slice(0, -1)));
        },
      ),
    );
  });
});

describe('the UTF-8 check of bytes in chunks', () => {
  const check = (bytes: Buffer, cuts: number[]) => {
    const checker = utf8Checker();
    let at = 0;
    let ok = true;
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      ok = checker.push(bytes.subarray(at, cut)) && ok;
      at = cut;
    }
    ok = checker.push(bytes.subarray(at)) && ok;
    return ok && checker.end();
  };
  const fatal = (bytes: Buffer) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      return true;
    } catch {
      return false;
    }
  };

  it('property: the verdict of a fatal TextDecoder, cut anywhere (inside a character too)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'Ә', 'ж', '€', '😀', ','), maxLength: 12 }).map((t) => Buffer.from(t));
    const damaged = fc.tuple(text, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([b, at, byte]) => {
      if (b.length) b[at % b.length] = byte;
      return b;
    });
    fc.assert(
      fc.property(fc.oneof(text, damaged), fc.array(fc.nat(), { maxLength: 4 }), (bytes, cuts) => {
        expect(
          check(
            bytes,
            cuts.map((c) => c % (bytes.length + 1)),
          ),
        ).toBe(fatal(bytes));
      }),
    );
  });

  it('refuses a file that ends inside a character', () => {
    expect(check(Buffer.from('Ә').subarray(0, 1), [])).toBe(false);
    expect(check(Buffer.from('Әлі'), [1, 3])).toBe(true);
  });
});

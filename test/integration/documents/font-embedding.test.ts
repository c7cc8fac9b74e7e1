/**
 * The printouts' embedded fonts (electron/services/documents/font-embedding.ts): documents whose text keeps to the
 * Kazakh, Russian and English alphabets embed one and the same font file per font, written once per process; a
 * document with a letter beyond them gets a font file of its own, and every letter reads back with `pdftotext`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { certificatePdf } from '../../../electron/services/dispensary/documents';
import { certificateDocument } from '../../helpers/certificate-document';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tirkeu-fonts-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function printed(name: string, n: number): Promise<Buffer> {
  const signers = [{ position: { kk: 'тіркеуші', ru: 'регистратор' }, name: 'Жұмабаев Асқар', signedAt: '2026-03-10T04:00:00Z' }];
  return Buffer.from(
    (
      await certificatePdf(
        certificateDocument(n, { iin: '850301400215', name, birthDate: '1985-03-01' }),
        'ab'.repeat(32),
        signers,
        'kk',
        'Asia/Atyrau',
      )
    ).base64,
    'base64',
  );
}

/** The embedded font files of a PDF (pdfkit writes each object whole), by font name without its subset tag. */
function fontFiles(pdf: Buffer): Map<string, Buffer> {
  const text = pdf.toString('latin1');
  const objects = new Map<string, { dict: string; start: number }>();
  for (const m of text.matchAll(/(\d+) 0 obj\s*<<([\s\S]*?)>>\s*(stream\r?\n)?/g))
    objects.set(m[1]!, { dict: m[2]!, start: m.index! + m[0].length });
  const files = new Map<string, Buffer>();
  for (const { dict } of objects.values()) {
    const file = /\/FontFile2 (\d+) 0 R/.exec(dict)?.[1];
    const name = /\/FontName \/[A-Z]{6}\+(\S+)/.exec(dict)?.[1];
    if (!file || !name) continue;
    const stream = objects.get(file)!;
    const length = Number(/\/Length (\d+)/.exec(stream.dict)![1]);
    files.set(name, pdf.subarray(stream.start, stream.start + length));
  }
  return files;
}

function pdfText(pdf: Buffer): string {
  const file = path.join(dir, `f-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

/** pdffonts' account of the fonts: each embedded, a subset, with a text layer ("emb sub uni": yes yes yes). */
function fontsListed(pdf: Buffer): string[] {
  const file = path.join(dir, `l-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdffonts', [file], { encoding: 'utf8' })
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((line) =>
      line
        .replace(/^[A-Z]{6}\+/, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
}

describe('the fonts embedded in printouts', () => {
  it('is one font file per font for documents in the three alphabets, whatever their names', async () => {
    const first = await printed('Құрманғазиева Әйгерім Өмірқызы', 1);
    const second = await printed('Щербакова Юлия Эдуардовна', 2);
    const third = await printed('Smith John', 3);
    const files = [first, second, third].map(fontFiles);
    expect([...files[0]!.keys()].sort()).toEqual(['DejaVuSans', 'DejaVuSans-Bold']);
    for (const font of ['DejaVuSans', 'DejaVuSans-Bold']) {
      expect(files[1]!.get(font)!.equals(files[0]!.get(font)!)).toBe(true);
      expect(files[2]!.get(font)!.equals(files[0]!.get(font)!)).toBe(true);
    }
    expect(pdfText(first)).toContain('Құрманғазиева Әйгерім Өмірқызы');
    expect(pdfText(second)).toContain('Щербакова Юлия Эдуардовна');
    expect(pdfText(third)).toContain('Smith John');
    for (const pdf of [first, second, third])
      expect(fontsListed(pdf)).toEqual([
        expect.stringMatching(/^DejaVuSans-Bold CID TrueType Identity-H yes yes yes /),
        expect.stringMatching(/^DejaVuSans CID TrueType Identity-H yes yes yes /),
      ]);
  });

  it('gives a name with letters beyond them a font file of its own, and keeps every letter of it', async () => {
    const usual = fontFiles(await printed('Құрманғазиева Әйгерім', 4)).get('DejaVuSans')!;
    const pdf = await printed('Müller Zoë Σοφία', 5);
    expect(fontFiles(pdf).get('DejaVuSans')!.equals(usual)).toBe(false);
    expect(pdfText(pdf)).toContain('Müller Zoë Σοφία');
    // And the next usual document is back on the shared file.
    expect(
      fontFiles(await printed('Серікбаев Ерлан', 6))
        .get('DejaVuSans')!
        .equals(usual),
    ).toBe(true);
  });
});

/** Every text exists in Kazakh, Russian and English, and every API error code can be told to the user. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../common/errors';
import { GROUND_DETAIL_CODES } from '../../../common/portal-answering';
import en from '../../../renderer/src/i18n/en';
import kk from '../../../renderer/src/i18n/kk';
import ru from '../../../renderer/src/i18n/ru';
import erequests from '../../../renderer/src/i18n/features/erequests';

function keys(obj: unknown, prefix = ''): string[] {
  if (obj === null || typeof obj !== 'object') return [prefix];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

const featuresDir = path.join(__dirname, '../../../renderer/src/i18n/features');

describe('UI texts', () => {
  it('the three languages have the same keys', () => {
    expect(keys(ru).sort()).toEqual(keys(kk).sort());
    expect(keys(en).sort()).toEqual(keys(kk).sort());
  });

  it('every feature area has the same keys in the three languages', async () => {
    for (const file of fs.readdirSync(featuresDir).filter((f) => f.endsWith('.ts'))) {
      const mod = (await import(path.join(featuresDir, file))).default as Record<'kk' | 'ru' | 'en', unknown>;
      expect(keys(mod.ru).sort(), file).toEqual(keys(mod.kk).sort());
      expect(keys(mod.en).sort(), file).toEqual(keys(mod.kk).sort());
    }
  });

  it('every error code has a text in every language', () => {
    for (const lang of [kk, ru, en]) {
      const missing = ERROR_CODES.filter((c) => !(c in lang.errors));
      expect(missing, `missing in ${lang.lang.label}`).toEqual([]);
    }
  });

  it('no text is empty', () => {
    for (const lang of [kk, ru, en]) {
      const empty = keys(lang).filter((k) => k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], lang) === '');
      expect(empty).toEqual([]);
    }
  });

  it('every e-request ground detail the main process gives has its text, and kk/ru say it without English words', () => {
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const details: Record<string, string> = erequests[lang].details;
      // A failed signature is told by its reason codes (erequests.verification), not by a text of its own.
      const missing = GROUND_DETAIL_CODES.filter((c) => c !== 'signature-bad' && !details[c]);
      expect(missing, `missing in ${lang}`).toEqual([]);
      if (lang === 'en') continue;
      for (const c of GROUND_DETAIL_CODES.filter((x) => details[x])) {
        // Parameters ({doctor}, {date}…) are names and numbers; the words around them are the language's own.
        expect(details[c]!.replace(/\{[a-zA-Z]+\}/g, ''), `${lang}: ${c}`).not.toMatch(/[A-Za-z]/);
      }
    }
  });
});

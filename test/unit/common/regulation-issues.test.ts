/** A refused regulation file's problems in the administrator's language: codes with parameters, words in kk/ru/en. */
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES, issueText } from '../../../common/regulation-issues';
import { validateDefinitionSet } from '../../../common/regulations';
import { LANGUAGES } from '../../../common/roles';

const PARAMS = {
  id: 'step-x',
  other: 'steps[0]',
  role: 'doctor',
  actor: 'doctor',
  channel: 'fax',
  kind: 'refusal',
  service: 'attachment',
  keys: 'extra',
  file: '../x.json',
  key: 'astana/x',
  from: '2026-01-01',
  to: '2025-01-01',
  otherFrom: '2025-01-01',
  otherTo: '',
  expected: 'string',
  detail: 'Invalid input',
};

describe('regulation file problems', () => {
  it('every code has its words in the three languages; kk and ru use no Latin word but the file’s own names', () => {
    for (const code of ISSUE_CODES)
      for (const lang of LANGUAGES) {
        const text = issueText(code, PARAMS, lang);
        expect(text.length, `${code} ${lang}`).toBeGreaterThan(3);
        // The file's identifiers are quoted «…», as written in the file.
        // So are the parameters (paths, field names) and the format's name, JSON.
        let words = text.replace(/«[^»]*»/g, '').replace(/\bJSON\b/g, '');
        for (const v of Object.values(PARAMS)) words = words.split(v).join('');
        if (lang !== 'en') expect(words, `${code} ${lang}`).not.toMatch(/[A-Za-z]/);
      }
  });

  it('a broken definition reports codes with parameters, and the English for the log from the same texts', () => {
    const r = validateDefinitionSet([
      { file: 'bad.json', data: { id: 'x' } },
      { file: 'bad.json', data: {} },
    ]);
    expect(r.ok).toBe(false);
    const issues = r.ok ? [] : r.issues;
    expect(issues.find((i) => i.code === 'file-twice')).toMatchObject({ file: 'bad.json', message: 'the same file is listed twice' });
    const missing = issues.find((i) => i.code === 'missing')!;
    expect(missing.message).toMatch(/^missing/);
    expect(issueText(missing.code, missing.params, 'ru')).toBe('поле не указано');
    expect(issues.every((i) => ISSUE_CODES.includes(i.code))).toBe(true);
  });
});

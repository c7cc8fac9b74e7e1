/** The Administration screen's sizes, numbers and instants: one format per language, the organization's zone. */
import '../browser-globals';
import { describe, expect, it } from 'vitest';
import { instantText, numberText, sizeText } from '../../../../renderer/src/admin/format';
import { i18n } from '../../../../renderer/src/i18n';

const at = (lang: 'kk' | 'ru' | 'en') => (i18n.global.locale.value = lang);

describe('administration formats', () => {
  it('sizes in binary units with the language’s decimal mark and unit', () => {
    at('ru');
    expect(sizeText(512)).toBe('512 Б');
    expect(sizeText(1536)).toBe('1,5 КБ');
    expect(sizeText(468 * 1024)).toBe('468 КБ');
    expect(sizeText(3.25 * 1024 ** 3)).toBe('3,3 ГБ');
    at('en');
    expect(sizeText(1536)).toBe('1.5 KB');
    at('kk');
    expect(sizeText(20 * 1024 ** 2)).toBe('20 МБ');
  });

  it('numbers and instants per language, in the given zone', () => {
    at('ru');
    expect(numberText(0.04, 1)).toBe('0,0');
    expect(instantText('2026-12-05T20:30:00Z', 'Asia/Almaty')).toBe('06.12.2026, 01:30');
    expect(instantText(null, 'Asia/Almaty')).toBe('—');
    at('kk');
    expect(instantText('2026-12-05T20:30:00Z', 'Asia/Almaty')).toBe('06.12.2026, 01:30');
    at('en');
    expect(instantText('2026-12-05T20:30:00Z', 'Asia/Almaty')).toBe('06/12/2026, 01:30');
  });
});

/** One date-time format per language on every screen (issue 16, point 3): Kazakh as on the clinic's papers. */
import '../browser-globals';
import { describe, expect, it } from 'vitest';
import { i18n } from '../../../../renderer/src/i18n';
import { dateTimeText, timeText } from '../../../../renderer/src/workflow/format';

const at = (lang: 'kk' | 'ru' | 'en') => (i18n.global.locale.value = lang);

describe('workflow formats', () => {
  it('writes instants dd.mm.yyyy in Kazakh and Russian, in the organization’s zone', () => {
    for (const lang of ['kk', 'ru'] as const) {
      at(lang);
      expect(dateTimeText('2026-12-05T20:30:00Z', 'Asia/Almaty')).toBe('06.12.2026, 01:30');
      expect(timeText('2026-12-05T20:30:05Z', 'Asia/Almaty')).toBe('01:30:05');
    }
    at('en');
    expect(dateTimeText('2026-12-05T20:30:00Z', 'Asia/Almaty')).toBe('06/12/2026, 01:30');
    expect(dateTimeText(null, 'Asia/Almaty')).toBe('');
  });
});

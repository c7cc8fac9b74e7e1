/** An error from the main process in the user's language: a wrong field by the name the user knows, never its key. */
import './browser-globals';
import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../../renderer/src/api/client';
import { errorText } from '../../../renderer/src/errors';
import { i18n } from '../../../renderer/src/i18n';

const at = (lang: 'kk' | 'ru' | 'en') => (i18n.global.locale.value = lang);
const invalid = (...fields: string[]) => new ApiCallError({ code: 'validation', message: 'x', fields });

describe('errorText', () => {
  it('names wrong fields by their labels in kk, ru and en, and leaves out keys it has no label for', () => {
    at('ru');
    expect(errorText(invalid('iin', 'slotStart', 'slots.0.start'))).toBe('Данные заполнены неверно: ИИН, Время приёма');
    at('kk');
    expect(errorText(invalid('birthDate', 'givenName'))).toBe('Деректер дұрыс толтырылмаған: Туған күні, Аты');
    expect(errorText(invalid('windowFrom', 'windowTo'))).toBe('Деректер дұрыс толтырылмаған: Бару уақыты');
    at('en');
    expect(errorText(invalid('serverUrl'))).toBe('Some fields are wrong: Server address');
  });

  it('says the general sentence when no field has a label (no argument key on the screen)', () => {
    for (const lang of ['kk', 'ru'] as const) {
      at(lang);
      const text = errorText(invalid('offset', '(arguments)'));
      expect(text).not.toMatch(/[A-Za-z]/);
      expect(text).toBe(i18n.global.t('errors.validationGeneral'));
    }
  });
});

import { createI18n } from 'vue-i18n';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '../../../common/roles';
import en from './en';
import kk from './kk';
import ru from './ru';

const DEVICE_LANGUAGE_KEY = 'tirkeu.language';

/** Before anyone logs in, the language last used on this device; after login, the user's own (saved in main). */
export function deviceLanguage(): Language {
  const saved = localStorage.getItem(DEVICE_LANGUAGE_KEY);
  return (LANGUAGES as readonly string[]).includes(saved ?? '') ? (saved as Language) : DEFAULT_LANGUAGE;
}

export function rememberDeviceLanguage(lang: Language): void {
  localStorage.setItem(DEVICE_LANGUAGE_KEY, lang);
}

export const i18n = createI18n({
  legacy: false,
  locale: deviceLanguage(),
  fallbackLocale: 'ru',
  messages: { kk, ru, en },
  missingWarn: false,
  fallbackWarn: false,
});

export function setLocale(lang: Language): void {
  i18n.global.locale.value = lang;
  document.documentElement.lang = lang;
}

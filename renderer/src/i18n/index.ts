import { createI18n } from 'vue-i18n';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '../../../common/roles';
import en from './en';
import kk from './kk';
import ru from './ru';
import admin from './features/admin';
import clinicSetup from './features/clinic-setup';
import desk from './features/desk';
import deskForms from './features/desk-forms';
import dispensary from './features/dispensary';
import erequests from './features/erequests';
import dateFields from './features/date-fields';
import forms from './features/forms';
import signing from './features/signing';
import sync from './features/sync';
import workflow from './features/workflow';
import verify from './features/verify';

/**
 * Feature areas keep their texts in their own module (`features/<area>.ts` exporting `{ kk, ru, en }`), merged
 * here under the area's name, so parallel work on different screens does not collide in one file.
 */
type FeatureMessages = { kk: Record<string, unknown>; ru: Record<string, unknown>; en: Record<string, unknown> };
const FEATURES: Record<string, FeatureMessages> = {
  admin,
  clinicSetup,
  desk,
  deskForms,
  dispensary,
  erequests,
  dateFields,
  forms,
  signing,
  sync,
  workflow,
  verify,
};

function withFeatures<T extends object>(base: T, lang: 'kk' | 'ru' | 'en'): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [area, messages] of Object.entries(FEATURES)) {
    // An area named like a base key would silently replace it (the field labels were lost that way once).
    if (area in out) throw new Error(`i18n feature area "${area}" has the name of a base key`);
    out[area] = messages[lang];
  }
  return out as T;
}

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
  messages: { kk: withFeatures(kk, 'kk'), ru: withFeatures(ru, 'ru'), en: withFeatures(en, 'en') },
  missingWarn: false,
  fallbackWarn: false,
});

export function setLocale(lang: Language): void {
  i18n.global.locale.value = lang;
  document.documentElement.lang = lang;
}

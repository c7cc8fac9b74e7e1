/** Sizes and instants on the Administration screen, in the user's language (Intl, the organization's zone). */
import { i18n } from '../i18n';

const locale = () => ({ kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' })[i18n.global.locale.value as 'kk' | 'ru' | 'en'] ?? 'ru-RU';

/** 1 536 → "1,5 КБ": binary units, one decimal below 10. */
export function sizeText(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'] as const;
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  const number = new Intl.NumberFormat(locale(), { maximumFractionDigits: n < 10 && u > 0 ? 1 : 0 }).format(n);
  return `${number} ${i18n.global.t(`admin.bytes.${units[u]}`)}`;
}

/**
 * 06.12.2026, 01:30. Kazakh dates read dd.mm.yyyy as on every paper of the clinic; the ICU data of kk-KZ gives
 * 2026-12-06, so Kazakh takes the Russian pattern (digits only, no month names).
 */
export function instantText(iso: string | null, timeZone: string): string {
  if (!iso) return '—';
  const lang = locale() === 'kk-KZ' ? 'ru-RU' : locale();
  return new Intl.DateTimeFormat(lang, {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

export function numberText(n: number, fractionDigits = 0): string {
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(n);
}

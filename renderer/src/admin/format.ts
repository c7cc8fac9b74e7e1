/** Sizes and instants on the Administration screen, in the user's language (Intl, the organization's zone). */
import { i18n } from '../i18n';
import { dateTimeText } from '../workflow/format';

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

/** 06.12.2026, 01:30 in the organization's zone (the format of every screen: workflow/format.ts). */
export function instantText(iso: string | null, timeZone: string): string {
  return iso ? dateTimeText(iso, timeZone) : '—';
}

export function numberText(n: number, fractionDigits = 0): string {
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(n);
}

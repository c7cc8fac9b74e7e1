/** Sizes and instants on the Administration screen, in the user's language (Intl, the organization's zone). */
import { formatLocale, numberText as formatNumber, type FormatLang } from '../../../common/format';
import { i18n } from '../i18n';
import { dateTimeText } from '../workflow/format';

const lang = () => i18n.global.locale.value as FormatLang;
const locale = () => formatLocale(lang());

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

/** 500 000 in the UI's language (common/format.ts: every screen and printout groups digits the same way). */
export function numberText(n: number, fractionDigits = 0): string {
  return formatNumber(n, lang(), fractionDigits);
}

/** 06.12.2026 in the organization's zone: a certificate's or a list's day (kk writes dates as ru does). */
export function dayText(iso: string | null, timeZone: string): string {
  if (!iso) return '—';
  const lang = i18n.global.locale.value;
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ru-RU', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' }).format(
    new Date(iso),
  );
}

/** A chosen file's bytes as base64, for the calls that carry a file (the renderer has no file system). */
export async function fileBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

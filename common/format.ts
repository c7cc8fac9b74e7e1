/**
 * One way to write dates, times, numbers and money per language, for the screens and the printouts alike
 * (issue 16, point 3). Everything goes through `Intl`; nothing here reads the clock (an instant is always given).
 *
 * Kazakh and Russian write 06.12.2026, 14:30 and 1 500 ₸ (a no-break space groups the digits); English follows
 * en-GB: 06/12/2026, 14:30 and 1,500 ₸. Never a 12-hour clock, never month-first.
 */
export type FormatLang = 'kk' | 'ru' | 'en';

/**
 * The Intl locale a language is written in. Kazakh takes the Russian pattern: the same digits, separators and
 * dd.mm.yyyy as every paper of the clinic, while the ICU data of kk-KZ varies between builds (Chromium's gives
 * 2026-12-06), and the screens (Chromium) and the printouts (Node) must agree.
 */
export function formatLocale(lang: FormatLang): string {
  return lang === 'en' ? 'en-GB' : 'ru-RU';
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: FormatLang, fractionDigits: number): Intl.NumberFormat {
  const key = `${lang}/${fractionDigits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(formatLocale(lang), { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
    numberFormats.set(key, f);
  }
  return f;
}

/** 1500 → "1 500" (kk, ru) or "1,500" (en); a negative number gets a real minus sign (−), as cash journals print it. */
export function numberText(n: number, lang: FormatLang, fractionDigits = 0): string {
  const text = numberFormat(lang, fractionDigits).format(Math.abs(n));
  return n < 0 ? `−${text}` : text;
}

/** Tenge: "1 500 ₸", "−200 ₸", "1 500,50 ₸" (tiyn only when there are any). */
export function moneyText(kzt: number, lang: FormatLang): string {
  return `${numberText(kzt, lang, Number.isInteger(kzt) ? 0 : 2)} ₸`;
}

/**
 * A text for paper: the no-break spaces of Intl as plain spaces. pdfkit measures and breaks lines itself (the
 * printouts keep a sum on one line by its column width), and a PDF's text layer is then searchable as typed.
 */
export function onPaper(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(lang: FormatLang, timeZone: string, parts: 'date' | 'time' | 'time-seconds' | 'date-time'): Intl.DateTimeFormat {
  const key = `${lang}/${timeZone}/${parts}`;
  let f = dateTimeFormats.get(key);
  if (!f) {
    const date = { day: '2-digit', month: '2-digit', year: 'numeric' } as const;
    const time = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    const options: Intl.DateTimeFormatOptions =
      parts === 'date' ? date : parts === 'time' ? time : parts === 'time-seconds' ? { ...time, second: '2-digit' } : { ...date, ...time };
    f = new Intl.DateTimeFormat(formatLocale(lang), { timeZone, ...options });
    dateTimeFormats.set(key, f);
  }
  return f;
}

/** A calendar date (YYYY-MM-DD, or the date part of an ISO instant) as the language writes it: 06.12.2026. */
export function dateText(isoDate: string, lang: FormatLang): string {
  const day = isoDate.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return isoDate;
  return dateTimeFormat(lang, 'UTC', 'date').format(new Date(`${day}T00:00:00Z`));
}

/** An instant's date and time in a zone (the organization's, never the PC's own): 06.12.2026, 14:30. */
export function dateTimeText(iso: string, timeZone: string, lang: FormatLang): string {
  return dateTimeFormat(lang, timeZone, 'date-time').format(new Date(iso));
}

/** An instant's time of day in a zone: 14:30 (or 14:30:05 with seconds). */
export function timeText(iso: string, timeZone: string, lang: FormatLang, seconds = false): string {
  return dateTimeFormat(lang, timeZone, seconds ? 'time-seconds' : 'time').format(new Date(iso));
}

/** What separates day, month and year where the language writes a date ("." or "/"), for the date fields. */
export function dateSeparator(lang: FormatLang): string {
  return dateTimeFormat(lang, 'UTC', 'date')
    .formatToParts(new Date(0))
    .find((p) => p.type === 'literal')!.value;
}

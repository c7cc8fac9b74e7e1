/**
 * Why a row of a dispensary register's CSV import (electron/services/dispensary/register-import.ts) was rejected: a
 * code with its parameters, never an English sentence, so the Registers screen and the rejected-rows file say it in
 * the reader's language. The IIN's faults and the repeat are worded as in the population register's import
 * (common/population-rejections.ts).
 */
import type { IinInvalidReason } from './iin';
import { rejectionText } from './population-rejections';
import type { Language } from './roles';

export const REGISTER_REJECTION_CODES = [
  'iin-invalid',
  'from-date-invalid',
  'removed-on-invalid',
  'removed-before-from',
  'duplicate',
] as const;
export type RegisterRejectionCode = (typeof REGISTER_REJECTION_CODES)[number];

export interface RegisterRejection {
  code: RegisterRejectionCode;
  /** `reason`: the IIN's fault (common/iin.ts), for `iin-invalid`. */
  params?: { reason?: IinInvalidReason };
}

type Texts = Record<Language, string>;

const DATES: Record<'from-date-invalid' | 'removed-on-invalid' | 'removed-before-from', Texts> = {
  'from-date-invalid': {
    kk: 'есепке алынған күні күн емес: ЖЖЖЖ-АА-КК немесе КК.АА.ЖЖЖЖ болуы керек',
    ru: 'дата постановки на учёт не дата: нужно ГГГГ-ММ-ДД или ДД.ММ.ГГГГ',
    en: 'the registration date (from_date) is not a date: YYYY-MM-DD or DD.MM.YYYY',
  },
  'removed-on-invalid': {
    kk: 'есептен шығарылған күні күн емес: ЖЖЖЖ-АА-КК немесе КК.АА.ЖЖЖЖ болуы керек',
    ru: 'дата снятия с учёта не дата: нужно ГГГГ-ММ-ДД или ДД.ММ.ГГГГ',
    en: 'the removal date (removed_on) is not a date: YYYY-MM-DD or DD.MM.YYYY',
  },
  'removed-before-from': {
    kk: 'есептен шығарылған күні есепке алынған күнінен ерте',
    ru: 'дата снятия с учёта раньше даты постановки',
    en: 'the removal date is before the registration date',
  },
};

/** The reason in words, in `lang`, as a sentence of its own (a table cell, a cell of the file). */
export function registerRejectionText(r: RegisterRejection, lang: Language): string {
  const text =
    r.code === 'iin-invalid' || r.code === 'duplicate' ? rejectionText({ code: r.code, params: r.params }, lang) : DATES[r.code][lang];
  return text.charAt(0).toLocaleUpperCase(lang) + text.slice(1);
}

/** The rejected-rows file's header: line, reason, the row as it was. */
export function registerRejectedRowsHeader(lang: Language): string[] {
  return {
    kk: ['Жол', 'Себебі', 'Жолдың мазмұны'],
    ru: ['Строка', 'Причина', 'Содержимое строки'],
    en: ['Line', 'Reason', 'Row'],
  }[lang];
}

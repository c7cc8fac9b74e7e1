/**
 * Why a row of the population-register import (electron/services/population-import.ts) was rejected: a code with
 * its parameters, never an English sentence, so the Administration screen, the rejected-rows file the administrator
 * saves and the `tirkeu import-population --lang` file all say it in the reader's language from these texts.
 * "ЖСН"/"ИИН" and the column names follow the screen's own words (renderer/src/i18n/features/admin.ts).
 */
import type { IinInvalidReason } from './iin';
import type { Language } from './roles';

/** The column a rejection is about (the screen names it by its label); `duplicate` is the IIN seen earlier. */
export const REJECTED_FIELDS = ['iin', 'surname', 'given_name', 'patronymic', 'birth_date', 'sex', 'duplicate'] as const;
export type RejectedField = (typeof REJECTED_FIELDS)[number];

export const REJECTION_CODES = [
  'iin-invalid',
  'surname-missing',
  'surname-not-letters',
  'given-name-missing',
  'given-name-not-letters',
  'patronymic-not-letters',
  'birth-date-mismatch',
  'sex-mismatch',
  'duplicate',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

/**
 * `reason`: the IIN's fault (common/iin.ts) for `iin-invalid`; `given`/`fromIin`: the file's value and the IIN's for
 * the two mismatches (a date as YYYY-MM-DD, a sex as M/F).
 */
export interface Rejection {
  code: RejectionCode;
  params?: { reason?: IinInvalidReason; given?: string; fromIin?: string };
}

export const FIELD_OF: Record<RejectionCode, RejectedField> = {
  'iin-invalid': 'iin',
  'surname-missing': 'surname',
  'surname-not-letters': 'surname',
  'given-name-missing': 'given_name',
  'given-name-not-letters': 'given_name',
  'patronymic-not-letters': 'patronymic',
  'birth-date-mismatch': 'birth_date',
  'sex-mismatch': 'sex',
  duplicate: 'duplicate',
};

type Texts = Record<Language, string>;

const FIELD_LABELS: Record<RejectedField, Texts> = {
  iin: { kk: 'ЖСН', ru: 'ИИН', en: 'IIN' },
  surname: { kk: 'Тегі', ru: 'Фамилия', en: 'Surname' },
  given_name: { kk: 'Аты', ru: 'Имя', en: 'Given name' },
  patronymic: { kk: 'Әкесінің аты', ru: 'Отчество', en: 'Patronymic' },
  birth_date: { kk: 'Туған күні', ru: 'Дата рождения', en: 'Date of birth' },
  sex: { kk: 'Жынысы', ru: 'Пол', en: 'Sex' },
  duplicate: { kk: 'ЖСН', ru: 'ИИН', en: 'IIN' },
};

const IIN_FAULTS: Record<IinInvalidReason, Texts> = {
  empty: { kk: 'ЖСН жоқ', ru: 'ИИН не указан', en: 'the IIN is missing' },
  length: { kk: 'ЖСН 12 саннан тұрмайды', ru: 'ИИН не из 12 цифр', en: 'the IIN is not 12 digits' },
  'not-digits': { kk: 'ЖСН-да саннан басқа таңба бар', ru: 'в ИИН есть не только цифры', en: 'the IIN has characters other than digits' },
  checksum: { kk: 'ЖСН бақылау саны дұрыс емес', ru: 'неверная контрольная цифра ИИН', en: 'the IIN’s check digit is wrong' },
  century: { kk: 'ЖСН-ның 7-ші саны 1–6 емес', ru: '7-я цифра ИИН не от 1 до 6', en: 'the IIN’s 7th digit is not 1–6' },
  date: { kk: 'ЖСН-дағы туған күні жоқ күн', ru: 'дата рождения в ИИН не существует', en: 'the IIN’s birth date does not exist' },
};

const SEX: Record<string, Texts> = {
  M: { kk: 'ер', ru: 'мужской', en: 'male' },
  F: { kk: 'әйел', ru: 'женский', en: 'female' },
};

const TEXTS: Record<Exclude<RejectionCode, 'iin-invalid'>, (p: Required<Rejection>['params'], lang: Language) => string> = {
  'surname-missing': (_, l) => ({ kk: 'тегі жоқ', ru: 'фамилия не указана', en: 'the surname is missing' })[l],
  'surname-not-letters': (_, l) => ({ kk: 'тегі әріптерден тұрмайды', ru: 'фамилия не из букв', en: 'the surname is not letters' })[l],
  'given-name-missing': (_, l) => ({ kk: 'аты жоқ', ru: 'имя не указано', en: 'the given name is missing' })[l],
  'given-name-not-letters': (_, l) => ({ kk: 'аты әріптерден тұрмайды', ru: 'имя не из букв', en: 'the given name is not letters' })[l],
  'patronymic-not-letters': (_, l) =>
    ({ kk: 'әкесінің аты әріптерден тұрмайды', ru: 'отчество не из букв', en: 'the patronymic is not letters' })[l],
  'birth-date-mismatch': (p, l) =>
    ({
      kk: `туған күні ${p.given ?? ''} ЖСН-мен сәйкес келмейді (ЖСН бойынша ${p.fromIin ?? ''})`,
      ru: `дата рождения ${p.given ?? ''} не совпадает с ИИН (по ИИН ${p.fromIin ?? ''})`,
      en: `the date of birth ${p.given ?? ''} does not match the IIN (${p.fromIin ?? ''} by the IIN)`,
    })[l],
  'sex-mismatch': (p, l) => {
    const sex = (s: string | undefined) => SEX[s ?? '']?.[l] ?? s ?? '';
    return {
      kk: `жынысы «${sex(p.given)}» ЖСН-мен сәйкес келмейді (ЖСН бойынша «${sex(p.fromIin)}»)`,
      ru: `пол «${sex(p.given)}» не совпадает с ИИН (по ИИН «${sex(p.fromIin)}»)`,
      en: `the sex “${sex(p.given)}” does not match the IIN (“${sex(p.fromIin)}” by the IIN)`,
    }[l];
  },
  duplicate: (_, l) =>
    ({
      kk: 'бұл ЖСН файлда жоғарыда кездескен',
      ru: 'этот ИИН уже встречался выше в файле',
      en: 'the same IIN appears earlier in the file',
    })[l],
};

/** The reason in words: "ЖСН жарамсыз: ЖСН бақылау саны дұрыс емес", "дата рождения 1970-06-08 не совпадает с ИИН …". */
export function rejectionText(r: Rejection, lang: Language): string {
  if (r.code === 'iin-invalid') {
    const fault = r.params?.reason ? IIN_FAULTS[r.params.reason]?.[lang] : undefined;
    const head = { kk: 'ЖСН жарамсыз', ru: 'неверный ИИН', en: 'invalid IIN' }[lang];
    return fault ? `${head}: ${fault}` : head;
  }
  return TEXTS[r.code](r.params ?? {}, lang);
}

/** The label of the column a rejection is about, as the screen names it. */
export function rejectedFieldLabel(field: RejectedField, lang: Language): string {
  return FIELD_LABELS[field][lang];
}

/** The rejected-rows file's header: line, IIN, field, reason. */
export function rejectedRowsHeader(lang: Language): string[] {
  return {
    kk: ['Жол', 'ЖСН', 'Өріс', 'Себебі'],
    ru: ['Строка', 'ИИН', 'Поле', 'Причина'],
    en: ['Line', 'IIN', 'Field', 'Reason'],
  }[lang];
}

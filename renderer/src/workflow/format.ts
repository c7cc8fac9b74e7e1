/**
 * Formatting shared by the screens: localized titles, durations, time left, roles, deadlines, and the one format
 * per language of dates, times and money (common/format.ts, which the printouts use too) in the user's language.
 */
import type { ApiErrorData } from '../../../common/errors';
import {
  dateText as formatDate,
  dateTimeText as formatDateTime,
  moneyText as formatMoney,
  timeText as formatTime,
} from '../../../common/format';
import type { Localized } from '../../../common/workflow';
import { i18n } from '../i18n';

const t = (key: string, params: Record<string, unknown> = {}) => i18n.global.t(key, params);
const lang = () => i18n.global.locale.value as 'kk' | 'ru' | 'en';

export function pick(text: Localized | null | undefined): string {
  if (!text) return '';
  return text[lang()] || text.ru || text.en;
}

/** "2 к 3 сағ", "14 мин 20 с", "45 с": the two largest units. */
export function durationText(ms: number): string {
  const s = Math.max(0, Math.round(Math.abs(ms) / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts: string[] = [];
  if (d) parts.push(`${d} ${t('workflow.units.d')}`);
  if (h) parts.push(`${h} ${t('workflow.units.h')}`);
  if (m && !d) parts.push(`${m} ${t('workflow.units.min')}`);
  if (!d && !h && (sec || parts.length === 0)) parts.push(`${sec} ${t('workflow.units.s')}`);
  return parts.slice(0, 2).join(' ');
}

/** "12 мин қалды" or "3 мин кешікті". */
export function timeLeftText(ms: number): string {
  return ms >= 0 ? t('workflow.left', { t: durationText(ms) }) : t('workflow.late', { t: durationText(-ms) });
}

/** A role as people say it: "Дәрігер · фтизиатр", "Кассир", the applicant or the portal for external steps. */
export function roleText(role: string, specialty?: string | null): string {
  if (role === 'citizen' || role === 'portal') return t(`workflow.external.${role}`);
  const r = i18n.global.te(`roles.${role}`) ? t(`roles.${role}`) : role;
  return specialty ? `${r} · ${i18n.global.te(`specialties.${specialty}`) ? t(`specialties.${specialty}`) : specialty}` : r;
}

/** `physician/phthisiatrician` (as the API names performers) in the user's language. */
export function roleLabelText(label: string): string {
  const [role, specialty] = label.split('/');
  return roleText(role ?? label, specialty ?? null);
}

export function limitText(limit: { maxMinutes?: number; maxWorkingDays?: number; byEndOfWorkingDay?: boolean }): string {
  if (limit.maxMinutes !== undefined) {
    const n = limit.maxMinutes;
    return n < 1 ? `${Math.round(n * 60)} ${t('workflow.units.s')}` : t('workflow.limit.minutes', { n });
  }
  if (limit.maxWorkingDays !== undefined) return t('workflow.limit.workingDays', { n: limit.maxWorkingDays });
  if (limit.byEndOfWorkingDay) return t('workflow.limit.endOfDay');
  return '';
}

/** Date and time in the organization's zone (never the PC's own), as the language writes them (common/format.ts). */
export function dateTimeText(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  return formatDateTime(iso, timeZone, lang());
}

export function timeText(iso: string, timeZone: string): string {
  return formatTime(iso, timeZone, lang(), true);
}

/** A calendar date (YYYY-MM-DD) in the user's language: 06.12.2026. */
export function dateText(isoDate: string | null | undefined): string {
  return isoDate ? formatDate(isoDate, lang()) : '';
}

/** Tenge in the user's language: 1 500 ₸. */
export function moneyText(kzt: number): string {
  return formatMoney(kzt, lang());
}

/** The user's-language sentence for the workflow's error codes. */
export function workflowErrorText(d: Pick<ApiErrorData, 'code' | 'params'>): string {
  const p = { ...(d.params ?? {}) } as Record<string, string | number>;
  if (typeof p.required === 'string') p.required = roleLabelText(p.required);
  if (typeof p.role === 'string') p.role = roleLabelText(p.role);
  if (typeof p.status === 'string' && i18n.global.te(`workflow.status.${p.status}`)) p.status = t(`workflow.status.${p.status}`);
  return t(`workflow.errors.${d.code}`, p);
}

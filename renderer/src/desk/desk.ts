/** Shared state and helpers of the front-desk screens (issue 4). */
import './desk.css';
import { storeToRefs } from 'pinia';
import { ref } from 'vue';
import { appNow } from '../shared/app-clock';
import { downloadBlob } from '../shared/download';
import { dateText } from '../workflow/format';
import type { ApiResult } from '../../../common/api';
import type { Person } from '../../../common/schemas';
import { useDeskOverviewStore, type DeskOverview } from '../stores/desk-overview-store';

export type Overview = DeskOverview;
export type PdfFile = ApiResult<'attachments.talon'>;

/** Districts, doctors and the documents checklist (cached; `force` after the administrator changed something). */
export const loadOverview = (force = false): Promise<Overview> => useDeskOverviewStore().load(force);
export const useOverview = () => storeToRefs(useDeskOverviewStore()).overview;

export function base64ToBlob(base64: string, mime: string): Blob {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: mime });
}

/** Saves a file the main process produced (CSV, XLSX, PDF) through the browser's download. */
export function download(file: { fileName: string; mime: string; base64: string }): void {
  downloadBlob(base64ToBlob(file.base64, file.mime), file.fileName);
}

/** A date as the user's language writes it (06.12.2026): common/format.ts. */
export const dmy = (iso: string) => dateText(iso);
export const personName = (p: Pick<Person, 'surname' | 'givenName' | 'patronymic'>) =>
  [p.surname, p.givenName, p.patronymic].filter(Boolean).join(' ');

export function addDays(iso: string, n: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The channel the registrar last used (phone calls and walk-ins come in waves). */
export function rememberedChannel(): 'desk' | 'phone' {
  return localStorage.getItem('tirkeu.desk.channel') === 'desk' ? 'desk' : 'phone';
}
export function rememberChannel(c: 'desk' | 'phone'): void {
  localStorage.setItem('tirkeu.desk.channel', c);
}

/**
 * When the registrar began the request with the person (issue 15): set when the person is identified on the form
 * (documents handed in, call answered), sent with the save as `startedAt` so the regulation's minutes are measured
 * from then; cleared after the save, so the next person starts their own clock.
 */
export function useRequestStart() {
  const startedAt = ref<string | null>(null);
  return {
    startedAt,
    /** The person was identified: the clock starts (again, for another person). */
    begin: (identified: boolean) => (startedAt.value = identified ? new Date(appNow()).toISOString() : null),
    clear: () => (startedAt.value = null),
  };
}

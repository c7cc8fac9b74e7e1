/** Shared helpers of the dispensary screens (issue 6): money, PDFs to preview, today's date. */
import { ANONYMOUS_CANCEL_REASONS } from '../../../common/need-to-know';
import './dispensary.css';
import { storeToRefs } from 'pinia';
import { i18n } from '../i18n';
import { useRequestPreviewStore, type Preview } from '../stores/request-preview-store';
import { appToday } from '../shared/app-clock';
import { moneyText } from '../workflow/format';

export type { Preview };

/** The PDF shown on the request screen (a receipt, a certificate, a label): see the store. */
export const useRequestPreview = () => storeToRefs(useRequestPreviewStore()).preview;

/** 1500 → "1 500 ₸" in the user's language (common/format.ts: the receipts print the same). */
export const money = (kzt: number): string => moneyText(kzt);

/** Today in the organization's zone (YYYY-MM-DD). */
export function todayIn(timeZone: string): string {
  return appToday(timeZone);
}

/**
 * A step note written by a dispensary action (`register-check #12: not-on-register`, `certificate AT1-C000001
 * signed (1/2)`, `result released against code`) in the user's language; other notes unchanged.
 */
export function stepNoteText(note: string): string {
  const t = i18n.global.t;
  return (
    note
      .replace(
        /register-check #(\d+): (not-on-register|on-register)/,
        (_m, id: string, a: string) =>
          `${t(a === 'on-register' ? 'dispensary.registers.found' : 'dispensary.registers.notFound')} (№${id})`,
      )
      .replace(/^certificate (\S+) signed \((\d+)\/(\d+)\)$/, (_m, number: string, n: string, m: string) =>
        t('dispensary.certificates.signedNote', { number, n, m }),
      )
      .replace(/^result released against code$/, () => t('dispensary.hiv.releasedNote'))
      // An anonymous request's cancellation reason is a code (common/need-to-know.ts).
      .replace(/^[a-z-]+$/, (code) =>
        (ANONYMOUS_CANCEL_REASONS as readonly string[]).includes(code) ? t(`workflow.request.anonymousCancelReasons.${code}`) : code,
      )
  );
}

export function addDaysIso(iso: string, n: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

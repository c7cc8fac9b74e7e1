import { i18n } from './i18n';
import { ApiCallError } from './api/client';
import { timeText as formatTime, type FormatLang } from '../../common/format';
import { workflowErrorText } from './workflow/format';

/** The user's-language sentence for an error from the API (or anything thrown). */
export function errorText(error: unknown): string {
  const t = i18n.global.t;
  if (!(error instanceof ApiCallError)) return t('errors.internal');
  const d = error.data;
  switch (d.code) {
    case 'invalid-iin':
      return t('errors.invalid-iin', { reason: t(`iin.${String(d.params?.reason ?? 'checksum')}`) });
    case 'bad-credentials':
      return d.params?.remaining !== undefined
        ? t('errors.bad-credentials-remaining', { remaining: d.params.remaining })
        : t('errors.bad-credentials');
    case 'account-locked':
      return t('errors.account-locked', {
        until: d.params?.until
          ? formatTime(String(d.params.until), Intl.DateTimeFormat().resolvedOptions().timeZone, i18n.global.locale.value as FormatLang)
          : '',
      });
    case 'pin-incorrect': {
      const left = d.params?.triesRemaining;
      return t(left === 'final' ? 'errors.pin-incorrect-final' : left === 'low' ? 'errors.pin-incorrect-low' : 'errors.pin-incorrect');
    }
    case 'wrong-role':
    case 'step-not-current':
    case 'step-already-completed':
    case 'request-closed':
    case 'regulation-invalid':
    case 'service-not-in-force':
      return workflowErrorText(d);
    case 'journal-entry-required':
      return t('errors.journal-entry-required', {
        number: String(d.params?.number ?? ''),
        what: t(`errors.journal-${String(d.params?.journal ?? 'attachment')}`),
      });
    case 'validation': {
      // Fields by the names the user knows, never the API's argument keys; none known → the general sentence.
      const te = i18n.global.te;
      const names = [...new Set((d.fields ?? []).map((f) => `fields.${f.split('.')[0]}`).filter((k) => te(k)))].map((k) => t(k));
      return names.length ? t('errors.validation', { fields: [...new Set(names)].join(', ') }) : t('errors.validationGeneral');
    }
    default:
      return t(`errors.${d.code}`, d.params ?? {});
  }
}

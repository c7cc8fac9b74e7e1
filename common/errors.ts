/**
 * Errors travel as data, `{ code, message, params? }`, so their codes survive IPC and HTTP and the renderer can
 * say what is wrong in the user's language (renderer/src/i18n has a text for every code).
 */
export const ERROR_CODES = [
  'validation',
  'unauthenticated',
  'forbidden',
  'bad-credentials',
  'account-locked',
  'account-disabled',
  'password-change-required',
  'not-found',
  'conflict',
  'invalid-iin',
  'duplicate-iin',
  'unknown-method',
  'storage',
  'internal',
  // digital signatures (electron/services/signing)
  'token-absent',
  'token-error',
  'token-removed',
  'pin-incorrect',
  'pin-locked',
  'password-incorrect',
  'key-not-found',
  'key-file-invalid',
  'certificate-expired',
  'certificate-not-yet-valid',
  'key-usage',
  'signer-mismatch',
  'unsupported-algorithm',
  'bad-format',
  // service requests and regulations (electron/services/workflow)
  'wrong-role',
  'step-not-current',
  'step-already-completed',
  'request-closed',
  'regulation-invalid',
  'service-not-in-force',
  'journal-entry-required',
  'person-not-in-register',
  // the front desk (electron/services/desk)
  'slot-taken',
  'slot-not-available',
  'doctor-unavailable',
  'date-in-past',
  'window-passed',
  'outside-districts',
  'already-attached',
  'attachment-ended',
  'document-missing',
  'no-free-slot',
  'visit-reason-required',
  'appointment-closed',
  'visit-closed',
  // certified desk forms and their scans (electron/services/desk/forms.ts)
  'scan-type',
  'scan-too-large',
  'scan-missing',
  'signer-iin-missing',
  // dispensaries, the cash desk and HIV testing (electron/services/dispensary)
  'register-check-required',
  'payment-required',
  'already-paid',
  'shift-not-open',
  'shift-already-open',
  'receipt-other-shift',
  'already-voided',
  'signature-required',
  'code-unknown',
  'result-already-entered',
  'result-missing',
  // e-requests from the portal (electron/services/erequests)
  'erequest-decided',
  // one clinic, many desks (electron/services/sync)
  'org-mismatch',
  'server-unreachable',
  // sessions (electron/services/auth.ts)
  'session-locked',
  // secrets at rest (electron/services/secrets.ts)
  'secrets-unavailable',
  // backups (electron/services/admin/backups.ts)
  'backup-unusable',
  // application updates from the central server (electron/services/updates)
  'update-not-enrolled',
  'update-unauthorized',
  'update-manifest-invalid',
  'update-none',
  'update-corrupt',
  'update-shift-open',
  'update-signing',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorData {
  code: ErrorCode;
  /** English detail for logs and developers; the UI shows its own translation of `code`. */
  message: string;
  params?: Record<string, string | number>;
  /** For `validation`: which argument fields were wrong. */
  fields?: string[];
}

/** `now`: the workstation's clock at the answer (the renderer's clock follows it: renderer/src/shared/app-clock.ts). */
export type Result<T> = ({ ok: true; value: T } | { ok: false; error: ApiErrorData }) & { now?: string };

/** Thrown inside the main process by services; the dispatcher turns it into `{ ok: false, error }`. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly params?: Record<string, string | number>,
    readonly fields?: string[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toData(): ApiErrorData {
    const data: ApiErrorData = { code: this.code, message: this.message };
    if (this.params) data.params = this.params;
    if (this.fields) data.fields = this.fields;
    return data;
  }
}

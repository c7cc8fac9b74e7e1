/**
 * Contract slice `trustFiles.*`, `answerKey.*` and `tokens.*` (issue 16): what an administrator sets up for an
 * installed clinic on the Administration screen — the e-request verifier's trust files, the organization's answer
 * key, and the check of signing tokens — and a script does with `tirkeu trust`, `tirkeu answer-key` and
 * `tirkeu token-check`. Handlers: electron/services/handlers/clinic-setup.ts (electron/services/admin/).
 */
import { z } from 'zod';
import { signingSourceSchema } from './signing';
import { defineSlice, method, none } from './spec';

const ADMIN = ['administrator'] as const;
const source = z.enum(['file', 'server']);

export const trustOverviewSchema = z.object({
  certificates: z.array(
    z.object({
      id: z.number().int().nullable(),
      source,
      name: z.string(),
      subject: z.string(),
      issuer: z.string(),
      serial: z.string(),
      notBefore: z.string(),
      notAfter: z.string(),
      state: z.enum(['valid', 'expired', 'not-yet-valid']),
      addedAt: z.string().nullable(),
    }),
  ),
  crls: z.array(
    z.object({
      id: z.number().int().nullable(),
      source,
      name: z.string(),
      issuer: z.string().nullable(),
      thisUpdate: z.string().nullable(),
      nextUpdate: z.string().nullable(),
      entries: z.number().int().nullable(),
      state: z.enum(['current', 'stale', 'superseded', 'unverified']),
      problem: z.string().nullable(),
      addedAt: z.string().nullable(),
    }),
  ),
});
export type TrustOverviewInfo = z.infer<typeof trustOverviewSchema>;

export const ANSWER_KEY_PROBLEMS = [
  'organization-bin-missing',
  'bin-mismatch',
  'certificate-expired',
  'certificate-not-yet-valid',
  'key-usage',
  'module-not-configured',
  'cannot-open',
] as const;

export const answerKeyStatusSchema = z.object({
  configured: z.boolean(),
  kind: z.enum(['pkcs11', 'pkcs12']).nullable(),
  label: z.string().nullable(),
  keyId: z.string().nullable(),
  certificate: z
    .object({
      name: z.string(),
      subject: z.string(),
      organization: z.string().nullable(),
      bin: z.string().nullable(),
      serial: z.string(),
      notBefore: z.string(),
      notAfter: z.string(),
    })
    .nullable(),
  problems: z.array(z.enum(ANSWER_KEY_PROBLEMS)),
  openError: z.string().nullable(),
  organizationBin: z.string().nullable(),
});
export type AnswerKeyStatusInfo = z.infer<typeof answerKeyStatusSchema>;

export const FINDING_CODES = [
  'no-modules',
  'module-missing',
  'module-load-failed',
  'no-token',
  'token-not-initialized',
  'token-unreadable',
  'pin-not-set',
  'pin-locked',
  'pin-final-try',
  'no-certificate',
  'certificate-expired',
  'certificate-not-yet-valid',
  'certificate-not-for-signing',
  'ready',
] as const;

const checkedCertificateSchema = z.object({
  keyId: z.string(),
  label: z.string().nullable(),
  name: z.string(),
  subject: z.string(),
  iin: z.string().nullable(),
  bin: z.string().nullable(),
  serial: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  canSign: z.boolean(),
  problem: z.enum(['certificate-expired', 'certificate-not-yet-valid', 'certificate-not-for-signing']).nullable(),
});

export const tokenCheckSchema = z.object({
  checkedAt: z.string(),
  ready: z.boolean(),
  modules: z.array(
    z.object({
      module: z.string(),
      state: z.enum(['loaded', 'missing', 'load-failed']),
      detail: z.string().nullable(),
      slots: z.array(
        z.object({
          index: z.number().int(),
          description: z.string(),
          tokenPresent: z.boolean(),
          token: z
            .object({
              label: z.string(),
              serial: z.string(),
              manufacturer: z.string(),
              model: z.string(),
              initialized: z.boolean(),
              userPinInitialized: z.boolean(),
              pinLocked: z.boolean(),
              pinCountLow: z.boolean(),
              pinFinalTry: z.boolean(),
            })
            .nullable(),
          certificates: z.array(checkedCertificateSchema),
        }),
      ),
    }),
  ),
  findings: z.array(
    z.object({
      code: z.enum(FINDING_CODES),
      severity: z.enum(['ok', 'info', 'warning', 'error']),
      module: z.string().nullable(),
      token: z.string().nullable(),
      certificate: z.string().nullable(),
      date: z.string().nullable(),
    }),
  ),
});
export type TokenCheckInfo = z.infer<typeof tokenCheckSchema>;

export const clinicSetupApi = defineSlice(['trustFiles', 'answerKey', 'tokens'], {
  'trustFiles.list': method({ access: ADMIN, args: none, result: trustOverviewSchema }),
  // A CA certificate or a CRL, PEM or DER; a CRL must verify against a trusted CA. The file travels as bytes.
  'trustFiles.add': method({
    access: ADMIN,
    args: z.object({ fileName: z.string().trim().min(1).max(200), base64: z.string().min(1).max(50_000_000) }).strict(),
    result: trustOverviewSchema,
  }),

  // The certificate of the key, never the key, the file or the secret.
  'answerKey.get': method({ access: ADMIN, args: none, result: answerKeyStatusSchema }),
  'answerKey.import': method({
    access: ADMIN,
    args: z
      .object({ source: signingSourceSchema, keyId: z.string().max(200).nullable().optional(), secret: z.string().min(1).max(200) })
      .strict(),
    result: answerKeyStatusSchema,
  }),

  'tokens.check': method({ access: ADMIN, args: none, result: tokenCheckSchema }),
});

/**
 * Shapes of issue 6 (dispensary registers, the cash desk, certificates, HIV testing) shared by the API contract
 * and the renderer. Pure zod.
 */
import { z } from 'zod';
import { isoDateSchema } from './schemas';
import { IIN_INVALID_REASONS } from './iin';
import { REGISTER_REJECTION_CODES } from './register-rejections';

export const REGISTER_KINDS = ['tb', 'psychiatric', 'narcology'] as const;
export type RegisterKindName = (typeof REGISTER_KINDS)[number];
export const PAYMENT_METHODS = ['cash', 'card'] as const;
export const RECEIPT_LAYOUTS = ['a4', '80mm'] as const;
export const HIV_RESULTS = ['negative', 'positive'] as const;

/** A real calendar date (common/schemas.ts). */
const isoDate = isoDateSchema;

export const registerCheckSchema = z.object({
  id: z.number().int(),
  register: z.enum(REGISTER_KINDS),
  iin: z.string(),
  found: z.boolean(),
  /** On the register from / removed on (null when not found or still on it). */
  fromDate: z.string().nullable(),
  removedOn: z.string().nullable(),
  checkedAt: z.string(),
  checkedBy: z.string(),
  /** The full name of who checked (what the screen shows); null for an account no longer known here. */
  checkedByName: z.string().nullable(),
  requestId: z.number().int().nullable(),
});
export type RegisterCheck = z.infer<typeof registerCheckSchema>;

export const registerImportReportSchema = z.object({
  register: z.enum(REGISTER_KINDS),
  total: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  /** Why, by code (common/register-rejections.ts: the screen words it in its language); the file says it in the staff's. */
  rejectedRows: z.array(
    z.object({
      line: z.number().int(),
      code: z.enum(REGISTER_REJECTION_CODES),
      params: z.object({ reason: z.enum(IIN_INVALID_REASONS).optional() }).optional(),
      raw: z.string(),
    }),
  ),
  rejectedCsv: z.string(),
});

export const priceSchema = z.object({
  id: z.number().int(),
  serviceId: z.string(),
  feeKzt: z.number().int(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
});

export const cashEntrySchema = z.object({
  id: z.number().int(),
  receiptNo: z.string(),
  shiftNumber: z.string(),
  kind: z.enum(['payment', 'void']),
  requestId: z.number().int(),
  requestNumber: z.string(),
  serviceId: z.string(),
  amountKzt: z.number().int(),
  method: z.enum(PAYMENT_METHODS),
  voidsReceipt: z.string().nullable(),
  voidedBy: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  cashier: z.string(),
});
export type CashEntry = z.infer<typeof cashEntrySchema>;

/**
 * Why a person is served free of charge (issue 14): a fixed list, never free text, so the exemptions can be
 * counted and checked. The regulations (docs: REGULATIONS.md) say only that a fee is taken at the cash desk; these
 * are the categories of the Code on health and social assistance the clinic serves without a fee.
 */
export const FEE_EXEMPTIONS = ['veteran', 'disabled-1', 'disabled-2', 'low-income', 'child-under-18', 'state-order'] as const;
export type FeeExemptionReason = (typeof FEE_EXEMPTIONS)[number];

export const feeExemptionSchema = z.object({
  receiptNo: z.string(),
  requestId: z.number().int(),
  requestNumber: z.string(),
  serviceId: z.string(),
  reason: z.enum(FEE_EXEMPTIONS),
  /** The fee of the price list in force that the exemption waived. */
  waivedKzt: z.number().int(),
  createdAt: z.string(),
  by: z.string(),
});
export type FeeExemption = z.infer<typeof feeExemptionSchema>;

export const shiftTotalsSchema = z.object({
  cash: z.number().int(),
  card: z.number().int(),
  total: z.number().int(),
  payments: z.number().int(),
  voids: z.number().int(),
});
export type ShiftTotals = z.infer<typeof shiftTotalsSchema>;

export const shiftSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  cashier: z.string(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  totals: shiftTotalsSchema,
  entries: z.array(cashEntrySchema),
});
export type Shift = z.infer<typeof shiftSchema>;

export const signerSchema = z.object({ stepId: z.string(), role: z.string(), name: z.string(), signedAt: z.string(), serial: z.string() });
export const certificateSummarySchema = z.object({
  number: z.string(),
  requestId: z.number().int(),
  requestNumber: z.string(),
  serviceId: z.string(),
  hash: z.string(),
  createdAt: z.string(),
  issuedAt: z.string().nullable(),
  signaturesRequired: z.number().int(),
  signers: z.array(signerSchema),
  personIin: z.string().nullable(),
  personName: z.string().nullable(),
});
export type CertificateSummary = z.infer<typeof certificateSummarySchema>;

/** What the dispensary parts of a request screen need besides the engine's view. */
export const requestExtrasSchema = z.object({
  register: z.enum(REGISTER_KINDS).nullable(),
  /** The caller may see register answers of this request's dispensary. */
  registerVisible: z.boolean(),
  checks: z.array(registerCheckSchema),
  payment: cashEntrySchema.nullable(),
  paymentVoided: z.boolean(),
  certificate: certificateSummarySchema.nullable(),
  /** The current step is signed through certificates.sign / paid through cash.pay / checked through registers.check. */
  stepAction: z.enum(['register-check', 'payment', 'sign', 'hiv-label', 'hiv-release']).nullable(),
  hiv: z
    .object({
      code: z.string(),
      mode: z.enum(['anonymous', 'confidential']),
      sampleNo: z.string().nullable(),
      result: z.enum(HIV_RESULTS).nullable(),
      resultAt: z.string().nullable(),
    })
    .nullable(),
});
export type RequestExtras = z.infer<typeof requestExtrasSchema>;

export { isoDate as dispensaryIsoDate };

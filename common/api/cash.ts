/**
 * Contract slice of the cash desk (issue 6): `prices.*` (the fee schedule) and `cash.*` (shifts, payments, voids,
 * receipts, the cash journal). A physician cannot take money: the cash desk is the cashier's alone.
 * Handlers: electron/services/handlers/cash.ts (electron/services/dispensary/cash.ts).
 */
import { z } from 'zod';
import { pdfSchema } from '../desk';
import {
  cashEntrySchema,
  dispensaryIsoDate,
  FEE_EXEMPTIONS,
  feeExemptionSchema,
  PAYMENT_METHODS,
  priceSchema,
  RECEIPT_LAYOUTS,
  shiftSchema,
  shiftTotalsSchema,
} from '../dispensary';
import { defineSlice, method, none } from './spec';

export const cashApi = defineSlice(['prices', 'cash'], {
  'prices.list': method({ access: 'staff', args: none, result: z.array(priceSchema) }),
  'prices.set': method({
    access: ['administrator'],
    args: z
      .object({
        serviceId: z.string().trim().min(1).max(80),
        feeKzt: z.number().int().min(0).max(10_000_000),
        effectiveFrom: dispensaryIsoDate,
      })
      .strict(),
    result: z.array(priceSchema),
  }),
  'cash.shift': method({ access: ['cashier'], args: none, result: shiftSchema.nullable() }),
  'cash.openShift': method({ access: ['cashier'], args: none, result: shiftSchema }),
  'cash.closeShift': method({ access: ['cashier'], args: none, result: shiftSchema }),
  'cash.shiftReport': method({
    access: ['cashier', 'administrator'],
    args: z.object({ shiftId: z.number().int().positive() }).strict(),
    result: pdfSchema,
  }),
  'cash.pay': method({
    access: ['cashier'],
    args: z.object({ requestId: z.number().int().positive(), method: z.enum(PAYMENT_METHODS) }).strict(),
    result: cashEntrySchema,
  }),
  // The fee is the price list's (no caller names an amount); only an exemption with a reason from the list waives it.
  'cash.exempt': method({
    access: ['cashier', 'administrator'],
    args: z.object({ requestId: z.number().int().positive(), reason: z.enum(FEE_EXEMPTIONS) }).strict(),
    result: feeExemptionSchema,
  }),
  'cash.void': method({
    access: ['cashier'],
    args: z.object({ receiptNo: z.string().trim().min(3).max(40), reason: z.string().trim().min(3).max(300) }).strict(),
    result: cashEntrySchema,
  }),
  'cash.receipt': method({
    access: ['cashier', 'administrator'],
    args: z.object({ receiptNo: z.string().trim().min(3).max(40), layout: z.enum(RECEIPT_LAYOUTS) }).strict(),
    result: pdfSchema,
  }),
  'cash.journal': method({
    access: ['cashier', 'administrator'],
    args: z.object({ from: dispensaryIsoDate, to: dispensaryIsoDate }).strict(),
    result: z.object({ rows: z.array(cashEntrySchema), totals: shiftTotalsSchema }),
  }),
});

/**
 * Contract slice of the dispensaries (issue 6): `registers.*` (register checks, look-ups and imports),
 * `certificates.*` (signed certificates, their PDFs and journal), `hiv.*` (HIV testing in the counselling room).
 * Register contents are for the dispensary's roles only (checked per register in main), looked up one person at a
 * time inside a request of the dispensary's service; no list method exists at all. Handlers: electron/services/handlers/dispensary.ts (electron/services/dispensary).
 */
import { z } from 'zod';
import { pdfSchema } from '../desk';
import {
  certificateSummarySchema,
  dispensaryIsoDate,
  HIV_RESULTS,
  REGISTER_KINDS,
  registerCheckSchema,
  registerImportReportSchema,
} from '../dispensary';
import { signingSourceSchema } from './signing';
import { defineSlice, method, none } from './spec';

export const dispensaryApi = defineSlice(['registers', 'certificates', 'hiv'], {
  'registers.check': method({
    access: ['operator', 'registrar'],
    args: z
      .object({
        requestId: z.number().int().positive(),
        documentsIncomplete: z.boolean().optional(),
        note: z.string().trim().max(300).nullable().optional(),
      })
      .strict(),
    result: registerCheckSchema,
  }),
  // A look-up only inside a request of the dispensary's service (its person, its register), each one audited.
  'registers.lookup': method({
    access: ['operator', 'registrar', 'physician'],
    args: z.object({ requestId: z.number().int().positive() }).strict(),
    result: registerCheckSchema,
  }),
  'registers.import': method({
    access: ['administrator'],
    args: z
      .object({ register: z.enum(REGISTER_KINDS), fileName: z.string().trim().min(1).max(200), text: z.string().min(1).max(80_000_000) })
      .strict(),
    result: registerImportReportSchema,
  }),
  'registers.importProgress': method({
    access: ['administrator'],
    args: none,
    result: z.object({ register: z.enum(REGISTER_KINDS), done: z.number().int(), total: z.number().int() }).nullable(),
  }),
  // A cashier cannot sign: only the medical registrar and physicians reach the signature.
  'certificates.sign': method({
    access: ['registrar', 'physician'],
    args: z
      .object({
        requestId: z.number().int().positive(),
        stepId: z.string().trim().min(1).max(80),
        source: signingSourceSchema,
        keyId: z.string().max(200).optional(),
        secret: z.string().min(1).max(128),
      })
      .strict(),
    result: certificateSummarySchema,
  }),
  'certificates.pdf': method({
    access: 'staff',
    args: z.object({ number: z.string().trim().min(3).max(40), language: z.enum(['kk', 'ru']) }).strict(),
    result: pdfSchema,
  }),
  'certificates.journal': method({
    access: ['registrar', 'operator', 'physician', 'administrator'],
    args: z.object({ from: dispensaryIsoDate, to: dispensaryIsoDate }).strict(),
    result: z.array(certificateSummarySchema),
  }),
  'hiv.label': method({
    access: ['nurse', 'physician'],
    args: z.object({ requestId: z.number().int().positive() }).strict(),
    result: pdfSchema,
  }),
  'hiv.enterResult': method({
    access: ['nurse', 'physician'],
    args: z.object({ code: z.string().trim().min(4).max(20), result: z.enum(HIV_RESULTS) }).strict(),
    result: z.object({ code: z.string(), result: z.enum(HIV_RESULTS), resultAt: z.string() }),
  }),
  'hiv.release': method({
    access: ['physician'],
    args: z.object({ code: z.string().trim().min(4).max(20) }).strict(),
    result: z.object({ code: z.string(), result: z.enum(HIV_RESULTS), certificate: z.string().nullable(), pdf: pdfSchema.nullable() }),
  }),
  'hiv.followUps': method({
    access: ['physician'],
    args: none,
    result: z.array(
      z.object({
        code: z.string(),
        number: z.string(),
        mode: z.enum(['anonymous', 'confidential']),
        resultAt: z.string(),
        releasedAt: z.string().nullable(),
      }),
    ),
  }),
});

/**
 * Contract slice `attachments.*` (issue 4): attaching a person to the organization and the attachment talon.
 * Handlers: electron/services/handlers/attachments.ts (electron/services/desk).
 */
import { z } from 'zod';
import { requestStartedAtSchema } from '../desk';
import { attachmentSchema, pdfSchema } from '../desk';
import { deskCertificationSchema } from './desk-forms';
import { defineSlice, method } from './spec';

export const attachmentsApi = defineSlice(['attachments'], {
  'attachments.apply': method({
    access: ['registrar'],
    args: z
      .object({
        iin: z.string().trim().max(20),
        documents: z.array(z.string().trim().min(1).max(60)).max(20),
        districtId: z.number().int().positive().nullable().optional(),
        doctorId: z.number().int().positive().nullable().optional(),
        previousOrganization: z.string().trim().max(200).nullable().optional(),
        /** The desk form certified with the registrar's ЭЦҚ where the regulation asks for it (issue 15, point 6). */
        certification: deskCertificationSchema.optional(),
        /** When the registrar began with the person (documents handed in, call answered): the request's clock. */
        startedAt: requestStartedAtSchema,
      })
      .strict(),
    result: attachmentSchema,
  }),
  'attachments.get': method({ access: 'staff', args: z.object({ id: z.number().int().positive() }).strict(), result: attachmentSchema }),
  /** Detachment (issue 19): the attachment ends and its talon's verification record is revoked. */
  'attachments.end': method({
    access: ['registrar'],
    args: z.object({ id: z.number().int().positive(), reason: z.string().trim().min(3).max(300) }).strict(),
    result: attachmentSchema,
  }),
  'attachments.talon': method({ access: 'staff', args: z.object({ id: z.number().int().positive() }).strict(), result: pdfSchema }),
});

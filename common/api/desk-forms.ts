/**
 * Contract slice `deskForms.*` (issue 15, point 6): what a service's desk form asks for (a certification with the
 * employee's ЭЦҚ, which documents are scanned), the registrar's draft scans, and a registered request's
 * certification and scans. The certification itself travels with the desk action it certifies (`certification`
 * in homeVisits.register, appointments.book, attachments.apply), because the act signs the form before it is
 * registered. Handlers: electron/services/handlers/desk-forms.ts (electron/services/desk/forms.ts).
 */
import { z } from 'zod';
import { deskFormRequirementsSchema, deskFormViewSchema, MAX_SCAN_BYTES, scanSchema, SCAN_MEDIA_TYPES } from '../desk-forms';
import { signingSourceSchema } from './signing';
import { defineSlice, method } from './spec';

/** Base64 of the largest accepted scan, with room for padding. */
const MAX_SCAN_BASE64 = Math.ceil(MAX_SCAN_BYTES / 3) * 4 + 4;

/** The registrar's signature on a desk form and the draft scans it covers; the PIN is never stored or logged. */
export const deskCertificationSchema = z
  .object({
    source: signingSourceSchema,
    keyId: z.string().max(200).optional(),
    secret: z.string().min(1).max(128),
    scanIds: z.array(z.number().int().positive()).max(20),
  })
  .strict();

export const deskFormsApi = defineSlice(['deskForms'], {
  'deskForms.requirements': method({
    access: ['registrar'],
    args: z.object({ serviceId: z.string().trim().min(1).max(60) }).strict(),
    result: deskFormRequirementsSchema,
  }),
  // Sized separately by the web host (electron/webhost.ts): a scan is larger than any other argument.
  'deskForms.addScan': method({
    access: ['registrar'],
    args: z
      .object({
        serviceId: z.string().trim().min(1).max(60),
        documentId: z.string().trim().min(1).max(60),
        fileName: z.string().trim().min(1).max(200),
        dataBase64: z.string().max(MAX_SCAN_BASE64, `a scan is at most ${MAX_SCAN_BYTES / 1024 / 1024} MB`),
      })
      .strict(),
    result: scanSchema,
  }),
  'deskForms.removeScan': method({
    access: ['registrar'],
    args: z.object({ scanId: z.number().int().positive() }).strict(),
    result: z.object({ removed: z.boolean() }),
  }),
  // Whoever handles the request (checked in the service): the roles that take its steps.
  'deskForms.ofRequest': method({
    access: 'staff',
    args: z.object({ requestId: z.number().int().positive() }).strict(),
    result: deskFormViewSchema,
  }),
  'deskForms.scan': method({
    access: 'staff',
    args: z.object({ scanId: z.number().int().positive() }).strict(),
    result: z.object({ fileName: z.string(), mediaType: z.enum(SCAN_MEDIA_TYPES), dataBase64: z.string() }),
  }),
});

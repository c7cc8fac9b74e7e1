/**
 * Contract slice `desk.*` (issue 4): what the front-desk screens load at once (today, districts, doctors, the
 * attachment checklist, the services). The desk's other slices are districts, timetables, appointments,
 * home-visits, attachments and journals. Handlers: electron/services/handlers/desk.ts (electron/services/desk).
 */
import { z } from 'zod';
import { districtSchema, doctorSchema, localizedSchema, pdfSchema } from '../desk';
import { defineSlice, method, none } from './spec';

export const deskApi = defineSlice(['desk'], {
  'desk.overview': method({
    access: 'staff',
    args: none,
    result: z.object({
      today: z.string(),
      now: z.string(),
      timeZone: z.string(),
      districts: z.array(districtSchema),
      doctors: z.array(doctorSchema),
      attachmentDocuments: z.array(z.object({ id: z.string(), title: localizedSchema, required: z.boolean() })),
      services: z.array(z.object({ id: z.string(), inForce: z.boolean(), title: localizedSchema, channels: z.array(z.string()) })),
    }),
  }),
  /** The motivated refusals the regulation allows at the desk for a service, and whether manual entry may replace the register. */
  'desk.refusalGrounds': method({
    access: ['registrar', 'administrator'],
    args: z.object({ serviceId: z.string().trim().min(1).max(80), channel: z.enum(['desk', 'phone']) }).strict(),
    result: z.object({
      grounds: z.array(z.object({ code: z.string(), reason: localizedSchema })),
      manualEntryAllowed: z.boolean(),
    }),
  }),
  /** Records a motivated refusal (issue 15, point 4): the request walked to the regulation's refusal edge. */
  'desk.refuse': method({
    access: ['registrar'],
    args: z
      .object({
        serviceId: z.string().trim().min(1).max(80),
        channel: z.enum(['desk', 'phone']),
        iin: z.string().trim().max(20),
        /** The name the person gives when they are not in the population register. */
        personName: z.string().trim().max(200).nullable().optional(),
        ground: z.string().trim().min(1).max(80),
        note: z.string().trim().max(500).nullable().optional(),
      })
      .strict(),
    result: z.object({ requestId: z.number().int(), number: z.string(), ground: z.string() }),
  }),
  /** The printed refusal (kk and ru) for the citizen to take away. */
  'desk.refusalPdf': method({
    access: ['registrar', 'administrator'],
    args: z.object({ requestId: z.number().int().positive() }).strict(),
    result: pdfSchema,
  }),
});

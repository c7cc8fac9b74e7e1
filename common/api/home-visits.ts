/**
 * Contract slice `homeVisits.*` (issue 4): home-visit calls, their outcome, a person's calls and a doctor's day
 * list. Handlers: electron/services/handlers/home-visits.ts (electron/services/desk).
 */
import { z } from 'zod';
import { requestStartedAtSchema } from '../desk';
import { CALLERS, clockTime, doctorSchema, homeVisitSchema, isoDate as deskIsoDate, pdfSchema } from '../desk';
import { phoneSchema } from '../schemas';
import { deskCertificationSchema } from './desk-forms';
import { defineSlice, method } from './spec';

export const homeVisitsApi = defineSlice(['homeVisits'], {
  'homeVisits.register': method({
    access: ['registrar'],
    args: z
      .object({
        iin: z.string().trim().max(20),
        channel: z.enum(['desk', 'phone']),
        address: z.string().trim().min(3).max(200),
        phone: phoneSchema.nullable().optional(),
        complaint: z.string().trim().min(2).max(500),
        caller: z.enum(CALLERS),
        callerName: z.string().trim().max(120).nullable().optional(),
        districtId: z.number().int().positive().nullable().optional(),
        doctorId: z.number().int().positive(),
        visitDate: deskIsoDate,
        windowFrom: clockTime,
        windowTo: clockTime,
        lateReason: z.string().trim().max(300).nullable().optional(),
        /** The desk form certified with the registrar's ЭЦҚ where the regulation asks for it (issue 15, point 6). */
        certification: deskCertificationSchema.optional(),
        /** When the registrar began with the person (documents handed in, call answered): the request's clock. */
        startedAt: requestStartedAtSchema,
      })
      .strict(),
    result: homeVisitSchema,
  }),
  // The registrar, or the doctor the call was given to (checked in the service).
  'homeVisits.setStatus': method({
    access: ['registrar', 'physician'],
    args: z
      .object({
        id: z.number().int().positive(),
        status: z.enum(['visited', 'cancelled']),
        reason: z.string().trim().max(300).nullable().optional(),
      })
      .strict(),
    result: homeVisitSchema,
  }),
  'homeVisits.ofPerson': method({
    access: 'staff',
    args: z.object({ iin: z.string().trim().max(20) }).strict(),
    result: z.array(homeVisitSchema),
  }),
  'homeVisits.doctorDay': method({
    access: 'staff',
    args: z.object({ doctorId: z.number().int().positive(), date: deskIsoDate }).strict(),
    result: z.object({ doctor: doctorSchema, date: z.string(), visits: z.array(homeVisitSchema) }),
  }),
  'homeVisits.doctorDayPdf': method({
    access: 'staff',
    args: z.object({ doctorId: z.number().int().positive(), date: deskIsoDate }).strict(),
    result: pdfSchema,
  }),
});

/**
 * Contract slice `appointments.*` (issue 4): free slots, booking without double booking, cancelling,
 * rescheduling, a person's appointments and the appointment slip. Handlers:
 * electron/services/handlers/appointments.ts (electron/services/desk).
 */
import { z } from 'zod';
import { requestStartedAtSchema } from '../desk';
import { appointmentSchema, isoDate as deskIsoDate, pdfSchema, unavailableSchema } from '../desk';
import { specialtySchema } from '../schemas';
import { deskCertificationSchema } from './desk-forms';
import { defineSlice, method, none } from './spec';

export const appointmentsApi = defineSlice(['appointments'], {
  'appointments.freeSlots': method({
    access: 'staff',
    args: z
      .object({
        doctorId: z.number().int().positive().nullable().optional(),
        specialty: specialtySchema.nullable().optional(),
        from: deskIsoDate.nullable().optional(),
        days: z.number().int().min(1).max(42).default(28),
        limit: z.number().int().min(1).max(500).default(20),
      })
      .strict(),
    result: z.object({
      from: z.string(),
      to: z.string(),
      slots: z.array(
        z.object({
          doctorId: z.number().int(),
          doctorName: z.string(),
          specialty: specialtySchema,
          room: z.string().nullable(),
          start: z.string(),
          date: z.string(),
          time: z.string(),
        }),
      ),
      unavailable: z.array(unavailableSchema),
    }),
  }),
  'appointments.book': method({
    access: ['registrar'],
    args: z
      .object({
        iin: z.string().trim().max(20),
        doctorId: z.number().int().positive(),
        slotStart: z.string().max(40).nullable().optional(),
        channel: z.enum(['desk', 'phone']),
        walkIn: z.boolean().optional(),
        note: z.string().trim().max(300).nullable().optional(),
        /** The desk form certified with the registrar's ЭЦҚ where the regulation asks for it (issue 15, point 6). */
        certification: deskCertificationSchema.optional(),
        /** When the registrar began with the person (documents handed in, call answered): the request's clock. */
        startedAt: requestStartedAtSchema,
      })
      .strict(),
    result: appointmentSchema,
  }),
  'appointments.cancel': method({
    access: ['registrar', 'administrator'],
    args: z.object({ id: z.number().int().positive(), reason: z.string().trim().min(3).max(300) }).strict(),
    result: appointmentSchema,
  }),
  'appointments.reschedule': method({
    access: ['registrar'],
    args: z
      .object({
        id: z.number().int().positive(),
        slotStart: z.string().max(40),
        doctorId: z.number().int().positive().nullable().optional(),
        reason: z.string().trim().max(300).nullable().optional(),
      })
      .strict(),
    result: appointmentSchema,
  }),
  'appointments.ofPerson': method({
    access: 'staff',
    args: z.object({ iin: z.string().trim().max(20) }).strict(),
    result: z.array(appointmentSchema),
  }),
  // The registrar's own bookings that lost their slot to another desk (issue 13): move them, tell the patient.
  'appointments.lost': method({ access: ['registrar'], args: none, result: z.array(appointmentSchema) }),
  'appointments.slip': method({ access: 'staff', args: z.object({ id: z.number().int().positive() }).strict(), result: pdfSchema }),
});

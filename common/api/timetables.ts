/**
 * Contract slice `timetables.*` (issue 4): a doctor's week, the weekly template and its exceptions (leave,
 * sickness, changed hours). Handlers: electron/services/handlers/timetables.ts (electron/services/desk).
 */
import { z } from 'zod';
import {
  appointmentSchema,
  clockTime,
  EXCEPTION_KINDS,
  isoDate as deskIsoDate,
  timetableExceptionSchema,
  timetableTemplateSchema,
  timetableWeekSchema,
} from '../desk';
import { defineSlice, method, okResult } from './spec';

export const timetablesApi = defineSlice(['timetables'], {
  'timetables.week': method({
    access: 'staff',
    args: z.object({ doctorId: z.number().int().positive(), from: deskIsoDate.nullable().optional() }).strict(),
    result: timetableWeekSchema,
  }),
  'timetables.setTemplate': method({
    access: ['administrator'],
    args: z.object({ doctorId: z.number().int().positive(), template: timetableTemplateSchema }).strict(),
    result: timetableWeekSchema,
  }),
  'timetables.addException': method({
    access: ['administrator'],
    args: z
      .object({
        doctorId: z.number().int().positive(),
        kind: z.enum(EXCEPTION_KINDS),
        from: deskIsoDate,
        to: deskIsoDate,
        start: clockTime.nullable().optional(),
        end: clockTime.nullable().optional(),
        note: z.string().trim().max(200).nullable().optional(),
      })
      .strict(),
    result: z.object({ exception: timetableExceptionSchema, affected: z.array(appointmentSchema) }),
  }),
  'timetables.removeException': method({
    access: ['administrator'],
    args: z.object({ id: z.number().int().positive() }).strict(),
    result: okResult,
  }),
});

/**
 * Contract slice `desk.*` (issue 4): what the front-desk screens load at once (today, districts, doctors, the
 * attachment checklist, the services). The desk's other slices are districts, timetables, appointments,
 * home-visits, attachments and journals. Handlers: electron/services/handlers/desk.ts (electron/services/desk).
 */
import { z } from 'zod';
import { districtSchema, doctorSchema, localizedSchema } from '../desk';
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
});

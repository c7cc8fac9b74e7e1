/**
 * Contract slice `districts.*` (issue 4): a person's district by attachment or address, and the administrator's
 * districts. Handlers: electron/services/handlers/districts.ts (electron/services/desk).
 */
import { z } from 'zod';
import { districtAddressSchema, districtResolutionSchema, districtSchema } from '../desk';
import { defineSlice, method } from './spec';

export const districtsApi = defineSlice(['districts'], {
  'districts.resolve': method({
    access: 'staff',
    args: z
      .object({
        iin: z.string().trim().max(20),
        address: z.string().trim().max(200).nullable().optional(),
        districtId: z.number().int().positive().nullable().optional(),
      })
      .strict(),
    result: districtResolutionSchema,
  }),
  'districts.save': method({
    access: ['administrator'],
    args: z
      .object({
        id: z.number().int().positive().nullable().optional(),
        number: z.string().trim().min(1).max(10),
        name: z.string().trim().min(1).max(120),
        therapistId: z.number().int().positive().nullable(),
        paediatricianId: z.number().int().positive().nullable(),
        gpId: z.number().int().positive().nullable(),
        addresses: z.array(districtAddressSchema).max(200),
      })
      .strict(),
    result: districtSchema,
  }),
});

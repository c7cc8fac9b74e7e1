/**
 * Contract slice `org.*` and `staff.*`: the organization's own record and the administrator's staff accounts.
 * Handlers: electron/services/handlers/admin.ts (electron/services/staff-admin.ts).
 */
import { z } from 'zod';
import { loginSchema, organizationSchema, roleSchema, specialtySchema, staffSchema } from '../schemas';
import { orgProfileSchema } from '../organization';
import { defineSlice, method, none } from './spec';

const registersHereSchema = z.object({ enabled: z.boolean(), enrolled: z.boolean() });

export const adminApi = defineSlice(['org', 'staff'], {
  'org.get': method({ access: 'staff', args: none, result: organizationSchema }),
  'org.update': method({ access: ['administrator'], args: orgProfileSchema.strict(), result: organizationSchema }),
  // Whether this desk checks the dispensary registers: only such desks are sent the clinic's register entries.
  'org.registersHere': method({ access: ['administrator'], args: none, result: registersHereSchema }),
  'org.setRegistersHere': method({
    access: ['administrator'],
    args: z.object({ enabled: z.boolean() }).strict(),
    result: registersHereSchema,
  }),
  'org.workstations': method({
    access: ['administrator'],
    args: none,
    result: z.array(
      z.object({ id: z.string(), code: z.string(), name: z.string(), enrolledAt: z.string().nullable(), thisDesk: z.boolean() }),
    ),
  }),

  'staff.list': method({ access: ['administrator'], args: none, result: z.array(staffSchema) }),
  'staff.create': method({
    access: ['administrator'],
    args: z
      .object({
        login: loginSchema,
        fullName: z.string().trim().min(3).max(120),
        iin: z.string().trim().max(12).nullable().optional(),
        role: roleSchema,
        specialty: specialtySchema.nullable().optional(),
      })
      .strict(),
    result: z.object({ staff: staffSchema, temporaryPassword: z.string() }),
  }),
  'staff.setDisabled': method({
    access: ['administrator'],
    args: z.object({ id: z.number().int().positive(), disabled: z.boolean() }).strict(),
    result: staffSchema,
  }),
  'staff.resetPassword': method({
    access: ['administrator'],
    args: z.object({ id: z.number().int().positive() }).strict(),
    result: z.object({ staff: staffSchema, temporaryPassword: z.string() }),
  }),
});

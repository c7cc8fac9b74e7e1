/**
 * Contract slice `updates.*` (issue 17 point 5): application updates published on the central server. The
 * administrator sees what is new and installs it only by an explicit call; never during a cash shift or a
 * signature. Handlers: electron/services/handlers/updates.ts (electron/services/updates).
 */
import { z } from 'zod';
import { defineSlice, method, none } from './spec';

const ADMIN = ['administrator'] as const;

export const updateCheckSchema = z.object({
  current: z.string(),
  available: z.string().nullable(),
  notes: z.string().nullable(),
  size: z.number().int().nonnegative().nullable(),
  releaseDate: z.string().nullable(),
  blockedBy: z.enum(['cash-shift', 'signing']).nullable(),
});
export type UpdateCheckInfo = z.infer<typeof updateCheckSchema>;

export const updatesApi = defineSlice(['updates'], {
  'updates.check': method({ access: ADMIN, args: none, result: updateCheckSchema }),
  // Downloads, verifies against the manifest's SHA-512 and hands the installer to the shell, which restarts.
  'updates.install': method({
    access: ADMIN,
    args: z.object({ confirm: z.literal(true) }).strict(),
    result: z.object({ version: z.string(), file: z.string(), bytes: z.number().int(), launched: z.boolean() }),
  }),
});

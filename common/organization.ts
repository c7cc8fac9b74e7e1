/**
 * The organization's profile as the central server keeps it and hands it to every desk (issue 13): what the
 * administrator confirms at enrollment and edits on the organization screen. The BIN and the workstation's own code
 * are not part of it: the BIN never changes, and the code belongs to one desk.
 */
import { z } from 'zod';

export const orgProfileSchema = z.object({
  name: z.object({ kk: z.string().trim().min(1).max(300), ru: z.string().trim().min(1).max(300), en: z.string().trim().max(300) }),
  region: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
  timezone: z.string().regex(/^[A-Za-z_]+\/[A-Za-z_+-]+$/),
  address: z.string().trim().max(300),
});
export type OrgProfile = z.infer<typeof orgProfileSchema>;

/** A workstation's short code: a letter and digits (D1, D12), printed at the start of every number it issues. */
export const WORKSTATION_CODE = /^[A-Z][0-9]{1,4}$/;

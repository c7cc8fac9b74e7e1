/**
 * Desk request forms certified with the employee's ЭЦҚ, with scanned documents (issue 15, point 6; Astana, table 2,
 * act 5). The shapes the workstation, the contract and the screens share, and the one rule for a scan's file: a PNG,
 * JPEG or PDF recognised by its first bytes (never by its name), at most MAX_SCAN_BYTES.
 *
 * Pure TypeScript (no Node, no DOM): the renderer checks a chosen file with the same rule before sending it.
 */
import { z } from 'zod';

/** A scanner's A4 page as a JPEG is 0.5–3 MB; a multi-page PDF rarely passes 10 MB. */
export const MAX_SCAN_BYTES = 10 * 1024 * 1024;

export const SCAN_MEDIA_TYPES = ['image/png', 'image/jpeg', 'application/pdf'] as const;
export type ScanMediaType = (typeof SCAN_MEDIA_TYPES)[number];

const MAGIC: ReadonlyArray<{ type: ScanMediaType; bytes: readonly number[] }> = [
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // "%PDF-"
];

/** The file's type from its first bytes, or null when it is none of the accepted ones. */
export function scanMediaType(head: Uint8Array): ScanMediaType | null {
  return MAGIC.find((m) => m.bytes.every((b, i) => head[i] === b))?.type ?? null;
}

/** A scan as listed (without its bytes). */
export const scanSchema = z.object({
  id: z.number(),
  documentId: z.string(),
  fileName: z.string(),
  mediaType: z.enum(SCAN_MEDIA_TYPES),
  size: z.number(),
  sha256: z.string(),
  addedAt: z.string(),
});
export type Scan = z.infer<typeof scanSchema>;

const localizedSchema = z.object({ kk: z.string(), ru: z.string(), en: z.string() });

/** What the desk form of a service asks for, by the regulation in force today. */
export const deskFormRequirementsSchema = z.object({
  serviceId: z.string(),
  /** The desk form is certified with the employee's ЭЦҚ (the step declares `deskForm`). */
  certify: z.boolean(),
  stepId: z.string().nullable(),
  documents: z.array(z.object({ id: z.string(), title: localizedSchema, required: z.boolean() })),
  /** The registrar's scans chosen for this service's form and not yet registered. */
  drafts: z.array(scanSchema),
  maxScanBytes: z.number(),
});
export type DeskFormRequirements = z.infer<typeof deskFormRequirementsSchema>;

/** The certification line and the scans of a registered request, as whoever handles it sees them. */
export const deskFormViewSchema = z.object({
  requestId: z.number(),
  /** The regulation asks for a certified form on this request's service. */
  required: z.boolean(),
  certification: z
    .object({
      signerName: z.string(),
      signedAt: z.string(),
      serial: z.string(),
      hash: z.string(),
      /** The signature checks against the stored form, and every scan still has the hash the form names. */
      verified: z.boolean(),
      /** What failed, when not verified: `signature`, or `scan:<file name>`. */
      problems: z.array(z.string()),
    })
    .nullable(),
  scans: z.array(scanSchema),
});
export type DeskFormView = z.infer<typeof deskFormViewSchema>;

/**
 * Contract slice `backups.*`, `auditLog.*`, `populationImport.*` and `loginLinks.*` (issue 16): what the
 * administrator of an installed clinic does on the Administration screen and a script does with `tirkeu`.
 * Handlers: electron/services/handlers/maintenance.ts (electron/services/admin/).
 */
import { z } from 'zod';
import { IIN_INVALID_REASONS } from '../iin';
import { REJECTED_FIELDS, REJECTION_CODES } from '../population-rejections';
import { LANGUAGES } from '../roles';
import { defineSlice, method, none } from './spec';

const ADMIN = ['administrator'] as const;

export const backupFileSchema = z.object({
  name: z.string(),
  kind: z.enum(['daily', 'manual', 'before-restore', 'before-upgrade']),
  takenAt: z.string(),
  bytes: z.number().int().nonnegative(),
});
export type BackupFileInfo = z.infer<typeof backupFileSchema>;

export const backupContentsSchema = z.object({
  schemaVersion: z.number().int(),
  people: z.number().int(),
  requests: z.number().int(),
  staff: z.number().int(),
  auditEntries: z.number().int(),
  lastAuditAt: z.string().nullable(),
  organization: z.object({ kk: z.string(), ru: z.string() }).nullable(),
});
export type BackupContentsInfo = z.infer<typeof backupContentsSchema>;

const backupName = z.object({ name: z.string().trim().min(1).max(200) }).strict();

const auditVerdictSchema = z.union([
  z.object({ ok: z.literal(true), rows: z.number().int() }),
  z.object({
    ok: z.literal(false),
    rows: z.number().int(),
    brokenAt: z.number().int(),
    reason: z.enum(['hash-mismatch', 'prev-hash-mismatch', 'gap']),
  }),
]);
const auditServerSchema = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({
    ok: z.literal(false),
    problem: z.literal('truncated'),
    endsAt: z.number().int(),
    acknowledged: z.number().int(),
    message: z.string(),
  }),
  z.object({ ok: z.literal(false), problem: z.literal('rehashed'), row: z.number().int(), message: z.string() }),
]);
export const auditCheckSchema = z.object({
  ok: z.boolean(),
  chain: auditVerdictSchema,
  acknowledged: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  server: auditServerSchema.nullable(),
});
export type AuditCheckInfo = z.infer<typeof auditCheckSchema>;

/** A rejected row: why, as a code with parameters the screen puts in words (common/population-rejections.ts). */
const rejectedRowSchema = z.object({
  line: z.number().int(),
  iin: z.string(),
  code: z.enum(REJECTION_CODES),
  params: z
    .object({ reason: z.enum(IIN_INVALID_REASONS).optional(), given: z.string().optional(), fromIin: z.string().optional() })
    .optional(),
  field: z.enum(REJECTED_FIELDS),
});
export const uploadStatusSchema = z.object({
  id: z.string(),
  state: z.enum(['uploading', 'importing', 'done', 'failed', 'cancelled']),
  fileName: z.string(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  /** While importing: 'reading' the file, or 'finishing' (the new register sorted, indexed and swapped in). */
  phase: z.enum(['reading', 'finishing']).nullable(),
  rowsPerSecond: z.number().nonnegative(),
  /** Estimated seconds until the import ends; null until there is a rate. */
  secondsLeft: z.number().nonnegative().nullable(),
  report: z.object({ read: z.number().int(), imported: z.number().int(), rejectedCount: z.number().int(), seconds: z.number() }).nullable(),
  rejected: z.array(rejectedRowSchema),
  error: z.object({ code: z.enum(['encoding', 'header', 'io', 'internal']), message: z.string() }).nullable(),
});
export type UploadStatusInfo = z.infer<typeof uploadStatusSchema>;

/** Bytes per chunk: base64 of 1 MiB fits the web host's 2 MB request body. */
export const UPLOAD_CHUNK_BYTES = 1 << 20;
/** The largest register file accepted (a whole region's extract is ~200 MB). */
export const MAX_UPLOAD_BYTES = 1 << 30;
const uploadId = z.string().regex(/^[0-9a-f]{24}$/);

export const maintenanceApi = defineSlice(['backups', 'auditLog', 'populationImport', 'loginLinks'], {
  'backups.list': method({
    access: ADMIN,
    args: none,
    result: z.object({ backups: z.array(backupFileSchema), keepDays: z.number().int(), folder: z.string() }),
  }),
  'backups.take': method({ access: ADMIN, args: none, result: backupFileSchema }),
  'backups.setKeepDays': method({
    access: ADMIN,
    args: z.object({ days: z.number().int().min(1).max(365) }).strict(),
    result: z.object({ keepDays: z.number().int() }),
  }),
  'backups.preview': method({
    access: ADMIN,
    args: backupName,
    result: z.object({ backup: backupFileSchema, contents: backupContentsSchema, current: backupContentsSchema }),
  }),
  // Irreversible for the data entered since the copy: the screen asks to type a confirmation first.
  'backups.restore': method({
    access: ADMIN,
    args: backupName.extend({ confirm: z.literal(true) }).strict(),
    result: z.object({ restored: backupFileSchema, safetyCopy: backupFileSchema, contents: backupContentsSchema }),
  }),

  'auditLog.check': method({ access: ADMIN, args: none, result: auditCheckSchema }),

  'populationImport.begin': method({
    access: ADMIN,
    args: z.object({ fileName: z.string().trim().min(1).max(200), bytes: z.number().int().min(1).max(MAX_UPLOAD_BYTES) }).strict(),
    result: uploadStatusSchema,
  }),
  'populationImport.chunk': method({
    access: ADMIN,
    args: z
      .object({ id: uploadId, offset: z.number().int().nonnegative(), data: z.string().max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4) })
      .strict(),
    result: uploadStatusSchema,
  }),
  'populationImport.start': method({
    access: ADMIN,
    args: z.object({ id: uploadId, encoding: z.enum(['utf-8', 'windows-1251']).optional() }).strict(),
    result: uploadStatusSchema,
  }),
  'populationImport.status': method({ access: ADMIN, args: z.object({ id: uploadId }).strict(), result: uploadStatusSchema }),
  // Stops an import before its new register is swapped in: the register stays as it was.
  'populationImport.cancel': method({ access: ADMIN, args: z.object({ id: uploadId }).strict(), result: uploadStatusSchema }),
  // All listed rejected rows (up to 1000) as the file the screen saves, in the language it asks for.
  'populationImport.rejectedRows': method({
    access: ADMIN,
    args: z.object({ id: uploadId, language: z.enum(LANGUAGES) }).strict(),
    result: z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int() }),
  }),

  // Browser mode only: a new one-time link for another browser; null in the Electron window.
  'loginLinks.issue': method({ access: ADMIN, args: none, result: z.object({ url: z.string().nullable() }) }),
});

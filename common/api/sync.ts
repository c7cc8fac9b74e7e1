/**
 * Contract slice `sync.*` (issue 7): the workstation's sync with the central server, its state and its issues.
 * Handlers: electron/services/handlers/sync.ts (electron/services/sync).
 */
import { z } from 'zod';
import { orgProfileSchema } from '../organization';
import { defineSlice, method, none } from './spec';

const syncStatusSchema = z.object({
  enrolled: z.boolean(),
  serverUrl: z.string().nullable(),
  workstationId: z.string().nullable(),
  online: z.boolean().nullable(),
  syncing: z.boolean(),
  queued: z.number().int(),
  issues: z.number().int(),
  lastSuccessAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  clockSkewMs: z.number().nullable(),
  clockWarning: z.boolean(),
  updateRequired: z.string().nullable(),
  unauthorized: z.boolean(),
  /** The server refused this workstation's audit head: its audit log was cut or rewritten (issue 14). */
  auditForked: z.string().nullable(),
  secretsUnavailable: z.string().nullable(),
  progress: z.object({ phase: z.enum(['push', 'pull']), done: z.number(), total: z.number().nullable() }).nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;
const syncIssueSchema = z.object({
  id: z.number().int(),
  opId: z.string(),
  kind: z.string(),
  entity: z.string(),
  entityId: z.string(),
  status: z.enum(['rejected', 'conflict']),
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
});
export type SyncIssue = z.infer<typeof syncIssueSchema>;

const enrollArgs = z.object({ serverUrl: z.string().trim().min(8).max(300), code: z.string().trim().min(4).max(64) }).strict();

export const syncApi = defineSlice(['sync'], {
  'sync.status': method({ access: 'staff', args: none, result: syncStatusSchema }),
  'sync.issues': method({
    // The registrar calls back the patients of lost bookings; the administrator deals with rejected operations.
    access: ['administrator', 'registrar'],
    args: none,
    result: z.array(syncIssueSchema),
  }),
  // Whose code this is, without using it up: the administrator confirms the organization before enrolling.
  'sync.previewEnrollment': method({
    access: ['administrator'],
    args: enrollArgs,
    result: z.object({
      serverUrl: z.string(),
      orgBin: z.string(),
      organization: orgProfileSchema.nullable(),
      expiresAt: z.string(),
      localBin: z.string(),
      holdsData: z.boolean(),
      acceptable: z.boolean(),
    }),
  }),
  'sync.resolveIssue': method({
    access: ['administrator', 'registrar'],
    args: z.object({ id: z.number().int().positive() }).strict(),
    result: z.object({ ok: z.literal(true) }),
  }),
  'sync.enroll': method({
    access: ['administrator'],
    args: enrollArgs,
    result: z.object({ workstationId: z.string(), workstationCode: z.string(), orgBin: z.string(), serverUrl: z.string() }),
  }),
  'sync.now': method({
    access: ['administrator'],
    args: none,
    result: z.object({
      ok: z.boolean(),
      pushed: z.object({ applied: z.number().int(), duplicate: z.number().int(), rejected: z.number().int(), conflict: z.number().int() }),
      pulled: z.number().int(),
      error: z.string().nullable(),
      blocked: z
        .enum([
          'not-enrolled',
          'org-mismatch',
          'secrets-unavailable',
          'update-required',
          'unauthorized',
          'audit-forked',
          'offline',
          'server-error',
        ])
        .nullable(),
    }),
  }),
});

/**
 * Contract slice of document verification (issue 19): `verifications.*`. A scanned or typed document URL checked at
 * the desk (locally for this desk's own documents, so it works offline; through the central server for the
 * others), a document revoked by the administrator, and the public page's check counts.
 * Handlers: electron/services/handlers/verifications.ts (electron/services/verification/).
 */
import { z } from 'zod';
import { DOCUMENT_KINDS, DOCUMENT_NUMBER, DOCUMENT_STATUSES } from '../verification';
import { defineSlice, method, none } from './spec';

const texts = z.object({ kk: z.string(), ru: z.string() });

export const documentShowsSchema = z.object({
  title: texts,
  person: z.string().nullable(),
  iin: z.string().nullable(),
  anonymousCode: z.string().nullable(),
  organization: z.object({ bin: z.string(), name: texts }),
  issuedOn: z.string(),
  lines: z.array(z.object({ label: texts, value: texts })),
  signers: z.array(z.object({ name: z.string(), position: texts, signedAt: z.string().nullable() })),
});

export const documentCheckSchema = z.object({
  found: z.boolean(),
  /** `local`: this desk's own record; `server`: the central server's page; `offline`: neither could say. */
  source: z.enum(['local', 'server', 'offline']),
  number: z.string(),
  kind: z.enum(DOCUMENT_KINDS).nullable(),
  status: z.enum(DOCUMENT_STATUSES).nullable(),
  statusReason: z.string().nullable(),
  shows: documentShowsSchema.nullable(),
  /** What the desk opens: the request, and the person for a talon (never for an HIV document). */
  requestId: z.number().int().nullable(),
  personIin: z.string().nullable(),
  signatureVerified: z.boolean().nullable(),
});
export type DocumentCheck = z.infer<typeof documentCheckSchema>;

const numberArg = z.string().trim().regex(DOCUMENT_NUMBER, 'a document number');

export const verificationsApi = defineSlice(['verifications'], {
  'verifications.check': method({
    access: 'staff',
    args: z.object({ number: numberArg, code: z.string().trim().min(16).max(24) }).strict(),
    result: documentCheckSchema,
  }),
  'verifications.revoke': method({
    access: ['administrator'],
    args: z.object({ number: numberArg, reason: z.string().trim().min(3).max(300) }).strict(),
    result: documentCheckSchema,
  }),
  'verifications.checks': method({
    access: ['administrator'],
    args: none,
    result: z.object({
      reachable: z.boolean(),
      documents: z.array(
        z.object({
          number: z.string(),
          kind: z.enum(DOCUMENT_KINDS),
          status: z.enum(DOCUMENT_STATUSES),
          checks: z.number().int(),
          lastCheckedAt: z.string().nullable(),
        }),
      ),
    }),
  }),
});

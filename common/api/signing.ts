/**
 * Contract slice `signing.*` (issue 5): key sources, keys and a signature check at the workstation, and the
 * PKCS#11 modules the administrator allows. Its key-source schema is also used by the
 * certificate and e-request slices. Handlers: electron/services/handlers/signing.ts (electron/services/signing-desk.ts).
 */
import { z } from 'zod';
import type { Role } from '../roles';
import { defineSlice, method, none } from './spec';

/** Roles that put a digital signature on documents (physicians; registrars and operators for the provider). */
const SIGNING_ROLES = ['physician', 'registrar', 'operator', 'administrator'] as const satisfies readonly Role[];

export const signingSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pkcs11'), module: z.string().min(1).max(500), token: z.string().min(1).max(64) }).strict(),
  // A key file travels as bytes: the renderer has no file system. NCA key files are a few kilobytes.
  z.object({ kind: z.literal('pkcs12'), fileName: z.string().min(1).max(200), fileBase64: z.string().min(1).max(200_000) }).strict(),
]);

export const certificateInfoSchema = z.object({
  name: z.string(),
  subject: z.string(),
  issuer: z.string(),
  organization: z.string().nullable(),
  iin: z.string().nullable(),
  bin: z.string().nullable(),
  serial: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  keyUsage: z.array(z.string()),
  extKeyUsage: z.array(z.string()),
  canSign: z.boolean(),
  fingerprint: z.string(),
});

const tokenSlotSchema = z.object({
  module: z.string(),
  available: z.boolean(),
  problem: z.string().nullable(),
  tokens: z.array(
    z.object({
      label: z.string(),
      serial: z.string(),
      model: z.string(),
      pinLocked: z.boolean(),
      pinCountLow: z.boolean(),
      pinFinalTry: z.boolean(),
    }),
  ),
});

const signingKeySchema = z.object({
  provider: z.enum(['pkcs11', 'pkcs12']),
  source: z.string(),
  keyId: z.string(),
  label: z.string().nullable(),
  certificate: certificateInfoSchema,
  problem: z.string().nullable(),
});

// Cashiers and nurses never sign (the regulations give them no signature); the dispatcher refuses them.
export const signingApi = defineSlice(['signing'], {
  'signing.sources': method({ access: SIGNING_ROLES, args: none, result: z.array(tokenSlotSchema) }),
  'signing.listKeys': method({
    access: SIGNING_ROLES,
    args: z
      .object({
        source: signingSourceSchema,
        secret: z.string().max(128).nullable().default(null),
        as: z.enum(['self', 'provider']).default('self'),
      })
      .strict(),
    result: z.array(signingKeySchema),
  }),
  'signing.check': method({
    access: SIGNING_ROLES,
    args: z.object({ source: signingSourceSchema, keyId: z.string().max(200).optional(), secret: z.string().min(1).max(128) }).strict(),
    result: z.object({ verified: z.boolean(), signedAt: z.string(), bytes: z.number(), certificate: certificateInfoSchema }),
  }),
  'signing.settings': method({ access: ['administrator'], args: none, result: z.object({ pkcs11Modules: z.array(z.string()) }) }),
  'signing.setModules': method({
    access: ['administrator'],
    args: z.object({ pkcs11Modules: z.array(z.string().trim().min(1).max(500)).max(10) }).strict(),
    result: z.object({ pkcs11Modules: z.array(z.string()) }),
  }),
});

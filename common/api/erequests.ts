/**
 * Contract slice `erequests.*` (issue 8): e-requests from the portal, verified, registered and answered at the
 * workstation; the inbox, the registrar's decision, the answering policy, the provider's key and trust files.
 * Handlers: electron/services/handlers/erequests.ts; services: electron/services/erequests/ (inbox, intake,
 * settings, trust).
 */
import { z } from 'zod';
import { signingSourceSchema } from './signing';
import { defineSlice, method, none } from './spec';

const erequestViewSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  serviceType: z.string().nullable(),
  iin: z.string().nullable(),
  receivedAt: z.string(),
  status: z.enum(['new', 'awaiting-registrar', 'decided', 'done', 'refused']),
  registeredAs: z.string().nullable(),
  deadlineAt: z.string().nullable(),
  timeLeftMs: z.number().nullable(),
  signature: z.object({ valid: z.boolean(), reasons: z.array(z.string()), signer: z.string().nullable() }).nullable(),
  /** `code` + `params` render the detail in the user's language; rows stored before issue 15 have `detail` only. */
  grounds: z.array(
    z.object({
      check: z.string(),
      ok: z.boolean(),
      detail: z.string(),
      code: z.string().optional(),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
      title: z.object({ kk: z.string(), ru: z.string(), en: z.string() }).optional(),
      hold: z.boolean().optional(),
    }),
  ),
  proposal: z.record(z.string(), z.unknown()),
  content: z.record(z.string(), z.unknown()).nullable(),
  decision: z
    .object({
      kind: z.enum(['result', 'refusal']),
      code: z.string().nullable(),
      reasons: z.array(z.string()),
      /** `rules`, or the deciding registrar's login; `byName` their full name (what the screen shows). */
      by: z.string(),
      byName: z.string().nullable(),
    })
    .nullable(),
  journalRef: z.string().nullable(),
  answeredAt: z.string().nullable(),
  /**
   * Which desk holds it (issue 13): `mine` this desk, `taken` another desk until `until` (then it is free again),
   * `elsewhere` registered by another desk, `lost` registered here too but the other desk's registration stands
   * (this one was cancelled: `reason`). Null: no desk has claimed it yet.
   */
  lease: z
    .object({
      state: z.enum(['mine', 'taken', 'elsewhere', 'lost']),
      holder: z.string().nullable(),
      holderName: z.string().nullable(),
      until: z.string().nullable(),
      reason: z.string().nullable(),
    })
    .nullable(),
});
const erequestSettingsSchema = z.object({
  policy: z.object({ autoAnswer: z.boolean(), confirmAutomated: z.boolean(), onBehalfOf: z.string().nullable() }),
  providerKey: z.object({ kind: z.enum(['pkcs11', 'pkcs12']), label: z.string(), keyId: z.string().nullable() }).nullable(),
  trustFiles: z.array(z.object({ id: z.number().int(), name: z.string(), kind: z.enum(['ca-certificate', 'crl']), addedAt: z.string() })),
  trustFromServer: z.number().int(),
});

export const erequestsApi = defineSlice(['erequests'], {
  'erequests.inbox': method({
    access: ['registrar', 'administrator'],
    args: z.object({ open: z.boolean().default(true), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    result: z.object({ rows: z.array(erequestViewSchema), now: z.string() }),
  }),
  'erequests.get': method({
    access: ['registrar', 'administrator'],
    args: z.object({ id: z.number().int().positive() }).strict(),
    result: erequestViewSchema,
  }),
  'erequests.resolve': method({
    access: ['registrar'],
    args: z
      .object({
        id: z.number().int().positive(),
        decision: z.enum(['confirm', 'refuse']),
        reason: z.string().trim().max(500).nullable().optional(),
      })
      .strict(),
    result: erequestViewSchema,
  }),
  'erequests.process': method({
    access: ['registrar', 'administrator'],
    args: none,
    result: z.object({ ingested: z.number(), processed: z.number(), answered: z.number(), taken: z.number(), lost: z.number() }),
  }),
  'erequests.settings': method({ access: ['administrator'], args: none, result: erequestSettingsSchema }),
  'erequests.setPolicy': method({
    access: ['administrator'],
    args: z
      .object({
        autoAnswer: z.boolean(),
        /** The registrar confirms each answer of a fully automated e-service (default: the rules answer them). */
        confirmAutomated: z.boolean().default(false),
        onBehalfOf: z.string().trim().max(60).nullable(),
      })
      .strict(),
    result: erequestSettingsSchema,
  }),
  'erequests.setProviderKey': method({
    access: ['administrator'],
    args: z
      .object({ source: signingSourceSchema, keyId: z.string().max(200).nullable().optional(), secret: z.string().min(1).max(200) })
      .strict(),
    result: erequestSettingsSchema,
  }),
  'erequests.addTrustFile': method({
    access: ['administrator'],
    args: z.object({ fileName: z.string().trim().min(1).max(200), base64: z.string().min(1).max(50_000_000) }).strict(),
    result: erequestSettingsSchema,
  }),
});

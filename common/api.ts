/**
 * The one API contract between the renderer and the main process.
 *
 * Each method is `domain.verb` with zod schemas for its arguments and result and the roles that may call it.
 * The preload exposes exactly these names; electron/ipc.ts and electron/webhost.ts validate with the same schemas
 * through one dispatcher (electron/services/dispatcher.ts), which also enforces `roles`. Adding a method is one
 * entry here and one handler in electron/services/handlers.ts.
 */
import { z } from 'zod';
import type { Role } from './roles';
import {
  languageSchema,
  loginSchema,
  newPersonSchema,
  organizationSchema,
  passwordSchema,
  personSchema,
  phoneSchema,
  roleSchema,
  sessionInfoSchema,
  specialtySchema,
  staffSchema,
} from './schemas';
import { CHANNELS } from './regulations';
import {
  appointmentSchema,
  attachmentSchema,
  CALLERS,
  clockTime,
  districtAddressSchema,
  districtResolutionSchema,
  districtSchema,
  doctorSchema,
  EXCEPTION_KINDS,
  homeVisitSchema,
  isoDate as deskIsoDate,
  journalQuerySchema,
  journalResultSchema,
  localizedSchema,
  pdfSchema,
  timetableExceptionSchema,
  timetableTemplateSchema,
  timetableWeekSchema,
  unavailableSchema,
} from './desk';
import {
  calendarSettingsSchema,
  dashboardSchema,
  dateRangeSchema,
  queueRowSchema,
  regulationSummarySchema,
  requestViewSchema,
  SURVEY_ANSWERS,
  surveyReportSchema,
} from './workflow';
import {
  cashEntrySchema,
  certificateSummarySchema,
  dispensaryIsoDate,
  HIV_RESULTS,
  PAYMENT_METHODS,
  priceSchema,
  RECEIPT_LAYOUTS,
  REGISTER_KINDS,
  registerCheckSchema,
  registerImportReportSchema,
  requestExtrasSchema,
  shiftSchema,
  shiftTotalsSchema,
} from './dispensary';

/** `public`: callable before login (only login itself); `staff`: any logged-in role; or a list of roles. */
export type Access = 'public' | 'staff' | readonly Role[];

export interface MethodSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  access: Access;
  args: A;
  result: R;
}

function method<A extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<A, R>): MethodSpec<A, R> {
  return spec;
}

const none = z.object({}).strict();
const okResult = z.object({ ok: z.literal(true) });
/** Roles that act on service requests' steps (the administrator supervises and may cancel, but does not act). */
const WORKFLOW_ROLES = ['registrar', 'operator', 'cashier', 'physician', 'nurse'] as const satisfies readonly Role[];

// Sync (issue 7)
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
  tokens: z.array(z.object({ label: z.string(), serial: z.string(), model: z.string(), pinLocked: z.boolean(), pinCountLow: z.boolean(), pinFinalTry: z.boolean() })),
});

const signingKeySchema = z.object({
  provider: z.enum(['pkcs11', 'pkcs12']),
  source: z.string(),
  keyId: z.string(),
  label: z.string().nullable(),
  certificate: certificateInfoSchema,
  problem: z.string().nullable(),
});


// E-requests (issue 8)
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
  grounds: z.array(z.object({ check: z.string(), ok: z.boolean(), detail: z.string() })),
  proposal: z.record(z.string(), z.unknown()),
  content: z.record(z.string(), z.unknown()).nullable(),
  decision: z.object({ kind: z.enum(['result', 'refusal']), code: z.string().nullable(), reasons: z.array(z.string()), by: z.string() }).nullable(),
  journalRef: z.string().nullable(),
  answeredAt: z.string().nullable(),
});
const erequestSettingsSchema = z.object({
  policy: z.object({ autoAnswer: z.boolean(), onBehalfOf: z.string().nullable() }),
  providerKey: z.object({ kind: z.enum(['pkcs11', 'pkcs12']), label: z.string(), keyId: z.string().nullable() }).nullable(),
  trustFiles: z.array(z.object({ id: z.number().int(), name: z.string(), kind: z.enum(['ca-certificate', 'crl']), addedAt: z.string() })),
  trustFromServer: z.number().int(),
});

export const api = {
  'session.login': method({
    access: 'public',
    args: z.object({ login: z.string().trim().min(1).max(40), password: z.string().min(1).max(128) }).strict(),
    result: sessionInfoSchema,
  }),
  'session.current': method({ access: 'public', args: none, result: sessionInfoSchema.nullable() }),
  'session.logout': method({ access: 'public', args: none, result: okResult }),
  'session.setLanguage': method({ access: 'staff', args: z.object({ language: languageSchema }).strict(), result: okResult }),
  'session.changePassword': method({
    access: 'staff',
    args: z.object({ current: z.string().min(1).max(128), next: passwordSchema }).strict(),
    result: okResult,
  }),

  'people.findByIin': method({
    access: 'staff',
    // The IIN's arithmetic is checked by the handler so the user hears *why* it is invalid.
    args: z.object({ iin: z.string().trim().max(20) }).strict(),
    result: personSchema.nullable(),
  }),
  'people.search': method({
    access: 'staff',
    args: z.object({ query: z.string().trim().min(1).max(100), limit: z.number().int().min(1).max(50).default(20) }).strict(),
    result: z.object({ people: z.array(personSchema), more: z.boolean() }),
  }),
  'people.createManual': method({
    access: ['registrar', 'operator', 'administrator'],
    args: newPersonSchema.strict(),
    result: personSchema,
  }),

  'org.get': method({ access: 'staff', args: none, result: organizationSchema }),

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
  // ---------------------------------------------------------------------------------------------------------------
  // Workflow (issue 3): regulations, service requests and their steps, deadlines, the quality survey, the
  // organization's working calendar. Handlers: electron/services/workflow/service.ts. The step engine checks the
  // role (and specialty) a step names itself; `access` here only keeps out roles that never act on requests.
  'regulations.inForce': method({
    access: 'staff',
    args: none,
    result: z.object({ region: z.string(), today: z.string(), services: z.array(regulationSummarySchema), upcoming: z.array(regulationSummarySchema) }),
  }),
  'regulations.import': method({
    access: ['administrator'],
    args: z.object({ fileName: z.string().trim().min(1).max(200), text: z.string().min(2).max(1_000_000) }).strict(),
    result: z.object({ imported: regulationSummarySchema, closedPredecessor: z.string().nullable() }),
  }),
  'calendar.get': method({
    access: 'staff',
    args: none,
    result: z.object({ settings: calendarSettingsSchema, timeZone: z.string(), daysOff: z.array(z.string()) }),
  }),
  'calendar.set': method({
    access: ['administrator'],
    args: calendarSettingsSchema,
    result: z.object({ settings: calendarSettingsSchema, timeZone: z.string(), daysOff: z.array(z.string()) }),
  }),
  'requests.start': method({
    access: WORKFLOW_ROLES,
    args: z
      .object({
        serviceId: z.string().trim().min(1).max(80),
        channel: z.enum(CHANNELS),
        /** The person's IIN; null/absent only with `anonymous` (HIV examination): then nothing identifies the person. */
        iin: z.string().trim().max(20).nullable().optional(),
        anonymous: z.boolean().optional(),
        /** The fee due; absent = the regulation's default (0 skips the cashier step). */
        feeKzt: z.number().int().min(0).max(10_000_000).optional(),
      })
      .strict(),
    result: requestViewSchema,
  }),
  'requests.completeStep': method({
    access: WORKFLOW_ROLES,
    args: z
      .object({
        requestId: z.number().int().positive(),
        stepId: z.string().trim().min(1).max(80),
        condition: z.string().trim().min(1).max(80).nullable().optional(),
        note: z.string().trim().max(500).nullable().optional(),
      })
      .strict(),
    result: requestViewSchema,
  }),
  'requests.cancel': method({
    access: 'staff',
    args: z.object({ requestId: z.number().int().positive(), reason: z.string().trim().min(3).max(500) }).strict(),
    result: requestViewSchema,
  }),
  'requests.get': method({ access: 'staff', args: z.object({ requestId: z.number().int().positive() }).strict(), result: requestViewSchema }),
  'requests.queue': method({
    access: 'staff',
    args: z.object({ limit: z.number().int().min(1).max(500).default(200) }).strict(),
    result: z.object({ rows: z.array(queueRowSchema), now: z.string() }),
  }),
  'deadlines.dashboard': method({ access: ['administrator'], args: dateRangeSchema, result: dashboardSchema }),
  'deadlines.report': method({
    access: ['administrator'],
    args: dateRangeSchema,
    result: z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int() }),
  }),
  'survey.record': method({
    access: 'staff',
    args: z
      .object({
        requestId: z.number().int().positive(),
        q1: z.enum(SURVEY_ANSWERS),
        q2: z.enum(SURVEY_ANSWERS),
        source: z.enum(['desk', 'kiosk']).default('desk'),
      })
      .strict(),
    result: okResult,
  }),
  'survey.report': method({ access: ['administrator'], args: dateRangeSchema, result: surveyReportSchema }),

  // --- Sync with the central server (issue 7; electron/services/sync) ---
  'sync.status': method({ access: 'staff', args: none, result: syncStatusSchema }),
  'sync.issues': method({
    // The registrar calls back the patients of lost bookings; the administrator deals with rejected operations.
    access: ['administrator', 'registrar'],
    args: none,
    result: z.array(syncIssueSchema),
  }),
  'sync.enroll': method({
    access: ['administrator'],
    args: z.object({ serverUrl: z.string().trim().min(8).max(300), code: z.string().trim().min(4).max(64) }).strict(),
    result: z.object({ workstationId: z.string(), orgBin: z.string(), serverUrl: z.string() }),
  }),
  'sync.now': method({
    access: ['administrator'],
    args: none,
    result: z.object({
      ok: z.boolean(),
      pushed: z.object({ applied: z.number().int(), duplicate: z.number().int(), rejected: z.number().int(), conflict: z.number().int() }),
      pulled: z.number().int(),
      error: z.string().nullable(),
      blocked: z.enum(['not-enrolled', 'update-required', 'unauthorized', 'offline', 'server-error']).nullable(),
    }),
  }),

  // --- Digital signatures at the workstation (issue 5; electron/services/signing-desk.ts) ---
  // Cashiers and nurses never sign (the regulations give them no signature); the dispatcher refuses them.
  'signing.sources': method({ access: SIGNING_ROLES, args: none, result: z.array(tokenSlotSchema) }),
  'signing.listKeys': method({
    access: SIGNING_ROLES,
    args: z.object({ source: signingSourceSchema, secret: z.string().max(128).nullable().default(null), as: z.enum(['self', 'provider']).default('self') }).strict(),
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
  // --- The front desk (issue 4; electron/services/desk): districts, timetables, home-visit calls, appointments,
  // attachment with its talon, the three journals. Registrations go through the step engine as the registrar.
  'desk.overview': method({
    access: 'staff',
    args: none,
    result: z.object({
      today: z.string(),
      now: z.string(),
      timeZone: z.string(),
      districts: z.array(districtSchema),
      doctors: z.array(doctorSchema),
      attachmentDocuments: z.array(z.object({ id: z.string(), title: localizedSchema, required: z.boolean() })),
      services: z.array(z.object({ id: z.string(), inForce: z.boolean(), title: localizedSchema, channels: z.array(z.string()) })),
    }),
  }),
  'districts.resolve': method({
    access: 'staff',
    args: z.object({ iin: z.string().trim().max(20), address: z.string().trim().max(200).nullable().optional(), districtId: z.number().int().positive().nullable().optional() }).strict(),
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
  'timetables.week': method({
    access: 'staff',
    args: z.object({ doctorId: z.number().int().positive(), from: deskIsoDate.nullable().optional() }).strict(),
    result: timetableWeekSchema,
  }),
  'timetables.setTemplate': method({
    access: ['administrator'],
    args: z.object({ doctorId: z.number().int().positive(), template: timetableTemplateSchema }).strict(),
    result: timetableWeekSchema,
  }),
  'timetables.addException': method({
    access: ['administrator'],
    args: z
      .object({
        doctorId: z.number().int().positive(),
        kind: z.enum(EXCEPTION_KINDS),
        from: deskIsoDate,
        to: deskIsoDate,
        start: clockTime.nullable().optional(),
        end: clockTime.nullable().optional(),
        note: z.string().trim().max(200).nullable().optional(),
      })
      .strict(),
    result: z.object({ exception: timetableExceptionSchema, affected: z.array(appointmentSchema) }),
  }),
  'timetables.removeException': method({ access: ['administrator'], args: z.object({ id: z.number().int().positive() }).strict(), result: okResult }),
  'appointments.freeSlots': method({
    access: 'staff',
    args: z
      .object({
        doctorId: z.number().int().positive().nullable().optional(),
        specialty: specialtySchema.nullable().optional(),
        from: deskIsoDate.nullable().optional(),
        days: z.number().int().min(1).max(42).default(28),
        limit: z.number().int().min(1).max(500).default(20),
      })
      .strict(),
    result: z.object({
      from: z.string(),
      to: z.string(),
      slots: z.array(z.object({ doctorId: z.number().int(), doctorName: z.string(), specialty: specialtySchema, room: z.string().nullable(), start: z.string(), date: z.string(), time: z.string() })),
      unavailable: z.array(unavailableSchema),
    }),
  }),
  'appointments.book': method({
    access: ['registrar'],
    args: z
      .object({
        iin: z.string().trim().max(20),
        doctorId: z.number().int().positive(),
        slotStart: z.string().max(40).nullable().optional(),
        channel: z.enum(['desk', 'phone']),
        walkIn: z.boolean().optional(),
        note: z.string().trim().max(300).nullable().optional(),
      })
      .strict(),
    result: appointmentSchema,
  }),
  'appointments.cancel': method({
    access: ['registrar', 'administrator'],
    args: z.object({ id: z.number().int().positive(), reason: z.string().trim().min(3).max(300) }).strict(),
    result: appointmentSchema,
  }),
  'appointments.reschedule': method({
    access: ['registrar'],
    args: z
      .object({ id: z.number().int().positive(), slotStart: z.string().max(40), doctorId: z.number().int().positive().nullable().optional(), reason: z.string().trim().max(300).nullable().optional() })
      .strict(),
    result: appointmentSchema,
  }),
  'appointments.ofPerson': method({ access: 'staff', args: z.object({ iin: z.string().trim().max(20) }).strict(), result: z.array(appointmentSchema) }),
  'appointments.slip': method({ access: 'staff', args: z.object({ id: z.number().int().positive() }).strict(), result: pdfSchema }),
  'homeVisits.register': method({
    access: ['registrar'],
    args: z
      .object({
        iin: z.string().trim().max(20),
        channel: z.enum(['desk', 'phone']),
        address: z.string().trim().min(3).max(200),
        phone: phoneSchema.nullable().optional(),
        complaint: z.string().trim().min(2).max(500),
        caller: z.enum(CALLERS),
        callerName: z.string().trim().max(120).nullable().optional(),
        districtId: z.number().int().positive().nullable().optional(),
        doctorId: z.number().int().positive(),
        visitDate: deskIsoDate,
        windowFrom: clockTime,
        windowTo: clockTime,
        lateReason: z.string().trim().max(300).nullable().optional(),
      })
      .strict(),
    result: homeVisitSchema,
  }),
  'homeVisits.setStatus': method({
    access: ['registrar', 'physician', 'administrator'],
    args: z.object({ id: z.number().int().positive(), status: z.enum(['visited', 'cancelled']), reason: z.string().trim().max(300).nullable().optional() }).strict(),
    result: homeVisitSchema,
  }),
  'homeVisits.ofPerson': method({ access: 'staff', args: z.object({ iin: z.string().trim().max(20) }).strict(), result: z.array(homeVisitSchema) }),
  'homeVisits.doctorDay': method({
    access: 'staff',
    args: z.object({ doctorId: z.number().int().positive(), date: deskIsoDate }).strict(),
    result: z.object({ doctor: doctorSchema, date: z.string(), visits: z.array(homeVisitSchema) }),
  }),
  'homeVisits.doctorDayPdf': method({ access: 'staff', args: z.object({ doctorId: z.number().int().positive(), date: deskIsoDate }).strict(), result: pdfSchema }),
  'attachments.apply': method({
    access: ['registrar'],
    args: z
      .object({
        iin: z.string().trim().max(20),
        documents: z.array(z.string().trim().min(1).max(60)).max(20),
        districtId: z.number().int().positive().nullable().optional(),
        doctorId: z.number().int().positive().nullable().optional(),
        previousOrganization: z.string().trim().max(200).nullable().optional(),
      })
      .strict(),
    result: attachmentSchema,
  }),
  'attachments.get': method({ access: 'staff', args: z.object({ id: z.number().int().positive() }).strict(), result: attachmentSchema }),
  'attachments.talon': method({ access: 'staff', args: z.object({ id: z.number().int().positive() }).strict(), result: pdfSchema }),
  'journals.list': method({ access: 'staff', args: journalQuerySchema, result: journalResultSchema }),
  'journals.export': method({
    access: 'staff',
    args: journalQuerySchema.extend({ format: z.enum(['pdf', 'csv', 'xlsx']) }),
    result: z.object({ fileName: z.string(), mime: z.string(), base64: z.string() }),
  }),
  // --- Dispensaries, the cash desk and HIV testing (issue 6; electron/services/dispensary) ---
  // Register contents: only the dispensary's roles (checked per register in main); no list method exists at all.
  'registers.check': method({
    access: ['operator', 'registrar'],
    args: z.object({ requestId: z.number().int().positive(), documentsIncomplete: z.boolean().optional(), note: z.string().trim().max(300).nullable().optional() }).strict(),
    result: registerCheckSchema,
  }),
  'registers.lookup': method({
    access: ['operator', 'registrar', 'physician'],
    args: z.object({ register: z.enum(REGISTER_KINDS), iin: z.string().trim().max(20) }).strict(),
    result: registerCheckSchema,
  }),
  'registers.import': method({
    access: ['administrator'],
    args: z.object({ register: z.enum(REGISTER_KINDS), fileName: z.string().trim().min(1).max(200), text: z.string().min(1).max(80_000_000) }).strict(),
    result: registerImportReportSchema,
  }),
  'registers.importProgress': method({
    access: ['administrator'],
    args: none,
    result: z.object({ register: z.enum(REGISTER_KINDS), done: z.number().int(), total: z.number().int() }).nullable(),
  }),
  'requests.extras': method({ access: 'staff', args: z.object({ requestId: z.number().int().positive() }).strict(), result: requestExtrasSchema }),
  'prices.list': method({ access: 'staff', args: none, result: z.array(priceSchema) }),
  'prices.set': method({
    access: ['administrator'],
    args: z.object({ serviceId: z.string().trim().min(1).max(80), feeKzt: z.number().int().min(0).max(10_000_000), effectiveFrom: dispensaryIsoDate }).strict(),
    result: z.array(priceSchema),
  }),
  // A physician cannot take money: the cash desk is the cashier's alone.
  'cash.shift': method({ access: ['cashier'], args: none, result: shiftSchema.nullable() }),
  'cash.openShift': method({ access: ['cashier'], args: none, result: shiftSchema }),
  'cash.closeShift': method({ access: ['cashier'], args: none, result: shiftSchema }),
  'cash.shiftReport': method({ access: ['cashier', 'administrator'], args: z.object({ shiftId: z.number().int().positive() }).strict(), result: pdfSchema }),
  'cash.pay': method({
    access: ['cashier'],
    args: z.object({ requestId: z.number().int().positive(), method: z.enum(PAYMENT_METHODS) }).strict(),
    result: cashEntrySchema,
  }),
  'cash.void': method({
    access: ['cashier'],
    args: z.object({ receiptNo: z.string().trim().min(3).max(40), reason: z.string().trim().min(3).max(300) }).strict(),
    result: cashEntrySchema,
  }),
  'cash.receipt': method({
    access: ['cashier', 'administrator'],
    args: z.object({ receiptNo: z.string().trim().min(3).max(40), layout: z.enum(RECEIPT_LAYOUTS) }).strict(),
    result: pdfSchema,
  }),
  'cash.journal': method({
    access: ['cashier', 'administrator'],
    args: z.object({ from: dispensaryIsoDate, to: dispensaryIsoDate }).strict(),
    result: z.object({ rows: z.array(cashEntrySchema), totals: shiftTotalsSchema }),
  }),
  // A cashier cannot sign: only the medical registrar and physicians reach the signature.
  'certificates.sign': method({
    access: ['registrar', 'physician'],
    args: z
      .object({
        requestId: z.number().int().positive(),
        stepId: z.string().trim().min(1).max(80),
        source: signingSourceSchema,
        keyId: z.string().max(200).optional(),
        secret: z.string().min(1).max(128),
      })
      .strict(),
    result: certificateSummarySchema,
  }),
  'certificates.pdf': method({
    access: 'staff',
    args: z.object({ number: z.string().trim().min(3).max(40), language: z.enum(['kk', 'ru']) }).strict(),
    result: pdfSchema,
  }),
  'certificates.journal': method({
    access: ['registrar', 'operator', 'physician', 'administrator'],
    args: z.object({ from: dispensaryIsoDate, to: dispensaryIsoDate }).strict(),
    result: z.array(certificateSummarySchema),
  }),
  'hiv.label': method({ access: ['nurse', 'physician'], args: z.object({ requestId: z.number().int().positive() }).strict(), result: pdfSchema }),
  'hiv.enterResult': method({
    access: ['nurse', 'physician'],
    args: z.object({ code: z.string().trim().min(4).max(20), result: z.enum(HIV_RESULTS) }).strict(),
    result: z.object({ code: z.string(), result: z.enum(HIV_RESULTS), resultAt: z.string() }),
  }),
  'hiv.release': method({
    access: ['physician'],
    args: z.object({ code: z.string().trim().min(4).max(20) }).strict(),
    result: z.object({ code: z.string(), result: z.enum(HIV_RESULTS), certificate: z.string().nullable(), pdf: pdfSchema.nullable() }),
  }),
  'hiv.followUps': method({
    access: ['physician'],
    args: none,
    result: z.array(z.object({ code: z.string(), number: z.string(), mode: z.enum(['anonymous', 'confidential']), resultAt: z.string(), releasedAt: z.string().nullable() })),
  }),
  // E-requests from the portal (issue 8): electron/services/erequests/service.ts
  'erequests.inbox': method({
    access: ['registrar', 'administrator'],
    args: z.object({ open: z.boolean().default(true), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    result: z.object({ rows: z.array(erequestViewSchema), now: z.string() }),
  }),
  'erequests.get': method({ access: ['registrar', 'administrator'], args: z.object({ id: z.number().int().positive() }).strict(), result: erequestViewSchema }),
  'erequests.resolve': method({
    access: ['registrar'],
    args: z.object({ id: z.number().int().positive(), decision: z.enum(['confirm', 'refuse']), reason: z.string().trim().max(500).nullable().optional() }).strict(),
    result: erequestViewSchema,
  }),
  'erequests.process': method({ access: ['registrar', 'administrator'], args: none, result: z.object({ ingested: z.number(), processed: z.number(), answered: z.number() }) }),
  'erequests.settings': method({ access: ['administrator'], args: none, result: erequestSettingsSchema }),
  'erequests.setPolicy': method({
    access: ['administrator'],
    args: z.object({ autoAnswer: z.boolean(), onBehalfOf: z.string().trim().max(60).nullable() }).strict(),
    result: erequestSettingsSchema,
  }),
  'erequests.setProviderKey': method({
    access: ['administrator'],
    args: z.object({ source: signingSourceSchema, keyId: z.string().max(200).nullable().optional(), secret: z.string().min(1).max(200) }).strict(),
    result: erequestSettingsSchema,
  }),
  'erequests.addTrustFile': method({
    access: ['administrator'],
    args: z.object({ fileName: z.string().trim().min(1).max(200), base64: z.string().min(1).max(50_000_000) }).strict(),
    result: erequestSettingsSchema,
  }),
} as const satisfies Record<string, MethodSpec>;

export type Api = typeof api;
export type ApiMethod = keyof Api;
export type ApiArgs<M extends ApiMethod> = z.input<Api[M]['args']>;
export type ApiParsedArgs<M extends ApiMethod> = z.output<Api[M]['args']>;
export type ApiResult<M extends ApiMethod> = z.output<Api[M]['result']>;

export const API_METHODS = Object.keys(api) as ApiMethod[];

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(api, name);
}

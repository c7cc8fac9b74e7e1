/**
 * Why one file of over 500 lines: the schema and the semantic checks are together the one definition of a valid
 * regulation. A field's shape and its cross-field rules (edges, conditions, roles, durations, step actions) read side
 * by side, and the renderer's import preview gets exactly the same rules from one pure module.
 *
 * Regulations as data: the schema of a service definition (resources/regulations/*.json) and the validation of a
 * whole definition set.
 *
 * Regulations change every year or two and differ by region, so a service is never code: it is a definition with a
 * region and an effective period, read by one engine. A set of definition files is validated **as a whole** and is
 * either accepted entirely or refused entirely (never half-loaded): a request must never run under a catalogue in
 * which some services silently went missing. Every problem is reported as `file: field.path: message`.
 *
 * Pure TypeScript (no Node, no DOM): the renderer can validate an import preview with the same rules.
 */
import { z } from 'zod';
import { REGISTER_KINDS } from './dispensary';
import { checkPortalAnswering, portalAnsweringSchema } from './portal-answering';
import { issueAt, type IssueCode, type IssueParams } from './regulation-issues';
import { ROLES, SPECIALTIES, type Role } from './roles';
import { calendarDateSchema, deadlineMs, formatPath, type Duration, type WorkingCalendar } from './working-calendar';

/** How a request reaches the provider: in person at the desk, by phone, or through the e-government portal. */
export const CHANNELS = ['desk', 'phone', 'portal'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Actors outside the workstation's staff. Portal steps (the citizen signing on e.gov.kz, the portal checking the
 * signature) are part of the regulation and have maximum durations, but no staff member completes them: the
 * engine records them from what arrives through the gateway.
 */
export const EXTERNAL_ACTORS = ['citizen', 'portal'] as const;
export type ExternalActor = (typeof EXTERNAL_ACTORS)[number];
export type StepActor = Role | ExternalActor;

export function isStaffRole(actor: StepActor): actor is Role {
  return (ROLES as readonly string[]).includes(actor);
}

/** The journals (registers) a result or a step is recorded in. Adding one is a data change here and in db/. */
export const JOURNALS = [
  'home-visit-calls', // шақыруларды тіркеу журналы
  'pre-registration', // алдын ала жазылу журналы
  'attachment', // МСАК-қа тіркеу журналы
  'certificate-issuance', // анықтама беруді тіркеу журналы
  'hiv-testing', // АИТВ-ға тексеру журналы
  'cash', // касса журналы
] as const;
export type JournalId = (typeof JOURNALS)[number];

/** Conditions the engine evaluates itself (not chosen by a person): a fee of 0 skips the cashier step. */
export const SKIP_RULES = ['fee-zero'] as const;
export type SkipRule = (typeof SKIP_RULES)[number];

/**
 * What a step *is* when it is done through a dedicated action rather than the engine's plain "complete" (issue 12).
 * The regulation declares it (`"action": "payment"`); the workflow engine knows no domain and dispatches on the
 * declaration through the handlers the domain modules register at app start (electron/services/workflow/actions.ts;
 * the dispensary registers all of these in electron/services/dispensary/step-actions.ts). Absent = the plain
 * completion is the action.
 * - `register-check`: the person is looked up in a dispensary register (`register` names which); the check
 *   completes the step with its answer frozen in it (condition `on-register` → the motivated refusal).
 * - `payment`: the cashier takes the fee at the cash desk; due only while the request's fee is above 0.
 * - `signature`: the person completing the step signs the result document (the step has `signsResult`).
 * - `hiv-label`: the nurse prints the sample label (a code, never a name), then completes the step as usual.
 * - `hiv-result`: the laboratory result is released against the code, which completes the step.
 * Adding one is a data change here and a handler in the domain module that does it.
 */
export const STEP_ACTIONS = ['register-check', 'payment', 'signature', 'hiv-label', 'hiv-result'] as const;
export type StepActionKind = (typeof STEP_ACTIONS)[number];

/** An enum whose error names the bad value and the allowed ones ("unknown role \"doctor\"; expected one of …"). */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, {
    error: (issue) =>
      issue.input === undefined
        ? `missing ${what}`
        : `unknown ${what} ${JSON.stringify(issue.input)}; expected one of: ${values.join(', ')}`,
  });

const ACTORS = [...ROLES, ...EXTERNAL_ACTORS] as const;

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case Latin letters, digits and single hyphens');

export const textKkRuEnSchema = z.object({ kk: z.string().min(1), ru: z.string().min(1), en: z.string().min(1) }).strict();
export type LocalizedText = z.infer<typeof textKkRuEnSchema>;

const refusalSchema = z
  .object({
    code: slug,
    reason: textKkRuEnSchema,
  })
  .strict();

/** An ending that is neither the result document nor a refusal (an HIV-positive result: no certificate, follow-up). */
const outcomeSchema = z
  .object({
    code: slug,
    title: textKkRuEnSchema,
  })
  .strict();

export const DONE = 'done' as const;

const edgeSchema = z
  .object({
    /** Next step id, or `done`: the request ends (with the result document unless `refusal` or `outcome`). */
    to: z.string().min(1),
    /** A condition id declared in the definition's `conditions`; absent = the default edge (must be last). */
    when: z.string().min(1).optional(),
    /** A motivated refusal (дәлелді бас тарту) — only on an edge to `done`. */
    refusal: refusalSchema.optional(),
    outcome: outcomeSchema.optional(),
  })
  .strict();
export type StepEdge = z.infer<typeof edgeSchema>;

/**
 * A desk request form certified with the employee's own ЭЦҚ (Astana, table 2 of each appendix, act 5: «Сканерленген
 * құжаттарды бекіте отырып және ЭСҚ куәландыра отырып, сұраныс нысанын толтыру»). The step's role fills in the
 * form, attaches the scans of the listed documents and signs the form before the request is registered (act 6).
 * Absent = the desk form is registered without a signature (the Atyrau acts ask for none).
 */
const deskFormSchema = z
  .object({
    /** Who certifies: the employee at the desk, with a certificate carrying their own IIN. */
    certifiedBy: z.literal('employee-signature', { error: 'expected "employee-signature"' }),
    /** Ids of the service's `documents` whose scans are attached (a document marked required there must be). */
    scans: z.array(slug),
  })
  .strict();
export type DeskFormDefinition = z.infer<typeof deskFormSchema>;

const stepSchema = z
  .object({
    id: slug,
    title: textKkRuEnSchema,
    role: oneOf(ACTORS, 'role'),
    specialty: oneOf(SPECIALTIES, 'specialty').optional(),
    /** Real-time minutes; fractions allowed (the appendix tables count seconds: 30 s = 0.5). */
    maxMinutes: z.number().positive().finite().optional(),
    maxWorkingDays: z.number().int().positive().optional(),
    /** The act's own wording of the duration ("30 сек. – 1 мин."), kept because maxMinutes is its upper bound. */
    durationText: z.string().optional(),
    /**
     * The journal this step writes a row in: a step the regulation calls a journal entry ("records the person in
     * the journal": the step engine writes the row), or the cashier's cash journal (written by the payment).
     */
    journal: oneOf(JOURNALS, 'journal').optional(),
    /** The engine passes over the step (following its default edge) when the rule holds. */
    skipWhen: z.enum(SKIP_RULES).optional(),
    /** The person completing this step signs the result document (psychiatric certificates carry two signatures). */
    signsResult: z.boolean().optional(),
    /** The step is done through a dedicated action (see STEP_ACTIONS); absent = the plain completion. */
    action: oneOf(STEP_ACTIONS, 'step action').optional(),
    /** The register a `register-check` step looks the person up in (and only there). */
    register: oneOf(REGISTER_KINDS, 'register').optional(),
    /** The desk form is certified with the employee's ЭЦҚ here, with scanned documents attached (see deskFormSchema). */
    deskForm: deskFormSchema.optional(),
    next: z.array(edgeSchema).min(1, 'a step needs at least one next edge (use {"to": "done"} to end)'),
  })
  .strict();
export type StepDefinition = z.infer<typeof stepSchema>;

const totalLimitSchema = z
  .object({
    maxMinutes: z.number().positive().finite().optional(),
    maxWorkingDays: z.number().int().positive().optional(),
    /** "Rendered on the day of the application" (Astana, clause 9): by the close of the working day of receipt. */
    byEndOfWorkingDay: z.literal(true).optional(),
  })
  .strict();

const actSchema = z
  .object({
    issuer: z.object({ kk: z.string().min(1), ru: z.string().min(1) }).strict(),
    number: z.string().min(1),
    date: calendarDateSchema,
    /** State registration with the justice department (number, date), when the act has one. */
    registration: z
      .object({ number: z.string().min(1), date: calendarDateSchema })
      .strict()
      .optional(),
    /** The act that later repealed it, for the record; the period itself is `effectiveTo`. */
    repealedBy: z
      .object({ number: z.string().min(1), date: calendarDateSchema })
      .strict()
      .optional(),
  })
  .strict();

export const serviceDefinitionSchema = z
  .object({
    $comment: z.union([z.string(), z.array(z.string())]).optional(),
    /** Stable across regions and versions (`home-visit`), so statistics follow a service through changes. */
    id: slug,
    titles: textKkRuEnSchema,
    act: actSchema,
    region: slug,
    effectiveFrom: calendarDateSchema,
    /** Last day in force (inclusive), or null while in force. */
    effectiveTo: calendarDateSchema.nullable(),
    channels: z.array(z.enum(CHANNELS)).min(1),
    /** The first step of each channel. */
    start: z.partialRecord(z.enum(CHANNELS), z.string().min(1)),
    /** Structural-functional units (ҚФБ) taking part; each step's role must be one of them. */
    participants: z
      .array(
        z
          .object({
            role: oneOf(ACTORS, 'role'),
            specialty: oneOf(SPECIALTIES, 'specialty').optional(),
          })
          .strict(),
      )
      .min(1),
    /** Conditions a person decides when completing a step (e.g. "the signature is not confirmed"). */
    conditions: z.array(z.object({ id: slug, title: textKkRuEnSchema }).strict()),
    steps: z.array(stepSchema).min(1),
    fee: z
      .object({
        /** Tenge; 0 = free, and steps with `skipWhen: "fee-zero"` are skipped. */
        kzt: z.number().int().nonnegative(),
        /** True when the amount is a default of ours, not a figure from the act (set the real one per region). */
        assumed: z.boolean(),
        comment: z.string().optional(),
      })
      .strict(),
    resultDocument: z
      .object({
        id: slug,
        title: textKkRuEnSchema,
        /** How the result reaches the person: a paper form, an electronic document signed by the provider, or an
         * oral answer recorded in the journal (desk/phone home-visit calls and appointments). */
        forms: z.array(z.enum(['paper', 'electronic', 'oral'])).min(1),
      })
      .strict(),
    journal: oneOf(JOURNALS, 'journal'),
    /** Checklist of documents the applicant brings (attached as scans to the request). */
    documents: z.array(z.object({ id: slug, title: textKkRuEnSchema, required: z.boolean() }).strict()),
    /** Whole-request maximum for each channel. */
    maxTotal: z.partialRecord(z.enum(CHANNELS), totalLimitSchema),
    /**
     * Portal requests are accepted until this many minutes before the provider closes (Astana appendices 1 and 3,
     * clause 9: 120). Only where the act says so; applied to every service that declares it.
     */
    portalCutoffMinutesBeforeClose: z.number().int().positive().optional(),
    /** How portal requests are answered: the act's automation level and the grounds checked (portal-answering.ts). */
    portalAnswering: portalAnsweringSchema.optional(),
    /** The person may be known only by a code (anonymous HIV testing): no IIN, no name. */
    anonymousAllowed: z.boolean().optional(),
  })
  .strict();
export type ServiceDefinition = z.infer<typeof serviceDefinitionSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Validation

export interface RegulationIssue {
  file: string;
  /** Field path inside the file, e.g. `steps[2].maxMinutes`. */
  path: string;
  /** What is wrong, as a code with parameters (common/regulation-issues.ts has its words in kk, ru and en). */
  code: IssueCode;
  params?: IssueParams;
  /** The same in English, for logs and the command line. */
  message: string;
}

export function formatIssue(i: RegulationIssue): string {
  return `${i.file}: ${i.path || '(root)'}: ${i.message}`;
}

/** A definition set was refused; nothing of it is loaded. `issues` lists every problem found. */
export class RegulationValidationError extends Error {
  constructor(readonly issues: RegulationIssue[]) {
    super(
      `regulation definitions refused (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` + issues.map(formatIssue).join('\n'),
    );
    this.name = 'RegulationValidationError';
  }
}

export interface DefinitionFile {
  /** The file's name as the user knows it (index entry or import path): it appears in every error. */
  file: string;
  data: unknown;
}

export interface LoadedDefinition {
  file: string;
  definition: ServiceDefinition;
}

export type ValidationResult = { ok: true; definitions: LoadedDefinition[] } | { ok: false; issues: RegulationIssue[] };

/** Validates a whole definition set: each file's shape and semantics, then overlaps across files. All or nothing. */
export function validateDefinitionSet(files: readonly DefinitionFile[]): ValidationResult {
  const issues: RegulationIssue[] = [];
  const loaded: LoadedDefinition[] = [];
  const names = new Set<string>();
  for (const f of files) {
    if (names.has(f.file)) issues.push({ file: f.file, ...issueAt('', 'file-twice') });
    names.add(f.file);
    const parsed = serviceDefinitionSchema.safeParse(f.data);
    if (!parsed.success) {
      for (const i of parsed.error.issues) issues.push({ file: f.file, ...zodIssue(i) });
      continue;
    }
    const own = checkDefinition(parsed.data).map((i) => ({ file: f.file, ...i }));
    issues.push(...own);
    if (own.length === 0) loaded.push({ file: f.file, definition: parsed.data });
  }
  issues.push(...checkOverlaps(loaded));
  return issues.length ? { ok: false, issues } : { ok: true, definitions: loaded };
}

/** `validateDefinitionSet` that throws `RegulationValidationError` instead of returning the issues. */
export function parseDefinitionSet(files: readonly DefinitionFile[]): LoadedDefinition[] {
  const result = validateDefinitionSet(files);
  if (!result.ok) throw new RegulationValidationError(result.issues);
  return result.definitions;
}

/** A schema problem as an issue code: the kinds a person can act on, with zod's own English kept as the detail. */
export function zodIssue(issue: z.core.$ZodIssue): Issue {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') return issueAt(path, 'unknown-fields', { keys: issue.keys.join(', ') });
  if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined)
    return issueAt(path, 'missing', { detail: issue.message });
  if (issue.code === 'invalid_type') return issueAt(path, 'wrong-type', { expected: String(issue.expected), detail: issue.message });
  if (issue.code === 'invalid_value') return issueAt(path, 'not-allowed', { detail: issue.message });
  if (issue.code === 'too_small' || issue.code === 'too_big') return issueAt(path, 'out-of-range', { detail: issue.message });
  if (issue.code === 'invalid_format') return issueAt(path, 'bad-format', { detail: issue.message });
  return issueAt(path, 'invalid', { detail: issue.message });
}

type Issue = Omit<RegulationIssue, 'file'>;

/** Semantic checks of one definition that already has the right shape. */
export function checkDefinition(def: ServiceDefinition): Issue[] {
  const issues: Issue[] = [];
  const add = (path: string, code: IssueCode, params?: IssueParams) => issues.push(issueAt(path, code, params));

  if (def.effectiveTo !== null && def.effectiveTo < def.effectiveFrom) {
    add('effectiveTo', 'ends-before-start', { to: def.effectiveTo, from: def.effectiveFrom });
  }

  const conditionIds = new Set<string>();
  def.conditions.forEach((c, i) => {
    if (conditionIds.has(c.id)) add(`conditions[${i}].id`, 'duplicate-condition', { id: c.id });
    conditionIds.add(c.id);
  });

  const stepIndex = new Map<string, number>();
  def.steps.forEach((s, i) => {
    if (s.id === DONE) add(`steps[${i}].id`, 'reserved-step-id', { id: DONE });
    else if (stepIndex.has(s.id)) add(`steps[${i}].id`, 'duplicate-step', { id: s.id, other: `steps[${stepIndex.get(s.id)}]` });
    else stepIndex.set(s.id, i);
  });

  issues.push(...checkPortalAnswering(def));

  const participants = new Set(def.participants.map((p) => actorKey(p.role, p.specialty)));
  const hasCashier = def.steps.some((s) => s.role === 'cashier');
  def.steps.forEach((s, i) => {
    const at = `steps[${i}]`;
    // Duration: exactly one of minutes or working days.
    if (s.maxMinutes === undefined && s.maxWorkingDays === undefined) add(at, 'duration-missing');
    if (s.maxMinutes !== undefined && s.maxWorkingDays !== undefined) add(at, 'duration-both');
    if (s.specialty !== undefined && s.role !== 'physician') add(`${at}.specialty`, 'specialty-not-physician', { role: s.role });
    if (!participants.has(actorKey(s.role, s.specialty)) && !participants.has(actorKey(s.role, undefined))) {
      add(`${at}.role`, 'role-not-participant', { actor: actorKey(s.role, s.specialty) });
    }
    if (s.role === 'cashier' && s.skipWhen !== 'fee-zero') add(`${at}.skipWhen`, 'cashier-not-skippable');
    // Step actions: each with what its handler needs from the step.
    if (s.action === 'register-check' && s.register === undefined) add(`${at}.register`, 'register-missing');
    if (s.action !== 'register-check' && s.register !== undefined) add(`${at}.register`, 'register-without-check');
    if (s.action === 'signature' && s.signsResult !== true) add(`${at}.signsResult`, 'signature-signs-result');
    if (s.action === 'payment' && s.journal !== 'cash') add(`${at}.journal`, 'payment-cash-journal');
    if (s.deskForm) {
      if (!isStaffRole(s.role)) add(`${at}.deskForm`, 'desk-form-not-staff', { role: s.role });
      const documentIds = new Set(def.documents.map((d) => d.id));
      s.deskForm.scans.forEach((id, j) => {
        if (!documentIds.has(id)) add(`${at}.deskForm.scans[${j}]`, 'unknown-document', { id });
        else if (s.deskForm!.scans.indexOf(id) !== j) add(`${at}.deskForm.scans[${j}]`, 'document-twice', { id });
      });
    }

    const whens = new Set<string>();
    s.next.forEach((e, j) => {
      const ep = `${at}.next[${j}]`;
      if (e.to !== DONE && !stepIndex.has(e.to)) add(`${ep}.to`, 'unknown-step', { id: e.to });
      if (e.when !== undefined) {
        if (!conditionIds.has(e.when)) add(`${ep}.when`, 'unknown-condition', { id: e.when });
        if (whens.has(e.when)) add(`${ep}.when`, 'condition-twice', { id: e.when });
        whens.add(e.when);
      } else if (j !== s.next.length - 1) {
        add(`${ep}`, 'default-edge-not-last');
      }
      if ((e.refusal || e.outcome) && e.to !== DONE) add(`${ep}.to`, 'edge-must-end', { kind: e.refusal ? 'refusal' : 'outcome' });
      if (e.refusal && e.outcome) add(ep, 'edge-refusal-and-outcome');
    });
    if (!s.next.some((e) => e.when === undefined)) add(`${at}.next`, 'default-edge-missing');
  });
  if (def.fee.kzt > 0 && !hasCashier) add('fee.kzt', 'fee-without-cashier');
  const forms = def.steps.flatMap((s, i) => (s.deskForm ? [i] : []));
  if (forms.length > 1) add(`steps[${forms[1]}].deskForm`, 'one-desk-form', { other: `steps[${forms[0]}]` });
  const checks = def.steps.flatMap((s, i) => (s.action === 'register-check' ? [i] : []));
  if (checks.length > 1) add(`steps[${checks[1]}].action`, 'one-register-check', { other: `steps[${checks[0]}]` });

  // Channels: each has a start step and a whole-request maximum, and nothing else does.
  def.channels.forEach((c, i) => {
    if (def.channels.indexOf(c) !== i) add(`channels[${i}]`, 'duplicate-channel', { channel: c });
    const start = def.start[c];
    if (start === undefined) add(`start.${c}`, 'start-missing', { channel: c });
    else if (!stepIndex.has(start)) add(`start.${c}`, 'unknown-step', { id: start });
    const total = def.maxTotal[c];
    if (total === undefined) add(`maxTotal.${c}`, 'total-missing', { channel: c });
    else {
      const n = Object.keys(total).length;
      if (n !== 1) add(`maxTotal.${c}`, 'total-exactly-one');
    }
  });
  for (const c of Object.keys(def.start)) if (!def.channels.includes(c as Channel)) add(`start.${c}`, 'channel-not-listed', { channel: c });
  for (const c of Object.keys(def.maxTotal))
    if (!def.channels.includes(c as Channel)) add(`maxTotal.${c}`, 'channel-not-listed', { channel: c });

  // Graph: every step reachable from a start, and every reachable step has a path to the end.
  if (issues.length === 0) {
    const reachable = new Set<string>();
    const stack = Object.values(def.start).filter((s): s is string => s !== undefined);
    while (stack.length) {
      const id = stack.pop()!;
      if (reachable.has(id)) continue;
      reachable.add(id);
      for (const e of def.steps[stepIndex.get(id)!]!.next) if (e.to !== DONE) stack.push(e.to);
    }
    const reachesEnd = new Set<string>();
    let changed = true;
    while (changed) {
      changed = false;
      for (const s of def.steps) {
        if (reachesEnd.has(s.id)) continue;
        if (s.next.some((e) => e.to === DONE || reachesEnd.has(e.to))) {
          reachesEnd.add(s.id);
          changed = true;
        }
      }
    }
    def.steps.forEach((s, i) => {
      if (!reachable.has(s.id)) add(`steps[${i}]`, 'unreachable-step', { id: s.id });
      else if (!reachesEnd.has(s.id)) add(`steps[${i}].next`, 'step-in-cycle', { id: s.id });
    });
  }
  return issues;
}

function actorKey(role: string, specialty: string | undefined): string {
  return specialty ? `${role}/${specialty}` : role;
}

/** One region may have only one version of a service on any day. */
function checkOverlaps(loaded: readonly LoadedDefinition[]): RegulationIssue[] {
  const issues: RegulationIssue[] = [];
  const groups = new Map<string, LoadedDefinition[]>();
  for (const l of loaded) {
    const key = `${l.definition.region}/${l.definition.id}`;
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  for (const [key, list] of groups) {
    const sorted = [...list].sort((a, b) => a.definition.effectiveFrom.localeCompare(b.definition.effectiveFrom));
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        const a = sorted[i]!;
        const b = sorted[j]!;
        // Inclusive periods [from, to]; null = open-ended. b starts no earlier than a.
        if (a.definition.effectiveTo === null || b.definition.effectiveFrom <= a.definition.effectiveTo) {
          issues.push({
            file: b.file,
            ...issueAt('effectiveFrom', 'overlap', {
              key,
              from: b.definition.effectiveFrom,
              other: a.file,
              otherFrom: a.definition.effectiveFrom,
              otherTo: a.definition.effectiveTo ?? '',
            }),
          });
        }
      }
    }
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading a definition (helpers for the step engine and the deadline clock)

/** A stable key of one version of a service: requests remember the version they started under. */
export function definitionKey(def: Pick<ServiceDefinition, 'region' | 'id' | 'effectiveFrom'>): string {
  return `${def.region}/${def.id}@${def.effectiveFrom}`;
}

/** Whether a definition is in force on a local calendar date `YYYY-MM-DD`. */
export function isInForceOn(def: Pick<ServiceDefinition, 'effectiveFrom' | 'effectiveTo'>, isoDate: string): boolean {
  return def.effectiveFrom <= isoDate && (def.effectiveTo === null || isoDate <= def.effectiveTo);
}

export function stepById(def: ServiceDefinition, id: string): StepDefinition | undefined {
  return def.steps.find((s) => s.id === id);
}

export function stepDuration(step: StepDefinition): Duration {
  return step.maxMinutes !== undefined ? { maxMinutes: step.maxMinutes } : { maxWorkingDays: step.maxWorkingDays! };
}

export function totalDuration(def: ServiceDefinition, channel: Channel): Duration | undefined {
  const t = def.maxTotal[channel];
  if (!t) return undefined;
  if (t.maxMinutes !== undefined) return { maxMinutes: t.maxMinutes };
  if (t.maxWorkingDays !== undefined) return { maxWorkingDays: t.maxWorkingDays };
  return { byEndOfWorkingDay: true };
}

/** Deadline (epoch ms) of a step started at `startMs`. */
export function stepDeadlineMs(step: StepDefinition, startMs: number, calendar: WorkingCalendar): number {
  return deadlineMs(startMs, stepDuration(step), calendar);
}

export interface RequestContext {
  /** The fee actually due (a region may set it to 0). */
  feeKzt: number;
}

/** Whether the engine passes over a step automatically. */
export function isSkipped(step: StepDefinition, ctx: RequestContext): boolean {
  return step.skipWhen === 'fee-zero' && ctx.feeKzt === 0;
}

/**
 * The edge taken after a step, given the conditions the person completing it reported: the first edge whose
 * condition holds, else the default edge.
 */
export function chooseEdge(step: StepDefinition, conditions: ReadonlySet<string> | readonly string[] = []): StepEdge {
  const holds = conditions instanceof Set ? conditions : new Set(conditions as readonly string[]);
  return step.next.find((e) => e.when !== undefined && holds.has(e.when)) ?? step.next[step.next.length - 1]!;
}

/**
 * The step a request is at after following `to`, passing over skipped steps along their default edges;
 * `done` when the request ends.
 */
export function resolveStep(def: ServiceDefinition, to: string, ctx: RequestContext): StepDefinition | typeof DONE {
  let id = to;
  for (let guard = 0; guard <= def.steps.length; guard++) {
    if (id === DONE) return DONE;
    const step = stepById(def, id);
    if (!step) throw new Error(`${definitionKey(def)}: unknown step "${id}"`);
    if (!isSkipped(step, ctx)) return step;
    id = chooseEdge(step).to;
  }
  throw new Error(`${definitionKey(def)}: skipped steps loop at "${to}"`);
}

/** The first step for a channel (after skips). */
export function firstStep(def: ServiceDefinition, channel: Channel, ctx: RequestContext): StepDefinition | typeof DONE {
  const start = def.start[channel];
  if (start === undefined) throw new Error(`${definitionKey(def)}: channel "${channel}" is not offered`);
  return resolveStep(def, start, ctx);
}

/** The step whose desk form is certified with the employee's ЭЦҚ, with the documents scanned there; null = none. */
export function deskFormOf(def: ServiceDefinition): { step: StepDefinition; form: DeskFormDefinition } | null {
  const step = def.steps.find((s) => s.deskForm !== undefined);
  return step ? { step, form: step.deskForm! } : null;
}

/** Steps on the default path of a channel (no conditions, no skips): what the digest's step counts describe. */
export function defaultPath(def: ServiceDefinition, channel: Channel): StepDefinition[] {
  const out: StepDefinition[] = [];
  let id: string | undefined = def.start[channel];
  const seen = new Set<string>();
  while (id !== undefined && id !== DONE && !seen.has(id)) {
    seen.add(id);
    const step = stepById(def, id);
    if (!step) break;
    out.push(step);
    id = chooseEdge(step).to;
  }
  return out;
}

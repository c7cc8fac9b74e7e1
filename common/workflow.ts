/**
 * Shapes of service requests, queues, the deadline dashboard, the survey and the organization's calendar settings,
 * shared by the API contract (common/api.ts) and the renderer. Pure zod: no Node, no DOM.
 */
import { z } from 'zod';
import { adoptionSchema } from './regulation-adoption';
import { CHANNELS } from './regulations';
import { calendarDateSchema } from './working-calendar';

export const REQUEST_STATUSES = ['open', 'done', 'refused', 'cancelled'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const DEADLINE_STATUSES = ['on-time', 'due-soon', 'overdue'] as const;

/** Appendix 3 of the Astana regulation: each question answered with one of three. */
export const SURVEY_ANSWERS = ['not-satisfied', 'partly-satisfied', 'satisfied'] as const;
export type SurveyAnswer = (typeof SURVEY_ANSWERS)[number];

export const localizedSchema = z.object({ kk: z.string(), ru: z.string(), en: z.string() });
export type Localized = z.infer<typeof localizedSchema>;

const deadlineStatusSchema = z.enum(DEADLINE_STATUSES);
const limitSchema = z.object({
  maxMinutes: z.number().optional(),
  maxWorkingDays: z.number().optional(),
  byEndOfWorkingDay: z.boolean().optional(),
});

/** One way to complete the current step: the default edge (condition null) or a condition the person reports. */
export const stepChoiceSchema = z.object({
  condition: z.string().nullable(),
  conditionTitle: localizedSchema.nullable(),
  /** Where it leads: the next step, the end with the result, a motivated refusal, or another ending. */
  leadsTo: z.enum(['step', 'done', 'refusal', 'outcome']),
  nextTitle: localizedSchema.nullable(),
  refusal: z.object({ code: z.string(), reason: localizedSchema }).nullable(),
  outcome: z.object({ code: z.string(), title: localizedSchema }).nullable(),
});
export type StepChoice = z.infer<typeof stepChoiceSchema>;

export const requestStepSchema = z.object({
  seq: z.number().int(),
  stepId: z.string(),
  title: localizedSchema,
  role: z.string(),
  specialty: z.string().nullable(),
  limit: limitSchema,
  startedAt: z.string(),
  deadlineAt: z.string(),
  completedAt: z.string().nullable(),
  completedBy: z
    .object({ staffId: z.number().nullable(), login: z.string(), fullName: z.string().nullable(), role: z.string() })
    .nullable(),
  outcome: z.enum(['done', 'refused', 'cancelled']).nullable(),
  condition: z.string().nullable(),
  conditionTitle: localizedSchema.nullable(),
  refusal: z.object({ code: z.string(), reason: localizedSchema }).nullable(),
  note: z.string().nullable(),
  /** Open step: time left now; completed step: whether it was done by its deadline. */
  deadlineStatus: deadlineStatusSchema,
  durationMs: z.number().nullable(),
});
export type RequestStep = z.infer<typeof requestStepSchema>;

export const requestViewSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  definitionKey: z.string(),
  serviceId: z.string(),
  serviceTitle: localizedSchema,
  resultTitle: localizedSchema,
  region: z.string(),
  channel: z.enum(CHANNELS),
  person: z.object({ iin: z.string(), name: z.string().nullable() }).nullable(),
  anonymousCode: z.string().nullable(),
  /** An anonymous request (its code may be hidden from the caller): cancelled by a reason code, never free text. */
  anonymous: z.boolean(),
  feeKzt: z.number().int(),
  status: z.enum(REQUEST_STATUSES),
  outcome: z.object({ code: z.string(), title: localizedSchema }).nullable(),
  createdAt: z.string(),
  deadlineAt: z.string(),
  closedAt: z.string().nullable(),
  timeLeftMs: z.number(),
  deadlineStatus: deadlineStatusSchema,
  currentStep: z
    .object({
      stepId: z.string(),
      title: localizedSchema,
      role: z.string(),
      specialty: z.string().nullable(),
      deadlineAt: z.string(),
      timeLeftMs: z.number(),
      deadlineStatus: deadlineStatusSchema,
      choices: z.array(stepChoiceSchema),
      /** The caller's role (and specialty) is the one the step names. */
      canComplete: z.boolean(),
    })
    .nullable(),
  canCancel: z.boolean(),
  steps: z.array(requestStepSchema),
  survey: z.object({ q1: z.enum(SURVEY_ANSWERS), q2: z.enum(SURVEY_ANSWERS), recordedAt: z.string() }).nullable(),
  surveyAllowed: z.boolean(),
});
export type RequestView = z.infer<typeof requestViewSchema>;

export const queueRowSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  serviceId: z.string(),
  serviceTitle: localizedSchema,
  channel: z.enum(CHANNELS),
  personName: z.string().nullable(),
  personIin: z.string().nullable(),
  anonymousCode: z.string().nullable(),
  stepId: z.string(),
  stepTitle: localizedSchema,
  role: z.string(),
  specialty: z.string().nullable(),
  startedAt: z.string(),
  deadlineAt: z.string(),
  timeLeftMs: z.number(),
  deadlineStatus: deadlineStatusSchema,
  requestDeadlineAt: z.string(),
});
export type QueueRow = z.infer<typeof queueRowSchema>;

/** Counts and durations of one service or one step over a date range. Durations in milliseconds. */
const statsSchema = z.object({
  total: z.number().int(),
  /** Completed (or refused) by the deadline. */
  onTime: z.number().int(),
  /** Completed after the deadline, or still open past it. */
  overdue: z.number().int(),
  /** Still open, deadline not yet passed. */
  pending: z.number().int(),
  cancelled: z.number().int(),
  medianMs: z.number().nullable(),
  p90Ms: z.number().nullable(),
});
export type DeadlineStats = z.infer<typeof statsSchema>;

export const dashboardSchema = z.object({
  from: z.string(),
  to: z.string(),
  services: z.array(
    statsSchema.extend({
      serviceId: z.string(),
      title: localizedSchema,
      refused: z.number().int(),
      steps: z.array(
        statsSchema.extend({
          stepId: z.string(),
          title: localizedSchema,
          role: z.string(),
          specialty: z.string().nullable(),
          limit: limitSchema,
        }),
      ),
    }),
  ),
  /** Time the aggregation took in the main process (shown to the supervisor, checked by the benchmark). */
  tookMs: z.number(),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export const dateRangeSchema = z
  .object({ from: calendarDateSchema, to: calendarDateSchema })
  .strict()
  .refine((r) => r.from <= r.to, { error: '"from" must not be after "to"', path: ['to'] });

export const surveyReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  services: z.array(
    z.object({
      serviceId: z.string(),
      title: localizedSchema,
      total: z.number().int(),
      q1: z.object({ 'not-satisfied': z.number().int(), 'partly-satisfied': z.number().int(), satisfied: z.number().int() }),
      q2: z.object({ 'not-satisfied': z.number().int(), 'partly-satisfied': z.number().int(), satisfied: z.number().int() }),
    }),
  ),
});
export type SurveyReport = z.infer<typeof surveyReportSchema>;

const clockSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
const dayHoursSchema = z.object({ open: clockSchema, close: clockSchema }).strict();

/** The organization's working hours and its own transfers; the country's holidays come from resources/calendars. */
export const calendarSettingsSchema = z
  .object({
    hours: z.object({ weekdays: dayHoursSchema, saturday: dayHoursSchema.nullable(), sunday: dayHoursSchema.nullable() }).strict(),
    extraTransfers: z
      .array(
        z
          .object({ date: calendarDateSchema, kind: z.enum(['working', 'day-off']), comment: z.string().trim().max(200).optional() })
          .strict(),
      )
      .max(200),
  })
  .strict();
export type CalendarSettings = z.infer<typeof calendarSettingsSchema>;

export const DEFAULT_CALENDAR_SETTINGS: CalendarSettings = {
  hours: { weekdays: { open: '08:00', close: '20:00' }, saturday: null, sunday: null },
  extraTransfers: [],
};

export const regulationSummarySchema = z.object({
  key: z.string(),
  id: z.string(),
  region: z.string(),
  titles: localizedSchema,
  act: z.object({ number: z.string(), date: z.string(), issuer: z.object({ kk: z.string(), ru: z.string() }) }),
  effectiveFrom: z.string(),
  /** The file's own end, or the day before an imported successor takes effect. */
  effectiveTo: z.string().nullable(),
  closedBySuccessor: z.boolean(),
  /** Set when the act is repealed and applies only as the organization's interim internal standard. */
  adoption: adoptionSchema.nullable().optional(),
  channels: z.array(z.enum(CHANNELS)),
  feeKzt: z.number().int(),
  anonymousAllowed: z.boolean(),
  file: z.string(),
  imported: z.boolean(),
  steps: z.array(
    z.object({ id: z.string(), title: localizedSchema, role: z.string(), specialty: z.string().nullable(), limit: limitSchema }),
  ),
  maxTotal: z.record(z.string(), limitSchema),
});
export type RegulationSummary = z.infer<typeof regulationSummarySchema>;

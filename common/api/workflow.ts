/**
 * Contract slice of the workflow (issue 3): `regulations.*`, `calendar.*`, `requests.*`, `deadlines.*`,
 * `survey.*`: regulations, service requests and their steps, deadlines, the quality survey, the organization's
 * working calendar. The step engine checks the role (and specialty) a step names itself; `access` here only keeps
 * out roles that never act on requests. Handlers: electron/services/handlers/workflow.ts; services: one file per
 * prefix in electron/services/workflow/ (requests, deadlines, survey, regulations, calendar); `requests.extras`,
 * what the dispensary adds to a request's view, is electron/services/dispensary/index.ts.
 */
import { z } from 'zod';
import { requestStartedAtSchema } from '../desk';
import { requestExtrasSchema } from '../dispensary';
import { CHANNELS } from '../regulations';
import type { Role } from '../roles';
import {
  calendarSettingsSchema,
  dashboardSchema,
  dateRangeSchema,
  queueRowSchema,
  regulationSummarySchema,
  requestViewSchema,
  SURVEY_ANSWERS,
  surveyReportSchema,
} from '../workflow';
import { defineSlice, method, none, okResult } from './spec';
import { adoptionSchema } from '../regulation-adoption';

const regulationStandingSchema = z.object({
  region: z.string(),
  today: z.string(),
  inForceByAct: z.number().int(),
  applying: z.number().int(),
  active: z.array(adoptionSchema),
  adoptions: z.array(adoptionSchema),
  lapsed: z.array(
    z.object({
      number: z.string(),
      date: z.string(),
      issuer: z.object({ kk: z.string(), ru: z.string() }),
      effectiveTo: z.string(),
      repealedBy: z.object({ number: z.string(), date: z.string() }).nullable(),
      services: z.array(z.string()),
    }),
  ),
});

/** Roles that act on service requests' steps (the administrator supervises and may cancel, but does not act). */
const WORKFLOW_ROLES = ['registrar', 'operator', 'cashier', 'physician', 'nurse'] as const satisfies readonly Role[];

export const workflowApi = defineSlice(['regulations', 'calendar', 'requests', 'deadlines', 'survey'], {
  'regulations.inForce': method({
    access: 'staff',
    args: none,
    result: z.object({
      region: z.string(),
      today: z.string(),
      services: z.array(regulationSummarySchema),
      upcoming: z.array(regulationSummarySchema),
    }),
  }),
  'regulations.import': method({
    access: ['administrator'],
    args: z.object({ fileName: z.string().trim().min(1).max(200), text: z.string().min(2).max(1_000_000) }).strict(),
    result: z.object({
      imported: regulationSummarySchema,
      closedPredecessor: z.string().nullable(),
      /** Interim internal standards this import closed (every service of the adopted act now has a successor). */
      closedAdoptions: z.array(z.string()),
    }),
  }),
  /** Whether an act is in force for the organization's region today, adoptions, and acts that could be adopted. */
  'regulations.standing': method({
    access: 'staff',
    args: none,
    result: regulationStandingSchema,
  }),
  /** Adopts a repealed act as the organization's interim internal standard (who and when are the caller and now). */
  'regulations.adopt': method({
    access: ['administrator'],
    args: z.object({ actNumber: z.string().trim().min(1).max(80), reason: z.string().trim().min(3).max(500) }).strict(),
    result: adoptionSchema,
  }),
  'regulations.closeAdoption': method({
    access: ['administrator'],
    args: z.object({ key: z.string().trim().min(3).max(200), reason: z.string().trim().min(3).max(500) }).strict(),
    result: adoptionSchema,
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
        /** When the registrar began with the person (documents handed in, call answered): the request's clock. */
        startedAt: requestStartedAtSchema,
        // No fee here (issue 14): the fee is the price list's in force today; only the cash desk exempts (cash.exempt).
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
  'requests.get': method({
    access: 'staff',
    args: z.object({ requestId: z.number().int().positive() }).strict(),
    result: requestViewSchema,
  }),
  'requests.queue': method({
    access: 'staff',
    args: z.object({ limit: z.number().int().min(1).max(500).default(200) }).strict(),
    result: z.object({ rows: z.array(queueRowSchema), now: z.string() }),
  }),
  // What the dispensary adds to a request's view (register check, payment, certificate): electron/services/dispensary.
  'requests.extras': method({
    access: 'staff',
    args: z.object({ requestId: z.number().int().positive() }).strict(),
    result: requestExtrasSchema,
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
});

/**
 * The workflow as the API sees it: service requests (start, complete a step, cancel, view, queues), the deadline
 * dashboard and report, the quality survey, the regulation catalogue (what is in force, imports) and the
 * organization's calendar settings. Decisions about steps are the engine's (engine.ts); SQL is in db/requests.ts.
 */
import { ApiError } from '../../../common/errors';
import {
  definitionKey,
  DONE,
  isInForceOn,
  RegulationValidationError,
  resolveStep,
  serviceDefinitionSchema,
  stepById,
  stepDuration,
  totalDuration,
  type Channel,
  type ServiceDefinition,
  type StepDefinition,
} from '../../../common/regulations';
import type { Language } from '../../../common/roles';
import { dayNumberOf, dayNumberToIso, deadlineStatus, toLocalIsoDate, type Duration } from '../../../common/working-calendar';
import {
  calendarSettingsSchema,
  type CalendarSettings,
  type Dashboard,
  type DeadlineStats,
  type Localized,
  type QueueRow,
  type RegulationSummary,
  type RequestView,
  type StepChoice,
  type SurveyAnswer,
  type SurveyReport,
} from '../../../common/workflow';
import { recordChange } from '../../../db/change';
import { getOrganization } from '../../../db/organization';
import {
  getRequestRow,
  getSurvey,
  insertRegulationFile,
  insertSurvey,
  listStepRows,
  personDisplayName,
  openRequestCounts,
  openStepCounts,
  queueRows,
  requestHistogram,
  staffFullName,
  stepHistogram,
  surveyCounts,
  type HistogramRow,
  type RequestRow,
} from '../../../db/requests';
import { setSetting } from '../../../db/settings';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { requireValidIin } from '../people';
import {
  buildCalendar,
  buildCatalog,
  CALENDAR_SETTING,
  calendarOf,
  calendarSettings,
  catalogOf,
  IMPORTED_PREFIX,
  invalidateCalendar,
  invalidateCatalog,
} from './context';
import { histogramPercentile } from './histogram';
import { actorLabel, canAct, canCancel, createEngine, type EngineActor, type WorkflowEngine } from './engine';
import { EXCLUSIVE_ACTIONS, HIV_SERVICE, seesHivIdentity, stepActionOf } from '../dispensary/rules';
import { priceOn } from '../../../db/dispensary';
import { spreadsheetCsv } from '../csv';

export function engineActor(staff: StaffRow): EngineActor {
  return { staffId: staff.id, login: staff.login, role: staff.role, specialty: staff.specialty };
}

function organization(app: AppContext) {
  const org = getOrganization(app.db);
  if (!org) throw new ApiError('internal', 'the organization is not set up');
  return org;
}

/** The engine bound to this application's database, catalogue and calendar. */
export function engineOf(app: AppContext): WorkflowEngine {
  return createEngine({
    db: app.db,
    clock: app.clock,
    definition: (key) => catalogOf(app).catalog.byKey(key),
    calendar: () => calendarOf(app),
    workstationPrefix: () => organization(app).workstationPrefix,
  });
}

/** Today's local date in the organization's zone. */
export function orgToday(app: AppContext): string {
  return toLocalIsoDate(app.clock(), organization(app).timezone);
}

const fallbackTitle = (id: string): Localized => ({ kk: id, ru: id, en: id });

function limitOf(d: Duration | undefined): { maxMinutes?: number; maxWorkingDays?: number; byEndOfWorkingDay?: boolean } {
  if (!d) return {};
  if ('maxMinutes' in d) return { maxMinutes: d.maxMinutes };
  if ('maxWorkingDays' in d) return { maxWorkingDays: d.maxWorkingDays };
  return { byEndOfWorkingDay: true };
}

// ---------------------------------------------------------------------------------------------------------------
// Requests

export interface StartArgs {
  serviceId: string;
  channel: Channel;
  iin?: string | null;
  anonymous?: boolean;
  feeKzt?: number;
}

export function start(app: AppContext, staff: StaffRow, a: StartArgs): RequestView {
  const org = organization(app);
  const def = catalogOf(app).catalog.byId(a.serviceId, org.region, orgToday(app));
  if (!def) {
    throw new ApiError('service-not-in-force', `no regulation of ${a.serviceId} is in force in ${org.region} today`, { service: a.serviceId, region: org.region });
  }
  let person: { iin: string } | { anonymous: true };
  if (a.anonymous) {
    if (a.iin) throw new ApiError('validation', 'an anonymous request holds no IIN', {}, ['iin']);
    person = { anonymous: true };
  } else {
    if (!a.iin) throw new ApiError('validation', 'the person’s IIN is required', {}, ['iin']);
    person = { iin: requireValidIin(a.iin).iin };
  }
  // The fee: given by the caller, else the price list in force today (issue 6), else the regulation's default.
  const fee = a.feeKzt ?? priceOn(app.db, def.id, orgToday(app))?.fee_kzt ?? def.fee.kzt;
  const row = engineOf(app).start(def, a.channel, person, engineActor(staff), { feeKzt: fee });
  return view(app, staff, row.id);
}

export function completeStep(app: AppContext, staff: StaffRow, a: { requestId: number; stepId: string; condition?: string | null; note?: string | null }): RequestView {
  // Steps done through their own action (issue 6): the register check, the payment, the signature, the HIV result.
  const row = getRequestRow(app.db, a.requestId);
  const def = row ? catalogOf(app).catalog.byKey(row.definition_key) : undefined;
  const step = def ? stepById(def, a.stepId) : undefined;
  const action = row && row.status === 'open' && def && step && row.current_step === a.stepId ? stepActionOf(def, step, row.fee_kzt) : null;
  if (action && EXCLUSIVE_ACTIONS.has(action)) {
    const code = action === 'register-check' ? 'register-check-required' : action === 'payment' ? 'payment-required' : action === 'sign' ? 'signature-required' : 'result-missing';
    throw new ApiError(code, `step ${a.stepId} is completed by its own action (${action})`, { step: a.stepId, action, code: row!.anonymous_code ?? row!.number, number: row!.number });
  }
  engineOf(app).completeStep(a.requestId, a.stepId, engineActor(staff), { condition: a.condition ?? null, note: a.note ?? null });
  return view(app, staff, a.requestId);
}

export function cancel(app: AppContext, staff: StaffRow, a: { requestId: number; reason: string }): RequestView {
  engineOf(app).cancel(a.requestId, engineActor(staff), a.reason);
  return view(app, staff, a.requestId);
}

function stepTitle(def: ServiceDefinition | undefined, stepId: string): Localized {
  return (def && stepById(def, stepId)?.title) || fallbackTitle(stepId);
}

function choicesOf(def: ServiceDefinition, step: StepDefinition, feeKzt: number): StepChoice[] {
  return step.next.map((e) => {
    let nextTitle: Localized | null = null;
    let leadsTo: StepChoice['leadsTo'] = e.refusal ? 'refusal' : e.outcome ? 'outcome' : 'done';
    if (!e.refusal && !e.outcome && e.to !== DONE) {
      const target = resolveStep(def, e.to, { feeKzt });
      if (target !== DONE) {
        leadsTo = 'step';
        nextTitle = target.title;
      }
    }
    return {
      condition: e.when ?? null,
      conditionTitle: e.when ? (def.conditions.find((c) => c.id === e.when)?.title ?? null) : null,
      leadsTo,
      nextTitle,
      refusal: e.refusal ?? null,
      outcome: e.outcome ?? null,
    };
  });
}

/** A request as the caller sees it: the steps' history, the current step and what the caller may do. */
export function view(app: AppContext, staff: StaffRow, requestId: number): RequestView {
  const row = getRequestRow(app.db, requestId);
  if (!row) throw new ApiError('not-found', `no service request ${requestId}`, { id: requestId });
  const def = catalogOf(app).catalog.byKey(row.definition_key);
  const nowMs = app.clock().getTime();
  const actor = engineActor(staff);
  const steps = listStepRows(app.db, requestId);
  const names = new Map<number, string | null>();
  const nameOf = (id: number) => {
    if (!names.has(id)) names.set(id, staffFullName(app.db, id));
    return names.get(id)!;
  };
  const open = steps.find((s) => s.completed_ms === null) ?? null;
  const openDef = open && def ? stepById(def, open.step_id) : undefined;
  const survey = getSurvey(app.db, requestId);
  const endMs = row.closed_ms ?? nowMs;
  const edgeOutcome = row.status === 'done' && row.outcome_code && def ? findOutcome(def, row.outcome_code) : null;
  return {
    id: row.id,
    number: row.number,
    definitionKey: row.definition_key,
    serviceId: row.service_id,
    serviceTitle: def?.titles ?? fallbackTitle(row.service_id),
    resultTitle: def?.resultDocument.title ?? fallbackTitle(row.service_id),
    region: row.region,
    channel: row.channel,
    person: row.person_iin && (row.service_id !== HIV_SERVICE || seesHivIdentity(staff)) ? { iin: row.person_iin, name: personDisplayName(app.db, row.person_iin) } : null,
    anonymousCode: row.anonymous_code,
    feeKzt: row.fee_kzt,
    status: row.status,
    outcome: edgeOutcome,
    createdAt: row.created_at,
    deadlineAt: row.deadline_at,
    closedAt: row.closed_at,
    timeLeftMs: row.deadline_ms - endMs,
    deadlineStatus: row.closed_ms !== null ? (row.closed_ms <= row.deadline_ms ? 'on-time' : 'overdue') : deadlineStatus(row.created_ms, row.deadline_ms, nowMs),
    currentStep:
      open && row.status === 'open'
        ? {
            stepId: open.step_id,
            title: stepTitle(def, open.step_id),
            role: open.role,
            specialty: open.specialty,
            deadlineAt: open.deadline_at,
            timeLeftMs: open.deadline_ms - nowMs,
            deadlineStatus: deadlineStatus(open.started_ms, open.deadline_ms, nowMs),
            choices: def && openDef ? choicesOf(def, openDef, row.fee_kzt) : [],
            canComplete: canAct(open, actor),
          }
        : null,
    canCancel: row.status === 'open' && canCancel(open, actor),
    steps: steps.map((s) => {
      const sd = def ? stepById(def, s.step_id) : undefined;
      return {
        seq: s.seq,
        stepId: s.step_id,
        title: sd?.title ?? fallbackTitle(s.step_id),
        role: s.role,
        specialty: s.specialty,
        limit: sd ? limitOf(stepDuration(sd)) : {},
        startedAt: s.started_at,
        deadlineAt: s.deadline_at,
        completedAt: s.completed_at,
        completedBy:
          s.completed_ms !== null
            ? { staffId: s.completed_by, login: s.completed_login ?? '', fullName: s.completed_by !== null ? nameOf(s.completed_by) : null, role: s.completed_role ?? '' }
            : null,
        outcome: s.outcome,
        condition: s.condition,
        conditionTitle: s.condition && def ? (def.conditions.find((c) => c.id === s.condition)?.title ?? null) : null,
        refusal: s.refusal_code ? { code: s.refusal_code, reason: s.refusal_reason ? (JSON.parse(s.refusal_reason) as Localized) : fallbackTitle(s.refusal_code) } : null,
        note: s.note,
        deadlineStatus: s.completed_ms !== null ? (s.completed_ms <= s.deadline_ms ? 'on-time' : 'overdue') : deadlineStatus(s.started_ms, s.deadline_ms, nowMs),
        durationMs: s.completed_ms !== null ? s.completed_ms - s.started_ms : null,
      };
    }),
    survey: survey ? { q1: survey.q1, q2: survey.q2, recordedAt: survey.recorded_at } : null,
    surveyAllowed: !survey && (row.status === 'done' || row.status === 'refused'),
  };
}

function findOutcome(def: ServiceDefinition, code: string): { code: string; title: Localized } | null {
  for (const s of def.steps) for (const e of s.next) if (e.outcome?.code === code) return e.outcome;
  return null;
}

/** Open requests whose current step is the caller's (role and specialty); the administrator sees every open one. */
export function queue(app: AppContext, staff: StaffRow, limit: number): QueueRow[] {
  const catalog = catalogOf(app).catalog;
  const nowMs = app.clock().getTime();
  const all = staff.role === 'administrator';
  return queueRows(app.db, { role: all ? null : staff.role, specialty: staff.specialty, limit }).map((r) => {
    const def = catalog.byKey(r.definition_key);
    // A confidential HIV examination's identity is shown only to the counselling doctor and the nurse.
    const hidden = r.service_id === HIV_SERVICE && !seesHivIdentity(staff);
    return {
      id: r.id,
      number: r.number,
      serviceId: r.service_id,
      serviceTitle: def?.titles ?? fallbackTitle(r.service_id),
      channel: r.channel,
      personName: r.surname && !hidden ? [r.surname, r.given_name, r.patronymic].filter(Boolean).join(' ') : null,
      personIin: hidden ? null : r.person_iin,
      anonymousCode: r.anonymous_code,
      stepId: r.step_id,
      stepTitle: stepTitle(def, r.step_id),
      role: r.role,
      specialty: r.specialty,
      startedAt: r.started_at,
      deadlineAt: r.deadline_at,
      timeLeftMs: r.deadline_ms - nowMs,
      deadlineStatus: deadlineStatus(r.started_ms, r.deadline_ms, nowMs),
      requestDeadlineAt: r.request_deadline_at,
    };
  });
}

/** Services a request can be started for at this workstation today (the registrar's choice list). */
export function inForceToday(app: AppContext): ServiceDefinition[] {
  return catalogOf(app).catalog.inForce(organization(app).region, orgToday(app));
}

// ---------------------------------------------------------------------------------------------------------------
// The deadline dashboard and the compliance report

/** [fromMs, toMs) of local dates `from`..`to` inclusive, in the organization's zone. */
function rangeMs(app: AppContext, from: string, to: string): [number, number] {
  const cal = calendarOf(app);
  return [cal.localToInstant(dayNumberOf(from), 0), cal.localToInstant(dayNumberOf(to) + 1, 0)];
}

/** The version used for titles: the one in force in the organization's region today, else the newest known. */
function titleDefinitions(app: AppContext): Map<string, ServiceDefinition[]> {
  const org = organization(app);
  const today = orgToday(app);
  const byService = new Map<string, ServiceDefinition[]>();
  const rank = (d: ServiceDefinition) => (d.region === org.region ? 2 : 0) + (isInForceOn(d, today) ? 1 : 0);
  for (const l of catalogOf(app).catalog.all) {
    const list = byService.get(l.definition.id) ?? [];
    list.push(l.definition);
    byService.set(l.definition.id, list);
  }
  for (const list of byService.values()) list.sort((a, b) => rank(b) - rank(a) || b.effectiveFrom.localeCompare(a.effectiveFrom));
  return byService;
}

/** Counts and percentiles of one group from its duration histogram and its open rows. */
function statsOf(hist: readonly HistogramRow[], open: { overdue: number; pending: number } | undefined): DeadlineStats {
  let closed = 0;
  let onTime = 0;
  let late = 0;
  let cancelled = 0;
  for (const h of hist) {
    closed += h.n;
    onTime += h.on_time;
    late += h.late;
    cancelled += h.cancelled;
  }
  return {
    total: closed + (open?.overdue ?? 0) + (open?.pending ?? 0),
    onTime,
    overdue: late + (open?.overdue ?? 0),
    pending: open?.pending ?? 0,
    cancelled,
    medianMs: histogramPercentile(hist, 50),
    p90Ms: histogramPercentile(hist, 90),
  };
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/**
 * Per service (whole requests, by the day they were created) and per step (by the day it started), over local
 * dates `from`..`to` inclusive: on time, overdue (late, or open past the deadline now), pending, cancelled, and the
 * median and 90th-percentile durations of the closed ones. Summed in SQL from the daily roll-ups.
 */
export function dashboard(app: AppContext, from: string, to: string): Dashboard {
  const t0 = performance.now();
  const fromDay = dayNumberOf(from);
  const toDay = dayNumberOf(to);
  const nowMs = app.clock().getTime();
  const reqHist = groupBy(requestHistogram(app.db, fromDay, toDay), (r) => r.service_id);
  const reqOpen = new Map(openRequestCounts(app.db, fromDay, toDay, nowMs).map((r) => [r.service_id, r]));
  const stepHist = groupBy(stepHistogram(app.db, fromDay, toDay), (r) => `${r.service_id}\u0000${r.step_id}`);
  const stepOpen = new Map(openStepCounts(app.db, fromDay, toDay, nowMs).map((r) => [`${r.service_id}\u0000${r.step_id}`, r]));
  const defs = titleDefinitions(app);
  const serviceIds = [...new Set([...reqHist.keys(), ...reqOpen.keys()])].sort();
  const stepKeys = [...new Set([...stepHist.keys(), ...stepOpen.keys()])];
  const result: Dashboard = {
    from,
    to,
    services: serviceIds.map((serviceId) => {
      const versions = defs.get(serviceId) ?? [];
      const main = versions[0];
      const hist = reqHist.get(serviceId) ?? [];
      const order = (id: string) => {
        for (const v of versions) {
          const i = v.steps.findIndex((st) => st.id === id);
          if (i >= 0) return i;
        }
        return 1e9;
      };
      const own = stepKeys
        .filter((k) => k.startsWith(serviceId + '\u0000'))
        .map((k) => k.slice(serviceId.length + 1))
        .sort((a, b) => order(a) - order(b) || a.localeCompare(b));
      return {
        serviceId,
        title: main?.titles ?? fallbackTitle(serviceId),
        refused: hist.reduce((n, h) => n + h.refused, 0),
        ...statsOf(hist, reqOpen.get(serviceId)),
        steps: own.map((stepId) => {
          const key = `${serviceId}\u0000${stepId}`;
          const sd = versions.map((v) => stepById(v, stepId)).find((st) => st !== undefined);
          return {
            stepId,
            title: sd?.title ?? fallbackTitle(stepId),
            role: sd?.role ?? '',
            specialty: sd?.specialty ?? null,
            limit: sd ? limitOf(stepDuration(sd)) : {},
            ...statsOf(stepHist.get(key) ?? [], stepOpen.get(key)),
          };
        }),
      };
    }),
    tookMs: 0,
  };
  result.tookMs = Math.round((performance.now() - t0) * 10) / 10;
  return result;
}

const REPORT_HEADERS: Record<Language, string[]> = {
  kk: ['Қызмет', 'Қадам', 'Орындаушы', 'Ең ұзақ мерзімі', 'Барлығы', 'Мерзімінде', 'Мерзімі өткен', 'Орындалуда', 'Болдырылмаған', 'Мерзімінде, %', 'Медиана, мин', '90-перцентиль, мин'],
  ru: ['Услуга', 'Шаг', 'Исполнитель', 'Максимальный срок', 'Всего', 'В срок', 'Просрочено', 'В работе', 'Отменено', 'В срок, %', 'Медиана, мин', '90-й процентиль, мин'],
  en: ['Service', 'Step', 'Performer', 'Maximum duration', 'Total', 'On time', 'Overdue', 'In progress', 'Cancelled', 'On time, %', 'Median, min', '90th percentile, min'],
};
const WHOLE_REQUEST: Record<Language, string> = { kk: '(өтінім толығымен)', ru: '(заявка целиком)', en: '(whole request)' };

function limitText(l: { maxMinutes?: number; maxWorkingDays?: number; byEndOfWorkingDay?: boolean }, lang: Language): string {
  if (l.maxMinutes !== undefined) return `${l.maxMinutes} ${lang === 'kk' ? 'мин' : lang === 'ru' ? 'мин' : 'min'}`;
  if (l.maxWorkingDays !== undefined) return `${l.maxWorkingDays} ${lang === 'kk' ? 'жұмыс күні' : lang === 'ru' ? 'раб. дн.' : 'working days'}`;
  if (l.byEndOfWorkingDay) return lang === 'kk' ? 'жұмыс күнінің соңына дейін' : lang === 'ru' ? 'до конца рабочего дня' : 'by the end of the working day';
  return '';
}

const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 600) / 100);

/**
 * The compliance report for a date range: one line per service (whole request) and per step. Semicolon-separated
 * with a UTF-8 byte-order mark, which is what Excel with a Kazakh or Russian locale opens correctly on a double click.
 */
export function report(app: AppContext, staff: StaffRow, from: string, to: string): { fileName: string; csv: string; rows: number } {
  const lang = staff.language;
  const d = dashboard(app, from, to);
  const lines: (string | number | null)[][] = [REPORT_HEADERS[lang]];
  const pct = (s: DeadlineStats) => {
    const closed = s.onTime + s.overdue;
    return closed === 0 ? null : Math.round((s.onTime / closed) * 1000) / 10;
  };
  const defs = titleDefinitions(app);
  for (const s of d.services) {
    const main = defs.get(s.serviceId)?.[0];
    const total = main ? totalDuration(main, main.channels.includes('desk') ? 'desk' : main.channels[0]!) : undefined;
    lines.push([s.title[lang], WHOLE_REQUEST[lang], '', limitText(limitOf(total), lang), s.total, s.onTime, s.overdue, s.pending, s.cancelled, pct(s), minutes(s.medianMs), minutes(s.p90Ms)]);
    for (const st of s.steps) {
      lines.push([s.title[lang], st.title[lang], actorLabel(st), limitText(st.limit, lang), st.total, st.onTime, st.overdue, st.pending, st.cancelled, pct(st), minutes(st.medianMs), minutes(st.p90Ms)]);
    }
  }
  const csv = spreadsheetCsv(lines);
  return { fileName: `deadlines_${from}_${to}.csv`, csv, rows: lines.length - 1 };
}

// ---------------------------------------------------------------------------------------------------------------
// The quality and accessibility survey (appendix 3)

export function recordSurvey(app: AppContext, staff: StaffRow, a: { requestId: number; q1: SurveyAnswer; q2: SurveyAnswer; source: 'desk' | 'kiosk' }): { ok: true } {
  const now = app.clock();
  recordChange(
    app.db,
    engineActor(staff),
    now,
    () => {
      const row = getRequestRow(app.db, a.requestId);
      if (!row) throw new ApiError('not-found', `no service request ${a.requestId}`, { id: a.requestId });
      if (row.status !== 'done' && row.status !== 'refused') {
        throw new ApiError('validation', `the survey is taken after the request is completed (request ${row.number} is ${row.status})`, { status: row.status }, ['requestId']);
      }
      if (getSurvey(app.db, a.requestId)) throw new ApiError('conflict', `the survey of ${row.number} is already recorded`, { number: row.number });
      insertSurvey(app.db, {
        request_id: row.id,
        service_id: row.service_id,
        q1: a.q1,
        q2: a.q2,
        source: a.source,
        recorded_at: now.toISOString(),
        recorded_ms: now.getTime(),
        recorded_by: staff.id,
      });
      return row;
    },
    {
      audit: (row: RequestRow) => ({ action: 'survey.recorded', entity: 'service_request', entityId: row.number, details: { source: a.source } }),
      outbox: (row: RequestRow) => ({
        kind: 'survey.record',
        entity: 'service_request',
        entityId: row.number,
        payload: { number: row.number, serviceId: row.service_id, q1: a.q1, q2: a.q2, source: a.source, recordedAt: now.toISOString() },
      }),
    },
  );
  return { ok: true };
}

export function surveyReport(app: AppContext, from: string, to: string): SurveyReport {
  const [fromMs, toMs] = rangeMs(app, from, to);
  const defs = titleDefinitions(app);
  const byService = new Map<string, SurveyReport['services'][number]>();
  const empty = () => ({ 'not-satisfied': 0, 'partly-satisfied': 0, satisfied: 0 });
  for (const r of surveyCounts(app.db, fromMs, toMs)) {
    let s = byService.get(r.service_id);
    if (!s) {
      s = { serviceId: r.service_id, title: defs.get(r.service_id)?.[0]?.titles ?? fallbackTitle(r.service_id), total: 0, q1: empty(), q2: empty() };
      byService.set(r.service_id, s);
    }
    s[r.question][r.answer as SurveyAnswer] += r.n;
    if (r.question === 'q1') s.total += r.n;
  }
  return { from, to, services: [...byService.values()].sort((a, b) => a.serviceId.localeCompare(b.serviceId)) };
}

// ---------------------------------------------------------------------------------------------------------------
// Regulations

function summary(def: ServiceDefinition, file: string, closed: Set<string>): RegulationSummary {
  return {
    key: definitionKey(def),
    id: def.id,
    region: def.region,
    titles: def.titles,
    act: { number: def.act.number, date: def.act.date, issuer: def.act.issuer },
    effectiveFrom: def.effectiveFrom,
    effectiveTo: def.effectiveTo,
    closedBySuccessor: closed.has(definitionKey(def)),
    channels: def.channels,
    feeKzt: def.fee.kzt,
    anonymousAllowed: def.anonymousAllowed ?? false,
    file,
    imported: file.startsWith(IMPORTED_PREFIX),
    steps: def.steps.map((s) => ({ id: s.id, title: s.title, role: s.role, specialty: s.specialty ?? null, limit: limitOf(stepDuration(s)) })),
    maxTotal: Object.fromEntries(def.channels.map((c) => [c, limitOf(totalDuration(def, c))])),
  };
}

/** The services in force in the organization's region today, and versions that take effect later. */
export function regulationsInForce(app: AppContext): { region: string; today: string; services: RegulationSummary[]; upcoming: RegulationSummary[] } {
  const org = organization(app);
  const today = orgToday(app);
  const { catalog, closedBySuccessor } = catalogOf(app);
  const mine = catalog.all.filter((l) => l.definition.region === org.region);
  return {
    region: org.region,
    today,
    services: mine.filter((l) => isInForceOn(l.definition, today)).map((l) => summary(l.definition, l.file, closedBySuccessor)),
    upcoming: mine.filter((l) => l.definition.effectiveFrom > today).map((l) => summary(l.definition, l.file, closedBySuccessor)),
  };
}

/** A file name as the administrator knows it, made safe to show and store (`imported/<name>`). */
function importName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop()!.trim();
  const safe = base.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 120);
  if (!safe || safe === '.' || safe === '..') throw new ApiError('validation', 'the file needs a name', {}, ['fileName']);
  return IMPORTED_PREFIX + safe;
}

/**
 * Imports one definition file: validated together with every shipped and previously imported file (all or
 * nothing), stored in the database (it survives restarts and is validated again at each start), in force from its
 * `effectiveFrom`. An open-ended earlier version of the same service and region ends the day before.
 */
export function importRegulation(
  app: AppContext,
  staff: StaffRow,
  a: { fileName: string; text: string },
): { imported: RegulationSummary; closedPredecessor: string | null } {
  const file = importName(a.fileName);
  const refuse = (issues: { file: string; path: string; message: string }[]) => {
    const lines = issues.map((i) => `${i.file}: ${i.path || '(root)'}: ${i.message}`);
    return new ApiError('regulation-invalid', `regulation file refused:\n${lines.join('\n')}`, { file, count: issues.length, issues: lines.join('\n') });
  };
  let data: unknown;
  try {
    data = JSON.parse(a.text);
  } catch (e) {
    throw refuse([{ file, path: '', message: `not valid JSON: ${(e as Error).message}` }]);
  }
  let build;
  try {
    build = buildCatalog(app.db, [{ file, data }], organization(app).timezone);
  } catch (e) {
    if (e instanceof RegulationValidationError) throw refuse(e.issues);
    throw e;
  }
  const def = serviceDefinitionSchema.parse(data);
  const predecessor = build.catalog.all.find(
    (l) => l.definition.region === def.region && l.definition.id === def.id && l.definition.effectiveFrom < def.effectiveFrom && build.closedBySuccessor.has(definitionKey(l.definition)) && l.definition.effectiveTo === dayNumberToIso(dayNumberOf(def.effectiveFrom) - 1),
  );
  const now = app.clock();
  recordChange(app.db, engineActor(staff), now, () => insertRegulationFile(app.db, file, a.text, now, staff.id), {
    audit: { action: 'regulation.imported', entity: 'regulation', entityId: definitionKey(def), details: { file, effectiveFrom: def.effectiveFrom, closes: predecessor ? definitionKey(predecessor.definition) : null } },
    outbox: { kind: 'regulation.import', entity: 'regulation', entityId: definitionKey(def), payload: { file, key: definitionKey(def), content: a.text } },
  });
  invalidateCatalog(app);
  const loaded = catalogOf(app).catalog.byKey(definitionKey(def))!;
  return { imported: summary(loaded, file, catalogOf(app).closedBySuccessor), closedPredecessor: predecessor ? definitionKey(predecessor.definition) : null };
}

// ---------------------------------------------------------------------------------------------------------------
// The organization's calendar

export function getCalendar(app: AppContext): { settings: CalendarSettings; timeZone: string; daysOff: string[] } {
  const cal = calendarOf(app);
  const today = cal.localDayOf(app.clock().getTime());
  const daysOff: string[] = [];
  for (let d = today; d < today + 62; d++) if (!cal.isWorkingDayNumber(d)) daysOff.push(dayNumberToIso(d));
  return { settings: calendarSettings(app.db), timeZone: cal.timeZone, daysOff };
}

export function setCalendar(app: AppContext, staff: StaffRow, input: CalendarSettings): ReturnType<typeof getCalendar> {
  const settings = calendarSettingsSchema.parse(input);
  const dates = new Set<string>();
  settings.extraTransfers.forEach((t, i) => {
    if (dates.has(t.date)) throw new ApiError('validation', `the date ${t.date} is listed twice`, { date: t.date }, [`extraTransfers.${i}.date`]);
    dates.add(t.date);
  });
  try {
    buildCalendar(organization(app).timezone, settings);
  } catch (e) {
    if (e instanceof RangeError) {
      const field = /^hours\.\w+/.exec(e.message)?.[0] ?? 'hours';
      throw new ApiError('validation', e.message, {}, [field]);
    }
    throw e;
  }
  const now = app.clock();
  recordChange(app.db, engineActor(staff), now, () => setSetting(app.db, CALENDAR_SETTING, settings), {
    audit: { action: 'calendar.changed', entity: 'setting', entityId: CALENDAR_SETTING, details: settings as unknown as Record<string, unknown> },
    outbox: { kind: 'org.calendar', entity: 'setting', entityId: CALENDAR_SETTING, payload: settings },
  });
  invalidateCalendar(app);
  return getCalendar(app);
}

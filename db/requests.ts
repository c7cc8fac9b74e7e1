/**
 * Data access for service requests, their steps, imported regulation files and the quality survey.
 * The step engine (electron/services/workflow/engine.ts) decides; this module only reads and writes rows.
 *
 * The dashboard reads the daily roll-ups the database's triggers keep (db/migrations/0002-workflow.ts): SQL sums
 * them into one duration histogram per service and step, so hundreds of thousands of requests never cross into
 * JavaScript — only a few hundred histogram rows do.
 */
import type { Db } from './connection';
import { statementCache } from './statements';

export interface RequestRow {
  id: number;
  number: string;
  definition_key: string;
  service_id: string;
  region: string;
  channel: 'desk' | 'phone' | 'portal';
  person_iin: string | null;
  anonymous_code: string | null;
  fee_kzt: number;
  status: 'open' | 'done' | 'refused' | 'cancelled';
  current_step: string | null;
  outcome_code: string | null;
  created_at: string;
  created_ms: number;
  created_day: number;
  created_by: number | null;
  deadline_at: string;
  deadline_ms: number;
  closed_at: string | null;
  closed_ms: number | null;
}

export interface StepRow {
  id: number;
  request_id: number;
  seq: number;
  step_id: string;
  service_id: string;
  role: string;
  specialty: string | null;
  started_at: string;
  started_ms: number;
  started_day: number;
  deadline_at: string;
  deadline_ms: number;
  completed_at: string | null;
  completed_ms: number | null;
  completed_by: number | null;
  completed_login: string | null;
  completed_role: string | null;
  outcome: 'done' | 'refused' | 'cancelled' | null;
  condition: string | null;
  refusal_code: string | null;
  refusal_reason: string | null;
  note: string | null;
}

function prepare(db: Db) {
  return {
    nextSeq: db.prepare(
      `INSERT INTO sequence (name, value) VALUES (?, 1)
       ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
    ),
    insertRequest: db.prepare(
      `INSERT INTO service_request (number, definition_key, service_id, region, channel, person_iin, anonymous_code, fee_kzt,
         status, current_step, created_at, created_ms, created_day, created_by, deadline_at, deadline_ms)
       VALUES (@number, @definition_key, @service_id, @region, @channel, @person_iin, @anonymous_code, @fee_kzt,
         'open', @current_step, @created_at, @created_ms, @created_day, @created_by, @deadline_at, @deadline_ms)`,
    ),
    insertStep: db.prepare(
      `INSERT INTO request_step (request_id, seq, step_id, service_id, role, specialty, started_at, started_ms, started_day, deadline_at, deadline_ms)
       VALUES (@request_id, @seq, @step_id, @service_id, @role, @specialty, @started_at, @started_ms, @started_day, @deadline_at, @deadline_ms)`,
    ),
    completeStep: db.prepare(
      `UPDATE request_step SET completed_at = @completed_at, completed_ms = @completed_ms, completed_by = @completed_by,
         completed_login = @completed_login, completed_role = @completed_role, outcome = @outcome, condition = @condition,
         refusal_code = @refusal_code, refusal_reason = @refusal_reason, note = @note
       WHERE id = @id AND completed_ms IS NULL`,
    ),
    moveTo: db.prepare(`UPDATE service_request SET current_step = ? WHERE id = ? AND status = 'open'`),
    close: db.prepare(
      `UPDATE service_request SET status = @status, current_step = NULL, outcome_code = @outcome_code, closed_at = @closed_at,
         closed_ms = @closed_ms WHERE id = @id AND status = 'open'`,
    ),
    byId: db.prepare(`SELECT * FROM service_request WHERE id = ?`),
    byNumber: db.prepare(`SELECT * FROM service_request WHERE number = ?`),
    steps: db.prepare(`SELECT * FROM request_step WHERE request_id = ? ORDER BY seq`),
    openStep: db.prepare(`SELECT * FROM request_step WHERE request_id = ? AND completed_ms IS NULL ORDER BY seq DESC LIMIT 1`),
    personName: db.prepare(`SELECT surname, given_name, patronymic FROM person WHERE iin = ?`),
    staffName: db.prepare(`SELECT full_name FROM staff WHERE id = ?`),
    queue: db.prepare(
      `SELECT r.id, r.number, r.definition_key, r.service_id, r.channel, r.person_iin, r.anonymous_code,
              r.deadline_at AS request_deadline_at, st.step_id, st.role, st.specialty, st.started_at, st.started_ms,
              st.deadline_at, st.deadline_ms, p.surname, p.given_name, p.patronymic
       FROM request_step st
       JOIN service_request r ON r.id = st.request_id AND r.status = 'open'
       LEFT JOIN person p ON p.iin = r.person_iin
       WHERE st.completed_ms IS NULL
         AND (@role IS NULL OR (st.role = @role AND (st.specialty IS NULL OR st.specialty = @specialty)))
       ORDER BY st.deadline_ms, r.id
       LIMIT @limit`,
    ),
    requestHistogram: db.prepare(
      `SELECT service_id, bucket, sum(n) AS n, sum(on_time) AS on_time, sum(late) AS late, sum(refused) AS refused,
              sum(cancelled) AS cancelled
       FROM request_rollup WHERE day BETWEEN @from AND @to
       GROUP BY service_id, bucket`,
    ),
    stepHistogram: db.prepare(
      `SELECT service_id, step_id, bucket, sum(n) AS n, sum(on_time) AS on_time, sum(late) AS late, sum(cancelled) AS cancelled
       FROM step_rollup WHERE day BETWEEN @from AND @to
       GROUP BY service_id, step_id, bucket`,
    ),
    openRequestCounts: db.prepare(
      `SELECT service_id, sum(deadline_ms < @now) AS overdue, sum(deadline_ms >= @now) AS pending
       FROM service_request WHERE status = 'open' AND created_day BETWEEN @from AND @to
       GROUP BY service_id`,
    ),
    openStepCounts: db.prepare(
      `SELECT service_id, step_id, sum(deadline_ms < @now) AS overdue, sum(deadline_ms >= @now) AS pending
       FROM request_step WHERE completed_ms IS NULL AND started_day BETWEEN @from AND @to
       GROUP BY service_id, step_id`,
    ),
    regulationFiles: db.prepare(`SELECT * FROM regulation_file ORDER BY id`),
    insertRegulationFile: db.prepare(`INSERT INTO regulation_file (file, content, imported_at, imported_by) VALUES (?, ?, ?, ?)`),
    insertSurvey: db.prepare(
      `INSERT INTO service_survey (request_id, service_id, q1, q2, source, recorded_at, recorded_ms, recorded_by)
         VALUES (@request_id, @service_id, @q1, @q2, @source, @recorded_at, @recorded_ms, @recorded_by)`,
    ),
    survey: db.prepare(`SELECT * FROM service_survey WHERE request_id = ?`),
    surveyCounts: db.prepare(
      `SELECT service_id, 'q1' AS question, q1 AS answer, count(*) AS n FROM service_survey
         WHERE recorded_ms >= @from AND recorded_ms < @to GROUP BY service_id, q1
       UNION ALL
       SELECT service_id, 'q2', q2, count(*) FROM service_survey
         WHERE recorded_ms >= @from AND recorded_ms < @to GROUP BY service_id, q2`,
    ),
  };
}

const s = statementCache(prepare).get;

/** The next value of a local sequence (request numbers). Call inside the transaction that uses it. */
export function nextSequence(db: Db, name: string): number {
  return (s(db).nextSeq.get(name) as { value: number }).value;
}

export type NewRequestRow = Omit<RequestRow, 'id' | 'status' | 'outcome_code' | 'closed_at' | 'closed_ms'>;

export function insertRequest(db: Db, row: NewRequestRow): number {
  return Number(s(db).insertRequest.run(row).lastInsertRowid);
}

export type NewStepRow = Pick<
  StepRow,
  | 'request_id'
  | 'seq'
  | 'step_id'
  | 'service_id'
  | 'role'
  | 'specialty'
  | 'started_at'
  | 'started_ms'
  | 'started_day'
  | 'deadline_at'
  | 'deadline_ms'
>;

export function insertStep(db: Db, row: NewStepRow): number {
  return Number(s(db).insertStep.run(row).lastInsertRowid);
}

export type StepCompletion = Pick<
  StepRow,
  | 'completed_at'
  | 'completed_ms'
  | 'completed_by'
  | 'completed_login'
  | 'completed_role'
  | 'outcome'
  | 'condition'
  | 'refusal_code'
  | 'refusal_reason'
  | 'note'
>;

/** Completes an open step; false if it was already completed (the caller raced another completion). */
export function completeStepRow(db: Db, stepRowId: number, c: StepCompletion): boolean {
  return s(db).completeStep.run({ id: stepRowId, ...c }).changes === 1;
}

export function moveRequestTo(db: Db, requestId: number, stepId: string): void {
  s(db).moveTo.run(stepId, requestId);
}

export function closeRequest(
  db: Db,
  requestId: number,
  c: { status: 'done' | 'refused' | 'cancelled'; outcome_code: string | null; closed_at: string; closed_ms: number },
): void {
  s(db).close.run({ id: requestId, ...c });
}

export function getRequestRow(db: Db, id: number): RequestRow | undefined {
  return s(db).byId.get(id) as RequestRow | undefined;
}

export function getRequestByNumber(db: Db, number: string): RequestRow | undefined {
  return s(db).byNumber.get(number) as RequestRow | undefined;
}

export function listStepRows(db: Db, requestId: number): StepRow[] {
  return s(db).steps.all(requestId) as StepRow[];
}

export function openStepRow(db: Db, requestId: number): StepRow | undefined {
  return s(db).openStep.get(requestId) as StepRow | undefined;
}

export function personDisplayName(db: Db, iin: string): string | null {
  const r = s(db).personName.get(iin) as { surname: string; given_name: string; patronymic: string | null } | undefined;
  return r ? [r.surname, r.given_name, r.patronymic].filter(Boolean).join(' ') : null;
}

export function staffFullName(db: Db, id: number): string | null {
  return (s(db).staffName.get(id) as { full_name: string } | undefined)?.full_name ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Queues

export interface QueueDbRow {
  id: number;
  number: string;
  definition_key: string;
  service_id: string;
  channel: 'desk' | 'phone' | 'portal';
  person_iin: string | null;
  anonymous_code: string | null;
  request_deadline_at: string;
  step_id: string;
  role: string;
  specialty: string | null;
  started_at: string;
  started_ms: number;
  started_day: number;
  deadline_at: string;
  deadline_ms: number;
  surname: string | null;
  given_name: string | null;
  patronymic: string | null;
}

/**
 * Open requests whose current (open) step is for a role and, for physicians, a specialty; `role` null = every open
 * request (the supervisor's view). Most urgent first.
 */
export function queueRows(db: Db, filter: { role: string | null; specialty: string | null; limit: number }): QueueDbRow[] {
  return s(db).queue.all({ role: filter.role, specialty: filter.specialty, limit: filter.limit }) as QueueDbRow[];
}

// ---------------------------------------------------------------------------------------------------------------
// The deadline dashboard

/** Closed requests or steps of one duration bucket (bucket -1: cancelled, no duration). */
export interface HistogramRow {
  service_id: string;
  bucket: number;
  n: number;
  on_time: number;
  late: number;
  cancelled: number;
}

/** Requests created on local days [fromDay, toDay]: per service and duration bucket, from the daily roll-ups. */
export function requestHistogram(db: Db, fromDay: number, toDay: number): Array<HistogramRow & { refused: number }> {
  return s(db).requestHistogram.all({ from: fromDay, to: toDay }) as Array<HistogramRow & { refused: number }>;
}

/** Steps started on local days [fromDay, toDay]: per service, step and duration bucket. */
export function stepHistogram(db: Db, fromDay: number, toDay: number): Array<HistogramRow & { step_id: string }> {
  return s(db).stepHistogram.all({ from: fromDay, to: toDay }) as Array<HistogramRow & { step_id: string }>;
}

/** Open requests created on [fromDay, toDay]: overdue (deadline passed at `nowMs`) and pending. */
export function openRequestCounts(
  db: Db,
  fromDay: number,
  toDay: number,
  nowMs: number,
): Array<{ service_id: string; overdue: number; pending: number }> {
  return s(db).openRequestCounts.all({ from: fromDay, to: toDay, now: nowMs }) as Array<{
    service_id: string;
    overdue: number;
    pending: number;
  }>;
}

/** Open steps started on [fromDay, toDay]: overdue and pending per service and step. */
export function openStepCounts(
  db: Db,
  fromDay: number,
  toDay: number,
  nowMs: number,
): Array<{ service_id: string; step_id: string; overdue: number; pending: number }> {
  return s(db).openStepCounts.all({ from: fromDay, to: toDay, now: nowMs }) as Array<{
    service_id: string;
    step_id: string;
    overdue: number;
    pending: number;
  }>;
}

// ---------------------------------------------------------------------------------------------------------------
// Imported regulation files

export interface RegulationFileRow {
  id: number;
  file: string;
  content: string;
  imported_at: string;
  imported_by: number | null;
}

export function listRegulationFiles(db: Db): RegulationFileRow[] {
  return s(db).regulationFiles.all() as RegulationFileRow[];
}

export function insertRegulationFile(db: Db, file: string, content: string, at: Date, by: number | null): number {
  return Number(s(db).insertRegulationFile.run(file, content, at.toISOString(), by).lastInsertRowid);
}

// ---------------------------------------------------------------------------------------------------------------
// The quality survey (appendix 3)

export interface SurveyRow {
  request_id: number;
  service_id: string;
  q1: 'not-satisfied' | 'partly-satisfied' | 'satisfied';
  q2: 'not-satisfied' | 'partly-satisfied' | 'satisfied';
  source: 'desk' | 'kiosk';
  recorded_at: string;
}

export function insertSurvey(db: Db, row: SurveyRow & { recorded_ms: number; recorded_by: number | null }): number {
  return Number(s(db).insertSurvey.run(row).lastInsertRowid);
}

export function getSurvey(db: Db, requestId: number): SurveyRow | undefined {
  return s(db).survey.get(requestId) as SurveyRow | undefined;
}

export function surveyCounts(
  db: Db,
  fromMs: number,
  toMs: number,
): Array<{ service_id: string; question: 'q1' | 'q2'; answer: string; n: number }> {
  return s(db).surveyCounts.all({ from: fromMs, to: toMs }) as Array<{
    service_id: string;
    question: 'q1' | 'q2';
    answer: string;
    n: number;
  }>;
}

/**
 * The quality and accessibility survey of appendix 3 (`survey.*`): two questions asked once a request is completed
 * (at the desk or the kiosk), recorded with its audit entry and outbox operation, and counted per service.
 */
import { ApiError } from '../../../common/errors';
import { dayNumberOf } from '../../../common/working-calendar';
import type { SurveyAnswer, SurveyReport } from '../../../common/workflow';
import { recordChange } from '../../../db/change';
import { getRequestRow, getSurvey, insertSurvey, surveyCounts, type RequestRow } from '../../../db/requests';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { engineActor } from './app-engine';
import { calendarOf } from './context';
import { fallbackTitle, titleDefinitions } from './labels';

/** [fromMs, toMs) of local dates `from`..`to` inclusive, in the organization's zone. */
function rangeMs(app: AppContext, from: string, to: string): [number, number] {
  const cal = calendarOf(app);
  return [cal.localToInstant(dayNumberOf(from), 0), cal.localToInstant(dayNumberOf(to) + 1, 0)];
}

export function recordSurvey(
  app: AppContext,
  staff: StaffRow,
  a: { requestId: number; q1: SurveyAnswer; q2: SurveyAnswer; source: 'desk' | 'kiosk' },
): { ok: true } {
  const now = app.clock();
  recordChange(
    app.db,
    engineActor(staff),
    now,
    () => {
      const row = getRequestRow(app.db, a.requestId);
      if (!row) throw new ApiError('not-found', `no service request ${a.requestId}`, { id: a.requestId });
      if (row.status !== 'done' && row.status !== 'refused') {
        throw new ApiError(
          'validation',
          `the survey is taken after the request is completed (request ${row.number} is ${row.status})`,
          { status: row.status },
          ['requestId'],
        );
      }
      if (getSurvey(app.db, a.requestId))
        throw new ApiError('conflict', `the survey of ${row.number} is already recorded`, { number: row.number });
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
      audit: (row: RequestRow) => ({
        action: 'survey.recorded',
        entity: 'service_request',
        entityId: row.number,
        details: { source: a.source },
      }),
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
      s = {
        serviceId: r.service_id,
        title: defs.get(r.service_id)?.[0]?.titles ?? fallbackTitle(r.service_id),
        total: 0,
        q1: empty(),
        q2: empty(),
      };
      byService.set(r.service_id, s);
    }
    s[r.question][r.answer as SurveyAnswer] += r.n;
    if (r.question === 'q1') s.total += r.n;
  }
  return { from, to, services: [...byService.values()].sort((a, b) => a.serviceId.localeCompare(b.serviceId)) };
}

/**
 * The citizens' survey answers given on the portal (pulled rows of kind `erequest-survey`), counted on the desk
 * that handled the e-request as a survey with source "portal" (recorded by no staff member). Other desks drop the
 * row: the request is not theirs.
 */
import { PORTAL_SURVEY_ROW_KIND, type PortalSurveyRowPayload } from '../common/erequests';
import type { Db } from './connection';
import { statementCache } from './statements';

const s = statementCache((db: Db) => ({
  pulled: db.prepare(`SELECT key, payload FROM sync_reference WHERE kind = ?`),
  remove: db.prepare(`DELETE FROM sync_reference WHERE kind = ? AND key = ?`),
  request: db.prepare(`SELECT r.id, r.service_id FROM erequest e JOIN service_request r ON r.id = e.request_id WHERE e.number = ?`),
  insert: db.prepare(
    `INSERT INTO service_survey (request_id, service_id, q1, q2, source, recorded_at, recorded_ms, recorded_by)
     VALUES (@request_id, @service_id, @q1, @q2, 'portal', @at, @ms, NULL)
     ON CONFLICT (request_id) DO NOTHING`,
  ),
})).get;

/** Moves pulled survey rows into `service_survey`; returns how many surveys were recorded here. */
export function ingestPortalSurveys(db: Db): number {
  const st = s(db);
  const rows = st.pulled.all(PORTAL_SURVEY_ROW_KIND) as Array<{ key: string; payload: string }>;
  if (rows.length === 0) return 0;
  let n = 0;
  db.transaction(() => {
    for (const r of rows) {
      const p = JSON.parse(r.payload) as PortalSurveyRowPayload;
      const request = st.request.get(p.number) as { id: number; service_id: string } | undefined;
      if (request)
        n += st.insert.run({
          request_id: request.id,
          service_id: request.service_id,
          q1: p.q1,
          q2: p.q2,
          at: p.at,
          ms: Date.parse(p.at),
        }).changes;
      st.remove.run(PORTAL_SURVEY_ROW_KIND, r.key);
    }
  }).immediate();
  return n;
}

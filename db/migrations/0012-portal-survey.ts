/**
 * The citizen answers the quality survey on the portal too (appendix 3 of the Astana regulations: every e-service
 * is measured by it): a survey's source may be 'portal'. SQLite cannot change a CHECK in place, so the table is
 * rebuilt with its rows and index.
 */
export const sql = /* sql */ `
CREATE TABLE service_survey_next (
  id           INTEGER PRIMARY KEY,
  request_id   INTEGER NOT NULL UNIQUE REFERENCES service_request(id),
  service_id   TEXT NOT NULL,
  q1           TEXT NOT NULL CHECK (q1 IN ('not-satisfied','partly-satisfied','satisfied')),
  q2           TEXT NOT NULL CHECK (q2 IN ('not-satisfied','partly-satisfied','satisfied')),
  source       TEXT NOT NULL CHECK (source IN ('desk','kiosk','portal')),
  recorded_at  TEXT NOT NULL,
  recorded_ms  INTEGER NOT NULL,
  recorded_by  INTEGER REFERENCES staff(id)
) STRICT;
INSERT INTO service_survey_next (id, request_id, service_id, q1, q2, source, recorded_at, recorded_ms, recorded_by)
  SELECT id, request_id, service_id, q1, q2, source, recorded_at, recorded_ms, recorded_by FROM service_survey;
DROP TABLE service_survey;
ALTER TABLE service_survey_next RENAME TO service_survey;
CREATE INDEX service_survey_recorded ON service_survey (recorded_ms, service_id);
`;

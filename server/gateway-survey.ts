/**
 * The quality survey on the portal (Astana appendix 3: every e-service is measured by the citizens' answers to two
 * questions). The portal posts the citizen's answers to an e-request it submitted, once the organization has
 * answered it; the server keeps them with the request and passes them to the organization's desks as a pulled
 * `erequest-survey` row, where the desk that handled the request counts them with its own (source "portal").
 */
import { PORTAL_SURVEY_ROW_KIND, type PortalSurvey, type PortalSurveyRowPayload } from '../common/erequests';
import { SURVEY_ANSWERS, type SurveyAnswer } from '../common/workflow';
import type { ServerDb } from './db';
import { GatewayRequestError } from './gateway';
import { appendChanges } from './push';

const isAnswer = (v: unknown): v is SurveyAnswer => (SURVEY_ANSWERS as readonly unknown[]).includes(v);

/** The body `{q1, q2}`, each one of the three answers; a bad one is named. */
export function parseSurveyBody(body: unknown): { q1: SurveyAnswer; q2: SurveyAnswer } {
  const b = (body ?? {}) as Record<string, unknown>;
  for (const q of ['q1', 'q2'] as const)
    if (!isAnswer(b[q])) throw new GatewayRequestError(400, 'bad-request', `${q}: one of ${SURVEY_ANSWERS.join(', ')}`);
  return { q1: b.q1 as SurveyAnswer, q2: b.q2 as SurveyAnswer };
}

/**
 * Records the citizen's answers to a request this gateway client posted. Refused while the request is not answered
 * yet (409 `not-answered`) and a second time (409 `survey-taken`): the first answers stand.
 */
export async function recordPortalSurvey(
  db: ServerDb,
  clientId: string,
  number: string,
  answers: { q1: SurveyAnswer; q2: SurveyAnswer },
  now: Date,
): Promise<PortalSurvey> {
  return db.transaction(async (tx) => {
    const r = await tx.query<{ org_bin: string; status: string; survey: string | null }>(
      `SELECT org_bin, status, survey FROM gateway_request WHERE number = $1 AND client_id = $2 FOR UPDATE`,
      [number, clientId],
    );
    const row = r.rows[0];
    if (!row) throw new GatewayRequestError(404, 'not-found', `no request ${number}`);
    if (row.status !== 'done' && row.status !== 'refused')
      throw new GatewayRequestError(409, 'not-answered', `the survey is taken once the request is answered (it is ${row.status})`);
    if (row.survey) throw new GatewayRequestError(409, 'survey-taken', `the survey of ${number} is already answered`);
    const survey: PortalSurvey = { ...answers, at: now.toISOString() };
    await tx.query(`UPDATE gateway_request SET survey = $2, surveyed_at = $3, updated_at = $3 WHERE number = $1`, [
      number,
      JSON.stringify(answers),
      survey.at,
    ]);
    const payload: PortalSurveyRowPayload = { number, ...survey };
    await appendChanges(tx, row.org_bin, null, [{ kind: PORTAL_SURVEY_ROW_KIND, key: number, payload: JSON.stringify(payload) }]);
    return survey;
  });
}

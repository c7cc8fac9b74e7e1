/**
 * The workflow service as the API handlers and the other services import it: a barrel only. Each API method prefix
 * has its own file — `requests.*` requests.ts, `deadlines.*` deadlines.ts, `survey.*` survey.ts, `regulations.*`
 * regulations.ts, `calendar.*` calendar.ts — and the engine bound to the application (engineOf, engineActor,
 * orgToday) is app-engine.ts. Kept at this path because electron/services/handlers.ts and the desk, dispensary
 * and e-request services import it here.
 */
export { engineActor, engineOf, orgToday } from './app-engine';
export { cancel, completeStep, inForceToday, queue, start, view, type StartArgs } from './requests';
export { dashboard, report } from './deadlines';
export { recordSurvey, surveyReport } from './survey';
export { importRegulation, regulationsInForce } from './regulations';
export { getCalendar, setCalendar } from './calendar';

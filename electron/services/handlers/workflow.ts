/**
 * Handlers of the workflow slice (common/api/workflow.ts): one service file per prefix in
 * electron/services/workflow/ (requests, deadlines, survey, regulations, calendar), and for `requests.extras` the dispensary's additions to a request (electron/services/dispensary/index.ts).
 */
import type { workflowApi } from '../../../common/api/workflow';
import * as dispensary from '../dispensary/index';
import * as calendar from '../workflow/calendar';
import * as adoption from '../regulations/adoption';
import * as deadlines from '../workflow/deadlines';
import * as regulations from '../workflow/regulations';
import * as requests from '../workflow/requests';
import * as survey from '../workflow/survey';
import { me, type SliceHandlers } from './context';

export const workflowHandlers: SliceHandlers<typeof workflowApi> = {
  'regulations.inForce': (ctx) => regulations.regulationsInForce(ctx.app),
  'regulations.import': (ctx, a) => regulations.importRegulation(ctx.app, me(ctx), a),
  'regulations.standing': (ctx) => adoption.standing(ctx.app),
  'regulations.adopt': (ctx, a) => adoption.adopt(ctx.app, me(ctx), a),
  'regulations.closeAdoption': (ctx, a) => adoption.closeAdoption(ctx.app, me(ctx), a),
  'calendar.get': (ctx) => calendar.getCalendar(ctx.app),
  'calendar.set': (ctx, a) => calendar.setCalendar(ctx.app, me(ctx), a),
  'requests.start': (ctx, a) => requests.start(ctx.app, me(ctx), a),
  'requests.completeStep': (ctx, a) => requests.completeStep(ctx.app, me(ctx), a),
  'requests.cancel': (ctx, a) => requests.cancel(ctx.app, me(ctx), a),
  'requests.get': (ctx, a) => requests.view(ctx.app, me(ctx), a.requestId),
  'requests.queue': (ctx, a) => ({ rows: requests.queue(ctx.app, me(ctx), a.limit), now: ctx.app.clock().toISOString() }),
  'requests.extras': (ctx, a) => dispensary.extras(ctx.app, me(ctx), a.requestId),
  'deadlines.dashboard': (ctx, a) => deadlines.dashboard(ctx.app, a.from, a.to),
  'deadlines.report': (ctx, a) => deadlines.report(ctx.app, me(ctx), a.from, a.to),
  'survey.record': (ctx, a) => survey.recordSurvey(ctx.app, me(ctx), a),
  'survey.report': (ctx, a) => survey.surveyReport(ctx.app, a.from, a.to),
};

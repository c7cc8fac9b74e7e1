/**
 * Handlers of the workflow slice (common/api/workflow.ts): electron/services/workflow/service.ts, and for
 * `requests.extras` the dispensary's additions to a request (electron/services/dispensary/index.ts).
 */
import type { workflowApi } from '../../../common/api/workflow';
import * as dispensary from '../dispensary/index';
import * as workflow from '../workflow/service';
import { me, type SliceHandlers } from './context';

export const workflowHandlers: SliceHandlers<typeof workflowApi> = {
  'regulations.inForce': (ctx) => workflow.regulationsInForce(ctx.app),
  'regulations.import': (ctx, a) => workflow.importRegulation(ctx.app, me(ctx), a),
  'calendar.get': (ctx) => workflow.getCalendar(ctx.app),
  'calendar.set': (ctx, a) => workflow.setCalendar(ctx.app, me(ctx), a),
  'requests.start': (ctx, a) => workflow.start(ctx.app, me(ctx), a),
  'requests.completeStep': (ctx, a) => workflow.completeStep(ctx.app, me(ctx), a),
  'requests.cancel': (ctx, a) => workflow.cancel(ctx.app, me(ctx), a),
  'requests.get': (ctx, a) => workflow.view(ctx.app, me(ctx), a.requestId),
  'requests.queue': (ctx, a) => ({ rows: workflow.queue(ctx.app, me(ctx), a.limit), now: ctx.app.clock().toISOString() }),
  'requests.extras': (ctx, a) => dispensary.extras(ctx.app, me(ctx), a.requestId),
  'deadlines.dashboard': (ctx, a) => workflow.dashboard(ctx.app, a.from, a.to),
  'deadlines.report': (ctx, a) => workflow.report(ctx.app, me(ctx), a.from, a.to),
  'survey.record': (ctx, a) => workflow.recordSurvey(ctx.app, me(ctx), a),
  'survey.report': (ctx, a) => workflow.surveyReport(ctx.app, a.from, a.to),
};

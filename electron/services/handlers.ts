/**
 * One handler per API method. The dispatcher has already checked the caller's role and parsed the arguments
 * with the contract's schema, so handlers receive typed, validated arguments and a logged-in staff member
 * (or null for public methods).
 */
import type { ApiMethod, ApiParsedArgs, ApiResult } from '../../common/api';
import { ApiError } from '../../common/errors';
import { getOrganization } from '../../db/organization';
import type { StaffRow } from '../../db/staff';
import type { AppContext } from './app';
import * as auth from './auth';
import type { SessionSlot } from './auth';
import * as desk from './desk/service';
import * as deskDocuments from './desk/documents';
import * as people from './people';
import * as signingDesk from './signing-desk';
import * as staffAdmin from './staff-admin';
import * as sync from './sync/index';
import * as workflow from './workflow/service';

export interface CallContext {
  app: AppContext;
  slot: SessionSlot;
  /** The logged-in caller; null only for public methods. */
  staff: StaffRow | null;
}

type Handler<M extends ApiMethod> = (ctx: CallContext, args: ApiParsedArgs<M>) => ApiResult<M> | Promise<ApiResult<M>>;
export type Handlers = { [M in ApiMethod]: Handler<M> };

function me(ctx: CallContext): StaffRow {
  if (!ctx.staff) throw new ApiError('unauthenticated', 'log in first');
  return ctx.staff;
}

export const handlers: Handlers = {
  'session.login': (ctx, a) => auth.login(ctx.app, ctx.slot, a.login, a.password),
  'session.current': (ctx) => (ctx.staff ? auth.sessionInfo(ctx.app, ctx.staff) : null),
  'session.logout': (ctx) => {
    auth.logout(ctx.app, ctx.slot, ctx.staff);
    return { ok: true as const };
  },
  'session.setLanguage': (ctx, a) => {
    auth.setLanguage(ctx.app, me(ctx), a.language);
    return { ok: true as const };
  },
  'session.changePassword': async (ctx, a) => {
    await auth.changePassword(ctx.app, me(ctx), a.current, a.next);
    return { ok: true as const };
  },

  'people.findByIin': (ctx, a) => people.findByIin(ctx.app, a.iin),
  'people.search': (ctx, a) => people.search(ctx.app, a.query, a.limit),
  'people.createManual': (ctx, a) => people.createManual(ctx.app, me(ctx), a),

  'org.get': (ctx) => {
    const org = getOrganization(ctx.app.db);
    if (!org) throw new ApiError('internal', 'the organization is not set up');
    return org;
  },

  'staff.list': (ctx) => staffAdmin.list(ctx.app),
  'staff.create': (ctx, a) => staffAdmin.create(ctx.app, me(ctx), a),
  'staff.setDisabled': (ctx, a) => staffAdmin.setDisabled(ctx.app, me(ctx), a.id, a.disabled),
  'staff.resetPassword': (ctx, a) => staffAdmin.resetPassword(ctx.app, me(ctx), a.id),

  // Workflow (issue 3): electron/services/workflow/service.ts
  'regulations.inForce': (ctx) => workflow.regulationsInForce(ctx.app),
  'regulations.import': (ctx, a) => workflow.importRegulation(ctx.app, me(ctx), a),
  'calendar.get': (ctx) => workflow.getCalendar(ctx.app),
  'calendar.set': (ctx, a) => workflow.setCalendar(ctx.app, me(ctx), a),
  'requests.start': (ctx, a) => workflow.start(ctx.app, me(ctx), a),
  'requests.completeStep': (ctx, a) => workflow.completeStep(ctx.app, me(ctx), a),
  'requests.cancel': (ctx, a) => workflow.cancel(ctx.app, me(ctx), a),
  'requests.get': (ctx, a) => workflow.view(ctx.app, me(ctx), a.requestId),
  'requests.queue': (ctx, a) => ({ rows: workflow.queue(ctx.app, me(ctx), a.limit), now: ctx.app.clock().toISOString() }),
  'deadlines.dashboard': (ctx, a) => workflow.dashboard(ctx.app, a.from, a.to),
  'deadlines.report': (ctx, a) => workflow.report(ctx.app, me(ctx), a.from, a.to),
  'survey.record': (ctx, a) => workflow.recordSurvey(ctx.app, me(ctx), a),
  'survey.report': (ctx, a) => workflow.surveyReport(ctx.app, a.from, a.to),

  // Sync with the central server (issue 7): electron/services/sync
  'sync.status': (ctx) => sync.status(ctx.app),
  'sync.issues': (ctx) => sync.issues(ctx.app),
  'sync.enroll': (ctx, a) => sync.enroll(ctx.app, me(ctx), a.serverUrl, a.code),
  'sync.now': (ctx) => sync.syncNow(ctx.app),

  'signing.sources': (ctx) => signingDesk.listSources(ctx.app),
  'signing.listKeys': (ctx, a) => signingDesk.listKeys(ctx.app, me(ctx), a.source, a.secret, a.as),
  'signing.check': (ctx, a) => signingDesk.signatureCheck(ctx.app, me(ctx), a),
  'signing.settings': (ctx) => ({ pkcs11Modules: signingDesk.configuredModules(ctx.app) }),
  'signing.setModules': (ctx, a) => ({ pkcs11Modules: signingDesk.setConfiguredModules(ctx.app, me(ctx), a.pkcs11Modules) }),
  // The front desk (issue 4): electron/services/desk
  'desk.overview': (ctx) => desk.overview(ctx.app),
  'districts.resolve': (ctx, a) => desk.resolveDistrict(ctx.app, a),
  'districts.save': (ctx, a) => desk.saveDistrict(ctx.app, me(ctx), a),
  'timetables.week': (ctx, a) => desk.week(ctx.app, a),
  'timetables.setTemplate': (ctx, a) => desk.setTemplate(ctx.app, me(ctx), a),
  'timetables.addException': (ctx, a) => desk.addException(ctx.app, me(ctx), a),
  'timetables.removeException': (ctx, a) => desk.removeException(ctx.app, me(ctx), a.id),
  'appointments.freeSlots': (ctx, a) => desk.searchFreeSlots(ctx.app, a),
  'appointments.book': (ctx, a) => desk.book(ctx.app, me(ctx), a),
  'appointments.cancel': (ctx, a) => desk.cancelAppointment(ctx.app, me(ctx), a),
  'appointments.reschedule': (ctx, a) => desk.reschedule(ctx.app, me(ctx), a),
  'appointments.ofPerson': (ctx, a) => desk.personAppointments(ctx.app, a.iin),
  'appointments.slip': (ctx, a) => deskDocuments.slipPdf(ctx.app, me(ctx), a.id),
  'homeVisits.register': (ctx, a) => desk.registerHomeVisit(ctx.app, me(ctx), a),
  'homeVisits.setStatus': (ctx, a) => desk.setVisitStatus(ctx.app, me(ctx), a),
  'homeVisits.ofPerson': (ctx, a) => desk.personVisits(ctx.app, a.iin),
  'homeVisits.doctorDay': (ctx, a) => desk.doctorDay(ctx.app, a),
  'homeVisits.doctorDayPdf': (ctx, a) => deskDocuments.visitListPdf(ctx.app, me(ctx), a),
  'attachments.apply': (ctx, a) => desk.attach(ctx.app, me(ctx), a),
  'attachments.get': (ctx, a) => desk.getAttachment(ctx.app, a.id),
  'attachments.talon': (ctx, a) => deskDocuments.talonPdf(ctx.app, a.id),
  'journals.list': (ctx, a) => deskDocuments.journal(ctx.app, me(ctx).language, a),
  'journals.export': (ctx, a) => deskDocuments.exportJournal(ctx.app, me(ctx), a),
};

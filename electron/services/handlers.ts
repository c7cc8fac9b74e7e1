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
import * as erequests from './erequests/service';
import * as deskDocuments from './desk/documents';
import * as people from './people';
import * as signingDesk from './signing-desk';
import * as staffAdmin from './staff-admin';
import * as sync from './sync/index';
import * as workflow from './workflow/service';
import * as cash from './dispensary/cash';
import * as certificates from './dispensary/certificates';
import * as dispensaryDocs from './dispensary/documents';
import * as dispensary from './dispensary/index';
import * as hiv from './dispensary/hiv';
import * as registers from './dispensary/registers';
import { cashEntryByReceipt } from '../../db/dispensary';
import { catalogOf } from './workflow/context';

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
  // Dispensaries, the cash desk and HIV testing (issue 6): electron/services/dispensary
  'registers.check': (ctx, a) => registers.check(ctx.app, me(ctx), a),
  'registers.lookup': (ctx, a) => registers.lookup(ctx.app, me(ctx), a),
  'registers.import': (ctx, a) => registers.importCsv(ctx.app, me(ctx), a),
  'registers.importProgress': (ctx) => registers.importProgress(ctx.app),
  'requests.extras': (ctx, a) => dispensary.extras(ctx.app, me(ctx), a.requestId),
  'prices.list': (ctx) => cash.prices(ctx.app),
  'prices.set': (ctx, a) => cash.setPrice(ctx.app, me(ctx), a),
  'cash.shift': (ctx) => cash.currentShift(ctx.app, me(ctx)),
  'cash.openShift': (ctx) => cash.openShift(ctx.app, me(ctx)),
  'cash.closeShift': (ctx) => cash.closeShift(ctx.app, me(ctx)),
  'cash.shiftReport': (ctx, a) => {
    const sh = cash.shiftById(ctx.app, a.shiftId);
    if (me(ctx).role === 'cashier' && sh.cashier !== me(ctx).full_name) throw new ApiError('forbidden', 'another cashier’s shift');
    return dispensaryDocs.shiftReportPdf(getOrganization(ctx.app.db)!, sh);
  },
  'cash.pay': (ctx, a) => cash.pay(ctx.app, me(ctx), a),
  'cash.void': (ctx, a) => cash.voidReceipt(ctx.app, me(ctx), a),
  'cash.receipt': (ctx, a) => {
    const e = cashEntryByReceipt(ctx.app.db, a.receiptNo);
    if (!e) throw new ApiError('not-found', `no receipt ${a.receiptNo}`, { receipt: a.receiptNo });
    const def = catalogOf(ctx.app).catalog.all.find((l) => l.definition.id === e.service_id)?.definition;
    return dispensaryDocs.receiptPdf(getOrganization(ctx.app.db)!, cash.entryView(ctx.app, e.id), def?.titles ?? { kk: e.service_id, ru: e.service_id }, a.layout);
  },
  'cash.journal': (ctx, a) => cash.journal(ctx.app, a),
  'certificates.sign': (ctx, a) => certificates.sign(ctx.app, me(ctx), a),
  'certificates.pdf': (ctx, a) => certificates.pdf(ctx.app, me(ctx), a),
  'certificates.journal': (ctx, a) => certificates.journal(ctx.app, me(ctx), a),
  'hiv.label': (ctx, a) => hiv.label(ctx.app, counselling(ctx, true), a),
  'hiv.enterResult': (ctx, a) => hiv.enterResult(ctx.app, counselling(ctx, true), a),
  'hiv.release': (ctx, a) => hiv.release(ctx.app, counselling(ctx, false), a),
  'hiv.followUps': (ctx) => hiv.followUps(counselling(ctx, false) && ctx.app),

  // E-requests from the portal (issue 8): electron/services/erequests/service.ts
  'erequests.inbox': (ctx, a) => erequests.inbox(ctx.app, a),
  'erequests.get': (ctx, a) => erequests.get(ctx.app, a.id),
  'erequests.resolve': (ctx, a) => erequests.resolve(ctx.app, me(ctx), a),
  'erequests.process': (ctx) => erequests.processInbox(ctx.app),
  'erequests.settings': (ctx) => erequests.settings(ctx.app),
  'erequests.setPolicy': (ctx, a) => erequests.setPolicy(ctx.app, me(ctx), a),
  'erequests.setProviderKey': (ctx, a) => erequests.setProviderKey(ctx.app, me(ctx), a),
  'erequests.addTrustFile': (ctx, a) => erequests.addTrustFile(ctx.app, me(ctx), a),
};

/** HIV testing: the counselling-room doctor (and, where allowed, the nurse); other physicians are refused. */
function counselling(ctx: CallContext, nurse: boolean): StaffRow {
  const s = me(ctx);
  if ((s.role === 'physician' && s.specialty === 'counselling') || (nurse && s.role === 'nurse')) return s;
  throw new ApiError('forbidden', 'HIV testing is for the counselling room', { role: s.role });
}

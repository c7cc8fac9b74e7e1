/**
 * What each role sees of each answer (issue 14, need to know): one projection per method of the contract, applied
 * by the dispatcher (electron/services/dispatcher.ts) to every handler's result after it was checked against the
 * contract, so no handler can forget it. The table below names every method: a new method must say here whether
 * its answer carries something sensitive (a type error until it does).
 *
 * The rules themselves are common/need-to-know.ts: register membership only to that dispensary's desk role and its
 * physicians; an HIV examination's outcome, notes, code and identity only to the counselling room; the
 * administrator sees a sensitive request without the person and without its answers; any other role reads a
 * sensitive request only once a step of its own has started on it, and otherwise gets `not-found`, exactly as for
 * a request that does not exist (request ids are sequential).
 */
import { ApiError } from '../errors';
import type { CertificateSummary, RegisterCheck, RequestExtras } from '../dispensary';
import { readLevel, seesHivIdentity, seesRegister, type ReadLevel, type Sensitivity, type Viewer } from '../need-to-know';
import type { QueueRow, RequestView } from '../workflow';
import type { ApiMethod, ApiParsedArgs, ApiResult } from './index';
import type { DocumentCheck } from './verifications';

/** What the projections need to know of a request; the workstation answers from its database. */
export interface RequestFacts {
  sensitivity: Sensitivity | null;
  /** Role and specialty of every step started on the request so far. */
  startedSteps: ReadonlyArray<{ role: string; specialty: string | null }>;
}

export interface ProjectionContext {
  viewer: Viewer;
  /** The facts of a request; null when there is no such request. */
  request(id: number): RequestFacts | null;
}

export type Projection<M extends ApiMethod> = (value: ApiResult<M>, args: ApiParsedArgs<M>, ctx: ProjectionContext) => ApiResult<M>;

/** The same refusal as for a request that does not exist (electron/services/workflow/requests.ts). */
const notFound = (id: number) => new ApiError('not-found', `no service request ${id}`, { id });

function levelOf(ctx: ProjectionContext, id: number): { level: ReadLevel; facts: RequestFacts | null } {
  const facts = ctx.request(id);
  return { level: facts ? readLevel(ctx.viewer, facts.sensitivity, facts.startedSteps) : 'full', facts };
}

type Step = RequestView['steps'][number];
const withoutAnswer = (s: Step): Step => ({ ...s, condition: null, conditionTitle: null, refusal: null, note: null });

/** A request view cut to the read level: the sensitive steps' answers, the person and the HIV code and outcome. */
export function redactView(v: RequestView, s: Sensitivity | null, level: ReadLevel): RequestView {
  if (!s || level === 'full') return v;
  const hiv = s.kind === 'hiv';
  const sensitiveStep = (st: Step) => hiv || st.stepId === s.stepId;
  return {
    ...v,
    person: hiv || level !== 'party' ? null : v.person,
    anonymousCode: hiv ? null : v.anonymousCode,
    outcome: hiv ? null : v.outcome,
    // The choices of a step the viewer cannot complete name its conditions (`on-register`): nothing to choose.
    currentStep: v.currentStep && !v.currentStep.canComplete ? { ...v.currentStep, choices: [] } : v.currentStep,
    steps: v.steps.map((st) => (sensitiveStep(st) ? withoutAnswer(st) : st)),
  };
}

/**
 * A request view: `none` is `not-found` for reads; a caller who just started, completed or cancelled the request
 * (`floor`) sees at least what the administrator sees, never more than its level.
 */
function view(floor: ReadLevel | null) {
  return (v: RequestView, _args: unknown, ctx: ProjectionContext): RequestView => {
    const { level, facts } = levelOf(ctx, v.id);
    if (level === 'none' && !floor) throw notFound(v.id);
    return redactView(v, facts?.sensitivity ?? null, level === 'none' ? floor! : level);
  };
}

function queueRow(r: QueueRow, ctx: ProjectionContext): QueueRow[] {
  const { level, facts } = levelOf(ctx, r.id);
  if (level === 'full') return [r];
  if (level === 'none') return [];
  const hiv = facts?.sensitivity?.kind === 'hiv';
  const hide = hiv || level !== 'party';
  return [
    { ...r, personName: hide ? null : r.personName, personIin: hide ? null : r.personIin, anonymousCode: hiv ? null : r.anonymousCode },
  ];
}

function certificate(c: CertificateSummary, ctx: ProjectionContext): CertificateSummary[] {
  const { level, facts } = levelOf(ctx, c.requestId);
  if (level === 'full') return [c];
  // An HIV certificate exists only for a negative result: it is the result itself.
  if (level === 'none' || facts?.sensitivity?.kind === 'hiv') return [];
  return [level === 'party' ? c : { ...c, personIin: null, personName: null }];
}

function extras(x: RequestExtras, args: { requestId: number }, ctx: ProjectionContext): RequestExtras {
  const { level, facts } = levelOf(ctx, args.requestId);
  if (level === 'full') return x;
  if (level === 'none') throw notFound(args.requestId);
  const hiv = facts?.sensitivity?.kind === 'hiv';
  const cert = x.certificate ? (certificate(x.certificate, ctx)[0] ?? null) : null;
  return { ...x, registerVisible: false, checks: [], hiv: null, certificate: hiv ? null : cert };
}

function registerAnswer(c: RegisterCheck, ctx: ProjectionContext): RegisterCheck {
  if (!seesRegister(ctx.viewer, c.register)) throw new ApiError('forbidden', `the ${c.register} register is not visible to this role`, {});
  return c;
}

function counsellingOnly<T>(v: T, ctx: ProjectionContext): T {
  if (!seesHivIdentity(ctx.viewer)) throw new ApiError('forbidden', 'HIV testing is for the counselling room', {});
  return v;
}

function documentCheck(c: DocumentCheck, _args: unknown, ctx: ProjectionContext): DocumentCheck {
  if (c.kind !== 'hiv-certificate' || seesHivIdentity(ctx.viewer)) return c;
  return { ...c, requestId: null, personIin: null };
}

/** The method's answer carries nothing a role of those allowed to call it must not see. */
const AS_IS = 'as-is';

export const PROJECTIONS = {
  // Workflow: the requests themselves.
  'requests.start': view('counts'),
  'requests.completeStep': view('counts'),
  'requests.cancel': view('counts'),
  'requests.get': view(null),
  'requests.queue': (v, _a, ctx) => ({ ...v, rows: v.rows.flatMap((r) => queueRow(r, ctx)) }),
  'requests.extras': extras,
  'regulations.inForce': AS_IS,
  'regulations.import': AS_IS,
  // The organization's choice, names of the administrators who made it (staff see them on every printout anyway).
  'regulations.standing': AS_IS,
  'regulations.adopt': AS_IS,
  'regulations.closeAdoption': AS_IS,
  'calendar.get': AS_IS,
  'calendar.set': AS_IS,
  // Counts per service and step, never a person.
  'deadlines.dashboard': AS_IS,
  'deadlines.report': AS_IS,
  'survey.record': AS_IS,
  'survey.report': AS_IS,
  // Certified desk forms: a request's form and scans only where the viewer may read the request at all.
  'deskForms.ofRequest': (v, a, ctx) => {
    if (levelOf(ctx, a.requestId).level === 'none') throw notFound(a.requestId);
    return v;
  },
  // Dispensaries.
  'registers.check': (v, _a, ctx) => registerAnswer(v, ctx),
  'registers.lookup': (v, _a, ctx) => registerAnswer(v, ctx),
  'registers.import': AS_IS,
  'registers.importProgress': AS_IS,
  'certificates.sign': (v, _a, ctx) => {
    const seen = certificate(v, ctx)[0];
    if (!seen) throw new ApiError('forbidden', 'this certificate is not visible to this role', {});
    return seen;
  },
  'certificates.pdf': AS_IS,
  'certificates.journal': (v, _a, ctx) => v.flatMap((c) => certificate(c, ctx)),
  'hiv.label': (v, _a, ctx) => counsellingOnly(v, ctx),
  'hiv.enterResult': (v, _a, ctx) => counsellingOnly(v, ctx),
  'hiv.release': (v, _a, ctx) => counsellingOnly(v, ctx),
  'hiv.followUps': (v, _a, ctx) => counsellingOnly(v, ctx),
  // Money: receipts name the service and the amount, not an answer.
  'prices.list': AS_IS,
  'prices.set': AS_IS,
  'cash.shift': AS_IS,
  'cash.openShift': AS_IS,
  'cash.closeShift': AS_IS,
  'cash.shiftReport': AS_IS,
  'cash.pay': AS_IS,
  'cash.exempt': AS_IS,
  'cash.void': AS_IS,
  'cash.receipt': AS_IS,
  'cash.journal': AS_IS,
  // The rest of the contract holds no register or HIV data.
  'session.login': AS_IS,
  'session.current': AS_IS,
  'session.logout': AS_IS,
  'session.lock': AS_IS,
  'session.unlock': AS_IS,
  'session.setIdleMinutes': AS_IS,
  'session.setLanguage': AS_IS,
  'session.changePassword': AS_IS,
  'people.findByIin': AS_IS,
  'people.search': AS_IS,
  'people.createManual': AS_IS,
  'org.get': AS_IS,
  'org.update': AS_IS,
  'org.workstations': AS_IS,
  'org.registersHere': AS_IS,
  'org.setRegistersHere': AS_IS,
  'staff.list': AS_IS,
  'staff.create': AS_IS,
  'staff.setDisabled': AS_IS,
  'staff.resetPassword': AS_IS,
  // Administration (issue 16): backups, the audit check, the register import, log-in links; administrator only.
  'backups.list': AS_IS,
  'backups.take': AS_IS,
  'backups.setKeepDays': AS_IS,
  'backups.preview': AS_IS,
  'backups.restore': AS_IS,
  'auditLog.check': AS_IS,
  'populationImport.begin': AS_IS,
  'populationImport.chunk': AS_IS,
  'populationImport.start': AS_IS,
  'populationImport.status': AS_IS,
  'populationImport.cancel': AS_IS,
  'populationImport.rejectedRows': AS_IS,
  'loginLinks.issue': AS_IS,
  // Clinic set-up (issue 16): trust files, the answer key's certificate (never the key), the token check; administrator only.
  'trustFiles.list': AS_IS,
  'trustFiles.add': AS_IS,
  'answerKey.get': AS_IS,
  'answerKey.import': AS_IS,
  'tokens.check': AS_IS,
  'appointments.freeSlots': AS_IS,
  'appointments.book': AS_IS,
  'appointments.cancel': AS_IS,
  'appointments.reschedule': AS_IS,
  'appointments.ofPerson': AS_IS,
  'appointments.lost': AS_IS,
  'appointments.slip': AS_IS,
  'attachments.apply': AS_IS,
  'attachments.get': AS_IS,
  'attachments.talon': AS_IS,
  'attachments.end': AS_IS,
  'desk.overview': AS_IS,
  // The registrar's own drafts and the form's requirements (data of the regulation).
  'deskForms.requirements': AS_IS,
  'deskForms.addScan': AS_IS,
  'deskForms.removeScan': AS_IS,
  // The service lets only the roles handling the scan's request (or the draft's registrar) read it; desk services
  // carry no sensitive steps, so that role check is the whole rule.
  'deskForms.scan': AS_IS,
  // The desk's own refusal of a person standing at it: the registrar (and the administrator) see the person anyway.
  'desk.refusalGrounds': AS_IS,
  'desk.refuse': AS_IS,
  'desk.refusalPdf': AS_IS,
  'districts.resolve': AS_IS,
  'districts.save': AS_IS,
  'erequests.inbox': AS_IS,
  'erequests.get': AS_IS,
  'erequests.resolve': AS_IS,
  'erequests.process': AS_IS,
  'erequests.settings': AS_IS,
  'erequests.setPolicy': AS_IS,
  'erequests.setProviderKey': AS_IS,
  'erequests.addTrustFile': AS_IS,
  'homeVisits.register': AS_IS,
  'homeVisits.setStatus': AS_IS,
  'homeVisits.ofPerson': AS_IS,
  'homeVisits.doctorDay': AS_IS,
  'homeVisits.doctorDayPdf': AS_IS,
  'journals.list': AS_IS,
  'journals.export': AS_IS,
  'signing.sources': AS_IS,
  'signing.listKeys': AS_IS,
  'signing.check': AS_IS,
  'signing.settings': AS_IS,
  'signing.setModules': AS_IS,
  'sync.status': AS_IS,
  'sync.issues': AS_IS,
  'sync.previewEnrollment': AS_IS,
  'sync.resolveIssue': AS_IS,
  'sync.enroll': AS_IS,
  'sync.now': AS_IS,
  'timetables.week': AS_IS,
  'timetables.setTemplate': AS_IS,
  'timetables.addException': AS_IS,
  'timetables.removeException': AS_IS,
  'updates.check': AS_IS,
  'updates.install': AS_IS,
  // An HIV document's check names no person already; its request opens only for the counselling room.
  'verifications.check': documentCheck,
  'verifications.revoke': documentCheck,
  'verifications.checks': AS_IS,
} satisfies { readonly [M in ApiMethod]: Projection<M> | typeof AS_IS };

/** The answer of `method` as the viewer may see it (throws `not-found`/`forbidden` when it may see none of it). */
export function project<M extends ApiMethod>(method: M, value: ApiResult<M>, args: ApiParsedArgs<M>, ctx: ProjectionContext): ApiResult<M> {
  const p = PROJECTIONS[method] as Projection<M> | typeof AS_IS;
  return p === AS_IS ? value : p(value, args, ctx);
}

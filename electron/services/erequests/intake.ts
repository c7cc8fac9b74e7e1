/**
 * Processing the inbox: "diagram 1" of both seeds up to the decision.
 *
 *   pulled row → inbox → condition 2 (the signature, verified with the trust store) → registered through the step
 *   engine as a portal request (its number, its deadline; the citizen's and the portal's steps recorded) →
 *   condition 3 (the grounds, grounds.ts) → saved for the registrar, or decided at once by the rules (answers.ts).
 *
 * A failed signature check, a service not in force on the request's date and a request after its service's cut-off
 * are refused by the rules at once (the regulation leaves no choice); where the act says the e-service is fully
 * automated (or the organization lets the rules answer), the rules decide the rest too; so do they for an
 * appointment at a time the portal offered (portal-slot.ts). `processInbox` is one round; `startErequests` runs
 * rounds in the background.
 */
import { ingestPortalSurveys } from '../../../db/portal-surveys';
import { erequestContentSchema, type ErequestContent } from '../../../common/erequests';
import { definitionKey, stepById, type ServiceDefinition } from '../../../common/regulations';
import type { Organization } from '../../../common/schemas';
import { toLocalIsoDate } from '../../../common/working-calendar';
import { recordChange } from '../../../db/change';
import * as dbe from '../../../db/erequests';
import { findPersonByIin } from '../../../db/people';
import { openStepRow, type RequestRow } from '../../../db/requests';
import type { AppContext } from '../app';
import { parseSignedData } from '../../../pki/cms';
import { verifySignedRequest, type RequestVerification } from '../../../pki/verify-request';
import { organization } from '../workflow/app-engine';
import { catalogOf } from '../workflow/context';
import type { EngineActor } from '../workflow/engine';
import { engineOf } from '../workflow/app-engine';
import { decide, signDecided } from './answers';
import { CITIZEN, cutoffRefusal, PORTAL, refusal, rulesDecision, statusOp, type Decision, type Ground, type Proposal } from './decisions';
import { checkGrounds, cutoff } from './grounds';
import { cancelLostRegistrations, claimForThisDesk } from './leases';
import { syncNow } from '../sync/index';
import { SliceSizer, yieldToEventLoop } from '../sync/slices';
import { answersUnattended } from './settings';
import { portalOfferedSlot } from './portal-slot';
import { trustStore } from './trust';
import { swapWindowClosing } from '../../../db/swap-window';

/** The signed content: the text inside the CMS (when it decodes) and that text as a request (when it is one). */
interface SignedContent {
  text: string | null;
  content: ErequestContent | null;
}

function readSignedContent(cms: Buffer): SignedContent {
  let text: string | null = null;
  try {
    const raw = parseSignedData(cms).content;
    text = raw ? new TextDecoder('utf-8', { fatal: true }).decode(raw) : null;
    const parsed = erequestContentSchema.safeParse(text ? JSON.parse(text) : null);
    return { text, content: parsed.success ? parsed.data : null };
  } catch {
    return { text, content: null };
  }
}

/** Condition 2: the signature, and a content that is a request addressed to this organization (else `bad-format`). */
function verifyErequest(
  app: AppContext,
  row: dbe.ErequestRow,
  content: ErequestContent | null,
  org: Organization,
  now: Date,
): RequestVerification {
  const verification = verifySignedRequest(row.cms, trustStore(app), { now });
  if (!content) return verification.valid ? { ...verification, valid: false, reasons: ['bad-format'] } : verification;
  if (content.organizationBin !== org.bin) return { ...verification, valid: false, reasons: [...verification.reasons, 'bad-format'] };
  return verification;
}

/** The regulation in force in the organization's region on the day the request arrived (its local date). */
interface RequestRegulation {
  serviceId: string;
  region: string;
  requestDate: string;
  /**
   * When the central server's gateway received the request (epoch ms, the server's clock, carried in the pulled
   * row); now when the row's time does not parse, and never later than now (a server clock a little ahead).
   */
  receivedMs: number;
  def: ServiceDefinition | undefined;
}

function regulationOf(app: AppContext, org: Organization, serviceId: string, receivedAt: string, now: Date): RequestRegulation {
  const parsed = Date.parse(receivedAt);
  const receivedMs = Number.isFinite(parsed) ? Math.min(parsed, now.getTime()) : now.getTime();
  const requestDate = toLocalIsoDate(new Date(receivedMs), org.timezone);
  return { serviceId, region: org.region, requestDate, receivedMs, def: catalogOf(app).catalog.byId(serviceId, org.region, requestDate) };
}

/** The IIN a request can be registered under: well formed and in the population register. */
function registrableIin(app: AppContext, iin: string | null): string | null {
  return iin && /^\d{12}$/.test(iin) && findPersonByIin(app.db, iin) ? iin : null;
}

function portalActorOf(step: { role: string }): EngineActor {
  return step.role === 'citizen' ? CITIZEN : PORTAL;
}

/**
 * Completes the portal's own steps (citizen, portal) until the request reaches a staff step or ends. They were done
 * when the gateway received the request, so they are recorded at that time and the registrar's step opens then.
 */
function runPortalSteps(app: AppContext, row: RequestRow, signatureOk: boolean, receivedMs: number): RequestRow {
  const engine = engineOf(app);
  for (let i = 0; i < 16 && row.status === 'open'; i++) {
    const open = openStepRow(app.db, row.id);
    if (!open || (open.role !== 'citizen' && open.role !== 'portal')) break;
    const def = catalogOf(app).catalog.byKey(row.definition_key)!;
    const step = stepById(def, open.step_id)!;
    const condition = !signatureOk && step.next.some((e) => e.when === 'signature-not-confirmed') ? 'signature-not-confirmed' : null;
    row = engine.completeStep(row.id, open.step_id, portalActorOf(open), { condition, atMs: receivedMs });
  }
  return row;
}

/**
 * Process 6: registered with a number through the step engine (a portal request). The request, its deadline and
 * its steps start when the central server's gateway received it (the citizen applied then), whenever this desk
 * processes it: a request received Monday and pulled Tuesday is due Monday, and shows overdue.
 */
function registerPortalRequest(app: AppContext, def: ServiceDefinition, iin: string, signatureOk: boolean, receivedMs: number): RequestRow {
  const request = engineOf(app).start(def, 'portal', { iin }, PORTAL, { feeKzt: def.fee.kzt }, { startedAtMs: receivedMs });
  return runPortalSteps(app, request, signatureOk, receivedMs);
}

/** The grounds checked and, where the regulation leaves no choice, the rules' refusal. */
interface Assessment {
  grounds: Ground[];
  proposal: Proposal;
  decision: Decision | null;
}

function assess(
  app: AppContext,
  verification: RequestVerification,
  content: ErequestContent | null,
  regulation: RequestRegulation,
  iin: string | null,
): Assessment {
  const { def } = regulation;
  const grounds: Ground[] = [
    verification.valid
      ? {
          check: 'signature',
          ok: true,
          code: 'signed-by',
          params: { signer: verification.signer?.name ?? '?', iin: verification.iin ?? '' },
          detail: `signed by ${verification.signer?.name ?? '?'} (IIN ${verification.iin})`,
        }
      : {
          check: 'signature',
          ok: false,
          code: 'signature-bad',
          params: { reasons: verification.reasons.join(',') },
          detail: verification.reasons.join(', '),
        },
  ];
  // A repealed act applies when the organization adopted it as its interim internal standard (issue 15, point 3).
  const adoption = def ? catalogOf(app).catalog.adoptionOf(def, regulation.requestDate) : undefined;
  const inForce: Ground = def
    ? {
        check: 'in-force',
        ok: true,
        code: adoption ? 'regulation-adopted' : 'regulation-in-force',
        params: { act: def.act.number, actDate: def.act.date, from: def.effectiveFrom },
        detail: `${definitionKey(def)}${adoption ? ` (interim internal standard ${adoption.key})` : ''}`,
      }
    : {
        check: 'in-force',
        ok: false,
        code: 'no-regulation',
        params: { date: regulation.requestDate },
        detail: `no regulation of ${regulation.serviceId} in force in ${regulation.region} on ${regulation.requestDate}`,
      };
  grounds.push(inForce);
  // A request without a readable content never verifies (bad-format), so `content` is there past this check.
  if (!verification.valid || !content)
    return {
      grounds,
      proposal: {},
      decision: refusal(
        'signature-not-confirmed',
        verification.reasons.map((r) => `signature: ${r}`),
      ),
    };
  if (!def) return { grounds, proposal: {}, decision: refusal('service-not-in-force', [inForce.detail]) };
  const late = cutoff(app, def, regulation.receivedMs);
  if (late) grounds.push(late);
  if (late && !late.ok)
    return { grounds, proposal: {}, decision: cutoffRefusal(def.portalCutoffMinutesBeforeClose!, [`cutoff: ${late.detail}`]) };
  const checked = checkGrounds(app, def, content, regulation.receivedMs);
  grounds.push(...checked.grounds);
  return {
    grounds,
    proposal: checked.proposal,
    decision: iin ? null : refusal('grounds-not-met', ['person: not in the population register (ЖТ МДБ)']),
  };
}

/**
 * Verifies, registers and checks one new e-request, and decides it when the rules must (or may, with unattended
 * answers on). Synchronous: one transaction for the registration, one for the decision.
 */
export function processOne(app: AppContext, row: dbe.ErequestRow): void {
  const now = app.clock();
  const org = organization(app);
  const signed = readSignedContent(row.cms);
  const verification = verifyErequest(app, row, signed.content, org, now);
  const regulation = regulationOf(app, org, signed.content?.type ?? row.service_type ?? 'home-visit', row.received_at, now);
  const iin = registrableIin(app, signed.content?.iin ?? row.iin);

  const { assessment } = recordChange(
    app.db,
    PORTAL,
    now,
    () => {
      const request =
        regulation.def && iin ? registerPortalRequest(app, regulation.def, iin, verification.valid, regulation.receivedMs) : null;
      const assessment = assess(app, verification, signed.content, regulation, iin);
      dbe.saveProcessed(
        app.db,
        row.id,
        {
          status: 'awaiting-registrar',
          verification: JSON.stringify(verification),
          content: signed.text,
          request_id: request?.id ?? null,
          registered_as: request?.number ?? null,
          deadline_at: request?.deadline_at ?? null,
          deadline_ms: request?.deadline_ms ?? null,
          grounds: JSON.stringify(assessment.grounds),
          proposal: JSON.stringify(assessment.proposal),
        },
        now,
      );
      return { request, assessment };
    },
    {
      audit: {
        action: 'erequest.registered',
        entity: 'erequest',
        entityId: row.number,
        details: { valid: verification.valid, reasons: verification.reasons.join(',') },
      },
      outbox: ({ request }) =>
        request
          ? statusOp(row, {
              status: 'registered',
              registeredAs: request.number,
              deadlineAt: request.deadline_at,
              at: now.toISOString(),
              answer: null,
            })
          : null,
    },
  );

  // The rules answer where the act says the e-service is fully automated (unless the organization has the registrar
  // confirm each answer), or where the organization lets them; never while a ground holds the request for a person.
  const unattended = regulation.def ? answersUnattended(app, regulation.def) : false;
  const held = assessment.grounds.some((g) => g.hold && !g.ok);
  const decision =
    assessment.decision ??
    portalOfferedSlot(app, signed.content, assessment.grounds) ??
    (unattended && !held ? rulesDecision(assessment.grounds) : null);
  if (decision) decide(app, dbe.getErequestRow(app.db, row.id)!, decision, null);
}

/** What one slice of the intake may hold the desk's thread for. */
export const INTAKE_SLICE_MS = 20;

/**
 * One round: take in what sync pulled, claim the new e-requests for this desk, register the ones granted, push at
 * once (the lease runs), sign what is decided, and cancel this desk's registrations the server gave to another
 * desk. New e-requests another desk holds, or that could not be claimed (offline), wait for a later round.
 */
export async function processInbox(
  app: AppContext,
  limit = 5_000,
): Promise<{ ingested: number; processed: number; answered: number; taken: number; lost: number }> {
  const ingested = dbe.ingestPulled(app.db, app.clock());
  ingestPortalSurveys(app.db);
  let lost = cancelLostRegistrations(app).length;
  const candidates = dbe.listNew(app.db, limit);
  const claim =
    candidates.length > 0
      ? await claimForThisDesk(
          app,
          candidates.map((r) => r.number),
        )
      : ({ mode: 'standalone' } as const);
  const fresh =
    claim.mode === 'standalone' ? candidates : claim.mode === 'claimed' ? candidates.filter((r) => claim.granted.has(r.number)) : [];
  // A slice of requests per transaction, sized to take about INTAKE_SLICE_MS (sync/slices.ts): each slice holds the
  // desk's thread, so a backlog of a thousand (3 ms each: verification, registration, the grounds) taken in 50 at a
  // time held it 150 ms per chunk. One commit (one fsync under synchronous=FULL) per slice, not per request; at most
  // 16 a slice, so a fast desk still yields. Each request is its own savepoint: one that fails is rolled back alone,
  // logged, and stays new.
  const sizer = new SliceSizer(INTAKE_SLICE_MS, 2, 1, 16);
  for (let i = 0; i < fresh.length;) {
    const slice = fresh.slice(i, i + sizer.next());
    i += slice.length;
    sizer.measure(slice.length, () =>
      app.db
        .transaction(() => {
          for (const row of slice) {
            try {
              processOne(app, row);
            } catch (e) {
              app.log.error('erequests.process-failed', { number: row.number, error: (e as Error).message });
            }
          }
        })
        .immediate(),
    );
    await yieldToEventLoop();
  }
  const answered = await signDecided(app);
  if (claim.mode === 'claimed' && fresh.length > 0) {
    // The registrations reach the server while this desk still holds the leases; a refusal comes back at once.
    await syncNow(app);
    lost += cancelLostRegistrations(app).length;
  }
  return { ingested, processed: fresh.length, answered, taken: candidates.length - fresh.length, lost };
}

/** The background round for Electron's main process and `tirkeu serve`: every few seconds, cheap when idle. */
export function startErequests(app: AppContext, intervalMs = 5_000): () => void {
  let busy = false;
  const timer = setInterval(() => {
    // One round at a time, and none while a register import's swap holds the write lock (db/swap-window.ts).
    if (busy || swapWindowClosing(app.db)) return;
    busy = true;
    processInbox(app)
      .catch((e) => app.log.error('erequests.round', { error: (e as Error).message }))
      .finally(() => (busy = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

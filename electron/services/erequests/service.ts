/**
 * E-requests from the portal at the workstation (issue 8): "diagram 1" of both seeds.
 *
 *   pulled row → inbox → condition 2 (verifySignedRequest with the trust store) → registered through the step
 *   engine as a portal request (its number, its deadline) → condition 3 (the grounds: population register,
 *   attached here, address in a district, the slot free, the 2-hours-before-closing cut-off) → decision (the
 *   registrar confirms or refuses, or the rules decide when the administrator turned unattended answers on) →
 *   the journal entry through the desk service (the same call register / pre-registration journal / attachment
 *   journal as a desk request) → the result document or the motivated refusal, signed with the provider's key
 *   (CAdES-BES, detached over the canonical JSON) → `erequest.status` in the outbox → the citizen's status on the
 *   central server.
 *
 * A failed signature check, a service not in force on the request's date and a home-visit request after the
 * cut-off are refused by the rules at once (the regulation leaves no choice). Signing is asynchronous, so a
 * decision is saved first (status `decided`) and signed after; an answer that could not be signed (no provider
 * key configured, token absent) stays `decided` and is signed on the next round.
 */
import { ApiError } from '../../../common/errors';
import { canonicalJson } from '../../../common/canonical-json';
import {
  EREQUEST_STATUS_OP,
  erequestContentSchema,
  type ErequestContent,
  type ErequestStatusPayload,
  type SignedAnswer,
} from '../../../common/erequests';
import { definitionKey, stepById, type ServiceDefinition } from '../../../common/regulations';
import { dayNumberToIso, toLocalIsoDate, type WorkingCalendar } from '../../../common/working-calendar';
import type { Actor } from '../../../db/audit';
import { recordChange } from '../../../db/change';
import * as dbe from '../../../db/erequests';
import { activeAttachmentOf } from '../../../db/desk';
import { findStaffByLogin, type StaffRow } from '../../../db/staff';
import { getOrganization } from '../../../db/organization';
import { findPersonByIin } from '../../../db/people';
import { getRequestRow, openStepRow, type RequestRow } from '../../../db/requests';
import { getSetting, setSetting } from '../../../db/settings';
import type { AppContext } from '../app';
import * as desk from '../desk/service';
import { signAsProvider, type SigningSource } from '../signing-desk';
import { certificatesFromFile } from '../../../pki/certificate';
import { crlsFromFile, CrlError } from '../../../pki/crl';
import { TrustStore } from '../../../pki/trust-store';
import * as cmsModule from '../../../pki/cms';
import { verifySignedRequest, type RequestVerification } from '../../../pki/verify-request';
import { calendarOf, catalogOf } from '../workflow/context';
import { canAct, createEngine, type EngineActor } from '../workflow/engine';
import { engineOf } from '../workflow/service';

// ---------------------------------------------------------------------------------------------------------------
// Settings

/** Where the unattended provider key is: a PKCS#11 token or a PKCS#12 file's bytes. */
export interface ProviderKeySetting {
  source: SigningSource;
  keyId?: string;
}
export interface ErequestPolicy {
  /** The rules decide every e-request (confirm when every ground holds, else refuse); the answer is signed unattended. */
  autoAnswer: boolean;
  /** The registrar in whose name unattended journal entries are made (the journals name a staff member). */
  onBehalfOf: string | null;
}
const PROVIDER_KEY = 'erequests.providerKey';
/** The PIN or password: its own setting key, never returned by any API method and never logged. */
const PROVIDER_SECRET = 'erequests.providerSecret';
const POLICY = 'erequests.policy';

export function policy(app: AppContext): ErequestPolicy {
  return { autoAnswer: false, onBehalfOf: null, ...(getSetting<Partial<ErequestPolicy>>(app.db, POLICY) ?? {}) };
}

export function settings(app: AppContext) {
  const key = getSetting<ProviderKeySetting>(app.db, PROVIDER_KEY);
  const trust = dbe.listTrustFiles(app.db);
  return {
    policy: policy(app),
    providerKey: key ? { kind: key.source.kind, label: key.source.kind === 'pkcs11' ? `${key.source.module} · ${key.source.token}` : key.source.fileName, keyId: key.keyId ?? null } : null,
    trustFiles: trust.map((t) => ({ id: t.id, name: t.name, kind: t.kind, addedAt: t.added_at })),
    trustFromServer: dbe.trustReferenceRows(app.db).length,
  };
}

export function setPolicy(app: AppContext, admin: StaffRow, p: ErequestPolicy) {
  if (p.onBehalfOf) {
    const s = findStaffByLogin(app.db, p.onBehalfOf);
    if (!s || s.role !== 'registrar') throw new ApiError('validation', `${p.onBehalfOf} is not a registrar`, {}, ['onBehalfOf']);
  }
  recordChange(app.db, staffActor(admin), app.clock(), () => setSetting(app.db, POLICY, p), { audit: { action: 'erequests.policy-set', details: { ...p } } });
  return settings(app);
}

/** The administrator configures the provider key; the secret is stored apart and never read back out. */
export function setProviderKey(app: AppContext, admin: StaffRow, a: { source: SigningSource; keyId?: string | null; secret: string }) {
  recordChange(
    app.db,
    staffActor(admin),
    app.clock(),
    () => {
      setSetting(app.db, PROVIDER_KEY, { source: a.source, ...(a.keyId ? { keyId: a.keyId } : {}) });
      setSetting(app.db, PROVIDER_SECRET, a.secret);
    },
    { audit: { action: 'erequests.provider-key-set', details: { kind: a.source.kind, keyId: a.keyId ?? null } } },
  );
  return settings(app);
}

// ---------------------------------------------------------------------------------------------------------------
// The trust store: files the administrator loaded + CA certificates and CRLs pulled from the central server

const trustCache = new WeakMap<AppContext, { version: string; store: TrustStore; problems: string[] }>();

function derOf(payload: string): Buffer | null {
  try {
    const p = JSON.parse(payload) as { der?: string; pem?: string };
    if (p.der) return Buffer.from(p.der, 'base64');
    if (p.pem) return Buffer.from(p.pem, 'utf8');
  } catch {
    // fall through
  }
  return null;
}

export function trustStore(app: AppContext): TrustStore {
  const version = dbe.trustVersion(app.db);
  const cached = trustCache.get(app);
  if (cached && cached.version === version) return cached.store;
  const store = new TrustStore();
  const problems: string[] = [];
  const files = dbe.listTrustFiles(app.db);
  const refs = dbe.trustReferenceRows(app.db);
  for (const f of files) if (f.kind === 'ca-certificate') store.addCertificates(f.der);
  for (const r of refs) if (r.kind === 'ca-certificate') {
    const der = derOf(r.payload);
    if (der) store.addCertificates(der);
  }
  const crls = [...files.filter((f) => f.kind === 'crl').map((f) => ({ name: f.name, der: f.der as Buffer | null })), ...refs.filter((r) => r.kind === 'crl').map((r) => ({ name: r.key, der: derOf(r.payload) }))];
  for (const c of crls) {
    try {
      if (c.der) store.addCrls(c.der);
    } catch (e) {
      // A CRL that does not verify is left out: the certificates it covers come out as revocation-unknown.
      problems.push(`${c.name}: ${(e as Error).message}`);
      app.log.warn('erequests.crl-refused', { name: c.name });
    }
  }
  trustCache.set(app, { version, store, problems });
  return store;
}

/** The administrator loads a CA certificate or a CRL file (PEM or DER); a CRL must verify against a loaded CA. */
export function addTrustFile(app: AppContext, admin: StaffRow, a: { fileName: string; base64: string }) {
  const bytes = Buffer.from(a.base64, 'base64');
  let kind: 'ca-certificate' | 'crl' | null = null;
  let ders: Uint8Array[] = [];
  try {
    ders = certificatesFromFile(bytes).map((c) => c.der);
    if (ders.length) kind = 'ca-certificate';
  } catch {
    // not certificates
  }
  if (!kind) {
    try {
      ders = crlsFromFile(bytes);
      if (ders.length) kind = 'crl';
    } catch {
      // neither
    }
  }
  if (!kind) throw new ApiError('validation', 'the file holds neither certificates nor a CRL', {}, ['base64']);
  if (kind === 'crl') {
    const probe = trustStore(app);
    const copy = new TrustStore();
    for (const anchor of probe.anchors) copy.addCertificates(anchor.der);
    try {
      copy.addCrls(bytes);
    } catch (e) {
      if (e instanceof CrlError) throw new ApiError('validation', `the CRL does not verify against the loaded CA certificates: ${e.message}`, {}, ['base64']);
      throw e;
    }
  }
  const now = app.clock();
  recordChange(
    app.db,
    staffActor(admin),
    now,
    () => ders.forEach((der, i) => dbe.addTrustFile(app.db, { kind: kind!, name: ders.length > 1 ? `${a.fileName} #${i + 1}` : a.fileName, der: Buffer.from(der) }, now, admin.id)),
    { audit: { action: 'erequests.trust-added', details: { fileName: a.fileName, kind, count: ders.length } } },
  );
  return settings(app);
}

// ---------------------------------------------------------------------------------------------------------------
// Processing

const PORTAL: EngineActor = { staffId: null, login: 'portal', role: 'portal', specialty: null };
const CITIZEN: EngineActor = { staffId: null, login: 'citizen', role: 'citizen', specialty: null };
const staffActor = (s: StaffRow): EngineActor => ({ staffId: s.id, login: s.login, role: s.role, specialty: s.specialty });

export interface Ground {
  check: 'signature' | 'in-force' | 'person' | 'attached' | 'district' | 'slot' | 'cutoff' | 'not-attached-here';
  ok: boolean;
  detail: string;
}

export interface Proposal {
  districtId?: number | null;
  district?: string | null;
  doctorId?: number | null;
  doctor?: string | null;
  visitDate?: string;
  windowFrom?: string;
  windowTo?: string;
  slotStart?: string;
}

export interface Decision {
  kind: 'result' | 'refusal';
  code: string | null;
  reason: { kk: string; ru: string; en: string } | null;
  reasons: string[];
  by: string;
}

const REFUSALS: Record<string, { kk: string; ru: string; en: string }> = {
  'signature-not-confirmed': {
    kk: 'ЭЦҚ расталмады: сұраныстың қолтаңбасы тексеруден өтпеді',
    ru: 'ЭЦП не подтверждена: подпись запроса не прошла проверку',
    en: 'The digital signature is not confirmed: the request’s signature failed the check',
  },
  'service-not-in-force': {
    kk: 'Сұраныс күніне бұл қызметтің регламенті күшінде емес',
    ru: 'Регламент услуги не действует на дату запроса',
    en: 'No regulation of this service is in force on the request’s date',
  },
  'after-cutoff': {
    kk: 'Порталдағы сұраныстар жұмыс күні аяқталуына 2 сағат қалғанға дейін қабылданады (9-тармақ)',
    ru: 'Запросы через портал принимаются до 2 часов до окончания рабочего дня (пункт 9)',
    en: 'Portal requests are accepted until 2 hours before the end of the working day (clause 9)',
  },
  'grounds-not-met': {
    kk: 'Сұраныс қызмет көрсету негізіне сәйкес келмейді',
    ru: 'Запрос не соответствует основаниям для оказания услуги',
    en: 'The request does not meet the grounds for the service',
  },
};

function portalActorOf(step: { role: string }): EngineActor {
  return step.role === 'citizen' ? CITIZEN : PORTAL;
}

/** Completes the portal's own steps (citizen, portal) until the request reaches a staff step or ends. */
function runPortalSteps(app: AppContext, row: RequestRow, signatureOk: boolean): RequestRow {
  const engine = engineOf(app);
  for (let i = 0; i < 16 && row.status === 'open'; i++) {
    const open = openStepRow(app.db, row.id);
    if (!open || (open.role !== 'citizen' && open.role !== 'portal')) break;
    const def = catalogOf(app).catalog.byKey(row.definition_key)!;
    const step = stepById(def, open.step_id)!;
    const condition = !signatureOk && step.next.some((e) => e.when === 'signature-not-confirmed') ? 'signature-not-confirmed' : null;
    row = engine.completeStep(row.id, open.step_id, portalActorOf(open), { condition });
  }
  return row;
}

function localTime(cal: WorkingCalendar, ms: number): string {
  const d = new Date(ms + cal.offsetAt(ms));
  return d.toISOString().slice(11, 16);
}

/** The cut-off of clause 9: `portalCutoffMinutesBeforeClose` before the close of the day the request arrived. */
function cutoff(app: AppContext, def: ServiceDefinition, receivedMs: number): Ground | null {
  if (def.id !== 'home-visit' || !def.portalCutoffMinutesBeforeClose) return null;
  const cal = calendarOf(app);
  const day = cal.day(cal.localDayOf(receivedMs));
  if (!day.working) return { check: 'cutoff', ok: false, detail: `${dayNumberToIso(cal.localDayOf(receivedMs))} is not a working day` };
  const limit = day.close - def.portalCutoffMinutesBeforeClose * 60_000;
  const at = localTime(cal, receivedMs);
  return receivedMs <= limit
    ? { check: 'cutoff', ok: true, detail: `received ${at}, accepted until ${localTime(cal, limit)}` }
    : { check: 'cutoff', ok: false, detail: `received ${at}, after ${localTime(cal, limit)} (closing ${localTime(cal, day.close)} − ${def.portalCutoffMinutesBeforeClose} min)` };
}

function grounds(app: AppContext, c: ErequestContent): { grounds: Ground[]; proposal: Proposal } {
  const out: Ground[] = [];
  const proposal: Proposal = {};
  const person = findPersonByIin(app.db, c.iin);
  out.push({ check: 'person', ok: !!person, detail: person ? 'found in the population register' : 'not in the population register (ЖТ МДБ)' });
  if (!person) return { grounds: out, proposal };
  const attachment = activeAttachmentOf(app.db, c.iin);
  if (c.type === 'attachment') {
    out.push({ check: 'not-attached-here', ok: !attachment, detail: attachment ? `already attached here (talon ${attachment.talon_number})` : 'not attached here yet' });
    const r = desk.resolveDistrict(app, { iin: c.iin });
    out.push({ check: 'district', ok: !!r.district, detail: r.district ? `district ${r.district.number}` : `the address is ${r.problem === 'no-address' ? 'missing' : 'outside every district'}` });
    proposal.districtId = r.district?.id ?? null;
    proposal.district = r.district?.number ?? null;
    proposal.doctorId = r.doctor?.id ?? null;
    proposal.doctor = r.doctor?.fullName ?? null;
    return { grounds: out, proposal };
  }
  out.push({ check: 'attached', ok: !!attachment, detail: attachment ? `attached here, talon ${attachment.talon_number}` : 'not attached to this organization' });
  if (c.type === 'home-visit') {
    const r = desk.resolveDistrict(app, { iin: c.iin, address: c.address });
    out.push({ check: 'district', ok: !!r.district, detail: r.district ? `district ${r.district.number}` : 'the address is outside every district' });
    out.push({ check: 'slot', ok: !!(r.doctor && r.window), detail: r.doctor && r.window ? `${r.doctor.fullName}, ${r.window.from}–${r.window.to}` : 'no district doctor can visit today' });
    Object.assign(proposal, {
      districtId: r.district?.id ?? null,
      district: r.district?.number ?? null,
      doctorId: r.doctor?.id ?? null,
      doctor: r.doctor?.fullName ?? null,
      ...(r.window ? { visitDate: r.window.date, windowFrom: r.window.from, windowTo: r.window.to } : {}),
    });
  } else {
    const doctor = findStaffByLogin(app.db, c.doctor);
    const startMs = Date.parse(c.slotStart);
    let free = false;
    let detail = 'no such doctor';
    if (doctor && Number.isFinite(startMs)) {
      const cal = calendarOf(app);
      const date = dayNumberToIso(cal.localDayOf(startMs));
      const slots = desk.searchFreeSlots(app, { doctorId: doctor.id, from: date, days: 1, limit: 500 }).slots;
      free = slots.some((s) => Date.parse(s.start) === startMs);
      detail = free ? `${doctor.full_name}, ${date} ${localTime(cal, startMs)} is free` : `${doctor.full_name}, ${date} ${localTime(cal, startMs)} is not a free slot`;
    }
    out.push({ check: 'slot', ok: free, detail });
    Object.assign(proposal, { doctorId: doctor?.id ?? null, doctor: doctor?.full_name ?? null, slotStart: c.slotStart });
  }
  return { grounds: out, proposal };
}

function statusOp(row: { number: string }, p: Omit<ErequestStatusPayload, 'number'>) {
  const payload: ErequestStatusPayload = { number: row.number, ...p };
  return { kind: EREQUEST_STATUS_OP, entity: 'erequest', entityId: row.number, payload };
}

/**
 * Verifies, registers and checks one new e-request, and decides it when the rules must. Synchronous: one
 * transaction for the registration, one for the decision.
 */
export function processOne(app: AppContext, row: dbe.ErequestRow): void {
  const now = app.clock();
  const org = getOrganization(app.db)!;
  const trust = trustStore(app);
  let verification: RequestVerification = verifySignedRequest(row.cms, trust, { now });
  let content: ErequestContent | null = null;
  let contentText: string | null = null;
  try {
    const { parseSignedData } = cmsModule;
    const raw = parseSignedData(row.cms).content;
    contentText = raw ? new TextDecoder('utf-8', { fatal: true }).decode(raw) : null;
    const parsed = erequestContentSchema.safeParse(contentText ? JSON.parse(contentText) : null);
    if (parsed.success) content = parsed.data;
  } catch {
    content = null;
  }
  if (!content && verification.valid) verification = { ...verification, valid: false, reasons: ['bad-format'] };
  if (content && content.organizationBin !== org.bin) verification = { ...verification, valid: false, reasons: [...verification.reasons, 'bad-format'] };

  const serviceId = content?.type ?? row.service_type ?? 'home-visit';
  const receivedMs = Date.parse(row.received_at);
  const requestDate = toLocalIsoDate(new Date(Number.isFinite(receivedMs) ? receivedMs : now.getTime()), org.timezone);
  const def = catalogOf(app).catalog.byId(serviceId, org.region, requestDate);
  const g: Ground[] = [
    { check: 'signature', ok: verification.valid, detail: verification.valid ? `signed by ${verification.signer?.name ?? '?'} (IIN ${verification.iin})` : verification.reasons.join(', ') },
    { check: 'in-force', ok: !!def, detail: def ? definitionKey(def) : `no regulation of ${serviceId} in force in ${org.region} on ${requestDate}` },
  ];

  let decision: Decision | null = null;
  let proposal: Proposal = {};
  let request: RequestRow | null = null;
  const iin = content?.iin ?? row.iin;
  const validIin = iin && /^\d{12}$/.test(iin) && findPersonByIin(app.db, iin) ? iin : null;

  recordChange(
    app.db,
    PORTAL,
    now,
    () => {
      if (def && validIin) {
        // Process 6: registered with a number through the step engine (a portal request, its portal deadline).
        request = createEngine({
          db: app.db,
          clock: app.clock,
          definition: (key) => catalogOf(app).catalog.byKey(key),
          calendar: () => calendarOf(app),
          workstationPrefix: () => org.workstationPrefix,
        }).start(def, 'portal', { iin: validIin }, PORTAL, { feeKzt: def.fee.kzt });
        request = runPortalSteps(app, request, verification.valid);
      }
      if (!verification.valid) decision = refusal('signature-not-confirmed', verification.reasons.map((r) => `signature: ${r}`));
      else if (!def) decision = refusal('service-not-in-force', [g[1]!.detail]);
      else {
        const late = cutoff(app, def, Number.isFinite(receivedMs) ? receivedMs : now.getTime());
        if (late) g.push(late);
        if (late && !late.ok) decision = refusal('after-cutoff', [`cutoff: ${late.detail}`]);
        else {
          const checked = grounds(app, content!);
          g.push(...checked.grounds);
          proposal = checked.proposal;
          if (!validIin) decision = refusal('grounds-not-met', ['person: not in the population register (ЖТ МДБ)']);
        }
      }
      const req = request as RequestRow | null;
      dbe.saveProcessed(
        app.db,
        row.id,
        {
          status: 'awaiting-registrar',
          verification: JSON.stringify(verification),
          content: contentText,
          request_id: req?.id ?? null,
          registered_as: req?.number ?? null,
          deadline_at: req?.deadline_at ?? null,
          deadline_ms: req?.deadline_ms ?? null,
          grounds: JSON.stringify(g),
          proposal: JSON.stringify(proposal),
        },
        now,
      );
      return req;
    },
    {
      audit: { action: 'erequest.registered', entity: 'erequest', entityId: row.number, details: { valid: verification.valid, reasons: verification.reasons.join(',') } },
      outbox: (req) => (req ? statusOp(row, { status: 'registered', registeredAs: req.number, deadlineAt: req.deadline_at, at: now.toISOString(), answer: null }) : null),
    },
  );

  if (!decision && policy(app).autoAnswer) {
    const failed = g.filter((x) => !x.ok);
    decision = failed.length ? refusal('grounds-not-met', failed.map((x) => `${x.check}: ${x.detail}`)) : { kind: 'result', code: null, reason: null, reasons: [], by: 'rules' };
  }
  if (decision) decide(app, dbe.getErequestRow(app.db, row.id)!, decision, null);
}

function refusal(code: string, reasons: string[], by = 'rules'): Decision {
  return { kind: 'refusal', code, reason: REFUSALS[code] ?? REFUSALS['grounds-not-met']!, reasons, by };
}

function onBehalfOf(app: AppContext): StaffRow {
  const p = policy(app);
  const first = app.db.prepare(`SELECT login FROM staff WHERE role = 'registrar' ORDER BY id LIMIT 1`).get() as { login: string } | undefined;
  const staff = findStaffByLogin(app.db, p.onBehalfOf ?? first?.login ?? '');
  if (!staff) throw new ApiError('internal', 'no registrar to make journal entries in the name of; set the e-request policy');
  return staff;
}

/**
 * Takes the decision: for a result, the journal entry through the desk service (as a desk request would land),
 * the registrar's check step completed; for a refusal, the step completed with the refusal. Then the decision
 * waits for its signature.
 */
function decide(app: AppContext, row: dbe.ErequestRow, decision: Decision, staff: StaffRow | null): void {
  const now = app.clock();
  const request = row.request_id !== null ? getRequestRow(app.db, row.request_id) ?? null : null;
  const content = row.content ? (erequestContentSchema.safeParse(JSON.parse(row.content)).data ?? null) : null;
  const proposal = JSON.parse(row.proposal ?? '{}') as Proposal;
  const actor: EngineActor = staff ? staffActor(staff) : { staffId: null, login: 'rules', role: 'registrar', specialty: null };
  const journalStaff = staff ?? (decision.kind === 'result' ? onBehalfOf(app) : null);
  let final: Decision = decision;
  let journal: { ref: string; data: Record<string, unknown> } | null = null;
  try {
    recordChange(
      app.db,
      actor,
      now,
      () => {
        if (decision.kind === 'result') {
          if (!request || !content || !journalStaff) throw new ApiError('validation', 'the e-request cannot be answered with a result', {});
          journal = makeJournalEntry(app, journalStaff, content, proposal, request);
        }
        if (request && request.status === 'open') {
          const open = openStepRow(app.db, request.id);
          if (open && canAct(open, actor)) {
            engineOf(app).completeStep(request.id, open.step_id, actor, { condition: decision.kind === 'refusal' ? 'grounds-not-met' : null, note: decision.reasons.join('; ') || null });
          }
        }
        dbe.saveDecision(app.db, row.id, JSON.stringify({ ...final, journal: journal?.data ?? null }), journal?.ref ?? null, now);
      },
      { audit: { action: 'erequest.decided', entity: 'erequest', entityId: row.number, details: { kind: decision.kind, code: decision.code, by: decision.by } } },
    );
  } catch (e) {
    if (!(e instanceof ApiError) || decision.kind !== 'result') throw e;
    // The desk refused the entry (slot taken meanwhile, doctor on leave, already attached…): a motivated refusal.
    final = refusal('grounds-not-met', [`${e.code}: ${e.message}`], decision.by);
    decide(app, row, final, staff);
  }
}

function makeJournalEntry(app: AppContext, staff: StaffRow, c: ErequestContent, p: Proposal, request: RequestRow): { ref: string; data: Record<string, unknown> } {
  const portal = { request };
  if (c.type === 'home-visit') {
    if (!p.doctorId || !p.visitDate || !p.windowFrom || !p.windowTo) throw new ApiError('no-free-slot', 'no district doctor can visit today', { doctor: '', date: '' });
    // Passing the portal request makes the journal row's channel `portal` (the `channel` argument is then unused).
    const v = desk.registerHomeVisit(
      app,
      staff,
      { iin: c.iin, channel: 'desk', address: c.address, phone: c.phone ?? null, complaint: c.complaint, caller: 'self', districtId: p.districtId ?? null, doctorId: p.doctorId, visitDate: p.visitDate, windowFrom: p.windowFrom, windowTo: p.windowTo },
      portal,
    );
    return { ref: v.number, data: { callNumber: v.number, visitDate: v.visitDate, window: [v.windowFrom, v.windowTo], doctor: v.doctor.fullName, district: v.district } };
  }
  if (c.type === 'appointment') {
    if (!p.doctorId) throw new ApiError('not-found', `no doctor ${c.doctor}`, {});
    const a = desk.book(app, staff, { iin: c.iin, doctorId: p.doctorId, slotStart: c.slotStart, channel: 'desk' }, portal);
    return { ref: a.number, data: { appointmentNumber: a.number, slotStart: a.slotStart, doctor: a.doctor.fullName } };
  }
  const def = catalogOf(app).catalog.byKey(request.definition_key)!;
  // The signed e-request is the application; identity is established by the verified signature.
  const documents = def.documents.filter((d) => d.required).map((d) => d.id);
  const t = desk.attach(app, staff, { iin: c.iin, documents, districtId: p.districtId ?? null, doctorId: p.doctorId ?? null, previousOrganization: c.previousOrganization ?? null }, portal);
  return { ref: t.talonNumber, data: { talonNumber: t.talonNumber, district: t.district.number, doctor: t.doctor?.fullName ?? null, verification: t.verification, date: t.date } };
}

/** The document the citizen receives: the result certificate / talon, or the motivated refusal. */
function answerDocument(app: AppContext, row: dbe.ErequestRow, d: Decision & { journal?: Record<string, unknown> | null }) {
  const org = getOrganization(app.db)!;
  const def = row.request_id !== null ? catalogOf(app).catalog.byKey(getRequestRow(app.db, row.request_id)!.definition_key) : undefined;
  const base = {
    number: row.number,
    registeredAs: row.registered_as,
    service: row.service_type,
    iin: row.iin,
    organization: { bin: org.bin, name: org.name },
    issuedAt: app.clock().toISOString(),
    callCentre: '1414',
  };
  if (d.kind === 'result') return { type: def?.resultDocument.id ?? `${row.service_type}-result`, title: def?.resultDocument.title ?? null, ...base, ...d.journal };
  return { type: 'motivated-refusal', ...base, code: d.code, reason: d.reason, reasons: d.reasons };
}

/** Signs decided answers with the provider key and queues them for the central server. Returns how many. */
export async function signDecided(app: AppContext, limit = 200): Promise<number> {
  const key = getSetting<ProviderKeySetting>(app.db, PROVIDER_KEY);
  const secret = getSetting<string>(app.db, PROVIDER_SECRET);
  if (!key || secret === undefined) return 0;
  let n = 0;
  for (const row of dbe.listDecided(app.db, limit)) {
    const d = JSON.parse(row.decision!) as Decision & { journal?: Record<string, unknown> | null };
    const doc = answerDocument(app, row, d);
    let signed;
    try {
      signed = await signAsProvider(app, { source: key.source, keyId: key.keyId, secret }, doc);
    } catch (e) {
      app.log.warn('erequests.sign-failed', { number: row.number, code: e instanceof ApiError ? e.code : 'error' });
      return n;
    }
    const now = app.clock();
    const answer: SignedAnswer = { kind: d.kind, code: d.code, reason: d.reason, reasons: d.reasons, document: signed.content.toString('utf8'), cms: signed.cms.toString('base64') };
    recordChange(
      app.db,
      { staffId: null, login: 'provider-key', role: 'system' } as Actor,
      now,
      () =>
        dbe.saveAnswer(app.db, row.id, { status: d.kind === 'result' ? 'done' : 'refused', journal_ref: row.journal_ref, answer_kind: d.kind, refusal_code: d.code, answer_doc: answer.document, answer_cms: signed.cms, answered_by: d.by }, now),
      {
        audit: { action: 'erequest.answered', entity: 'erequest', entityId: row.number, details: { kind: d.kind, code: d.code, certificate: signed.certificate.serial } },
        outbox: (ok) => (ok ? statusOp(row, { status: d.kind === 'result' ? 'done' : 'refused', registeredAs: row.registered_as, deadlineAt: row.deadline_at, at: now.toISOString(), answer }) : null),
      },
    );
    n++;
  }
  return n;
}

/** One round: take in what sync pulled, process the new, sign what is decided. */
export async function processInbox(app: AppContext, limit = 5_000): Promise<{ ingested: number; processed: number; answered: number }> {
  const ingested = dbe.ingestPulled(app.db, app.clock());
  const fresh = dbe.listNew(app.db, limit);
  // Up to 50 requests per transaction: one commit (one fsync under synchronous=FULL) per chunk instead of one per
  // request, while a chunk stays short enough (tens of ms) not to hold up the window. Each request is its own
  // savepoint: one that fails is rolled back alone, logged, and stays new.
  for (let i = 0; i < fresh.length; i += 50) {
    app.db
      .transaction(() => {
        for (const row of fresh.slice(i, i + 50)) {
          try {
            processOne(app, row);
          } catch (e) {
            app.log.error('erequests.process-failed', { number: row.number, error: (e as Error).message });
          }
        }
      })
      .immediate();
    await new Promise((r) => setImmediate(r));
  }
  const answered = await signDecided(app);
  return { ingested, processed: fresh.length, answered };
}

// ---------------------------------------------------------------------------------------------------------------
// The registrar's inbox

export function inbox(app: AppContext, a: { open: boolean; limit: number }) {
  dbe.ingestPulled(app.db, app.clock());
  const nowMs = app.clock().getTime();
  return { rows: dbe.listInboxRows(app.db, a).map((r) => view(r, nowMs)), now: new Date(nowMs).toISOString() };
}

function view(r: dbe.ErequestRow, nowMs: number) {
  const v = r.verification ? (JSON.parse(r.verification) as RequestVerification) : null;
  const d = r.decision ? (JSON.parse(r.decision) as Decision) : null;
  return {
    id: r.id,
    number: r.number,
    serviceType: r.service_type,
    iin: r.iin,
    receivedAt: r.received_at,
    status: r.status,
    registeredAs: r.registered_as,
    deadlineAt: r.deadline_at,
    timeLeftMs: r.deadline_ms !== null ? r.deadline_ms - nowMs : null,
    signature: v ? { valid: v.valid, reasons: v.reasons as string[], signer: v.signer?.name ?? null } : null,
    grounds: r.grounds ? (JSON.parse(r.grounds) as Ground[]) : [],
    proposal: r.proposal ? (JSON.parse(r.proposal) as Record<string, unknown>) : {},
    content: r.content ? (JSON.parse(r.content) as Record<string, unknown>) : null,
    decision: d ? { kind: d.kind, code: d.code, reasons: d.reasons, by: d.by } : null,
    journalRef: r.journal_ref,
    answeredAt: r.answered_at,
  };
}

export function get(app: AppContext, id: number) {
  const r = dbe.getErequestRow(app.db, id);
  if (!r) throw new ApiError('not-found', `no e-request ${id}`, { id });
  return view(r, app.clock().getTime());
}

/** The registrar confirms (the result) or refuses (a motivated refusal with the reason written). */
export async function resolve(app: AppContext, staff: StaffRow, a: { id: number; decision: 'confirm' | 'refuse'; reason?: string | null }) {
  const r = dbe.getErequestRow(app.db, a.id);
  if (!r) throw new ApiError('not-found', `no e-request ${a.id}`, { id: a.id });
  if (r.status !== 'awaiting-registrar') throw new ApiError('erequest-decided', `e-request ${r.number} is already ${r.status}`, { number: r.number, status: r.status });
  if (a.decision === 'refuse') {
    const reason = a.reason?.trim() ?? '';
    if (reason.length < 3) throw new ApiError('validation', 'a motivated refusal needs its reason', {}, ['reason']);
    decide(app, r, refusal('grounds-not-met', [reason], staff.login), staff);
  } else decide(app, r, { kind: 'result', code: null, reason: null, reasons: [], by: staff.login }, staff);
  await signDecided(app);
  return get(app, a.id);
}

/** The background round for Electron's main process and `tirkeu serve`: every few seconds, cheap when idle. */
export function startErequests(app: AppContext, intervalMs = 5_000): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    processInbox(app)
      .catch((e) => app.log.error('erequests.round', { error: (e as Error).message }))
      .finally(() => (busy = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * What the processing of an e-request records and passes on: the grounds checked (condition 3), the proposal (the
 * district, doctor, window or slot the journal entry would take), the decision with its motivated refusal, the
 * actors who act without a staff member, and the status operation the central server relays to the citizen. The
 * JSON columns of `erequest` are read back through the typed readers here, in one place.
 */
import { EREQUEST_STATUS_OP, type ErequestStatusPayload } from '../../../common/erequests';
import type { GroundResult } from '../../../common/portal-answering';
import type { LocalizedText } from '../../../common/regulations';
import type { Actor } from '../../../db/audit';
import type { ErequestRow } from '../../../db/erequests';
import type { StaffRow } from '../../../db/staff';
import type { RequestVerification } from '../../../pki/verify-request';
import type { EngineActor } from '../workflow/engine';

/**
 * A ground checked: a ground kind of the regulation's data (common/portal-answering.ts) or one of the fixed checks
 * (`signature`, `in-force`, `cutoff`); rows stored before issue 15 have `slot` and a `detail` only.
 */
export interface Ground extends GroundResult {
  /** The rules may not decide while this ground fails: a registrar must (the request is shown overdue). */
  hold?: boolean;
}

export type Proposal = {
  districtId?: number | null;
  district?: string | null;
  doctorId?: number | null;
  doctor?: string | null;
  visitDate?: string;
  windowFrom?: string;
  windowTo?: string;
  slotStart?: string;
};

export interface Decision {
  kind: 'result' | 'refusal';
  code: string | null;
  reason: LocalizedText | null;
  reasons: string[];
  /** The registrar's login, or `rules`. */
  by: string;
}

/** A decision as stored before signing: with the journal entry made for a result. */
export type StoredDecision = Decision & { journal?: Record<string, unknown> | null };

// ---------------------------------------------------------------------------------------------------------------
// Actors without a staff member

export const PORTAL: EngineActor = { staffId: null, login: 'portal', role: 'portal', specialty: null };
export const CITIZEN: EngineActor = { staffId: null, login: 'citizen', role: 'citizen', specialty: null };
/** The rules deciding unattended, in the registrar's step. */
export const RULES: EngineActor = { staffId: null, login: 'rules', role: 'registrar', specialty: null };
/** The unattended signature of an answer with the provider key. */
export const PROVIDER_KEY_ACTOR: Actor = { staffId: null, login: 'provider-key', role: 'system' };
export const staffActor = (s: StaffRow): EngineActor => ({ staffId: s.id, login: s.login, role: s.role, specialty: s.specialty });

// ---------------------------------------------------------------------------------------------------------------
// Refusals

const REFUSALS: Record<string, LocalizedText> = {
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
  'grounds-not-met': {
    kk: 'Сұраныс қызмет көрсету негізіне сәйкес келмейді',
    ru: 'Запрос не соответствует основаниям для оказания услуги',
    en: 'The request does not meet the grounds for the service',
  },
};

/** "2 сағат" / "2 часа" / "2 hours" (whole hours), else minutes. */
function spanText(minutes: number): LocalizedText {
  if (minutes % 60 !== 0) return { kk: `${minutes} минут`, ru: `${minutes} мин.`, en: `${minutes} minutes` };
  const h = minutes / 60;
  const ru = h % 10 === 1 && h % 100 !== 11 ? 'час' : [2, 3, 4].includes(h % 10) && ![12, 13, 14].includes(h % 100) ? 'часа' : 'часов';
  return { kk: `${h} сағат`, ru: `${h} ${ru}`, en: h === 1 ? '1 hour' : `${h} hours` };
}

/** The cut-off refusal with the regulation's own span (`portalCutoffMinutesBeforeClose`, clause 9). */
export function cutoffRefusal(minutes: number, reasons: string[]): Decision {
  const span = spanText(minutes);
  return {
    kind: 'refusal',
    code: 'after-cutoff',
    reason: {
      kk: `Порталдағы сұраныстар жұмыс күні аяқталуына ${span.kk} қалғанға дейін қабылданады (9-тармақ)`,
      ru: `Запросы через портал принимаются не позднее чем за ${span.ru} до окончания рабочего дня (пункт 9)`,
      en: `Portal requests are accepted until ${span.en} before the end of the working day (clause 9)`,
    },
    reasons,
    by: 'rules',
  };
}

/** A motivated refusal with its reason in the three languages (an unknown code gives the general grounds text). */
export function refusal(code: string, reasons: string[], by = 'rules'): Decision {
  return { kind: 'refusal', code, reason: REFUSALS[code] ?? REFUSALS['grounds-not-met']!, reasons, by };
}

/**
 * The rules' own decision: the result when every ground holds, else the refusal naming the failed ones — in the
 * citizen's three languages by the grounds' titles from the regulation, and as "check: detail" for the record.
 */
export function rulesDecision(grounds: readonly Ground[]): Decision {
  const failed = grounds.filter((x) => !x.ok);
  if (!failed.length) return { kind: 'result', code: null, reason: null, reasons: [], by: 'rules' };
  const d = refusal(
    'grounds-not-met',
    failed.map((x) => `${x.check}: ${x.detail}`),
  );
  const titled = failed.filter((x) => x.title);
  if (!titled.length || !d.reason) return d;
  const named = (lang: keyof LocalizedText) => `${d.reason![lang]}: ${titled.map((x) => x.title![lang]).join('; ')}`;
  return { ...d, reason: { kk: named('kk'), ru: named('ru'), en: named('en') } };
}

/** The `erequest.status` outbox operation: what the central server shows the citizen. */
export function statusOp(row: { number: string }, p: Omit<ErequestStatusPayload, 'number'>) {
  const payload: ErequestStatusPayload = { number: row.number, ...p };
  return { kind: EREQUEST_STATUS_OP, entity: 'erequest', entityId: row.number, payload };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the JSON columns back (written by this module's own code only)

export const verificationOf = (r: Pick<ErequestRow, 'verification'>): RequestVerification | null =>
  r.verification ? (JSON.parse(r.verification) as RequestVerification) : null;
export const groundsOf = (r: Pick<ErequestRow, 'grounds'>): Ground[] => (r.grounds ? (JSON.parse(r.grounds) as Ground[]) : []);
export const proposalOf = (r: Pick<ErequestRow, 'proposal'>): Proposal => (r.proposal ? (JSON.parse(r.proposal) as Proposal) : {});
export const decisionOf = (r: Pick<ErequestRow, 'decision'>): StoredDecision | null =>
  r.decision ? (JSON.parse(r.decision) as StoredDecision) : null;

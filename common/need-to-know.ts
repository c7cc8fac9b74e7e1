/**
 * Need to know (issue 14, clause 21 of the Astana regulation): who may see what of the dispensaries' data. One
 * table of rules, shared by the services (which refuse register look-ups and checks to other roles) and by the
 * contract's projections (common/api/projections.ts), which strip what a role must not see from every answer.
 *
 * - A register (TB, psychiatric, narcology) is seen by its dispensary's desk role and its physicians: only they
 *   learn that a person is on it (a check's answer, the refused request's condition and note).
 * - An HIV examination's outcome, notes, code and (confidential) identity are seen by the counselling room: the
 *   counselling physician and the nurse. The administrator sees counts, never an individual result.
 * - Anonymous requests take cancellation reasons from a fixed list, never free text.
 *
 * Pure: no Node, no DOM, no database.
 */
import type { RegisterKindName } from './dispensary';

export interface Viewer {
  role: string;
  specialty: string | null;
}

interface RegisterViewers {
  /** The dispensary's desk role: it checks the register at the request's check step. */
  deskRole: 'operator' | 'registrar';
  /** The dispensary's physicians (the one who signs the certificate). */
  specialty: 'phthisiatrician' | 'psychiatrist' | 'narcologist';
}

export const REGISTER_VIEWERS: Record<RegisterKindName, RegisterViewers> = {
  tb: { deskRole: 'operator', specialty: 'phthisiatrician' },
  psychiatric: { deskRole: 'registrar', specialty: 'psychiatrist' },
  narcology: { deskRole: 'registrar', specialty: 'narcologist' },
};

/** The service the HIV module serves (its requests, its codes, its certificate). */
export const HIV_SERVICE = 'hiv-examination';

/** May this staff member see this register (look a person up inside a request, see the answers of checks)? */
export function seesRegister(viewer: Viewer, register: RegisterKindName): boolean {
  const v = REGISTER_VIEWERS[register];
  return viewer.role === v.deskRole || (viewer.role === 'physician' && viewer.specialty === v.specialty);
}

/** May this staff member see an HIV examination's identity, code, notes and result (the counselling room)? */
export function seesHivIdentity(viewer: Viewer): boolean {
  return viewer.role === 'nurse' || (viewer.role === 'physician' && viewer.specialty === 'counselling');
}

/** What makes a request's data sensitive: the register its service checks, or the HIV examination. */
export type Sensitivity = { kind: 'register'; register: RegisterKindName; stepId: string } | { kind: 'hiv' };

/** Whether the viewer is one of those the regulations give the sensitive part of such a request to. */
export function seesSensitive(viewer: Viewer, s: Sensitivity): boolean {
  return s.kind === 'hiv' ? seesHivIdentity(viewer) : seesRegister(viewer, s.register);
}

/**
 * How much of one request a viewer reads:
 * - `full`: everything (no sensitivity, or the viewer is one of those who see it);
 * - `party`: a step of the viewer's own has started on it (the cashier at the payment of a TB certificate): the
 *   person and the steps, without the sensitive answers;
 * - `counts`: the administrator: the request without the person, the code or any sensitive answer;
 * - `none`: nothing: the request answers `not-found`, exactly as a request that does not exist.
 */
export type ReadLevel = 'full' | 'party' | 'counts' | 'none';

export function readLevel(
  viewer: Viewer,
  s: Sensitivity | null,
  startedSteps: ReadonlyArray<{ role: string; specialty: string | null }>,
): ReadLevel {
  if (!s || seesSensitive(viewer, s)) return 'full';
  if (viewer.role === 'administrator') return 'counts';
  const own = startedSteps.some((st) => st.role === viewer.role && (st.specialty === null || st.specialty === viewer.specialty));
  return own ? 'party' : 'none';
}

/** Cancellation reasons of an anonymous request: codes, so no free text can carry who the person is. */
export const ANONYMOUS_CANCEL_REASONS = ['person-left', 'declined-test', 'entered-in-error', 'duplicate', 'referred-elsewhere'] as const;
export type AnonymousCancelReason = (typeof ANONYMOUS_CANCEL_REASONS)[number];

/** Twelve digits in a row, spaces, dots or dashes allowed between them: what an IIN typed into free text looks like. */
const IIN_LIKE = /(?<!\d)\d(?:[\s.-]?\d){11}(?!\d)/u;

export function looksLikeIin(text: string): boolean {
  return IIN_LIKE.test(text);
}

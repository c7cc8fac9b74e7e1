/**
 * An appointment e-request for a time the portal offered (`GET /v1/gateway/slots`; Astana appendix 2, cl. 9: the
 * citizen chooses a free time in the doctor's timetable) needs no second check by a person. When every ground
 * holds — the slot still free in this desk's timetable among them — the rules book it and the answer is signed
 * unattended. When only the slot failed (taken meanwhile), the rules refuse with that ground and the doctor's next
 * free time, so the citizen can choose again at once. Anything else (not in the register, not attached here) is
 * left to the existing rules: the registrar, or the unattended policy.
 *
 * Apart from grounds.ts and settings.ts on purpose: it only reads the grounds already checked (condition 3).
 */
import { ApiError } from '../../../common/errors';
import type { ErequestContent } from '../../../common/erequests';
import { findStaffByLogin } from '../../../db/staff';
import type { AppContext } from '../app';
import { nextFreeOf } from '../desk/free-slots';
import { rulesDecision, type Decision, type Ground } from './decisions';
import { onBehalfOf } from './settings';

/** The rules' decision for a portal-offered slot, or null when this rule does not decide the request. */
export function portalOfferedSlot(app: AppContext, content: ErequestContent | null, grounds: readonly Ground[]): Decision | null {
  if (content?.type !== 'appointment' || content.slotOffered !== true) return null;
  // The booking is made in a registrar's name (the journal names one); without one the registrar decides.
  if (!hasRegistrar(app)) return null;
  const failed = grounds.filter((g) => !g.ok);
  if (failed.length === 0) return rulesDecision(grounds);
  if (!failed.every((g) => g.check === 'free-slot')) return null;
  const doctor = findStaffByLogin(app.db, content.doctor);
  const startMs = Date.parse(content.slotStart);
  const next = doctor && Number.isFinite(startMs) ? nextFreeOf(app, doctor.id, startMs) : null;
  const refused = rulesDecision(grounds);
  if (!next || !refused.reason) return refused;
  // The citizen reads the reason in their language; the record keeps "code: value" like the grounds' reasons.
  const r = refused.reason;
  return {
    ...refused,
    reason: {
      kk: `${r.kk}. Келесі бос уақыт: ${next}`,
      ru: `${r.ru}. Ближайшее свободное время: ${next}`,
      en: `${r.en}. Next free time: ${next}`,
    },
    reasons: [...refused.reasons, `${NEXT_FREE_TIME}: ${next}`],
  };
}

/** The reason that names the doctor's next free time (the registrar's screen says it in words). */
export const NEXT_FREE_TIME = 'next-free-time';

function hasRegistrar(app: AppContext): boolean {
  try {
    onBehalfOf(app);
    return true;
  } catch (e) {
    if (e instanceof ApiError) return false;
    throw e;
  }
}

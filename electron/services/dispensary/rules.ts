/**
 * Who may see what of the dispensaries' data, and which register a service checks. The register check itself is
 * declared in the regulation data (a step with `"action": "register-check", "register": "tb"`), so no service or
 * step id is written here; what stays in code is need to know: each register is seen by its dispensary's desk role
 * and its physicians, a confidential HIV examination's identity by the counselling room and the nurse. Imported by
 * the dispensary modules and by the dispensary's step-action handlers (step-actions.ts), which is how the workflow
 * reaches these rules without importing them.
 */
import type { ServiceDefinition } from '../../../common/regulations';
import type { RegisterKind } from '../../../db/dispensary';

interface RegisterViewers {
  /** The dispensary's desk role: it checks the register at the request's check step. */
  deskRole: 'operator' | 'registrar';
  /** The dispensary's physicians. */
  specialty: 'phthisiatrician' | 'psychiatrist' | 'narcologist';
}

const REGISTER_VIEWERS: Record<RegisterKind, RegisterViewers> = {
  tb: { deskRole: 'operator', specialty: 'phthisiatrician' },
  psychiatric: { deskRole: 'registrar', specialty: 'psychiatrist' },
  narcology: { deskRole: 'registrar', specialty: 'narcologist' },
};

/** The service the HIV module serves (its requests, its codes, its certificate). */
export const HIV_SERVICE = 'hiv-examination';

/** The register check of a service: its step declared `"action": "register-check"` and the register it names. */
export function registerCheckOf(def: Pick<ServiceDefinition, 'steps'>): { stepId: string; register: RegisterKind } | null {
  const step = def.steps.find((s) => s.action === 'register-check');
  return step?.register ? { stepId: step.id, register: step.register } : null;
}

/** May this staff member see this register (look a person up, see the answers of checks)? */
export function seesRegister(staff: { role: string; specialty: string | null }, register: RegisterKind): boolean {
  const viewers = REGISTER_VIEWERS[register];
  return staff.role === viewers.deskRole || (staff.role === 'physician' && staff.specialty === viewers.specialty);
}

/** May this staff member see the identity (IIN, name) of a confidential HIV examination? */
export function seesHivIdentity(staff: { role: string; specialty: string | null }): boolean {
  return staff.role === 'nurse' || (staff.role === 'physician' && staff.specialty === 'counselling');
}

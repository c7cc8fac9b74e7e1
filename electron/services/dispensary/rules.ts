/**
 * Which dispensary a service belongs to and which of its steps are done through a dedicated action (the register
 * check, the payment, the signature, the HIV result release) rather than the engine's plain "complete". Imported
 * by the workflow service (its guard) and by the dispensary modules; depends on nothing but the definitions.
 */
import type { ServiceDefinition, StepDefinition } from '../../../common/regulations';
import type { RegisterKind } from '../../../db/dispensary';

export interface DispensaryRule {
  register: RegisterKind;
  /** The step the register check completes. */
  checkStep: string;
  /** Roles that see this register: the dispensary's desk role and its physicians. */
  deskRole: 'operator' | 'registrar';
  specialty: 'phthisiatrician' | 'psychiatrist' | 'narcologist';
}

export const DISPENSARY_SERVICES: Record<string, DispensaryRule> = {
  'tb-certificate': { register: 'tb', checkStep: 'register-check', deskRole: 'operator', specialty: 'phthisiatrician' },
  'psychoneurological-certificate': { register: 'psychiatric', checkStep: 'documents-check', deskRole: 'registrar', specialty: 'psychiatrist' },
  'narcology-certificate': { register: 'narcology', checkStep: 'documents-check', deskRole: 'registrar', specialty: 'narcologist' },
};

export const HIV_SERVICE = 'hiv-examination';

export function ruleOfRegister(register: RegisterKind): DispensaryRule {
  return Object.values(DISPENSARY_SERVICES).find((r) => r.register === register)!;
}

/** May this staff member see this register (look a person up, see the answers of checks)? */
export function seesRegister(staff: { role: string; specialty: string | null }, register: RegisterKind): boolean {
  const rule = ruleOfRegister(register);
  return staff.role === rule.deskRole || (staff.role === 'physician' && staff.specialty === rule.specialty);
}

/** May this staff member see the identity (IIN, name) of a confidential HIV examination? */
export function seesHivIdentity(staff: { role: string; specialty: string | null }): boolean {
  return staff.role === 'nurse' || (staff.role === 'physician' && staff.specialty === 'counselling');
}

export type StepAction = 'register-check' | 'payment' | 'sign' | 'hiv-label' | 'hiv-release';

/** The dedicated action of a step, or null when the engine's plain completion is the action. */
export function stepActionOf(def: Pick<ServiceDefinition, 'id'>, step: Pick<StepDefinition, 'id' | 'journal' | 'signsResult'>, feeKzt: number): StepAction | null {
  const rule = DISPENSARY_SERVICES[def.id];
  if (rule && step.id === rule.checkStep) return 'register-check';
  if (step.journal === 'cash' && feeKzt > 0) return 'payment';
  if (def.id === HIV_SERVICE) {
    if (step.id === 'blood-draw') return 'hiv-label';
    if (step.id === 'post-test-counselling') return 'hiv-release';
  }
  if (rule && step.signsResult) return 'sign';
  return null;
}

/** Actions that replace the plain completion (the label is printed, then the step completed as usual). */
export const EXCLUSIVE_ACTIONS: ReadonlySet<StepAction> = new Set(['register-check', 'payment', 'sign', 'hiv-release']);

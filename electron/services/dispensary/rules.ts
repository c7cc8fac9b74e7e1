/**
 * Which register a service checks. The register check itself is declared in the regulation data (a step with
 * `"action": "register-check", "register": "tb"`), so no service or step id is written here. Who may see what
 * (need to know) is one table in common/need-to-know.ts, shared with the contract's projections; it is re-exported
 * here for the dispensary modules and their step-action handlers (step-actions.ts).
 */
import type { ServiceDefinition } from '../../../common/regulations';
import type { RegisterKind } from '../../../db/dispensary';

export { HIV_SERVICE, seesHivIdentity, seesRegister } from '../../../common/need-to-know';

/** The register check of a service: its step declared `"action": "register-check"` and the register it names. */
export function registerCheckOf(def: Pick<ServiceDefinition, 'steps'>): { stepId: string; register: RegisterKind } | null {
  const step = def.steps.find((s) => s.action === 'register-check');
  return step?.register ? { stepId: step.id, register: step.register } : null;
}

/**
 * Step actions: what the workflow does with a step the regulation declares as done through a dedicated action
 * (`"action"` in the definition files, common/regulations.ts STEP_ACTIONS: a register check, a payment, a signature,
 * an HIV label or result).
 *
 * The workflow is generic and imports no domain. A domain module registers one handler per action kind it does
 * (the dispensary: electron/services/dispensary/step-actions.ts), once, at app start (electron/services/app.ts).
 * The request methods ask this registry whether an action is due at a step (and so refuse the plain "complete" of
 * a step that only its action may complete) and whether the person's identity is hidden from a caller (the need-
 * to-know projection of a confidential service).
 */
import type { ErrorCode } from '../../../common/errors';
import type { ServiceDefinition, StepActionKind, StepDefinition } from '../../../common/regulations';

/** The part of a staff member a handler judges by. */
export interface ActionViewer {
  role: string;
  specialty: string | null;
}

export interface StepActionHandler {
  /** Whether the action is due on this request now (the payment: only while a fee is due). Absent: always due. */
  isDue?(request: { feeKzt: number }): boolean;
  /**
   * The step is completed only through the domain's own method: the plain "complete" is refused with this code.
   * Absent: the action comes before the plain completion (a label is printed, then the step completed as usual).
   */
  plainCompletionRefusedWith?: ErrorCode;
  /** Need to know: the person's identity on a request of a service with this action is hidden from this viewer. */
  hidesIdentityFrom?(viewer: ActionViewer): boolean;
}

const handlers = new Map<StepActionKind, StepActionHandler>();

/** Registers the handler of an action kind; registering the same handler again (a second app start) is a no-op. */
export function registerStepAction(kind: StepActionKind, handler: StepActionHandler): void {
  const known = handlers.get(kind);
  if (known && known !== handler) throw new Error(`the step action "${kind}" already has a handler`);
  handlers.set(kind, handler);
}

export function stepActionHandler(kind: StepActionKind): StepActionHandler | undefined {
  return handlers.get(kind);
}

/** The action kinds that have a handler (what the app start registered). */
export function registeredStepActions(): StepActionKind[] {
  return [...handlers.keys()];
}

/** The action due at a step now, or null when the plain completion is the action. */
export function dueStepAction(step: Pick<StepDefinition, 'action'>, request: { feeKzt: number }): StepActionKind | null {
  if (!step.action) return null;
  const handler = handlers.get(step.action);
  // A declared action nobody handles is still due: the plain completion must not pass over it unnoticed.
  if (handler?.isDue && !handler.isDue(request)) return null;
  return step.action;
}

/**
 * Whether the person's identity (IIN, name) on a request of this service is hidden from the viewer: some step's
 * action says so. A request whose definition is not loaded shows no identity (need to know fails closed).
 */
export function identityHiddenFrom(def: ServiceDefinition | undefined, viewer: ActionViewer): boolean {
  if (!def) return true;
  return def.steps.some((s) => s.action !== undefined && handlers.get(s.action)?.hidesIdentityFrom?.(viewer) === true);
}

/**
 * The dispensary's step actions, registered into the workflow's registry at app start (electron/services/app.ts):
 * the register check (registers.check), the payment (cash.pay), the certificate signature (certificates.sign), the
 * HIV sample label (hiv.label) and the HIV result (hiv.release). The regulation data says which step is which; the
 * handlers say what the workflow must know of them: that the plain "complete" is refused (the dedicated method
 * completes the step), when the payment is due, and who does not see a confidential HIV examination's identity.
 */
import type { RequestExtras } from '../../../common/dispensary';
import type { StepActionKind } from '../../../common/regulations';
import { registerStepAction, type StepActionHandler } from '../workflow/actions';
import { seesHivIdentity } from './rules';

const hivIdentityHidden = (viewer: { role: string; specialty: string | null }) => !seesHivIdentity(viewer);

const HANDLERS: ReadonlyArray<[StepActionKind, StepActionHandler]> = [
  ['register-check', { plainCompletionRefusedWith: 'register-check-required' }],
  ['payment', { isDue: ({ feeKzt }) => feeKzt > 0, plainCompletionRefusedWith: 'payment-required' }],
  ['signature', { plainCompletionRefusedWith: 'signature-required' }],
  // The label is printed, then the blood draw is completed as usual.
  ['hiv-label', { hidesIdentityFrom: hivIdentityHidden }],
  ['hiv-result', { plainCompletionRefusedWith: 'result-missing', hidesIdentityFrom: hivIdentityHidden }],
];

export function registerDispensaryStepActions(): void {
  for (const [kind, handler] of HANDLERS) registerStepAction(kind, handler);
}

/** What the request screen calls the action due now (`requests.extras` → stepAction). */
const SCREEN_ACTIONS: Record<StepActionKind, NonNullable<RequestExtras['stepAction']>> = {
  'register-check': 'register-check',
  payment: 'payment',
  signature: 'sign',
  'hiv-label': 'hiv-label',
  'hiv-result': 'hiv-release',
};

export function screenActionOf(kind: StepActionKind | null): RequestExtras['stepAction'] {
  return kind ? SCREEN_ACTIONS[kind] : null;
}

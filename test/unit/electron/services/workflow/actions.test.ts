/**
 * The step-action registry (electron/services/workflow/actions.ts): a declared action is due unless its handler
 * says otherwise (the payment only with a fee), an unhandled declaration stays due, a kind has one handler, and
 * the need-to-know projection hides a confidential service's identity (and fails closed without a definition).
 */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ServiceDefinition } from '../../../../../common/regulations';
import { registerStepActions } from '../../../../../electron/services/app';
import { loadCatalog } from '../../../../../electron/services/regulations/catalog';
import {
  dueStepAction,
  identityHiddenFrom,
  registerStepAction,
  stepActionHandler,
} from '../../../../../electron/services/workflow/actions';

const catalog = loadCatalog(join(__dirname, '../../../../../resources/regulations'));
const def = (id: string): ServiceDefinition => catalog.byId(id, 'atyrau', '2015-01-01')!;
const step = (serviceId: string, stepId: string) => def(serviceId).steps.find((s) => s.id === stepId)!;

describe('step actions', () => {
  registerStepActions();

  it('are due as declared; the payment only while a fee is due; a plain step has none', () => {
    expect(dueStepAction(step('tb-certificate', 'register-check'), { feeKzt: 0 })).toBe('register-check');
    expect(dueStepAction(step('tb-certificate', 'payment'), { feeKzt: 1000 })).toBe('payment');
    expect(dueStepAction(step('tb-certificate', 'payment'), { feeKzt: 0 })).toBeNull();
    expect(dueStepAction(step('tb-certificate', 'journal-entry'), { feeKzt: 1000 })).toBeNull();
    expect(dueStepAction(step('hiv-examination', 'blood-draw'), { feeKzt: 0 })).toBe('hiv-label');
  });

  it('refuse the plain completion except the label, which is printed before it', () => {
    expect(stepActionHandler('register-check')?.plainCompletionRefusedWith).toBe('register-check-required');
    expect(stepActionHandler('payment')?.plainCompletionRefusedWith).toBe('payment-required');
    expect(stepActionHandler('signature')?.plainCompletionRefusedWith).toBe('signature-required');
    expect(stepActionHandler('hiv-result')?.plainCompletionRefusedWith).toBe('result-missing');
    expect(stepActionHandler('hiv-label')?.plainCompletionRefusedWith).toBeUndefined();
  });

  it('have one handler per kind; registering the same one again (a second app start) changes nothing', () => {
    const handler = stepActionHandler('payment')!;
    expect(() => registerStepAction('payment', handler)).not.toThrow();
    expect(() => registerStepAction('payment', { plainCompletionRefusedWith: 'payment-required' })).toThrow(/already has a handler/);
    expect(stepActionHandler('payment')).toBe(handler);
  });

  it('hide the identity of a confidential HIV examination from everyone but the counselling room and the nurse', () => {
    const registrar = { role: 'registrar', specialty: null };
    const nurse = { role: 'nurse', specialty: null };
    const counsellor = { role: 'physician', specialty: 'counselling' };
    const admin = { role: 'administrator', specialty: null };
    expect([registrar, admin].map((v) => identityHiddenFrom(def('hiv-examination'), v))).toEqual([true, true]);
    expect([nurse, counsellor].map((v) => identityHiddenFrom(def('hiv-examination'), v))).toEqual([false, false]);
    expect(identityHiddenFrom(def('tb-certificate'), registrar)).toBe(false);
    expect(identityHiddenFrom(undefined, nurse)).toBe(true);
  });

  it('a declared action nobody handles stays due (the plain completion never passes over it)', async () => {
    vi.resetModules();
    const fresh = await import('../../../../../electron/services/workflow/actions');
    expect(fresh.registeredStepActions()).toEqual([]);
    expect(fresh.dueStepAction(step('tb-certificate', 'payment'), { feeKzt: 0 })).toBe('payment');
  });
});

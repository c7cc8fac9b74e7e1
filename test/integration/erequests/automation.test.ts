/**
 * Issue 15, point 2: who answers a portal request is the regulation's automation level (Astana 2013 cl. 3: fully
 * automated; Atyrau 2014 cl. 2: partially automated) with the organization's explicit choices: a registrar confirms
 * each automated answer (`confirmAutomated`), the rules answer the partially automated ones too (`autoAnswer`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '../../../common/regulations';
import { setSetting } from '../../../db/settings';
import { answersUnattended, policy } from '../../../electron/services/erequests/settings';
import { catalogOf } from '../../../electron/services/workflow/context';
import { createTestWorkstation, type Caller, type TestWorkstation } from '../../helpers/app';
import { refusal } from '../../helpers/api-errors';
import { workingDayClock } from '../../helpers/clock';

const clock = workingDayClock('10:00');
let ws: TestWorkstation;
let admin: Caller;
beforeAll(async () => {
  ws = createTestWorkstation({ population: 5, clock: clock.read });
  admin = await ws.as('admin');
});
afterAll(() => ws?.close());

const def = (region: string, id: string): ServiceDefinition =>
  catalogOf(ws.app).catalog.all.find((l) => l.definition.region === region && l.definition.id === id)!.definition;

describe('who answers a portal request', () => {
  it('the rules answer a fully automated e-service; a partially automated one waits for a registrar', () => {
    expect(policy(ws.app)).toMatchObject({ autoAnswer: false, confirmAutomated: false });
    for (const id of ['home-visit', 'appointment', 'attachment']) {
      expect(answersUnattended(ws.app, def('astana', id))).toBe(true);
      expect(answersUnattended(ws.app, def('atyrau', id))).toBe(false);
    }
  });

  it('the organization may have a registrar confirm each automated answer, and may let the rules answer the rest', async () => {
    const s = await admin.call('erequests.setPolicy', { autoAnswer: false, confirmAutomated: true, onBehalfOf: null });
    expect(s.policy).toEqual({ autoAnswer: false, confirmAutomated: true, onBehalfOf: null });
    expect(answersUnattended(ws.app, def('astana', 'home-visit'))).toBe(false);
    expect(answersUnattended(ws.app, def('atyrau', 'home-visit'))).toBe(false);

    await admin.call('erequests.setPolicy', { autoAnswer: true, confirmAutomated: false, onBehalfOf: 'registrar' });
    expect(answersUnattended(ws.app, def('astana', 'home-visit'))).toBe(true);
    expect(answersUnattended(ws.app, def('atyrau', 'home-visit'))).toBe(true);

    const bad = await refusal(admin, 'erequests.setPolicy', { autoAnswer: true, confirmAutomated: 'yes', onBehalfOf: null });
    expect(bad.code).toBe('validation');
    expect(JSON.stringify(bad)).toContain('confirmAutomated');
  });

  it('a policy stored before the choice existed reads as the act says: the rules answer fully automated services', () => {
    setSetting(ws.app.db, 'erequests.policy', { autoAnswer: false, onBehalfOf: null });
    expect(policy(ws.app).confirmAutomated).toBe(false);
    expect(answersUnattended(ws.app, def('astana', 'attachment'))).toBe(true);
  });
});

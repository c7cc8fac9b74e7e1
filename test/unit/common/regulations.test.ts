import { describe, expect, it } from 'vitest';
import {
  chooseEdge,
  defaultPath,
  deskFormOf,
  firstStep,
  parseDefinitionSet,
  RegulationValidationError,
  resolveStep,
  validateDefinitionSet,
  type DefinitionFile,
  type RegulationIssue,
  type ServiceDefinition,
} from '../../../common/regulations';

/** A small valid definition (a TB-certificate-like service); each test breaks one thing in a copy. */
function base(): ServiceDefinition {
  return {
    id: 'tb-certificate',
    titles: { kk: 'Анықтама', ru: 'Справка', en: 'Certificate' },
    act: { issuer: { kk: 'Әкімдік', ru: 'Акимат' }, number: '150', date: '2014-05-23' },
    region: 'atyrau',
    effectiveFrom: '2014-07-04',
    effectiveTo: null,
    channels: ['desk'],
    start: { desk: 'check' },
    participants: [{ role: 'operator' }, { role: 'cashier' }, { role: 'physician', specialty: 'phthisiatrician' }],
    conditions: [{ id: 'in-register', title: { kk: 'к', ru: 'р', en: 'e' } }],
    steps: [
      {
        id: 'check',
        title: { kk: 'Тексеру', ru: 'Проверка', en: 'Check' },
        role: 'operator',
        maxMinutes: 15,
        next: [{ to: 'done', when: 'in-register', refusal: { code: 'in-register', reason: { kk: 'к', ru: 'р', en: 'e' } } }, { to: 'pay' }],
      },
      {
        id: 'pay',
        title: { kk: 'Төлем', ru: 'Оплата', en: 'Pay' },
        role: 'cashier',
        maxMinutes: 15,
        skipWhen: 'fee-zero',
        journal: 'cash',
        next: [{ to: 'sign' }],
      },
      {
        id: 'sign',
        title: { kk: 'Қол қою', ru: 'Подпись', en: 'Sign' },
        role: 'physician',
        specialty: 'phthisiatrician',
        maxWorkingDays: 1,
        next: [{ to: 'done' }],
      },
    ],
    fee: { kzt: 1000, assumed: true },
    resultDocument: { id: 'tb-certificate', title: { kk: 'а', ru: 'с', en: 'c' }, forms: ['paper'] },
    journal: 'certificate-issuance',
    documents: [{ id: 'identity-document', title: { kk: 'к', ru: 'д', en: 'i' }, required: true }],
    maxTotal: { desk: { maxMinutes: 60 } },
  };
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function issuesOf(files: DefinitionFile[]): RegulationIssue[] {
  const r = validateDefinitionSet(files);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.issues;
}

/** Breaks a copy of the base definition and returns the issues reported for file `bad.json`. */
function broken(mutate: (d: any) => void): RegulationIssue[] {
  const d = clone(base()) as any;
  mutate(d);
  return issuesOf([{ file: 'bad.json', data: d }]);
}

function expectIssue(issues: RegulationIssue[], path: string, message: RegExp) {
  const hit = issues.find((i) => i.file === 'bad.json' && i.path === path && message.test(i.message));
  expect(
    hit,
    `expected bad.json: ${path}: ${message} among\n${issues.map((i) => `${i.file}: ${i.path}: ${i.message}`).join('\n')}`,
  ).toBeTruthy();
}

describe('service definition schema', () => {
  it('accepts a valid definition', () => {
    const r = validateDefinitionSet([{ file: 'ok.json', data: base() }]);
    expect(r.ok).toBe(true);
  });

  it('names file and field of an unknown role', () => {
    expectIssue(
      broken((d) => (d.steps[0].role = 'doctor')),
      'steps[0].role',
      /unknown role "doctor"/,
    );
  });

  it('names an unknown specialty and a specialty on a non-physician', () => {
    expectIssue(
      broken((d) => (d.steps[2].specialty = 'surgeon')),
      'steps[2].specialty',
      /unknown specialty "surgeon"/,
    );
    expectIssue(
      broken((d) => {
        d.steps[0].specialty = 'phthisiatrician';
        d.participants.push({ role: 'operator', specialty: 'phthisiatrician' });
      }),
      'steps[0].specialty',
      /only for physicians/,
    );
  });

  it('names a role that is not among the participants', () => {
    expectIssue(
      broken((d) => (d.steps[0].role = 'nurse')),
      'steps[0].role',
      /"nurse" is not among the participants/,
    );
  });

  it('names an unknown step reference', () => {
    expectIssue(
      broken((d) => (d.steps[1].next[0].to = 'sing')),
      'steps[1].next[0].to',
      /unknown step "sing"/,
    );
    expectIssue(
      broken((d) => (d.start.desk = 'chek')),
      'start.desk',
      /unknown step "chek"/,
    );
  });

  it('names a step cycle with no path to the end', () => {
    const issues = broken((d) => {
      d.steps[1].next = [{ to: 'sign' }];
      d.steps[2].next = [{ to: 'pay' }];
    });
    expectIssue(issues, 'steps[1].next', /cycle with no path to the end/);
    expectIssue(issues, 'steps[2].next', /cycle with no path to the end/);
  });

  it('accepts a cycle that has a way out (a step sent back for correction)', () => {
    const d = clone(base());
    d.conditions.push({ id: 'redo', title: { kk: 'к', ru: 'р', en: 'e' } });
    d.steps[2]!.next = [{ to: 'check', when: 'redo' }, { to: 'done' }];
    expect(validateDefinitionSet([{ file: 'ok.json', data: d }]).ok).toBe(true);
  });

  it('names negative, zero, fractional-day and missing durations, and both at once', () => {
    expectIssue(
      broken((d) => (d.steps[0].maxMinutes = -5)),
      'steps[0].maxMinutes',
      /too small|>0|positive/i,
    );
    expectIssue(
      broken((d) => (d.steps[0].maxMinutes = 0)),
      'steps[0].maxMinutes',
      /too small|>0|positive/i,
    );
    expectIssue(
      broken((d) => (d.steps[2].maxWorkingDays = 1.5)),
      'steps[2].maxWorkingDays',
      /int/i,
    );
    expectIssue(
      broken((d) => delete d.steps[0].maxMinutes),
      'steps[0]',
      /missing duration/,
    );
    expectIssue(
      broken((d) => (d.steps[0].maxWorkingDays = 1)),
      'steps[0]',
      /not both/,
    );
    expectIssue(
      broken((d) => (d.steps[0].maxMinutes = '15')),
      'steps[0].maxMinutes',
      /number/,
    );
  });

  it('names duplicate step ids and the reserved id', () => {
    expectIssue(
      broken((d) => (d.steps[2].id = 'pay')),
      'steps[2].id',
      /duplicate step id "pay"/,
    );
    expectIssue(
      broken((d) => (d.steps[2].id = 'done')),
      'steps[2].id',
      /reserved/,
    );
  });

  it('names unknown conditions, misplaced default edges and refusals not ending the request', () => {
    expectIssue(
      broken((d) => (d.steps[0].next[0].when = 'in-registry')),
      'steps[0].next[0].when',
      /unknown condition "in-registry"/,
    );
    expectIssue(
      broken((d) => d.steps[0].next.reverse()),
      'steps[0].next[0]',
      /default edge/,
    );
    expectIssue(
      broken((d) => (d.steps[0].next[0].to = 'pay')),
      'steps[0].next[0].to',
      /refusal must end/,
    );
  });

  it('names a cashier step that cannot be skipped and a fee without a cashier', () => {
    expectIssue(
      broken((d) => delete d.steps[1].skipWhen),
      'steps[1].skipWhen',
      /fee-zero/,
    );
    const issues = broken((d) => {
      d.steps.splice(1, 1);
      d.steps[0].next[1].to = 'sign';
      d.participants.splice(1, 1);
    });
    expectIssue(issues, 'fee.kzt', /no cashier step/);
  });

  it('names an unknown step action and a register check without its register (or a register elsewhere)', () => {
    expectIssue(
      broken((d) => (d.steps[0].action = 'x-ray')),
      'steps[0].action',
      /unknown step action "x-ray"; expected one of: register-check, payment/,
    );
    expectIssue(
      broken((d) => (d.steps[0].action = 'register-check')),
      'steps[0].register',
      /names its register/,
    );
    expectIssue(
      broken((d) => Object.assign(d.steps[0], { action: 'register-check', register: 'dental' })),
      'steps[0].register',
      /unknown register "dental"/,
    );
    expectIssue(
      broken((d) => (d.steps[1].register = 'tb')),
      'steps[1].register',
      /only by a step with action "register-check"/,
    );
    expectIssue(
      broken((d) => {
        Object.assign(d.steps[0], { action: 'register-check', register: 'tb' });
        Object.assign(d.steps[2], { action: 'register-check', register: 'tb' });
      }),
      'steps[2].action',
      /one register check \(also steps\[0\]\)/,
    );
  });

  it('names a signature step that signs nothing and a payment outside the cash journal', () => {
    expectIssue(
      broken((d) => (d.steps[2].action = 'signature')),
      'steps[2].signsResult',
      /signsResult true/,
    );
    expectIssue(
      broken((d) => (d.steps[0].action = 'payment')),
      'steps[0].journal',
      /journal "cash"/,
    );
    const ok = clone(base()) as any;
    Object.assign(ok.steps[0], { action: 'register-check', register: 'tb' });
    Object.assign(ok.steps[1], { action: 'payment' });
    Object.assign(ok.steps[2], { action: 'signature', signsResult: true });
    expect(validateDefinitionSet([{ file: 'ok.json', data: ok }]).ok).toBe(true);
  });

  it('a certified desk form (Astana table 2, act 5) names its step, scans known documents, once per service', () => {
    const form = { certifiedBy: 'employee-signature', scans: ['identity-document'] };
    const ok = clone(base()) as any;
    ok.steps[0].deskForm = form;
    const r = validateDefinitionSet([{ file: 'ok.json', data: ok }]);
    expect(r.ok && deskFormOf(r.definitions[0]!.definition)).toMatchObject({ step: { id: 'check' }, form });
    expect(deskFormOf(base())).toBeNull();
    expectIssue(
      broken((d) => (d.steps[0].deskForm = { ...form, scans: ['passport'] })),
      'steps[0].deskForm.scans[0]',
      /unknown document "passport"/,
    );
    expectIssue(
      broken((d) => (d.steps[0].deskForm = { ...form, scans: ['identity-document', 'identity-document'] })),
      'steps[0].deskForm.scans[1]',
      /listed twice/,
    );
    expectIssue(
      broken((d) => (d.steps[0].deskForm = { ...form, certifiedBy: 'stamp' })),
      'steps[0].deskForm.certifiedBy',
      /employee-signature/,
    );
    expectIssue(
      broken((d) => (d.steps[0].deskForm = { ...form, pages: 2 })),
      'steps[0].deskForm',
      /unknown field\(s\): pages/,
    );
    expectIssue(
      broken((d) => {
        d.steps[0].deskForm = form;
        d.steps[2].deskForm = form;
      }),
      'steps[2].deskForm',
      /one certified desk form \(also steps\[0\]\)/,
    );
    expectIssue(
      broken((d) => {
        d.participants.push({ role: 'portal' });
        d.steps[0].role = 'portal';
        d.steps[0].deskForm = form;
      }),
      'steps[0].deskForm',
      /by a staff member, not by "portal"/,
    );
  });

  it('names malformed dates and a period ending before it starts', () => {
    expectIssue(
      broken((d) => (d.effectiveFrom = '2014-02-30')),
      'effectiveFrom',
      /malformed date "2014-02-30"/,
    );
    expectIssue(
      broken((d) => (d.act.date = '23.05.2014')),
      'act.date',
      /malformed date/,
    );
    expectIssue(
      broken((d) => (d.effectiveTo = '2014-01-01')),
      'effectiveTo',
      /before it starts/,
    );
  });

  it('names missing and unknown fields', () => {
    expectIssue(
      broken((d) => delete d.journal),
      'journal',
      /missing/,
    );
    expectIssue(
      broken((d) => (d.journal = 'cash-book')),
      'journal',
      /unknown journal "cash-book"/,
    );
    expectIssue(
      broken((d) => (d.steps[0].maxMinuts = 3)),
      'steps[0]',
      /unknown field\(s\): maxMinuts/,
    );
  });

  it('names channels without a start or a whole-request maximum', () => {
    expectIssue(
      broken((d) => d.channels.push('phone')),
      'start.phone',
      /missing/,
    );
    expectIssue(
      broken((d) => d.channels.push('phone')),
      'maxTotal.phone',
      /missing/,
    );
    expectIssue(
      broken((d) => (d.maxTotal.desk = { maxMinutes: 60, maxWorkingDays: 1 })),
      'maxTotal.desk',
      /exactly one/,
    );
  });

  it('names what is wrong with the portal answering data (automation, grounds) and a cut-off without a portal', () => {
    const title = { kk: 'к', ru: 'р', en: 'e' };
    // A portal channel with a valid start and maximum, so only the answering data is at fault.
    const portal = (d: any, answering?: unknown) => {
      d.channels.push('portal');
      d.start.portal = 'check';
      d.maxTotal.portal = { maxMinutes: 60 };
      if (answering !== undefined) d.portalAnswering = answering;
    };
    expectIssue(
      broken((d) => portal(d)),
      'portalAnswering',
      /missing: a service offered through the portal/,
    );
    expectIssue(
      broken((d) => portal(d, { automation: 'total', grounds: [{ kind: 'person', title }] })),
      'portalAnswering.automation',
      /unknown automation level "total"; expected one of: full, partial/,
    );
    expectIssue(
      broken((d) =>
        portal(d, {
          automation: 'full',
          grounds: [
            { kind: 'person', title },
            { kind: 'moon-phase', title },
          ],
        }),
      ),
      'portalAnswering.grounds[1].kind',
      /unknown ground kind "moon-phase"/,
    );
    expectIssue(
      broken((d) =>
        portal(d, {
          automation: 'full',
          grounds: [
            { kind: 'person', title },
            { kind: 'free-slot', title },
          ],
        }),
      ),
      'portalAnswering.grounds[1].kind',
      /only for the appointment service/,
    );
    expectIssue(
      broken((d) =>
        portal(d, {
          automation: 'full',
          grounds: [
            { kind: 'attached', title },
            { kind: 'attached', title },
          ],
        }),
      ),
      'portalAnswering.grounds[1].kind',
      /duplicate ground "attached"/,
    );
    expectIssue(
      broken((d) => portal(d, { automation: 'full', grounds: [{ kind: 'attached', title }] })),
      'portalAnswering.grounds[0].kind',
      /first ground must be "person"/,
    );
    expectIssue(
      broken((d) => portal(d, { automation: 'full', grounds: [{ kind: 'person', title: { kk: 'к', ru: 'р' } }] })),
      'portalAnswering.grounds[0].title.en',
      /missing/,
    );
    expectIssue(
      broken((d) => (d.portalCutoffMinutesBeforeClose = 120)),
      'portalCutoffMinutesBeforeClose',
      /no portal channel/,
    );
    const ok = clone(base()) as any;
    portal(ok, {
      automation: 'partial',
      grounds: [
        { kind: 'person', title },
        { kind: 'attached', title },
      ],
    });
    expect(validateDefinitionSet([{ file: 'ok.json', data: ok }]).ok).toBe(true);
  });

  it('names a step unreachable from every start', () => {
    expectIssue(
      broken((d) => d.steps.push({ ...d.steps[2], id: 'orphan' })),
      'steps[3]',
      /cannot be reached/,
    );
  });
});

describe('a definition set', () => {
  it('refuses overlapping effective periods of one region and service across files, naming both files', () => {
    const a = base();
    const b = { ...clone(base()), effectiveFrom: '2015-01-01' };
    const issues = issuesOf([
      { file: 'a.json', data: a },
      { file: 'bad.json', data: b },
    ]);
    expectIssue(issues, 'effectiveFrom', /overlaps a\.json/);
  });

  it('accepts consecutive versions and the same service in another region', () => {
    const a = { ...base(), effectiveTo: '2015-11-02' };
    const b = { ...clone(base()), effectiveFrom: '2015-11-03' };
    const c = { ...clone(base()), region: 'astana' };
    const r = validateDefinitionSet([
      { file: 'a.json', data: a },
      { file: 'b.json', data: b },
      { file: 'c.json', data: c },
    ]);
    expect(r.ok).toBe(true);
  });

  it('is never half-loaded: one bad file refuses the whole set', () => {
    const good = { file: 'good.json', data: base() };
    const bad = { file: 'bad.json', data: { ...clone(base()), region: 'astana', steps: [] } };
    const r = validateDefinitionSet([good, bad]);
    expect(r.ok).toBe(false);
    expect('definitions' in r).toBe(false);
    expect(() => parseDefinitionSet([good, bad])).toThrow(RegulationValidationError);
    try {
      parseDefinitionSet([good, bad]);
    } catch (e) {
      expect((e as Error).message).toMatch(/^regulation definitions refused/);
      expect((e as Error).message).toContain('bad.json: steps: ');
      expect((e as RegulationValidationError).issues.every((i) => i.file === 'bad.json')).toBe(true);
    }
  });

  it('reports every problem of every file in one pass', () => {
    const d1 = clone(base()) as any;
    d1.steps[0].role = 'doctor';
    const d2 = clone(base()) as any;
    d2.region = 'astana';
    d2.steps[1].next[0].to = 'nowhere';
    const issues = issuesOf([
      { file: 'one.json', data: d1 },
      { file: 'two.json', data: d2 },
    ]);
    expect(issues.map((i) => `${i.file}:${i.path}`)).toEqual(
      expect.arrayContaining(['one.json:steps[0].role', 'two.json:steps[1].next[0].to']),
    );
  });

  it('refuses non-objects with the file name', () => {
    const issues = issuesOf([{ file: 'bad.json', data: [1, 2] }]);
    expect(issues[0]!.file).toBe('bad.json');
  });
});

describe('reading a definition', () => {
  it('skips the cashier step when the fee is 0 and keeps it otherwise', () => {
    const d = base();
    const afterCheck = chooseEdge(d.steps[0]!, []).to;
    expect(afterCheck).toBe('pay');
    expect((resolveStep(d, afterCheck, { feeKzt: 0 }) as { id: string }).id).toBe('sign');
    expect((resolveStep(d, afterCheck, { feeKzt: 1000 }) as { id: string }).id).toBe('pay');
  });

  it('follows a condition to its motivated refusal', () => {
    const edge = chooseEdge(base().steps[0]!, new Set(['in-register']));
    expect(edge.to).toBe('done');
    expect(edge.refusal?.code).toBe('in-register');
  });

  it('gives the first step of a channel and the default path', () => {
    const d = base();
    expect((firstStep(d, 'desk', { feeKzt: 1 }) as { id: string }).id).toBe('check');
    expect(() => firstStep(d, 'portal', { feeKzt: 1 })).toThrow(/not offered/);
    expect(defaultPath(d, 'desk').map((s) => s.id)).toEqual(['check', 'pay', 'sign']);
  });
});

/** Every shipped definition loads, and its steps match the digest in ../shared/REGULATIONS.md. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPath, deskFormOf, totalDuration, type ServiceDefinition, type StepDefinition } from '../../../common/regulations';
import { loadCatalog } from '../../../electron/services/regulations/catalog';

const dir = join(__dirname, '../../../resources/regulations');
const catalog = loadCatalog(dir);

function def(region: string, id: string): ServiceDefinition {
  const d = catalog.all.find((l) => l.definition.region === region && l.definition.id === id)?.definition;
  if (!d) throw new Error(`no ${region}/${id}`);
  return d;
}

const actor = (s: StepDefinition) => (s.specialty ? `${s.role}/${s.specialty}` : s.role);
const shape = (steps: StepDefinition[]) =>
  steps.map((s) => [actor(s), s.maxMinutes !== undefined ? `${s.maxMinutes} min` : `${s.maxWorkingDays} wd`]);

describe('shipped regulations', () => {
  it('all ten services load as one valid set', () => {
    expect(catalog.all).toHaveLength(10);
    expect(catalog.regions()).toEqual(['astana', 'atyrau']);
    expect(catalog.all.map((l) => `${l.definition.region}/${l.definition.id}`).sort()).toEqual([
      'astana/appointment',
      'astana/attachment',
      'astana/home-visit',
      'atyrau/appointment',
      'atyrau/attachment',
      'atyrau/hiv-examination',
      'atyrau/home-visit',
      'atyrau/narcology-certificate',
      'atyrau/psychoneurological-certificate',
      'atyrau/tb-certificate',
    ]);
  });

  it('index.json lists every definition file in the folder (no globbing at run time)', () => {
    const walk = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    const onDisk = walk(dir)
      .map((f) => relative(dir, f).split('\\').join('/'))
      .filter((f) => f.endsWith('.json') && f !== 'index.json')
      .sort();
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { files: string[] };
    expect([...index.files].sort()).toEqual(onDisk);
  });

  it('carries the acts: Astana 106-1923 of 29.12.2012, Atyrau 150 of 23.05.2014', () => {
    for (const l of catalog.all) {
      const d = l.definition;
      if (d.region === 'astana') expect([d.act.number, d.act.date]).toEqual(['106-1923', '2012-12-29']);
      else expect([d.act.number, d.act.date]).toEqual(['150', '2014-05-23']);
      expect(d.effectiveFrom > d.act.date).toBe(true);
      expect(d.titles.kk && d.titles.ru && d.titles.en).toBeTruthy();
    }
  });

  it('TB dispensary certificate: 4 steps × 15 min (operator, operator, cashier, phthisiatrician)', () => {
    const d = def('atyrau', 'tb-certificate');
    expect(shape(d.steps)).toEqual([
      ['operator', '15 min'],
      ['operator', '15 min'],
      ['cashier', '15 min'],
      ['physician/phthisiatrician', '15 min'],
    ]);
    expect(d.journal).toBe('certificate-issuance');
    expect(d.steps[2]!.skipWhen).toBe('fee-zero');
  });

  for (const [id, doctor] of [
    ['psychoneurological-certificate', 'physician/psychiatrist'],
    ['narcology-certificate', 'physician/narcologist'],
  ] as const) {
    it(`${id}: 5 steps 30/20/20/30/20 min, two signatures`, () => {
      const d = def('atyrau', id);
      expect(shape(defaultPath(d, 'desk'))).toEqual([
        ['registrar', '30 min'],
        ['registrar', '20 min'],
        ['cashier', '20 min'],
        [doctor, '30 min'],
        ['registrar', '20 min'],
      ]);
      expect(d.steps.filter((s) => s.signsResult).map(actor)).toEqual(['registrar', doctor]);
      expect(d.steps.find((s) => s.role === 'cashier')!.skipWhen).toBe('fee-zero');
    });
  }

  it('HIV examination: 20 min counselling, 10 min nurse, 3 working days; positive → no certificate', () => {
    const d = def('atyrau', 'hiv-examination');
    expect(shape(d.steps)).toEqual([
      ['physician/counselling', '20 min'],
      ['nurse', '10 min'],
      ['physician/counselling', '3 wd'],
    ]);
    expect(d.anonymousAllowed).toBe(true);
    const positive = d.steps[2]!.next.find((e) => e.when === 'result-positive');
    expect(positive?.to).toBe('done');
    expect(positive?.outcome?.code).toBe('positive-follow-up');
    expect(positive?.refusal).toBeUndefined();
    expect(d.journal).toBe('hiv-testing');
  });

  for (const region of ['astana', 'atyrau']) {
    it(`${region}: desk home visit and appointment ≤ 10 min, attachment ≤ 1 working day`, () => {
      for (const id of ['home-visit', 'appointment']) {
        const d = def(region, id);
        expect(d.channels).toEqual(['desk', 'phone', 'portal']);
        expect(totalDuration(d, 'desk')).toEqual({ maxMinutes: 10 });
        expect(totalDuration(d, 'phone')).toEqual({ maxMinutes: 10 });
        const last = defaultPath(d, 'desk').at(-1)!;
        expect([last.role, last.maxMinutes]).toEqual(['registrar', 10]);
      }
      const at = def(region, 'attachment');
      expect(at.channels).toEqual(['desk', 'portal']);
      expect(totalDuration(at, 'desk')).toEqual({ maxWorkingDays: 1 });
      expect(defaultPath(at, 'desk').at(-1)!.maxWorkingDays).toBe(1);
      expect(def(region, 'home-visit').journal).toBe('home-visit-calls');
      expect(def(region, 'appointment').journal).toBe('pre-registration');
      expect(at.journal).toBe('attachment');
    });
  }

  it('Astana e-services follow the appendix 1 tables (portal: table 1; provider: table 2)', () => {
    for (const id of ['home-visit', 'appointment', 'attachment']) {
      const d = def('astana', id);
      // table 1, actions 1, 3, 5, 6 on the success path: 30 s–1 min, 1.5 min, 30 s–1 min, 1 min
      expect(shape(defaultPath(d, 'portal')).slice(0, 4)).toEqual([
        ['citizen', '1 min'],
        ['citizen', '1.5 min'],
        ['portal', '1 min'],
        ['portal', '1 min'],
      ]);
      // refusal branches: actions 2 (30 s) and 4 (1.5 min)
      const byId = new Map(d.steps.map((s) => [s.id, s]));
      expect(byId.get('portal-auth-refused')!.maxMinutes).toBe(0.5);
      expect(byId.get('portal-signature-refused')!.maxMinutes).toBe(1.5);
      // table 2, actions 1, 2, 3, 5, 6: 10–15 s, 10 s, 1.5 min, 10–15 s, 1.5 min; action 4 (10–15 s) refuses
      expect(
        defaultPath(d, 'desk')
          .slice(0, 5)
          .map((s) => s.maxMinutes),
      ).toEqual([0.25, 0.17, 1.5, 0.25, 1.5]);
      expect(byId.get('desk-person-not-found')!.next[0]!.refusal?.code).toBe('person-not-found');
      expect(totalDuration(d, 'portal')).toEqual({ byEndOfWorkingDay: true });
      // Clause 9 of appendices 1 and 3: accepted until 2 hours before closing; appendix 2 has no such rule.
      expect(d.portalCutoffMinutesBeforeClose).toBe(id === 'appointment' ? undefined : 120);
      // Clause 3: the e-service is fully automated.
      expect(d.portalAnswering?.automation).toBe('full');
      expect(d.fee).toMatchObject({ kzt: 0, assumed: false });
    }
  });

  it('the grounds each portal service checks, and the automation the acts name (Atyrau cl. 2: partially automated)', () => {
    for (const region of ['astana', 'atyrau']) {
      const kinds = (id: string) => def(region, id).portalAnswering!.grounds.map((g) => g.kind);
      expect(kinds('home-visit')).toEqual(['person', 'attached', 'district', 'visit-window']);
      expect(kinds('appointment')).toEqual(['person', 'attached', 'free-slot']);
      expect(kinds('attachment')).toEqual(['person', 'not-attached-here', 'district']);
    }
    for (const id of ['home-visit', 'appointment', 'attachment']) {
      expect(def('atyrau', id).portalAnswering!.automation).toBe('partial');
      expect(def('atyrau', id).portalCutoffMinutesBeforeClose).toBeUndefined();
    }
    for (const l of catalog.all) {
      const d = l.definition;
      expect(!!d.portalAnswering).toBe(d.channels.includes('portal'));
      for (const g of d.portalAnswering?.grounds ?? []) expect(g.title.kk && g.title.ru && g.title.en).toBeTruthy();
    }
  });

  it('every portal request can end in a motivated refusal; every refusal has kk/ru/en reasons', () => {
    for (const l of catalog.all) {
      const d = l.definition;
      const refusals = d.steps.flatMap((s) => s.next.filter((e) => e.refusal).map((e) => e.refusal!));
      if (d.channels.includes('portal')) expect(refusals.some((r) => r.code === 'grounds-not-met')).toBe(true);
      for (const r of refusals) expect(r.reason.kk && r.reason.ru && r.reason.en).toBeTruthy();
    }
  });

  it('the fees that are our assumptions say so', () => {
    for (const l of catalog.all) {
      const { fee } = l.definition;
      if (fee.assumed) expect(fee.comment).toMatch(/ASSUMPTION/);
    }
    expect(def('atyrau', 'tb-certificate').fee.kzt).toBeGreaterThan(0);
  });

  it('declares the steps done through their own action: register checks, payments, signatures, the HIV label and result', () => {
    const declared = catalog.all
      .flatMap((l) =>
        l.definition.steps
          .filter((s) => s.action)
          .map((s) => `${l.definition.region}/${l.definition.id}/${s.id}: ${s.action}${s.register ? ` (${s.register})` : ''}`),
      )
      .sort();
    expect(declared).toEqual([
      'atyrau/hiv-examination/blood-draw: hiv-label',
      'atyrau/hiv-examination/post-test-counselling: hiv-result',
      'atyrau/narcology-certificate/documents-check: register-check (narcology)',
      'atyrau/narcology-certificate/journal-entry: signature',
      'atyrau/narcology-certificate/payment: payment',
      'atyrau/narcology-certificate/physician-sign: signature',
      'atyrau/psychoneurological-certificate/documents-check: register-check (psychiatric)',
      'atyrau/psychoneurological-certificate/journal-entry: signature',
      'atyrau/psychoneurological-certificate/payment: payment',
      'atyrau/psychoneurological-certificate/physician-sign: signature',
      'atyrau/tb-certificate/payment: payment',
      'atyrau/tb-certificate/register-check: register-check (tb)',
      'atyrau/tb-certificate/sign-issue: signature',
    ]);
    // Every cash-journal step is a payment and every signing step of a certificate is a signature (the HIV
    // certificate is issued on the result's release).
    for (const l of catalog.all) {
      for (const s of l.definition.steps) {
        if (s.journal === 'cash') expect(s.action).toBe('payment');
        if (s.signsResult) expect(s.action).toBe(l.definition.id === 'hiv-examination' ? 'hiv-result' : 'signature');
      }
    }
  });

  it('Astana table 2, act 5: the desk form is certified with the employee’s ЭЦҚ, with scans; Atyrau asks for none', () => {
    for (const id of ['home-visit', 'appointment', 'attachment']) {
      const form = deskFormOf(def('astana', id));
      expect(form?.step).toMatchObject({ id: 'desk-form-sign', role: 'registrar', maxMinutes: 0.25 });
      expect(form?.step.title.kk).toMatch(/Сканерленген құжаттарды бекіте отырып және ЭСҚ куәландыра/);
      expect(form?.form.certifiedBy).toBe('employee-signature');
    }
    expect(deskFormOf(def('astana', 'attachment'))!.form.scans).toEqual(['application', 'identity-document', 'birth-certificate']);
    expect(deskFormOf(def('astana', 'home-visit'))!.form.scans).toEqual(['identity-document']);
    for (const l of catalog.all.filter((x) => x.definition.region === 'atyrau')) expect(deskFormOf(l.definition)).toBeNull();
  });

  it('in force by date: Astana from 2013-02-19, Atyrau from 2014-07-04', () => {
    expect(catalog.inForce('astana', '2013-02-18')).toHaveLength(0);
    expect(catalog.inForce('astana', '2013-02-19')).toHaveLength(3);
    expect(catalog.inForce('atyrau', '2014-07-03')).toHaveLength(0);
    expect(catalog.inForce('atyrau', new Date('2014-07-03T19:30:00Z'))).toHaveLength(7); // already 4 July in Almaty
    expect(catalog.byId('tb-certificate', 'atyrau', '2015-01-01')?.steps).toHaveLength(4);
    expect(catalog.byId('tb-certificate', 'astana', '2015-01-01')).toBeUndefined();
  });
});

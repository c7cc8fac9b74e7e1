/**
 * How a service's portal requests are answered, as regulation data (issue 15, point 2): the form of the e-service
 * the act names (Astana 2013 cl. 3 "ЭМҚ нысаны толық автоматтандырылған" — fully automated; Atyrau 2014 cl. 2
 * "электрондық (ішінара автоматтандырылған)" — partially automated) and the grounds of condition 3 the provider
 * checks before answering, each with its title in kk/ru/en. The code keeps one checker per ground kind
 * (electron/services/erequests/grounds.ts); which kinds a service checks, and in what order, is the data's.
 *
 * A ground's result carries its detail as a code with parameters (`GroundDetail`), rendered through i18n on the
 * registrar's screen, so no English text reaches a kk/ru user.
 */
import { z } from 'zod';
import { issueAt } from './regulation-issues';

/**
 * The kinds of ground a checker exists for. `person`: in the population register (ЖТ МДБ); `attached`: attached to
 * this organization; `not-attached-here`: not attached here yet (an attachment request); `district`: the address
 * lies in one of the organization's districts; `visit-window`: a district doctor can visit on the day of the
 * application; `free-slot`: the chosen time in the doctor's timetable is free.
 */
export const GROUND_KINDS = ['person', 'attached', 'not-attached-here', 'district', 'visit-window', 'free-slot'] as const;
export type GroundKind = (typeof GROUND_KINDS)[number];

/** The e-request content type (= service id) a kind needs to read its fields; absent: any content. */
export const GROUND_NEEDS_SERVICE: Partial<Record<GroundKind, string>> = {
  'not-attached-here': 'attachment',
  'visit-window': 'home-visit',
  'free-slot': 'appointment',
};

/** `full`: the rules answer (the act says fully automated); `partial`: a registrar answers unless the organization lets the rules. */
export const AUTOMATION_LEVELS = ['full', 'partial'] as const;
export type AutomationLevel = (typeof AUTOMATION_LEVELS)[number];

const oneOf = <const T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, {
    error: (issue) =>
      issue.input === undefined
        ? `missing ${what}`
        : `unknown ${what} ${JSON.stringify(issue.input)}; expected one of: ${values.join(', ')}`,
  });

const text = z.object({ kk: z.string().min(1), ru: z.string().min(1), en: z.string().min(1) }).strict();

export const portalAnsweringSchema = z
  .object({
    /** The form of the e-service as the act states it (the clause is quoted in the file's `$comment`). */
    automation: oneOf(AUTOMATION_LEVELS, 'automation level'),
    /** The grounds checked, in order; `person` first (nothing else can be checked without the person). */
    grounds: z
      .array(
        z
          .object({
            kind: oneOf(GROUND_KINDS, 'ground kind'),
            title: text,
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type PortalAnswering = z.infer<typeof portalAnsweringSchema>;

/** Semantic checks of a definition's portal answering; `path` is relative to the definition. */
export function checkPortalAnswering(def: {
  id: string;
  channels: readonly string[];
  portalAnswering?: PortalAnswering | undefined;
  portalCutoffMinutesBeforeClose?: number | undefined;
}): ReturnType<typeof issueAt>[] {
  const issues: ReturnType<typeof issueAt>[] = [];
  const portal = def.channels.includes('portal');
  if (!portal) {
    if (def.portalAnswering) issues.push(issueAt('portalAnswering', 'portal-without-channel'));
    if (def.portalCutoffMinutesBeforeClose !== undefined) issues.push(issueAt('portalCutoffMinutesBeforeClose', 'portal-without-channel'));
    return issues;
  }
  if (!def.portalAnswering) {
    issues.push(issueAt('portalAnswering', 'portal-answering-missing'));
    return issues;
  }
  const seen = new Set<string>();
  def.portalAnswering.grounds.forEach((g, i) => {
    const at = `portalAnswering.grounds[${i}].kind`;
    if (seen.has(g.kind)) issues.push(issueAt(at, 'duplicate-ground', { kind: g.kind }));
    seen.add(g.kind);
    const needs = GROUND_NEEDS_SERVICE[g.kind];
    if (needs && needs !== def.id) issues.push(issueAt(at, 'ground-other-service', { kind: g.kind, service: needs }));
    if (i === 0 && g.kind !== 'person') issues.push(issueAt(at, 'first-ground-person'));
  });
  return issues;
}

// ---------------------------------------------------------------------------------------------------------------
// The result of a ground check, as stored with the e-request and shown to the registrar

/**
 * A ground's detail as a code with parameters (values are names, numbers, dates, times: never words). The renderer
 * shows `erequests.details.<code>` with the parameters in the user's language.
 */
export const GROUND_DETAIL_CODES = [
  'signed-by',
  'signature-bad',
  'regulation-in-force',
  'regulation-adopted',
  'no-regulation',
  'cutoff-ok',
  'cutoff-late',
  'cutoff-day-off',
  'person-found',
  'person-not-found',
  'attached',
  'not-attached',
  'already-attached',
  'not-attached-yet',
  'district',
  'address-missing',
  'address-outside',
  'visit-window',
  'no-visit-window',
  'visit-day-passed',
  'visit-window-passed',
  'slot-free',
  'slot-taken',
  'no-such-doctor',
] as const;
export type GroundDetailCode = (typeof GROUND_DETAIL_CODES)[number];

export interface GroundDetail {
  code: GroundDetailCode;
  params?: Record<string, string | number>;
}

export interface GroundResult extends GroundDetail {
  /** The ground kind, or one of the fixed checks: `signature`, `in-force`, `cutoff`. */
  check: string;
  ok: boolean;
  /** The same in English, for logs and audit; rows stored before issue 15 have only this. */
  detail: string;
  /** The ground's title from the regulation data. */
  title?: { kk: string; ru: string; en: string };
}

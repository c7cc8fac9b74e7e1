/**
 * An organization's interim internal standard (issue 15, point 3): when the act that regulated a service is
 * repealed and no successor is in force yet, an administrator may adopt the repealed act as the organization's own
 * interim standard, recording who, when and why. The adoption is the organization's visible choice: every desk
 * shows it in a banner and every printout that cites the act says so. Importing a successor closes it.
 *
 * An adoption covers one act of one region (`region/number`): every definition of that act, on every day after the
 * act's own end, where no definition is in force. It never changes a definition's period, and an act in force
 * always wins over an adopted one.
 *
 * Here, in common/, because every desk of the organization receives adoptions through sync (shared kind
 * `regulation-adoption`) and the renderer shows them.
 */
import { z } from 'zod';
import { dateText } from './format';

/** The operation (outbox kind) an adoption or its closing travels as; its shared row is `regulation-adoption`. */
export const ADOPTION_OP = 'regulation.adoption';

const person = z.object({ login: z.string().min(1).max(80), fullName: z.string().min(1).max(200) }).strict();

export const adoptionSchema = z
  .object({
    /** `region/actNumber`: one adoption per act. */
    key: z.string().min(3).max(200),
    region: z.string().min(1).max(80),
    act: z
      .object({
        number: z.string().min(1).max(80),
        date: z.string().regex(/^\d{4}-\d\d-\d\d$/),
        issuer: z.object({ kk: z.string(), ru: z.string() }).strict(),
        /** The act's own last day in force. */
        effectiveTo: z.string().regex(/^\d{4}-\d\d-\d\d$/),
      })
      .strict(),
    adoptedAt: z.string().min(10).max(40),
    adoptedBy: person,
    reason: z.string().min(1).max(500),
    /** Set when closed: the adopted act no longer applies from `closedOn` (a local date). */
    closed: z
      .object({
        at: z.string().min(10).max(40),
        by: person,
        on: z.string().regex(/^\d{4}-\d\d-\d\d$/),
        reason: z.string().min(1).max(500),
        /** The imported successor that closed it, when an import did. */
        successorKey: z.string().max(200).nullable(),
      })
      .strict()
      .nullable(),
  })
  .strict();
export type Adoption = z.infer<typeof adoptionSchema>;

export const adoptionKey = (region: string, actNumber: string): string => `${region}/${actNumber}`;

/** Whether an adoption makes its act apply on a local day (after the act's end, before the closing). */
export function adoptionAppliesOn(a: Adoption, isoDate: string): boolean {
  return isoDate > a.act.effectiveTo && (a.closed === null || isoDate < a.closed.on);
}

/**
 * The line a printout or banner carries under the act it cites (kk/ru/en), naming who adopted it, when and why.
 * Printouts use kk and ru only; the date is written the way both texts write dates (dd.mm.yyyy).
 */
export function adoptionNote(a: Adoption, lang: 'kk' | 'ru' | 'en'): string {
  const day = dateText(a.adoptedAt, lang);
  switch (lang) {
    case 'kk':
      return `Күші жойылған акт ұйымның уақытша ішкі стандарты ретінде қабылданған (${day}, ${a.adoptedBy.fullName}; негізі: ${a.reason})`;
    case 'ru':
      return `Утративший силу акт принят организацией как временный внутренний стандарт (${day}, ${a.adoptedBy.fullName}; основание: ${a.reason})`;
    default:
      return `Repealed act adopted by the organization as its interim internal standard (${day}, ${a.adoptedBy.fullName}; reason: ${a.reason})`;
  }
}

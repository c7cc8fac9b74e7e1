/** Domain shapes shared by the main process and the renderer (zod schemas double as TypeScript types). */
import { z } from 'zod';
import { parseIin } from './iin';
import { isValidIsoDate } from './working-calendar';
import { LANGUAGES, ROLES, SPECIALTIES } from './roles';

export const roleSchema = z.enum(ROLES);
export const specialtySchema = z.enum(SPECIALTIES);
export const languageSchema = z.enum(LANGUAGES);

/** A syntactically and arithmetically valid IIN (check digit, real birth date). */
export const iinSchema = z
  .string()
  .trim()
  .refine((v) => parseIin(v).valid, { message: 'invalid IIN' });

/**
 * A real calendar date `YYYY-MM-DD` between 1900 and 2100: `2026-02-30` or `9999-99-99` are refused by the contract
 * (naming the field), never reach a service, and never become an internal error (issue 14).
 */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((v) => isValidIsoDate(v) && v >= '1900-01-01' && v <= '2100-12-31', { message: 'not a real date' });
export const sexSchema = z.enum(['M', 'F']);

/** Names: letters of any script, spaces, hyphens and apostrophes; trimmed; no control characters. */
const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/^[\p{L}][\p{L}\p{M}' -]*$/u, 'letters, spaces, hyphens and apostrophes only');

export const personSchema = z.object({
  iin: z.string(),
  surname: z.string(),
  givenName: z.string(),
  patronymic: z.string().nullable(),
  birthDate: isoDateSchema,
  sex: sexSchema,
  address: z.string().nullable(),
  phone: z.string().nullable(),
  /** `register`: from the population register (ЖТ МДБ); `manual`: entered by staff when not found there. */
  source: z.enum(['register', 'manual']),
});
export type Person = z.infer<typeof personSchema>;

export const phoneSchema = z
  .string()
  .trim()
  .max(32)
  .regex(/^\+?[0-9 ()-]{5,}$/, 'digits, spaces, brackets and hyphens');

export const newPersonSchema = z.object({
  iin: iinSchema,
  surname: nameSchema,
  givenName: nameSchema,
  patronymic: nameSchema.nullable().optional(),
  address: z.string().trim().max(200).nullable().optional(),
  phone: phoneSchema.nullable().optional(),
});
export type NewPerson = z.infer<typeof newPersonSchema>;

export const staffSchema = z.object({
  id: z.number().int(),
  login: z.string(),
  fullName: z.string(),
  iin: z.string().nullable(),
  role: roleSchema,
  specialty: specialtySchema.nullable(),
  language: languageSchema,
  disabled: z.boolean(),
  locked: z.boolean(),
  mustChangePassword: z.boolean(),
});
export type Staff = z.infer<typeof staffSchema>;

export const organizationSchema = z.object({
  bin: z.string(),
  name: z.object({ kk: z.string(), ru: z.string(), en: z.string() }),
  region: z.string(),
  timezone: z.string(),
  address: z.string(),
  workstationPrefix: z.string(),
});
export type Organization = z.infer<typeof organizationSchema>;

export const sessionInfoSchema = z.object({
  staff: staffSchema,
  organization: organizationSchema,
  /** The screen is locked (idle, or locked by hand): only unlocking or logging out is possible until then. */
  locked: z.boolean(),
  /** Minutes without a key or mouse movement before the window locks itself (the organization's setting). */
  idleMinutes: z.number().int(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const loginSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(40)
  .regex(/^[a-z0-9._-]+$/, 'lower-case Latin letters, digits, dot, hyphen, underscore');

/** At least 8 characters with a letter and a digit: enough for a shared front-desk PC, short enough to type. */
export const passwordSchema = z
  .string()
  .min(8)
  .max(128)
  .refine((p) => /\p{L}/u.test(p) && /\d/.test(p), { message: 'a letter and a digit' });

/**
 * A person's record from what was typed and what the valid IIN itself says (birth date, sex): the one builder for a
 * registrar's manual entry and for rows put into the register (tests, demo).
 */
export function personRecord(
  input: Omit<NewPerson, 'iin'>,
  iin: { iin: string; birthDate: string; sex: 'M' | 'F' },
  source: Person['source'],
): Person {
  return {
    iin: iin.iin,
    surname: input.surname,
    givenName: input.givenName,
    patronymic: input.patronymic ?? null,
    birthDate: iin.birthDate,
    sex: iin.sex,
    address: input.address ?? null,
    phone: input.phone ?? null,
    source,
  };
}

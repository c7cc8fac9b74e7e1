/**
 * The one API contract between the renderer and the main process.
 *
 * Each method is `domain.verb` with zod schemas for its arguments and result and the roles that may call it.
 * The preload exposes exactly these names; electron/ipc.ts and electron/webhost.ts validate with the same schemas
 * through one dispatcher (electron/services/dispatcher.ts), which also enforces `roles`. Adding a method is one
 * entry here and one handler in electron/services/handlers.ts.
 */
import { z } from 'zod';
import type { Role } from './roles';
import {
  languageSchema,
  loginSchema,
  newPersonSchema,
  organizationSchema,
  passwordSchema,
  personSchema,
  roleSchema,
  sessionInfoSchema,
  specialtySchema,
  staffSchema,
} from './schemas';

/** `public`: callable before login (only login itself); `staff`: any logged-in role; or a list of roles. */
export type Access = 'public' | 'staff' | readonly Role[];

export interface MethodSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  access: Access;
  args: A;
  result: R;
}

function method<A extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<A, R>): MethodSpec<A, R> {
  return spec;
}

const none = z.object({}).strict();
const okResult = z.object({ ok: z.literal(true) });

export const api = {
  'session.login': method({
    access: 'public',
    args: z.object({ login: z.string().trim().min(1).max(40), password: z.string().min(1).max(128) }).strict(),
    result: sessionInfoSchema,
  }),
  'session.current': method({ access: 'public', args: none, result: sessionInfoSchema.nullable() }),
  'session.logout': method({ access: 'public', args: none, result: okResult }),
  'session.setLanguage': method({ access: 'staff', args: z.object({ language: languageSchema }).strict(), result: okResult }),
  'session.changePassword': method({
    access: 'staff',
    args: z.object({ current: z.string().min(1).max(128), next: passwordSchema }).strict(),
    result: okResult,
  }),

  'people.findByIin': method({
    access: 'staff',
    // The IIN's arithmetic is checked by the handler so the user hears *why* it is invalid.
    args: z.object({ iin: z.string().trim().max(20) }).strict(),
    result: personSchema.nullable(),
  }),
  'people.search': method({
    access: 'staff',
    args: z.object({ query: z.string().trim().min(1).max(100), limit: z.number().int().min(1).max(50).default(20) }).strict(),
    result: z.object({ people: z.array(personSchema), more: z.boolean() }),
  }),
  'people.createManual': method({
    access: ['registrar', 'operator', 'administrator'],
    args: newPersonSchema.strict(),
    result: personSchema,
  }),

  'org.get': method({ access: 'staff', args: none, result: organizationSchema }),

  'staff.list': method({ access: ['administrator'], args: none, result: z.array(staffSchema) }),
  'staff.create': method({
    access: ['administrator'],
    args: z
      .object({
        login: loginSchema,
        fullName: z.string().trim().min(3).max(120),
        iin: z.string().trim().max(12).nullable().optional(),
        role: roleSchema,
        specialty: specialtySchema.nullable().optional(),
      })
      .strict(),
    result: z.object({ staff: staffSchema, temporaryPassword: z.string() }),
  }),
  'staff.setDisabled': method({
    access: ['administrator'],
    args: z.object({ id: z.number().int().positive(), disabled: z.boolean() }).strict(),
    result: staffSchema,
  }),
  'staff.resetPassword': method({
    access: ['administrator'],
    args: z.object({ id: z.number().int().positive() }).strict(),
    result: z.object({ staff: staffSchema, temporaryPassword: z.string() }),
  }),
} as const satisfies Record<string, MethodSpec>;

export type Api = typeof api;
export type ApiMethod = keyof Api;
export type ApiArgs<M extends ApiMethod> = z.input<Api[M]['args']>;
export type ApiParsedArgs<M extends ApiMethod> = z.output<Api[M]['args']>;
export type ApiResult<M extends ApiMethod> = z.output<Api[M]['result']>;

export const API_METHODS = Object.keys(api) as ApiMethod[];

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(api, name);
}

/**
 * Contract slice `session.*`: logging in and out, the current session, the user's language and password.
 * Handlers: electron/services/handlers/session.ts (electron/services/auth.ts).
 */
import { z } from 'zod';
import { languageSchema, passwordSchema, sessionInfoSchema } from '../schemas';
import { defineSlice, method, none, okResult } from './spec';

export const sessionApi = defineSlice(['session'], {
  'session.login': method({
    access: 'public',
    args: z.object({ login: z.string().trim().min(1).max(40), password: z.string().min(1).max(128) }).strict(),
    result: sessionInfoSchema,
  }),
  'session.current': method({ access: 'public', args: none, result: sessionInfoSchema.nullable() }),
  'session.logout': method({ access: 'public', args: none, result: okResult }),
  // Lock the screen (idle, or the person steps away): the session and every unsaved form stay under the lock.
  'session.lock': method({ access: 'staff', args: none, result: okResult }),
  // The same person's password opens it again; wrong passwords count towards the account's lock-out.
  'session.unlock': method({
    access: 'staff',
    args: z.object({ password: z.string().min(1).max(128) }).strict(),
    result: sessionInfoSchema,
  }),
  'session.setIdleMinutes': method({
    access: ['administrator'],
    args: z.object({ minutes: z.number().int().min(1).max(120) }).strict(),
    result: okResult,
  }),
  'session.setLanguage': method({ access: 'staff', args: z.object({ language: languageSchema }).strict(), result: okResult }),
  'session.changePassword': method({
    access: 'staff',
    args: z.object({ current: z.string().min(1).max(128), next: passwordSchema }).strict(),
    result: okResult,
  }),
});

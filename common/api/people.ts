/**
 * Contract slice `people.*`: finding a person by IIN or name and entering one by hand.
 * Handlers: electron/services/handlers/people.ts (electron/services/people.ts).
 */
import { z } from 'zod';
import { newPersonSchema, personSchema } from '../schemas';
import { defineSlice, method } from './spec';

export const peopleApi = defineSlice(['people'], {
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
});

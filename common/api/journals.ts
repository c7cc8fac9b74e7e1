/**
 * Contract slice `journals.*` (issue 4): the desk's three journals, listed and exported (PDF, CSV, XLSX).
 * Handlers: electron/services/handlers/journals.ts (electron/services/desk/journals.ts).
 */
import { z } from 'zod';
import { journalQuerySchema, journalResultSchema } from '../desk';
import { defineSlice, method } from './spec';

export const journalsApi = defineSlice(['journals'], {
  'journals.list': method({ access: 'staff', args: journalQuerySchema, result: journalResultSchema }),
  'journals.export': method({
    access: 'staff',
    args: journalQuerySchema.extend({ format: z.enum(['pdf', 'csv', 'xlsx']) }),
    result: z.object({ fileName: z.string(), mime: z.string(), base64: z.string() }),
  }),
});

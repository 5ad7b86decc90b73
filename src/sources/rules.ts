import { z } from 'zod';

const name = z.string().trim().min(1, 'Name the source.').max(80);

/** A source as the organiser adds or edits it: an uploaded results file, or an address to pull. */
export const sourceInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('upload'), name }),
  z.object({
    kind: z.literal('url'),
    name,
    url: z
      .string()
      .trim()
      .url('Give the full address of the results file, starting with https://.')
      .refine((u) => /^https?:\/\//i.test(u), 'Only http and https addresses can be pulled.'),
  }),
]);
export type SourceInput = z.infer<typeof sourceInputSchema>;

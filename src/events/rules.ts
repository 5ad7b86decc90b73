import { z } from 'zod';
import { cleanText } from '../records/text';

/** An event's address: lower-case letters, digits and inner dashes, at most 80 characters. */
export const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;
/** A route parameter that cannot be a slug is simply not found. */
export const slugSchema = z.string().regex(slugPattern);

/** Event fields as an organiser types them; the same rules serve the admin form and the API. */
export const eventInputSchema = z.object({
  // Printed on every certificate: cleaned as a participant's name is.
  name: z.string().overwrite(cleanText).min(1, 'Give the event a name.').max(120),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(slugPattern, 'Use lower-case letters, digits and dashes for the address, e.g. city-marathon-2026.'),
  date: z
    .string()
    .trim()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'Use a date like 2026-04-19.')
    .optional()
    .transform((d) => d || null),
  location: z
    .string()
    .overwrite(cleanText)
    .max(120)
    .optional()
    .transform((l) => l || null),
});
export type EventInput = z.infer<typeof eventInputSchema>;

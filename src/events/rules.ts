import { z } from 'zod';
import type { Event } from '../db/schema';
import { cleanText } from '../records/text';

/** An event's address: lower-case letters, digits and inner dashes, at most 80 characters. */
export const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;
/** A route parameter that cannot be a slug is simply not found. */
export const slugSchema = z.string().regex(slugPattern);

// RFC 5646 asks that tags of 35 characters be kept whole; a tag for setting type needs far fewer.
const MAX_LANGUAGE_TAG = 35;

/**
 * THE language rule, for an event's participants and for a record of its own: a BCP 47 tag,
 * canonicalised ("JA" → "ja", "zh-hant" → "zh-Hant", "ja_JP" → "ja-JP"), or null when empty.
 * The language subtag must have two or three letters, as every living language's has: "Japanese"
 * or "Deutsch" has the shape of a tag but names no language.
 */
export const languageSchema = z
  .string({ error: 'Give the language as a tag such as ja, zh-Hant, ur or fa.' })
  .trim()
  .nullish()
  .transform((tag, ctx): string | null => {
    if (!tag) return null;
    let canonical: string | undefined;
    try {
      // POSIX locales (ja_JP) are common in exports; BCP 47 writes them with a hyphen.
      [canonical] = tag.length <= MAX_LANGUAGE_TAG ? Intl.getCanonicalLocales(tag.replaceAll('_', '-')) : [];
    } catch {
      canonical = undefined;
    }
    if (!canonical || !/^[a-z]{2,3}(?:-|$)/.test(canonical)) {
      const shown = tag.length > 40 ? `${tag.slice(0, 40)}…` : tag;
      ctx.addIssue({
        code: 'custom',
        message: `“${shown}” is not a language tag. Use a BCP 47 tag such as ja (Japanese), zh-Hant, ur or fa.`,
      });
      return z.NEVER;
    }
    return canonical;
  });

/** Languages offered in forms, where script alone does not say how names are drawn; any other tag may be typed. */
export const commonLanguages: [tag: string, label: string][] = [
  ['ja', 'Japanese'],
  ['zh-Hans', 'Chinese (Simplified)'],
  ['zh-Hant', 'Chinese (Traditional)'],
  ['zh-HK', 'Chinese (Hong Kong)'],
  ['ko', 'Korean'],
  ['vi', 'Vietnamese'],
  ['ar', 'Arabic'],
  ['fa', 'Persian'],
  ['ur', 'Urdu'],
  ['he', 'Hebrew'],
  ['hi', 'Hindi'],
  ['th', 'Thai'],
  ['ru', 'Russian'],
  ['uk', 'Ukrainian'],
  ['sr', 'Serbian'],
  ['bg', 'Bulgarian'],
  ['el', 'Greek'],
  ['tr', 'Turkish'],
];

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
    .nullish()
    .transform((d) => d || null),
  location: z
    .string()
    .overwrite(cleanText)
    .max(120)
    .nullish()
    .transform((l) => l || null),
  language: languageSchema,
});
export type EventInput = z.infer<typeof eventInputSchema>;

/** The fields of a stored event that the rule covers, to merge a partial change into. */
export const eventInputOf = (event: Event) => ({
  name: event.name,
  slug: event.slug,
  date: event.date,
  location: event.location,
  language: event.language,
});

/** Fields an API PATCH of an event may change; anything left out keeps its value, null clears one. */
export const eventPatchSchema = z
  .object({
    name: z.string(),
    slug: z.string(),
    date: z.string().nullable(),
    location: z.string().nullable(),
    language: z.string().nullable(),
  })
  .partial()
  .strict();

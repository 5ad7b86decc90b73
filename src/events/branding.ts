import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { assetKey } from '../assets/keys';
import type { Database } from '../db/client';
import { events, type Event } from '../db/schema';

/**
 * What the accent colour carries on the portal (src/ui/styles.css): white text on buttons, and
 * itself as the text of links and secondary buttons on the page's background.
 */
export const accentCarries = [
  { colour: '#ffffff', as: 'white text on buttons' },
  { colour: '#f6f7f9', as: 'links on the page background' },
] as const;

/** WCAG AA for normal text. */
export const MIN_CONTRAST = 4.5;

const channel = (hex: string, at: number) => {
  const c = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};

/** A `#rrggbb` colour's relative luminance (WCAG 2). */
const luminance = (hex: string) => 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);

/** The WCAG contrast ratio of two `#rrggbb` colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

/** Rounded down, so 4.497 never reads as a passing 4.50. */
export const formatRatio = (ratio: number) => `${(Math.floor(ratio * 100) / 100).toFixed(2)}:1`;

/** The accent against what it carries, worst first: what the organiser is shown and what is checked. */
export const accentContrast = (accent: string) =>
  accentCarries
    .map((carried) => ({ ...carried, ratio: contrastRatio(accent, carried.colour) }))
    .sort((a, b) => a.ratio - b.ratio);

/** An accent colour: `#rrggbb`, lowercased, readable (AA) in every place it is used. */
export const accentColourSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^#[0-9a-f]{6}$/, 'An accent colour is written #rrggbb, e.g. #0b6e4f.')
  .superRefine((accent, ctx) => {
    const worst = accentContrast(accent)[0]!;
    if (worst.ratio < MIN_CONTRAST) {
      ctx.addIssue({
        code: 'custom',
        message: `${accent} has a contrast of ${formatRatio(worst.ratio)} with ${worst.as}; WCAG AA asks for at least ${MIN_CONTRAST}:1. Choose a darker colour.`,
      });
    }
  });

/** The branding form: an empty accent is the portal's own. Uploads are read apart (they are files). */
export const brandingInputSchema = z.object({
  accentColour: z.union([z.literal('').transform(() => null), accentColourSchema]).default(''),
  removeLogo: z.literal('on').optional(),
  removeCover: z.literal('on').optional(),
});

export type Branding = Pick<Event, 'accentColour' | 'logoHash' | 'coverHash'>;

/** Saves the event's look. A new accent gives its certificates new image URLs (the share card's frame). */
export async function saveBranding(db: Database, eventId: number, branding: Branding): Promise<void> {
  await db.update(events).set(branding).where(eq(events.id, eventId));
}

/** Whether a hash is one of the images the event shows on its portal pages (so the public may fetch it). */
const showsImage = (event: Branding, hash: string) => hash === event.logoHash || hash === event.coverHash;

/** The bytes of one of the event's portal images from R2, or undefined when the hash is not one of them. */
export const eventImageFile = (files: R2Bucket, event: Branding, hash: string) =>
  showsImage(event, hash) ? files.get(assetKey(hash)) : Promise.resolve(undefined);

import { z } from 'zod';
import { socialVariants, variants, type SocialVariant } from './variants';

/** Font families bundled with the renderer (see fonts.ts); the layout can only name these. */
export const fontFamilies = ['Noto Sans', 'Noto Serif'] as const;
export type FontFamily = (typeof fontFamilies)[number];
export type FontWeight = 400 | 700;

const colour = z.string().regex(/^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i, 'must be a hex colour such as #1a2b3c');
const px = z.number().finite().min(0).max(10_000);

const box = {
  x: px,
  y: px,
  width: px.positive(),
  height: px.positive(),
};

/** Show an element only when a record field compares as given, e.g. only when status is finished. */
const condition = z.object({
  field: z.string().min(1).max(64),
  op: z.enum(['eq', 'ne', 'lte', 'gte', 'present', 'absent']),
  value: z.union([z.string().max(200), z.number()]).optional(),
});

/** An uploaded asset, by the hash of its bytes (see src/assets). */
const assetHash = z.string().regex(/^[0-9a-f]{32}$/, 'must be the id of an uploaded file');
/** How an image fills its box: all of it shown (contain), or the box filled and the rest cropped (cover). */
const imageFit = z.enum(['contain', 'cover']);

const textElement = z.object({
  type: z.literal('text'),
  ...box,
  /** Static text with `{placeholders}` filled from the record and event. */
  text: z.string().min(1).max(500),
  font: z.object({
    family: z.enum(fontFamilies).default('Noto Sans'),
    weight: z.union([z.literal(400), z.literal(700)]).default(400),
    size: z.number().min(4).max(1000),
    colour: colour.default('#111111'),
    letterSpacing: z.number().min(-10).max(100).default(0),
    lineHeight: z.number().min(0.8).max(3).default(1.2),
    /** An uploaded font, drawn first; the family supplies whatever it has no glyph for. */
    asset: assetHash.optional(),
  }),
  align: z.enum(['left', 'center', 'right']).default('center'),
  uppercase: z.boolean().default(false),
  /** Lines allowed before the text shrinks instead. */
  maxLines: z.number().int().min(1).max(10).default(1),
  when: condition.optional(),
});

const rectElement = z.object({
  type: z.literal('rect'),
  ...box,
  fill: colour.optional(),
  stroke: colour.optional(),
  strokeWidth: z.number().min(0).max(200).default(0),
  radius: z.number().min(0).max(5000).default(0),
  when: condition.optional(),
});

/** A QR code, by default of the certificate's verify URL, so anyone holding a print can check it. */
const qrElement = z.object({
  type: z.literal('qr'),
  ...box,
  value: z.string().min(1).max(500).default('{verifyUrl}'),
  colour: colour.default('#111111'),
  background: colour.optional(),
  when: condition.optional(),
});

/** An uploaded logo, sponsor or photo. */
const imageElement = z.object({
  type: z.literal('image'),
  ...box,
  asset: assetHash,
  fit: imageFit.default('contain'),
  when: condition.optional(),
});

/**
 * The participant's own photo (uploaded on the Photos page), or the fallback image where the record
 * has none; with neither, nothing.
 */
const photoElement = z.object({
  type: z.literal('photo'),
  ...box,
  fallback: assetHash.optional(),
  fit: imageFit.default('cover'),
  when: condition.optional(),
});

/** The field that carries a record's photo (its upload's hash) to photo elements; null when it has none. */
export const photoField = 'photo';

export const elementSchema = z.discriminatedUnion('type', [
  textElement,
  rectElement,
  qrElement,
  imageElement,
  photoElement,
]);

// Each member is strict: a union takes its first match, and a lenient `{ colour }` matched an image
// background (which has a colour too) and dropped its image. A background is one kind or refused,
// whatever order the members or its keys come in.
const background = z.union(
  [
    /** An uploaded image over a colour, which shows where a contained image leaves the page bare. */
    z.strictObject({
      image: z.object({ asset: assetHash, fit: imageFit.default('cover') }),
      colour: colour.default('#ffffff'),
    }),
    z.strictObject({
      gradient: z.object({ from: colour, to: colour, angle: z.number().min(0).max(360).default(135) }),
    }),
    z.strictObject({ colour }),
  ],
  { error: 'A background is { colour }, { gradient } or { image, colour }, with nothing else.' },
);

/**
 * What one design may hold, so that any certificate renders well inside a Worker's 128 MB and CPU
 * time: a page's pixels are held several times over (and twice over again for a PDF's 300 dpi
 * fallback), and each text element is measured and fitted (200 took 25 s).
 */
export const designLimits = { side: 4000, pixels: 4_500_000, elements: 60, texts: 30, images: 10 } as const;

/** Named page sizes, in pixels at the 150 dpi templates are laid out in (print sizes) or as used online. */
export const pagePresets = {
  'a4-landscape': { width: 1754, height: 1240 },
  'a4-portrait': { width: 1240, height: 1754 },
  'letter-landscape': { width: 1650, height: 1275 },
  'letter-portrait': { width: 1275, height: 1650 },
  square: variants.square.size,
  story: variants.story.size,
  share: variants.share.size,
} as const;

const presetSize = (preset: keyof typeof pagePresets, side: 'width' | 'height', size: number | undefined) =>
  size === undefined || size === pagePresets[preset][side];

/**
 * A page is a preset (`{ "preset": "a4-portrait" }`) or a custom size; either way it ends up as a
 * size. A preset page comes back from the designer with its size, which must be the preset's: a
 * preset and another size are refused rather than one of them dropped.
 */
const page = z.union(
  [
    z
      .strictObject({
        preset: z.enum(Object.keys(pagePresets) as [keyof typeof pagePresets]),
        width: z.number().optional(),
        height: z.number().optional(),
      })
      .refine((p) => presetSize(p.preset, 'width', p.width) && presetSize(p.preset, 'height', p.height))
      .transform(({ preset }) => ({ preset, ...pagePresets[preset] })),
    z
      .strictObject({
        width: z
          .number()
          .int()
          .min(100)
          .max(designLimits.side, `A page may be at most ${designLimits.side} px on a side.`),
        height: z
          .number()
          .int()
          .min(100)
          .max(designLimits.side, `A page may be at most ${designLimits.side} px on a side.`),
      })
      .refine((p) => p.width * p.height <= designLimits.pixels, {
        message: `A page may have at most ${designLimits.pixels / 1e6} million pixels (A4 at 150 dpi has 2.2 million).`,
      }),
  ],
  { error: "A page is { preset } or { width, height }; a preset page's size, if given, is the preset's." },
);

const counted = (elements: LayoutElement[], type: string) => elements.filter((e) => e.type === type).length;

const design = z.object({
  page,
  background,
  elements: z
    .array(elementSchema)
    .max(designLimits.elements, `A design may have at most ${designLimits.elements} elements.`)
    .refine((elements) => counted(elements, 'text') <= designLimits.texts, {
      message: `A design may have at most ${designLimits.texts} text elements.`,
    })
    .refine((elements) => counted(elements, 'image') + counted(elements, 'photo') <= designLimits.images, {
      message: `A design may have at most ${designLimits.images} images.`,
    }),
});

const socialDesigns = Object.fromEntries(socialVariants.map((v) => [v, design.optional()])) as Record<
  SocialVariant,
  z.ZodOptional<typeof design>
>;

/**
 * A certificate template's layout: the certificate itself, plus designs of its own for the social
 * variants (see variants.ts) where the organiser wants one; any variant without one is adapted
 * from the certificate (see adapt.ts).
 */
export const layoutSchema = design.extend({ schema: z.literal(1), ...socialDesigns });

export type Layout = z.infer<typeof layoutSchema>;
export type Design = z.infer<typeof design>;
export type LayoutElement = z.infer<typeof elementSchema>;
export type TextElement = z.infer<typeof textElement>;
export type RectElement = z.infer<typeof rectElement>;
export type QrElement = z.infer<typeof qrElement>;
export type ImageElement = z.infer<typeof imageElement>;
export type PhotoElement = z.infer<typeof photoElement>;
export type Condition = z.infer<typeof condition>;

/**
 * Every image a template yields, declared once: the certificate itself at the template's page
 * size, and the social images at fixed sizes. The layout schema's per-variant designs, the image
 * route, the API's `formats`, the designer's "Design for" (`label`), the certificate page's
 * download links (`download`) and the og:image size all derive from it.
 */
export const variants = {
  certificate: { label: 'Certificate', download: 'certificate', size: undefined, files: ['png', 'svg', 'pdf'] },
  share: { label: 'Share card', download: 'link preview', size: { width: 1200, height: 630 }, files: ['png'] },
  square: { label: 'Square', download: 'square post', size: { width: 1080, height: 1080 }, files: ['png'] },
  story: { label: 'Story', download: 'story', size: { width: 1080, height: 1920 }, files: ['png'] },
} as const;

export type ImageVariant = keyof typeof variants;
/** A variant other than the certificate: it has a fixed size and may have a design of its own. */
export type SocialVariant = Exclude<ImageVariant, 'certificate'>;
export type ImageFormat = (typeof variants)[ImageVariant]['files'][number];

export const variantNames = Object.keys(variants) as ImageVariant[];
export const socialVariants = variantNames.filter((v): v is SocialVariant => v !== 'certificate');

/** Whether a variant comes as this file format. */
export const hasFile = (variant: ImageVariant, format: string): format is ImageFormat =>
  (variants[variant].files as readonly string[]).includes(format);

export const contentTypes: Record<ImageFormat, string> = {
  png: 'image/png',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
};

/**
 * Every file a certificate comes as, by the name the API and the page use: the certificate's own
 * formats by format (`png`, `svg`, `pdf`), every other variant by its name (`share`, …).
 */
export const certificateFiles = Object.fromEntries(
  variantNames.flatMap((variant): [string, { variant: ImageVariant; format: ImageFormat }][] =>
    variant === 'certificate'
      ? variants[variant].files.map((format) => [format, { variant, format }])
      : [[variant, { variant, format: variants[variant].files[0] }]],
  ),
) as Record<CertificateFile, { variant: ImageVariant; format: ImageFormat }>;
export type CertificateFile = (typeof variants.certificate.files)[number] | SocialVariant;

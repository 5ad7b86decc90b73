import type { Design } from './layout';
import type { ImageVariant } from './variants';

/** The band's width as a share of the card's shorter side: 19 px of a 1200×630 link preview. */
const BAND = 0.03;

/**
 * The event's accent colour as a band around the share card, drawn over the card's edges: where
 * a certificate's link is shared, it comes in the event's colours. The other files are the
 * template's own design.
 */
export function framed(design: Design, variant: ImageVariant, accent: string | undefined): Design {
  if (variant !== 'share' || !accent) return design;
  const { width, height } = design.page;
  const band = Math.round(Math.min(width, height) * BAND);
  const edges = [
    { x: 0, y: 0, width, height: band },
    { x: 0, y: height - band, width, height: band },
    { x: 0, y: band, width: band, height: height - 2 * band },
    { x: width - band, y: band, width: band, height: height - 2 * band },
  ];
  return {
    ...design,
    elements: [
      ...design.elements,
      ...edges.map((edge) => ({ type: 'rect' as const, ...edge, fill: accent, strokeWidth: 0, radius: 0 })),
    ],
  };
}

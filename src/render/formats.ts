import type { Design, Layout, LayoutElement } from './layout';

/** Every image a template yields besides the certificate itself, with its pixel size. */
export const socialFormats = {
  share: { width: 1200, height: 630 },
  square: { width: 1080, height: 1080 },
  story: { width: 1080, height: 1920 },
} as const;
export type SocialFormat = keyof typeof socialFormats;

function scaleElement(element: LayoutElement, scale: number, dx: number, dy: number): LayoutElement {
  const box = { x: element.x * scale + dx, y: element.y * scale + dy, width: element.width * scale, height: element.height * scale };
  if (element.type === 'rect') {
    return { ...element, ...box, strokeWidth: element.strokeWidth * scale, radius: element.radius * scale };
  }
  if (element.type === 'qr' || element.type === 'image') return { ...element, ...box };
  return { ...element, ...box, font: { ...element.font, size: element.font.size * scale, letterSpacing: element.font.letterSpacing * scale } };
}

/**
 * The certificate adapted to another canvas: scaled to fit inside a margin and centred on its own
 * background, so every format shows the same design without the organiser drawing it again.
 */
export function adaptDesign(design: Design, size: { width: number; height: number }): Design {
  const margin = 0.06 * Math.min(size.width, size.height);
  const scale = Math.min((size.width - 2 * margin) / design.page.width, (size.height - 2 * margin) / design.page.height);
  const dx = (size.width - design.page.width * scale) / 2;
  const dy = (size.height - design.page.height * scale) / 2;
  return {
    page: { ...size },
    background: design.background,
    elements: design.elements.map((e) => scaleElement(e, scale, dx, dy)),
  };
}

/** A format's design: the organiser's own for that format where there is one, else the adapted certificate. */
export function formatDesign(layout: Layout, format: SocialFormat): Design {
  return layout[format] ?? adaptDesign(layout, socialFormats[format]);
}

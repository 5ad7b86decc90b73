import type { Design, Layout, LayoutElement } from './layout';
import { variants, type ImageVariant } from './variants';

function scaleElement(element: LayoutElement, scale: number, dx: number, dy: number): LayoutElement {
  const box = {
    x: element.x * scale + dx,
    y: element.y * scale + dy,
    width: element.width * scale,
    height: element.height * scale,
  };
  if (element.type === 'rect') {
    return { ...element, ...box, strokeWidth: element.strokeWidth * scale, radius: element.radius * scale };
  }
  if (element.type === 'qr' || element.type === 'image') return { ...element, ...box };
  return {
    ...element,
    ...box,
    font: { ...element.font, size: element.font.size * scale, letterSpacing: element.font.letterSpacing * scale },
  };
}

/**
 * The certificate adapted to another canvas: scaled to fit inside a margin and centred on its own
 * background, so every variant shows the same design without the organiser drawing it again.
 */
export function adaptDesign(design: Design, size: { width: number; height: number }): Design {
  const margin = 0.06 * Math.min(size.width, size.height);
  const scale = Math.min(
    (size.width - 2 * margin) / design.page.width,
    (size.height - 2 * margin) / design.page.height,
  );
  const dx = (size.width - design.page.width * scale) / 2;
  const dy = (size.height - design.page.height * scale) / 2;
  return {
    page: { ...size },
    background: design.background,
    elements: design.elements.map((e) => scaleElement(e, scale, dx, dy)),
  };
}

/** The design a variant renders: the certificate itself, the organiser's own design for it, or the adapted certificate. */
export function designFor(layout: Layout, variant: ImageVariant): Design {
  const { size } = variants[variant];
  if (variant === 'certificate' || !size) return layout;
  return layout[variant] ?? adaptDesign(layout, size);
}

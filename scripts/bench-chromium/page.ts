/**
 * A certificate design rebuilt as HTML and CSS, the way a headless-browser renderer would draw it:
 * absolutely positioned boxes, the same Noto TTF files (as data URLs), the same colours and sizes,
 * text shrunk in the page until it fits its box. What is drawn (placeholders, conditions, the QR
 * code) comes from the portal's own code, so the browser only lays out and paints.
 */
import { readFileSync } from 'node:fs';
import { conditionHolds, fillPlaceholders, type CertificateFields } from '../../src/render/fields';
import type { Design } from '../../src/render/layout';
import { drawQrCodes } from '../../src/render/qr';

const FONTS = new URL('../../.assets/fonts/ttf/', import.meta.url);
// Each family's subsets in fallback order, as the font files are split (fontsource's subsets).
const SUBSETS = ['latin', 'latin-ext', 'greek', 'greek-ext', 'cyrillic', 'cyrillic-ext', 'vietnamese'];
const FAMILIES = { 'Noto Sans': 'noto-sans', 'Noto Serif': 'noto-serif' } as const;

const cssName = (file: string, subset: string) => `${file}-${subset}`;

/** @font-face rules for every subset and weight of both families, the TTFs inlined. */
function fontFaces(): string {
  const faces: string[] = [];
  for (const file of Object.values(FAMILIES)) {
    for (const subset of SUBSETS) {
      for (const weight of [400, 700]) {
        const ttf = readFileSync(new URL(`${file}-${subset}-${weight}.ttf`, FONTS)).toString('base64');
        faces.push(
          `@font-face{font-family:'${cssName(file, subset)}';font-weight:${weight};src:url(data:font/ttf;base64,${ttf}) format('truetype')}`,
        );
      }
    }
  }
  return faces.join('\n');
}

const familyStack = (family: keyof typeof FAMILIES) =>
  SUBSETS.map((subset) => `'${cssName(FAMILIES[family], subset)}'`).join(',');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** What the shell page offers: show a design's HTML at its size, texts fitted, fonts loaded. */
export interface ShellPage {
  show(html: string, width: number, height: number): Promise<void>;
}

// Shrinks each text until its lines fit its box, as the portal's typesetter does: from the largest
// size the box allows, jump close to where the widest line fits, then step down gently.
const FIT_SCRIPT = `
const fitTexts = () => {
  for (const box of document.querySelectorAll('[data-max]')) {
    const text = box.firstElementChild;
    const lineHeight = Number(box.dataset.lh);
    const maxLines = Number(box.dataset.lines);
    let size = Math.min(Number(box.dataset.max), box.clientHeight / lineHeight);
    for (;;) {
      text.style.fontSize = size + 'px';
      const lines = Math.round(text.offsetHeight / (size * lineHeight));
      const widest = text.scrollWidth;
      if ((lines <= maxLines && text.offsetHeight <= box.clientHeight + 0.5 && widest <= box.clientWidth + 0.5) || size <= 1) break;
      const next = lines <= maxLines ? Math.min(size * 0.97, (size * box.clientWidth) / widest) : size * 0.93;
      size = Math.max(1, Math.floor(next * 100) / 100);
    }
  }
};
window.show = (html, width, height) => {
  const page = document.getElementById('page');
  page.style.width = width + 'px';
  page.style.height = height + 'px';
  page.innerHTML = html;
  // Laid out once so that the faces in use load, then fitted with their real metrics.
  void page.offsetHeight;
  return document.fonts.ready.then(fitTexts);
};`;

/** The page the browser keeps open: fonts, styles and the fitting script; content is swapped in. */
export function shellHtml(): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
${fontFaces()}
html,body{margin:0;padding:0}
#page{position:absolute;left:0;top:0;overflow:hidden}
#page>div{position:absolute;box-sizing:border-box}
.text{display:flex;flex-direction:column;justify-content:center}
.text>span{display:block;white-space:pre-wrap;overflow-wrap:normal}
</style><script>${FIT_SCRIPT}</script></head><body><div id="page"></div></body></html>`;
}

/** What a design draws for one participant, for the shell page's show(). */
export function designHtml(design: Design, fields: CertificateFields): { html: string; width: number; height: number } {
  const { width, height } = design.page;
  const parts: string[] = [];
  const background = 'colour' in design.background ? design.background.colour : '#ffffff';
  for (const e of design.elements) {
    if (!conditionHolds(e.when, fields)) continue;
    const box = `left:${e.x}px;top:${e.y}px;width:${e.width}px;height:${e.height}px`;
    if (e.type === 'rect') {
      const fill = e.fill ? `background:${e.fill};` : '';
      const stroke = e.stroke && e.strokeWidth > 0 ? `border:${e.strokeWidth}px solid ${e.stroke};` : '';
      parts.push(`<div style="${box};${fill}${stroke}border-radius:${e.radius}px"></div>`);
    } else if (e.type === 'text') {
      let text = fillPlaceholders(e.text, fields)
        .replace(/^[\s·]+|[\s·]+$/g, '')
        .trim();
      if (!text) continue;
      if (e.uppercase) text = text.toLocaleUpperCase();
      const { font } = e;
      const style = [
        `font-family:${familyStack(font.family)}`,
        `font-weight:${font.weight}`,
        `color:${font.colour}`,
        `line-height:${font.lineHeight}`,
        `letter-spacing:${font.letterSpacing ?? 0}px`,
        `text-align:${e.align}`,
        e.maxLines === 1 ? 'white-space:pre' : '',
      ].join(';');
      parts.push(
        `<div class="text" style="${box}" data-max="${font.size}" data-lh="${font.lineHeight}" data-lines="${e.maxLines}"><span style="${style}">${escapeHtml(text)}</span></div>`,
      );
    }
  }
  // The QR code as the portal draws it (one SVG path), for the browser to paint.
  const qr = drawQrCodes(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"></svg>`,
    design,
    fields,
  );
  parts.push(`<div style="left:0;top:0;width:${width}px;height:${height}px">${qr}</div>`);
  return {
    html: `<div style="left:0;top:0;width:${width}px;height:${height}px;background:${background}"></div>${parts.join('')}`,
    width,
    height,
  };
}

import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '../templates';
import { adaptDesign, designFor, storySafeArea } from '../src/render/adapt';
import { certificateTexts } from '../src/render/certificate';
import type { CertificateFields } from '../src/render/fields';
import type { Design, Layout } from '../src/render/layout';
import { renderPng } from '../src/render/pipeline';
import { variants } from '../src/render/variants';
import { certificateFieldsFor, pngPixels } from './fixtures';

// A square post or a story is looked at on a phone: it should be filled with the certificate's
// words, large, not the landscape page shrunk into an empty field.

const names = {
  long: 'Maria del Carmen de la Concepción Rodríguez-Sánchez',
  short: 'Li Na',
  cjk: '山田太郎',
};

/** What a participant would call the certificate's point: who, what time, which event, which place. */
const key = /\{(name|finishTime|event|rank\w*)\}/;

/**
 * Which pixel rows are plain background: every pixel of the row, apart from the outer tenth each
 * side (where a frame or an edge stripe runs the whole height), the background colour.
 */
async function plainRowsOf(png: Uint8Array, background: string): Promise<boolean[]> {
  const { width, height, at } = await pngPixels(png);
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(background.slice(i, i + 2), 16));
  const near = (p: number[]) => Math.abs(p[0]! - r!) + Math.abs(p[1]! - g!) + Math.abs(p[2]! - b!) <= 12;
  return Array.from({ length: height }, (_, y) => {
    for (let x = Math.round(width * 0.1); x < width * 0.9; x++) if (!near(at(x, y))) return false;
    return true;
  });
}

/** The share of pixel rows that are plain background. */
const plainRows = async (png: Uint8Array, background: string) => {
  const rows = await plainRowsOf(png, background);
  return rows.filter(Boolean).length / rows.length;
};

/** The first and last pixel rows that are not plain background. */
async function drawnRows(png: Uint8Array, background: string): Promise<{ first: number; last: number }> {
  const rows = await plainRowsOf(png, background);
  return { first: rows.indexOf(false), last: rows.lastIndexOf(false) };
}

/** A published certificate's fields, with the verify URL its QR code draws. */
const published = (name: string): CertificateFields => ({
  ...certificateFieldsFor(name),
  verifyUrl: 'https://portal.example/verify/cert-0000000000000000/0123456789abcdef',
});

const backgroundOf = (design: Design) => {
  if (!('colour' in design.background)) throw new Error('the built-in templates have colour backgrounds');
  return design.background.colour;
};

/** The boxes of the key texts the design draws for this record. */
const keyBoxes = (design: Design, fields: CertificateFields) =>
  certificateTexts(design, fields)
    .filter((t) => {
      const element = design.elements[t.element]!;
      return element.type === 'text' && key.test(element.text);
    })
    .map((t) => t.box);

/** An organiser's template: a landscape certificate with no square or story design of its own. */
const withoutSocialDesigns = (layout: Layout): Layout => ({ ...layout, square: undefined, story: undefined });

describe('square and story images', () => {
  for (const template of builtInTemplates) {
    describe(template.slug, () => {
      it('has a square and a story design of its own', () => {
        expect(template.layout.square?.page).toEqual(variants.square.size);
        expect(template.layout.story?.page).toEqual(variants.story.size);
      });

      for (const variant of ['square', 'story'] as const) {
        it(`fills the ${variant} for a long, a short and a CJK name`, async () => {
          const design = designFor(template.layout, variant);
          for (const [kind, name] of Object.entries(names)) {
            const png = await renderPng(design, published(name), env);
            expect(await plainRows(png, backgroundOf(design)), `${kind} name`).toBeLessThanOrEqual(0.25);
          }
        });
      }

      it('keeps the name, time, event and ranks of the story inside the safe zone', () => {
        const design = designFor(template.layout, 'story');
        const safe = storySafeArea(design.page);
        for (const name of Object.values(names)) {
          const boxes = keyBoxes(design, published(name));
          expect(boxes.length).toBeGreaterThanOrEqual(4);
          for (const box of boxes) {
            expect(box.y).toBeGreaterThanOrEqual(safe.top);
            expect(box.y + box.height).toBeLessThanOrEqual(safe.bottom);
          }
        }
      });

      it('draws the name large on both', () => {
        for (const variant of ['square', 'story'] as const) {
          const design = designFor(template.layout, variant);
          const [name] = keyBoxes(design, published(names.short)).filter((b) => b.maxSize >= 90);
          expect(name, variant).toBeDefined();
          expect(name!.width, variant).toBeGreaterThanOrEqual(design.page.width * 0.8);
        }
      });
    });
  }
});

describe("an organiser's template without square and story designs", () => {
  for (const template of builtInTemplates) {
    const layout = withoutSocialDesigns(template.layout);

    it(`${template.slug}: re-flows the certificate into the story and square, no letterbox`, async () => {
      for (const variant of ['square', 'story'] as const) {
        const design = designFor(layout, variant);
        expect(design.page).toEqual(variants[variant].size);
        for (const [kind, name] of Object.entries(names)) {
          const fields = published(name);
          const png = await renderPng(design, fields, env);
          if (variant === 'square') {
            // Letterboxed, the certificate took 62 % of the square's height.
            const drawn = await drawnRows(png, backgroundOf(design));
            expect(drawn.last - drawn.first, `square, ${kind} name`).toBeGreaterThanOrEqual(0.75 * design.page.height);
            continue;
          }
          // The texts reach from the top of the safe area to its bottom; letterboxed, they took 40 % of it.
          const safe = storySafeArea(design.page);
          const boxes = certificateTexts(design, fields).map((t) => t.box);
          const top = Math.min(...boxes.map((b) => b.y));
          const bottom = Math.max(...boxes.map((b) => b.y + b.height));
          expect(bottom - top, `story, ${kind} name`).toBeGreaterThanOrEqual(0.75 * (safe.bottom - safe.top));
          // Letterboxed, 85 % of the story's rows were empty. The certificate's own gaps between its
          // lines stay, so an adapted story is not held to the 25 % of a designed one.
          expect(await plainRows(png, backgroundOf(design)), `story, ${kind} name`).toBeLessThanOrEqual(0.55);
        }
      }
    });

    it(`${template.slug}: keeps the story's key texts inside the safe zone, large`, () => {
      const design = designFor(layout, 'story');
      const safe = storySafeArea(design.page);
      const fields = published(names.long);
      for (const box of keyBoxes(design, fields)) {
        expect(box.y).toBeGreaterThanOrEqual(safe.top);
        expect(box.y + box.height).toBeLessThanOrEqual(safe.bottom);
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(design.page.width);
      }
      const name = layout.elements.find((e) => e.type === 'text' && e.text === '{name}');
      const adaptedName = design.elements.find((e) => e.type === 'text' && e.text === '{name}');
      if (name?.type !== 'text' || adaptedName?.type !== 'text') throw new Error('every template draws the name');
      // Re-flowed to the story's width, not the page shrunk: the name keeps most of its size.
      expect(adaptedName.width).toBeGreaterThanOrEqual(design.page.width * 0.8);
      expect(adaptedName.font.size).toBeGreaterThanOrEqual(name.font.size * 0.7);
    });

    it(`${template.slug}: keeps every element, in order, with its conditions`, () => {
      for (const variant of ['square', 'story'] as const) {
        const design = adaptDesign(layout, variants[variant].size);
        const kept = design.elements.filter((e) =>
          layout.elements.some((o) => o.type === e.type && JSON.stringify(o.when) === JSON.stringify(e.when)),
        );
        const same = (e: Design['elements'][number]) =>
          e.type === 'text' ? `text ${e.text} ${JSON.stringify(e.when)}` : `${e.type} ${JSON.stringify(e.when)}`;
        const original = layout.elements.map(same);
        const adapted = kept.map(same);
        // The original elements appear in the adapted design in the same order (decoration may be added).
        let i = 0;
        for (const element of adapted) if (element === original[i]) i++;
        expect(i, variant).toBe(original.length);
        for (const element of design.elements) {
          expect(element.x).toBeGreaterThanOrEqual(0);
          expect(element.y).toBeGreaterThanOrEqual(0);
          expect(element.x + element.width).toBeLessThanOrEqual(design.page.width + 0.5);
          expect(element.y + element.height).toBeLessThanOrEqual(design.page.height + 0.5);
        }
      }
    });
  }
});

import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '../templates';
import { designFor } from '../src/render/adapt';
import { layoutSchema } from '../src/render/layout';
import { renderPng, renderSvg } from '../src/render/pipeline';
import { variants, type ImageVariant } from '../src/render/variants';
import { anyText } from './awkward-text';
import { certificateFieldsFor, pngSize } from './fixtures';

// Property-based: any string as a participant's name draws a well-formed certificate, on every
// built-in template and format, without throwing and within a time bound.

const TIME_LIMIT_MS = 5_000;

describe('rendering any name', () => {
  it('gives a PNG of the format’s size and well-formed SVG, each within 5 s', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyText,
        fc.constantFrom(...builtInTemplates),
        fc.constantFrom(...(Object.keys(variants) as ImageVariant[])),
        async (name, template, variant) => {
          const design = designFor(template.layout, variant);
          const fields = certificateFieldsFor(name);
          let started = performance.now();
          const png = await renderPng(design, fields, env);
          expect(performance.now() - started, 'PNG render time').toBeLessThan(TIME_LIMIT_MS);
          expect(pngSize(png)).toEqual({ width: design.page.width, height: design.page.height });

          started = performance.now();
          const svg = await renderSvg(design, fields, env);
          expect(performance.now() - started, 'SVG render time').toBeLessThan(TIME_LIMIT_MS);
          expect(svg.startsWith(`<svg width="${design.page.width}" height="${design.page.height}"`)).toBe(true);
          expect(XMLValidator.validate(svg)).toBe(true);
        },
      ),
      // A failure shrinks by rendering again and again; bounded, so a slow one cannot stall the suite.
      { numRuns: 30, interruptAfterTimeLimit: 150_000 },
    );
  }, 180_000);

  // Found by the property above: each emoji was a picture resvg decoded on its own, about 0.1 s a
  // piece, so a long name of them took tens of seconds.
  it('draws a name of many emoji within the same 5 s', async () => {
    const design = designFor(builtInTemplates[0]!.layout, 'certificate');
    const started = performance.now();
    const png = await renderPng(design, certificateFieldsFor('🏃‍♀️🎉🇯🇵 '.repeat(20)), env);
    expect(performance.now() - started, 'PNG render time').toBeLessThan(TIME_LIMIT_MS);
    expect(pngSize(png)).toEqual({ width: design.page.width, height: design.page.height });
  });
});

/** The name alone, so its glyphs are all the SVG draws. */
const nameOnly = layoutSchema.parse({
  schema: 1,
  page: { width: 600, height: 100 },
  background: { colour: '#ffffff' },
  elements: [{ type: 'text', x: 0, y: 0, width: 600, height: 100, text: '{name}', font: { size: 40, weight: 700 } }],
});
const glyphPaths = (svg: string) => svg.match(/<path /g)?.length ?? 0;

// Found by the property above: Arabic marks and punctuation reach opentype.js unshaped, and Noto
// Sans Arabic's required ligatures use a lookup it cannot apply; thrown inside Satori's layout,
// that also broke every later render in the isolate ("memory access out of bounds").
describe('Arabic punctuation and marks', () => {
  it('draw, and leave the renderer working for everyone after them', async () => {
    const failed: string[] = [];
    const drawn = async (name: string) => {
      try {
        return glyphPaths(await renderSvg(nameOnly, { name }, env)) > 0;
      } catch (error) {
        failed.push(`${name}: ${String(error)}`);
        return false;
      }
    };
    for (const name of ['٪', 'علي، محمد', 'مُحَمَّد', 'ـ', '؟', 'a ٪ b', 'ٹیپو سلطان'])
      for (let i = 0; i < 20; i++) await drawn(name);
    expect(await drawn('Paula Radcliffe')).toBe(true);
    expect(failed).toEqual([]);
    expect(pngSize(await renderPng(nameOnly, { name: 'Paula Radcliffe' }, env))).toEqual({ width: 600, height: 100 });
  });
});

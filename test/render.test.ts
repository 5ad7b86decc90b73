import { env } from 'cloudflare:workers';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '../templates';
import { certificateTexts } from '../src/render/certificate';
import { HeldFaces, resolveTexts } from '../src/render/text/faces';
import { setText } from '../src/render/text/typeset';
import { layoutSchema } from '../src/render/layout';
import { designFor } from '../src/render/adapt';
import { renderPng, renderSvg } from '../src/render/pipeline';
import { certificateFieldsFor, pngSize } from './fixtures';

const layout = builtInTemplates[0]!.layout;

/** A text set in a box as the renderer sets it. */
async function set(
  text: string,
  family: 'Noto Sans' | 'Noto Serif',
  weight: 400 | 700,
  box: { width: number; height: number; maxSize: number; lineHeight: number; maxLines: number },
) {
  const held = new HeldFaces();
  try {
    const [resolved] = await resolveTexts([{ text, family, weight, language: null }], env, held);
    return setText(resolved!, { x: 0, y: 0, letterSpacing: 0, align: 'center', colour: '#000000', ...box });
  } finally {
    held.release();
  }
}

describe('renderer', () => {
  it('renders the certificate as an A4 landscape PNG at 150 dpi, and the share card at 1200×630', async () => {
    expect(pngSize(await renderPng(layout, certificateFieldsFor('Anna Müller'), env))).toEqual({
      width: 1754,
      height: 1240,
    });
    expect(pngSize(await renderPng(layout.share!, certificateFieldsFor('Anna Müller'), env))).toEqual({
      width: 1200,
      height: 630,
    });
  });

  it('draws Latin Extended, Cyrillic and Greek names with real glyphs', async () => {
    for (const name of ['Łukasz Dvořák-Øster', 'Дмитрий Иванов', 'Γιώργος Παπαδόπουλος', 'Nguyễn Thị Minh Khai']) {
      const svg = await renderSvg(layout, certificateFieldsFor(name), env);
      const box = { width: 1000, height: 100, maxSize: 60, lineHeight: 1.2, maxLines: 1 };
      expect((await set(name, 'Noto Serif', 700, box)).missing).toEqual([]);
      expect((await set(name, 'Noto Sans', 400, box)).missing).toEqual([]);
      expect(svg).toContain('<path');
    }
  });

  it('writes well-formed SVG whatever the name holds', async () => {
    const hostile = [
      '<script>alert(1)</script>',
      'Tom & "Jerry" <tom@example.com>',
      ']]><!-- --><?xml version="1.0"?>',
      'A\u0000B\u0007C\u001bD\uFEFF\u202Eevil\u200F',
      '\uD800 lone surrogate',
      'Ünïcödé 🏃‍♀️ runner',
      'x'.repeat(300),
    ];
    for (const name of hostile) {
      const svg = await renderSvg(layout, certificateFieldsFor(name), env);
      expect(XMLValidator.validate(svg), name).toBe(true);
      expect(svg).not.toContain('<script');
      expect(pngSize(await renderPng(layout.share!, certificateFieldsFor(name), env))).toEqual({
        width: 1200,
        height: 630,
      });
    }
  });

  it('shrinks a long name to fit its box, on at most its allowed lines, without breaking a word', async () => {
    const nameBox = layout.elements.find((e) => e.type === 'text' && e.text === '{name}');
    if (nameBox?.type !== 'text') throw new Error('template has no name box');
    const long =
      'Maria del Carmen Fernández de la Concepción Rodríguez-Villaseñor y Hohenzollern-Sigmaringen Smith-Jones';
    expect(long.length).toBeGreaterThanOrEqual(100);
    const box = {
      width: nameBox.width,
      height: nameBox.height,
      maxSize: nameBox.font.size,
      lineHeight: nameBox.font.lineHeight,
      maxLines: nameBox.maxLines,
    };
    const fitted = await set(long, nameBox.font.family, nameBox.font.weight, box);
    expect(fitted.fontSize).toBeLessThan(nameBox.font.size);
    expect(fitted.lines.length).toBeLessThanOrEqual(nameBox.maxLines);
    expect(fitted.lines.join(' ')).toBe(long);
    expect(fitted.ink.right - fitted.ink.left).toBeLessThanOrEqual(nameBox.width);
    expect(fitted.ink.bottom - fitted.ink.top).toBeLessThanOrEqual(nameBox.height);

    const oneWord = await set('W'.repeat(120), 'Noto Sans', 400, {
      width: 800,
      height: 200,
      maxSize: 100,
      lineHeight: 1.2,
      maxLines: 2,
    });
    expect(oneWord.lines).toEqual(['W'.repeat(120)]);
    expect(oneWord.ink.right - oneWord.ink.left).toBeLessThanOrEqual(800);
  });

  it('keeps a short name at the designed size', async () => {
    const fitted = await set('Li Na', 'Noto Serif', 700, {
      width: 1400,
      height: 200,
      maxSize: 120,
      lineHeight: 1.15,
      maxLines: 2,
    });
    expect(fitted.fontSize).toBe(120);
    expect(fitted.lines).toEqual(['Li Na']);
  });

  it('shows the finish time to finishers and "took part" to a DNF', () => {
    const texts = (fields: ReturnType<typeof certificateFieldsFor>) =>
      certificateTexts(layout, fields).map((t) => t.text);
    const finisher = texts(certificateFieldsFor('Paula Radcliffe'));
    expect(finisher).toContain('3:05:09');
    expect(finisher).not.toContain('took part in the event');
    const dnf = texts(certificateFieldsFor('Paula Radcliffe', { status: 'dnf', finishTime: null, rankOverall: null }));
    expect(dnf).toContain('took part in the event');
    expect(dnf).not.toContain('finished in an official time of');
    expect(dnf).toContain('Paula Radcliffe');
  });

  it('refuses a layout that fails the schema, naming the bad field', () => {
    const bad = structuredClone(layout) as Record<string, unknown> & { elements: { font?: { colour: string } }[] };
    bad.elements[3]!.font!.colour = 'green';
    const result = layoutSchema.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['elements', 3, 'font', 'colour']);
  });
});

describe('built-in templates', () => {
  it('offers at least four distinct designs, each rendering for finishers and non-finishers in every format', async () => {
    expect(builtInTemplates.length).toBeGreaterThanOrEqual(4);
    expect(new Set(builtInTemplates.map((t) => JSON.stringify(t.layout))).size).toBe(builtInTemplates.length);
    for (const template of builtInTemplates) {
      expect(
        template.layout.elements.some((e) => e.type === 'qr'),
        template.slug,
      ).toBe(true);
      for (const fields of [
        certificateFieldsFor('Paula Radcliffe'),
        certificateFieldsFor('Paula Radcliffe', { status: 'dnf', finishTime: null, rankOverall: null }),
      ]) {
        expect(pngSize(await renderPng(template.layout, fields, env)), template.slug).toEqual({
          width: 1754,
          height: 1240,
        });
        expect(pngSize(await renderPng(designFor(template.layout, 'share'), fields, env)), template.slug).toEqual({
          width: 1200,
          height: 630,
        });
      }
    }
  });
});

describe('placeholders', () => {
  it('fill fields, with formatters for time, ordinal rank, upper case and date', async () => {
    const { fillPlaceholders } = await import('../src/render/fields');
    const fields = {
      name: 'Zoë Ñúñez',
      finishTime: '02:09:37',
      rankOverall: 12,
      rankGender: 1,
      rankCategory: 23,
      day: '2026-04-19',
      City: 'Köln',
      empty: null,
    };
    expect(fillPlaceholders('{name|upper} ran {finishTime|time}', fields)).toBe('ZOË ÑÚÑEZ ran 2:09:37');
    expect(
      fillPlaceholders('{rankOverall|ordinal}, {rankGender|ordinal}, {rankCategory|ordinal}, {rankCategory}', fields),
    ).toBe('12th, 1st, 23rd, 23');
    expect(fillPlaceholders('{day|date} in {City}', fields)).toBe('19 April 2026 in Köln');
    expect(fillPlaceholders('[{empty|ordinal}] [{missing}] {name|nonsense}', fields)).toBe('[] [] Zoë Ñúñez');
  });
});

describe('page sizes', () => {
  it('accepts the named presets and custom sizes, and renders at that size', async () => {
    const portrait = layoutSchema.parse({ ...layout, page: { preset: 'a4-portrait' }, share: undefined });
    expect(portrait.page).toMatchObject({ width: 1240, height: 1754 });
    expect(layoutSchema.parse({ ...layout, page: { preset: 'letter-landscape' } }).page).toMatchObject({
      width: 1650,
      height: 1275,
    });
    expect(layoutSchema.parse({ ...layout, page: { width: 2000, height: 1000 } }).page).toEqual({
      width: 2000,
      height: 1000,
    });
    expect(layoutSchema.safeParse({ ...layout, page: { preset: 'a3' } }).success).toBe(false);
    expect(pngSize(await renderPng(portrait, certificateFieldsFor('Portrait Person'), env))).toEqual({
      width: 1240,
      height: 1754,
    });
  });
});

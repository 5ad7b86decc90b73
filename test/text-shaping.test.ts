import { env } from 'cloudflare:workers';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '../templates';
import { layoutSchema } from '../src/render/layout';
import { renderPng, renderSvg } from '../src/render/pipeline';
import { fileOf, HeldFaces, resolveTexts } from '../src/render/text/faces';
import { harfbuzzMemoryBytes } from '../src/render/text/harfbuzz';
import { setText, type TextBox } from '../src/render/text/typeset';
import { hostileNames, testNames, unspacedNames } from './names-by-script';
import reference from './shaping-reference.json';
import { referenceBox, type ShapingReference } from './shaping-box';
import { pngSize } from './fixtures';

/** A text set as the renderer sets it, in a box of our choosing. */
async function set(text: string, box: TextBox = referenceBox, language: string | null = null) {
  const held = new HeldFaces();
  try {
    const [resolved] = await resolveTexts([{ text, family: 'Noto Sans', weight: 700, language }], env, held);
    return { resolved: resolved!, ...setText(resolved!, box) };
  } finally {
    held.release();
  }
}

const files = (runs: { face: Parameters<typeof fileOf>[0] }[]) => runs.map((r) => fileOf(r.face));

describe('names in every script, shaped by HarfBuzz', () => {
  it('shapes every test name into the glyphs HarfBuzz’s own command-line tool gives for the same font', async () => {
    for (const name of reference as ShapingReference[]) {
      const { runs } = await set(name.name, referenceBox, name.language);
      expect(
        runs.map((r) => ({
          file: fileOf(r.face),
          text: r.text,
          script: r.script,
          direction: r.direction,
          glyphs: r.glyphs,
        })),
        name.name,
      ).toEqual(name.runs);
    }
  });

  it('covers every test name in the reference, so a new name cannot go unchecked', () => {
    const checked = new Set((reference as ShapingReference[]).map((r) => r.name));
    for (const { name } of [...testNames, ...unspacedNames]) expect(checked, name).toContain(name);
  });

  it('draws conjuncts and reph in Devanagari: क्ष and त्र are one glyph each, with no visible virama', async () => {
    const { runs } = await set('क्षत्रिय');
    // क्ष, ि (moved before त्र), त्र, य: four glyphs for eight characters.
    expect(runs[0]!.glyphs).toHaveLength(4);
    expect(runs[0]!.glyphs.map(([, cluster]) => cluster)).toEqual([0, 3, 3, 7]);
  });

  it('keeps Arabic vowel marks and Persian ZWNJ, which change the spelling', async () => {
    const [withMarks, without] = await Promise.all([set('مُحَمَّد'), set('محمد')]);
    expect(withMarks.runs[0]!.glyphs.length).toBeGreaterThan(without.runs[0]!.glyphs.length);
    // With the ZWNJ, ی ends its word (a final form); without, it joins رضا.
    const [apart, joined] = await Promise.all([set('علی\u200Cرضا'), set('علیرضا')]);
    expect(apart.runs[0]!.glyphs.map(([g]) => g)).not.toEqual(joined.runs[0]!.glyphs.map(([g]) => g));
  });

  it('draws Urdu names in Nastaliq, and Arabic and Persian ones in Naskh', async () => {
    for (const name of ['ٹیپو سلطان', 'ڈاکٹر عبدالقدیر خان']) {
      expect(files((await set(name)).runs).filter((f) => f?.includes('arabic'))[0], name).toMatch(/nastaliq/);
    }
    expect(files((await set('عمران خان', referenceBox, 'ur')).runs)[0]).toMatch(/nastaliq/);
    expect(files((await set('پرستو رضایی')).runs)[0]).toMatch(/noto-sans-arabic/);
  });

  it('draws a kanji-only name the Japanese way when the event or record says Japanese, else the Chinese way', async () => {
    const face = async (language: string | null) =>
      files((await set('山田直海', referenceBox, language)).runs).map((f) => f!.replace(/-\d+-700\.ttf$/, ''));
    expect(new Set(await face('ja'))).toEqual(new Set(['ttf/noto-sans-jp']));
    expect(new Set(await face(null))).toEqual(new Set(['ttf/noto-sans-sc']));
    expect(new Set(await face('zh-Hant'))).toEqual(new Set(['ttf/noto-sans-tc']));
  });

  it('lays out right-to-left runs in visual order, with numbers inside them as they read', async () => {
    // As a browser shows it: "Anna 42 ןהכ", the number read after the Hebrew, on its left.
    const { runs } = await set('Anna כהן 42');
    expect(runs.map((r) => [r.text, r.direction])).toEqual([
      ['Anna ', 'ltr'],
      ['42', 'ltr'],
      [' ', 'rtl'],
      ['כהן', 'rtl'],
    ]);
  });
});

describe('fitting', () => {
  const narrow: TextBox = {
    ...referenceBox,
    x: 100,
    y: 50,
    width: 420,
    height: 130,
    maxSize: 48,
    maxLines: 2,
    align: 'center',
  };

  it('keeps every name’s ink inside its box, measured from the glyph outlines drawn', async () => {
    for (const { name, language = null } of [...testNames, ...unspacedNames, ...hostileNames]) {
      for (const box of [
        narrow,
        { ...narrow, maxLines: 1, align: 'left' as const },
        { ...narrow, align: 'right' as const },
      ]) {
        const { svg, ink } = await set(name, box, language);
        const bounds = pathBounds(svg);
        if (!bounds) continue;
        const where = `${name} (${box.maxLines} lines, ${box.align})`;
        expect(bounds.left, where).toBeGreaterThanOrEqual(box.x - 0.6);
        expect(bounds.right, where).toBeLessThanOrEqual(box.x + box.width + 0.6);
        expect(bounds.top, where).toBeGreaterThanOrEqual(box.y - 0.6);
        expect(bounds.bottom, where).toBeLessThanOrEqual(box.y + box.height + 0.6);
        expect(ink.left, where).toBeGreaterThanOrEqual(box.x - 0.6);
      }
    }
  });

  it('wraps long Chinese, Japanese and Thai names at character and word boundaries instead of shrinking them away', async () => {
    for (const { name, language = null } of unspacedNames) {
      const { lines, fontSize } = await set(name, narrow, language);
      expect(lines, name).toHaveLength(2);
      expect(lines.join(''), name).toBe(name);
      expect(fontSize, name).toBeGreaterThan(narrow.maxSize / 3);
    }
    // Thai breaks between words, never inside one: สมชาย is whole on its line.
    const thai = await set(unspacedNames[2]!.name, narrow);
    expect(thai.lines[0]).toMatch(/^สมชาย/);
    expect(thai.lines.every((l) => !/^[\u0E31\u0E34-\u0E3A\u0E47-\u0E4E]/.test(l))).toBe(true);
  });

  it('never breaks a word: a long one shrinks the whole text instead', async () => {
    const { lines } = await set('Wolfeschlegelsteinhausenbergerdorff Hubert', { ...narrow, maxLines: 2 });
    expect(lines).toEqual(['Wolfeschlegelsteinhausenbergerdorff', 'Hubert']);
  });
});

describe('hostile text', () => {
  it('draws a character no font has as a visible placeholder that fits the box, and says which', async () => {
    const { missing, svg } = await set('𐀀𐀁 Runner');
    expect(missing).toEqual(['𐀀', '𐀁']);
    expect(svg).toMatch(/<path d="[^"]+"/);
  });

  it('caps stacked combining marks and drops those no font draws, so zalgo text neither boxes nor overflows', async () => {
    const zalgo = hostileNames[0]!.name;
    const { missing, resolved } = await set(zalgo);
    expect(missing).toEqual([]);
    expect(resolved.graphemes.every((g) => [...g].length <= 5)).toBe(true);
  });

  it('renders every test name into well-formed SVG and a PNG of the certificate’s size', async () => {
    const layout = builtInTemplates[0]!.layout;
    for (const { name, language } of [...testNames, ...unspacedNames, ...hostileNames]) {
      const fields = {
        name,
        event: 'Riverside Marathon',
        finishTime: '3:01:02',
        status: 'finished',
        ...(language && { language }),
      };
      expect(XMLValidator.validate(await renderSvg(layout, fields, env)), name).toBe(true);
      expect(pngSize(await renderPng(layout.share!, fields, env)), name).toEqual({ width: 1200, height: 630 });
    }
  });

  it('draws emoji and flags as pictures, one per sequence', async () => {
    const nameOnly = layoutSchema.parse({
      schema: 1,
      page: { width: 1200, height: 200 },
      background: { colour: '#ffffff' },
      elements: [
        { type: 'text', x: 0, y: 0, width: 1200, height: 200, text: '{name}', font: { size: 80, weight: 700 } },
      ],
    });
    const images = (name: string) => renderSvg(nameOnly, { name }, env).then((svg) => svg.match(/<svg x=/g) ?? []);
    // 🏃‍♀️ (woman running) is one picture, not a runner and a female sign.
    expect(await images('Anna 🏃‍♀️🎉')).toHaveLength(2);
    expect(await images('Team 🇯🇵 🇧🇷 🏴󠁧󠁢󠁥󠁮󠁧󠁿')).toHaveLength(3);
  });
});

/** The box every path of an SVG fragment spans (absolute M, L, Q, C and Z, as the renderer writes them). */
function pathBounds(svg: string) {
  const numbers = [...svg.matchAll(/<path d="([^"]*)"/g)].flatMap((m) =>
    (m[1]!.match(/-?\d*\.?\d+/g) ?? []).map(Number),
  );
  if (numbers.length === 0) return undefined;
  const xs = numbers.filter((_, i) => i % 2 === 0);
  const ys = numbers.filter((_, i) => i % 2 === 1);
  return { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) };
}

describe('memory', () => {
  it('frees HarfBuzz faces the cache lets go: loading 38 MB of CJK slices keeps well under that in WASM memory', async () => {
    type Faces = { faces: { family: string; weight: number; file: string; ranges: [number, number][] }[] };
    const read = async (path: string) => (await env.ASSETS.fetch(`https://assets.local/fonts/${path}`)).json<Faces>();
    const { slices } = await (await env.ASSETS.fetch('https://assets.local/fonts/faces.json')).json<{
      slices: Record<string, string>;
    }>();
    const manifest = { faces: (await Promise.all(Object.values(slices).map(read))).flatMap((s) => s.faces) };
    const languages: Record<string, string> = {
      'Noto Sans SC': 'zh-Hans',
      'Noto Sans TC': 'zh-Hant',
      'Noto Sans JP': 'ja',
      'Noto Sans KR': 'ko',
    };
    let loaded = 0;
    for (const [family, language] of Object.entries(languages)) {
      for (const weight of [400, 700] as const) {
        const slices = manifest.faces.filter((f) => f.family === family && f.weight === weight);
        // One character from each slice: the middle of its widest range, which the slice holds.
        const chars = slices.map((f) => {
          const [start, end] = [...f.ranges].sort((a, b) => b[1] - b[0] - (a[1] - a[0]))[0]!;
          return String.fromCodePoint(Math.floor((start + end) / 2));
        });
        for (let i = 0; i < chars.length; i += 20) {
          const held = new HeldFaces();
          await resolveTexts(
            [{ text: chars.slice(i, i + 20).join(''), family: 'Noto Sans', weight, language }],
            env,
            held,
          );
          held.release();
        }
        loaded += slices.length;
      }
    }
    expect(loaded).toBeGreaterThan(800);
    expect(harfbuzzMemoryBytes()).toBeLessThan(30 * 1024 * 1024);
  });
});

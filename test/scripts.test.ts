import { env } from 'cloudflare:workers';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '../templates';
import { shapeText, visualOrder } from '../src/render/bidi';
import { certificateTexts } from '../src/render/certificate';
import { fitText } from '../src/render/fit';
import { measureText, missingGlyphs } from '../src/render/fonts';
import { layoutSchema } from '../src/render/layout';
import { renderPng, renderSvg } from '../src/render/pipeline';
import { scriptFaces } from '../src/render/script-fonts';
import { pngSize } from './fixtures';

const names = {
  latin: 'Zoë Ñúñez-Øster',
  cyrillic: 'Дмитрий Иванов',
  greek: 'Γιώργος Παπαδόπουλος',
  hebrew: 'נועה כהן',
  arabic: 'محمد الأمين',
  persian: 'پرستو رضایی',
  arabicWithVowels: 'مُحَمَّد',
  devanagari: 'अनिल कुमार',
  thai: 'สมชาย ใจดี',
};

// Drawn from faces fetched per render (script-fonts.ts), not bundled ones.
const cjkNames = {
  chinese: '王小明',
  traditionalChinese: '張偉傑',
  // 鸝 is in the traditional Chinese face only.
  traditionalChineseOnly: '黃鸝',
  japanese: 'さくら 山田',
  korean: '김민준',
};
const emojiName = 'Anna 🏃‍♀️🎉';

describe('names in other scripts', () => {
  it('has a real glyph, not a box, for every letter of Latin, Cyrillic, Greek, Hebrew, Arabic, Devanagari and Thai names', () => {
    for (const [script, name] of Object.entries(names)) {
      for (const family of ['Noto Sans', 'Noto Serif'] as const) {
        expect(missingGlyphs(name, family, 700), `${script} in ${family}`).toEqual([]);
        expect(missingGlyphs(name, family, 400), `${script} in ${family}`).toEqual([]);
      }
    }
  });

  it('draws right-to-left names in visual order, keeping marks on their letters and left-to-right runs as they are', () => {
    expect(visualOrder('נועה כהן')).toBe('ןהכ העונ');
    expect(visualOrder('Anna כהן 42')).toBe('Anna 42 ןהכ');
    // Each letter keeps its vowel points: ם, וֹ, ל, שָׁ.
    expect(visualOrder('שָׁלוֹם')).toBe('ם' + 'וֹ' + 'ל' + 'שָׁ');
    expect(visualOrder('محمد')).toBe('دمحم');
  });

  it('joins Arabic and Persian letters into the forms their neighbours call for', () => {
    // م ح م د → initial meem, medial hah, medial meem, final dal.
    expect([...shapeText('محمد')].map((c) => c.codePointAt(0)!.toString(16))).toEqual(['fee3', 'fea4', 'fee4', 'feaa']);
    expect(shapeText('مُحَمَّد')).toBe(shapeText('محمد'));
    expect(shapeText('پرستو')).not.toMatch(/[\u0600-\u06FF]/);
    expect(shapeText('Kirui')).toBe('Kirui');
    // Lam and alef with hamza become the one ligature letter.
    expect([...shapeText('الأمين')].map((c) => c.codePointAt(0)!.toString(16))).toEqual([
      'fe8d',
      'fef7',
      'fee3',
      'fef4',
      'fee6',
    ]);
  });

  it('puts the Devanagari vowel sign i in front of its consonant cluster, where it is read', () => {
    expect(shapeText('अनिल')).toBe('अ\u093Fनल');
    expect(shapeText('शक्ति')).toBe('श\u093Fक्त');
    expect(visualOrder('Kirui, Geoffrey')).toBe('Kirui, Geoffrey');
  });

  it('renders every script into well-formed SVG and a PNG of the certificate size', async () => {
    const layout = builtInTemplates[0]!.layout;
    // Noto has no national flags: that one stays a box, but must not break the render.
    for (const [script, name] of Object.entries({ ...names, ...cjkNames, emoji: emojiName, flag: '🇯🇵 Team' })) {
      const fields = { name, event: 'Riverside Marathon', finishTime: '3:01:02', status: 'finished' };
      const svg = await renderSvg(layout, fields, env);
      expect(XMLValidator.validate(svg), script).toBe(true);
      expect(pngSize(await renderPng(layout.share!, fields, env)), script).toEqual({ width: 1200, height: 630 });
    }
  });
});

/** The name alone, left-aligned, so the outlines of its glyphs are all the SVG draws. */
const nameOnly = layoutSchema.parse({
  schema: 1,
  page: { width: 1200, height: 200 },
  background: { colour: '#ffffff' },
  elements: [
    {
      type: 'text',
      x: 0,
      y: 0,
      width: 1200,
      height: 200,
      text: '{name}',
      font: { size: 80, weight: 700 },
      align: 'left',
    },
  ],
});

type Contour = { commands: string; offsets: number[] };

/** Every contour of the SVG's glyph outlines, as commands and coordinates relative to its start. */
function contours(svg: string): Contour[] {
  const d = [...svg.matchAll(/<path [^>]*d="([^"]*)"/g)].map((m) => m[1]).join('');
  return d.split(/(?=M)/).map((contour) => {
    const numbers = (contour.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
    return { commands: contour.replace(/[-\d.\s]/g, ''), offsets: numbers.map((n, i) => n - numbers[i % 2]!) };
  });
}

// Satori rounds coordinates to a tenth, so the same outline elsewhere can differ by that.
const sameContour = (a: Contour, b: Contour) =>
  a.commands === b.commands &&
  a.offsets.length === b.offsets.length &&
  a.offsets.every((n, i) => Math.abs(n - b.offsets[i]!) <= 0.2);

/**
 * Whether the name is drawn with a box for some character. The box is learnt by appending ሰ
 * (Ethiopic, in no face) to the name: it is the outline drawn after the name's own, and whatever
 * else is missing would be drawn as the same box, from the same last fallback face.
 */
async function drawsBoxes(name: string): Promise<boolean> {
  const drawn = contours(await renderSvg(nameOnly, { name }, env));
  const box = contours(await renderSvg(nameOnly, { name: `${name}\u1230` }, env)).slice(drawn.length);
  expect(box.length).toBeGreaterThan(0);
  return drawn.some((_, i) => box.every((c, j) => i + j < drawn.length && sameContour(drawn[i + j]!, c)));
}

const facesFor = async (name: string) => scriptFaces(certificateTexts(nameOnly, { name }), env);

describe('Chinese, Japanese and Korean names, and emoji', () => {
  it('draws every character of Chinese, Japanese and Korean names with a real glyph, not a box', async () => {
    expect(await drawsBoxes('Anna \u1230')).toBe(true);
    for (const [script, name] of Object.entries(cjkNames)) {
      // Not in the bundle, which stays small: fetched for the render.
      expect(missingGlyphs(name, 'Noto Sans', 700), script).not.toEqual([]);
      expect(missingGlyphs(name, 'Noto Sans', 700, { scriptFaces: await facesFor(name) }), script).toEqual([]);
      expect(await drawsBoxes(name), script).toBe(false);
    }
  });

  it('draws Han characters in the style of the name’s language: Japanese with kana, Korean with hangul, else Chinese', async () => {
    const families = async (name: string) => new Set((await facesFor(name)).map((f) => f.name.replace(/ \d+$/, '')));
    expect(await families('さくら 山田')).toEqual(new Set(['Noto Sans JP']));
    expect(await families('김민준')).toEqual(new Set(['Noto Sans KR']));
    expect(await families('王小明')).toEqual(new Set(['Noto Sans SC']));
    expect(await families('黃鸝')).toEqual(new Set(['Noto Sans SC', 'Noto Sans TC']));
    expect(await families('Anna Müller')).toEqual(new Set());
  });

  it('draws emoji as colour pictures, a joined sequence as one, as wide as the fitting reckons', async () => {
    const svg = await renderSvg(nameOnly, { name: emojiName }, env);
    const images = [...svg.matchAll(/<image href="data:image\/svg\+xml;base64,([^"]+)"[^>]* width="([\d.]+)"/g)];
    // 🏃‍♀️ (woman running) is one picture, not a runner and a female sign.
    expect(images).toHaveLength(2);
    for (const [, data, width] of images) {
      expect(atob(data!)).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 128 128"><.*fill="#/);
      expect(Number(width)).toBe(80);
    }
    expect(await drawsBoxes(emojiName)).toBe(false);
    for (const emoji of ['🎉', '🏃‍♀️', '👨‍👩‍👧', '👍🏽']) expect(measureText(emoji, 'Noto Sans', 700), emoji).toBe(1);
  });

  it('shrinks a 100-character Chinese name, with no space to wrap at, onto one line inside its box', async () => {
    const layout = builtInTemplates[0]!.layout;
    const nameBox = layout.elements.find((e) => e.type === 'text' && e.text === '{name}');
    if (nameBox?.type !== 'text') throw new Error('template has no name box');
    const long =
      '天地玄黃宇宙洪荒日月盈昃辰宿列張寒來暑往秋收冬藏閏餘成歲律呂調陽雲騰致雨露結為霜金生麗水玉出崑岡劍號巨闕珠稱夜光果珍李柰菜重芥薑海鹹河淡鱗潛羽翔龍師火帝鳥官人皇始制文字乃服衣裳推位讓國有虞陶唐弔民伐罪';
    expect([...long]).toHaveLength(100);
    const fields = { name: long, event: 'Riverside Marathon', finishTime: '3:01:02', status: 'finished' };
    const { family, weight, lineHeight } = nameBox.font;
    const faces = await scriptFaces(certificateTexts(layout, fields), env);
    expect(missingGlyphs(long, family, weight, { scriptFaces: faces })).toEqual([]);
    const fitted = fitText({
      text: long,
      family,
      weight,
      maxSize: nameBox.font.size,
      letterSpacing: 0,
      lineHeight,
      width: nameBox.width,
      height: nameBox.height,
      maxLines: nameBox.maxLines,
      scriptFaces: faces,
    });
    expect(fitted.lines).toEqual([long]);
    expect(measureText(long, family, weight, { scriptFaces: faces }) * fitted.fontSize).toBeLessThanOrEqual(
      nameBox.width,
    );
    expect(fitted.fontSize * lineHeight).toBeLessThanOrEqual(nameBox.height);
    expect(XMLValidator.validate(await renderSvg(layout, fields, env))).toBe(true);
  });
});

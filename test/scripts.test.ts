import { env } from 'cloudflare:workers';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '../templates';
import { shapeText, visualOrder } from '../src/render/bidi';
import { missingGlyphs } from '../src/render/fonts';
import { renderPng, renderSvg } from '../src/render/pipeline';
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
    expect([...shapeText('الأمين')].map((c) => c.codePointAt(0)!.toString(16))).toEqual(['fe8d', 'fef7', 'fee3', 'fef4', 'fee6']);
  });

  it('puts the Devanagari vowel sign i in front of its consonant cluster, where it is read', () => {
    expect(shapeText('अनिल')).toBe('अ\u093Fनल');
    expect(shapeText('शक्ति')).toBe('श\u093Fक्त');
    expect(visualOrder('Kirui, Geoffrey')).toBe('Kirui, Geoffrey');
  });

  it('renders every script into well-formed SVG and a PNG of the certificate size', async () => {
    const layout = builtInTemplates[0]!.layout;
    for (const [script, name] of Object.entries(names)) {
      const fields = { name, event: 'Riverside Marathon', finishTime: '3:01:02', status: 'finished' };
      const svg = await renderSvg(layout, fields, env);
      expect(XMLValidator.validate(svg), script).toBe(true);
      expect(pngSize(await renderPng(layout.share!, fields, env)), script).toEqual({ width: 1200, height: 630 });
    }
  });
});

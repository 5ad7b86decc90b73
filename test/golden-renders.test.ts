import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '../templates';
import { sha256Hex } from '../src/digest';
import { designFor, type ImageVariant } from '../src/render/cache';
import { certificateFields, type CertificateFields, type FieldSources } from '../src/render/fields';
import golden from '../src/render/golden.json';
import { renderPng, renderSvg } from '../src/render/pipeline';
import { pngPixels } from './fixtures';

// Every built-in template drawn for names that stress fonts, shaping, bidi and escaping. The
// hashes in src/render/golden.json make the renderer's version (src/render/version.ts): a change
// here fails until `npm run golden:update` writes them, which gives every image a new URL.

const names: Record<string, string> = {
  latin: 'Paula Radcliffe',
  long: 'Maria del Carmen Fernández de la Concepción Rodríguez-Villaseñor y Hohenzollern-Sigmaringen Smith-Jones',
  german: 'Jürgen Weiß-Größer',
  greek: 'Γιώργος Παπαδόπουλος',
  cyrillic: 'Дмитрий Иванов',
  vietnamese: 'Nguyễn Thị Minh Khai',
  arabic: 'محمد عبد الله',
  hebrew: 'דוד כהן',
  thai: 'สมชาย ใจดี',
  chinese: '王小明',
  japanese: '佐藤 さくら',
  korean: '김민준',
  emoji: 'Ana 🏃‍♀️ Silva',
  zalgo: 'Z̷̢̛a̸͎͝l̴̰̈g̵̱̏o̶̧͠ Kent',
  bidi: 'Eve\u202Eevil\u202C\u200B\u200DAdams\uFEFF',
  markup: `<b>Tom & "Jerry" O'Neil</b>`,
};
/** The social formats, for a Latin and a right-to-left name. */
const socialNames = ['latin', 'arabic'];

const record: FieldSources['record'] = {
  bib: '42', name: '', category: 'F40', gender: 'F', age: 41, finishTime: '3:05:09', rankOverall: 12,
  rankGender: 3, rankCategory: 1, status: 'finished', extra: null,
};

/** Fields as the app builds them, with a fixed verify URL so the QR codes stay the same. */
const fieldsFor = (name: string, own: Partial<FieldSources['record']> = {}): CertificateFields => ({
  ...certificateFields({ event: { name: 'Riverside Marathon', date: '2026-04-19', location: 'Hamburg' }, record: { ...record, name, ...own } }),
  verifyUrl: 'https://portal.example/verify/cert-0000000000000000/0123456789abcdef',
});

const cases: [string, CertificateFields][] = [
  ...Object.entries(names).map(([key, name]) => [key, fieldsFor(name)] as [string, CertificateFields]),
  ['dnf', fieldsFor(names.latin!, { status: 'dnf', finishTime: null, rankOverall: null, rankGender: null, rankCategory: null })],
];

const short = async (text: string) => (await sha256Hex(text)).slice(0, 16);
/** The PNG's pixels, not its bytes: a change of zlib is not a change of what anyone sees. */
async function pixelHash(png: Uint8Array): Promise<string> {
  const { width, height, rgba } = await pngPixels(png);
  const sized = new Uint8Array(8 + rgba.length);
  new DataView(sized.buffer).setUint32(0, width);
  new DataView(sized.buffer).setUint32(4, height);
  sized.set(rgba, 8);
  const digest = await crypto.subtle.digest('SHA-256', sized);
  return [...new Uint8Array(digest).slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const rendered: Record<string, string> = {};

describe('golden renders', () => {
  for (const template of builtInTemplates) {
    it(template.slug, async () => {
      for (const [name, fields] of cases) {
        rendered[`${template.slug}/certificate/svg/${name}`] = await short(await renderSvg(template.layout, fields, env));
        rendered[`${template.slug}/certificate/png/${name}`] = await pixelHash(await renderPng(template.layout, fields, env));
      }
      for (const variant of ['share', 'square', 'story'] satisfies ImageVariant[]) {
        for (const name of socialNames) {
          const png = await renderPng(designFor(template.layout, variant), fieldsFor(names[name]!), env);
          rendered[`${template.slug}/${variant}/png/${name}`] = await pixelHash(png);
        }
      }
    });
  }

  it('are the same every time', async () => {
    const layout = builtInTemplates[0]!.layout;
    const fields = fieldsFor(`${names.emoji} ${names.zalgo}`);
    expect(await renderSvg(layout, fields, env)).toBe(await renderSvg(layout, fields, env));
    expect(await pixelHash(await renderPng(layout, fields, env))).toBe(await pixelHash(await renderPng(layout, fields, env)));
  });

  // Runs last. `vitest -u` (npm run golden:update) writes the file; CI only compares.
  it('match src/render/golden.json', async () => {
    const renders = Object.fromEntries(Object.keys(rendered).sort().map((key) => [key, rendered[key]!]));
    const known: Record<string, string> = golden.renders;
    const changed = [...new Set([...Object.keys(renders), ...Object.keys(known)])].filter((key) => renders[key] !== known[key]);
    await expect(
      `${JSON.stringify({ renders }, null, 2)}\n`,
      `The renderer now draws ${changed.length} of the golden renders differently: ${changed.slice(0, 12).join(', ')}${changed.length > 12 ? ', …' : ''}. ` +
        'If that is intended, run `npm run golden:update` and commit src/render/golden.json: every image then gets a new URL.',
    ).toMatchFileSnapshot('../src/render/golden.json');
  });
});

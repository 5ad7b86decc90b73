import sansRegular from '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '../templates';
import { assetKey } from '../src/assets/keys';
import { designFor } from '../src/render/adapt';
import { socialVariants } from '../src/render/variants';
import type { CertificateFields, FieldSources } from '../src/render/fields';
import golden from '../src/render/golden.json';
import { layoutSchema, type Layout } from '../src/render/layout';
import { renderPng, renderSvg } from '../src/render/pipeline';
import { encodePng } from '../src/render/png';
import { goldenVersion, RENDERER_VERSION } from '../src/render/version';
import { certificateFieldsFor, pngPixels } from './fixtures';

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

/** Fields as the app builds them, with a fixed verify URL so the QR codes stay the same. */
const fieldsFor = (name: string, own: Partial<FieldSources['record']> = {}): CertificateFields => ({
  ...certificateFieldsFor(name, own),
  verifyUrl: 'https://portal.example/verify/cert-0000000000000000/0123456789abcdef',
});

const cases: [string, CertificateFields][] = [
  ...Object.entries(names).map(([key, name]) => [key, fieldsFor(name)] as [string, CertificateFields]),
  [
    'dnf',
    fieldsFor(names.latin!, {
      status: 'dnf',
      finishTime: null,
      rankOverall: null,
      rankGender: null,
      rankCategory: null,
    }),
  ],
];

/** The first 64 bits of a SHA-256, as hex: plenty to tell two renders apart. */
async function hash(data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
const svgHash = (svg: string) => hash(new TextEncoder().encode(svg));
/** The PNG's pixels, not its bytes: a change of zlib is not a change of what anyone sees. */
async function pixelHash(png: Uint8Array): Promise<string> {
  const { width, height, rgba } = await pngPixels(png);
  const sized = new Uint8Array(8 + rgba.length);
  new DataView(sized.buffer).setUint32(0, width);
  new DataView(sized.buffer).setUint32(4, height);
  sized.set(rgba, 8);
  return hash(sized);
}

/** An upload in R2 under the id a layout names it by, as the asset store keeps it. */
async function upload(bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<string> {
  const id = (await hash(bytes)).padEnd(32, '0');
  await env.FILES.put(assetKey(id), bytes, { httpMetadata: { contentType } });
  return id;
}

/** RGBA pixels from a function of x and y, encoded by the renderer's own PNG encoder (no sharp, no version drift). */
function drawn(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]) {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgba.set(pixel(x, y), (y * width + x) * 4);
  return encodePng(rgba, width, height);
}

/**
 * What no built-in template has, so the golden renders cover it too: a background photo (drawn
 * apart, see backdrop.ts), a contained logo with transparency, a cropped photo and an uploaded font.
 */
async function designWithUploads(): Promise<Layout> {
  const photo = await upload(
    await drawn(480, 320, (x, y) => [(x * 255) / 480, (y * 255) / 320, 128, 255]),
    'image/png',
  );
  const logo = await upload(
    await drawn(300, 120, (x, y) =>
      (x - 150) ** 2 / 150 ** 2 + (y - 60) ** 2 / 60 ** 2 < 1 ? [192, 57, 43, 255] : [0, 0, 0, 0],
    ),
    'image/png',
  );
  const font = await upload(new Uint8Array(sansRegular), 'font/woff');
  const base = builtInTemplates[0]!.layout;
  return layoutSchema.parse({
    ...base,
    background: { image: { asset: photo, fit: 'cover' } },
    elements: [
      // Without the template's panels, which would hide the photo.
      ...base.elements
        .filter((e) => e.type !== 'rect')
        .map((e) => (e.type === 'text' && e.text === '{name}' ? { ...e, font: { ...e.font, asset: font } } : e)),
      { type: 'image', asset: logo, x: 80, y: 80, width: 300, height: 200, fit: 'contain' },
      { type: 'image', asset: photo, x: 1374, y: 80, width: 300, height: 300, fit: 'cover' },
    ],
  });
}

const rendered: Record<string, string> = {};

describe('golden renders', () => {
  for (const template of builtInTemplates) {
    it(template.slug, async () => {
      for (const [name, fields] of cases) {
        rendered[`${template.slug}/certificate/svg/${name}`] = await svgHash(
          await renderSvg(template.layout, fields, env),
        );
        rendered[`${template.slug}/certificate/png/${name}`] = await pixelHash(
          await renderPng(template.layout, fields, env),
        );
      }
      for (const variant of socialVariants) {
        for (const name of socialNames) {
          const png = await renderPng(designFor(template.layout, variant), fieldsFor(names[name]!), env);
          rendered[`${template.slug}/${variant}/png/${name}`] = await pixelHash(png);
        }
      }
    });
  }

  it('uploads: background photo, logo, cropped photo, font', async () => {
    const layout = await designWithUploads();
    for (const name of socialNames) {
      rendered[`uploads/certificate/svg/${name}`] = await svgHash(
        await renderSvg(layout, fieldsFor(names[name]!), env),
      );
      rendered[`uploads/certificate/png/${name}`] = await pixelHash(
        await renderPng(layout, fieldsFor(names[name]!), env),
      );
      rendered[`uploads/square/png/${name}`] = await pixelHash(
        await renderPng(designFor(layout, 'square'), fieldsFor(names[name]!), env),
      );
    }
  });

  it('are the same every time', async () => {
    const layout = builtInTemplates[0]!.layout;
    const fields = fieldsFor(`${names.emoji} ${names.zalgo}`);
    expect(await renderSvg(layout, fields, env)).toBe(await renderSvg(layout, fields, env));
    expect(await pixelHash(await renderPng(layout, fields, env))).toBe(
      await pixelHash(await renderPng(layout, fields, env)),
    );
  });

  it('make the renderer version, which any changed hash changes', () => {
    const renders: Record<string, string> = golden.renders;
    const [first] = Object.keys(renders);
    expect(RENDERER_VERSION).toBe(goldenVersion(renders));
    expect(goldenVersion(Object.fromEntries(Object.entries(renders).reverse()))).toBe(RENDERER_VERSION);
    expect(goldenVersion({ ...renders, [first!]: '0'.repeat(16) })).not.toBe(RENDERER_VERSION);
  });

  // Runs last. `vitest -u` (npm run golden:update) writes the file; CI only compares.
  it('match src/render/golden.json', async () => {
    const renders = Object.fromEntries(
      Object.keys(rendered)
        .sort()
        .map((key) => [key, rendered[key]!]),
    );
    const known: Record<string, string> = golden.renders;
    const changed = [...new Set([...Object.keys(renders), ...Object.keys(known)])].filter(
      (key) => renders[key] !== known[key],
    );
    await expect(
      `${JSON.stringify({ renders }, null, 2)}\n`,
      `The renderer now draws ${changed.length} of the golden renders differently: ${changed.slice(0, 12).join(', ')}${changed.length > 12 ? ', …' : ''}. ` +
        'If that is intended, run `npm run golden:update` and commit src/render/golden.json: every image then gets a new URL.',
    ).toMatchFileSnapshot('../src/render/golden.json');
  });
});

/**
 * The square and story images of every built-in template, for a person to look at: one PNG per
 * template and format, a long, a short and a CJK name side by side, drawn by the real renderer.
 *
 *   node --import ./scripts/workerd-modules/register.mjs --import tsx scripts/social-pictures.ts /tmp/social-after
 *
 * With `--adapted`, each template's own square and story designs are left out, so the pictures
 * show what an organiser's template without them gets from adapt.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getPlatformProxy } from 'wrangler';
import type { Env } from '../src/env';
import { designFor } from '../src/render/adapt';
import { certificateFieldsFor } from '../test/sample-fields';
import { renderPng } from '../src/render/pipeline';
import { builtInTemplates } from '../templates';

const names = ['Maria del Carmen de la Concepción Rodríguez-Sánchez', 'Li Na', '山田太郎'];
const GAP = 40;

const fieldsFor = (name: string) => ({
  ...certificateFieldsFor(name),
  // The QR codes drawn as on a published certificate.
  verifyUrl: 'https://portal.example/verify/cert-0000000000000000/0123456789abcdef',
});

const adapted = process.argv.includes('--adapted');
const out = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'social-pictures';
mkdirSync(out, { recursive: true });
const proxy = await getPlatformProxy<Env>({ persist: true });
try {
  const sharp = (await import('sharp')).default;
  for (const template of builtInTemplates) {
    for (const variant of ['square', 'story'] as const) {
      const layout = adapted ? { ...template.layout, square: undefined, story: undefined } : template.layout;
      const design = designFor(layout, variant);
      const { width, height } = design.page;
      const pngs = await Promise.all(names.map((n) => renderPng(design, fieldsFor(n), proxy.env)));
      const sheet = await sharp({
        create: { width: names.length * (width + GAP) - GAP, height, channels: 4, background: '#808080' },
      })
        .composite(pngs.map((png, i) => ({ input: Buffer.from(png), left: i * (width + GAP), top: 0 })))
        .png()
        .toBuffer();
      const file = join(out, `${template.slug}-${variant}.png`);
      writeFileSync(file, sheet);
      console.log(file);
    }
  }
} finally {
  await proxy.dispose();
}

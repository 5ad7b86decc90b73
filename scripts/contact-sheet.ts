/**
 * Every test name (test/names-by-script.ts) drawn by the real renderer onto one PNG, for a person to
 * look at: each row is a name in its box (the box outlined), at the size and lines the renderer
 * chose, with its script and what to check beside it.
 *
 *   npm run contact-sheet            → contact-sheet.png
 */
import { writeFileSync } from 'node:fs';
import { getPlatformProxy } from 'wrangler';
import type { Env } from '../src/env';
import type { Design, LayoutElement } from '../src/render/layout';
import { renderPng } from '../src/render/pipeline';
import { hostileNames, testNames, unspacedNames } from '../test/names-by-script';

const ROW = 84;
const WIDTH = 1600;
// The layout schema allows 30 texts a design, so the sheet is drawn a page of rows at a time and
// the pages stacked.
const ROWS_PER_PAGE = 14;

const names = [...testNames, ...unspacedNames, ...hostileNames];

function page(rows: typeof names): Design {
  const elements: LayoutElement[] = rows.flatMap((n, i) => {
    const y = i * ROW + 8;
    const field = `name${i}`;
    return [
      { type: 'rect', x: 420, y, width: 1160, height: ROW - 16, stroke: '#cbd5e1', strokeWidth: 1, radius: 0 },
      {
        type: 'text',
        x: 16,
        y,
        width: 390,
        height: ROW - 16,
        text: `${n.script}${n.language ? ` (${n.language})` : ''}${n.note ? `: ${n.note}` : ''}`,
        font: { family: 'Noto Sans', weight: 400, size: 18, colour: '#475569', letterSpacing: 0, lineHeight: 1.2 },
        align: 'left',
        uppercase: false,
        maxLines: 2,
      },
      {
        type: 'text',
        x: 420,
        y,
        width: 1160,
        height: ROW - 16,
        text: `{${field}}`,
        font: { family: 'Noto Sans', weight: 700, size: 44, colour: '#0f172a', letterSpacing: 0, lineHeight: 1.2 },
        align: 'center',
        uppercase: false,
        maxLines: 2,
      },
    ] satisfies LayoutElement[];
  });
  return {
    page: { width: WIDTH, height: rows.length * ROW },
    background: { colour: '#ffffff' },
    elements,
  } as Design;
}

const proxy = await getPlatformProxy<Env>({ persist: true });
try {
  const sharp = (await import('sharp')).default;
  const pages: Buffer[] = [];
  for (let start = 0; start < names.length; start += ROWS_PER_PAGE) {
    const rows = names.slice(start, start + ROWS_PER_PAGE);
    // One language a page is all a design can say; names that need one are drawn on a page of their own.
    for (const n of rows.filter((r) => r.language)) {
      pages.push(Buffer.from(await renderPng(page([n]), { name0: n.name, language: n.language! }, proxy.env)));
    }
    const plain = rows.filter((r) => !r.language);
    pages.push(
      Buffer.from(
        await renderPng(page(plain), Object.fromEntries(plain.map((n, i) => [`name${i}`, n.name])), proxy.env),
      ),
    );
  }
  const heights = await Promise.all(pages.map(async (p) => (await sharp(p).metadata()).height!));
  const total = heights.reduce((a, b) => a + b, 0);
  let top = 0;
  const sheet = await sharp({ create: { width: WIDTH, height: total, channels: 4, background: '#ffffff' } })
    .composite(
      pages.map((input, i) => {
        const placed = { input, top, left: 0 };
        top += heights[i]!;
        return placed;
      }),
    )
    .png()
    .toBuffer();
  writeFileSync('contact-sheet.png', sheet);
  console.log(`contact-sheet.png: ${names.length} names, ${WIDTH}×${total}`);
} finally {
  await proxy.dispose();
}

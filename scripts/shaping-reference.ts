/**
 * The reference for test/text-shaping.test.ts: every test name (test/names-by-script.ts) is set by
 * the renderer, and each run it shapes (one face, script and direction) is shaped again by the
 * HarfBuzz command-line tool (`hb-shape`, Debian's libharfbuzz-bin: another build of HarfBuzz, the
 * shaper browsers use) from the same font file. Its glyph ids and clusters are written to
 * test/shaping-reference.json, which the test compares the worker's shaping with.
 *
 *   apt-get install -y libharfbuzz-bin
 *   npm run shaping:reference
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { getPlatformProxy } from 'wrangler';
import type { Env } from '../src/env';
import { fileOf, HeldFaces, resolveTexts } from '../src/render/text/faces';
import { setText } from '../src/render/text/typeset';
import { referenceBox, type ShapingReference } from '../test/shaping-box';
import { testNames, unspacedNames } from '../test/names-by-script';

/** hb-shape's clusters count code points; the renderer's count UTF-16 units, as JS strings do. */
function utf16Index(text: string, codePoints: number): number {
  return [...text].slice(0, codePoints).join('').length;
}

const proxy = await getPlatformProxy<Env>({ persist: true });
const held = new HeldFaces();
try {
  const reference: ShapingReference[] = [];
  for (const { name, language = null } of [...testNames, ...unspacedNames]) {
    const [resolved] = await resolveTexts(
      [{ text: name, family: 'Noto Sans', weight: 700, language }],
      proxy.env,
      held,
    );
    const { runs } = setText(resolved!, referenceBox);
    reference.push({
      name,
      language,
      runs: runs.map((run) => {
        const file = fileOf(run.face)!;
        const out = execFileSync(
          'hb-shape',
          [
            '--bot',
            '--eot',
            `--direction=${run.direction}`,
            `--script=${run.script}`,
            ...(language ? [`--language=${language}`] : []),
            '--output-format=json',
            '--no-glyph-names',
            '--no-positions',
            `.assets/fonts/${file}`,
            run.text,
          ],
          { encoding: 'utf8' },
        );
        const glyphs = (JSON.parse(out) as { g: number; cl: number }[]).map(
          (g) => [g.g, utf16Index(run.text, g.cl)] as [number, number],
        );
        return { file, text: run.text, script: run.script, direction: run.direction, glyphs };
      }),
    });
  }
  // A glyph per line would make the file 4,000 lines long; pairs are kept on one.
  const json = JSON.stringify(reference, null, 1).replace(/\[\s+(\d+),\s+(\d+)\s+\]/g, '[$1, $2]');
  writeFileSync('test/shaping-reference.json', `${json}\n`);
  execFileSync('npx', ['biome', 'format', '--write', 'test/shaping-reference.json']);
  console.log(
    `test/shaping-reference.json: ${reference.length} names, ${reference.flatMap((r) => r.runs).length} runs`,
  );
} finally {
  held.release();
  await proxy.dispose();
}

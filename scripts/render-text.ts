/**
 * Render times by script, for `npm run bench`: the real renderer in a fresh Node process (V8 and
 * the same WASM as in workerd), fonts from the local .assets through wrangler's platform proxy.
 * Prints JSON: the first render in the process (WASM instantiated, fonts loaded), then warm PNG
 * renders of the default certificate for a Latin name and names in Devanagari, Arabic, Thai and
 * Chinese, Japanese and Korean, interleaved so that drift hits each alike, and memory once faces
 * for all of them are loaded: the process's, HarfBuzz's WASM memory and the isolate caches'.
 *
 *   node --expose-gc --import ./scripts/workerd-modules/register.mjs --import tsx scripts/render-text.ts
 */
import { readFileSync } from 'node:fs';
import { getPlatformProxy } from 'wrangler';
import type { Env } from '../src/env';
import { renderPng } from '../src/render/pipeline';
import { isolateCacheBytes } from '../src/render/recent';
import { harfbuzzMemoryBytes } from '../src/render/text/harfbuzz';
import { builtInTemplates } from '../templates';

const ROUNDS = Number(process.env.TEXT_ROUNDS ?? 15);
const names = {
  latin: ['Alexandra Müller-Sánchez', 'Geoffrey Kirui', 'Siobhán Ní Mhaoilchiaráin'],
  devanagari: ['क्षत्रिय शक्ति', 'धर्मेंद्र प्रसाद', 'अनिल कुमार'],
  arabic: ['محمد الأمين', 'مُحَمَّد عَلِيّ', 'پرستو رضایی'],
  thai: ['สมชาย ใจดี', 'ณัฐพงษ์ ศรีสุข', 'สุดารัตน์ วงศ์ทอง'],
  cjk: ['王小明', 'さくら 山田', '김민준'],
};
const memoryMb = () => Number(readFileSync('/proc/self/status', 'utf8').match(/VmRSS:\s+(\d+)/)?.[1]) / 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const proxy = await getPlatformProxy<Env>({ persist: true });
try {
  const design = builtInTemplates[0]!.layout;
  const fields = (name: string, i: number) => ({
    name,
    event: 'Boston Marathon 2017',
    finishTime: `3:${String(10 + (i % 50)).padStart(2, '0')}:45`,
    status: 'finished',
  });
  const started = performance.now();
  await renderPng(design, fields(names.latin[0]!, 0), proxy.env);
  const firstMs = performance.now() - started;
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(names).map((k) => [k, []]));
  // Faces of every script loaded once before timing: the warm figures are of renders, not font loads.
  for (const list of Object.values(names)) for (const name of list) await renderPng(design, fields(name, 0), proxy.env);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [script, list] of Object.entries(names)) {
      const t = performance.now();
      await renderPng(design, fields(list[round % list.length]!, round), proxy.env);
      times[script]!.push(performance.now() - t);
    }
  }
  (globalThis as { gc?: () => void }).gc?.();
  console.log(
    JSON.stringify({
      firstMs,
      medians: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])),
      rounds: ROUNDS,
      rssMb: memoryMb(),
      harfbuzzMb: harfbuzzMemoryBytes() / 2 ** 20,
      cachesMb: isolateCacheBytes() / 2 ** 20,
    }),
  );
} finally {
  await proxy.dispose();
}

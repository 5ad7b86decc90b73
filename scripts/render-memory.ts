/**
 * Peak memory of one certificate render on an uploaded background, for `npm run bench`: the real
 * renderer in a fresh Node process (V8 and the same WASM as in workerd), reading the photo from
 * the local R2. Prints `{ baselineMb, peakMb }`: resident memory before the render (after a warm-up
 * render without a photo) and its high-water mark during it.
 *
 *   node --expose-gc --import ./scripts/workerd-modules/register.mjs --import tsx scripts/render-memory.ts <asset hash>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { getPlatformProxy } from 'wrangler';
import type { Env } from '../src/env';
import { renderPng } from '../src/render/pipeline';
import { builtInTemplates } from '../templates';

const hash = process.argv[2]!;
const memoryMb = (field: 'VmRSS' | 'VmHWM') =>
  Number(readFileSync('/proc/self/status', 'utf8').match(new RegExp(`${field}:\\s+(\\d+)`))?.[1]) / 1024;

const proxy = await getPlatformProxy<Env>({ persist: true });
try {
  const design = builtInTemplates[0]!.layout;
  const fields = { name: 'Alexandra Müller-Sánchez', event: 'Boston Marathon 2017', finishTime: '3:27:45' };
  await renderPng(design, fields, proxy.env);
  (globalThis as { gc?: () => void }).gc?.();
  const baselineMb = memoryMb('VmRSS');
  // Resets the high-water mark to the current size (Linux), so the peak is this render's own.
  writeFileSync('/proc/self/clear_refs', '5');
  await renderPng(
    { ...design, background: { image: { asset: hash, fit: 'cover' }, colour: '#ffffff' } },
    fields,
    proxy.env,
  );
  console.log(JSON.stringify({ baselineMb, peakMb: memoryMb('VmHWM') }));
} finally {
  await proxy.dispose();
}

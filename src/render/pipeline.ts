import { initWasm, Resvg } from '@resvg/resvg-wasm';
import resvgWasm from '@resvg/resvg-wasm/index_bg.wasm';
import satori, { init as initSatori } from 'satori/standalone';
import yogaWasm from 'satori/yoga.wasm';
import { certificateNode } from './certificate';
import type { CertificateFields } from './fields';
import { satoriFonts } from './fonts';
import type { RenderEnv } from '../env';
import type { Design } from './layout';
import { encodePng } from './png';
import { drawQrCodes } from './qr';

let ready: Promise<void> | undefined;

/** 1. WASM: Workers refuse to compile WASM from bytes, so both modules arrive precompiled, once per isolate. */
function initialise(): Promise<void> {
  ready ??= Promise.all([initSatori(yogaWasm), initWasm(resvgWasm)]).then(() => undefined);
  return ready;
}

/** 2–3. Fonts and element tree go through Satori to an SVG whose text is drawn as paths; QR codes are added to it. */
export async function renderSvg(design: Design, fields: CertificateFields, _env: RenderEnv): Promise<string> {
  await initialise();
  const svg = await satori(certificateNode(design, fields) as never, {
    width: design.page.width,
    height: design.page.height,
    fonts: satoriFonts,
  });
  return drawQrCodes(svg, design, fields);
}

/**
 * 4. SVG to pixels through resvg at the design's own size (or `scale` times it, for print), then
 * PNG. WASM memory is freed at once.
 */
export async function renderPng(
  design: Design,
  fields: CertificateFields,
  env: RenderEnv,
  scale = 1,
): Promise<Uint8Array<ArrayBuffer>> {
  const svg = await renderSvg(design, fields, env);
  const resvg = new Resvg(svg, { fitTo: { mode: 'width', value: Math.round(design.page.width * scale) }, font: { loadSystemFonts: false } });
  const image = resvg.render();
  try {
    return await encodePng(image.pixels, image.width, image.height);
  } finally {
    image.free();
    resvg.free();
  }
}

import { initWasm, Resvg } from '@resvg/resvg-wasm';
import resvgWasm from '@resvg/resvg-wasm/index_bg.wasm';
import satori, { init as initSatori } from 'satori/standalone';
import yogaWasm from 'satori/yoga.wasm';
import { certificateNode, certificateTexts } from './certificate';
import { emojiImage } from './emoji';
import type { CertificateFields } from './fields';
import { missingGlyphs, satoriFontsWith } from './fonts';
import type { RenderEnv } from '../env';
import type { Design } from './layout';
import { encodePng } from './png';
import { drawQrCodes } from './qr';
import { scriptFaces } from './script-fonts';

let ready: Promise<void> | undefined;

/** 1. WASM: Workers refuse to compile WASM from bytes, so both modules arrive precompiled, once per isolate. */
function initialise(): Promise<void> {
  ready ??= Promise.all([initSatori(yogaWasm), initWasm(resvgWasm)]).then(() => undefined);
  return ready;
}

/**
 * 2–3. Fonts and element tree go through Satori to an SVG whose text is drawn as paths; QR codes
 * are added to it. CJK faces are fetched for the texts that need them, emoji when Satori asks.
 */
export async function renderSvg(design: Design, fields: CertificateFields, env: RenderEnv): Promise<string> {
  await initialise();
  const texts = certificateTexts(design, fields);
  const faces = await scriptFaces(texts, env);
  // Given loadAdditionalAsset, Satori looks up every grapheme's glyph (1–2 ms at A4), so it gets
  // one only when some character, an emoji say, has no face.
  const uncovered = texts.some((t) => missingGlyphs(t.text, t.family, t.weight, faces).length > 0);
  const svg = await satori(certificateNode(design, fields, faces) as never, {
    width: design.page.width,
    height: design.page.height,
    fonts: satoriFontsWith(faces),
    ...(uncovered && {
      loadAdditionalAsset: async (languageCode: string, segment: string) => (languageCode === 'emoji' ? emojiImage(segment, env) : ''),
    }),
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

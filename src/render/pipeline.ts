import { initWasm, Resvg } from '@resvg/resvg-wasm';
import resvgWasm from '@resvg/resvg-wasm/index_bg.wasm';
import satori, { init as initSatori } from 'satori/standalone';
import yogaWasm from 'satori/yoga.wasm';
import type { SniffedAsset } from '../assets/sniff';
import type { RenderEnv } from '../env';
import { drawable, loadDesignAssets } from './design-assets';
import { backdropFor, layOverBackdrop, withBackdrop, type Backdrop } from './backdrop';
import { certificateNode, certificateTexts, drawTextsInto } from './certificate';
import type { CertificateFields } from './fields';
import type { Design } from './layout';
import { encodePng } from './png';
import { drawQrCodes } from './qr';
import type { TextLayer } from './pdf-text';
import { fetchAsset } from './static-assets';
import { fileOf, HeldFaces, resolveTexts } from './text/faces';
import { setText } from './text/typeset';

let ready: Promise<void> | undefined;

/** 1. WASM: Workers refuse to compile WASM from bytes, so both modules arrive precompiled, once per isolate. */
function initialise(): Promise<void> {
  ready ??= Promise.all([initSatori(yogaWasm), initWasm(resvgWasm)]).then(() => undefined);
  return ready;
}

/** Whether the renderer can draw an upload all the way through, asked before it is stored. */
export async function drawsUpload(bytes: Uint8Array, sniffed: SniffedAsset): Promise<boolean> {
  await initialise();
  return drawable(bytes, sniffed);
}

/**
 * Satori clips every image to its box, which costs resvg a full-page mask. An image that fills
 * exactly the box it is clipped to (a contained one, sized in certificate.ts) needs no clip; a
 * cropped (cover) one keeps it.
 */
function unclipImages(svg: string): string {
  const clips = new Map(
    [
      ...svg.matchAll(
        /<clipPath id="([^"]+)"><rect x="([^"]*)" y="([^"]*)" width="([^"]*)" height="([^"]*)"\/><\/clipPath>/g,
      ),
    ].map((m) => [m[1]!, m.slice(2, 6).map(Number)]),
  );
  return svg.replace(
    /<image x="([^"]*)" y="([^"]*)" width="([^"]*)" height="([^"]*)"([^>]*?) clip-path="url\(#([^)]+)\)" mask="[^"]*"/g,
    (tag, x: string, y: string, width: string, height: string, rest: string, clipId: string) => {
      const clip = clips.get(clipId);
      const exact = clip !== undefined && [x, y, width, height].every((v, i) => Math.abs(Number(v) - clip[i]!) < 0.5);
      return exact ? `<image x="${x}" y="${y}" width="${width}" height="${height}"${rest}` : tag;
    },
  );
}

/**
 * 2–3. Uploaded assets and the faces the texts need are loaded; HarfBuzz sets each text as glyph
 * outlines (text/); Satori lays out the boxes and images, with a marker where each text goes in
 * paint order; QR codes are added. A background photo stays apart (backdrop.ts).
 */
async function renderLayers(
  design: Design,
  fields: CertificateFields,
  env: RenderEnv,
): Promise<{ svg: string; backdrop?: Backdrop; text: TextLayer }> {
  const texts = certificateTexts(design, fields);
  // Assets are checked by drawing them, so after the WASM is ready.
  const assets = await initialise().then(() => loadDesignAssets(design, env.FILES));
  const held = new HeldFaces();
  try {
    const resolved = await resolveTexts(
      texts.map((t) => {
        const font = t.asset ? assets.fonts.get(t.asset) : undefined;
        return { ...t, uploaded: font && { hash: t.asset!, sfnt: font.sfnt } };
      }),
      env,
      held,
    );
    const set = texts.map((t, i) => setText(resolved[i]!, t.box));
    const drawn = new Map(texts.map((t, i) => [t.element, set[i]!.svg]));
    // Each cluster by the file of its face, named while the faces are held; the PDF's text layer reads the files.
    const clusters = set.flatMap(({ clusters, fontSize }) =>
      clusters.map(({ face, ...cluster }) => ({ ...cluster, file: fileOf(face)!, size: fontSize })),
    );
    const fontFile = (file: string) =>
      file.startsWith('upload:')
        ? Promise.resolve(assets.fonts.get(file.slice('upload:'.length))?.sfnt)
        : fetchAsset(env, `/fonts/${file}`);
    const svg = await satori(certificateNode(design, fields, { assets }) as never, {
      width: design.page.width,
      height: design.page.height,
      fonts: [],
    });
    const background = 'image' in design.background ? assets.images.get(design.background.image.asset) : undefined;
    return {
      svg: drawQrCodes(unclipImages(drawTextsInto(svg, drawn)), design, fields),
      backdrop: backdropFor(design, background),
      text: { clusters, fontFile },
    };
  } finally {
    held.release();
  }
}

/**
 * The characters of a certificate no face can draw (they render as placeholders), for the
 * publish run to report; empty for nearly every record. Faces are cached by the render before it.
 */
export async function undrawnCharacters(design: Design, fields: CertificateFields, env: RenderEnv): Promise<string[]> {
  const texts = certificateTexts(design, fields);
  const held = new HeldFaces();
  try {
    const resolved = await resolveTexts(texts, env, held);
    return [...new Set(resolved.flatMap((t) => t.graphemes.filter((_, i) => t.drawings[i]!.kind === 'missing')))];
  } finally {
    held.release();
  }
}

/** The certificate as one self-contained SVG. */
export async function renderSvg(design: Design, fields: CertificateFields, env: RenderEnv): Promise<string> {
  return (await renderDrawing(design, fields, env)).svg;
}

/** The certificate as one self-contained SVG, and the text it draws as outlines, for a PDF. */
export async function renderDrawing(
  design: Design,
  fields: CertificateFields,
  env: RenderEnv,
): Promise<{ svg: string; text: TextLayer }> {
  const { svg, backdrop, text } = await renderLayers(design, fields, env);
  return { svg: backdrop ? withBackdrop(svg, backdrop) : svg, text };
}

/**
 * 4. SVG to pixels through resvg at the design's own size (or `scale` times it, for print), laid
 * over the backdrop if there is one, then PNG. WASM memory is freed at once.
 */
export async function renderPng(
  design: Design,
  fields: CertificateFields,
  env: RenderEnv,
  scale = 1,
): Promise<Uint8Array<ArrayBuffer>> {
  const { svg, backdrop } = await renderLayers(design, fields, env);
  const pixelWidth = Math.round(design.page.width * scale);
  const resvg = new Resvg(svg, { fitTo: { mode: 'width', value: pixelWidth }, font: { loadSystemFonts: false } });
  const image = resvg.render();
  try {
    const pixels = image.pixels;
    if (backdrop) layOverBackdrop(pixels, backdrop, design.page, pixelWidth);
    return await encodePng(pixels, image.width, image.height);
  } finally {
    image.free();
    resvg.free();
  }
}

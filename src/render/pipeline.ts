import { initWasm, Resvg } from '@resvg/resvg-wasm';
import resvgWasm from '@resvg/resvg-wasm/index_bg.wasm';
import satori, { init as initSatori } from 'satori/standalone';
import yogaWasm from 'satori/yoga.wasm';
import type { SniffedAsset } from '../assets/sniff';
import type { RenderEnv } from '../env';
import { drawable, loadDesignAssets } from './design-assets';
import { backdropFor, layOverBackdrop, withBackdrop, type Backdrop } from './backdrop';
import { certificateNode, certificateTexts, drawTextsInto, plainSvg, type CertificateText } from './certificate';
import { conditionHolds, type CertificateFields } from './fields';
import type { Design } from './layout';
import { encodePng } from './png';
import { drawQrCodes } from './qr';
import type { TextCluster, TextLayer } from './pdf-text';
import { RecentCache } from './recent';
import { fetchAsset } from './static-assets';
import { fileOf, HeldFaces, resolveTexts } from './text/faces';
import { setText } from './text/typeset';
import { RenderTiming } from './timing';

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
 * Satori wraps each box in an overflow mask that nothing refers to unless the box clips. resvg
 * parses every one of them; left out, the drawing is the same.
 */
function dropUnusedMasks(svg: string): string {
  const used = new Set(Array.from(svg.matchAll(/url\(#([^)]+)\)/g), (m) => m[1]));
  return svg.replace(/<mask id="([^"]+)">(?:(?!<\/mask>).)*<\/mask>/g, (mask, id: string) =>
    used.has(id) ? mask : '',
  );
}

/** The rows a drawn element's ink covers on the page (text may overhang its box). */
export interface InkRows {
  top: number;
  bottom: number;
}

/** A design drawn as SVG, with what goes apart from it, and where each element's ink lies. */
export interface Layers {
  svg: string;
  backdrop?: Backdrop;
  text: TextLayer;
  /** By element index: the rows each element that draws something covers. */
  ink: Map<number, InkRows>;
}

/** A text set for the page: its outlines, the rows its ink covers, and its clusters for a PDF's text layer. */
interface SetForPage {
  svg: string;
  ink: InkRows;
  clusters: TextCluster[];
}

// Texts as set before, by all that sets them: most of a certificate's texts recur from record to
// record (labels, a category, "finished in"), and need neither their faces nor HarfBuzz again.
const setTexts = new RecentCache<SetForPage>(1024 * 1024);
const setTextKey = (t: CertificateText) =>
  JSON.stringify([t.text, t.family, t.weight, t.language, t.asset ?? null, t.box]);

/**
 * 2–3. Uploaded assets and the faces the texts need are loaded; HarfBuzz sets each text as glyph
 * outlines (text/); Satori lays out the boxes and images, with a marker where each text goes in
 * paint order; QR codes are added. A background photo stays apart (backdrop.ts).
 */
export async function renderLayers(
  design: Design,
  fields: CertificateFields,
  env: RenderEnv,
  timing = new RenderTiming(),
  { plain = false } = {},
): Promise<Layers> {
  const texts = certificateTexts(design, fields);
  const keys = texts.map(setTextKey);
  const known = keys.map((key) => setTexts.get(key));
  const unset = texts.filter((_, i) => !known[i]);
  // Assets are checked by drawing them, so after the WASM is ready.
  const loading = timing.time('assets', () => initialise().then(() => loadDesignAssets(design, env.FILES, fields)));
  const held = new HeldFaces();
  try {
    // The faces load while the WASM starts (most of a first render), unless a text needs an uploaded font.
    const resolving = timing.time('fonts', async () => {
      const uploads = unset.some((t) => t.asset) ? (await loading).fonts : undefined;
      return resolveTexts(
        unset.map((t) => {
          const font = t.asset ? uploads?.get(t.asset) : undefined;
          return { ...t, uploaded: font && { hash: t.asset!, sfnt: font.sfnt } };
        }),
        env,
        held,
      );
    });
    // Both settle before the faces are let go (finally below), even if one fails.
    await Promise.allSettled([loading, resolving]);
    const [assets, resolved] = await Promise.all([loading, resolving]);
    const newlySet = timing.time('text', () => unset.map((t, n) => setText(resolved[n]!, t.box)));
    const set = known.map((page, i) => {
      if (page) return page;
      const { svg, ink, clusters, fontSize } = newlySet.shift()!;
      // Each cluster by the file of its face, named while the faces are held; the PDF's text layer reads the files.
      const named = clusters.map(({ face, ...cluster }) => ({ ...cluster, file: fileOf(face)!, size: fontSize }));
      const entry = { svg, ink: { top: ink.top, bottom: ink.bottom }, clusters: named };
      return setTexts.set(keys[i]!, entry, 2 * svg.length + 100 * named.length);
    });
    const drawn = new Map(texts.map((t, i) => [t.element, set[i]!.svg]));
    const clusters = set.flatMap((page) => page.clusters);
    const fontFile = (file: string) =>
      file.startsWith('upload:')
        ? Promise.resolve(assets.fonts.get(file.slice('upload:'.length))?.sfnt)
        : fetchAsset(env, `/fonts/${file}`);
    const tree = certificateNode(design, fields, { assets });
    // `plain`: written directly where Satori has nothing to lay out (plainSvg), for rasterising
    // only: the SVG and PDF downloads keep Satori's drawing as it was.
    const svg =
      (plain ? plainSvg(tree, drawn) : undefined) ??
      drawTextsInto(
        await timing.time('satori', () =>
          satori(tree as never, { width: design.page.width, height: design.page.height, fonts: [] }),
        ),
        drawn,
      );
    const ink = new Map<number, InkRows>();
    for (const [i, e] of design.elements.entries()) {
      if (e.type !== 'text' && conditionHolds(e.when, fields)) ink.set(i, { top: e.y, bottom: e.y + e.height });
    }
    for (const [i, t] of texts.entries()) {
      const { top, bottom } = set[i]!.ink;
      // Ink of an empty text (all spaces) is empty: nothing to cover.
      if (bottom > top) ink.set(t.element, { top, bottom });
    }
    const background = 'image' in design.background ? assets.images.get(design.background.image.asset) : undefined;
    return {
      svg: timing.time('qr', () => drawQrCodes(unclipImages(svg), design, fields)),
      backdrop: backdropFor(design, background),
      text: { clusters, fontFile },
      ink,
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
 * SVG to 8-bit premultiplied RGBA through resvg, at `pixelWidth`; WASM memory is freed at once.
 * `rows` draws only that band of the page (its view box cropped), as the same pixels the whole
 * page would have there.
 */
export function rasterise(
  svg: string,
  page: { width: number; height: number },
  pixelWidth: number,
  timing: RenderTiming,
  rows?: { top: number; height: number },
): { pixels: Uint8Array; width: number; height: number } {
  const whole = `<svg width="${page.width}" height="${page.height}" viewBox="0 0 ${page.width} ${page.height}"`;
  if (rows && !svg.startsWith(whole)) throw new Error('Satori no longer starts its SVG as the band crop expects');
  const resvg = timing.time('resvg', () => {
    const drawn = dropUnusedMasks(svg);
    const cropped = rows
      ? `<svg width="${page.width}" height="${rows.height}" viewBox="0 ${rows.top} ${page.width} ${rows.height}"${drawn.slice(whole.length)}`
      : drawn;
    return new Resvg(cropped, { fitTo: { mode: 'width', value: pixelWidth }, font: { loadSystemFonts: false } });
  });
  const image = timing.time('resvg', () => resvg.render());
  try {
    return { pixels: timing.time('pixels', () => image.pixels), width: image.width, height: image.height };
  } finally {
    image.free();
    resvg.free();
  }
}

/**
 * 4. The whole page through resvg at the design's own size (or `scale` times it, for print), laid
 * over the backdrop if there is one, then PNG: the straightforward render every faster path must
 * match (static-layer.ts).
 */
export async function renderPng(
  design: Design,
  fields: CertificateFields,
  env: RenderEnv,
  scale = 1,
  timing = new RenderTiming(),
): Promise<Uint8Array<ArrayBuffer>> {
  const { svg, backdrop } = await renderLayers(design, fields, env, timing, { plain: true });
  const pixelWidth = Math.round(design.page.width * scale);
  const { pixels, width, height } = rasterise(svg, design.page, pixelWidth, timing);
  if (backdrop) timing.time('backdrop', () => layOverBackdrop(pixels, backdrop, design.page, pixelWidth));
  // Level 3: the whole page is deflated on every request here, unlike the fast path's kept rows.
  return timing.time('png', () => encodePng(pixels, width, height, 3));
}

import { hash53, sha256Hex } from '../digest';
import type { RenderEnv } from '../env';
import type { CertificateFields } from './fields';
import type { Design, LayoutElement } from './layout';
import { rasterise, renderLayers, renderPng, type InkRows } from './pipeline';
import { deflateRows, encodePngRuns, pngRows, type DeflatedRows } from './png';
import { RecentCache } from './recent';
import { RenderTiming } from './timing';
import { RENDERER_VERSION } from './version';

/**
 * The fast path of a certificate PNG. Most of a design is the same for every record of an event:
 * the frame, the headings, the event's name and date. That static layer is drawn once per design
 * and event values and kept, already deflated, as the rows around the bands where the per-record
 * elements go. A record then costs Satori for those elements, resvg for their bands alone (its view
 * box cropped to each), and deflate for their rows. A band is drawn whole, static elements reaching
 * into it included, so its pixels are those of the whole-page render (renderPng) whatever overlaps.
 */

/** Fields that are the event's, the same on every record's certificate. */
const eventFields = new Set(['event', 'date', 'location']);
const placeholder = /\{([\w .-]+)(?:\|\w+)?\}/g;

function perRecord(element: LayoutElement): boolean {
  if (element.type === 'photo') return true;
  const fields = element.when ? [element.when.field] : [];
  const text = element.type === 'text' ? element.text : element.type === 'qr' ? element.value : '';
  for (const [, field] of text.matchAll(placeholder)) fields.push(field!.trim());
  return fields.some((field) => !eventFields.has(field));
}

// Rows of margin around a band, for antialiased edges and ink that the text fitting lets overhang.
const BAND_MARGIN = 4;
// Bands closer than this are drawn as one: a second resvg pass costs more than a few rows.
const BAND_GAP = 48;
// Above this share of the page, the bands save too little to be worth a second render.
const MOST_OF_THE_PAGE = 0.9;
// zlib's default level for the rows deflated once and kept; for each record's bands, level 3:
// 3–4 times faster, for up to twice the bytes.
const STATIC_LEVEL = 6;
const BAND_LEVEL = 3;

/** Rows from `top` to before `bottom`. */
interface Rows {
  top: number;
  bottom: number;
}

interface Band extends Rows {
  /** Elements (by index in the design) drawn in the band: the per-record ones, and static ones whose ink reaches in. */
  drawn: Set<number>;
}

interface StaticLayer {
  bands: Band[];
  /** The static rows around the bands, deflated: before the first band, between bands, after the last. */
  runs: DeflatedRows[];
}

// A few hundred KB per layer: the deflated rows, not the pixels.
const layers = new RecentCache<StaticLayer>(4 * 1024 * 1024);

const layerBytes = (layer: StaticLayer) => layer.runs.reduce((n, r) => n + r.deflated.length, 1024);

/**
 * Where a static layer is kept in R2 for every isolate: a fresh one then draws its first image on
 * the fast path too, without the whole page's cold resvg and deflate. It holds only what every
 * participant's certificate shows, so nothing in it is a participant's.
 */
const storedLayerKey = async (key: string) =>
  `static-layers/${RENDERER_VERSION}/${(await sha256Hex(key)).slice(0, 32)}`;

/** A layer as one R2 object: the length of a JSON head (bands, runs), the head, then each run's deflated bytes. */
function packLayer({ bands, runs }: StaticLayer): Uint8Array {
  const head = new TextEncoder().encode(
    JSON.stringify({
      bands: bands.map((b) => ({ top: b.top, bottom: b.bottom, drawn: [...b.drawn] })),
      runs: runs.map((r) => ({ adler: r.adler, length: r.length, size: r.deflated.length })),
    }),
  );
  const packed = new Uint8Array(4 + head.length + runs.reduce((n, r) => n + r.deflated.length, 0));
  new DataView(packed.buffer).setUint32(0, head.length);
  packed.set(head, 4);
  let at = 4 + head.length;
  for (const run of runs) {
    packed.set(run.deflated, at);
    at += run.deflated.length;
  }
  return packed;
}

function unpackLayer(packed: Uint8Array): StaticLayer {
  const headLength = new DataView(packed.buffer, packed.byteOffset).getUint32(0);
  const head = JSON.parse(new TextDecoder().decode(packed.subarray(4, 4 + headLength))) as {
    bands: (Rows & { drawn: number[] })[];
    runs: { adler: number; length: number; size: number }[];
  };
  let at = 4 + headLength;
  return {
    bands: head.bands.map((b) => ({ ...b, drawn: new Set(b.drawn) })),
    runs: head.runs.map(({ adler, length, size }) => {
      const deflated = packed.subarray(at, at + size);
      at += size;
      return { adler, length, deflated };
    }),
  };
}

/** The layer another isolate (or an earlier one) drew and kept in R2; undefined if none, or unreadable. */
async function storedLayer(key: string, env: RenderEnv): Promise<StaticLayer | undefined> {
  try {
    const object = await env.FILES.get(await storedLayerKey(key));
    if (!object) return undefined;
    const layer = unpackLayer(new Uint8Array(await object.arrayBuffer()));
    return layers.set(key, layer, layerBytes(layer));
  } catch (error) {
    console.error('stored static layer unreadable', error);
    return undefined;
  }
}

/** The bands per-record elements may draw in: their boxes with a margin, those close together joined. */
function bandsOf(elements: LayoutElement[], page: Design['page']): Rows[] {
  const boxes = elements
    .map((e) => ({
      top: Math.max(0, Math.floor(e.y) - BAND_MARGIN),
      bottom: Math.min(page.height, Math.ceil(e.y + e.height) + BAND_MARGIN),
    }))
    .sort((a, b) => a.top - b.top);
  const bands: Rows[] = [];
  for (const box of boxes) {
    const last = bands.at(-1);
    if (last && box.top < last.bottom + BAND_GAP) last.bottom = Math.max(last.bottom, box.bottom);
    else bands.push({ ...box });
  }
  return bands;
}

const overlaps = (ink: InkRows, rows: Rows) => ink.bottom > rows.top && ink.top < rows.bottom;
const within = (ink: InkRows, rows: Rows) => ink.top >= rows.top && ink.bottom <= rows.bottom;

/** Why a design cannot take the fast path, if it cannot (whatever the record). */
function unsuitable(design: Design, dynamic: LayoutElement[]): string | undefined {
  if ('image' in design.background) return 'photo background';
  const rows = bandsOf(dynamic, design.page).reduce((n, b) => n + b.bottom - b.top, 0);
  if (rows > MOST_OF_THE_PAGE * design.page.height) {
    return `per-record elements span ${Math.round((100 * rows) / design.page.height)}% of the page`;
  }
  return undefined;
}

/** Everything that sets a static layer's pixels: the design, the event's values, and the language its texts are shaped for. */
const layerKey = (design: Design, fields: CertificateFields) =>
  JSON.stringify([hash53(JSON.stringify(design)), ...[...eventFields, 'language'].map((f) => fields[f] ?? null)]);

/** Draws a layer, keeps it in the isolate and stores it in R2 for the others. */
async function drawLayer(
  key: string,
  design: Design,
  fields: CertificateFields,
  dynamic: Set<number>,
  env: RenderEnv,
  timing: RenderTiming,
): Promise<StaticLayer> {
  const kept = design.elements.flatMap((_, i) => (dynamic.has(i) ? [] : [i]));
  const drawing = await renderLayers(
    { ...design, elements: kept.map((i) => design.elements[i]!) },
    fields,
    env,
    timing,
    { plain: true },
  );
  const { pixels, width, height } = rasterise(drawing.svg, design.page, design.page.width, timing);
  const rows = bandsOf(
    [...dynamic].map((i) => design.elements[i]!),
    design.page,
  );
  const layer = timing.time('static', () => {
    const scanlines = pngRows(pixels, width, height);
    const stride = width * 4 + 1;
    const bands = rows.map((band) => ({
      ...band,
      drawn: new Set(
        design.elements.flatMap((_, i) => {
          const at = kept.indexOf(i);
          const ink = at < 0 ? undefined : drawing.ink.get(at);
          return dynamic.has(i) || (ink && overlaps(ink, band)) ? [i] : [];
        }),
      ),
    }));
    const edges = [0, ...rows.flatMap((b) => [b.top, b.bottom]), height];
    const runs = Array.from({ length: bands.length + 1 }, (_, n) =>
      deflateRows(scanlines.subarray(edges[2 * n]! * stride, edges[2 * n + 1]! * stride), STATIC_LEVEL),
    );
    return { bands, runs };
  });
  await env.FILES.put(await storedLayerKey(key), packLayer(layer));
  return layers.set(key, layer, layerBytes(layer));
}

// Static layers being drawn after a response (see renderCertificatePng), so that one is drawn once.
const building = new Set<string>();

/**
 * A certificate PNG at the design's own size, through the static layer where the design allows
 * and the whole-page render where not; `timing.path` says which, and why not. Given `later`
 * (e.g. `ctx.waitUntil`), a participant never waits for a static layer to be drawn: the first
 * request draws the whole page and the layer is drawn after the response has gone.
 */
export async function renderCertificatePng(
  design: Design,
  fields: CertificateFields,
  env: RenderEnv,
  timing: RenderTiming,
  later?: (work: Promise<unknown>) => void,
): Promise<Uint8Array<ArrayBuffer>> {
  const dynamic = new Set(design.elements.flatMap((e, i) => (perRecord(e) ? [i] : [])));
  const reason = unsuitable(
    design,
    [...dynamic].map((i) => design.elements[i]!),
  );
  if (reason) return full(design, fields, env, timing, reason);

  const key = layerKey(design, fields);
  let layer = layers.get(key) ?? (building.has(key) ? undefined : await timing.time('r2', () => storedLayer(key, env)));
  if (!layer && later) {
    const drawn = full(design, fields, env, timing, 'static layer being drawn');
    if (!building.has(key)) {
      building.add(key);
      // Begun once this image is drawn and a task later, when its response has gone: begun at
      // once, the layer's drawing took turns with the image's and made a first render twice as slow.
      const afterResponse = drawn.then(() => new Promise((resolve) => setTimeout(resolve, 0)));
      later(
        afterResponse
          .then(() => drawLayer(key, design, fields, dynamic, env, new RenderTiming()))
          .catch((error: unknown) => console.error('static layer not drawn', error))
          .finally(() => building.delete(key)),
      );
    }
    return drawn;
  }
  layer ??= await drawLayer(key, design, fields, dynamic, env, timing);
  const { width } = design.page;
  const runs = [layer.runs[0]!];
  if (layer.bands.length > 0) {
    // Every band's elements in one Satori pass, in the design's paint order; resvg then draws each band.
    const drawn = design.elements.flatMap((_, i) => (layer.bands.some((b) => b.drawn.has(i)) ? [i] : []));
    const drawing = await renderLayers(
      { ...design, elements: drawn.map((i) => design.elements[i]!) },
      fields,
      env,
      timing,
      { plain: true },
    );
    const strays = drawn.some(
      (i, at) => dynamic.has(i) && drawing.ink.has(at) && !layer.bands.some((b) => within(drawing.ink.get(at)!, b)),
    );
    if (strays) return full(design, fields, env, timing, 'per-record ink outside its band');
    for (const [n, band] of layer.bands.entries()) {
      const height = band.bottom - band.top;
      const { pixels } = rasterise(drawing.svg, design.page, width, timing, { top: band.top, height });
      runs.push(
        timing.time('png', () => deflateRows(pngRows(pixels, width, height), BAND_LEVEL)),
        layer.runs[n + 1]!,
      );
    }
  }
  timing.path = 'fast';
  return timing.time('png', () => encodePngRuns(runs, width, design.page.height));
}

function full(
  design: Design,
  fields: CertificateFields,
  env: RenderEnv,
  timing: RenderTiming,
  reason: string,
): Promise<Uint8Array<ArrayBuffer>> {
  timing.path = `full: ${reason}`;
  return renderPng(design, fields, env, 1, timing);
}

/** Forgets the layers this isolate keeps, as a fresh isolate starts with none (R2 keeps them). */
export const forgetIsolateLayers = () => layers.clear();

import type { RenderEnv } from '../../env';
import { emojiPicture, type EmojiPicture } from '../emoji';
import type { FontFamily, FontWeight } from '../layout';
import { RecentCache } from '../recent';
import { fetchAsset } from '../static-assets';
import { harfbuzzReady, ShapingFace } from './harfbuzz';
import { resolveScripts, type ScriptTag } from './scripts';

/** An entry of .assets/fonts/faces.json or fonts/slices/ (scripts/build-assets.ts): a face the renderer can draw with, as TTF. */
interface FaceFile {
  family: string;
  subset: string;
  weight: number;
  file: string;
  ranges: [number, number][];
}

/** A family's faces at one weight, by the code points their files say they hold, for a binary search. */
interface RangeIndex {
  starts: number[];
  ends: number[];
  files: FaceFile[];
}

type FamilyIndex = Map<number, RangeIndex>;

interface Manifest {
  families: Map<string, FamilyIndex>;
  /** The CJK families, whose slices are listed in files of their own (fonts/slices/), read when first needed. */
  slices: Record<string, string>;
}

function indexFaces(faces: FaceFile[]): Map<string, FamilyIndex> {
  const families = new Map<string, FamilyIndex>();
  const byWeight = new Map<string, { start: number; end: number; face: FaceFile }[]>();
  for (const face of faces) {
    const key = `${face.family}|${face.weight}`;
    const list = byWeight.get(key) ?? [];
    for (const [start, end] of face.ranges) list.push({ start, end, face });
    byWeight.set(key, list);
  }
  for (const [key, list] of byWeight) {
    const [family, weight] = key.split('|') as [string, string];
    // Stable: where ranges overlap, the face listed first (the common subset) wins.
    list.sort((a, b) => a.start - b.start);
    const weights = families.get(family) ?? new Map<number, RangeIndex>();
    weights.set(Number(weight), {
      starts: list.map((r) => r.start),
      ends: list.map((r) => r.end),
      files: list.map((r) => r.face),
    });
    families.set(family, weights);
  }
  return families;
}

/** A JSON file of .assets/fonts, read once per isolate; a failed read is tried again next time. */
function onceJson<T>(cell: { value?: Promise<T> }, env: RenderEnv, path: string, make: (json: never) => T): Promise<T> {
  cell.value ??= fetchAsset(env, path)
    .then((data) => {
      if (!data) throw new Error(`.assets${path} is missing: run npm run assets:build`);
      return make(JSON.parse(new TextDecoder().decode(data)) as never);
    })
    .catch((error: unknown) => {
      cell.value = undefined;
      throw error;
    });
  return cell.value;
}

const manifest: { value?: Promise<Manifest> } = {};
const sliced = new Map<string, { value?: Promise<FamilyIndex | undefined> }>();

/** A family's faces by weight: from the manifest, or for a CJK family from its slices' own file. */
async function familyIndex(env: RenderEnv, family: string): Promise<FamilyIndex | undefined> {
  const { families, slices } = await onceJson(
    manifest,
    env,
    '/fonts/faces.json',
    ({ faces, slices }: { faces: FaceFile[]; slices: Record<string, string> }) => ({
      families: indexFaces(faces),
      slices,
    }),
  );
  const file = slices[family];
  if (families.has(family) || !file) return families.get(family);
  const cell = sliced.get(family) ?? {};
  sliced.set(family, cell);
  return onceJson(cell, env, `/fonts/${file}`, ({ faces }: { faces: FaceFile[] }) => indexFaces(faces).get(family));
}

/** Every face of the index whose ranges hold the code point, in manifest order. */
function facesHolding({ starts, ends, files }: RangeIndex, codePoint: number): FaceFile[] {
  // Ranges are sorted by start and short; the ones that can hold it start at or before it.
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (starts[mid]! <= codePoint) low = mid + 1;
    else high = mid;
  }
  const found: FaceFile[] = [];
  for (let i = low - 1; i >= 0 && codePoint - starts[i]! < 0x10000; i--) {
    if (ends[i]! >= codePoint && !found.includes(files[i]!)) found.push(files[i]!);
  }
  return found;
}

/** The nearest weight a family has, for families drawn in one weight only. */
function atWeight(weights: FamilyIndex, weight: FontWeight): RangeIndex | undefined {
  return weights.get(weight) ?? [...weights].sort(([a], [b]) => Math.abs(a - weight) - Math.abs(b - weight))[0]?.[1];
}

// Urdu (and Punjabi in Shahmukhi) letters that Arabic and Persian do not use: a name with one of
// them is read in Nastaliq, the way Urdu is written in Pakistan.
const urduLetters = /[\u0679\u0688\u0691\u06BA\u06BE\u06C1-\u06C3\u06D2\u06D3]/u;

/**
 * The families tried for a text after the element's own, by what the text and its language say:
 * Han characters are drawn the Japanese, Korean, or Chinese way, and Arabic letters in Nastaliq
 * for Urdu.
 */
function scriptFamilies(text: string, language: string | null): string[] {
  const lang = language?.toLowerCase() ?? '';
  const cjk = (() => {
    if (lang.startsWith('ja') || /[\p{sc=Hiragana}\p{sc=Katakana}]/u.test(text)) return ['JP', 'SC', 'TC', 'KR'];
    if (lang.startsWith('ko') || /\p{sc=Hangul}/u.test(text)) return ['KR', 'SC', 'TC', 'JP'];
    if (/^zh-(hant|tw|hk|mo)/.test(lang)) return ['TC', 'SC', 'JP', 'KR'];
    return ['SC', 'TC', 'JP', 'KR'];
  })().map((region) => `Noto Sans ${region}`);
  const arabic = ['Noto Sans Arabic', 'Noto Nastaliq Urdu'];
  if (lang.startsWith('ur') || (!lang && urduLetters.test(text))) arabic.reverse();
  return [
    ...arabic,
    'Noto Sans Hebrew',
    'Noto Sans Thai',
    'Noto Sans Bengali',
    'Noto Sans Tamil',
    'Noto Sans Telugu',
    'Noto Sans Kannada',
    'Noto Sans Malayalam',
    'Noto Sans Gujarati',
    'Noto Sans Gurmukhi',
    'Noto Sans Sinhala',
    'Noto Sans Khmer',
    'Noto Sans Lao',
    'Noto Sans Myanmar',
    'Noto Sans Georgian',
    'Noto Sans Armenian',
    'Noto Sans Ethiopic',
    ...cjk,
  ];
}

/** A HarfBuzz face the isolate keeps, freed once the cache has let it go and no render holds it. */
interface HeldFace {
  face: ShapingFace;
  users: number;
  dropped: boolean;
}

const release = (held: HeldFace) => {
  if (held.dropped && held.users === 0) held.face.destroy();
};

// HarfBuzz keeps each face's bytes in its WASM memory; the JS copy is not kept.
const faces = new RecentCache<HeldFace>(16 * 1024 * 1024, (held) => {
  held.dropped = true;
  release(held);
});
const loading = new Map<string, Promise<HeldFace | undefined>>();
const files = new WeakMap<ShapingFace, string>();

/** The file under .assets/fonts a face was read from (`upload:<hash>` for an uploaded font). */
export const fileOf = (face: ShapingFace) => files.get(face);

function loadFace(key: string, bytes: () => Promise<ArrayBuffer | undefined>): Promise<HeldFace | undefined> {
  const hit = faces.get(key);
  if (hit) return Promise.resolve(hit);
  let load = loading.get(key);
  if (!load) {
    load = Promise.all([bytes(), harfbuzzReady()])
      .then(([data]) => {
        if (!data) return undefined;
        const held = { face: ShapingFace.create(data), users: 0, dropped: false };
        files.set(held.face, key);
        return faces.set(key, held, data.byteLength);
      })
      .finally(() => loading.delete(key));
    loading.set(key, load);
  }
  return load;
}

/** What one grapheme of a text is drawn with. */
export type Drawing =
  | { kind: 'glyphs'; face: ShapingFace }
  /** A picture (Noto Emoji). */
  | { kind: 'emoji'; picture: EmojiPicture }
  /** Nothing can draw it: a visible placeholder stands in. */
  | { kind: 'missing' };

/** A text the certificate draws, and what each of its graphemes is drawn with. */
export interface ResolvedText {
  graphemes: string[];
  scripts: ScriptTag[];
  drawings: Drawing[];
  /** The element's own face, whose ascent and descent set its lines as CSS does. */
  primary: ShapingFace;
  language: string | null;
}

export interface TextToSet {
  text: string;
  family: FontFamily;
  weight: FontWeight;
  /** The participant's language (BCP 47), where the script alone cannot say how to draw a name. */
  language: string | null;
  /** An uploaded font (sfnt bytes) drawn before the family's faces, by its asset hash. */
  uploaded?: { hash: string; sfnt: ArrayBuffer };
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
// A grapheme drawn as a picture: emoji presentation, an emoji variation selector, a keycap, a
// skin tone, a flag (regional indicators, or a black flag with tags).
const emojiGrapheme =
  /\p{Emoji_Presentation}|\uFE0F|\u20E3|\p{Emoji_Modifier}|[\u{1F1E6}-\u{1F1FF}]|\u{1F3F4}\u{E0067}/u;
const combiningMark = /^[\p{Mn}\p{Me}]$/u;
// Characters a face need not hold for a grapheme to be its: joiners and variation selectors.
const ignorable = /\u200C|\u200D|[\uFE00-\uFE0F]|[\u{E0100}-\u{E01EF}]/u;

/** Faces held for one render; let go once it is drawn. */
export class HeldFaces {
  private readonly held = new Set<HeldFace>();

  hold(face: HeldFace): ShapingFace {
    if (!this.held.has(face)) {
      face.users++;
      this.held.add(face);
    }
    return face.face;
  }

  release(): void {
    for (const face of this.held) {
      face.users--;
      release(face);
    }
    this.held.clear();
  }
}

/**
 * Finds and loads what each grapheme of each text is drawn with: the uploaded font, the element's
 * family, Noto Sans, then the script families, each tried only where its files say it has the
 * character and then asked whether it really does; emoji as pictures. The faces stay held (by
 * `held`) until the render lets them go, so no other render's load can free them in between.
 */
export async function resolveTexts(
  texts: readonly TextToSet[],
  env: RenderEnv,
  held: HeldFaces,
): Promise<ResolvedText[]> {
  return Promise.all(
    texts.map(async (t): Promise<ResolvedText> => {
      const graphemes = [...segmenter.segment(t.text)].map((s) => s.segment);
      const order = [
        t.family,
        ...(t.family === 'Noto Sans' ? [] : ['Noto Sans']),
        ...scriptFamilies(t.text, t.language),
      ];
      // Each family's index is looked at only when a grapheme gets that far: most names never reach CJK.
      const indexes: Promise<RangeIndex | undefined>[] = [];
      const indexAt = (i: number) =>
        (indexes[i] ??= familyIndex(env, order[i]!).then((weights) => weights && atWeight(weights, t.weight)));
      const face = async (file: FaceFile) => {
        const loaded = await loadFace(file.file, () => fetchAsset(env, `/fonts/${file.file}`));
        if (!loaded) throw new Error(`.assets/fonts/${file.file} is missing: run npm run assets:build`);
        return held.hold(loaded);
      };
      const uploaded = t.uploaded && (await loadFace(`upload:${t.uploaded.hash}`, async () => t.uploaded!.sfnt));
      const own = await indexAt(0);
      const primaryFile = own && facesHolding(own, 0x61)[0];
      if (!primaryFile) throw new Error(`No face of ${t.family} at ${t.weight}`);
      // Loaded beside the graphemes' faces, not before them: usually it is one of them.
      const primary = face(primaryFile);

      const drawings = await Promise.all(
        graphemes.map(async (grapheme, g): Promise<Drawing> => {
          if (emojiGrapheme.test(grapheme)) {
            const picture = await emojiPicture(grapheme, env);
            if (picture) return { kind: 'emoji', picture };
          }
          const needed = [...grapheme].filter((c) => !ignorable.test(c)).map((c) => c.codePointAt(0)!);
          if (needed.length === 0) return { kind: 'glyphs', face: await primary };
          if (uploaded && needed.every((cp) => uploaded.face.has(cp)))
            return { kind: 'glyphs', face: held.hold(uploaded) };
          // The first face holding the whole grapheme; failing that, the first holding its base.
          let base: ShapingFace | undefined;
          for (let i = 0; i < order.length; i++) {
            const index = await indexAt(i);
            if (!index) continue;
            for (const file of facesHolding(index, needed[0]!)) {
              const candidate = await face(file);
              if (needed.every((cp) => candidate.has(cp))) return { kind: 'glyphs', face: candidate };
              if (!base && candidate.has(needed[0]!)) base = candidate;
            }
          }
          if (!base) return { kind: 'missing' };
          // Marks no face has are left off the letter, rather than drawn as boxes on it.
          const drawn = base;
          graphemes[g] = [...grapheme].filter((c) => !combiningMark.test(c) || drawn.has(c.codePointAt(0)!)).join('');
          return { kind: 'glyphs', face: base };
        }),
      );
      return { graphemes, scripts: resolveScripts(graphemes), drawings, primary: await primary, language: t.language };
    }),
  );
}

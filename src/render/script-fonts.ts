import type { RenderEnv } from '../env';
import { readAsset } from './static-assets';
import type { DrawnText } from './certificate';
import { missingGlyphs, type ScriptFace } from './fonts';
import type { FontWeight } from './layout';

/**
 * Chinese, Japanese and Korean faces are too large to bundle (24 MB for the four, at two weights),
 * so they come from .assets/fonts (scripts/build-assets.ts) in fontsource's slices of 50 to 300
 * characters each, and a render fetches only the slices its characters are in.
 */
const families = { sc: 'Noto Sans SC', tc: 'Noto Sans TC', jp: 'Noto Sans JP', kr: 'Noto Sans KR' } as const;
type Family = keyof typeof families;

/** .assets/fonts/manifest.json */
type Manifest = Record<Family, { slices: { files: Record<FontWeight, string>; ranges: [number, number][] }[] }>;

/** A family's ranges sorted by start, each with its slice, for a binary search by code point. */
interface RangeIndex {
  starts: number[];
  ends: number[];
  slices: number[];
}

let index: Promise<{ manifest: Manifest; ranges: Record<Family, RangeIndex> }> | undefined;

function loadIndex(env: RenderEnv) {
  index ??= readAsset(env, '/fonts/manifest.json')
    .then((data) => {
      if (!data) throw new Error('.assets/fonts/manifest.json is missing: run npm run assets:build');
      const manifest = JSON.parse(new TextDecoder().decode(data)) as Manifest;
      const ranges = {} as Record<Family, RangeIndex>;
      for (const family of Object.keys(families) as Family[]) {
        const all = manifest[family].slices.flatMap((slice, i) =>
          slice.ranges.map(([start, end]) => ({ start, end, i })),
        );
        all.sort((a, b) => a.start - b.start);
        ranges[family] = { starts: all.map((r) => r.start), ends: all.map((r) => r.end), slices: all.map((r) => r.i) };
      }
      return { manifest, ranges };
    })
    .catch((error: unknown) => {
      index = undefined;
      throw error;
    });
  return index;
}

function sliceOf({ starts, ends, slices }: RangeIndex, codePoint: number): number | undefined {
  let low = 0;
  let high = starts.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (starts[mid]! > codePoint) high = mid - 1;
    else if (ends[mid]! < codePoint) low = mid + 1;
    else return slices[mid];
  }
  return undefined;
}

/**
 * Han characters are shared, but each region draws some differently: kana marks Japanese and
 * hangul Korean; anything else is taken as Chinese, simplified before traditional.
 */
function preference(text: string): Family[] {
  if (/[\p{sc=Hiragana}\p{sc=Katakana}]/u.test(text)) return ['jp', 'sc', 'tc', 'kr'];
  if (/\p{sc=Hangul}/u.test(text)) return ['kr', 'sc', 'tc', 'jp'];
  return ['sc', 'tc', 'jp', 'kr'];
}

// Satori draws these as pictures when no face covers them (its test: any emoji character but a bare
// digit, # or *), so no font slice is fetched for them; some slices hold monochrome emoji.
const emoji = /(?![#*\d])\p{Emoji}|\u20E3|\uFE0F/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const withoutEmoji = (text: string) =>
  [...graphemes.segment(text)]
    .map((g) => g.segment)
    .filter((g) => !emoji.test(g))
    .join('');

/**
 * The faces that the texts of one render need beyond the bundled ones: for each character no
 * bundled face covers, the slice holding it in the text's preferred family, at the element's
 * weight. Nothing is fetched when the bundled faces cover every character.
 */
export async function scriptFaces(texts: readonly DrawnText[], env: RenderEnv): Promise<ScriptFace[]> {
  const uncovered = texts.flatMap((t) => {
    if (!missingGlyphs(t.text, t.family, t.weight).length) return [];
    const chars = missingGlyphs(withoutEmoji(t.text), t.family, t.weight);
    return chars.length ? [{ ...t, chars }] : [];
  });
  if (!uncovered.length) return [];

  const { manifest, ranges } = await loadIndex(env);
  const wanted = new Map<string, Omit<ScriptFace, 'data'>>();
  for (const { text, weight, chars } of uncovered) {
    const order = preference(text);
    for (const char of new Set(chars)) {
      for (const family of order) {
        const slice = sliceOf(ranges[family], char.codePointAt(0)!);
        if (slice === undefined) continue;
        // One name per slice, both weights under it, as Satori picks a face by name, then weight.
        wanted.set(manifest[family].slices[slice]!.files[weight], { name: `${families[family]} ${slice}`, weight });
        break;
      }
    }
  }
  return Promise.all(
    [...wanted].map(async ([file, face]) => {
      const data = await readAsset(env, `/fonts/${file}`);
      if (!data) throw new Error(`.assets/fonts/${file} is missing: run npm run assets:build`);
      return { ...face, data };
    }),
  );
}

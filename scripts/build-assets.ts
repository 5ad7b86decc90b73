/**
 * Writes `.assets/`, the static files the worker reads through its ASSETS binding because they are
 * too large to bundle:
 * - fonts/ttf/: every face the renderer draws with, unwrapped to TTF for HarfBuzz, with
 *   fonts/faces.json saying which characters each holds: the Chinese, Japanese and Korean ones in
 *   fontsource's numbered unicode-range slices, so a render loads only the slices it needs, and
 *   listed in fonts/slices/<family>.json, read only when a text needs that family;
 * - emoji/: the Noto emoji as one SVG file each, and the national flags, which Noto's set lacks.
 *
 * Fast when nothing changed: the directory keeps a stamp of the package versions and of the code.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sfntFromWoff } from '../src/render/text/sfnt';

const root = new URL('../', import.meta.url);
const outDir = fileURLToPath(new URL('.assets/', root));
const stampFile = `${outDir}stamp.json`;
const sfntModule = fileURLToPath(new URL('src/render/text/sfnt.ts', root));

/** The Chinese, Japanese and Korean faces, each in numbered slices. */
const families = { sc: 'noto-sans-sc', tc: 'noto-sans-tc', jp: 'noto-sans-jp', kr: 'noto-sans-kr' } as const;
const weights = [400, 700] as const;

const commonSubsets = ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext', 'greek', 'greek-ext', 'vietnamese'];
/**
 * The fontsource packages HarfBuzz draws with, each with its subsets, the common ones first. A
 * script package gives only its script's subset: its latin, cyrillic, math or symbols copies would
 * only shadow Noto Sans. The numbered CJK slices are added to these.
 */
const textFaces: Record<string, readonly string[]> = {
  'noto-sans': [...commonSubsets, 'devanagari'],
  'noto-serif': commonSubsets,
  'noto-sans-arabic': ['arabic'],
  'noto-nastaliq-urdu': ['arabic'],
  'noto-sans-hebrew': ['hebrew'],
  'noto-sans-thai': ['thai'],
  'noto-sans-bengali': ['bengali'],
  'noto-sans-tamil': ['tamil'],
  'noto-sans-telugu': ['telugu'],
  'noto-sans-kannada': ['kannada'],
  'noto-sans-malayalam': ['malayalam'],
  'noto-sans-gujarati': ['gujarati'],
  'noto-sans-gurmukhi': ['gurmukhi'],
  'noto-sans-sinhala': ['sinhala'],
  'noto-sans-khmer': ['khmer'],
  'noto-sans-lao': ['lao'],
  'noto-sans-myanmar': ['myanmar'],
  'noto-sans-georgian': ['georgian'],
  'noto-sans-armenian': ['armenian'],
  'noto-sans-ethiopic': ['ethiopic'],
};

const emojiPackage = '@iconify-json/noto';
const flagPackage = '@iconify-json/flag';

const packageDir = (name: string) => fileURLToPath(new URL(`node_modules/${name}/`, root));
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const versionOf = (name: string) => readJson<{ version: string }>(`${packageDir(name)}package.json`).version;

/** What the output depends on; the build is skipped while it is unchanged. */
function currentStamp(): string {
  const code = createHash('sha256')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .update(readFileSync(sfntModule))
    .digest('hex');
  const fontPackages = new Set([...Object.values(families), ...Object.keys(textFaces)]);
  const packages = [...[...fontPackages].map((p) => `@fontsource/${p}`), emojiPackage, flagPackage];
  return JSON.stringify({ code, versions: Object.fromEntries(packages.map((p) => [p, versionOf(p)])) });
}

/** "U+4e00-4e0f,U+3001" → [[0x4e00, 0x4e0f], [0x3001, 0x3001]] */
const parseRanges = (css: string): [number, number][] =>
  css.split(',').map((range) => {
    const [start, end] = range
      .trim()
      .replace(/^U\+/i, '')
      .split('-')
      .map((hex) => Number.parseInt(hex, 16));
    return [start!, end ?? start!];
  });

/** Only the numbered slices ("[57]"): the named ones (latin, cyrillic…) repeat the bundled faces. */
const numberedSlices = (unicode: Record<string, string>) =>
  Object.keys(unicode).flatMap((name) => /^\[(\d+)\]$/.exec(name)?.[1] ?? []);

/** One entry of fonts/faces.json (or of fonts/slices/). */
interface Face {
  family: string;
  subset: string;
  /** The face's real weight: the heaviest the package has up to the one asked for. */
  weight: number;
  /** Path under fonts/. */
  file: string;
  /** Code points, as fontsource's unicode.json gives them. */
  ranges: [number, number][];
}

/**
 * fonts/ttf/ and fonts/faces.json: the faces HarfBuzz shapes with, by family, then subset (the
 * common first; the CJK slices from fontsource's most used, the highest numbered), then weight.
 * HarfBuzz reads sfnt but not WOFF, so each is unwrapped once here rather than on every render.
 */
async function writeTextFaces(dir: string) {
  mkdirSync(`${dir}fonts/ttf`, { recursive: true });
  const faces: Face[] = [];
  for (const pkg of [...Object.keys(textFaces), ...Object.values(families)]) {
    const source = packageDir(`@fontsource/${pkg}`);
    const { family } = readJson<{ family: string }>(`${source}metadata.json`);
    const unicode = readJson<Record<string, string>>(`${source}unicode.json`);
    const subsets = textFaces[pkg] ?? numberedSlices(unicode).sort((a, b) => Number(b) - Number(a));
    for (const subset of subsets) {
      const ranges = parseRanges(unicode[/^\d+$/.test(subset) ? `[${subset}]` : subset]!);
      for (const wanted of weights) {
        const woff = (weight: number) => `${source}files/${pkg}-${subset}-${weight}-normal.woff`;
        let weight: number = wanted;
        while (!existsSync(woff(weight))) {
          weight -= 100;
          if (weight < 100) throw new Error(`@fontsource/${pkg} has no ${subset} face up to ${wanted}`);
        }
        const file = `ttf/${pkg}-${subset}-${weight}.ttf`;
        faces.push({ family, subset, weight, file, ranges });
        // One at a time: all 942 at once took four times the memory (800 MB) for no time saved.
        const sfnt = await sfntFromWoff(new Uint8Array(readFileSync(woff(weight))).buffer);
        writeFileSync(`${dir}fonts/${file}`, new Uint8Array(sfnt));
      }
    }
  }
  // The CJK slices' ranges are nearly all of the manifest (1 MB): each family's go in a file of
  // their own, read only when a text reaches that family, so a first render reads 25 KB, not 1 MB.
  const sliced = new Set(
    Object.values(families).map(
      (pkg) => readJson<{ family: string }>(`${packageDir(`@fontsource/${pkg}`)}metadata.json`).family,
    ),
  );
  const slices: Record<string, string> = {};
  mkdirSync(`${dir}fonts/slices`, { recursive: true });
  for (const family of sliced) {
    const file = `slices/${family.toLowerCase().replaceAll(' ', '-')}.json`;
    writeFileSync(`${dir}fonts/${file}`, JSON.stringify({ faces: faces.filter((f) => f.family === family) }));
    slices[family] = file;
  }
  writeFileSync(
    `${dir}fonts/faces.json`,
    JSON.stringify({ faces: faces.filter((f) => !sliced.has(f.family)), slices }),
  );
}

interface Icon {
  body: string;
  width?: number;
  height?: number;
}

interface IconSet {
  width: number;
  height: number;
  icons: Record<string, Icon>;
  aliases?: Record<string, { parent: string }>;
}

const svgOf = (icon: Icon, set: IconSet) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${icon.width ?? set.width} ${icon.height ?? set.height}">${icon.body}</svg>`;

/**
 * One SVG per emoji, named by its chars.json key: code points in lower-case hex of at least four
 * digits, joined by '-', without U+FE0F. emoji.ts builds the same name from the text.
 */
function writeEmoji(dir: string) {
  mkdirSync(`${dir}emoji`, { recursive: true });
  const source = packageDir(emojiPackage);
  const chars = readJson<Record<string, string>>(`${source}chars.json`);
  const set = readJson<IconSet>(`${source}icons.json`);
  for (const [sequence, name] of Object.entries(chars)) {
    const icon = set.icons[name];
    if (icon) writeFileSync(`${dir}emoji/${sequence}.svg`, svgOf(icon, set));
  }
}

// Unicode's own list of flag emoji, so flag-icons' extras (its unknown flag 'xx', the Pacific
// Community 'pc', Catalonia…) are left out.
// biome-ignore lint/complexity/useRegexLiterals: TypeScript takes a /v literal only when targeting ES2024.
const flagEmoji = new RegExp('^(?:\\p{RGI_Emoji_Flag_Sequence}|\\p{RGI_Emoji_Tag_Sequence})$', 'v');

/**
 * The national flags, which Noto's emoji set lacks, from flag-icons (MIT) in its 4:3 form, named
 * as above. Its icons are named by region code: 'de', or 'gb-eng' for England's tag sequence.
 */
function writeFlags(dir: string) {
  const set = readJson<IconSet>(`${packageDir(flagPackage)}icons.json`);
  for (const name of [...Object.keys(set.icons), ...Object.keys(set.aliases ?? {})]) {
    const [country, subdivision] = /^([a-z]{2})(?:-([a-z]+))?-4x3$/.exec(name)?.slice(1) ?? [];
    if (!country) continue;
    const codePoints = subdivision
      ? [0x1f3f4, ...[...country, ...subdivision].map((c) => 0xe0000 + c.charCodeAt(0)), 0xe007f]
      : [...country].map((c) => 0x1f1e6 + c.charCodeAt(0) - 0x61);
    if (!flagEmoji.test(String.fromCodePoint(...codePoints))) continue;
    const file = `${dir}emoji/${codePoints.map((c) => c.toString(16).padStart(4, '0')).join('-')}.svg`;
    // Ascension, Ceuta and Tristan da Cunha are aliases of another region's flag.
    const icon = set.icons[name] ?? set.icons[set.aliases?.[name]?.parent ?? ''];
    // Noto's own drawing wins should it ever have one.
    if (icon && !existsSync(file)) writeFileSync(file, svgOf(icon, set));
  }
}

export async function buildAssets(): Promise<void> {
  const stamp = currentStamp();
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  // Built aside and moved into place, so a reader (wrangler dev, a second build) never sees half of it.
  const temp = fileURLToPath(new URL(`.assets-${process.pid}/`, root));
  rmSync(temp, { recursive: true, force: true });
  await writeTextFaces(temp);
  writeEmoji(temp);
  writeFlags(temp);
  writeFileSync(`${temp}stamp.json`, stamp);
  rmSync(outDir, { recursive: true, force: true });
  renameSync(temp, outDir);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildAssets();

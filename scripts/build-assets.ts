/**
 * Writes `.assets/`, the static files the worker reads through its ASSETS binding because they are
 * too large to bundle: the Chinese, Japanese and Korean Noto Sans faces in fontsource's numbered
 * unicode-range slices (WOFF, which Satori reads; it cannot read WOFF2), with a manifest of which
 * characters each slice holds, and the Noto emoji as one SVG file each.
 *
 * Fast when nothing changed: the directory keeps a stamp of the package versions and of this script.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const outDir = fileURLToPath(new URL('.assets/', root));
const stampFile = `${outDir}stamp.json`;

/** Family keys as the worker's script-fonts.ts knows them, with their fontsource package. */
const families = { sc: 'noto-sans-sc', tc: 'noto-sans-tc', jp: 'noto-sans-jp', kr: 'noto-sans-kr' } as const;
const weights = [400, 700] as const;
const emojiPackage = '@iconify-json/noto';

const packageDir = (name: string) => fileURLToPath(new URL(`node_modules/${name}/`, root));
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const versionOf = (name: string) => readJson<{ version: string }>(`${packageDir(name)}package.json`).version;

/** What the output depends on; the build is skipped while it is unchanged. */
function currentStamp(): string {
  const script = createHash('sha256')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .digest('hex');
  const packages = [...Object.values(families).map((p) => `@fontsource/${p}`), emojiPackage];
  return JSON.stringify({ script, versions: Object.fromEntries(packages.map((p) => [p, versionOf(p)])) });
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

function writeFonts(dir: string) {
  mkdirSync(`${dir}fonts`, { recursive: true });
  const manifest: Record<string, { slices: { files: Record<number, string>; ranges: [number, number][] }[] }> = {};
  for (const [key, pkg] of Object.entries(families)) {
    const source = packageDir(`@fontsource/${pkg}`);
    const unicode = readJson<Record<string, string>>(`${source}unicode.json`);
    const slices = [];
    // Only the numbered slices ("[57]"): the named ones (latin, cyrillic…) repeat the bundled faces.
    for (const [name, ranges] of Object.entries(unicode)) {
      const slice = /^\[(\d+)\]$/.exec(name)?.[1];
      if (!slice) continue;
      const files: Record<number, string> = {};
      for (const weight of weights) {
        const file = `${pkg}-${slice}-${weight}-normal.woff`;
        copyFileSync(`${source}files/${file}`, `${dir}fonts/${file}`);
        files[weight] = file;
      }
      slices.push({ files, ranges: parseRanges(ranges) });
    }
    manifest[key] = { slices };
  }
  writeFileSync(`${dir}fonts/manifest.json`, JSON.stringify(manifest));
}

interface IconSet {
  width: number;
  height: number;
  icons: Record<string, { body: string; width?: number; height?: number }>;
}

/**
 * One SVG per emoji, named by its chars.json key: code points in lower-case hex of at least four
 * digits, joined by '-', without U+FE0F. script-fonts.ts builds the same name from the text.
 */
function writeEmoji(dir: string) {
  mkdirSync(`${dir}emoji`, { recursive: true });
  const source = packageDir(emojiPackage);
  const chars = readJson<Record<string, string>>(`${source}chars.json`);
  const set = readJson<IconSet>(`${source}icons.json`);
  for (const [sequence, name] of Object.entries(chars)) {
    const icon = set.icons[name];
    if (!icon) continue;
    const viewBox = `0 0 ${icon.width ?? set.width} ${icon.height ?? set.height}`;
    writeFileSync(
      `${dir}emoji/${sequence}.svg`,
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${viewBox}">${icon.body}</svg>`,
    );
  }
}

export function buildAssets(): void {
  const stamp = currentStamp();
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  // Built aside and moved into place, so a reader (wrangler dev, a second build) never sees half of it.
  const temp = fileURLToPath(new URL(`.assets-${process.pid}/`, root));
  rmSync(temp, { recursive: true, force: true });
  writeFonts(temp);
  writeEmoji(temp);
  writeFileSync(`${temp}stamp.json`, stamp);
  rmSync(outDir, { recursive: true, force: true });
  renameSync(temp, outDir);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) buildAssets();

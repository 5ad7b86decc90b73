import type { RenderEnv } from '../env';
import { dataUri } from './data-uri';
import { readAsset } from './static-assets';

/**
 * An emoji as Satori draws it, a picture: `segment` is one grapheme, e.g. 🏃‍♀️. Its Noto Emoji SVG
 * from .assets/emoji, named by its code points without U+FE0F (see scripts/build-assets.ts), as a
 * data URL; empty for an emoji Noto lacks (national flags, for one), which then stays a box.
 */
export async function emojiImage(segment: string, env: RenderEnv): Promise<string> {
  const name = [...segment]
    .map((char) => char.codePointAt(0)!)
    .filter((codePoint) => codePoint !== 0xfe0f)
    .map((codePoint) => codePoint.toString(16).padStart(4, '0'))
    .join('-');
  const svg = await readAsset(env, `/emoji/${name}.svg`);
  return svg ? dataUri('image/svg+xml', svg) : '';
}

import type { RenderEnv } from '../env';
import { readAsset } from './static-assets';

/** An emoji's drawing: its SVG's view box and content, to nest in the certificate's SVG. */
export interface EmojiPicture {
  viewBox: string;
  content: string;
}

/**
 * An emoji as the certificate draws it: `segment` is one grapheme, e.g. 🏃‍♀️. Its Noto Emoji SVG
 * from .assets/emoji, named by its code points without U+FE0F (see scripts/build-assets.ts);
 * undefined for an emoji that has none, which then stays a box.
 *
 * Nested as vectors rather than an <image>: resvg decodes each SVG image on its own, about 0.1 s
 * a piece. Ids get the emoji's name as a prefix, as files share ids and one page may nest several.
 */
export async function emojiPicture(segment: string, env: RenderEnv): Promise<EmojiPicture | undefined> {
  const name = [...segment]
    .map((char) => char.codePointAt(0)!)
    .filter((codePoint) => codePoint !== 0xfe0f)
    .map((codePoint) => codePoint.toString(16).padStart(4, '0'))
    .join('-');
  const file = await readAsset(env, `/emoji/${name}.svg`);
  if (!file) return undefined;
  const svg = new TextDecoder().decode(file);
  const root = svg.match(/^<svg[^>]*viewBox="([^"]*)"[^>]*>([\s\S]*)<\/svg>\s*$/);
  if (!root) return undefined;
  const content = root[2]!
    .replace(/ id="/g, ` id="e${name}-`)
    .replace(/url\(#/g, `url(#e${name}-`)
    .replace(/href="#/g, `href="#e${name}-`);
  return { viewBox: root[1]!, content };
}

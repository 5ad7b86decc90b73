import type { RenderEnv } from '../env';
import { RecentCache } from './recent';
import { fetchAsset } from './static-assets';

/** An emoji's drawing: its SVG's view box and content, to nest in the certificate's SVG. */
export interface EmojiPicture {
  viewBox: string;
  content: string;
}

// The pictures recent names used, ready to nest; concurrent reads of one share one fetch.
const pictures = new RecentCache<EmojiPicture>(4 * 1024 * 1024);
const inFlight = new Map<string, Promise<EmojiPicture | undefined>>();

/**
 * An emoji as the certificate draws it: `segment` is one grapheme, e.g. 🏃‍♀️. Its Noto Emoji SVG
 * from .assets/emoji, named by its code points without U+FE0F (see scripts/build-assets.ts);
 * undefined for an emoji that has none, which then stays a box.
 *
 * Nested as vectors rather than an <image>: resvg decodes each SVG image on its own, about 0.1 s
 * a piece. Ids get the emoji's name as a prefix, as files share ids and one page may nest several.
 */
export function emojiPicture(segment: string, env: RenderEnv): Promise<EmojiPicture | undefined> {
  const name = [...segment]
    .map((char) => char.codePointAt(0)!)
    .filter((codePoint) => codePoint !== 0xfe0f)
    .map((codePoint) => codePoint.toString(16).padStart(4, '0'))
    .join('-');
  const kept = pictures.get(name);
  if (kept) return Promise.resolve(kept);
  let read = inFlight.get(name);
  if (!read) {
    read = fetchAsset(env, `/emoji/${name}.svg`)
      .then((file) => {
        const picture = file && pictureOf(name, file);
        return picture && pictures.set(name, picture, 2 * picture.content.length);
      })
      .finally(() => inFlight.delete(name));
    inFlight.set(name, read);
  }
  return read;
}

function pictureOf(name: string, file: ArrayBuffer): EmojiPicture | undefined {
  const root = new TextDecoder().decode(file).match(/^<svg[^>]*viewBox="([^"]*)"[^>]*>([\s\S]*)<\/svg>\s*$/);
  if (!root) return undefined;
  const content = root[2]!
    .replace(/ id="/g, ` id="e${name}-`)
    .replace(/url\(#/g, `url(#e${name}-`)
    .replace(/href="#/g, `href="#e${name}-`);
  return { viewBox: root[1]!, content };
}

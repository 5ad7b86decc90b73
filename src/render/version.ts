import golden from './golden.json';

/**
 * cyrb53: a fast synchronous 53-bit string hash. It only has to change when the golden hashes do,
 * and being synchronous it can run at module load.
 */
function cyrb53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The golden hashes in a canonical order, so the version does not depend on how the file is written. */
export function goldenVersion(renders: Record<string, string>): string {
  const sorted = Object.keys(renders).sort().map((key) => [key, renders[key]]);
  return cyrb53(JSON.stringify(sorted)).toString(36);
}

/**
 * The renderer's version, derived from the golden renders (test/golden-renders.test.ts): when the
 * renderer draws anything differently, that test fails until golden.json is regenerated, which
 * changes this and with it every image URL. Nobody has to remember a bump.
 */
export const RENDERER_VERSION = goldenVersion(golden.renders);

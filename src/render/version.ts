import { hash53 } from '../digest';
import golden from './golden.json';

/** The golden hashes in a canonical order, so the version does not depend on how the file is written. */
export function goldenVersion(renders: Record<string, string>): string {
  const sorted = Object.keys(renders)
    .sort()
    .map((key) => [key, renders[key]]);
  return hash53(JSON.stringify(sorted)).toString(36);
}

/**
 * The renderer's version, derived from the golden renders (test/golden-renders.test.ts): when the
 * renderer draws anything differently, that test fails until golden.json is regenerated, which
 * changes this and with it every image URL. Nobody has to remember a bump.
 */
export const RENDERER_VERSION = goldenVersion(golden.renders);

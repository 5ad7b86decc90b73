import type { RenderEnv } from '../env';
import { RecentCache } from './recent';

// The ASSETS binding ignores the host; any absolute URL reaches .assets/ by its path.
const ORIGIN = 'https://assets.local';

// Enough for the slices of many CJK names at once.
const cache = new RecentCache<ArrayBuffer>(16 * 1024 * 1024);
const inFlight = new Map<string, Promise<ArrayBuffer | undefined>>();

/**
 * A file of .assets/ (see scripts/build-assets.ts), or undefined if there is none. The same path
 * gives the same ArrayBuffer while it stays cached, concurrent reads included: Satori and fonts.ts
 * keep their parsed fonts by that identity.
 */
export function readAsset(env: RenderEnv, path: string): Promise<ArrayBuffer | undefined> {
  const hit = cache.get(path);
  if (hit) return Promise.resolve(hit);
  let read = inFlight.get(path);
  if (!read) {
    read = env.ASSETS.fetch(`${ORIGIN}${path}`)
      .then(async (res) => {
        if (res.status === 404) return undefined;
        if (!res.ok) throw new Error(`ASSETS ${path}: ${res.status}`);
        const data = await res.arrayBuffer();
        return cache.set(path, data, data.byteLength);
      })
      .finally(() => inFlight.delete(path));
    inFlight.set(path, read);
  }
  return read;
}

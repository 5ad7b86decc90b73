import type { RenderEnv } from '../env';

// The ASSETS binding ignores the host; any absolute URL reaches .assets/ by its path.
const ORIGIN = 'https://assets.local';

/**
 * A file of .assets/ (see scripts/build-assets.ts), or undefined if there is none. Not kept: callers
 * keep what they make of it (faces in text/faces.ts, pictures in emoji.ts).
 */
export async function fetchAsset(env: RenderEnv, path: string): Promise<ArrayBuffer | undefined> {
  const res = await env.ASSETS.fetch(`${ORIGIN}${path}`);
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`ASSETS ${path}: ${res.status}`);
  return res.arrayBuffer();
}

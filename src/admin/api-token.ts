import { randomId, sha256Hex } from '../digest';

/** A new organiser API token (256 random bits) and the hash that is all the database keeps. */
export async function newApiToken(): Promise<{ token: string; tokenHash: string }> {
  const token = `cfy_${randomId(32)}`;
  return { token, tokenHash: await sha256Hex(token) };
}

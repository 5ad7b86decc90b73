import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { Env } from '../env';

const addressSchema = z.union([z.ipv4(), z.ipv6()]);

/** The first 64 bits of an IPv6 address: one subscriber usually holds the whole /64. */
function ipv6Network(address: string): string {
  const [head = '', tail] = address.toLowerCase().split('::');
  const groups = (part: string) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const [before, after] = [groups(head), tail === undefined ? [] : groups(tail)];
  const full = [...before, ...Array(8 - before.length - after.length).fill('0'), ...after];
  return `${full
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * Who is asking, for counts per client: the address Cloudflare puts in CF-Connecting-IP (a client
 * cannot set it), an IPv6 one by its /64 so that moving around in it does not reset a count.
 * Only requests that did not come through Cloudflare (wrangler dev, tests) lack it.
 */
export function clientOf(c: Context): string {
  const address = addressSchema.safeParse(c.req.header('CF-Connecting-IP'));
  if (!address.success) return 'unknown';
  return address.data.includes(':') ? ipv6Network(address.data) : address.data;
}

// The period of both limits in wrangler.toml: after it, a refused client is counted afresh.
const PERIOD_SECONDS = 60;

/** Refuses a client over a Workers rate limit, before the route does any work; 429 with Retry-After. */
const limitPerClient = (limiter: 'SEARCH_LIMITER' | 'IMAGE_LIMITER', message: string) =>
  createMiddleware<{ Bindings: Env }>(async (c, next) => {
    const { success } = await c.env[limiter].limit({ key: clientOf(c) });
    if (!success) {
      c.header('Retry-After', String(PERIOD_SECONDS));
      throw new HTTPException(429, { message });
    }
    await next();
  });

/** Public search, the event page and the API sharing one count, so a participant list cannot be read out. */
export const limitSearches = limitPerClient(
  'SEARCH_LIMITER',
  'Too many searches from your connection in the last minute. Wait a minute, then search again.',
);

/** Certificate images, by URL or guessed address. */
export const limitImages = limitPerClient(
  'IMAGE_LIMITER',
  'Too many certificate images from your connection in the last minute. Wait a minute, then try again.',
);

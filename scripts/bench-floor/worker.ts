/**
 * The floor for a certificate cache hit in `npm run bench -- --cache-hits`: a response of the same
 * size from memory through workerd and Hono, with the portal's secure headers, and nothing else
 * (no D1, no R2, no rate limit). With `?d1`, one D1 round trip (`SELECT 1`) first: the least a hit
 * that asks D1 whether the certificate is still public can cost. With `?r2`, the bytes come from
 * an R2 object instead of memory: the least a hit served from R2 alone can cost. Bench only; never deployed.
 */
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

const bodies = new Map<number, Uint8Array<ArrayBuffer>>();
// A certificate image's headers, as the portal sends them on a hit.
const headers = { 'Content-Type': 'image/png', 'Cache-Control': 'public, max-age=300', ETag: '"floor"' };

/** `n` bytes, kept for the next request, as an isolate cache would keep an image. */
function bytesOf(n: number): Uint8Array<ArrayBuffer> {
  let body = bodies.get(n);
  if (!body) {
    body = new Uint8Array(n);
    crypto.getRandomValues(body.subarray(0, Math.min(n, 65_536)));
    bodies.set(n, body);
  }
  return body;
}

export default new Hono<{ Bindings: { DB: D1Database; FILES: R2Bucket } }>()
  .use(secureHeaders())
  .get('/', (c) => c.text('floor'))
  .get('/bytes/:n{[0-9]{1,8}}', async (c) => {
    if (c.req.query('d1') !== undefined) await c.env.DB.prepare('SELECT 1').first();
    const n = Number(c.req.param('n'));
    if (c.req.query('r2') !== undefined) {
      const key = `bytes/${n}`;
      const object = await c.env.FILES.get(key);
      // The first request for a size writes it; the bench does not count that round.
      if (!object) await c.env.FILES.put(key, bytesOf(n));
      return c.body(object?.body ?? bytesOf(n), 200, headers);
    }
    return c.body(bytesOf(n), 200, headers);
  });

import { and, eq, lte } from 'drizzle-orm';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Database } from '../db/client';
import { apiIdempotency, type ApiIdempotency } from '../db/schema';
import type { OrganiserEnv } from '../env';
import { MAX_FILE_BYTES } from '../import/limits';

/** How long the first answer to a key is kept and given again to a request that repeats it. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
/** A first request still in progress after this long died without answering: its key is free again. */
const ABANDONED_AFTER_MS = 15 * 60 * 1000;
/** The largest answer kept; D1 holds at most 2 MB in one value. */
const MAX_KEPT_ANSWER_BYTES = 1024 * 1024;
/** No body the organiser API takes is larger than a results file. */
const MAX_BODY_BYTES = MAX_FILE_BYTES;
/** The headers of an answer that a repeat gets too; the rest (no-store, security headers) are set afresh. */
const KEPT_HEADERS = ['content-type', 'location', 'etag'];
/** Stripe's rule: up to 255 characters; visible ASCII, so a key survives every HTTP library as sent. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

const hex = (digest: ArrayBuffer) => [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** Reads a stream to its end, discarding it; false when it holds more than `maxBytes` (it is then cancelled). */
async function readToEnd(stream: ReadableStream<Uint8Array>, maxBytes: number, into?: WritableStreamDefaultWriter) {
  const reader = stream.getReader();
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return false;
    }
    await into?.write(read.value);
  }
  return true;
}

/** SHA-256 of a whole body, read as it streams; undefined for one over `maxBytes`. */
async function bodyHash(stream: ReadableStream<Uint8Array> | null, maxBytes: number) {
  const digest = new crypto.DigestStream('SHA-256');
  const writer = digest.getWriter();
  if (stream && !(await readToEnd(stream, maxBytes, writer))) return undefined;
  await writer.close();
  return hex(await digest.digest);
}

/**
 * The request with its body hashed on the way through to the route, so a results file is not held
 * twice. `hash()` afterwards reads whatever the route left unread; undefined when the route read
 * part of it and let go (a file over its limit), so what was sent is not known.
 */
function hashedOnTheWay(request: Request) {
  const { body } = request;
  if (!body) return { request, hash: () => bodyHash(null, 0) };
  const digest = new crypto.DigestStream('SHA-256');
  const writer = digest.getWriter();
  let whole = false;
  const passed = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      async transform(chunk, controller) {
        await writer.write(chunk);
        controller.enqueue(chunk);
      },
      async flush() {
        await writer.close();
        whole = true;
      },
    }),
  );
  const through = new Request(request, { body: passed });
  return {
    request: through,
    async hash(): Promise<string | undefined> {
      if (!whole) {
        if (through.bodyUsed || !through.body) return undefined;
        if (!(await readToEnd(through.body, MAX_BODY_BYTES)) || !whole) return undefined;
      }
      return hex(await digest.digest);
    },
  };
}

const keyOf = (tokenId: number, key: string) => and(eq(apiIdempotency.tokenId, tokenId), eq(apiIdempotency.key, key));

/** Expired, or still "in progress" long after any request could be. */
const stale = (seen: ApiIdempotency, now: number) =>
  seen.createdAt.getTime() <= now - IDEMPOTENCY_WINDOW_MS ||
  (seen.status === null && seen.createdAt.getTime() <= now - ABANDONED_AFTER_MS);

/**
 * Claims the key for this request: undefined when it is this request's to answer, else what an
 * earlier request with the key left. The primary key decides between two requests sent together.
 */
async function claimKey(db: Database, tokenId: number, key: string, method: string, path: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = Date.now();
    const [claimed] = await db
      .insert(apiIdempotency)
      .values({ tokenId, key, method, path, createdAt: new Date(now) })
      .onConflictDoNothing()
      .returning({ key: apiIdempotency.key });
    if (claimed) return undefined;
    const [seen] = await db.select().from(apiIdempotency).where(keyOf(tokenId, key));
    if (seen && !stale(seen, now)) return seen;
    // Forgotten on access; matching its time leaves alone a claim made meanwhile by another request.
    if (seen)
      await db.delete(apiIdempotency).where(and(keyOf(tokenId, key), eq(apiIdempotency.createdAt, seen.createdAt)));
  }
  throw inProgress();
}

const inProgress = () =>
  new HTTPException(409, {
    message: 'A request with this Idempotency-Key is still in progress. Try again in a moment.',
  });

/** The answer to a request repeating a key: the first answer, or why there is none. */
async function repeatAnswer(c: Context, seen: ApiIdempotency, method: string, path: string) {
  if (seen.status === null) {
    c.header('Retry-After', '5');
    throw inProgress();
  }
  if (seen.method !== method || seen.path !== path) {
    throw new HTTPException(422, {
      message: `This Idempotency-Key was used for ${seen.method} ${seen.path}. Send a new key with a new request.`,
    });
  }
  if ((await bodyHash(c.req.raw.body, MAX_BODY_BYTES)) !== seen.bodyHash) {
    throw new HTTPException(422, {
      message: 'This Idempotency-Key was used with a different body. Send a new key with a new request.',
    });
  }
  if (seen.body === null) {
    throw new HTTPException(409, {
      message: `The request with this Idempotency-Key was done (status ${seen.status}), but its answer was too large to keep, so it is not repeated. Send a new key to do it again.`,
    });
  }
  return c.body(seen.body, seen.status as ContentfulStatusCode, {
    ...seen.headers,
    'Idempotent-Replayed': 'true',
  });
}

/** Keeps the answer for repeats of its key; forgets the key when there is nothing to keep. */
async function keepAnswer(
  db: Database,
  tokenId: number,
  key: string,
  res: Response,
  hash: () => Promise<string | undefined>,
) {
  // A server error is not an answer: a retry with the key may try again.
  const bodyHash = res.status < 500 ? await hash() : undefined;
  if (bodyHash === undefined) {
    await db.delete(apiIdempotency).where(keyOf(tokenId, key));
    return;
  }
  const bytes = await res.clone().arrayBuffer();
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = res.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const body = bytes.byteLength <= MAX_KEPT_ANSWER_BYTES ? new TextDecoder().decode(bytes) : null;
  await db.update(apiIdempotency).set({ bodyHash, status: res.status, headers, body }).where(keyOf(tokenId, key));
}

/**
 * `Idempotency-Key` on the organiser API's POSTs: the first answer to a key (2xx and 4xx) is kept
 * for 24 hours per token and given again to a request repeating it, so a timing system that
 * retries after a timeout never imports twice. The same key with another method, path, query or
 * body is a 422; while the first request runs, a repeat is a 409. Behind `requireToken`, and
 * behind the ownership gate, so a refused request keeps nothing.
 */
export const idempotent = createMiddleware<OrganiserEnv>(async (c, next) => {
  const key = c.req.header('Idempotency-Key');
  const token = c.var.apiToken;
  if (c.req.method !== 'POST' || key === undefined || !token) return next();
  if (!KEY_PATTERN.test(key)) {
    throw new HTTPException(400, { message: 'An Idempotency-Key is 1 to 255 visible ASCII characters.' });
  }
  const { db } = c.var;
  const url = new URL(c.req.url);
  const path = url.pathname + url.search;
  const seen = await claimKey(db, token.id, key, c.req.method, path);
  if (seen) return repeatAnswer(c, seen, c.req.method, path);

  const body = hashedOnTheWay(c.req.raw);
  c.req.raw = body.request;
  try {
    await next();
  } catch (error) {
    await db.delete(apiIdempotency).where(keyOf(token.id, key));
    throw error;
  }
  try {
    await keepAnswer(db, token.id, key, c.res, body.hash);
  } catch (error) {
    // The work is done and its answer goes out; only a repeat of the key would do it again.
    console.error(error);
    await db
      .delete(apiIdempotency)
      .where(keyOf(token.id, key))
      .catch(() => undefined);
  }
});

/** Forgets keys older than 24 hours (the cron); a key repeated later is forgotten on access too. */
export const forgetExpiredIdempotencyKeys = (db: Database, now = Date.now()) =>
  db.delete(apiIdempotency).where(lte(apiIdempotency.createdAt, new Date(now - IDEMPOTENCY_WINDOW_MS)));

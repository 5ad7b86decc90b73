import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';
import { readCapped } from '../read-capped';

// Events, records, templates and their fields: far less than this (a layout is a few KB).
const MAX_JSON_BYTES = 256 * 1024;

/** The request's JSON, read at most 256 KB (413 past that); 400 for a body that is not JSON. */
export async function jsonBody(c: Context): Promise<unknown> {
  const bytes = await readCapped(c.req.raw.body, MAX_JSON_BYTES);
  if (!bytes) throw new HTTPException(413, { message: 'Send at most 256 KB of JSON.' });
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new HTTPException(400, { message: 'Send a JSON body with Content-Type: application/json.' });
  }
}

/** A 400 naming each field refused by a rule and why, e.g. `rules.0.status: …`. */
export const invalid = (error: z.ZodError) =>
  new HTTPException(400, {
    message: error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '),
  });

/** The request's JSON by a rule, or the 400 of `invalid`. */
export async function jsonBy<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const parsed = schema.safeParse(await jsonBody(c));
  if (!parsed.success) throw invalid(parsed.error);
  return parsed.data;
}

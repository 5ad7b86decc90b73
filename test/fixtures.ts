import { crc32 } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { env, SELF } from 'cloudflare:test';
import { builtInTemplates } from '../templates';
import { database } from '../src/db/client';
import { importRecords } from '../src/records/import';
import { prepareRecord } from '../src/records/prepared';
import type { RecordInput } from '../src/records/rules';
import { hashPassword } from '../src/auth/password';
import { events, organisers, templates } from '../src/db/schema';

export const db = database(env.DB);

let counter = 0;

/** A published event with the built-in template and the given records, in real local D1. */
export async function createEvent(rows: RecordInput[], options: { published?: boolean; slug?: string } = {}) {
  const template = builtInTemplates[0]!;
  const [saved] = await db.insert(templates).values({ name: template.name, layout: template.layout }).returning();
  const slug = options.slug ?? `test-event-${++counter}-${crypto.randomUUID().slice(0, 8)}`;
  const [event] = await db
    .insert(events)
    .values({
      slug,
      name: 'Riverside Marathon',
      date: '2026-04-19',
      location: 'Hamburg',
      published: options.published ?? true,
      templateId: saved!.id,
    })
    .returning();
  await db.update(templates).set({ eventId: event!.id }).where(eq(templates.id, saved!.id));
  await saveRunners(event!.id, rows);
  return { event: event!, template: saved! };
}

/** Imports records as a results file would, through the one write path. */
export const saveRunners = (eventId: number, rows: RecordInput[]) =>
  importRecords(db, eventId, rows.map(prepareRecord));

export const runner = (bib: string, name: string, extra: Partial<RecordInput> = {}): RecordInput => ({
  bib,
  name,
  status: 'finished',
  finishTime: '3:12:45',
  category: 'M35',
  gender: 'M',
  rankOverall: Number(bib),
  ...extra,
});

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, i) => bytes[i] === b)) throw new Error('not a PNG');
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const chunkType = String.fromCharCode(...bytes.slice(12, 16));
  if (chunkType !== 'IHDR') throw new Error('first chunk is not IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export const ORIGIN = 'https://portal.test';

/** An organiser in real D1, with a password hashed the way sign-up does. */
export async function createOrganiser(
  email = `organiser-${crypto.randomUUID().slice(0, 8)}@example.com`,
  password = 'correct horse battery',
) {
  const [organiser] = await db
    .insert(organisers)
    .values({ email, passwordHash: await hashPassword(password) })
    .returning();
  return { organiser: organiser!, email, password };
}

export interface Browser {
  /** A request with the session cookie; state-changing forms get the CSRF token added. */
  get(path: string): Promise<Response>;
  post(path: string, form?: Record<string, string | Blob>): Promise<Response>;
  cookie: string;
  csrfToken: string;
}

/** Signs in through the real form and returns a tiny cookie-carrying client. */
export async function signIn(email: string, password: string): Promise<Browser> {
  const res = await SELF.fetch(`${ORIGIN}/admin/sign-in`, {
    method: 'POST',
    headers: { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }),
    redirect: 'manual',
  });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const page = await (await SELF.fetch(`${ORIGIN}/admin`, { headers: { Cookie: cookie } })).text();
  const csrfToken = page.match(/name="_csrf" value="([^"]+)"/)![1]!;
  return {
    cookie,
    csrfToken,
    get: (path) => SELF.fetch(ORIGIN + path, { headers: { Cookie: cookie }, redirect: 'manual' }),
    post: (path, form = {}) => {
      const body = new FormData();
      body.set('_csrf', csrfToken);
      for (const [k, v] of Object.entries(form)) body.set(k, v);
      return SELF.fetch(ORIGIN + path, {
        method: 'POST',
        headers: { Cookie: cookie, Origin: ORIGIN },
        body,
        redirect: 'manual',
      });
    },
  };
}

/** A reader of the renderer's own PNGs (RGBA, one IDAT, rows unfiltered), to look at what a participant sees. */
export async function pngPixels(png: Uint8Array) {
  const { width, height } = pngSize(png);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const idat: Uint8Array[] = [];
  for (let at = 8; at < png.length; at += 12 + view.getUint32(at)) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    // Strict decoders (libpng) refuse a chunk whose CRC is wrong, where browsers may draw it anyway.
    if (crc32(png.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length)) {
      throw new Error(`PNG chunk ${type} has a wrong CRC`);
    }
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
  }
  const rows = new Uint8Array(
    await new Response(new Blob(idat).stream().pipeThrough(new DecompressionStream('deflate'))).arrayBuffer(),
  );
  const stride = width * 4;
  // Each row starts with its filter byte (always 0, none): dropping them leaves the bare pixels.
  const rgba = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) rgba.set(rows.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
  return {
    width,
    height,
    rgba,
    at(x: number, y: number): [number, number, number, number] {
      const i = y * stride + x * 4;
      return [rgba[i]!, rgba[i + 1]!, rgba[i + 2]!, rgba[i + 3]!];
    },
  };
}

export { certificateFieldsFor } from './sample-fields';

/**
 * An organiser signed in, with an API token made on the tokens page, and an event created
 * through the organiser API, as a timing system would have it. `api` calls the event's routes.
 */
export async function apiEvent(name: string, slugPrefix = 'api') {
  const { email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const page = await (await browser.post('/admin/tokens', { name: 'Timing box' })).text();
  const token = page.match(/<code data-token[^>]*>([^<]+)<\/code>/)![1]!;
  const slug = `${slugPrefix}-${crypto.randomUUID().slice(0, 8)}`;
  const auth = { Authorization: `Bearer ${token}` };
  const created = await SELF.fetch(`${ORIGIN}/api/v1/events`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, slug }),
  });
  if (created.status !== 201) throw new Error(`creating the event: ${created.status}`);
  const [event] = await db.select().from(events).where(eq(events.slug, slug));
  const api = (path: string, init: RequestInit = {}) =>
    SELF.fetch(`${ORIGIN}/api/v1/events/${slug}${path}`, {
      ...init,
      headers: { ...auth, ...(init.headers as Record<string, string>) },
    });
  return { browser, token, event: event!, api };
}

/** Gives an event (e.g. one made through the API) the first built-in template and publishes it, so the public can search it. */
export async function publishWithBuiltInTemplate(eventId: number) {
  const template = builtInTemplates[0]!;
  const [saved] = await db
    .insert(templates)
    .values({ eventId, name: template.name, layout: template.layout })
    .returning();
  await db.update(events).set({ templateId: saved!.id, published: true }).where(eq(events.id, eventId));
}

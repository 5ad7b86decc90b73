import { env, SELF } from 'cloudflare:test';
import { asc, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../src/index';
import { assets, events, publishRuns, records, sources, templates } from '../src/db/schema';
import { builtInTemplates } from '../templates';
import { createOrganiser, db, ORIGIN, signIn, type Browser } from './fixtures';

/**
 * Tests that pin the gates: organiser B, signed in and holding an API token, walks every route of
 * the app (from `app.routes`, as the anonymous test does) with organiser A's real ids filled in,
 * and gets a 404 everywhere; afterwards nothing of A's has changed.
 *
 * The param table is built from the route path strings alone, so routes that move between files
 * or gain a shared ownership middleware are still walked, and a new route is walked as soon as it
 * exists: a param is filled by its name, an unknown name gets '1'.
 */

// Public by design (the same rule as test/route-guard.test.ts): the portal, its images and search
// API, the API's description (OpenAPI document and reference page), and the sign-in form.
const isPublic = (path: string) =>
  path === '/admin/sign-in' ||
  path.endsWith('/search') ||
  path === '/api/v1/openapi.json' ||
  path === '/api/docs' ||
  !(path.startsWith('/admin') || path.startsWith('/api/'));

/**
 * The rule for which routes are walked: a guarded route that names something by a path param.
 * Routes without params (GET /admin, POST /admin/events, /admin/tokens, POST /api/v1/events,
 * /admin/sign-out) act on the signed-in organiser's own things only, so B cannot point them at A's.
 */
const namesSomething = (path: string) => /:\w/.test(path);

/** Routes that answer the same whatever the id (not event-scoped); checked by their effect instead. */
const checkedByEffect = new Set(['POST /admin/tokens/:tokenId/revoke']);

type Param = { name: string } | string;

/** A route path as literal text and params, each param's regex (`{[0-9]+}`, `{[\w-]{22}}`) and `?` dropped. */
function parsePath(path: string): Param[] {
  const parts: Param[] = [];
  let text = '';
  for (let i = 0; i < path.length; ) {
    const param = path[i] === ':' ? /^:(\w+)/.exec(path.slice(i)) : null;
    if (!param) {
      text += path[i++];
      continue;
    }
    if (text) parts.push(text);
    text = '';
    i += param[0].length;
    if (path[i] === '{') {
      // Skip the balanced regex: `{[\w-]{22}}` holds braces of its own.
      for (let depth = 0; i < path.length; i++) {
        if (path[i] === '{') depth++;
        else if (path[i] === '}' && --depth === 0) break;
      }
      i++;
    }
    if (path[i] === '?') i++;
    parts.push({ name: param[1]! });
  }
  if (text) parts.push(text);
  return parts;
}

const paramNames = (path: string) => parsePath(path).flatMap((p) => (typeof p === 'string' ? [] : [p.name]));

/** What organiser A owns, with the ids a route can name. */
interface OrganiserA {
  browser: Browser;
  token: string;
  tokenId: string;
  event: { id: number; slug: string; name: string };
  templateId: number;
  uploadSourceId: number;
  urlSourceId: number;
  recordId: number;
  bib: string;
  assetId: number;
  uploadId: string;
}

/** Organiser B's own event: the same routes named with B's event and A's objects must not find them. */
interface OrganiserB {
  browser: Browser;
  token: string;
  event: { id: number; slug: string; name: string };
}

type Value = [label: string, pick: (a: OrganiserA, event: { id: number; slug: string }) => string];

/** Each param by name: the values to try (several for a source: an upload one and a URL one). */
const paramValues: Record<string, Value[]> = {
  eventId: [['', (_a, e) => String(e.id)]],
  templateId: [['', (a) => String(a.templateId)]],
  sourceId: [
    ['upload source', (a) => String(a.uploadSourceId)],
    ['url source', (a) => String(a.urlSourceId)],
  ],
  recordId: [['', (a) => String(a.recordId)]],
  assetId: [['', (a) => String(a.assetId)]],
  bib: [['', (a) => a.bib]],
  tokenId: [['', (a) => a.tokenId]],
  uploadId: [['', (a) => a.uploadId]],
};
const builtInSlug = builtInTemplates[0]!.slug;
/** A param's values in a route: `:slug` names the event, except a built-in template's slug. */
function valuesFor(path: string, name: string): Value[] {
  if (name === 'slug') return path.includes('/built-in/:slug') ? [['', () => builtInSlug]] : [['', (_a, e) => e.slug]];
  return paramValues[name] ?? [['', () => '1']];
}

interface Case {
  method: string;
  path: string;
  label: string;
  concrete: (a: OrganiserA, event: { id: number; slug: string }) => string;
}

/** Every way to fill a route's params from the table: one case per combination of values. */
function casesFor(method: string, path: string): Case[] {
  let cases: { labels: string[]; picks: ((a: OrganiserA, e: { id: number; slug: string }) => string)[] }[] = [
    { labels: [], picks: [] },
  ];
  const parts = parsePath(path);
  for (const part of parts) {
    if (typeof part === 'string') {
      cases = cases.map((c) => ({ labels: c.labels, picks: [...c.picks, () => part] }));
    } else {
      const values = valuesFor(path, part.name);
      cases = cases.flatMap((c) =>
        values.map(([label, pick]) => ({ labels: label ? [...c.labels, label] : c.labels, picks: [...c.picks, pick] })),
      );
    }
  }
  return cases.map((c) => ({
    method,
    path,
    label: c.labels.length ? ` (${c.labels.join(', ')})` : '',
    concrete: (a, e) => c.picks.map((pick) => pick(a, e)).join(''),
  }));
}

const routes = [
  ...new Map(app.routes.filter((r) => r.method !== 'ALL').map((r) => [`${r.method} ${r.path}`, r])).values(),
];
const walked = routes.filter((r) => !isPublic(r.path) && namesSomething(r.path));
const gated = walked.filter((r) => !checkedByEffect.has(`${r.method} ${r.path}`));
/** Params that name one of A's objects inside an event, as opposed to the event itself or a built-in. */
const objectParams = (path: string) => paramNames(path).filter((n) => n !== 'eventId' && n !== 'slug');
const namesEvent = (path: string) =>
  path.includes(':eventId') || (path.includes(':slug') && !path.includes('/built-in/:slug'));

const put = (path: string, body: string) => fetch(`${env.TIMING_SYSTEM_URL}${path}`, { method: 'PUT', body });

async function ok(res: Response | Promise<Response>, status: number) {
  const r = await res;
  expect(r.status, `${r.url}: ${(await r.clone().text()).slice(0, 300)}`).toBe(status);
  return r;
}

async function newToken(browser: Browser, name: string) {
  const page = await (await ok(browser.post('/admin/tokens', { name }), 201)).text();
  return page.match(/<code data-token[^>]*>([^<]+)<\/code>/)![1]!;
}

async function newEvent(browser: Browser, name: string) {
  const slug = `gate-${crypto.randomUUID().slice(0, 8)}`;
  const created = await ok(browser.post('/admin/events', { name, slug, date: '2026-05-03', location: 'Bremen' }), 303);
  const id = Number(created.headers.get('location')!.match(/^\/admin\/events\/(\d+)\/setup$/)![1]);
  return { id, slug, name };
}

const bearer = (token: string, path: string, init: RequestInit = {}) =>
  SELF.fetch(ORIGIN + path, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
  });

/** A, through the real admin routes: an event with sources, records, a template, an asset, a publish run, a token and a pending upload. */
async function organiserA(): Promise<OrganiserA> {
  const { email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const event = await newEvent(browser, 'Weser Marathon of Organiser A');
  const base = `/admin/events/${event.id}`;

  await ok(browser.post(`${base}/sources`, { kind: 'upload', name: 'Results uploaded by A' }), 303);
  const file = `/files/${crypto.randomUUID()}.csv`;
  await put(
    file,
    'Bib,Name,Time,Category\n101,Amara Okoye,2:59:01,W35\n102,Bjarne Lund,3:04:17,M40\n103,Chiara Neri,DNF,W30\n',
  );
  await ok(
    browser.post(`${base}/sources`, { kind: 'url', name: 'Live results of A', url: env.TIMING_SYSTEM_URL + file }),
    303,
  );
  const [upload, url] = await db.select().from(sources).where(eq(sources.eventId, event.id)).orderBy(asc(sources.id));
  expect([upload!.kind, url!.kind]).toEqual(['upload', 'url']);
  await ok(browser.post(`${base}/sources/${url!.id}/sync`), 200);
  await ok(
    browser.post(`${base}/records`, { bib: '104', name: 'Dmitri Volkov', status: 'finished', finishTime: '3:15:00' }),
    303,
  );

  await ok(browser.post(`${base}/templates`, { builtIn: builtInSlug }), 303);
  const [template] = await db.select().from(templates).where(eq(templates.eventId, event.id));

  const uploaded = await ok(
    SELF.fetch(`${ORIGIN}${base}/assets`, {
      method: 'POST',
      headers: {
        Cookie: browser.cookie,
        Origin: ORIGIN,
        'X-CSRF-Token': browser.csrfToken,
        Accept: 'application/json',
      },
      body: (() => {
        const form = new FormData();
        form.set('file', new File([env.SAMPLE_LOGO_PNG], 'logo-of-a.png'));
        return form;
      })(),
    }),
    201,
  );
  const { asset } = await uploaded.json<{ asset: { id: number } }>();

  const token = await newToken(browser, 'Timing box of A');
  const tokenId = (await (await browser.get('/admin/tokens')).text()).match(/\/admin\/tokens\/(\d+)\/revoke/)![1]!;

  await ok(browser.post(`${base}/publish`), 303);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { run } = await (await browser.get(`${base}/publish/progress`)).json<{ run: { finished: boolean } }>();
    if (run.finished) break;
    if (Date.now() > deadline) throw new Error('A’s publish did not finish');
    await new Promise((r) => setTimeout(r, 200));
  }

  // A file A has uploaded and is still previewing: its upload id is in the preview form.
  const preview = await ok(
    browser.post(`${base}/imports`, { file: new File(['Bib,Name\n105,Elif Demir\n'], 'late-finishers.csv') }),
    200,
  );
  const uploadId = (await preview.text()).match(/\/imports\/([\w-]{22})"/)![1]!;

  const [record] = await db.select().from(records).where(eq(records.eventId, event.id)).orderBy(asc(records.id));
  return {
    browser,
    token,
    tokenId,
    event,
    templateId: template!.id,
    uploadSourceId: upload!.id,
    urlSourceId: url!.id,
    recordId: record!.id,
    bib: record!.bib!,
    assetId: asset.id,
    uploadId,
  };
}

async function organiserB(): Promise<OrganiserB> {
  const { email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const event = await newEvent(browser, 'Elbe Trail Run of Organiser B');
  return { browser, token: await newToken(browser, 'Timing box of B'), event };
}

/** Everything of A's a request by B could have changed, as stored. */
async function snapshot(a: OrganiserA) {
  const id = a.event.id;
  const [event] = await db.select().from(events).where(eq(events.id, id));
  return {
    event: {
      name: event!.name,
      slug: event!.slug,
      date: event!.date,
      location: event!.location,
      published: event!.published,
      templateId: event!.templateId,
      templateRules: event!.templateRules,
    },
    records: (await db.select().from(records).where(eq(records.eventId, id)).orderBy(asc(records.id))).map((r) => ({
      id: r.id,
      bib: r.bib,
      name: r.name,
      status: r.status,
      finishTime: r.finishTime,
      category: r.category,
      hidden: r.hidden,
      sourceId: r.sourceId,
      certificateId: r.certificateId,
    })),
    templates: (await db.select().from(templates).where(eq(templates.eventId, id))).map((t) => ({
      id: t.id,
      version: t.version,
      layout: JSON.stringify(t.layout),
    })),
    sources: (await db.select().from(sources).where(eq(sources.eventId, id)).orderBy(asc(sources.id))).map((s) => ({
      id: s.id,
      kind: s.kind,
      name: s.name,
      url: s.url,
      mapping: s.mapping,
      removeMissing: s.removeMissing,
    })),
    assets: (await db.select().from(assets).where(eq(assets.eventId, id))).map((x) => ({ id: x.id, hash: x.hash })),
    publishRuns: (await db.select({ n: count() }).from(publishRuns).where(eq(publishRuns.eventId, id)))[0]!.n,
  };
}

/** B's request: B's session cookie and CSRF token on admin routes, B's bearer token on the API. A body that would do harm if it got through. */
function requestAsB(a: OrganiserA, b: OrganiserB, method: string, path: string) {
  const safe = method === 'GET' || method === 'HEAD';
  if (path.startsWith('/api/')) {
    return SELF.fetch(ORIGIN + path, {
      method,
      redirect: 'manual',
      headers: { Authorization: `Bearer ${b.token}`, 'Content-Type': 'application/json' },
      body: safe ? undefined : JSON.stringify({ name: 'Taken over by B', hidden: true, status: 'dsq' }),
    });
  }
  let body: FormData | undefined;
  if (!safe) {
    body = new FormData();
    const fields: Record<string, string> = {
      _csrf: b.browser.csrfToken,
      name: 'Taken over by B',
      slug: `taken-${crypto.randomUUID().slice(0, 8)}`,
      bib: a.bib,
      status: 'dsq',
      hidden: 'true',
      kind: 'url',
      url: 'https://b.example.com/results.csv',
      records: 'delete',
      removeMissing: 'on',
      builtIn: builtInSlug,
      action: 'import',
      sourceId: String(a.uploadSourceId),
      'map.bib': 'Bib',
      'map.name': 'Name',
    };
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    body.set('file', new File(['Bib,Name\n666,Planted By B\n'], 'b.csv'));
  }
  return SELF.fetch(ORIGIN + path, {
    method,
    redirect: 'manual',
    headers: { Cookie: b.browser.cookie, Origin: ORIGIN, ...(safe ? {} : { 'X-CSRF-Token': b.browser.csrfToken }) },
    body,
  });
}

const aSeesOwnRecord = (a: OrganiserA) => bearer(a.token, `/api/v1/events/${a.event.slug}/records/${a.bib}`);

describe("organiser B cannot reach organiser A's event, or anything in it", () => {
  let a: OrganiserA;
  let b: OrganiserB;
  let before: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    a = await organiserA();
    b = await organiserB();
    before = await snapshot(a);
    expect(before.records.length).toBe(4);
    expect(before.assets.length).toBe(1);
    expect(before.publishRuns).toBe(1);
    expect(before.event.published).toBe(true);
    // The ids are real: A reaches every one of them.
    expect((await aSeesOwnRecord(a)).status).toBe(200);
    expect((await a.browser.get(`/admin/events/${a.event.id}/records/${a.recordId}/edit`)).status).toBe(200);
    expect((await a.browser.get(`/admin/events/${a.event.id}/assets/${a.assetId}`)).headers.get('content-type')).toBe(
      'image/png',
    );
    expect((await a.browser.get(`/admin/events/${a.event.id}/templates/${a.templateId}/design`)).status).toBe(200);
    expect((await a.browser.get(`/admin/events/${a.event.id}/sources/${a.urlSourceId}/edit`)).status).toBe(200);
  }, 180_000);

  it('walks the routes that name an event or an object, including the ones it must', () => {
    // The event's id is a number in the path pattern; the list names it plainly.
    const keys = walked.map((r) => `${r.method} ${r.path.replace(':eventId{[0-9]+}', ':eventId')}`);
    for (const must of [
      'GET /admin/events/:eventId',
      'POST /admin/events/:eventId/edit',
      'GET /admin/events/:eventId/records/:recordId/edit',
      'POST /admin/events/:eventId/records/:recordId/edit',
      'POST /admin/events/:eventId/records/:recordId/delete',
      'POST /admin/events/:eventId/sources/:sourceId/sync',
      'POST /admin/events/:eventId/sources/:sourceId/remove',
      'POST /admin/events/:eventId/templates/:templateId/layout',
      'GET /admin/events/:eventId/assets/:assetId{[0-9]+}',
      'POST /admin/events/:eventId/assets/:assetId{[0-9]+}/delete',
      'POST /admin/events/:eventId/imports/:uploadId{[\\w-]{22}}',
      'POST /admin/events/:eventId/publish',
      'POST /admin/events/:eventId/unpublish',
      'GET /admin/events/:eventId/publish/progress',
      'POST /admin/tokens/:tokenId/revoke',
      'GET /api/v1/events/:slug/records/:bib',
      'PATCH /api/v1/events/:slug/records/:bib',
      'POST /api/v1/events/:slug/imports',
      'POST /api/v1/events/:slug/assets',
      'POST /api/v1/events/:slug/publish',
      'GET /api/v1/events/:slug/publish',
    ]) {
      expect(keys).toContain(must);
    }
    expect(walked.length).toBeGreaterThan(30);
    // Every guarded route that names an event is walked; none is left out by the rule.
    expect(routes.filter((r) => !isPublic(r.path) && namesEvent(r.path)).every((r) => walked.includes(r))).toBe(true);
    // Each walked route's params are filled: regexes are stripped, nothing of `:name` or `{…}` is left.
    for (const r of walked) {
      for (const c of casesFor(r.method, r.path)) expect(c.concrete(a, a.event)).not.toMatch(/[:{}]/);
    }
  });

  const withAEvent = gated.flatMap((r) => casesFor(r.method, r.path));
  it.each(withAEvent.map((c) => [`${c.method} ${c.path}${c.label}`, c] as const))(
    "B gets a 404 for A's ids: %s",
    async (_title, c) => {
      const path = c.concrete(a, a.event);
      const res = await requestAsB(a, b, c.method, path);
      const text = await res.text();
      expect(res.status, `${c.method} ${path} answered ${res.status}: ${text.slice(0, 300)}`).toBe(404);
      expect(text).not.toContain(a.event.name);
    },
  );

  // The same routes named with B's own event but A's template, source, record, asset, bib or upload:
  // an object must be looked up within the event named, not by its id alone.
  const withBEvent = gated
    .filter((r) => namesEvent(r.path) && objectParams(r.path).length > 0)
    .flatMap((r) => casesFor(r.method, r.path));
  it.each(withBEvent.map((c) => [`${c.method} ${c.path}${c.label}`, c] as const))(
    "B gets a 404 for A's objects in B's own event: %s",
    async (_title, c) => {
      const path = c.concrete(a, b.event);
      const res = await requestAsB(a, b, c.method, path);
      const text = await res.text();
      expect(res.status, `${c.method} ${path} answered ${res.status}: ${text.slice(0, 300)}`).toBe(404);
      expect(text).not.toContain(a.event.name);
    },
  );

  it("B cannot revoke A's API token: A's timing system keeps working", async () => {
    for (const r of walked.filter((r) => checkedByEffect.has(`${r.method} ${r.path}`))) {
      for (const c of casesFor(r.method, r.path)) await requestAsB(a, b, c.method, c.concrete(a, a.event));
    }
    const res = await aSeesOwnRecord(a);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ bib: a.bib });
    expect(await (await a.browser.get('/admin/tokens')).text()).toContain('Timing box of A');
  });

  it("B's event list and token list show B's own things and nothing of A's", async () => {
    const list = await (await b.browser.get('/admin')).text();
    expect(list).toContain(b.event.name);
    expect(list).not.toContain(a.event.name);
    expect(list).not.toContain(`/admin/events/${a.event.id}"`);
    const tokens = await (await b.browser.get('/admin/tokens')).text();
    expect(tokens).toContain('Timing box of B');
    expect(tokens).not.toContain('Timing box of A');
    expect(tokens).not.toContain(`/admin/tokens/${a.tokenId}/revoke`);
  });

  it("after the walk, nothing of A's has changed", async () => {
    const after = await snapshot(a);
    expect(after.records.length).toBe(before.records.length);
    expect(after.records.find((r) => r.bib === a.bib)!.name).toBe(before.records.find((r) => r.bib === a.bib)!.name);
    expect(after.event).toEqual(before.event);
    expect(after.templates.map((t) => t.version)).toEqual(before.templates.map((t) => t.version));
    expect(after.sources.length).toBe(before.sources.length);
    expect(after.assets.length).toBe(before.assets.length);
    expect(after).toEqual(before);

    // And as A sees it: the event is still public, the logo still served, the pending upload still there.
    const portal = await SELF.fetch(`${ORIGIN}/events/${a.event.slug}`);
    expect(portal.status).toBe(200);
    expect(await portal.text()).toContain(a.event.name);
    const logo = await a.browser.get(`/admin/events/${a.event.id}/assets/${a.assetId}`);
    expect(logo.status).toBe(200);
    expect(new Uint8Array(await logo.arrayBuffer()).length).toBeGreaterThan(0);
    const pending = await a.browser.post(`/admin/events/${a.event.id}/imports/${a.uploadId}`, {
      action: 'preview',
      'map.bib': 'Bib',
      'map.name': 'Name',
    });
    expect(pending.status).toBe(200);
    expect(await pending.text()).toContain('Elif Demir');
  });
});

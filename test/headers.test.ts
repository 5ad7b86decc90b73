import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { records } from '../src/db/schema';
import { setRecordHidden } from '../src/records/queries';
import { apiEvent, createEvent, db, ORIGIN, runner } from './fixtures';

const elsewhere = 'https://photos.example';

/** An organiser's event with two records imported through the API, and the organiser's browser. */
async function organiserEvent() {
  const made = await apiEvent('Header Marathon', 'headers');
  const imported = await made.api('/imports', {
    method: 'POST',
    body: 'Bib,Name,Time\n1,Ana Gómez,2:31:07\n2,Ben Okafor,2:40:00\n',
    headers: { 'Content-Type': 'text/csv' },
  });
  expect(imported.status).toBe(200);
  return made;
}

describe('CORS answers only the public search', async () => {
  const { event } = await createEvent([runner('1', 'Open Runner')]);
  const { api, event: own } = await organiserEvent();

  it('allows a cross-origin GET of the public search', async () => {
    const res = await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}/search?q=1`, {
      headers: { Origin: elsewhere },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('gives a preflight to the organiser API no Access-Control-Allow-Origin', async () => {
    for (const [path, method] of [
      [`/api/v1/events/${own.slug}/imports`, 'POST'],
      [`/api/v1/events/${own.slug}/records/1`, 'PATCH'],
      ['/api/v1/events', 'POST'],
    ]) {
      const preflight = await SELF.fetch(ORIGIN + path!, {
        method: 'OPTIONS',
        headers: {
          Origin: elsewhere,
          'Access-Control-Request-Method': method!,
          'Access-Control-Request-Headers': 'authorization',
        },
      });
      expect(preflight.headers.get('access-control-allow-origin'), path).toBeNull();
      expect(preflight.headers.get('access-control-allow-headers'), path).toBeNull();
    }
  });

  it('gives organiser API answers to another origin no Access-Control-Allow-Origin', async () => {
    const posted = await api('/imports', {
      method: 'POST',
      body: 'Bib,Name,Time\n1,Ana Gómez,2:31:07\n2,Ben Okafor,2:40:00\n3,Cleo Tan,2:50:00\n',
      headers: { Origin: elsewhere, 'Content-Type': 'text/csv' },
    });
    expect(posted.status).toBe(200);
    expect(posted.headers.get('access-control-allow-origin')).toBeNull();
    const read = await api('/records/1', { headers: { Origin: elsewhere } });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('Cache-Control: no-store on what only an organiser sees', async () => {
  const { browser, api, event } = await organiserEvent();

  it('on every admin page, the records export and the page that shows a new token', async () => {
    const paths = [
      '/admin',
      '/admin/tokens',
      `/admin/events/${event.id}`,
      `/admin/events/${event.id}/records`,
      `/admin/events/${event.id}/records.csv`,
      `/admin/events/${event.id}/publish`,
      '/admin/events/new',
    ];
    for (const path of paths) {
      const res = await browser.get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    const created = await browser.post('/admin/tokens', { name: 'Shown once' });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const signInPage = await SELF.fetch(`${ORIGIN}/admin/sign-in`);
    expect(signInPage.headers.get('cache-control')).toBe('no-store');
  });

  it('on organiser API answers, errors included', async () => {
    for (const res of [
      await api('/records/1'),
      await api('/publish'),
      await api('/records/404'),
      await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}/records/1`),
    ]) {
      expect(res.headers.get('cache-control'), `${res.url} ${res.status}`).toBe('no-store');
    }
  });
});

describe('Content-Security-Policy', () => {
  it('forbids <base>, plugins and forms that post elsewhere', async () => {
    const csp = (await SELF.fetch(`${ORIGIN}/`)).headers.get('content-security-policy')!;
    const directives = csp.split(/;\s*/);
    expect(directives).toContain("base-uri 'none'");
    expect(directives).toContain("form-action 'self'");
    expect(directives).toContain("object-src 'none'");
  });
});

describe('absolute links come from PUBLIC_URL, not the Host header', async () => {
  const { event } = await createEvent([runner('21', 'Forged Host')]);
  const publicOrigin = new URL(env.PUBLIC_URL).origin;
  const forged = 'https://attacker.example';

  it('in the public search API and on the event and certificate pages', async () => {
    const res = await SELF.fetch(`${forged}/api/v1/events/${event.slug}/search?q=21`);
    const body = await res.text();
    expect(body).not.toContain('attacker.example');
    const [result] = JSON.parse(body).results;
    expect(result.certificateUrl).toMatch(new RegExp(`^${publicOrigin}/events/${event.slug}/certificates/`));
    expect(result.imageUrl.startsWith(`${publicOrigin}/certificates/`)).toBe(true);

    const page = await (await SELF.fetch(`${forged}/events/${event.slug}?q=21`)).text();
    expect(page).toContain('Forged Host');
    expect(page).not.toContain('attacker.example');
    const certificate = await (await SELF.fetch(result.certificateUrl.replace(publicOrigin, forged))).text();
    expect(certificate).toContain('Forged Host');
    expect(certificate).not.toContain('attacker.example');
  });

  it('in the organiser API and the records export', async () => {
    const { browser, token, event: own } = await organiserEvent();
    const auth = { Authorization: `Bearer ${token}` };
    const record = await (await SELF.fetch(`${forged}/api/v1/events/${own.slug}/records/1`, { headers: auth })).json<{
      certificateUrl: string;
    }>();
    expect(record.certificateUrl.startsWith(`${publicOrigin}/events/`)).toBe(true);
    // A file that would remove half the event is held, with a link to confirm it.
    const held = await SELF.fetch(`${forged}/api/v1/events/${own.slug}/imports?removeMissing=true`, {
      method: 'POST',
      body: 'Bib,Name,Time\n1,Ana Gómez,2:31:07\n',
      headers: { ...auth, 'Content-Type': 'text/csv' },
    });
    const report = await held.json<{ heldRemovals: { confirm: string } | null }>();
    expect(report.heldRemovals?.confirm).toMatch(
      new RegExp(`^${publicOrigin}/api/v1/events/${own.slug}/imports/\\d+/`),
    );

    const csv = await (
      await SELF.fetch(`${forged}/admin/events/${own.id}/records.csv`, { headers: { Cookie: browser.cookie } })
    ).text();
    expect(csv).toContain('Ana Gómez');
    expect(csv).not.toContain('attacker.example');
  });
});

describe('certificate images leave caches soon after the record is hidden', async () => {
  const { event } = await createEvent([runner('31', 'Soon Hidden')]);

  it('serves images with a short max-age and an ETag, and 404 once hidden', async () => {
    const search = await (await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}/search?q=31`)).json<{
      results: { formats: { svg: string } }[];
    }>();
    const url = search.results[0]!.formats.svg;
    const served = await SELF.fetch(url);
    expect(served.status).toBe(200);
    expect(served.headers.get('cache-control')).toBe('public, max-age=300');
    const etag = served.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{24}"$/);
    const revalidated = await SELF.fetch(url, { headers: { 'If-None-Match': etag } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('cache-control')).toBe('public, max-age=300');

    const [row] = await db.select().from(records).where(eq(records.eventId, event.id));
    await setRecordHidden(db, row!.id, true);
    const hidden = await SELF.fetch(url, { headers: { 'If-None-Match': etag } });
    expect(hidden.status).toBe(404);
    expect(hidden.headers.get('cache-control') ?? '').not.toMatch(/max-age=[1-9]|immutable/);
  });
});

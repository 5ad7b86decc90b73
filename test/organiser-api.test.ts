import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events } from '../src/db/schema';
import { apiEvent, createOrganiser, db, ORIGIN, signIn } from './fixtures';

async function tokenFor() {
  const { email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const page = await (await browser.post('/admin/tokens', { name: 'Timing box' })).text();
  const token = page.match(/<code data-token[^>]*>([^<]+)<\/code>/)![1]!;
  return { token, browser };
}

const call = (token: string | undefined, path: string, init: RequestInit = {}) =>
  SELF.fetch(ORIGIN + path, {
    ...init,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) },
  });

describe('organiser API', () => {
  it('creates tokens shown once, which can be revoked', async () => {
    const { token, browser } = await tokenFor();
    expect(token).toMatch(/^cfy_[\w-]{43}$/);
    const list = await (await browser.get('/admin/tokens')).text();
    expect(list).toContain('Timing box');
    expect(list).not.toContain(token);
    expect(
      (
        await call(token, '/api/v1/events', {
          method: 'POST',
          body: '{}',
          headers: { 'Content-Type': 'application/json' },
        })
      ).status,
    ).toBe(400);
    const tokenId = list.match(/\/admin\/tokens\/(\d+)\/revoke/)![1]!;
    await browser.post(`/admin/tokens/${tokenId}/revoke`);
    const revoked = await call(token, '/api/v1/events', {
      method: 'POST',
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('creates an event, imports CSV, reads and patches a record, and publishes', async () => {
    const { token } = await tokenFor();
    const slug = `api-${crypto.randomUUID().slice(0, 8)}`;
    const created = await call(token, '/api/v1/events', {
      method: 'POST',
      body: JSON.stringify({ name: 'API Marathon', slug, date: '2026-10-04' }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ slug, name: 'API Marathon', date: '2026-10-04', published: false });

    const csv = 'Bib,Name,Time\n1,Ana Gómez,2:31:07\n2,Ben Okafor,DNF\n,No Bib,3:00:00\n';
    const imported = await call(token, `/api/v1/events/${slug}/imports`, {
      method: 'POST',
      body: csv,
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(imported.status).toBe(200);
    const report = await imported.json<Record<string, unknown>>();
    expect(report).toMatchObject({ added: 2, updated: 0, unchanged: 0, encoding: 'utf-8', delimiter: ',' });
    expect(report.rejected).toEqual([{ line: 4, reason: expect.stringContaining('bib') }]);
    const again = await (
      await call(token, `/api/v1/events/${slug}/imports`, {
        method: 'POST',
        body: csv,
        headers: { 'Content-Type': 'text/csv' },
      })
    ).json();
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 2 });

    const record = await (await call(token, `/api/v1/events/${slug}/records/2`)).json();
    // Not published yet: nothing public to link to.
    expect(record).toMatchObject({
      bib: '2',
      name: 'Ben Okafor',
      status: 'dnf',
      finishTime: null,
      hidden: false,
      formats: null,
    });
    const patched = await call(token, `/api/v1/events/${slug}/records/2`, {
      method: 'PATCH',
      body: JSON.stringify({ hidden: true }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(await patched.json()).toMatchObject({ bib: '2', hidden: true });
    const badPatch = await call(token, `/api/v1/events/${slug}/records/2`, {
      method: 'PATCH',
      body: JSON.stringify({ colour: 'red' }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(badPatch.status).toBe(400);
    expect(await badPatch.json()).toEqual({ error: expect.any(String) });

    const noTemplate = await call(token, `/api/v1/events/${slug}/publish`, { method: 'POST' });
    expect(noTemplate.status).toBe(409);
    expect(await noTemplate.json()).toEqual({ error: expect.stringContaining('template') });
  });

  it("sets an event's language on create and update, refusing a tag that is none with a 400 naming the field", async () => {
    const { token } = await tokenFor();
    const slug = `api-${crypto.randomUUID().slice(0, 8)}`;
    const send = (method: string, path: string, body: unknown) =>
      call(token, path, { method, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    const created = await send('POST', '/api/v1/events', { name: '台北馬拉松', slug, language: 'zh-hant' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ slug, name: '台北馬拉松', language: 'zh-Hant' });

    const updated = await send('PATCH', `/api/v1/events/${slug}`, { name: '東京マラソン', language: 'ja' });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ slug, name: '東京マラソン', language: 'ja', published: false });
    expect(await (await call(token, `/api/v1/events/${slug}`)).json()).toMatchObject({ slug, language: 'ja' });

    for (const language of ['日本語', 'Japanese', 'ja-', 42]) {
      const refused = await send('PATCH', `/api/v1/events/${slug}`, { language });
      expect(refused.status, String(language)).toBe(400);
      expect(await refused.json()).toEqual({ error: expect.stringMatching(/^language: /) });
    }
    const refusedNew = await send('POST', '/api/v1/events', { name: 'X', slug: `${slug}-x`, language: 'english' });
    expect(refusedNew.status).toBe(400);
    expect(await refusedNew.json()).toEqual({ error: expect.stringContaining('“english” is not a language tag') });
    expect(await (await call(token, `/api/v1/events/${slug}`)).json()).toMatchObject({ language: 'ja' });

    const cleared = await send('PATCH', `/api/v1/events/${slug}`, { language: null });
    expect(await cleared.json()).toMatchObject({ name: '東京マラソン', language: null });
    const [row] = await db.select().from(events).where(eq(events.slug, slug));
    expect(row).toMatchObject({ name: '東京マラソン', language: null });
    expect((await send('PATCH', `/api/v1/events/${slug}`, { colour: 'red' })).status).toBe(400);
  });

  it('gives a record its own language, and a new certificate URL when the language it is drawn in changes', async () => {
    const { browser, event, api } = await apiEvent('Osaka Marathon', 'lang');
    const send = (method: string, path: string, body: unknown) =>
      api(path, { method, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    await api('/imports', {
      method: 'POST',
      body: 'Bib,Name,Time,Language\n1,山田太郎,3:01:02,\n2,王小明,3:04:05,zh-Hant\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    await browser.post(`/admin/events/${event.id}/templates`, { builtIn: 'classic-finisher' });
    await db.update(events).set({ published: true }).where(eq(events.id, event.id));
    const record = async (bib: string) =>
      (await api(`/records/${bib}`)).json<{ language: string | null; formats: { png: string } }>();
    expect(await record('1')).toMatchObject({ language: null });
    expect(await record('2')).toMatchObject({ language: 'zh-Hant' });

    // Yamada's certificate takes the event's language, so its image is another once that is said;
    // Wang's own language stands whatever the event's.
    const [yamada, wang] = [(await record('1')).formats.png, (await record('2')).formats.png];
    await send('PATCH', '', { language: 'ja' });
    const inJapanese = (await record('1')).formats.png;
    expect(inJapanese).not.toBe(yamada);
    expect((await record('2')).formats.png).toBe(wang);

    const patched = await send('PATCH', '/records/1', { language: 'KO' });
    expect(await patched.json()).toMatchObject({ bib: '1', language: 'ko', corrections: { fields: ['language'] } });
    expect((await record('1')).formats.png).not.toBe(inJapanese);
    const refused = await send('PATCH', '/records/1', { language: 'Korean' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: expect.stringMatching(/^language: “Korean” is not a language tag/) });
    expect(await record('1')).toMatchObject({ language: 'ko' });
  });

  it('uploads a background through the API, downscaled, and refuses a GIF as JSON', async () => {
    const { token } = await tokenFor();
    const slug = `api-${crypto.randomUUID().slice(0, 8)}`;
    await call(token, '/api/v1/events', {
      method: 'POST',
      body: JSON.stringify({ name: 'API 10K', slug }),
      headers: { 'Content-Type': 'application/json' },
    });
    const uploaded = await call(token, `/api/v1/events/${slug}/assets?name=finish.jpg`, {
      method: 'POST',
      body: env.SAMPLE_PHOTO_JPEG,
    });
    expect(uploaded.status).toBe(201);
    expect(await uploaded.json()).toMatchObject({
      name: 'finish.jpg',
      kind: 'image',
      width: 2560,
      height: 1707,
      originalWidth: 6000,
      originalHeight: 4000,
      hash: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    const gif = await call(token, `/api/v1/events/${slug}/assets?name=a.gif`, { method: 'POST', body: 'GIF89a' });
    expect(gif.status).toBe(415);
    expect(await gif.json()).toEqual({ error: 'GIF images are not supported. Upload a PNG or JPEG.' });
  });

  it('answers errors as { error } with the right status', async () => {
    const { token } = await tokenFor();
    const other = await tokenFor();
    const slug = `api-${crypto.randomUUID().slice(0, 8)}`;
    await call(token, '/api/v1/events', {
      method: 'POST',
      body: JSON.stringify({ name: 'Mine', slug }),
      headers: { 'Content-Type': 'application/json' },
    });
    const cases: [Response, number][] = [
      [await call(undefined, `/api/v1/events/${slug}/records/1`), 401],
      [await call('cfy_nonsense', `/api/v1/events/${slug}/records/1`), 401],
      [await call(other.token, `/api/v1/events/${slug}/records/1`), 404],
      [await call(token, `/api/v1/events/${slug}/records/404`), 404],
      [
        await call(token, '/api/v1/events', {
          method: 'POST',
          body: 'not json',
          headers: { 'Content-Type': 'application/json' },
        }),
        400,
      ],
      [
        await call(token, '/api/v1/events', {
          method: 'POST',
          body: JSON.stringify({ name: 'Dup', slug }),
          headers: { 'Content-Type': 'application/json' },
        }),
        409,
      ],
      [
        await call(token, `/api/v1/events/${slug}/imports?mapping=notjson`, {
          method: 'POST',
          body: 'Bib,Name\n1,A\n',
        }),
        400,
      ],
      [await call(token, `/api/v1/events/${slug}/imports`, { method: 'POST', body: '' }), 400],
      [
        await call(token, `/api/v1/events/${slug}/imports`, { method: 'POST', body: '<!doctype html><html></html>' }),
        400,
      ],
    ];
    for (const [res, status] of cases) {
      expect(res.status).toBe(status);
      expect(Object.keys(await res.json<object>())).toEqual(['error']);
    }
  });

  it('uses a ?mapping= the caller gives', async () => {
    const { token } = await tokenFor();
    const slug = `api-${crypto.randomUUID().slice(0, 8)}`;
    await call(token, '/api/v1/events', {
      method: 'POST',
      body: JSON.stringify({ name: 'Mapped', slug }),
      headers: { 'Content-Type': 'application/json' },
    });
    const mapping = encodeURIComponent(JSON.stringify({ bib: 'Nummer', name: 'Wer' }));
    const res = await call(token, `/api/v1/events/${slug}/imports?mapping=${mapping}`, {
      method: 'POST',
      body: 'Nummer;Wer\n5;Zoë Ñúñez\n',
    });
    expect(await res.json()).toMatchObject({ added: 1, delimiter: ';' });
    expect(await (await call(token, `/api/v1/events/${slug}/records/5`)).json()).toMatchObject({ name: 'Zoë Ñúñez' });
  });
});

import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { apiEvent, ORIGIN } from './fixtures';

// Events, records and publishing through the organiser API, by the same rules as the admin.

type Api = Awaited<ReturnType<typeof apiEvent>>['api'];
const json = (api: Api, method: string, path: string, body?: unknown) =>
  api(path, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
  });
const bearer = (token: string, path: string, init: RequestInit = {}) =>
  SELF.fetch(ORIGIN + path, {
    ...init,
    redirect: 'manual',
    headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
  });

interface RecordAnswer {
  bib: string | null;
  key: string;
  name: string;
  status: string;
  finishTime: string | null;
  hidden: boolean;
}
interface RecordPage {
  records: RecordAnswer[];
  total: number;
  page: number;
  perPage: number;
  pages: number;
}

const csv = (n: number) =>
  `Bib,Name,Time\n${Array.from({ length: n }, (_, i) => `${i + 1},Runner Number${i + 1},3:${String(10 + i).padStart(2, '0')}:00`).join('\n')}\n`;

describe('events through the organiser API', () => {
  it("lists the organiser's events, reads one and changes its name, date, location and address", async () => {
    const { token, event, api, browser } = await apiEvent('List Marathon');
    const second = `list-${crypto.randomUUID().slice(0, 8)}`;
    await bearer(token, '/api/v1/events', {
      method: 'POST',
      body: JSON.stringify({ name: 'List Half', slug: second, date: '2027-01-01' }),
      headers: { 'Content-Type': 'application/json' },
    });
    const stranger = await apiEvent('Not Theirs');

    const listed = await bearer(token, '/api/v1/events');
    expect(listed.status).toBe(200);
    const { events } = await listed.json<{ events: { slug: string; name: string }[] }>();
    // Newest date first, as in the admin; another organiser's event is not there.
    expect(events.map((e) => e.slug)).toEqual([second, event.slug]);
    expect(events.map((e) => e.slug)).not.toContain(stranger.event.slug);
    // A token made for one event lists that one alone.
    const page = await (await browser.post('/admin/tokens', { name: 'One event', event: String(event.id) })).text();
    const scoped = page.match(/<code data-token[^>]*>([^<]+)<\/code>/)![1]!;
    const seen = await (await bearer(scoped, '/api/v1/events')).json<{ events: { slug: string }[] }>();
    expect(seen.events.map((e) => e.slug)).toEqual([event.slug]);

    expect(await (await api('')).json()).toMatchObject({ slug: event.slug, name: 'List Marathon', published: false });
    const moved = `moved-${crypto.randomUUID().slice(0, 8)}`;
    const patched = await json(api, 'PATCH', '', {
      name: 'List Marathon 2026',
      date: '2026-05-03',
      location: 'Bremen',
      slug: moved,
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      slug: moved,
      name: 'List Marathon 2026',
      date: '2026-05-03',
      location: 'Bremen',
    });
    // The old address redirects to the new one.
    const old = await bearer(token, `/api/v1/events/${event.slug}/records`);
    expect(old.status).toBe(301);
    expect(old.headers.get('location')).toBe(`/api/v1/events/${moved}/records`);
  });
});

describe('records through the organiser API', () => {
  it('lists records a page at a time, and searches them by bib or name', async () => {
    const { api } = await apiEvent('Paging Marathon');
    await api('/imports', { method: 'POST', body: csv(7), headers: { 'Content-Type': 'text/csv' } });
    await json(api, 'PATCH', '/records/5', { hidden: true });

    const first = await api('/records?perPage=3');
    expect(first.status).toBe(200);
    const page1 = await first.json<RecordPage>();
    expect(page1).toMatchObject({ total: 7, page: 1, perPage: 3, pages: 3 });
    expect(page1.records.map((r) => r.bib)).toEqual(['1', '2', '3']);
    const page3 = await (await api('/records?perPage=3&page=3')).json<RecordPage>();
    expect(page3.records.map((r) => r.bib)).toEqual(['7']);
    expect((await (await api('/records')).json<RecordPage>()).records).toHaveLength(7);

    // The organiser sees hidden records too.
    const byBib = await (await api('/records?q=5')).json<RecordPage>();
    expect(byBib.records).toMatchObject([{ bib: '5', hidden: true }]);
    const byName = await (await api(`/records?q=${encodeURIComponent('number6')}`)).json<RecordPage>();
    expect(byName).toMatchObject({ total: 1, records: [{ bib: '6', name: 'Runner Number6' }] });

    for (const bad of ['page=0', 'page=x', 'perPage=1000']) {
      const refused = await api(`/records?${bad}`);
      expect(refused.status, bad).toBe(400);
      expect(await refused.json()).toEqual({ error: expect.stringMatching(/^(page|perPage): /) });
    }
  });

  it('creates a record by the record rule, refuses a clash, and deletes one', async () => {
    const { api } = await apiEvent('Records Marathon');
    await api('/imports', { method: 'POST', body: csv(2), headers: { 'Content-Type': 'text/csv' } });

    const created = await json(api, 'POST', '/records', {
      bib: '42',
      name: '  Cleo\u202e Park ',
      finishTime: '3:45:10',
      category: 'W40',
      gender: 'F',
      status: 'finished',
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ bib: '42', key: '42', name: 'Cleo Park', finishTime: '3:45:10' });
    expect(created.headers.get('location')).toMatch(/\/api\/v1\/events\/[\w-]+\/records\/42$/);
    expect(await (await api('/records/42')).json()).toMatchObject({ name: 'Cleo Park', category: 'W40' });

    // Someone who did not finish has no time, whatever the input says; a participant without a bib is known by name.
    const dnf = await json(api, 'POST', '/records', { name: 'Dana Doe', status: 'dnf', finishTime: '4:00:00' });
    expect(await dnf.json()).toMatchObject({ bib: null, key: 'name:dana doe', status: 'dnf', finishTime: null });

    const clash = await json(api, 'POST', '/records', { bib: '1', name: 'Someone Else' });
    expect(clash.status).toBe(409);
    expect(await clash.json()).toEqual({ error: 'Bib 1 already belongs to Runner Number1.' });
    const invalid = await json(api, 'POST', '/records', { bib: '43', name: 'Eve', finishTime: 'fast' });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({ error: expect.stringMatching(/^finishTime: /) });

    const deleted = await api('/records/42', { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect((await api('/records/42')).status).toBe(404);
    expect((await api('/records/42', { method: 'DELETE' })).status).toBe(404);
    expect((await (await api('/records')).json<RecordPage>()).total).toBe(3);
  });
});

describe('publishing through the organiser API', () => {
  it('unpublishes an event, which participants then no longer find', async () => {
    const { api, event } = await apiEvent('Unpublish Marathon');
    await api('/imports', { method: 'POST', body: csv(1), headers: { 'Content-Type': 'text/csv' } });
    await json(api, 'POST', '/templates', { builtIn: 'minimal' });
    expect((await api('/publish', { method: 'POST' })).status).toBe(202);
    expect((await SELF.fetch(`${ORIGIN}/events/${event.slug}`)).status).toBe(200);

    const unpublished = await api('/unpublish', { method: 'POST' });
    expect(unpublished.status).toBe(200);
    expect(await unpublished.json()).toMatchObject({ published: false });
    expect(await (await api('')).json()).toMatchObject({ published: false });
    expect((await SELF.fetch(`${ORIGIN}/events/${event.slug}`)).status).toBe(404);
  });
});

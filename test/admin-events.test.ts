import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, records, sources } from '../src/db/schema';
import { createOrganiser, db, pngSize, signIn, type Browser } from './fixtures';

async function newOrganiser(): Promise<Browser> {
  const { email, password } = await createOrganiser();
  return signIn(email, password);
}

async function createEventAs(browser: Browser, slug = `event-${crypto.randomUUID().slice(0, 8)}`) {
  const res = await browser.post('/admin/events', { name: 'Harbour 10K', slug, date: '2026-06-07', location: 'Kiel' });
  expect(res.status).toBe(303);
  const id = Number(res.headers.get('location')!.match(/\/admin\/events\/(\d+)\/setup/)![1]);
  return { id, slug };
}

const tabs = (html: string) =>
  [...html.matchAll(/<nav class="tabs"[^>]*>(.*?)<\/nav>/gs)].flatMap((m) =>
    [...m[1]!.matchAll(/>([^<]+)<\/a>/g)].map((t) => t[1]),
  );

describe('organiser events', () => {
  it('creates, lists and edits an event, refusing a taken address', async () => {
    const browser = await newOrganiser();
    const { id, slug } = await createEventAs(browser);
    expect(await (await browser.get('/admin')).text()).toContain('Harbour 10K');
    const clash = await browser.post('/admin/events', { name: 'Copy', slug });
    expect(clash.status).toBe(409);
    expect(await clash.text()).toContain('is taken');
    const bad = await browser.post('/admin/events', { name: 'Bad', slug: 'Not A Slug!' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('lower-case letters');

    const edited = await browser.post(`/admin/events/${id}/edit`, {
      name: 'Harbour 10K 2026',
      slug: `${slug}-2026`,
      date: '2026-06-08',
      location: 'Kiel harbour',
    });
    expect(edited.status).toBe(303);
    const [row] = await db.select().from(events).where(eq(events.id, id));
    expect(row).toMatchObject({
      name: 'Harbour 10K 2026',
      slug: `${slug}-2026`,
      date: '2026-06-08',
      location: 'Kiel harbour',
      published: false,
    });
  });

  it("sets the participants' language, canonicalised, shows it back, and refuses a tag that is none", async () => {
    const browser = await newOrganiser();
    const slug = `lang-${crypto.randomUUID().slice(0, 8)}`;
    const created = await browser.post('/admin/events', { name: '東京マラソン', slug, language: 'JA' });
    expect(created.status).toBe(303);
    const id = Number(created.headers.get('location')!.match(/\/admin\/events\/(\d+)\//)![1]);
    const form = await (await browser.get(`/admin/events/${id}/edit`)).text();
    expect(form).toMatch(/<input id="language" name="language"[^>]* value="ja"/);
    // Common choices to pick from without script; any other tag may be typed.
    expect(form).toContain('<option value="zh-Hant">Chinese (Traditional)</option>');

    const wrong = await browser.post(`/admin/events/${id}/edit`, { name: '東京マラソン', slug, language: 'Japanese' });
    expect(wrong.status).toBe(400);
    const page = await wrong.text();
    expect(page).toContain('“Japanese” is not a language tag');
    // The form comes back with what was typed, to correct it.
    expect(page).toMatch(/<input id="language" name="language"[^>]* value="Japanese"/);
    const [kept] = await db.select().from(events).where(eq(events.id, id));
    expect(kept!.language).toBe('ja');

    await browser.post(`/admin/events/${id}/edit`, { name: '東京マラソン', slug, language: 'zh_hant' });
    const [changed] = await db.select().from(events).where(eq(events.id, id));
    expect(changed!.language).toBe('zh-Hant');
    await browser.post(`/admin/events/${id}/edit`, { name: '東京マラソン', slug, language: '' });
    const [cleared] = await db.select().from(events).where(eq(events.id, id));
    expect(cleared!.language).toBeNull();
  });

  it("shows an organiser only their own events: another organiser's is a 404", async () => {
    const owner = await newOrganiser();
    const stranger = await newOrganiser();
    const { id } = await createEventAs(owner);
    expect(await (await stranger.get('/admin')).text()).not.toContain('Harbour 10K');
    for (const path of [
      `/admin/events/${id}`,
      `/admin/events/${id}/records`,
      `/admin/events/${id}/publish`,
      `/admin/events/${id}/certificate`,
      `/admin/events/${id}/records.csv`,
    ]) {
      expect((await stranger.get(path)).status, path).toBe(404);
    }
    const hijack = await stranger.post(`/admin/events/${id}/edit`, { name: 'Mine now', slug: 'mine-now' });
    expect(hijack.status).toBe(404);
    expect((await stranger.post(`/admin/events/${id}/publish`)).status).toBe(404);
    const [row] = await db.select().from(events).where(eq(events.id, id));
    expect(row!.name).toBe('Harbour 10K');
  });

  it('walks the setup wizard, resuming at the first unfinished step, then discloses the working tabs', async () => {
    const browser = await newOrganiser();
    const { id } = await createEventAs(browser);
    let setup = await (await browser.get(`/admin/events/${id}/setup`)).text();
    expect(tabs(setup)).toEqual(['Overview', 'Setup']);
    expect(setup).toContain('<strong>Connect a source</strong>');

    expect(
      (
        await browser.post(`/admin/events/${id}/sources?next=setup`, { kind: 'upload', name: 'Timing export' })
      ).headers.get('location'),
    ).toBe(`/admin/events/${id}/setup`);
    setup = await (await browser.get(`/admin/events/${id}/setup`)).text();
    expect(setup).toContain('<strong>Pick a certificate template</strong>');
    const preview = setup.match(/src="(\/admin\/events\/\d+\/templates\/built-in\/[\w-]+\/preview\.png)"/)![1]!;
    const image = await browser.get(preview);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(pngSize(new Uint8Array(await image.arrayBuffer()))).toEqual({ width: 1754, height: 1240 });

    await browser.post(`/admin/events/${id}/templates?next=setup`, { builtIn: 'classic-finisher' });
    setup = await (await browser.get(`/admin/events/${id}/setup`)).text();
    expect(setup).toContain('<strong>Add records</strong>');
    expect(setup).toContain('Import a results file');

    const added = await browser.post(`/admin/events/${id}/records`, {
      bib: '7',
      name: 'Mo Farah',
      status: 'finished',
      finishTime: '2:08:21',
    });
    expect(added.status).toBe(303);
    const overview = await (await browser.get(`/admin/events/${id}`)).text();
    expect(tabs(overview)).toEqual(['Overview', 'Certificate', 'Records', 'Publish']);
    expect(overview).toContain('1 record: 1 finished, 0 DNF, 0 DNS, 0 DSQ');
    expect(overview).toContain('Not published');
  });

  it('removes a source only after saying what happens to its records, keeping or deleting them', async () => {
    const browser = await newOrganiser();
    const { id } = await createEventAs(browser);
    await browser.post(`/admin/events/${id}/sources`, { kind: 'upload', name: 'Old export' });
    const [source] = await db.select().from(sources).where(eq(sources.eventId, id));
    await db.insert(records).values([
      {
        eventId: id,
        sourceId: source!.id,
        participantKey: '1',
        bib: '1',
        name: 'Kept Runner',
        certificateId: 'k'.repeat(22),
        updatedAt: new Date(),
      },
    ]);
    const confirm = await (await browser.get(`/admin/events/${id}/sources/${source!.id}/remove`)).text();
    expect(confirm).toContain('1 record came from this source');
    expect(confirm).toContain('Keep the 1 record');
    expect(confirm).toContain('Delete the 1 record too');
    await browser.post(`/admin/events/${id}/sources/${source!.id}/remove`, { records: 'keep' });
    expect(await db.select().from(sources).where(eq(sources.eventId, id))).toEqual([]);
    expect((await db.select().from(records).where(eq(records.eventId, id))).map((r) => r.name)).toEqual([
      'Kept Runner',
    ]);

    await browser.post(`/admin/events/${id}/sources`, {
      kind: 'url',
      name: 'Live',
      url: 'https://timing.example.com/results.csv',
    });
    const [live] = await db.select().from(sources).where(eq(sources.eventId, id));
    await db.update(records).set({ sourceId: live!.id }).where(eq(records.eventId, id));
    await browser.post(`/admin/events/${id}/sources/${live!.id}/remove`, { records: 'delete' });
    expect(await db.select().from(records).where(eq(records.eventId, id))).toEqual([]);
  });

  it('refuses a URL source that is not http(s)', async () => {
    const browser = await newOrganiser();
    const { id } = await createEventAs(browser);
    const res = await browser.post(`/admin/events/${id}/sources`, {
      kind: 'url',
      name: 'Local file',
      url: 'file:///etc/passwd',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Only http and https');
  });
});

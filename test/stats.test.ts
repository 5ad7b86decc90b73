import { SELF } from 'cloudflare:test';
import { and, eq, sum } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { events, eventStats, records } from '../src/db/schema';
import { eventPaths } from '../src/paths';
import { flushStats } from '../src/stats/counter';
import { MAX_NO_RESULT_QUERIES, writeStats } from '../src/stats/queries';
import { createEvent, createOrganiser, db, ORIGIN, runner, signIn } from './fixtures';

/** A runner's phone: one address of its own, so the public rate limits of other suites do not meet it. */
const phone = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
const get = (path: string, headers: Record<string, string> = {}) =>
  SELF.fetch(ORIGIN + path, { headers: { 'CF-Connecting-IP': phone, ...headers }, redirect: 'manual' });
/** What a browser sends for a link with `download`: a navigation, not an `<img>`. */
const saving = { 'Sec-Fetch-Dest': 'document', 'Sec-Fetch-Mode': 'navigate' };
/** What a browser sends for a link's `ping` when the link is followed. */
const ping = (path: string) =>
  SELF.fetch(ORIGIN + path, {
    method: 'POST',
    headers: { 'CF-Connecting-IP': phone, 'Content-Type': 'text/ping', 'Ping-To': 'https://wa.me/' },
    body: 'PING',
  });

const today = () => new Date().toISOString().slice(0, 10);

/** An organiser's published event, dated today, with a finisher and a hidden participant. */
async function organiserEvent() {
  const { organiser, email, password } = await createOrganiser();
  const { event } = await createEvent([
    runner('11', 'Kirui, Geoffrey'),
    runner('12', 'Secret Person', { hidden: true }),
  ]);
  await db.update(events).set({ organiserId: organiser.id, date: today() }).where(eq(events.id, event.id));
  const rows = await db.select().from(records).where(eq(records.eventId, event.id));
  const browser = await signIn(email, password);
  return {
    event,
    browser,
    kirui: rows.find((r) => r.bib === '11')!,
    secret: rows.find((r) => r.bib === '12')!,
    pageOf: (record: { certificateId: string }) => `/events/${event.slug}/certificates/${record.certificateId}`,
  };
}

/** The "What happened" section of the Overview tab. */
async function whatHappened(browser: Awaited<ReturnType<typeof signIn>>, eventId: number) {
  const res = await browser.get(eventPaths({ id: eventId }).overview);
  expect(res.status).toBe(200);
  const html = await res.text();
  const section = html.match(/<section[^>]*aria-labelledby="what-happened"[^>]*>(.*?)<\/section>/s);
  expect(section, 'the Overview tab has a "What happened" section').not.toBeNull();
  return section![1]!;
}

const viewsIn = async (eventId: number) => {
  const [row] = await db
    .select({ n: sum(eventStats.count) })
    .from(eventStats)
    .where(and(eq(eventStats.eventId, eventId), eq(eventStats.metric, 'view')));
  return Number(row?.n ?? 0);
};

describe('what happened on the portal, on the Overview tab', () => {
  it('counts page views, downloads by format, share clicks and searches, and names the searches that found no one', async () => {
    const { event, browser, kirui, pageOf } = await organiserEvent();
    await flushStats(db);

    const page = await get(pageOf(kirui));
    expect(page.status).toBe(200);
    const html = await page.text();
    // The page's own preview is an image, not a download; saving the PNG and the PDF are.
    const png = html.match(/<a class="button" href="([^"]+\.png)"/)![1]!;
    const pdf = html.match(/href="([^"]+\.pdf)" download/)![1]!;
    expect((await get(new URL(png).pathname, { 'Sec-Fetch-Dest': 'image' })).status).toBe(200);
    expect((await get(new URL(png).pathname, saving)).status).toBe(200);
    expect((await get(new URL(pdf).pathname, saving)).status).toBe(200);

    // The share links go straight to the network; following one pings the portal, without JavaScript.
    const whatsapp = html.match(/<a href="https:\/\/wa\.me\/[^"]*" ping="([^"]+)"/);
    expect(whatsapp, 'the WhatsApp link carries a ping').not.toBeNull();
    expect((await ping(whatsapp![1]!)).status).toBe(204);

    expect(await (await get(`/events/${event.slug}?q=kirui`)).text()).toContain('Kirui, Geoffrey');
    for (const q of ['Müeller', 'mueller', ' MUELLER ']) {
      expect(await (await get(`/events/${event.slug}?q=${encodeURIComponent(q)}`)).text()).not.toContain('Kirui');
    }
    // A results site searching through the public API is counted too.
    expect(await (await get(`/api/v1/events/${event.slug}/search?q=MÜELLER`)).json()).toMatchObject({ results: [] });
    await flushStats(db);

    const section = await whatHappened(browser, event.id);
    const text = section.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Certificate page views 1');
    expect(text).toContain('Downloads 2: PDF 1, PNG 1');
    expect(text).toContain('Share clicks 1: WhatsApp 1');
    expect(text).toContain('Searches 5, 4 of them found no one');
    expect(text).toContain('4 searches for “mueller”');
  });

  it('writes to D1 once per 200 views or 10 seconds, not once per view', async () => {
    const { event, pageOf, kirui } = await organiserEvent();
    // The worker runs in this isolate: its clock stands still until the test moves it.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date());
      await flushStats(db);
      const crowd = async (views: number) => {
        for (let i = 0; i < views; i++) expect((await get(pageOf(kirui))).status).toBe(200);
      };
      await crowd(199);
      // 199 views wait in the isolate: nothing is written yet.
      expect(await viewsIn(event.id)).toBe(0);

      // The 200th sends all 200 in one write, after its response.
      await crowd(1);
      await expect.poll(() => viewsIn(event.id)).toBe(200);
      await crowd(99);
      expect(await viewsIn(event.id)).toBe(200);

      // 10 s on, the next view sends the 99 waiting with it: 300 views, two writes.
      vi.setSystemTime(Date.now() + 10_000);
      await crowd(1);
      await expect.poll(() => viewsIn(event.id)).toBe(300);
    } finally {
      vi.useRealTimers();
    }
  }, 90_000);

  it('counts nothing for a hidden participant, and the public learns nothing from it', async () => {
    const { event, browser, kirui, secret, pageOf } = await organiserEvent();
    await flushStats(db);
    expect((await get(pageOf(secret))).status).toBe(404);
    // A ping for a hidden certificate answers as one for a visible one does.
    const visible = await ping(`${pageOf(kirui)}/shared/x`);
    const hidden = await ping(`${pageOf(secret)}/shared/x`);
    expect([visible.status, hidden.status]).toEqual([204, 204]);
    expect(await hidden.text()).toBe(await visible.text());
    // A network the portal does not link to is refused.
    expect((await ping(`${pageOf(kirui)}/shared/myspace`)).status).toBe(404);
    await flushStats(db);

    const text = (await whatHappened(browser, event.id)).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Certificate page views 0');
    expect(text).toContain('Share clicks 1: X 1');
    // The public pages say nothing of what was counted.
    const eventPage = await (await get(`/events/${event.slug}`)).text();
    expect(eventPage).not.toContain('What happened');
  });

  it('shows the stats to the event’s organiser only', async () => {
    const { event } = await organiserEvent();
    const other = await createOrganiser();
    const stranger = await signIn(other.email, other.password);
    const res = await stranger.get(eventPaths(event).overview);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('What happened');
  });

  it('draws the first 7 days from the event date as an SVG chart with text labels', async () => {
    const { event, browser } = await organiserEvent();
    await db.update(events).set({ date: '2026-04-19' }).where(eq(events.id, event.id));
    await writeStats(db, [
      { eventId: event.id, day: '2026-04-19', metric: 'view', key: '', count: 40 },
      { eventId: event.id, day: '2026-04-20', metric: 'view', key: '', count: 12 },
      { eventId: event.id, day: '2026-04-21', metric: 'download', key: 'certificate.png', count: 5 },
      // Outside the first week: in the totals, not in the chart.
      { eventId: event.id, day: '2026-05-30', metric: 'view', key: '', count: 3 },
    ]);
    const section = await whatHappened(browser, event.id);
    const svg = section.match(/<svg[^>]*>.*?<\/svg>/s)![0]!;
    expect(svg).toMatch(/role="img"/);
    expect(svg).toMatch(/<title[^>]*>[^<]+<\/title>/);
    expect(svg).toMatch(/<desc[^>]*>[^<]*19 Apr: page views 40,/);
    const days = [...svg.matchAll(/<g class="day"[^>]*>.*?<text[^>]*>([^<]+)<\/text>/gs)].map((m) => m[1]);
    expect(days).toEqual(['19 Apr', '20 Apr', '21 Apr', '22 Apr', '23 Apr', '24 Apr', '25 Apr']);
    expect(section.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain('Certificate page views 55');
    // The page asks for no chart library: no script in the section.
    expect(section).not.toContain('<script');
  });

  it('keeps at most a few hundred different no-result searches per event and day, and counts every search', async () => {
    const { event } = await organiserEvent();
    const day = today();
    const searches = Array.from({ length: MAX_NO_RESULT_QUERIES + 50 }, (_, i) => `nobody${i}`);
    await writeStats(db, [
      { eventId: event.id, day, metric: 'search', key: 'none', count: searches.length },
      ...searches.map((key) => ({ eventId: event.id, day, metric: 'no-result' as const, key, count: 1 })),
    ]);
    // Once full, a query already kept is still counted.
    await writeStats(db, [{ eventId: event.id, day, metric: 'no-result', key: 'nobody0', count: 2 }]);
    const kept = await db
      .select()
      .from(eventStats)
      .where(and(eq(eventStats.eventId, event.id), eq(eventStats.metric, 'no-result')));
    expect(kept).toHaveLength(MAX_NO_RESULT_QUERIES);
    expect(kept.find((r) => r.key === 'nobody0')!.count).toBe(3);
  });
});

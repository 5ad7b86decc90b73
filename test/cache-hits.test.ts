import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, records, templates } from '../src/db/schema';
import { builtInTemplates } from '../templates';
import { apiEvent, db, ORIGIN, runner, saveRunners } from './fixtures';

// A cache hit answers from R2 without waiting for D1 first, yet never serves what the public may
// no longer see: the look-up and the R2 read run together, and nothing is sent before D1 answered.

/** An event of the organiser API with the built-in template, published, with these runners. */
async function publishedApiEvent(bibs: string[]) {
  const made = await apiEvent('Harbour Run', 'hits');
  const [template] = await db
    .insert(templates)
    .values({ eventId: made.event.id, name: 'Classic', layout: builtInTemplates[0]!.layout })
    .returning();
  await db.update(events).set({ templateId: template!.id, published: true }).where(eq(events.id, made.event.id));
  await saveRunners(
    made.event.id,
    bibs.map((bib) => runner(bib, `Runner ${bib}`)),
  );
  return { ...made, template: template! };
}

/** A participant's address, as Cloudflare sets it: every request another runner's, so the image rate limit stays out of the way. */
const fetchAsRunner = (url: string) =>
  SELF.fetch(url, {
    headers: { 'CF-Connecting-IP': `10.9.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}` },
  });

async function imageUrlOf(slug: string, bib: string) {
  const res = await SELF.fetch(`${ORIGIN}/api/v1/events/${slug}/search?q=${bib}`);
  const { results } = await res.json<{ results: { bib: string; imageUrl: string; shareImageUrl: string }[] }>();
  return results.find((r) => r.bib === bib)!;
}

/** Requests an image and waits until R2 holds it, so that the next request is a cache hit. */
async function cached(url: string) {
  const first = await fetchAsRunner(url);
  expect(first.status).toBe(200);
  await first.arrayBuffer();
  const key = new URL(url).pathname.slice(1);
  await expect.poll(async () => (await env.FILES.head(key)) !== null, { timeout: 5_000 }).toBe(true);
  const hit = await fetchAsRunner(url);
  expect(hit.headers.get('x-certificate-cache')).toBe('hit');
  await hit.arrayBuffer();
}

/**
 * Requests `url` over and over until `stop` resolves, noting for each answer whether the request
 * was sent after `stop` had resolved.
 */
async function hammer(url: string, stop: Promise<unknown>) {
  let stopped = false;
  void stop.then(() => (stopped = true));
  const answers: { afterStop: boolean; status: number; type: string | null }[] = [];
  const worker = async () => {
    for (let after = 0; after < 5; ) {
      const afterStop = stopped;
      const res = await fetchAsRunner(url);
      await res.arrayBuffer();
      answers.push({ afterStop, status: res.status, type: res.headers.get('content-type') });
      if (afterStop) after++;
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return answers;
}

describe('certificate cache hits', () => {
  it('serves no request sent after hiding returned, though R2 still holds the images', async () => {
    const { api, event } = await publishedApiEvent(['31']);
    const { imageUrl, shareImageUrl } = await imageUrlOf(event.slug, '31');
    await cached(imageUrl);
    await cached(shareImageUrl);

    const hide = (async () => {
      // Requests are in flight before and while the organiser hides the record.
      await new Promise((r) => setTimeout(r, 20));
      const res = await api('/records/31', {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ hidden: true }),
      });
      expect(res.status).toBe(200);
    })();
    const [certificate, share] = await Promise.all([hammer(imageUrl, hide), hammer(shareImageUrl, hide)]);

    for (const answers of [certificate, share]) {
      expect(answers.some((a) => !a.afterStop && a.status === 200)).toBe(true);
      const after = answers.filter((a) => a.afterStop);
      expect(after.length).toBeGreaterThanOrEqual(20);
      for (const a of after) {
        expect(a.status).toBe(404);
        expect(a.type).not.toBe('image/png');
      }
    }
    // R2 kept the images: the look-up alone refused them.
    expect(await env.FILES.head(new URL(imageUrl).pathname.slice(1))).not.toBeNull();
  });

  it('serves no request sent after unpublishing returned', async () => {
    const { api, event } = await publishedApiEvent(['41', '42']);
    const urls = [(await imageUrlOf(event.slug, '41')).imageUrl, (await imageUrlOf(event.slug, '42')).shareImageUrl];
    for (const url of urls) await cached(url);

    const unpublish = (async () => {
      await new Promise((r) => setTimeout(r, 20));
      expect((await api('/unpublish', { method: 'POST' })).status).toBe(200);
    })();
    const answered = await Promise.all(urls.map((url) => hammer(url, unpublish)));
    for (const answers of answered) {
      expect(answers.filter((a) => a.afterStop).every((a) => a.status === 404)).toBe(true);
    }
  });

  it('answers 410 for a cached image whose result changed, and serves the new one', async () => {
    const { event } = await publishedApiEvent(['51']);
    const { imageUrl } = await imageUrlOf(event.slug, '51');
    await cached(imageUrl);
    await db.update(records).set({ finishTime: '2:59:59', updatedAt: new Date() }).where(eq(records.eventId, event.id));

    const old = await fetchAsRunner(imageUrl);
    expect(old.status).toBe(410);
    expect(await old.text()).toContain('out of date');
    const renewed = (await imageUrlOf(event.slug, '51')).imageUrl;
    expect(renewed).not.toBe(imageUrl);
    const fresh = await fetchAsRunner(renewed);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('x-certificate-cache')).toBe('miss');
  });

  it('draws a template saved as a new version at once, in the same isolate', async () => {
    const { event, template } = await publishedApiEvent(['61']);
    const before = (await imageUrlOf(event.slug, '61')).imageUrl;
    await cached(before);
    const layout = structuredClone(builtInTemplates[0]!.layout) as { background: { colour: string } };
    layout.background = { colour: '#000000' };
    await db
      .update(templates)
      .set({ layout, version: template.version + 1, updatedAt: new Date() })
      .where(eq(templates.id, template.id));

    expect((await fetchAsRunner(before)).status).toBe(410);
    const after = (await imageUrlOf(event.slug, '61')).imageUrl;
    expect(after).not.toBe(before);
    const res = await fetchAsRunner(after);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-certificate-cache')).toBe('miss');
  });
});

import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { records, templates } from '../src/db/schema';
import { createEvent, db, pngSize, runner, saveRunners } from './fixtures';

const origin = 'https://portal.test';

async function searchOne(slug: string, q: string) {
  const res = await SELF.fetch(`${origin}/api/v1/events/${slug}/search?q=${encodeURIComponent(q)}`);
  const { results } = await res.json<{
    results: { imageUrl: string; shareImageUrl: string; certificateUrl: string }[];
  }>();
  return results[0]!;
}

const storedKeys = async (certificateId: string) =>
  (await env.FILES.list({ prefix: `certificates/${certificateId}/` })).objects.map((o) => o.key);

describe('certificate images', () => {
  it('renders on the first request, then streams from R2 with an ETag and minutes of caching', async () => {
    const { event } = await createEvent([runner('7', 'Sifan Hassan')]);
    const { imageUrl } = await searchOne(event.slug, '7');
    const certificateId = new URL(imageUrl).pathname.split('/')[2]!;
    expect(await storedKeys(certificateId)).toEqual([]);

    const first = await SELF.fetch(imageUrl);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/png');
    expect(first.headers.get('x-certificate-cache')).toBe('miss');
    expect(pngSize(new Uint8Array(await first.arrayBuffer()))).toEqual({ width: 1754, height: 1240 });
    // The write to R2 finishes after the response has gone.
    await expect.poll(() => storedKeys(certificateId), { timeout: 5_000 }).toHaveLength(1);

    const second = await SELF.fetch(imageUrl);
    expect(second.headers.get('x-certificate-cache')).toBe('hit');
    expect(second.headers.get('cache-control')).toBe('public, max-age=300');
    const etag = second.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{24}"$/);
    expect(pngSize(new Uint8Array(await second.arrayBuffer()))).toEqual({ width: 1754, height: 1240 });

    const revalidated = await SELF.fetch(imageUrl, { headers: { 'If-None-Match': etag! } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
  });

  it('serves the share card at 1200×630 and the certificate as SVG', async () => {
    const { event } = await createEvent([runner('8', 'Eliud Kipchoge')]);
    const { shareImageUrl, imageUrl } = await searchOne(event.slug, '8');
    const share = await SELF.fetch(shareImageUrl);
    expect(pngSize(new Uint8Array(await share.arrayBuffer()))).toEqual({ width: 1200, height: 630 });
    const svg = await SELF.fetch(imageUrl.replace(/certificate-\w+\.png$/, 'x.svg'));
    expect(svg.status).toBe(404);
    const page = await (await SELF.fetch((await searchOne(event.slug, '8')).certificateUrl)).text();
    const svgUrl = page.match(/href="([^"]+\.svg)"/)![1]!;
    const svgRes = await SELF.fetch(svgUrl);
    expect(svgRes.headers.get('content-type')).toBe('image/svg+xml');
    expect(await svgRes.text()).toMatch(/^<svg width="1754" height="1240"/);
  });

  it('gives a changed record a new URL and never serves new content at the old one', async () => {
    const { event } = await createEvent([runner('9', 'Brigid Kosgei')]);
    const before = await searchOne(event.slug, '9');
    expect((await SELF.fetch(before.imageUrl)).status).toBe(200);

    await saveRunners(event.id, [runner('9', 'Brigid Kosgei', { finishTime: '2:14:04' })]);
    const after = await searchOne(event.slug, '9');
    expect(after.imageUrl).not.toBe(before.imageUrl);
    expect(after.certificateUrl).toBe(before.certificateUrl);

    const stale = await SELF.fetch(before.imageUrl);
    expect(stale.status).toBe(410);
    expect(stale.headers.get('content-type')).toContain('text/html');
    expect((await SELF.fetch(after.imageUrl)).status).toBe(200);
  });

  it('gives a new template version new URLs', async () => {
    const { event, template } = await createEvent([runner('10', 'Faith Kipyegon')]);
    const before = await searchOne(event.slug, '10');
    await db
      .update(templates)
      .set({ version: template.version + 1 })
      .where(eq(templates.id, template.id));
    const after = await searchOne(event.slug, '10');
    expect(after.imageUrl).not.toBe(before.imageUrl);
    expect(after.shareImageUrl).not.toBe(before.shareImageUrl);
    expect((await SELF.fetch(before.imageUrl)).status).toBe(410);
  });

  it('refuses images of hidden records and unpublished events, even when already cached', async () => {
    const { event } = await createEvent([runner('12', 'Hidden Runner')]);
    const { imageUrl } = await searchOne(event.slug, '12');
    expect((await SELF.fetch(imageUrl)).status).toBe(200);

    await db.update(records).set({ hidden: true }).where(eq(records.eventId, event.id));
    const hidden = await SELF.fetch(imageUrl);
    expect(hidden.status).toBe(404);
    expect(await hidden.text()).not.toContain('Hidden Runner');
    const hiddenRevalidation = await SELF.fetch(imageUrl, { headers: { 'If-None-Match': '"x"' } });
    expect(hiddenRevalidation.status).toBe(404);

    const draft = await createEvent([runner('13', 'Draft Runner')], { published: false });
    const [row] = await db.select().from(records).where(eq(records.eventId, draft.event.id));
    const guessed = `${origin}/certificates/${row!.certificateId}/certificate-${'0'.repeat(24)}.png`;
    expect((await SELF.fetch(guessed)).status).toBe(404);
  });

  it('answers malformed image URLs with 404, not an error', async () => {
    for (const path of [
      '/certificates/short/certificate-abc.png',
      '/certificates/AAAAAAAAAAAAAAAAAAAAAA/certificate-zz.png',
      '/certificates/AAAAAAAAAAAAAAAAAAAAAA/share-000000000000000000000000.svg',
      '/certificates/AAAAAAAAAAAAAAAAAAAAAA/certificate-000000000000000000000000.gif',
    ]) {
      const res = await SELF.fetch(origin + path);
      expect(res.status, path).toBe(404);
    }
  });
});

describe('certificates in every script', () => {
  it('answers a certificate and share card for Urdu names, which used to fail with a 500', async () => {
    const { event } = await createEvent([runner('31', 'ٹیپو سلطان'), runner('32', 'ڈاکٹر عبدالقدیر خان')]);
    for (const bib of ['31', '32']) {
      const { imageUrl, shareImageUrl } = await searchOne(event.slug, bib);
      for (const url of [imageUrl, shareImageUrl]) {
        const res = await SELF.fetch(url);
        expect(res.status, url).toBe(200);
        expect(pngSize(new Uint8Array(await res.arrayBuffer())).width).toBeGreaterThan(1000);
      }
    }
  });
});

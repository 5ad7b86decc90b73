import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createEvent, ORIGIN, runner } from './fixtures';

// What wrangler.toml allows one client a minute: a runner on a phone never comes close.
const SEARCHES_PER_MINUTE = 60;
const IMAGES_PER_MINUTE = 120;

// Each test asks from its own addresses: the limiter's counts live as long as the test file.
let clients = 0;
const newClient = () => `203.0.113.${++clients}`;
const from = (client: string) => ({ headers: { 'CF-Connecting-IP': client } });

const apiSearch = (slug: string, client: string) =>
  SELF.fetch(`${ORIGIN}/api/v1/events/${slug}/search?q=1`, from(client));
const pageSearch = (slug: string, client: string) => SELF.fetch(`${ORIGIN}/events/${slug}?q=1`, from(client));

/**
 * Runs `body` again with new clients if a minute boundary passed while it ran: the local limiter
 * counts in fixed minutes, so a count that straddles two of them would allow twice the limit.
 */
async function withinOneMinute(body: () => Promise<void>) {
  for (let attempt = 0; ; attempt++) {
    const minute = Math.floor(Date.now() / 60_000);
    try {
      await body();
      return;
    } catch (error) {
      if (attempt > 0 || Math.floor(Date.now() / 60_000) === minute) throw error;
    }
  }
}

async function expectTooMany(res: Response, kind: 'json' | 'html', message: RegExp) {
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe('60');
  if (kind === 'json') expect(await res.json()).toEqual({ error: expect.stringMatching(message) });
  else {
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toMatch(message);
  }
}

describe('public routes are limited per client', async () => {
  const { event } = await createEvent([runner('1', 'Anna Example'), runner('10', 'Ben Example')]);

  it(`answers ${SEARCHES_PER_MINUTE} searches a minute from one client, page and API together, then 429 while others still search`, async () => {
    await withinOneMinute(async () => {
      const [scraper, runnerOnAPhone] = [newClient(), newClient()];
      const allowed = await Promise.all(
        Array.from({ length: SEARCHES_PER_MINUTE }, (_, i) =>
          i % 2 ? apiSearch(event.slug, scraper) : pageSearch(event.slug, scraper),
        ),
      );
      expect(new Set(allowed.map((r) => r.status))).toEqual(new Set([200]));

      const api = await apiSearch(event.slug, scraper);
      expect(api.headers.get('access-control-allow-origin')).toBe('*');
      await expectTooMany(api, 'json', /Too many searches/);
      await expectTooMany(await pageSearch(event.slug, scraper), 'html', /Too many searches/);

      const other = await apiSearch(event.slug, runnerOnAPhone);
      expect(other.status).toBe(200);
      expect((await other.json<{ results: { name: string }[] }>()).results).toMatchObject([{ name: 'Anna Example' }]);
      expect((await pageSearch(event.slug, runnerOnAPhone)).status).toBe(200);
    });
  });

  it('counts an IPv6 client by its /64, so moving around in it does not reset the count', async () => {
    await withinOneMinute(async () => {
      const n = (++clients).toString(16);
      const inOneNetwork = (i: number) => `2001:db8:${n}:1:${i.toString(16)}::1`;
      const allowed = await Promise.all(
        Array.from({ length: SEARCHES_PER_MINUTE }, (_, i) => apiSearch(event.slug, inOneNetwork(i))),
      );
      expect(new Set(allowed.map((r) => r.status))).toEqual(new Set([200]));
      expect((await apiSearch(event.slug, `2001:0db8:${n.padStart(4, '0')}:0001::abcd`)).status).toBe(429);
      expect((await apiSearch(event.slug, `2001:db8:${n}:2::1`)).status).toBe(200);
    });
  });

  it(`answers ${IMAGES_PER_MINUTE} certificate image requests a minute from one client, then 429 while others still get images`, async () => {
    const [first] = (await (await apiSearch(event.slug, newClient())).json<{ results: { imageUrl: string }[] }>())
      .results;
    const image = first!.imageUrl;
    expect((await SELF.fetch(image, from(newClient()))).status).toBe(200); // rendered once, outside the minute
    await withinOneMinute(async () => {
      const [scraper, other] = [newClient(), newClient()];
      expect((await SELF.fetch(image, from(scraper))).status).toBe(200);
      // Guessed addresses count too: they are how a scraper would look for certificates.
      const guesses = await Promise.all(
        Array.from({ length: IMAGES_PER_MINUTE - 1 }, () =>
          SELF.fetch(`${ORIGIN}/certificates/AAAAAAAAAAAAAAAAAAAAAA/certificate-${'0'.repeat(24)}.png`, from(scraper)),
        ),
      );
      expect(new Set(guesses.map((r) => r.status))).toEqual(new Set([404]));

      await expectTooMany(await SELF.fetch(image, from(scraper)), 'html', /Too many certificate images/);
      const allowed = await SELF.fetch(image, from(other));
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('content-type')).toBe('image/png');
    });
  }, 60_000); // a first render takes seconds on a busy machine
});

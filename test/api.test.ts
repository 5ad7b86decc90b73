import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createEvent, runner } from './fixtures';

const origin = 'https://portal.test';
// Links are on the portal's public address, whichever host the request named.
const links = env.PUBLIC_URL.replace(/\/$/, '');
const search = (slug: string, q: string, init?: RequestInit) =>
  SELF.fetch(`${origin}/api/v1/events/${slug}/search?q=${encodeURIComponent(q)}`, init);

describe('search API', async () => {
  const { event } = await createEvent([
    runner('11', 'Kirui, Geoffrey', { finishTime: '2:09:37', category: 'M18-39' }),
    runner('12', 'Hidden Geoffrey', { hidden: true }),
  ]);
  const draft = await createEvent([runner('1', 'Draft')], { published: false });

  it('returns results in the documented shape', async () => {
    const res = await search(event.slug, 'geoffrey');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = await res.json<{ results: Record<string, unknown>[] }>();
    expect(body).toEqual({
      results: [
        {
          bib: '11',
          name: 'Kirui, Geoffrey',
          category: 'M18-39',
          status: 'finished',
          finishTime: '2:09:37',
          certificateUrl: expect.stringMatching(new RegExp(`^${links}/events/${event.slug}/certificates/[\\w-]{22}$`)),
          imageUrl: expect.stringMatching(
            new RegExp(`^${links}/certificates/[\\w-]{22}/certificate-[0-9a-f]{24}\\.png$`),
          ),
          shareImageUrl: expect.stringMatching(
            new RegExp(`^${links}/certificates/[\\w-]{22}/share-[0-9a-f]{24}\\.png$`),
          ),
          formats: {
            png: expect.stringMatching(/\/certificate-[0-9a-f]{24}\.png$/),
            svg: expect.stringMatching(/\/certificate-[0-9a-f]{24}\.svg$/),
            pdf: expect.stringMatching(/\/certificate-[0-9a-f]{24}\.pdf$/),
            share: expect.stringMatching(/\/share-[0-9a-f]{24}\.png$/),
            square: expect.stringMatching(/\/square-[0-9a-f]{24}\.png$/),
            story: expect.stringMatching(/\/story-[0-9a-f]{24}\.png$/),
          },
        },
      ],
      total: 1,
      more: false,
    });
  });

  it('allows cross-origin GET', async () => {
    const res = await search(event.slug, '11', { headers: { Origin: 'https://photos.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await SELF.fetch(`${origin}/api/v1/events/${event.slug}/search?q=1`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://photos.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET');
  });

  it('answers errors as { error } with the right status', async () => {
    const cases: [Promise<Response>, number, RegExp][] = [
      [search('no-such-event', 'x'), 404, /No published event/],
      [search(draft.event.slug, 'draft'), 404, /No published event/],
      [search(event.slug, 'a'.repeat(201)), 400, /at most 200 characters/],
      [search(event.slug, 'x\u0007'), 400, /control characters/],
      [search(event.slug, '  '), 400, /\?q=/],
      [SELF.fetch(`${origin}/api/v1/nothing`), 404, /nothing at this address/],
    ];
    for (const [pending, status, message] of cases) {
      const res = await pending;
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/json');
      const body = await res.json<{ error: string }>();
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error).toMatch(message);
    }
  });

  it('never returns hidden records', async () => {
    const { results } = await (await search(event.slug, 'hidden')).json<{ results: unknown[] }>();
    expect(results).toEqual([]);
  });
});

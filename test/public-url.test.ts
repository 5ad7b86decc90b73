import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { linkOrigin } from '../src/paths';
import packageJson from '../package.json';
import { createEvent, runner } from './fixtures';

/**
 * The worker as `wrangler dev` runs it (PUBLIC_URL empty) or as deployed (PUBLIC_URL set): the
 * same app, called with that PUBLIC_URL and a request on the given address.
 */
async function fetchAs(publicUrl: string, url: string) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(url), { ...env, PUBLIC_URL: publicUrl }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

type Result = { certificateUrl: string; imageUrl: string; shareImageUrl: string; formats: { svg: string } };

/** The search API's result, the certificate page's absolute links, and what its QR code reads. */
async function linksOf(publicUrl: string, origin: string, slug: string, bib: string) {
  const search = await fetchAs(publicUrl, `${origin}/api/v1/events/${slug}/search?q=${bib}`);
  expect(search.status).toBe(200);
  const [result] = (await search.json<{ results: Result[] }>()).results;
  const eventPage = await (await fetchAs(publicUrl, `${origin}/events/${slug}?q=${bib}`)).text();
  const page = await (await fetchAs(publicUrl, result!.certificateUrl.replace(/^https?:\/\/[^/]+/, origin))).text();
  const meta = (property: string) => page.match(new RegExp(`<meta property="${property}" content="([^"]+)"`))?.[1];
  const verifyUrl = page.match(/<a href="([^"]+)">check this certificate<\/a>/)?.[1];
  return {
    result: result!,
    eventPage,
    page,
    ogUrl: meta('og:url'),
    ogImage: meta('og:image'),
    verifyUrl,
    qr: await qrOf(publicUrl, result!.formats.svg.replace(/^https?:\/\/[^/]+/, origin)),
  };
}

/** The URL the QR code drawn into a certificate's SVG reads. */
async function qrOf(publicUrl: string, svgUrl: string) {
  const res = await fetchAs(publicUrl, svgUrl);
  expect(res.status, svgUrl).toBe(200);
  const svg = await res.text();
  // Drawing the SVG above set up resvg's WASM.
  const { Resvg } = await import('@resvg/resvg-wasm');
  const jsQR = (await import('jsqr')).default;
  const image = new Resvg(svg).render();
  const decoded = jsQR(new Uint8ClampedArray(image.pixels), image.width, image.height);
  image.free();
  return decoded?.data;
}

describe('local development (PUBLIC_URL empty): links follow the address in use', async () => {
  const { event } = await createEvent([runner('41', 'Port Runner')]);
  const local = 'http://127.0.0.1:8790';

  it('in search results, og tags, the verify link and the QR code', async () => {
    const links = await linksOf('', local, event.slug, '41');
    expect(links.result.certificateUrl).toMatch(new RegExp(`^${local}/events/${event.slug}/certificates/[\\w-]{22}$`));
    expect(links.result.imageUrl).toMatch(
      new RegExp(`^${local}/certificates/[\\w-]{22}/certificate-[0-9a-f]{24}\\.png$`),
    );
    expect(links.result.shareImageUrl.startsWith(`${local}/certificates/`)).toBe(true);
    expect(links.eventPage).toContain(`href="${links.result.certificateUrl}"`);
    expect(links.ogUrl).toBe(links.result.certificateUrl);
    expect(links.ogImage).toBe(links.result.shareImageUrl);
    expect(links.verifyUrl).toMatch(new RegExp(`^${local}/verify/[\\w-]{22}/[0-9a-f]{16}$`));
    expect(links.qr).toBe(links.verifyUrl);
    expect(links.page).not.toContain('localhost:8787');
    expect(links.eventPage).not.toContain('localhost:8787');
  });

  it('on any loopback name and port', async () => {
    for (const origin of ['http://localhost:8791', 'http://[::1]:8792']) {
      const search = await fetchAs('', `${origin}/api/v1/events/${event.slug}/search?q=41`);
      const [result] = (await search.json<{ results: Result[] }>()).results;
      expect(result!.imageUrl.startsWith(`${origin}/certificates/`), result!.imageUrl).toBe(true);
    }
  });

  it('fails loudly anywhere else: a deployed worker must have PUBLIC_URL', async () => {
    for (const path of ['/', `/events/${event.slug}`, `/api/v1/events/${event.slug}/search?q=41`]) {
      const res = await fetchAs('', `https://portal.example${path}`);
      expect(res.status, path).toBe(500);
      expect(await res.text(), path).toContain('PUBLIC_URL');
    }
  });
});

describe('a deployed worker (PUBLIC_URL set): the Host header changes nothing', async () => {
  const { event } = await createEvent([runner('42', 'Forged Host')]);
  const publicUrl = 'https://certificates.example';

  it('in search results, og tags, the verify link, the QR code and image hashes', async () => {
    const honest = await linksOf(publicUrl, publicUrl, event.slug, '42');
    expect(honest.result.imageUrl.startsWith(`${publicUrl}/certificates/`)).toBe(true);
    expect(honest.ogUrl!.startsWith(`${publicUrl}/events/${event.slug}/certificates/`)).toBe(true);
    expect(honest.verifyUrl).toMatch(new RegExp(`^${publicUrl}/verify/[\\w-]{22}/[0-9a-f]{16}$`));
    expect(honest.qr).toBe(honest.verifyUrl);

    for (const forged of ['https://attacker.example', 'http://127.0.0.1:8790', 'http://localhost:8787']) {
      const links = await linksOf(publicUrl, forged, event.slug, '42');
      // The same URLs, so the same image hashes, as for an honest request.
      expect(links.result, forged).toEqual(honest.result);
      expect([links.ogUrl, links.ogImage, links.verifyUrl, links.qr], forged).toEqual([
        honest.ogUrl,
        honest.ogImage,
        honest.verifyUrl,
        honest.qr,
      ]);
      expect(links.page).not.toContain(new URL(forged).host);
      expect(links.eventPage).not.toContain(new URL(forged).host);
    }
  });

  it('even when it is this machine (.dev.vars, so publishing pre-renders for that address)', async () => {
    const local = 'http://127.0.0.1:8790';
    const links = await linksOf(local, 'http://localhost:8790', event.slug, '42');
    expect(links.result.imageUrl.startsWith(`${local}/certificates/`)).toBe(true);
    expect(links.verifyUrl!.startsWith(`${local}/verify/`)).toBe(true);
    expect(links.qr).toBe(links.verifyUrl);
  });
});

describe('linkOrigin', () => {
  it('is PUBLIC_URL whenever it is set, else the loopback address in use', () => {
    expect(linkOrigin('https://portal.example/', 'https://attacker.example/x')).toBe('https://portal.example');
    expect(linkOrigin('https://portal.example', 'http://127.0.0.1:8787/x')).toBe('https://portal.example');
    expect(linkOrigin('http://localhost:8787', 'http://127.0.0.1:8799/x')).toBe('http://localhost:8787');
    expect(linkOrigin('', 'http://127.0.0.1:8799/events/x')).toBe('http://127.0.0.1:8799');
    expect(linkOrigin(undefined, 'http://[::1]:8788/x')).toBe('http://[::1]:8788');
    expect(() => linkOrigin('', 'http://localhost.attacker.example/x')).toThrow(/PUBLIC_URL/);
    expect(() => linkOrigin('portal.example', 'https://portal.example/x')).toThrow(/PUBLIC_URL/);
  });
});

describe('npm run dev', () => {
  it('ends with wrangler dev, so `npm run dev -- --port 8790` reaches it', () => {
    const last = packageJson.scripts.dev.split('&&').at(-1)!.trim();
    expect(last).toMatch(/^wrangler dev\b/);
    expect(last).toContain('--test-scheduled');
  });
});

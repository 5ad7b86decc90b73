import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { records } from '../src/db/schema';
import { createEvent, db, runner } from './fixtures';

const origin = 'https://portal.test';
const get = (path: string) => SELF.fetch(origin + path);

/** A response a person would see as a failure page: right status, a message, no stack trace. */
async function expectFriendlyError(res: Response, status: number, message: RegExp) {
  expect(res.status).toBe(status);
  const body = await res.text();
  expect(body).toMatch(message);
  expect(body).not.toMatch(/\bat \S+ \(|Error:|\.ts:\d+/);
  return body;
}

describe('public portal', async () => {
  const { event } = await createEvent([
    runner('11', 'Kirui, Geoffrey'),
    runner('12', 'Secret Person', { hidden: true }),
    runner('13', 'Dora Dnf', { status: 'dnf', finishTime: null, rankOverall: null }),
  ]);
  const draft = await createEvent([runner('1', 'Draft Runner')], { published: false });

  it('lists published events only', async () => {
    const html = await (await get('/')).text();
    expect(html).toContain(`href="/events/${event.slug}"`);
    expect(html).not.toContain(draft.event.slug);
  });

  it('searches by name and by bib from a plain HTML form', async () => {
    const page = await get(`/events/${event.slug}`);
    const html = await page.text();
    expect(html).toContain('<form class="search" method="get"');
    expect(html).toContain('name="viewport"');
    // The shared stylesheet (src/ui/styles.css) is inlined: the CSP allows inline styles, no style host.
    expect(html).toMatch(/<style>[^<]*ul\.plain a \{/);

    const byName = await (await get(`/events/${event.slug}?q=kirui+geof`)).text();
    expect(byName).toContain('Kirui, Geoffrey');
    // Absolute links are on the public address (PUBLIC_URL), not the host the request named.
    expect(byName).toMatch(new RegExp(`href="${env.PUBLIC_URL}/events/[\\w-]+/certificates/[\\w-]{22}"`));

    const byBib = await (await get(`/events/${event.slug}?q=13`)).text();
    expect(byBib).toContain('Dora Dnf');
    expect(byBib).toContain('DNF');

    const none = await (await get(`/events/${event.slug}?q=nobody`)).text();
    expect(none).toContain('No one matches');
  });

  it('never shows a hidden record', async () => {
    expect(await (await get(`/events/${event.slug}?q=secret`)).text()).not.toContain('Secret Person');
    expect(await (await get(`/events/${event.slug}?q=12`)).text()).not.toContain('Secret Person');
    const [hidden] = await db.select().from(records).where(eq(records.bib, '12'));
    const page = await get(`/events/${event.slug}/certificates/${hidden!.certificateId}`);
    const body = await expectFriendlyError(page, 404, /not available/);
    expect(body).not.toContain('Secret Person');
  });

  it('shows the certificate page with downloads, share buttons and social preview tags', async () => {
    const [row] = await db.select().from(records).where(eq(records.bib, '11'));
    const res = await get(`/events/${event.slug}/certificates/${row!.certificateId}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<meta name="robots" content="noindex"/>');
    const og = html.match(/<meta property="og:image" content="([^"]+)"/)![1]!;
    expect(og).toMatch(/\/certificates\/[\w-]{22}\/share-[0-9a-f]{24}\.png$/);
    expect(html).toContain('<meta property="og:image:width" content="1200"/>');
    expect(html).toContain('<meta property="og:image:height" content="630"/>');
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image"/>');
    expect(html).toContain(`<meta name="twitter:image" content="${og}"/>`);
    expect(html).toMatch(
      /<a class="button" href="[^"]+certificate-[0-9a-f]{24}\.png" download="[^"]+\.png">Download PNG<\/a>/,
    );
    expect(html).toMatch(/href="[^"]+certificate-[0-9a-f]{24}\.svg" download/);
    expect(html).toContain('data-copy=');
    expect(html).toContain('data-share=');
    expect(html).toContain('finished Riverside Marathon in 3:12:45');
    // The share script runs under a nonce-based CSP.
    const csp = res.headers.get('content-security-policy')!;
    const nonce = html.match(/<script nonce="([^"]+)"/)![1]!;
    expect(csp).toContain(`'nonce-${nonce}'`);
  });

  it('says where a DNF took part instead of a finish time', async () => {
    const [row] = await db.select().from(records).where(eq(records.bib, '13'));
    const html = await (await get(`/events/${event.slug}/certificates/${row!.certificateId}`)).text();
    expect(html).toContain('Dora Dnf took part in Riverside Marathon.');
  });

  it('answers unknown and unpublished events and unknown records with a helpful 404 page', async () => {
    await expectFriendlyError(await get('/events/no-such-event'), 404, /no published event/);
    await expectFriendlyError(await get(`/events/${draft.event.slug}`), 404, /no published event/);
    await expectFriendlyError(await get('/events/Bad%20Slug!'), 404, /no published event/);
    const [draftRow] = await db.select().from(records).where(eq(records.eventId, draft.event.id));
    await expectFriendlyError(
      await get(`/events/${draft.event.slug}/certificates/${draftRow!.certificateId}`),
      404,
      /not available/,
    );
    await expectFriendlyError(
      await get(`/events/${event.slug}/certificates/AAAAAAAAAAAAAAAAAAAAAA`),
      404,
      /not available/,
    );
    await expectFriendlyError(await get(`/events/${event.slug}/certificates/../../etc`), 404, /./);
    await expectFriendlyError(await get('/no/such/page'), 404, /nothing at this address/);
  });

  it('answers a certificate link under the wrong event with 404', async () => {
    const [row] = await db.select().from(records).where(eq(records.bib, '11'));
    const other = await createEvent([]);
    await expectFriendlyError(
      await get(`/events/${other.event.slug}/certificates/${row!.certificateId}`),
      404,
      /not available/,
    );
  });

  it('rejects an over-long search or control characters with a 400 and a message', async () => {
    const long = await get(`/events/${event.slug}?q=${'a'.repeat(201)}`);
    await expectFriendlyError(long, 400, /at most 200 characters/);
    const control = await get(`/events/${event.slug}?q=kirui%00%1b`);
    await expectFriendlyError(control, 400, /control characters/);
    expect((await get(`/events/${event.slug}?q=${'a'.repeat(200)}`)).status).toBe(200);
  });
});

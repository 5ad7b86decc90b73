import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, records } from '../src/db/schema';
import { createEvent, db, ORIGIN, pngSize, runner } from './fixtures';

const get = (path: string, headers: Record<string, string> = {}) => SELF.fetch(ORIGIN + path, { headers });
/** Undoes the HTML escaping of an attribute value, as a browser does before following a link. */
const htmlDecoded = (value: string) =>
  value
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<');

/** Every plain link of the page whose address starts with `prefix`, as URLs. */
function linksTo(html: string, prefix: string) {
  return [...html.matchAll(/<a [^>]*href="([^"]+)"/g)]
    .map((m) => htmlDecoded(m[1]!))
    .filter((href) => href.startsWith(prefix))
    .map((href) => new URL(href));
}

// Characters a URL must encode, in the event's name: each one broke some share link somewhere.
const EVENT_NAME = 'Lauf & Spaß #1: 10 km? 100%+';

describe('sharing a certificate where runners share', async () => {
  const { event } = await createEvent([
    runner('11', 'Kirui, Geoffrey'),
    runner('13', 'Dora Dnf', { status: 'dnf', finishTime: null, rankOverall: null }),
  ]);
  await db.update(events).set({ name: EVENT_NAME }).where(eq(events.id, event.id));
  const rows = await db.select().from(records).where(eq(records.eventId, event.id));
  const kirui = rows.find((r) => r.bib === '11')!;
  const dora = rows.find((r) => r.bib === '13')!;
  const pageOf = (record: typeof kirui) => `/events/${event.slug}/certificates/${record.certificateId}`;
  const html = await (await get(pageOf(kirui))).text();
  const certificateUrl = html.match(/<link rel="canonical" href="([^"]+)"/)![1]!;
  const verifyUrl = htmlDecoded(html.match(/<a href="([^"]+)">check this certificate<\/a>/)![1]!);

  it('links to WhatsApp, Facebook, X, Telegram and email, each with the certificate’s address intact', async () => {
    const [whatsapp] = linksTo(html, 'https://wa.me/');
    expect(whatsapp!.searchParams.get('text')).toBe(`My certificate from ${EVENT_NAME} ${certificateUrl}`);

    const [facebook] = linksTo(html, 'https://www.facebook.com/sharer/sharer.php');
    expect(facebook!.searchParams.get('u')).toBe(certificateUrl);

    const [x] = linksTo(html, 'https://x.com/intent/tweet');
    expect(x!.searchParams.get('url')).toBe(certificateUrl);
    expect(x!.searchParams.get('text')).toBe(`My certificate from ${EVENT_NAME}`);

    const [telegram] = linksTo(html, 'https://t.me/share/url');
    expect(telegram!.searchParams.get('url')).toBe(certificateUrl);
    expect(telegram!.searchParams.get('text')).toBe(`My certificate from ${EVENT_NAME}`);

    // mailto: takes %20 for a space; a "+" would arrive as a plus.
    const [email] = linksTo(html, 'mailto:');
    const mail = new URLSearchParams(email!.search);
    expect(email!.search).not.toContain('+');
    expect(mail.get('subject')).toBe(`My certificate from ${EVENT_NAME}`);
    expect(mail.get('body')).toContain(certificateUrl);
  });

  it('adds the certificate to a LinkedIn profile with the event as issuer and the verify page as credential', async () => {
    const [linkedIn] = linksTo(html, 'https://www.linkedin.com/profile/add');
    const params = linkedIn!.searchParams;
    expect(params.get('startTask')).toBe('CERTIFICATION_NAME');
    expect(params.get('name')).toBe(`${EVENT_NAME}: Finisher`);
    expect(params.get('organizationName')).toBe(EVENT_NAME);
    expect(params.get('issueYear')).toBe(String(kirui.updatedAt.getUTCFullYear()));
    expect(params.get('issueMonth')).toBe(String(kirui.updatedAt.getUTCMonth() + 1));
    expect(params.get('certUrl')).toBe(verifyUrl);
    expect(params.get('certId')).toBe(kirui.certificateId);
    expect(verifyUrl).toMatch(new RegExp(`/verify/${kirui.certificateId}/`));
  });

  it('describes the share card with the name and result', async () => {
    expect(html).toContain(
      `<meta property="og:image:alt" content="Kirui, Geoffrey: 3:12:45 at ${EVENT_NAME.replace('&', '&amp;')}"/>`,
    );
    const dnf = await (await get(pageOf(dora))).text();
    expect(dnf).toContain(
      `<meta property="og:image:alt" content="Dora Dnf: DNF at ${EVENT_NAME.replace('&', '&amp;')}"/>`,
    );
  });

  it('saves each format from a plain download link, without JavaScript', async () => {
    const saves = [...html.matchAll(/<a [^>]*href="([^"]+)" download="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => ({
      href: m[1]!,
      file: m[2]!,
      label: m[3]!,
    }));
    const byLabel = Object.fromEntries(saves.map((s) => [s.label, s]));
    for (const label of ['Download PNG', 'Download PDF', 'Square post', 'Story', 'Link preview'])
      expect(byLabel[label], label).toBeDefined();
    expect(byLabel['Story']!.href).toMatch(/\/story-[0-9a-f]{24}\.png$/);
    expect(byLabel['Story']!.file).toMatch(/-story\.png$/);
    // The story a phone shares to Instagram is a real 1080×1920 PNG.
    const story = await SELF.fetch(byLabel['Story']!.href);
    expect(story.headers.get('content-type')).toBe('image/png');
    expect(pngSize(new Uint8Array(await story.arrayBuffer()))).toEqual({ width: 1080, height: 1920 });

    // The chooser, whose Share button sends the image file, only appears once the script finds it usable.
    expect(html).toMatch(/<div class="actions" data-chooser="[^"]*" hidden="">/);
    expect(html).toMatch(/<button type="button" data-share="[^"]+"[^>]*hidden/);
    expect(html).toMatch(/<select [^>]*data-format[^>]*>/);
    for (const label of ['Certificate (PNG)', 'Certificate (PDF)', 'Square post', 'Story', 'Link preview'])
      expect(html).toContain(`>${label}</option>`);
    expect(html).toMatch(/<option value="[^"]+story-[0-9a-f]{24}\.png" data-file="[^"]+-story\.png"/);
  });

  it('offers to remove the certificate', async () => {
    expect(html).toContain(`href="/events/${event.slug}/certificates/${kirui.certificateId}/remove"`);
    expect(html).toContain('>Remove my certificate</a>');
  });

  it('shares in the runner’s language', async () => {
    const fr = await (await get(pageOf(kirui), { 'Accept-Language': 'fr' })).text();
    const [whatsapp] = linksTo(fr, 'https://wa.me/');
    expect(whatsapp!.searchParams.get('text')).toBe(`Mon certificat de ${EVENT_NAME} ${certificateUrl}`);
    expect(fr).toContain(
      `<meta property="og:image:alt" content="Kirui, Geoffrey : 3:12:45 à ${EVENT_NAME.replace('&', '&amp;')}"/>`,
    );
  });
});

import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, records } from '../src/db/schema';
import { EventPage } from '../src/portal/pages';
import { createEvent, db, ORIGIN, runner } from './fixtures';

const get = (path: string, headers: Record<string, string> = {}) => SELF.fetch(ORIGIN + path, { headers });
const htmlLang = (html: string) => html.match(/<html lang="([^"]+)"/)?.[1];
/** The page's visible words without tags, for sentences that hold a link or a name. */
const words = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');

describe('the portal speaks the runner’s language', async () => {
  const { event } = await createEvent([
    runner('11', 'Kirui, Geoffrey'),
    runner('13', 'Dora Dnf', { status: 'dnf', finishTime: null, rankOverall: null }),
  ]);
  const [kirui] = await db
    .select()
    .from(records)
    .where(eq(records.certificateId, await certificateIdOf('11')));
  const certificatePage = `/events/${event.slug}/certificates/${kirui!.certificateId}`;

  async function certificateIdOf(bib: string) {
    const rows = await db.select().from(records).where(eq(records.bib, bib));
    return rows.find((r) => r.eventId === event.id)!.certificateId;
  }

  it('picks German from Accept-Language, and says the response depends on it', async () => {
    const res = await get('/', { 'Accept-Language': 'de-DE,de;q=0.9,en;q=0.8' });
    const html = await res.text();
    expect(htmlLang(html)).toBe('de');
    expect(html).toContain('Finde deine Urkunde');
    expect(html).not.toContain('Find your certificate');
    expect(res.headers.get('vary')).toMatch(/Accept-Language/i);
    expect(res.headers.get('vary')).toMatch(/Cookie/i);
  });

  it('honours q-values, skips languages it does not speak, and falls back to English', async () => {
    const langOf = async (accept: string) => htmlLang(await (await get('/', { 'Accept-Language': accept })).text());
    expect(await langOf('en;q=0.3, fr;q=0.9')).toBe('fr');
    expect(await langOf('pt-BR, es-MX;q=0.7, de;q=0.5')).toBe('es');
    expect(await langOf('de;q=0, fr;q=0.1')).toBe('fr');
    expect(await langOf('ja, zh;q=0.9')).toBe('en');
    expect(await langOf('*')).toBe('en');
    expect(await langOf(';;;q=,,de-;q=abc')).toBe('en');
    expect(htmlLang(await (await get('/')).text())).toBe('en');
  });

  it('lets the switcher override Accept-Language, and remembers the choice in a cookie', async () => {
    const chosen = await get('/?lang=es', { 'Accept-Language': 'de' });
    expect(htmlLang(await chosen.text())).toBe('es');
    const cookie = chosen.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^lang=es;/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/SameSite=Lax/i);

    // The next page, with the cookie and without ?lang, stays Spanish over the browser's German.
    const next = await get(`/events/${event.slug}`, { 'Accept-Language': 'de', Cookie: cookie.split(';')[0]! });
    expect(htmlLang(await next.text())).toBe('es');
    // ?lang wins over the cookie; a language the portal does not speak is ignored.
    expect(htmlLang(await (await get('/?lang=fr', { Cookie: 'lang=es' })).text())).toBe('fr');
    const unknown = await get('/?lang=xx', { Cookie: 'lang=de' });
    expect(unknown.status).toBe(200);
    expect(htmlLang(await unknown.text())).toBe('de');
    expect(unknown.headers.get('set-cookie')).toBeNull();
    expect(htmlLang(await (await get('/', { Cookie: 'lang=<script>' })).text())).toBe('en');
  });

  it('has a switcher of plain links on every portal page, keeping the search', async () => {
    for (const path of ['/', `/events/${event.slug}?q=kirui`, certificatePage, '/events/no-such-event']) {
      const html = await (await get(path, { 'Accept-Language': 'fr' })).text();
      const switcher = html.match(/<nav class="languages"[^>]*>(.*?)<\/nav>/)?.[1];
      expect(switcher, path).toBeDefined();
      for (const [lang, name] of [
        ['en', 'English'],
        ['de', 'Deutsch'],
        ['fr', 'Français'],
        ['es', 'Español'],
      ])
        expect(switcher, path).toMatch(
          new RegExp(`<a href="[^"]*lang=${lang}"[^>]*hreflang="${lang}"[^>]*>${name}</a>`),
        );
      expect(switcher).toMatch(/aria-current="true"[^>]*>Français</);
    }
    const search = await (await get(`/events/${event.slug}?q=kirui`)).text();
    expect(search).toContain(`href="/events/${event.slug}?q=kirui&amp;lang=de"`);
  });

  it('writes the event date as people write it, in each language', async () => {
    for (const [accept, date] of [
      ['en-GB', '19 April 2026'],
      ['de-AT', '19. April 2026'],
      ['fr-CA', '19 avril 2026'],
      ['es', '19 de abril de 2026'],
    ]) {
      for (const path of ['/', `/events/${event.slug}`]) {
        const html = await (await get(path, { 'Accept-Language': accept! })).text();
        expect(html, `${accept} ${path}`).toContain(date);
        expect(html, `${accept} ${path}`).not.toContain('2026-04-19');
      }
    }
  });

  it('shows the search page and its messages in German', async () => {
    const de = { 'Accept-Language': 'de' };
    const page = await (await get(`/events/${event.slug}`, de)).text();
    expect(page).toContain('placeholder="Startnummer oder Name"');
    expect(page).toContain('>Suchen</button>');

    const none = words(await (await get(`/events/${event.slug}?q=niemand`, de)).text());
    expect(none).toContain('Niemand passt zu „niemand“');

    const found = await (await get(`/events/${event.slug}?q=13`, de)).text();
    expect(found).toContain('Dora Dnf');

    // An empty search that was sent gets a hint, in any language; a page without one does not.
    const empty = await (await get(`/events/${event.slug}?q=+`, de)).text();
    expect(empty).toContain('Gib deine Startnummer oder deinen Namen ein.');
    expect(page).not.toContain('Gib deine Startnummer');
    expect(await (await get(`/events/${event.slug}?q=`)).text()).toContain('Type your bib number or your name.');

    const long = await get(`/events/${event.slug}?q=${'a'.repeat(201)}`, de);
    expect(long.status).toBe(400);
    expect(await long.text()).toContain('höchstens 200 Zeichen');
  });

  it('says how many match a broad search, with the plural each language uses', async () => {
    const [row] = await db.select().from(events).where(eq(events.id, event.id));
    const page = (locale: 'en' | 'de' | 'fr' | 'es', total: number) =>
      words(String(EventPage({ event: row!, query: 'smith', results: [], total, locale, path: '/events/x?q=smith' })));
    expect(page('en', 157)).toContain('157 participants match “smith”: add a first name or your bib');
    expect(page('de', 157)).toContain('157 Teilnehmende passen zu „smith“');
    // French groups thousands with a narrow space (read here as a space).
    expect(page('fr', 1000000)).toContain('1 000 000 participants correspondent à « smith »');
    expect(page('es', 2)).toContain('2 participantes coinciden con «smith»');
    // Nothing is said when every match is shown.
    expect(page('en', 0)).not.toContain('participants match');
  });

  it('shows the certificate page in the runner’s language, and the certificate as the organiser designed it', async () => {
    const en = await (await get(certificatePage)).text();
    const de = await (await get(certificatePage, { 'Accept-Language': 'de' })).text();
    expect(htmlLang(de)).toBe('de');
    expect(words(de)).toContain('Kirui, Geoffrey hat Riverside Marathon in 3:12:45 beendet.');
    expect(de).toContain('alt="Urkunde von Kirui, Geoffrey für Riverside Marathon"');
    expect(de).toContain('>PNG herunterladen</a>');
    // The same images, whatever language the page is in.
    const images = (html: string) =>
      [...html.matchAll(/\/certificates\/[\w-]{22}\/[\w-]+\.(?:png|svg|pdf)/g)].map((m) => m[0]);
    expect(images(de).sort()).toEqual(images(en).sort());
    expect(images(de).length).toBeGreaterThan(4);
  });

  it('answers a missing event or certificate in the runner’s language', async () => {
    const res = await get('/events/no-such-event', { 'Accept-Language': 'fr' });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(htmlLang(html)).toBe('fr');
    expect(html).toContain('Aucun événement publié');
    expect(html).toContain('Voir tous les événements');
    const missing = await get(`/events/${event.slug}/certificates/AAAAAAAAAAAAAAAAAAAAAA`, { 'Accept-Language': 'es' });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Este certificado no está disponible');
  });

  it('keeps the API in English', async () => {
    const res = await get(`/api/v1/events/${event.slug}/search?q=${'a'.repeat(201)}`, { 'Accept-Language': 'de' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/at most 200 characters/);
  });
});

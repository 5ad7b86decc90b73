import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, records } from '../src/db/schema';
import { portalPaths } from '../src/paths';
import { createEvent, createOrganiser, db, ORIGIN, runner, signIn } from './fixtures';

const get = (path: string, headers: Record<string, string> = {}) => SELF.fetch(ORIGIN + path, { headers });
const htmlLang = (html: string) => html.match(/<html lang="([^"]+)"/)?.[1];
/** The page's visible words without tags, for sentences that hold a link or a name. */
const words = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
const switcherOf = (html: string) => html.match(/<nav class="languages"[^>]*>(.*?)<\/nav>/)?.[1];

/** The verify address the certificate page links to, on this origin. */
async function verifyPathOf(slug: string, certificateId: string) {
  const page = await (await get(portalPaths.certificate(slug, certificateId))).text();
  return new URL(page.match(/<a href="([^"]+\/verify\/[^"]+)">check this certificate<\/a>/)![1]!).pathname;
}

describe('the verify page speaks the runner’s language', async () => {
  const { event } = await createEvent([runner('3', 'Catherine Ndereba', { finishTime: '2:18:47', rankOverall: 1 })]);
  const [record] = await db.select().from(records).where(eq(records.eventId, event.id));
  // Issued on race day, so the page's issue date is one this test knows.
  await db
    .update(records)
    .set({ updatedAt: new Date('2026-04-19T15:30:00Z') })
    .where(eq(records.id, record!.id));
  const verifyPath = await verifyPathOf(event.slug, record!.certificateId);

  it('confirms a valid certificate in German, its dates written the German way', async () => {
    const res = await get(verifyPath, { 'Accept-Language': 'de-DE,de;q=0.9' });
    expect(res.status).toBe(200);
    expect(res.headers.get('vary')).toMatch(/Accept-Language/);
    const html = await res.text();
    expect(htmlLang(html)).toBe('de');
    expect(switcherOf(html)).toContain('Deutsch');
    const text = words(html);
    expect(text).toContain('Gültige Urkunde');
    expect(text).toContain('Riverside Marathon, 19. April 2026');
    expect(text).toContain('Catherine Ndereba (Startnummer 3)');
    expect(text).toContain('2:18:47, Gesamtplatz 1');
    expect(text).toMatch(/Ausgestellt am\s*19\. April 2026/);
    expect(html).not.toContain('2026-04-19');
    expect(text).not.toContain('Valid certificate');
  });

  it('says a made-up proof is not a valid certificate, in French, still with 404', async () => {
    const forged = `${verifyPath.slice(0, -16)}0123456789abcdef`;
    const res = await get(forged, { 'Accept-Language': 'fr-FR' });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(htmlLang(html)).toBe('fr');
    const text = words(html);
    expect(text).toContain('Certificat non valide');
    expect(text).toContain('Aucun certificat n’a été émis avec ce code de vérification');
    // What the portal does state, to hold the forgery against.
    expect(text).toContain('2:18:47');
    expect(text).toContain('19 avril 2026');
    expect(text).not.toContain('Not a valid certificate');
  });

  it('answers an unknown certificate in Spanish, chosen with the switcher', async () => {
    const res = await get('/verify/AAAAAAAAAAAAAAAAAAAAAA?lang=es', { 'Accept-Language': 'de' });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(htmlLang(html)).toBe('es');
    expect(words(html)).toContain('Este certificado no existe');
  });
});

describe('the removal page speaks the runner’s language', async () => {
  const { organiser, email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const { event } = await createEvent([
    runner('2', 'Ben Beta', { extra: { Email: 'ben@example.org', 'Year of birth': '1979' } }),
  ]);
  await db.update(events).set({ organiserId: organiser.id }).where(eq(events.id, event.id));
  expect((await browser.post(`/admin/events/${event.id}/removal-check`, { check: 'extra:Year of birth' })).status).toBe(
    303,
  );
  const [ben] = await db.select().from(records).where(eq(records.eventId, event.id));
  const removePath = portalPaths.removeCertificate(event.slug, ben!.certificateId);
  const es = { 'Accept-Language': 'es-ES,es;q=0.9' };

  it('asks the event’s question in Spanish', async () => {
    const res = await get(removePath, es);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(htmlLang(html)).toBe('es');
    expect(switcherOf(html)).toContain('Español');
    const text = words(html);
    expect(text).toContain('Retirar mi certificado');
    expect(text).toContain('Tu año de nacimiento tal como lo diste al inscribirte');
    expect(text).toContain('No puedo responder: enviar mi solicitud al organizador');
    expect(text).not.toContain('as you gave it when registering');
  });

  it('answers a wrong answer in Spanish with the tries left, and keeps the organiser’s labels English', async () => {
    const res = await SELF.fetch(ORIGIN + removePath, {
      method: 'POST',
      headers: { ...es, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ answer: '1980' }),
    });
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(htmlLang(html)).toBe('es');
    expect(words(html)).toContain('No coincide con lo que tiene el organizador. Te quedan 4 intentos de 5');

    // The organiser reads which column the check is, in English, as all of the admin.
    const tab = words(await (await browser.get(`/admin/events/${event.id}/records`)).text());
    expect(tab).toContain('One who gives the “Year of birth” column as you have it removes it at once');
  });
});

describe('the app’s own pages speak the runner’s language on portal addresses', () => {
  it('answers an unknown address under /events/ in German, with the switcher', async () => {
    const res = await get('/events/some-event/nothing/here', { 'Accept-Language': 'de' });
    expect(res.status).toBe(404);
    expect(res.headers.get('vary')).toBe('Accept-Language, Cookie');
    const html = await res.text();
    expect(htmlLang(html)).toBe('de');
    expect(words(html)).toContain('Seite nicht gefunden');
    expect(words(html)).toContain('Unter dieser Adresse gibt es nichts.');
    expect(switcherOf(html)).toContain('href="/events/some-event/nothing/here?lang=fr"');
    // The lang cookie wins over the browser, as on every portal page.
    const chosen = await get('/no/such/page', { 'Accept-Language': 'de', Cookie: 'lang=fr' });
    expect(htmlLang(await chosen.text())).toBe('fr');
    // Its switcher works there too.
    const switched = await get('/events/some-event/nothing/here?lang=es', { 'Accept-Language': 'de' });
    expect(switched.status).toBe(404);
    expect(htmlLang(await switched.text())).toBe('es');
  });

  it('keeps the API and the admin in English', async () => {
    const api = await get('/api/v1/nothing', { 'Accept-Language': 'de' });
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: 'There is nothing at this address.' });
    const admin = await get('/admin/sign-in/nothing', { 'Accept-Language': 'de', Cookie: 'lang=de' });
    const html = await admin.text();
    expect(htmlLang(html)).toBe('en');
    expect(html).not.toContain('Seite nicht gefunden');
  });
});

describe('too many searches, in the runner’s language', async () => {
  const { event } = await createEvent([runner('1', 'Anna Example')]);
  const SEARCHES_PER_MINUTE = 60;
  let clients = 0;

  it('refuses a page search over the limit in German, and the API in English JSON', async () => {
    // The local limiter counts in fixed minutes: a count that straddles two is tried once more.
    for (let attempt = 0; ; attempt++) {
      const minute = Math.floor(Date.now() / 60_000);
      const client = { 'CF-Connecting-IP': `198.51.100.${++clients}` };
      try {
        const allowed = await Promise.all(
          Array.from({ length: SEARCHES_PER_MINUTE }, () =>
            SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}/search?q=1`, { headers: client }),
          ),
        );
        expect(new Set(allowed.map((r) => r.status))).toEqual(new Set([200]));
        const page = await get(`/events/${event.slug}?q=1`, { ...client, 'Accept-Language': 'de' });
        expect(page.status).toBe(429);
        expect(page.headers.get('retry-after')).toBe('60');
        const html = await page.text();
        expect(htmlLang(html)).toBe('de');
        expect(words(html)).toContain('Zu viele Suchen von deiner Verbindung in der letzten Minute.');
        const api = await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}/search?q=1`, {
          headers: { ...client, 'Accept-Language': 'de' },
        });
        expect(api.status).toBe(429);
        expect(await api.json()).toEqual({ error: expect.stringMatching(/^Too many searches/) });
        return;
      } catch (error) {
        if (attempt > 0 || Math.floor(Date.now() / 60_000) === minute) throw error;
      }
    }
  });
});

import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, records } from '../src/db/schema';
import { t } from '../src/portal/i18n';
import { setRecordHidden } from '../src/records/queries';
import { apiEvent, createEvent, db, ORIGIN, runner, publishWithBuiltInTemplate } from './fixtures';

const get = (path: string, headers: Record<string, string> = {}) =>
  SELF.fetch(ORIGIN + path, { headers, redirect: 'manual' });

const recordsOf = (eventId: number) => db.select().from(records).where(eq(records.eventId, eventId));

/** Where a deep link sends a runner, as a path on the portal. */
async function followed(path: string, headers: Record<string, string> = {}) {
  const res = await get(path, headers);
  expect(res.status, path).toBe(302);
  expect(res.headers.get('cache-control'), path).toBe('no-store');
  return res.headers.get('location')!.replace(ORIGIN, '');
}

describe('deep links from a results site', async () => {
  const { event } = await createEvent([
    runner('7', 'Ana Gómez'),
    runner('8', 'Hidden Runner'),
    runner('', 'Anna Müller', { bib: null }),
    runner('', 'Private Person', { bib: null }),
  ]);
  const rows = await recordsOf(event.id);
  const byName = (name: string) => rows.find((r) => r.name === name)!;
  await setRecordHidden(db, byName('Hidden Runner').id, true);
  await setRecordHidden(db, byName('Private Person').id, true);
  const noCertificate = `/events/${event.slug}?notice=no-certificate`;

  it("sends a bib's link to that runner's certificate page", async () => {
    const to = await followed(`/events/${event.slug}/bib/7`);
    expect(to).toBe(`/events/${event.slug}/certificates/${byName('Ana Gómez').certificateId}`);
    const page = await get(to);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Ana Gómez');
  });

  it("sends a participant key's link to the certificate of someone without a bib", async () => {
    expect(byName('Anna Müller').participantKey).toBe('name:anna muller');
    const to = await followed(`/events/${event.slug}/p/${encodeURIComponent('name:anna muller')}`);
    expect(to).toBe(`/events/${event.slug}/certificates/${byName('Anna Müller').certificateId}`);
    // A bib is its runner's participant key too.
    expect(await followed(`/events/${event.slug}/p/7`)).toBe(
      `/events/${event.slug}/certificates/${byName('Ana Gómez').certificateId}`,
    );
  });

  it('sends hidden and unknown runners to the same search page, saying the link found no certificate', async () => {
    const links = [
      `/events/${event.slug}/bib/8`,
      `/events/${event.slug}/bib/999`,
      `/events/${event.slug}/p/${encodeURIComponent('name:private person')}`,
      `/events/${event.slug}/p/${encodeURIComponent('name:nobody here')}`,
      `/events/${event.slug}/bib/${'9'.repeat(300)}`,
    ];
    const pages = new Set<string>();
    for (const link of links) {
      expect(await followed(link), link).toBe(noCertificate);
    }
    for (const link of links) {
      const page = await get(await followed(link));
      expect(page.status).toBe(200);
      pages.add(await page.text());
    }
    // Nothing on the page tells a hidden participant from someone who never ran.
    expect(pages.size).toBe(1);
    const [html] = pages;
    expect(html).toContain(t('en').linkFindsNoOne);
    expect(html).not.toContain('Hidden Runner');
    expect(html).not.toContain('Private Person');
  });

  it("says so in the runner's language, and no longer once they search", async () => {
    const german = await get(noCertificate, { 'Accept-Language': 'de-DE,de;q=0.9' });
    expect(await german.text()).toContain(t('de').linkFindsNoOne);
    for (const lang of ['fr', 'es'] as const) {
      expect(await (await get(`${noCertificate}&lang=${lang}`)).text()).toContain(t(lang).linkFindsNoOne);
    }
    const searched = await (await get(`/events/${event.slug}?q=ana&notice=no-certificate`)).text();
    expect(searched).toContain('Ana Gómez');
    expect(searched).not.toContain(t('en').linkFindsNoOne);
    // An unknown notice is ignored rather than refused.
    const odd = await get(`/events/${event.slug}?notice=%3Cscript%3E`);
    expect(odd.status).toBe(200);
    expect(await odd.text()).not.toContain(t('en').linkFindsNoOne);
  });

  it('finds no certificate while the event is unpublished, and the certificate once it is', async () => {
    const { event: draft } = await createEvent([runner('1', 'Early Bird')], { published: false });
    expect(await followed(`/events/${draft.slug}/bib/1`)).toBe(`/events/${draft.slug}?notice=no-certificate`);
    await db.update(events).set({ published: true }).where(eq(events.id, draft.id));
    const [early] = await recordsOf(draft.id);
    expect(await followed(`/events/${draft.slug}/bib/1`)).toBe(
      `/events/${draft.slug}/certificates/${early!.certificateId}`,
    );
  });

  it('follows a participant hidden after the link was printed at once', async () => {
    const { event: live } = await createEvent([runner('3', 'Changes Mind')]);
    const [record] = await recordsOf(live.id);
    expect(await followed(`/events/${live.slug}/bib/3`)).toContain(record!.certificateId);
    await setRecordHidden(db, record!.id, true);
    expect(await followed(`/events/${live.slug}/bib/3`)).toBe(`/events/${live.slug}?notice=no-certificate`);
  });
});

describe('deep links into real results', () => {
  it("lead every runner of a real file with bibs to their own certificate (Berlin 100 miles, 'Startnr')", async () => {
    const { api, event } = await apiEvent('Berlin 100 Miles', 'deep-berlin');
    const body = new Uint8Array(env.RESULTS_BERLIN_100MI_2022);
    const posted = await api('/imports', { method: 'POST', body, headers: { 'Content-Type': 'text/csv' } });
    expect(posted.status).toBe(200);
    await publishWithBuiltInTemplate(event.id);
    const rows = await recordsOf(event.id);
    expect(rows.length).toBeGreaterThan(500);
    const sample = [rows[0]!, rows[Math.floor(rows.length / 2)]!, rows.at(-1)!];
    for (const record of sample) {
      expect(record.bib).not.toBeNull();
      const to = await followed(`/events/${event.slug}/bib/${encodeURIComponent(record.bib!)}`);
      expect(to).toBe(`/events/${event.slug}/certificates/${record.certificateId}`);
      const page = await (await get(to)).text();
      expect(page).toContain(record.name.replace(/&/g, '&amp;'));
    }
  });

  it('lead runners of a real file without bibs to their certificates by participant key (UTMB 2024)', async () => {
    const { api, event } = await apiEvent('UTMB 2024', 'deep-utmb');
    const body = new Uint8Array(env.RESULTS_UTMB_2024);
    const posted = await api('/imports', { method: 'POST', body, headers: { 'Content-Type': 'text/csv' } });
    expect(posted.status).toBe(200);
    await publishWithBuiltInTemplate(event.id);
    const rows = await recordsOf(event.id);
    expect(rows.length).toBeGreaterThan(2000);
    const sample = [rows[0]!, rows[1234]!, rows.at(-1)!];
    for (const record of sample) {
      expect(record.bib).toBeNull();
      const to = await followed(`/events/${event.slug}/p/${encodeURIComponent(record.participantKey)}`);
      expect(to, record.participantKey).toBe(`/events/${event.slug}/certificates/${record.certificateId}`);
    }
  });
});

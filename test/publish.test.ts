import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, templates } from '../src/db/schema';
import type { RecordInput } from '../src/records/rules';
import { builtInTemplates } from '../templates';
import { createOrganiser, db, ORIGIN, runner, signIn, saveRunners } from './fixtures';

/** A draft event with `count` numbered runners, or the runners given, and one hidden record. */
async function draftEvent(count: number, people: RecordInput[] = []) {
  const { organiser, email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const [template] = await db
    .insert(templates)
    .values({ name: 'Classic', layout: builtInTemplates[0]!.layout })
    .returning();
  const slug = `publish-${crypto.randomUUID().slice(0, 8)}`;
  const [event] = await db
    .insert(events)
    .values({ slug, name: 'Queue Run', organiserId: organiser.id, templateId: template!.id })
    .returning();
  await db.update(templates).set({ eventId: event!.id }).where(eq(templates.id, template!.id));
  await saveRunners(event!.id, [
    ...Array.from({ length: count }, (_, i) => runner(String(i + 1), `Runner Number${i + 1}`)),
    ...people,
    runner('999', 'Hidden Person', { hidden: true }),
  ]);
  return { browser, event: event!, template: template! };
}

async function waitForPublish(browser: Awaited<ReturnType<typeof signIn>>, eventId: number) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const progress = await (await browser.get(`/admin/events/${eventId}/publish/progress`)).json<{
      run: { total: number; done: number; failed: number; placeholders: number; finished: boolean };
    }>();
    if (progress.run.finished) return progress.run;
    if (Date.now() > deadline) throw new Error(`publish did not finish: ${JSON.stringify(progress)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const renderedKeys = async (eventId: number) => {
  const rows = await env.DB.prepare('SELECT certificate_id FROM records WHERE event_id = ?')
    .bind(eventId)
    .all<{ certificate_id: string }>();
  const keys: string[] = [];
  for (const { certificate_id } of rows.results) {
    keys.push(...(await env.FILES.list({ prefix: `certificates/${certificate_id}/` })).objects.map((o) => o.key));
  }
  return keys;
};

describe('publishing', () => {
  it('queues one render job per visible record and shows live progress until all are in R2', async () => {
    const { browser, event } = await draftEvent(12);
    expect((await SELF.fetch(`${ORIGIN}/events/${event.slug}`)).status).toBe(404);

    const page = await (await browser.get(`/admin/events/${event.id}/publish`)).text();
    expect(page).toContain('12 certificates for visible records');
    expect(page).toContain('1 hidden record left out');

    expect((await browser.post(`/admin/events/${event.id}/publish`)).status).toBe(303);
    const running = await (await browser.get(`/admin/events/${event.id}/publish`)).text();
    expect(running).toMatch(/<progress max="12"/);

    const run = await waitForPublish(browser, event.id);
    expect(run).toMatchObject({ total: 12, done: 12, failed: 0, finished: true });
    const keys = await renderedKeys(event.id);
    expect(keys.filter((k) => k.includes('/certificate-'))).toHaveLength(12);
    expect(keys.filter((k) => k.includes('/share-'))).toHaveLength(12);

    const portal = await SELF.fetch(`${ORIGIN}/events/${event.slug}?q=number3`);
    expect(portal.status).toBe(200);
    // The participant's image is served from R2, already rendered by the queue.
    const { results } = await (await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}/search?q=1`)).json<{
      results: { imageUrl: string }[];
    }>();
    expect((await SELF.fetch(results[0]!.imageUrl)).headers.get('x-certificate-cache')).toBe('hit');
  });

  it('says what changed since the last publish, and unpublishing hides the event again', async () => {
    const { browser, event, template } = await draftEvent(3);
    await browser.post(`/admin/events/${event.id}/publish`);
    await waitForPublish(browser, event.id);
    expect(await (await browser.get(`/admin/events/${event.id}/publish`)).text()).toContain(
      '0 records changed, template unchanged',
    );

    await saveRunners(event.id, [runner('2', 'Runner Renamed')]);
    await db
      .update(templates)
      .set({ version: template.version + 1 })
      .where(eq(templates.id, template.id));
    const summary = await (await browser.get(`/admin/events/${event.id}/publish`)).text();
    expect(summary).toContain('1 record changed, and the template changed');
    expect(summary).toContain('Publish again');

    await browser.post(`/admin/events/${event.id}/unpublish`);
    expect((await SELF.fetch(`${ORIGIN}/events/${event.slug}`)).status).toBe(404);
    const [row] = await db.select().from(events).where(eq(events.id, event.id));
    expect(row!.published).toBe(false);
  });

  it('prepares a certificate for a name no font can draw, and lists it on the Publish tab', async () => {
    // 𐀀 is Linear B: no bundled font has it, so it is drawn as a box.
    const { browser, event } = await draftEvent(0, [
      runner('101', 'Zoë Müller'),
      runner('102', 'Eleni 𐀀 Markou'),
      runner('103', 'Łukasz Wiśniewski'),
    ]);
    const before = await (await browser.get(`/admin/events/${event.id}/publish`)).text();
    expect(before).not.toContain('Names drawn with a placeholder');

    await browser.post(`/admin/events/${event.id}/publish`);
    const run = await waitForPublish(browser, event.id);
    expect(run).toMatchObject({ total: 3, done: 3, failed: 0, placeholders: 1 });

    const { results } = await (await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}/search?q=markou`)).json<{
      results: { bib: string; imageUrl: string }[];
    }>();
    expect(results.map((r) => r.bib)).toEqual(['102']);
    const image = await SELF.fetch(results[0]!.imageUrl);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    await image.arrayBuffer();

    const page = await (await browser.get(`/admin/events/${event.id}/publish`)).text();
    expect(page).not.toContain('Certificates that could not be prepared');
    const listed = page.slice(page.indexOf('<h3>Names drawn with a placeholder</h3>'));
    expect(listed).toContain('No font has these characters; the certificate shows a box in their place.');
    const rows = [...listed.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) =>
      m.slice(1),
    );
    expect(rows).toEqual([['102', 'Eleni 𐀀 Markou', 'Drawn with a placeholder for 𐀀 (no font has it)']]);
  });
});

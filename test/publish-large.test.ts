import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, publishRuns, records, type PublishRun } from '../src/db/schema';
import { latestPublishRun, QUEUE_CHUNK, recordPublishFailure } from '../src/publish/publish';
import { builtInTemplates } from '../templates';
import { templates } from '../src/db/schema';
import { createOrganiser, db, ORIGIN, runner, saveRunners, signIn } from './fixtures';

async function largeEvent(count: number) {
  const { organiser, email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const [event] = await db
    .insert(events)
    .values({ slug: `large-${crypto.randomUUID().slice(0, 8)}`, name: 'Big City Marathon', organiserId: organiser.id })
    .returning();
  const [template] = await db
    .insert(templates)
    .values({ eventId: event!.id, name: 'Classic', layout: builtInTemplates[0]!.layout })
    .returning();
  await db.update(events).set({ templateId: template!.id }).where(eq(events.id, event!.id));
  await saveRunners(
    event!.id,
    Array.from({ length: count }, (_, i) => runner(String(i + 1), `Runner Number${i + 1}`)),
  );
  return { browser, event: event! };
}

/** Waits (bounded) until the run has counted every job. */
async function finished(eventId: number, timeoutMs = 150_000): Promise<PublishRun> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = (await latestPublishRun(db, eventId))!;
    if (run.done + run.failed >= run.total && run.queued >= run.total) return run;
    if (Date.now() > deadline) throw new Error(`publish did not finish: ${JSON.stringify(run)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('publishing a large event', () => {
  it('publishes 2,500 records: the jobs are queued a chunk of 1,000 at a time and every one is counted', async () => {
    const { browser, event } = await largeEvent(2 * QUEUE_CHUNK + 500);
    const res = await browser.post(`/admin/events/${event.id}/publish`);
    expect(res.status).toBe(303);
    expect((await SELF.fetch(`${ORIGIN}/events/${event.slug}`)).status).toBe(200);
    // Rendering 5,000 images is not this test's business: jobs for an unpublished event are skipped.
    await browser.post(`/admin/events/${event.id}/unpublish`);
    const run = await finished(event.id);
    expect(run).toMatchObject({ total: 2500, queued: 2500, done: 2500, failed: 0 });
  }, 180_000);

  it('resumes queueing where it stopped when a run was cut off part way, without queueing anyone twice', async () => {
    const { browser, event } = await largeEvent(QUEUE_CHUNK + 300);
    await browser.post(`/admin/events/${event.id}/publish`);
    await browser.post(`/admin/events/${event.id}/unpublish`);
    await finished(event.id);

    // A run whose worker died after queueing 400 jobs, two minutes and more ago.
    const first = (await latestPublishRun(db, event.id))!;
    const [cut] = await db
      .insert(publishRuns)
      .values({
        eventId: event.id,
        templateId: first.templateId,
        templateVersion: first.templateVersion,
        total: first.total,
        queued: 400,
        queuedThrough: (await env.DB.prepare('SELECT id FROM records WHERE event_id = ? ORDER BY id LIMIT 1 OFFSET 399')
          .bind(event.id)
          .first<{ id: number }>())!.id,
        queuedAt: new Date(Date.now() - 10 * 60 * 1000),
        done: 400,
      })
      .returning();
    const page = await (await browser.get(`/admin/events/${event.id}/publish`)).text();
    expect(page).toContain(`Preparing stopped after queueing 400 of ${first.total} certificates.`);

    expect((await browser.post(`/admin/events/${event.id}/publish/resume`)).status).toBe(303);
    const run = await finished(event.id);
    expect(run.id).toBe(cut!.id);
    expect(run).toMatchObject({ total: QUEUE_CHUNK + 300, queued: QUEUE_CHUNK + 300, done: QUEUE_CHUNK + 300 });
    expect(await (await browser.get(`/admin/events/${event.id}/publish`)).text()).not.toContain('Preparing stopped');
  }, 180_000);

  it('resumes a run whose jobs were lost from the chunk in flight, counting each certificate once', async () => {
    const { browser, event } = await largeEvent(300);
    await browser.post(`/admin/events/${event.id}/publish`);
    await browser.post(`/admin/events/${event.id}/unpublish`);
    const first = await finished(event.id);
    const lastId = (await env.DB.prepare('SELECT max(id) AS id FROM records WHERE event_id = ?')
      .bind(event.id)
      .first<{ id: number }>())!.id;
    // Every job queued, 40 done, then nothing for ten minutes: the other 260 were lost.
    const longAgo = new Date(Date.now() - 10 * 60 * 1000);
    const [lost] = await db
      .insert(publishRuns)
      .values({
        eventId: event.id,
        templateId: first.templateId,
        templateVersion: first.templateVersion,
        total: 300,
        queued: 300,
        queuedThrough: lastId,
        queuedAt: longAgo,
        progressedAt: longAgo,
        done: 40,
      })
      .returning();
    const page = await (await browser.get(`/admin/events/${event.id}/publish`)).text();
    expect(page).toContain('Preparing stopped at 40 of 300: no certificate has been ready for two minutes.');
    expect(page).not.toContain('http-equiv="refresh"');

    expect((await browser.post(`/admin/events/${event.id}/publish/resume`)).status).toBe(303);
    const run = await finished(event.id);
    expect(run.id).toBe(lost!.id);
    expect(run).toMatchObject({ total: 300, queued: 300, done: 300, failed: 0 });
  }, 60_000);

  it('does not call a run stalled while its certificates are still being prepared', async () => {
    const { browser, event } = await largeEvent(10);
    await browser.post(`/admin/events/${event.id}/publish`);
    await browser.post(`/admin/events/${event.id}/unpublish`);
    const first = await finished(event.id);
    // A chunk of 1,000 queued four minutes ago, still rendering: 500 done, the last a moment ago.
    await db.insert(publishRuns).values({
      eventId: event.id,
      templateId: first.templateId,
      templateVersion: first.templateVersion,
      total: 26_410,
      queued: 1000,
      queuedAt: new Date(Date.now() - 4 * 60 * 1000),
      progressedAt: new Date(),
      done: 500,
    });
    const page = await (await browser.get(`/admin/events/${event.id}/publish`)).text();
    expect(page).toContain('500 of 26410 ready');
    expect(page).not.toContain('Preparing stopped');
    expect(page).toContain('http-equiv="refresh"');
  });

  it('lists certificates that failed every attempt by bib, with the reason', async () => {
    const { browser, event } = await largeEvent(3);
    await browser.post(`/admin/events/${event.id}/publish`);
    await browser.post(`/admin/events/${event.id}/unpublish`);
    const run = await finished(event.id);
    const [record] = await db.select().from(records).where(eq(records.eventId, event.id)).limit(1);
    await recordPublishFailure(db, run.id, record!.certificateId, 'The background image is missing from storage.');
    await db.update(publishRuns).set({ failed: 1 }).where(eq(publishRuns.id, run.id));
    const page = await (await browser.get(`/admin/events/${event.id}/publish`)).text();
    expect(page).toContain('Certificates that could not be prepared');
    expect(page).toMatch(
      new RegExp(`<td>${record!.bib}</td>\\s*<td>${record!.name}</td>\\s*<td>The background image is missing`),
    );
  });
});

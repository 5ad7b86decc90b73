import { createScheduledController, env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { queueNextChunk } from '../src/publish/publish';
import { certificateFieldsWithVerify, findPublicCertificate, imageRequest } from '../src/certificates/public';
import { events, imports, publishRuns, records, sources, templates } from '../src/db/schema';
import { linkOrigin } from '../src/paths';
import { imageHash, imageKey } from '../src/render/cache';
import { builtInTemplates } from '../templates';
import { apiEvent, db, ORIGIN } from './fixtures';

interface Live {
  updatedAt: string | null;
  certificates: number;
  backlog: number;
}

/** An event made through the API with a template, published (with nobody in it yet) on the Publish tab. */
async function publishedEvent() {
  const made = await apiEvent('Live Marathon', 'live');
  const [template] = await db
    .insert(templates)
    .values({ name: 'Classic', layout: builtInTemplates[0]!.layout, eventId: made.event.id })
    .returning();
  await db.update(events).set({ templateId: template!.id }).where(eq(events.id, made.event.id));
  expect((await made.browser.post(`/admin/events/${made.event.id}/publish`)).status).toBe(303);
  const push = async (csv: string) => {
    const res = await made.api('/imports', { method: 'POST', body: csv, headers: { 'Content-Type': 'text/csv' } });
    expect(res.status, await res.clone().text()).toBe(200);
    return res.json<{ added: number; updated: number; unchanged: number }>();
  };
  const live = async () => (await (await made.api('/publish')).json<{ live: Live | null }>()).live;
  /** Waits until every certificate queued by live updates is ready, as the Publish tab reports it. */
  const settled = async () => {
    const deadline = Date.now() + 150_000;
    for (;;) {
      const now = await live();
      if (now && now.backlog === 0) return now;
      if (Date.now() > deadline) throw new Error(`live renders did not finish: ${JSON.stringify(now)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  return { ...made, push, live, settled };
}

const csv = (rows: [bib: string, name: string, time: string][]) =>
  `Bib,Name,Time\n${rows.map((row) => row.join(',')).join('\n')}\n`;

const recordOf = async (eventId: number, bib: string) =>
  (await db.select().from(records).where(eq(records.eventId, eventId))).find((r) => r.bib === bib)!;

/**
 * The R2 keys of a record's certificate and share card as its links name them now, the way
 * the search answer builds them (certificates/public.ts); none for a record the public cannot see.
 */
async function currentImageKeys(certificateId: string): Promise<string[]> {
  const certificate = await findPublicCertificate(db, certificateId);
  if (!certificate) return [];
  const fields = await certificateFieldsWithVerify(certificate, linkOrigin(env.PUBLIC_URL, ORIGIN));
  const hash = await imageHash({ template: certificate.template, fields });
  return [
    imageKey(imageRequest(certificate, fields, 'certificate', 'png'), hash),
    imageKey(imageRequest(certificate, fields, 'share', 'png'), hash),
  ];
}

/** Every object stored for a record, with when it was written: a render writes it again. */
const storedFor = async (certificateId: string) =>
  (await env.FILES.list({ prefix: `certificates/${certificateId}/` })).objects.map(
    (o) => `${o.key}@${o.uploaded.getTime()}`,
  );

const inR2 = async (keys: string[]) => (await Promise.all(keys.map((k) => env.FILES.head(k)))).every(Boolean);

const liveRuns = async (eventId: number) =>
  (
    await env.DB.prepare("SELECT total FROM publish_runs WHERE event_id = ? AND kind = 'live' ORDER BY id")
      .bind(eventId)
      .all<{ total: number }>()
  ).results.map((r) => r.total);

describe('live certificates', () => {
  it('prepares the certificate and share card of exactly the records a push added or changed', async () => {
    const { event, api, push, live, settled } = await publishedEvent();
    expect(await live()).toEqual({ updatedAt: null, certificates: 0, backlog: 0, stalled: false });

    expect(
      await push(
        csv([
          ['1', 'Ada Lovelace', '3:01:00'],
          ['2', 'Alan Turing', '3:02:00'],
          ['3', 'Grace Hopper', '3:03:00'],
        ]),
      ),
    ).toMatchObject({ added: 3 });
    expect(await live()).toMatchObject({ certificates: 3 });
    await settled();
    const [one, two, three] = await Promise.all(['1', '2', '3'].map((bib) => recordOf(event.id, bib)));
    for (const r of [one!, two!, three!]) expect(await inR2(await currentImageKeys(r.certificateId))).toBe(true);

    // The organiser hides Grace; the timing system then corrects Alan's and Grace's times and adds Edsger.
    expect(
      (
        await api('/records/3', {
          method: 'PATCH',
          body: '{"hidden":true}',
          headers: { 'Content-Type': 'application/json' },
        })
      ).status,
    ).toBe(200);
    const before = { one: await storedFor(one!.certificateId), three: await storedFor(three!.certificateId) };
    const report = await push(
      csv([
        ['1', 'Ada Lovelace', '3:01:00'],
        ['2', 'Alan Turing', '3:01:30'],
        ['3', 'Grace Hopper', '3:02:59'],
        ['4', 'Edsger Dijkstra', '3:04:00'],
      ]),
    );
    expect(report).toMatchObject({ added: 1, updated: 2, unchanged: 1 });
    const update = await live();
    expect(update).toMatchObject({ certificates: 2 });
    expect(update!.updatedAt).not.toBeNull();
    await settled();
    const four = await recordOf(event.id, '4');
    expect(await inR2(await currentImageKeys(two!.certificateId))).toBe(true);
    expect(await inR2(await currentImageKeys(four.certificateId))).toBe(true);
    // Ada's certificate was not rendered again, and hidden Grace got nothing new.
    expect(await storedFor(one!.certificateId)).toEqual(before.one);
    expect(await storedFor(three!.certificateId)).toEqual(before.three);
    expect(await liveRuns(event.id)).toEqual([3, 2]);
  });

  it('queues nothing for an event that is not published', async () => {
    const { event, browser, push, live } = await publishedEvent();
    await browser.post(`/admin/events/${event.id}/unpublish`);
    expect(await push(csv([['1', 'Ada Lovelace', '3:01:00']]))).toMatchObject({ added: 1 });
    expect(await live()).toBeNull();
    expect(await liveRuns(event.id)).toEqual([]);
    const ada = await recordOf(event.id, '1');
    expect(await storedFor(ada.certificateId)).toEqual([]);
  });

  it('leaves a file that changes more than 1,000 records to the next publish, so searches stay fast', async () => {
    const { event, browser, push, live } = await publishedEvent();
    const many = Array.from(
      { length: 1_001 },
      (_, i) => [String(i + 1), `Runner ${i + 1}`, '3:00:00'] as [string, string, string],
    );
    expect(await push(csv(many))).toMatchObject({ added: 1_001 });
    expect(await liveRuns(event.id)).toEqual([]);
    expect(await live()).toMatchObject({ updatedAt: null, backlog: 0 });
    // The Publish tab asks for a publish instead.
    const tab = await (await browser.get(`/admin/events/${event.id}/publish`)).text();
    expect(tab).toContain('Since the last publish: 1001 records changed');
    // A few finishers after it are prepared live again.
    expect(await push(csv([...many, ['2000', 'Late Finisher', '4:10:00']]))).toMatchObject({ added: 1 });
    expect(await liveRuns(event.id)).toEqual([1]);
  });

  it('prepares the finishers a URL source brings in while the event is published, by hand and by the cron', async () => {
    const { event, browser, settled } = await publishedEvent();
    const file = `/files/${crypto.randomUUID()}.csv`;
    await fetch(`${env.TIMING_SYSTEM_URL}${file}`, { method: 'PUT', body: csv([['7', 'Jana Nováková', '1:45:00']]) });
    await browser.post(`/admin/events/${event.id}/sources`, {
      kind: 'url',
      name: 'Live results',
      url: env.TIMING_SYSTEM_URL + file,
    });
    const [source] = await db.select().from(sources).where(eq(sources.eventId, event.id));
    expect(await (await browser.post(`/admin/events/${event.id}/sources/${source!.id}/sync`)).text()).toContain(
      '1 added',
    );
    expect(await settled()).toMatchObject({ certificates: 1, backlog: 0 });
    const jana = await recordOf(event.id, '7');
    expect(await inR2(await currentImageKeys(jana.certificateId))).toBe(true);

    // The cron's pull brings a corrected time and another finisher.
    await fetch(`${env.TIMING_SYSTEM_URL}${file}`, {
      method: 'PUT',
      body: csv([
        ['7', 'Jana Nováková', '1:44:59'],
        ['8', 'Petr Novák', '1:52:10'],
      ]),
    });
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/15 * * * *' }), env);
    expect(await settled()).toMatchObject({ certificates: 2, backlog: 0 });
    for (const bib of ['7', '8']) {
      const r = await recordOf(event.id, bib);
      expect(await inR2(await currentImageKeys(r.certificateId)), `bib ${bib}`).toBe(true);
    }
  });

  it('lists a live certificate drawn with a placeholder on the Publish tab', async () => {
    const { event, browser, push, settled } = await publishedEvent();
    // 𐀀 is Linear B: no bundled font has it.
    await push(csv([['102', 'Eleni 𐀀 Markou', '3:10:00']]));
    await settled();
    const page = await (await browser.get(`/admin/events/${event.id}/publish`)).text();
    expect(page).toContain('<h3>Names drawn with a placeholder</h3>');
    expect(page).toContain(
      '<tr><td>102</td><td>Eleni 𐀀 Markou</td><td>Drawn with a placeholder for 𐀀 (no font has it)</td></tr>',
    );
  });

  it('stops queueing a live update once its event is unpublished', async () => {
    const { event, browser, push, settled } = await publishedEvent();
    await push(csv([['1', 'Ada Lovelace', '3:01:00']]));
    await settled();
    await browser.post(`/admin/events/${event.id}/unpublish`);
    // A large live update with jobs left to queue when the organiser unpublished.
    const ada = await recordOf(event.id, '1');
    const [run] = await db
      .insert(publishRuns)
      .values({
        eventId: event.id,
        kind: 'live',
        writtenAt: ada.updatedAt,
        templateId: event.templateId ?? 0,
        templateVersion: 1,
        total: 1,
      })
      .returning();
    await queueNextChunk(db, env.RENDER_QUEUE, run!.id);
    const [after] = await db.select().from(publishRuns).where(eq(publishRuns.id, run!.id));
    expect(after).toMatchObject({ queued: 0, total: 0 });
  });

  it('shows the event as live on the Publish tab, with its last update and what is still being prepared', async () => {
    const { event, browser, push, settled } = await publishedEvent();
    const publishTab = async () => await (await browser.get(`/admin/events/${event.id}/publish`)).text();
    expect(await publishTab()).toContain('No results have arrived since publishing.');

    await push(
      csv([
        ['1', 'Ada Lovelace', '3:01:00'],
        ['2', 'Alan Turing', '3:02:00'],
      ]),
    );
    await settled();
    const page = await publishTab();
    expect(page).toMatch(/Last update \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: 2 certificates\./);
    expect(page).toContain('All certificates are ready.');
    // Imported while live, so already prepared: nothing asks for another publish.
    expect(page).toContain('0 records changed, template unchanged');

    // A live update still being rendered: 5 queued, 2 done.
    const [run] = await db.select().from(events).where(eq(events.id, event.id));
    await env.DB.prepare(
      "INSERT INTO publish_runs (event_id, template_id, template_version, kind, total, queued, done, queued_at, progressed_at) VALUES (?, ?, 1, 'live', 5, 5, 2, ?, ?)",
    )
      .bind(event.id, run!.templateId, Date.now(), Date.now())
      .run();
    expect(await publishTab()).toContain('3 certificates waiting to be prepared.');

    await browser.post(`/admin/events/${event.id}/unpublish`);
    expect(await publishTab()).not.toContain('<h2>Live</h2>');
  });

  it('keeps up with a timing system pushing the same growing file 30 times', async () => {
    const { event, api, push, live, settled } = await publishedEvent();
    const finishers = new Map<string, { name: string; seconds: number }>();
    const time = (s: number) =>
      `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
    const file = () =>
      csv([...finishers].map(([bib, f]) => [bib, f.name, time(f.seconds)] as [string, string, string]));
    const hashes = new Map<string, string[]>();
    let queued = 0;
    let hiddenBib: string | undefined;

    for (let push_ = 0; push_ < 30; push_++) {
      const touched = new Set<string>();
      // Three more runners cross the line...
      for (let n = 1; n <= 3; n++) {
        const bib = String(push_ * 3 + n);
        finishers.set(bib, { name: `Runner ${bib} Number${bib}`, seconds: 3 * 3600 + push_ * 60 + n });
        touched.add(bib);
      }
      // ...and the timing system corrects two earlier times.
      if (push_ > 0) {
        for (const pick of [(push_ * 7) % (push_ * 3), (push_ * 13 + 5) % (push_ * 3)]) {
          const bib = String(pick + 1);
          finishers.get(bib)!.seconds -= 1;
          touched.add(bib);
        }
      }
      if (hiddenBib && push_ % 5 === 0) {
        finishers.get(hiddenBib)!.seconds -= 1;
        touched.add(hiddenBib);
      }
      const report = await push(file());
      expect(report.added + report.updated).toBe(touched.size);
      expect(report.unchanged).toBe(finishers.size - touched.size);
      const visibleTouched = [...touched].filter((bib) => bib !== hiddenBib).length;
      expect(await live()).toMatchObject({ certificates: visibleTouched });
      queued += visibleTouched;

      // No URL of a record the push did not touch has changed.
      for (const r of await db.select().from(records).where(eq(records.eventId, event.id))) {
        const keys = await currentImageKeys(r.certificateId);
        if (hashes.has(r.bib!) && !touched.has(r.bib!)) expect(keys, `bib ${r.bib}`).toEqual(hashes.get(r.bib!));
        hashes.set(r.bib!, keys);
      }
      // Halfway, the organiser hides a runner; the timing system goes on correcting them.
      if (push_ === 14) {
        hiddenBib = '5';
        const hidden = await api(`/records/${hiddenBib}`, {
          method: 'PATCH',
          body: '{"hidden":true}',
          headers: { 'Content-Type': 'application/json' },
        });
        expect(hidden.status).toBe(200);
      }
    }

    await settled();
    const rows = await db.select().from(records).where(eq(records.eventId, event.id));
    // One record per runner, none twice.
    expect(rows).toHaveLength(90);
    expect(new Set(rows.map((r) => r.participantKey)).size).toBe(90);
    for (const r of rows) {
      const keys = await currentImageKeys(r.certificateId);
      if (r.bib === hiddenBib) {
        expect(r.hidden).toBe(true);
        expect(keys).toEqual([]);
        continue;
      }
      expect(r.finishTime, `bib ${r.bib}`).toBe(time(finishers.get(r.bib!)!.seconds));
      expect(await inR2(keys), `bib ${r.bib}`).toBe(true);
    }
    // Exactly the records each push touched were queued, and one import logged per push.
    expect((await liveRuns(event.id)).reduce((a, b) => a + b, 0)).toBe(queued);
    expect(await db.select().from(imports).where(eq(imports.eventId, event.id))).toHaveLength(30);
  }, 300_000);
});

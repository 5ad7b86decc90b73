import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { assetQuota } from '../src/assets/store';
import { assets, events, records } from '../src/db/schema';
import { MAX_EVENTS_PER_ORGANISER } from '../src/events/queries';
import { MAX_EVENT_RECORDS } from '../src/import/limits';
import { apiEvent, db, ORIGIN } from './fixtures';

describe('quotas', () => {
  it('refuses an organiser a new event past the most one can hold, with a clear message', async () => {
    const { event, token } = await apiEvent('Quota', 'quota');
    const others = Array.from({ length: MAX_EVENTS_PER_ORGANISER - 1 }, (_, i) => ({
      slug: `quota-${crypto.randomUUID().slice(0, 8)}-${i}`,
      name: `Race ${i}`,
      organiserId: event.organiserId,
    }));
    for (let i = 0; i < others.length; i += 10) await db.insert(events).values(others.slice(i, i + 10));
    const created = await SELF.fetch(`${ORIGIN}/api/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'One too many', slug: `quota-${crypto.randomUUID().slice(0, 8)}` }),
    });
    expect(created.status).toBe(403);
    expect((await created.json<{ error: string }>()).error).toMatch(/200 events, the most one organiser can have/);
  });

  it('refuses a file that would give an event more records than it may hold, keeping the records', async () => {
    const { event, api } = await apiEvent('Quota', 'quota');
    // An event already at the limit, filled directly: 250,000 imports would take minutes.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
       INSERT INTO records (event_id, participant_key, bib, name, status, certificate_id, updated_at)
       SELECT ?1, 'b' || i, 'b' || i, 'Runner ' || i, 'finished', 'c' || ?1 || '-' || i, 0 FROM n`,
    )
      .bind(event.id, MAX_EVENT_RECORDS)
      .run();
    const res = await api('/imports', {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv' },
      body: 'Bib,Name\nnew-1,One More\n',
    });
    expect(res.status).toBe(413);
    expect((await res.json<{ error: string }>()).error).toMatch(/more than 250,000 records/);
    const held = await env.DB.prepare('SELECT count(*) AS n FROM records WHERE event_id = ?')
      .bind(event.id)
      .first<{ n: number }>();
    expect(held!.n).toBe(MAX_EVENT_RECORDS);
    expect(await db.select().from(records).where(eq(records.bib, 'new-1'))).toEqual([]);
  });

  it("refuses an upload past the organiser's 500 files or 1 GB, over all their events", async () => {
    const { event, api } = await apiEvent('Quota', 'quota');
    const upload = () => api('/assets?name=logo.png', { method: 'POST', body: env.SAMPLE_LOGO_PNG });
    const row = (i: number, size: number) => ({
      eventId: event.id,
      hash: i.toString(16).padStart(32, '0'),
      kind: 'image' as const,
      name: `old-${i}.png`,
      contentType: 'image/png',
      size,
    });
    await db.insert(assets).values(row(0, assetQuota.bytes - 100));
    const tooBig = await upload();
    expect(tooBig.status).toBe(413);
    expect((await tooBig.json<{ error: string }>()).error).toMatch(/more than 1 GB/);

    await db.delete(assets).where(eq(assets.eventId, event.id));
    const many = Array.from({ length: assetQuota.files }, (_, i) => row(i + 1, 10));
    for (let i = 0; i < many.length; i += 10) await db.insert(assets).values(many.slice(i, i + 10));
    const tooMany = await upload();
    expect(tooMany.status).toBe(413);
    expect((await tooMany.json<{ error: string }>()).error).toMatch(/500 uploaded files/);

    await db.delete(assets).where(eq(assets.eventId, event.id));
    expect((await upload()).status).toBe(201);
  });
});

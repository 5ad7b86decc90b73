import { createScheduledController, env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { apiIdempotency, events, imports } from '../src/db/schema';
import { apiEvent, db, ORIGIN } from './fixtures';

const HOUR_MS = 3600 * 1000;
const csv = 'Bib,Name,Time\n1,Ana Gómez,2:31:07\n2,Ben Okafor,3:02:11\n';

/** A timing system's push: the CSV as the body, with an Idempotency-Key when given one. */
const importing = (api: Awaited<ReturnType<typeof apiEvent>>['api'], body: BodyInit, key?: string, query = '') =>
  api(`/imports${query}`, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'text/csv', ...(key ? { 'Idempotency-Key': key } : {}) },
  });

const importLog = (eventId: number) => db.select().from(imports).where(eq(imports.eventId, eventId));

describe('Idempotency-Key on the organiser API', () => {
  it('answers a retried import with the first answer, and imports once', async () => {
    const { api, event } = await apiEvent('Retry Marathon');
    const key = crypto.randomUUID();
    const first = await importing(api, csv, key);
    expect(first.status).toBe(200);
    const firstText = await first.text();
    expect(JSON.parse(firstText)).toMatchObject({ added: 2 });

    const retried = await importing(api, csv, key);
    expect(retried.status).toBe(200);
    expect(retried.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.headers.get('cache-control')).toBe('no-store');
    // The very same answer, import id included: not "unchanged: 2" from a second import.
    expect(await retried.text()).toBe(firstText);
    expect(await importLog(event.id)).toHaveLength(1);
  });

  it('refuses a key used again with another body or for another request (422)', async () => {
    const { api, event } = await apiEvent('Changed Body Marathon');
    const key = crypto.randomUUID();
    expect((await importing(api, csv, key)).status).toBe(200);

    const otherBody = await importing(api, `${csv}3,Cleo Park,3:30:00\n`, key);
    expect(otherBody.status).toBe(422);
    expect(await otherBody.json()).toEqual({
      error: 'This Idempotency-Key was used with a different body. Send a new key with a new request.',
    });
    const otherQuery = await importing(api, csv, key, '?removeMissing=true');
    expect(otherQuery.status).toBe(422);
    expect(((await otherQuery.json()) as { error: string }).error).toContain(
      `was used for POST /api/v1/events/${event.slug}/imports`,
    );
    const otherRoute = await api('/publish', { method: 'POST', headers: { 'Idempotency-Key': key } });
    expect(otherRoute.status).toBe(422);
    expect(await importLog(event.id)).toHaveLength(1);
  });

  it('imports again under a different key, or without one', async () => {
    const { api, event } = await apiEvent('Two Keys Marathon');
    const first = await (await importing(api, csv, crypto.randomUUID())).json<{ importId: number }>();
    const second = await (await importing(api, csv, crypto.randomUUID())).json<{
      importId: number;
      unchanged: number;
    }>();
    expect(second.importId).not.toBe(first.importId);
    expect(second.unchanged).toBe(2);
    await importing(api, csv);
    expect(await importLog(event.id)).toHaveLength(3);
  });

  it('forgets a key after 24 hours, on access and in the cron', async () => {
    const { api, event } = await apiEvent('Yesterday Marathon');
    const key = crypto.randomUUID();
    await importing(api, csv, key);
    const aged = (by: number) =>
      db
        .update(apiIdempotency)
        .set({ createdAt: new Date(Date.now() - by) })
        .where(eq(apiIdempotency.key, key));
    await aged(24 * HOUR_MS + 60_000);
    const later = await importing(api, csv, key);
    expect(later.status).toBe(200);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(await later.json()).toMatchObject({ added: 0, unchanged: 2 });
    expect(await importLog(event.id)).toHaveLength(2);

    // The cron clears keys nobody asks for again.
    await aged(25 * HOUR_MS);
    const fresh = crypto.randomUUID();
    await importing(api, csv, fresh);
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/15 * * * *' }), env);
    const left = await db.select({ key: apiIdempotency.key }).from(apiIdempotency);
    expect(left.map((row) => row.key)).toContain(fresh);
    expect(left.map((row) => row.key)).not.toContain(key);
  });

  it('answers 409 to the same key while the first request is still running', async () => {
    const { api, event } = await apiEvent('Slow Network Marathon');
    const key = crypto.randomUUID();
    let send!: ReadableStreamDefaultController<Uint8Array>;
    const slowBody = new ReadableStream<Uint8Array>({
      start(controller) {
        send = controller;
      },
    });
    send.enqueue(new TextEncoder().encode(csv.slice(0, 20)));
    const first = importing(api, slowBody, key);
    // The first request has claimed the key once its row is there, still without an answer.
    for (let tries = 0; tries < 100; tries++) {
      const [row] = await db.select().from(apiIdempotency).where(eq(apiIdempotency.key, key));
      if (row) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const second = await importing(api, csv, key);
    expect(second.status).toBe(409);
    expect(await second.json()).toEqual({
      error: 'A request with this Idempotency-Key is still in progress. Try again in a moment.',
    });
    send.enqueue(new TextEncoder().encode(csv.slice(20)));
    send.close();
    const done = await first;
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ added: 2 });
    const third = await importing(api, csv, key);
    expect(third.headers.get('idempotent-replayed')).toBe('true');
    expect(await importLog(event.id)).toHaveLength(1);
  });

  it('answers a retried event create with the event it made', async () => {
    const { token } = await apiEvent('Owner of many');
    const key = crypto.randomUUID();
    const slug = `retry-${crypto.randomUUID().slice(0, 8)}`;
    const create = () =>
      SELF.fetch(`${ORIGIN}/api/v1/events`, {
        method: 'POST',
        body: JSON.stringify({ name: 'Retry Ride', slug }),
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
      });
    const first = await create();
    expect(first.status).toBe(201);
    const again = await create();
    // Without the key this would be 409 "The slug is taken".
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(await first.json());
    expect(await db.select().from(events).where(eq(events.slug, slug))).toHaveLength(1);
  });

  it("keeps each token's keys apart", async () => {
    const one = await apiEvent('Token One');
    const two = await apiEvent('Token Two');
    const key = crypto.randomUUID();
    expect((await importing(one.api, csv, key)).status).toBe(200);
    // Another token's key space: the same key is a new request there.
    const other = await importing(two.api, csv, key);
    expect(other.status).toBe(200);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(await importLog(two.event.id)).toHaveLength(1);
  });

  it('refuses a key that is too long', async () => {
    const { api } = await apiEvent('Odd Keys');
    const long = await importing(api, csv, 'k'.repeat(256));
    expect(long.status).toBe(400);
    expect(await long.json()).toEqual({ error: 'An Idempotency-Key is 1 to 255 visible ASCII characters.' });
  });
});

import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { records } from '../src/db/schema';
import { apiEvent, db, ORIGIN } from './fixtures';

/**
 * A chunked body (no Content-Length) of `megabytes` of CSV rows, made as it is pulled; `pulled()`
 * says how much the server read before it stopped.
 */
function endlessUpload(megabytes: number, prefix = 'Bib,Name\n') {
  const row = new TextEncoder().encode('1,Endless Runner\n'.repeat(4096));
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(prefix));
    },
    pull(controller) {
      if (sent >= megabytes * 1024 * 1024) return controller.close();
      sent += row.length;
      controller.enqueue(row);
    },
  });
  return { stream, pulled: () => sent / 1024 / 1024 };
}

const countRecords = async (eventId: number) =>
  (await db.select().from(records).where(eq(records.eventId, eventId))).length;

describe('request bodies', () => {
  it('refuses a chunked 60 MB results file to the organiser API once it passes 20 MB, keeping the records', async () => {
    const { api, event } = await apiEvent('Bodies', 'bodies');
    await api('/imports', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: 'Bib,Name\n1,Ola\n' });
    const upload = endlessUpload(60);
    const res = await api('/imports', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: upload.stream });
    expect(res.status).toBe(413);
    expect((await res.json<{ error: string }>()).error).toMatch(/at most 20 MB/);
    expect(upload.pulled()).toBeLessThan(30);
    expect(await countRecords(event.id)).toBe(1);
  });

  it('refuses a chunked 30 MB upload of a logo to the organiser API once it passes 10 MB', async () => {
    const { api } = await apiEvent('Bodies', 'bodies');
    const upload = endlessUpload(30, '');
    const res = await api('/assets?name=logo.png', { method: 'POST', body: upload.stream });
    expect(res.status).toBe(413);
    expect(upload.pulled()).toBeLessThan(20);
  });

  it('refuses a chunked 60 MB form to the admin once it passes 21 MB', async () => {
    const { browser, event } = await apiEvent('Bodies', 'bodies');
    const upload = endlessUpload(60, '--x\r\nContent-Disposition: form-data; name="file"; filename="r.csv"\r\n\r\n');
    const res = await SELF.fetch(`${ORIGIN}/admin/events/${event.id}/imports`, {
      method: 'POST',
      headers: {
        Cookie: browser.cookie,
        'X-CSRF-Token': browser.csrfToken,
        'Content-Type': 'multipart/form-data; boundary=x',
      },
      body: upload.stream,
    });
    expect(res.status).toBe(413);
    expect(upload.pulled()).toBeLessThan(30);
  });

  it('answers a broken multipart form with 400, signed in or not', async () => {
    const { browser, event } = await apiEvent('Bodies', 'bodies');
    const broken = '--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nabc'; // never closed
    for (const [path, headers] of [
      [`/admin/events/${event.id}/sources`, { Cookie: browser.cookie }],
      ['/admin/sign-in', { Origin: ORIGIN }],
    ] as const) {
      const res = await SELF.fetch(ORIGIN + path, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'multipart/form-data; boundary=x' },
        body: broken,
      });
      expect([path, res.status]).toEqual([path, 400]);
    }
  });

  it('shows the first page of records for a page number that is no page number', async () => {
    const { browser, event } = await apiEvent('Bodies', 'bodies');
    for (const page of ['1e308', '-3', 'x', '99999999999']) {
      const res = await browser.get(`/admin/events/${event.id}/records?page=${page}`);
      expect([page, res.status]).toEqual([page, 200]);
    }
  });
});

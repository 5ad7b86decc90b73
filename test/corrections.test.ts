import { env } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { records } from '../src/db/schema';
import { apiEvent, db } from './fixtures';

// Hand corrections win until the organiser says otherwise, and an edit made on stale data is
// refused instead of overwriting newer results.

const boston = () => new Uint8Array(env.RESULTS_BOSTON_2017);

async function bostonEvent() {
  const { event, browser, api: call } = await apiEvent('Boston Marathon', 'corrections');
  const api = (path: string, init: RequestInit = {}) =>
    call(path, {
      ...init,
      headers: { 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) },
    });
  const importFile = async (body: BodyInit) => {
    const res = await api('/imports', { method: 'POST', body, headers: { 'Content-Type': 'text/csv' } });
    expect(res.status).toBe(200);
    return res.json<{
      updated: number;
      unchanged: number;
      keptCorrections: { bib: string; field: string; file: unknown }[];
    }>();
  };
  const row = async (bib: string) =>
    (
      await db
        .select()
        .from(records)
        .where(and(eq(records.eventId, event!.id), eq(records.bib, bib)))
    )[0]!;
  return { event, browser, api, importFile, row };
}

describe('hand corrections', () => {
  it('survive every re-post of the timing file, which reports them, until the organiser takes the file’s value', async () => {
    const { api, importFile, row } = await bostonEvent();
    await importFile(boston());
    // 100 corrections through the API, as an organiser fixing names would make them.
    const bibs = (await db.select({ bib: records.bib }).from(records).limit(100)).map((r) => r.bib!);
    const corrected = new Map<string, string>();
    for (const bib of bibs.slice(0, 100)) {
      const name = `Corrected ${bib}`;
      corrected.set(bib, name);
      expect((await api(`/records/${bib}`, { method: 'PATCH', body: JSON.stringify({ name }) })).status).toBe(200);
    }
    const repost = await importFile(boston());
    expect(repost.updated).toBe(0);
    expect(repost.keptCorrections).toHaveLength(100);
    expect(repost.keptCorrections[0]).toMatchObject({ field: 'name' });
    for (const [bib, name] of corrected) expect((await row(bib)).name).toBe(name);

    // The organiser takes the file's value for one; the next import writes it again.
    const [bib] = bibs;
    const taken = await api(`/records/${bib}/use-file-values`, { method: 'POST', body: '{}' });
    expect(taken.status).toBe(200);
    const fileName = repost.keptCorrections.find((k) => k.bib === bib)!.file;
    expect((await row(bib!)).name).toBe(fileName);
    expect((await importFile(boston())).keptCorrections).toHaveLength(99);
  }, 60_000);

  it('refuses an API edit made on a stale version with the current values (If-Match)', async () => {
    const { api, row } = await bostonEvent().then(async (e) => {
      await e.importFile(boston());
      return e;
    });
    const read = await api('/records/11');
    const etag = read.headers.get('ETag')!;
    expect(etag).toMatch(/^"\d+"$/);
    // An import or another client changes the record in between.
    expect(
      (await api('/records/11', { method: 'PATCH', body: JSON.stringify({ finishTime: '2:09:36' }) })).status,
    ).toBe(200);
    const stale = await api('/records/11', {
      method: 'PATCH',
      body: JSON.stringify({ name: 'Geoffrey Kirui' }),
      headers: { 'If-Match': etag },
    });
    expect(stale.status).toBe(409);
    expect((await stale.json<{ record: { finishTime: string } }>()).record.finishTime).toBe('2:09:36');
    expect((await row('11')).name).toBe('Kirui, Geoffrey');
  }, 60_000);

  it('refuses a stale edit form after an import changed the record, showing what is there now', async () => {
    const { event, browser, importFile, row } = await bostonEvent();
    const header = 'Bib,Name,Official Time,Overall';
    await importFile(`${header}\n11,"Kirui, Geoffrey",2:09:37,1\n`);
    const kirui = await row('11');
    const form = await (await browser.get(`/admin/events/${event.id}/records/${kirui.id}/edit`)).text();
    const version = form.match(/name="version" value="(\d+)"/)![1]!;
    // The timing system corrects the time while the organiser has the form open.
    await new Promise((r) => setTimeout(r, 5));
    await importFile(`${header}\n11,"Kirui, Geoffrey",2:09:36,1\n`);
    const res = await browser.post(`/admin/events/${event.id}/records/${kirui.id}/edit`, {
      version,
      bib: '11',
      name: 'Geoffrey Kirui',
      status: 'finished',
      finishTime: '2:09:37',
      rankOverall: '1',
    });
    expect(res.status).toBe(409);
    const page = await res.text();
    expect(page).toContain('This record changed while you were editing it');
    expect(page).toContain('value="2:09:36"');
    expect(await row('11')).toMatchObject({ name: 'Kirui, Geoffrey', finishTime: '2:09:36' });
  });
});

import { createScheduledController, env, SELF } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { DELETE_CHANGED_TERMS, DELETE_MISSING_TERMS, importRecords, INSERT_TERMS } from '../src/records/import';
import { prepareRecord } from '../src/records/prepared';
import { importChunks, imports, records, recordTerms, sources } from '../src/db/schema';
import { apiEvent as organiserApiEvent, createEvent, db, ORIGIN, runner } from './fixtures';

const countRecords = async (eventId: number) =>
  (await db.select().from(records).where(eq(records.eventId, eventId))).length;
const countTerms = async (eventId: number) =>
  (await db.select().from(recordTerms).where(eq(recordTerms.eventId, eventId))).length;

/** An event made through the organiser API, and a timing system's upload to it. */
async function apiEvent() {
  const { event, browser, token, api } = await organiserApiEvent('Real', 'real');
  const upload = (body: BodyInit, query = '') =>
    api(`/imports${query}`, { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body });
  return { event, upload, browser, token };
}

describe('writing imports', () => {
  it('imports each real results file end to end, and a second import changes nothing', async () => {
    for (const [file, added, rejected] of [
      [env.RESULTS_BOSTON_2017, 26_410, 0],
      [env.RESULTS_UTMB_2024, 2_727, 34],
      [env.RESULTS_BERLIN_100MI_2022, 724, 0],
    ] as const) {
      const { event, upload } = await apiEvent();
      const first = await (await upload(file)).json<{ added: number; rejected: unknown[] }>();
      expect(first).toMatchObject({ added, updated: 0, unchanged: 0 });
      expect(first.rejected).toHaveLength(rejected);
      expect(await countRecords(event.id)).toBe(added);
      const before = await db
        .select({ updatedAt: records.updatedAt })
        .from(records)
        .where(eq(records.eventId, event.id))
        .limit(1);
      expect(await (await upload(file)).json()).toMatchObject({ added: 0, updated: 0, unchanged: added, removed: 0 });
      const after = await db
        .select({ updatedAt: records.updatedAt })
        .from(records)
        .where(eq(records.eventId, event.id))
        .limit(1);
      expect(after).toEqual(before);
      const log = await db.select().from(imports).where(eq(imports.eventId, event.id));
      expect(log.map((l) => l.added)).toEqual([added, 0]);
    }
  });

  it('upserts an updated file by bib, reporting added, updated, unchanged and removed', async () => {
    const { event, upload, token } = await apiEvent();
    await upload('Bib,Name,Time\n1,Ana,2:00:00\n2,Ben,2:10:00\n3,Cy,2:20:00\n');
    const [ben] = await db
      .select()
      .from(records)
      .where(and(eq(records.eventId, event.id), eq(records.bib, '2')));
    const report = await (
      await upload('Bib,Name,Time\n1,Ana,2:00:00\n2,Ben Corrected,2:09:00\n4,Dee,2:30:00\n', '?removeMissing=true')
    ).json<{ importId: number }>();
    // Taking out 1 of 3 records is more than 5 %: it waits for the organiser's word.
    expect(report).toMatchObject({ added: 1, updated: 1, unchanged: 1, removed: 0, heldRemovals: { bibs: ['3'] } });
    const confirm = await SELF.fetch(
      `${ORIGIN}/api/v1/events/${event.slug}/imports/${report.importId}/confirm-removals`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
      },
    );
    expect(await confirm.json()).toEqual({ removed: 1 });
    const rows = await db.select().from(records).where(eq(records.eventId, event.id));
    expect(rows.map((r) => r.bib).sort()).toEqual(['1', '2', '4']);
    const corrected = rows.find((r) => r.bib === '2')!;
    expect(corrected).toMatchObject({
      name: 'Ben Corrected',
      finishTime: '2:09:00',
      certificateId: ben!.certificateId,
    });
    const terms = (await db.select().from(recordTerms).where(eq(recordTerms.recordId, corrected.id)))
      .map((t) => t.term)
      .sort();
    expect(terms).toEqual(['ben', 'corrected']);
  });

  it('is all or nothing: a failing statement late in a large import leaves no row behind', async () => {
    const { event } = await createEvent([runner('1', 'Already There')]);
    const rows = Array.from({ length: 6000 }, (_, i) => runner(String(i + 2), `Bulk Runner${i}`));
    // A row the database itself refuses (NOT NULL name), placed in the last chunk.
    rows.push({ ...runner('9999', 'x'), name: null as never });
    await expect(
      importRecords(db, event.id, rows.map(prepareRecord), { report: { rejected: 0, encoding: 'utf-8' } }),
    ).rejects.toThrow();
    expect(await countRecords(event.id)).toBe(1);
    expect(await countTerms(event.id)).toBe(2);
    expect(await db.select().from(imports).where(eq(imports.eventId, event.id))).toEqual([]);
    expect(await db.select().from(importChunks)).toEqual([]);
  });

  it('refuses a bad or oversized file with a clear error, writing nothing', async () => {
    const { event, upload } = await apiEvent();
    for (const [body, status, message] of [
      ['', 400, /empty/i],
      ['<!DOCTYPE html><html><body>Results</body></html>', 400, /HTML/],
      [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]), 400, /./],
      ['Bib,Name\n', 400, /./],
      ['Zeit,Ort\n1:00:00,Kiel\n', 400, /bib|name/i],
    ] as const) {
      const res = await upload(body as BodyInit);
      expect(res.status).toBe(status);
      expect((await res.json<{ error: string }>()).error).toMatch(message);
    }
    const big = `Bib,Name\n${'1,x\n'.repeat(100_001)}`;
    const tooMany = await upload(big);
    expect(tooMany.status).toBe(413);
    expect((await tooMany.json<{ error: string }>()).error).toMatch(/100,000/);
    expect(await countRecords(event.id)).toBe(0);
  });

  it('answers the joins of an import by index, one look-up per row, never a scan of records', async () => {
    for (const statement of [INSERT_TERMS, DELETE_CHANGED_TERMS, DELETE_MISSING_TERMS]) {
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${statement}`)
        .bind('key', 1)
        .all<{ detail: string }>();
      const details = results.map((r) => r.detail);
      expect(details.filter((d) => /^SCAN r\b|SCAN records\b/.test(d))).toEqual([]);
      expect(details.some((d) => /SEARCH r USING (COVERING )?INDEX records_event_bib_unique/.test(d))).toBe(true);
    }
  });
});

describe('URL sources', () => {
  const put = (path: string, body: string) => fetch(`${env.TIMING_SYSTEM_URL}${path}`, { method: 'PUT', body });

  it('pulls a CSV from the timing system on "Sync now" and on the cron schedule, through the same import', async () => {
    const { event, browser } = await apiEvent();
    const path = `/files/${crypto.randomUUID()}.csv`;
    await put(path, 'Startnr;Name;Zeit\n7;Jana Nováková;1:45:00\n');
    await browser.post(`/admin/events/${event.id}/sources`, {
      kind: 'url',
      name: 'Live results',
      url: env.TIMING_SYSTEM_URL + path,
    });
    const [source] = await db.select().from(sources).where(eq(sources.eventId, event.id));

    const synced = await browser.post(`/admin/events/${event.id}/sources/${source!.id}/sync`);
    expect(await synced.text()).toContain('1 added, 0 updated, 0 unchanged, 0 removed, 0 rows left out');
    expect(await countRecords(event.id)).toBe(1);

    await put(path, 'Startnr;Name;Zeit\n7;Jana Nováková;1:44:59\n8;Petr Novák;DNF\n');
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/15 * * * *' }), env);
    const rows = await db.select().from(records).where(eq(records.eventId, event.id));
    expect(rows.map((r) => [r.bib, r.finishTime, r.status]).sort()).toEqual([
      ['7', '1:44:59', 'finished'],
      ['8', null, 'dnf'],
    ]);
    const [after] = await db.select().from(sources).where(eq(sources.id, source!.id));
    expect(after!.mapping).toMatchObject({ bib: 'Startnr', name: 'Name', finishTime: 'Zeit' });
    expect(after!.lastSyncError).toBeNull();
  });

  it('keeps the records and says why when the timing system fails', async () => {
    const { event, browser } = await apiEvent();
    const path = `/files/${crypto.randomUUID()}.csv`;
    await put(path, 'Bib,Name\n1,Ola\n');
    await browser.post(`/admin/events/${event.id}/sources`, {
      kind: 'url',
      name: 'Live',
      url: env.TIMING_SYSTEM_URL + path,
    });
    const [source] = await db.select().from(sources).where(eq(sources.eventId, event.id));
    await browser.post(`/admin/events/${event.id}/sources/${source!.id}/sync`);
    await db
      .update(sources)
      .set({ url: `${env.TIMING_SYSTEM_URL}/files/missing.csv` })
      .where(eq(sources.id, source!.id));
    const failed = await browser.post(`/admin/events/${event.id}/sources/${source!.id}/sync`);
    expect(failed.status).toBe(400);
    expect(await failed.text()).toContain('answered 404');
    expect(await countRecords(event.id)).toBe(1);
    const [after] = await db.select().from(sources).where(eq(sources.id, source!.id));
    expect(after!.lastSyncError).toContain('answered 404');
  });
});

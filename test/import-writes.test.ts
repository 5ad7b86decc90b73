import { createScheduledController, env, SELF } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { DELETE_CHANGED_TERMS, DELETE_MISSING_TERMS, importRecords, INSERT_TERMS } from '../src/records/import';
import { prepareRecord } from '../src/records/prepared';
import { publishEvent } from '../src/publish/publish';
import { database } from '../src/db/client';
import { events, importChunks, importCommits, imports, records, recordTerms, sources } from '../src/db/schema';
import { certificateFields } from '../src/render/fields';
import { apiEvent as organiserApiEvent, createEvent, db, ORIGIN, runner } from './fixtures';

const countRecords = async (eventId: number) =>
  (await db.select().from(records).where(eq(records.eventId, eventId))).length;
const countTerms = async (eventId: number) =>
  (await db.select().from(recordTerms).where(eq(recordTerms.eventId, eventId))).length;

/**
 * The local D1 as a worker sees it that stops right after committing an import and applying one
 * more chunk: from then on its batches fail, as they would for a worker that is gone.
 */
function stopsAfterCommit() {
  let chunks = 0;
  return database(
    new Proxy(env.DB, {
      get(target, key) {
        if (key === 'batch') {
          return (statements: D1PreparedStatement[]) => {
            // A chunk's batch applies it in nine statements; the commit's batch carries the first one.
            if (statements.length === 9 && ++chunks > 1) throw new Error('the worker stopped');
            return target.batch(statements);
          };
        }
        const value = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }),
  );
}

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

  it('re-imports a real file as unchanged once the event has a language, and a language column changes each record once', async () => {
    const { event, upload, token } = await apiEvent();
    const file = env.RESULTS_BERLIN_100MI_2022;
    expect(await (await upload(file)).json()).toMatchObject({ added: 724, updated: 0 });
    const stamps = () =>
      db.select({ bib: records.bib, updatedAt: records.updatedAt }).from(records).where(eq(records.eventId, event.id));
    const before = await stamps();
    // Records written before languages existed hold none, as these do; the event's language is the event's.
    const patched = await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ language: 'de' }),
    });
    expect(patched.status).toBe(200);
    expect(await (await upload(file)).json()).toMatchObject({ added: 0, updated: 0, unchanged: 724, removed: 0 });
    expect(await stamps()).toEqual(before);

    // The same file with a language column, first in each line (Berlin's lines end in separators).
    const lines = new TextDecoder().decode(file).split('\r\n').filter(Boolean);
    const withLanguage = lines.map((line, i) => `${i === 0 ? 'Sprache' : 'DE'};${line}`).join('\r\n');
    // The source keeps the mapping of the first file, which had no such column: the caller adds it.
    const [source] = await db.select().from(sources).where(eq(sources.eventId, event.id));
    const mapping = encodeURIComponent(JSON.stringify({ ...source!.mapping, language: 'Sprache' }));
    expect(await (await upload(withLanguage, `?mapping=${mapping}`)).json()).toMatchObject({
      added: 0,
      updated: 724,
      unchanged: 0,
    });
    expect(await (await upload(withLanguage, `?mapping=${mapping}`)).json()).toMatchObject({
      added: 0,
      updated: 0,
      unchanged: 724,
    });
    const languages = await db
      .selectDistinct({ language: records.language })
      .from(records)
      .where(eq(records.eventId, event.id));
    expect(languages).toEqual([{ language: 'de' }]);
  });

  it("carries a record's language into its certificate's fields, and the event's where the record has none", async () => {
    const { event, upload, token } = await apiEvent();
    await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ language: 'ja' }),
    });
    const report = await upload('Bib,Name,Language\n1,山田太郎,\n2,王小明,zh-TW\n3,علی رضا,fa\n');
    expect(await report.json()).toMatchObject({ added: 3, rejected: [] });
    const [withLanguage] = await db.select().from(events).where(eq(events.id, event.id));
    const rows = await db.select().from(records).where(eq(records.eventId, event.id)).orderBy(records.bib);
    const fields = rows.map((record) => certificateFields({ event: withLanguage!, record }));
    expect(fields.map((f) => [f.name, f.language])).toEqual([
      ['山田太郎', 'ja'],
      ['王小明', 'zh-TW'],
      ['علی رضا', 'fa'],
    ]);
    // Without a language anywhere, a certificate states none.
    expect(certificateFields({ event: { ...withLanguage!, language: null }, record: rows[0]! })).not.toHaveProperty(
      'language',
    );
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

  it('is all or nothing: a record the database would refuse, late in a large import, stops it before any write', async () => {
    const { event } = await createEvent([runner('1', 'Already There')]);
    const rows = Array.from({ length: 6000 }, (_, i) => prepareRecord(runner(String(i + 2), `Bulk Runner${i}`)));
    // A record without a name (NOT NULL in records), as a bug upstream could hand over.
    const poisoned = () => [...rows, prepareRecord({ ...runner('9999', 'x'), name: null as never })];
    await expect(async () =>
      importRecords(db, event.id, poisoned(), { report: { rejected: 0, encoding: 'utf-8' } }),
    ).rejects.toThrow(/needs a name/);
    expect(await countRecords(event.id)).toBe(1);
    expect(await countTerms(event.id)).toBe(2);
    expect(await db.select().from(imports).where(eq(imports.eventId, event.id))).toEqual([]);
    expect(await db.select().from(importChunks)).toEqual([]);
  });

  it('applies a large import a chunk at a time; one whose worker stopped half-way is finished by the next import', async () => {
    const first = Array.from({ length: 3000 }, (_, i) => runner(String(i + 1), `First Runner${i}`));
    const { event } = await createEvent(first);
    // The same 3,000 runners with new names and times, imported by a worker that stops half-way.
    const later = first.map((r) => ({ ...r, name: r.name.replace('First', 'Later'), finishTime: '2:59:59' }));
    await expect(
      importRecords(stopsAfterCommit(), event.id, later.map(prepareRecord), {
        report: { rejected: 0, encoding: 'utf-8' },
      }),
    ).rejects.toThrow(/stopped/);
    const names = async () =>
      (await db.select({ name: records.name }).from(records).where(eq(records.eventId, event.id))).map((r) => r.name);
    const halfway = await names();
    // Committed: the import is logged, part of it is applied, each record whole with its terms.
    expect(halfway.filter((n) => n.startsWith('Later')).length).toBeGreaterThan(0);
    expect(halfway.filter((n) => n.startsWith('First')).length).toBeGreaterThan(0);
    expect(await db.select().from(imports).where(eq(imports.eventId, event.id))).toHaveLength(1);
    const termsOf = await db
      .select({ name: records.name, term: recordTerms.term })
      .from(records)
      .innerJoin(recordTerms, eq(recordTerms.recordId, records.id))
      .where(eq(records.eventId, event.id));
    expect(termsOf.every((t) => t.name.toLowerCase().split(' ').includes(t.term))).toBe(true);

    // The timing system posts a correction for one runner: the stopped import is finished first.
    await importRecords(db, event.id, [prepareRecord({ ...later[0]!, finishTime: '2:58:00' })]);
    const after = await db.select().from(records).where(eq(records.eventId, event.id));
    expect(after.filter((r) => r.name.startsWith('Later'))).toHaveLength(3000);
    expect(after.find((r) => r.bib === '1')?.finishTime).toBe('2:58:00');
    expect(after.filter((r) => r.bib !== '1').every((r) => r.finishTime === '2:59:59')).toBe(true);
    expect(await countTerms(event.id)).toBe(6000);
    expect(await db.select().from(importChunks)).toEqual([]);
    expect(await db.select().from(importCommits)).toEqual([]);
  });

  it('finishes a stopped import before a publish, and on the cron schedule', async () => {
    // Hidden, so that the publish queues no renders: what matters is what it publishes from.
    const named = (word: string) =>
      Array.from({ length: 3000 }, (_, i) => runner(String(i + 1), `${word} Runner${i}`, { hidden: true }));
    const { event } = await createEvent(named('First'));
    const names = async () =>
      (await db.select({ name: records.name }).from(records).where(eq(records.eventId, event.id))).map(
        (r) => r.name.split(' ')[0],
      );

    await expect(importRecords(stopsAfterCommit(), event.id, named('Later').map(prepareRecord))).rejects.toThrow(
      /stopped/,
    );
    await publishEvent(db, env.RENDER_QUEUE, event);
    expect(new Set(await names())).toEqual(new Set(['Later']));

    await expect(importRecords(stopsAfterCommit(), event.id, named('Final').map(prepareRecord))).rejects.toThrow(
      /stopped/,
    );
    expect(new Set(await names())).toEqual(new Set(['Later', 'Final']));
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/15 * * * *' }), env);
    expect(new Set(await names())).toEqual(new Set(['Final']));
    expect(await db.select().from(importCommits)).toEqual([]);
  });

  it('cleans up the staged chunks of an import that died before its commit, on the cron schedule', async () => {
    const { event } = await createEvent([runner('1', 'Already There')]);
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    // What a worker killed while staging leaves: chunks without a commit, and one still applying.
    await db.insert(importChunks).values([
      { importKey: 'died-staging', seq: 0, kind: 'records', payload: '[]', createdAt: twoHoursAgo },
      { importKey: 'died-staging', seq: 1, kind: 'records', payload: '[]', createdAt: twoHoursAgo },
      { importKey: 'staging-now', seq: 0, kind: 'records', payload: '[]' },
    ]);
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/15 * * * *' }), env);
    const left = new Set((await db.select({ key: importChunks.importKey }).from(importChunks)).map((c) => c.key));
    expect(left.has('died-staging')).toBe(false);
    expect(left.has('staging-now')).toBe(true);
    expect(await countRecords(event.id)).toBe(1);
    await db.delete(importChunks).where(eq(importChunks.importKey, 'staging-now'));
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
        .bind('key', 0, 1)
        .all<{ detail: string }>();
      const details = results.map((r) => r.detail);
      expect(details.filter((d) => /^SCAN r\b|SCAN records\b/.test(d))).toEqual([]);
      expect(details.some((d) => /SEARCH r USING (COVERING )?INDEX records_event_key_unique/.test(d))).toBe(true);
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

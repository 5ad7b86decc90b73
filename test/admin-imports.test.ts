import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, records, sources } from '../src/db/schema';
import { createOrganiser, db, signIn } from './fixtures';

async function newEvent() {
  const { organiser, email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const [event] = await db
    .insert(events)
    .values({ slug: `imp-${crypto.randomUUID().slice(0, 8)}`, name: 'Import Run', organiserId: organiser.id })
    .returning();
  return { browser, event: event! };
}

const csvFile = (text: string, name = 'results.csv') => new File([text], name, { type: 'text/csv' });
const uploadIdOf = (html: string) => html.match(/\/imports\/([\w-]{22})"/)![1]!;

describe('uploading results in the admin', () => {
  it('previews with a suggested mapping, lets the organiser change it, then imports all rows at once', async () => {
    const { browser, event } = await newEvent();
    const csv = 'Startnr;Vorname;Nachname;Verein;Zeit\n1;Anna;Müller;LG Nord;2:59:01\n2;Jörg;Weiß;TV Süd;DNF\n';
    const preview = await (await browser.post(`/admin/events/${event.id}/imports`, { file: csvFile(csv) })).text();
    expect(preview).toContain('2 records will be imported');
    expect(preview).toContain('separated by “;”');
    expect(preview).toMatch(/<option value="Vorname" selected="">Vorname<\/option>/);
    expect(preview).toContain('<td>Anna Müller</td>');
    expect(await db.select().from(records).where(eq(records.eventId, event.id))).toEqual([]);

    // The organiser decides the club is the category, then imports.
    const uploadId = uploadIdOf(preview);
    const [source] = await db.select().from(sources).where(eq(sources.eventId, event.id));
    const mapping = {
      'map.bib': 'Startnr',
      'map.firstName': 'Vorname',
      'map.lastName': 'Nachname',
      'map.finishTime': 'Zeit',
      'map.category': 'Verein',
    };
    const updated = await (
      await browser.post(`/admin/events/${event.id}/imports/${uploadId}`, {
        ...mapping,
        sourceId: String(source!.id),
        action: 'preview',
      })
    ).text();
    expect(updated).toContain('<td>LG Nord</td>');
    const done = await (
      await browser.post(`/admin/events/${event.id}/imports/${uploadId}`, {
        ...mapping,
        sourceId: String(source!.id),
        action: 'import',
      })
    ).text();
    expect(done).toContain('2 added, 0 updated, 0 unchanged, 0 removed, 0 rows left out');

    const rows = await db.select().from(records).where(eq(records.eventId, event.id));
    expect(rows.map((r) => [r.bib, r.name, r.category, r.status, r.finishTime]).sort()).toEqual([
      ['1', 'Anna Müller', 'LG Nord', 'finished', '2:59:01'],
      ['2', 'Jörg Weiß', 'TV Süd', 'dnf', null],
    ]);
    // The mapping is saved with the source, and the next upload starts from it.
    const [saved] = await db.select().from(sources).where(eq(sources.id, source!.id));
    expect(saved!.mapping).toMatchObject({ category: 'Verein' });
    const next = await (await browser.post(`/admin/events/${event.id}/imports`, { file: csvFile(csv) })).text();
    expect(next).toMatch(/<option value="Verein" selected="">Verein<\/option>/);
  });

  it('refuses a file that is not results, or too large, with a clear page and nothing written', async () => {
    const { browser, event } = await newEvent();
    const html = await browser.post(`/admin/events/${event.id}/imports`, {
      file: csvFile('<html><body>Login</body></html>', 'results.html'),
    });
    expect(html.status).toBe(400);
    expect(await html.text()).toMatch(/HTML/);
    const empty = await browser.post(`/admin/events/${event.id}/imports`, { file: csvFile('') });
    expect(empty.status).toBe(400);
    const huge = await browser.post(`/admin/events/${event.id}/imports`, {
      file: csvFile(`Bib,Name\n${'x'.repeat(20 * 1024 * 1024)}`),
    });
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain('20 MB');
    expect(await db.select().from(records).where(eq(records.eventId, event.id))).toEqual([]);
  });

  it('says so when an upload to confirm is gone', async () => {
    const { browser, event } = await newEvent();
    const res = await browser.post(`/admin/events/${event.id}/imports/AAAAAAAAAAAAAAAAAAAAAA`, { action: 'import' });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Upload the file again');
  });
});

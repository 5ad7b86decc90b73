import { env } from 'cloudflare:test';
import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, records, sources } from '../src/db/schema';
import { recordFields } from '../src/import/mapping';
import { formBody, formValues, postForm, realFiles, resultsFile, selectOf, visibleText } from './admin-forms';
import { apiEvent, type Browser, createOrganiser, db, signIn } from './fixtures';

async function newEvent() {
  const { organiser, email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const [event] = await db
    .insert(events)
    .values({ slug: `map-${crypto.randomUUID().slice(0, 8)}`, name: 'Mapping Run', organiserId: organiser.id })
    .returning();
  return { browser, event: event! };
}

const mappingForm = /\/imports\/[\w-]{22}$/;

/** Uploads a file and answers the mapping screen it leads to. */
async function upload(browser: Browser, eventId: number, file: File) {
  const res = await browser.post(`/admin/events/${eventId}/imports`, { file });
  return { status: res.status, page: await res.text() };
}

/** Presses a button of the mapping screen, with the form as shown and `changes` made to it. */
async function press(
  browser: Browser,
  page: string,
  action: 'preview' | 'import',
  changes: Record<string, string | string[]> = {},
) {
  const values = formValues(page, mappingForm);
  const path = new URL(page.match(/action="([^"]*\/imports\/[\w-]{22})"/)![1]!, 'https://x').pathname;
  const res = await postForm(browser, path, formBody(values, { ...changes, action }));
  return { status: res.status, page: await res.text() };
}

/** Records the import report says were added or updated (UTMB runner numbers may be Berlin bibs too). */
const importedCount = (text: string) => {
  const [, added, updated] = /(\d+) added, (\d+) updated/.exec(text)!;
  return Number(added) + Number(updated);
};

const eventSources = (eventId: number) =>
  db.select().from(sources).where(eq(sources.eventId, eventId)).orderBy(asc(sources.id));

describe('a second file with other headers', () => {
  it('goes to the mapping screen with the columns guessed from its own headers, and imports', async () => {
    const { browser, event } = await newEvent();
    const berlin = await upload(browser, event.id, realFiles.berlin());
    expect(visibleText((await press(browser, berlin.page, 'import')).page)).toContain('724 added');

    // UTMB's export names its columns runnerUri, fullname, time…: none of Berlin's.
    const utmb = await upload(browser, event.id, realFiles.utmb());
    expect(utmb.status).toBe(200);
    const text = visibleText(utmb.page);
    expect(text).toContain('Check the import');
    expect(text).toMatch(/“Startnr” is not in this file.*guessed from this file’s headers/);
    expect(selectOf(utmb.page, 'map-name').selected).toBe('fullname');
    expect(selectOf(utmb.page, 'map-finishTime').selected).toBe('time');
    expect(text).toContain('2727 records will be imported');

    const done = visibleText((await press(browser, utmb.page, 'import')).page);
    expect(done).toContain('Import finished');
    expect(importedCount(done)).toBe(2727);
    const [source] = await eventSources(event.id);
    expect(source!.mapping).toMatchObject({ name: 'fullname', finishTime: 'time' });
  });

  it('can start a source of its own instead of replacing the columns saved with the first', async () => {
    const { browser, event } = await newEvent();
    const berlin = await upload(browser, event.id, realFiles.berlin());
    await press(browser, berlin.page, 'import');
    const [first] = await eventSources(event.id);

    const utmb = await upload(browser, event.id, realFiles.utmb());
    const into = selectOf(utmb.page, 'import-source');
    expect(into.options).toEqual([String(first!.id), 'new']);
    expect(into.selected).toBe(String(first!.id));
    const done = await press(browser, utmb.page, 'import', { sourceId: 'new' });
    expect(importedCount(visibleText(done.page))).toBe(2727);

    const [kept, added] = await eventSources(event.id);
    expect(kept!.mapping).toMatchObject({ bib: 'Startnr', name: 'Name' });
    expect(added).toMatchObject({ kind: 'upload', name: 'utmb2024', mapping: { name: 'fullname' } });
    const [walmsley] = await db
      .select()
      .from(records)
      .where(and(eq(records.eventId, event.id), eq(records.name, 'Jim WALMSLEY')));
    expect(walmsley!.sourceId).toBe(added!.id);
  });

  it('goes through the API by the best guess for its headers when the request names no columns', async () => {
    const { api } = await apiEvent('Two files', 'map');
    const post = (file: ArrayBuffer, query = '') =>
      api(`/imports${query}`, { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: file });
    expect(await (await post(env.RESULTS_BERLIN_100MI_2022)).json()).toMatchObject({ added: 724 });

    const second = await post(env.RESULTS_UTMB_2024);
    expect(second.status).toBe(200);
    const report = await second.json<{ added: number; updated: number }>();
    expect(report).toMatchObject({ mapping: { name: 'fullname', finishTime: 'time' } });
    expect(report.added + report.updated).toBe(2727);

    // Columns the request names are meant: a file without them is refused, saying which.
    const mapping = encodeURIComponent(JSON.stringify({ bib: 'Startnr', name: 'Name' }));
    const refused = await post(env.RESULTS_UTMB_2024, `?mapping=${mapping}`);
    expect(refused.status).toBe(400);
    expect((await refused.json<{ error: string }>()).error).toMatch(/^The mapping names a column "Startnr"/);
  });
});

describe('choosing the columns by hand', () => {
  it('offers every column for every field, Berlin’s “Wettbewerb” guessed as the category and any other choosable', async () => {
    const { browser, event } = await newEvent();
    const berlin = await upload(browser, event.id, realFiles.berlin());
    const columns = selectOf(berlin.page, 'map-bib').options;
    expect(columns).toHaveLength(1 + 93);
    expect(columns).toContain('Wettbewerb');
    for (const field of recordFields) expect(selectOf(berlin.page, `map-${field}`).options).toEqual(columns);
    // The guess is preselected: Berlin's "Kategorie" (m or w) is the gender, the race (1er, 4er) the category.
    expect(selectOf(berlin.page, 'map-gender').selected).toBe('Kategorie');
    expect(selectOf(berlin.page, 'map-category').selected).toBe('Wettbewerb');
    expect(visibleText(berlin.page)).toMatch(/1053 Team X finished 11:08:09 10\+/);

    // Any other column can be chosen instead, and back.
    const club = await press(browser, berlin.page, 'preview', { 'map.category': 'Verein' });
    expect(selectOf(club.page, 'map-category').selected).toBe('Verein');
    expect(visibleText(club.page)).toMatch(/4014 Fischer Edelstahlrohre finished 11:44:14 Fischer Edelstahlrohre/);
    const chosen = await press(browser, club.page, 'preview', { 'map.category': 'Wettbewerb' });
    await press(browser, chosen.page, 'import');
    const [relay] = await db
      .select()
      .from(records)
      .where(and(eq(records.eventId, event.id), eq(records.bib, '4014')));
    expect(relay!.category).toBe('4er');
  });

  it('reaches the mapping screen when no column is recognised as the name, and imports once one is chosen', async () => {
    const { browser, event } = await newEvent();
    const file = resultsFile('Nr;Wer;Zeit\n5;Zoë Ñúñez;1:45:00\n6;Jon Berg;1:52:10\n', 'liste.csv');
    const first = await upload(browser, event.id, file);
    expect(first.status).toBe(200);
    expect(visibleText(first.page)).toMatch(/Found no column for the name .* Choose the columns below/);
    expect(first.page).not.toMatch(/name="action" value="import"/);

    const chosen = await press(browser, first.page, 'preview', { 'map.name': 'Wer' });
    expect(visibleText(chosen.page)).toContain('2 records will be imported');
    expect(visibleText((await press(browser, chosen.page, 'import')).page)).toContain('2 added');
  });
});

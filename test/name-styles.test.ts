import { env } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, records, sources } from '../src/db/schema';
import { prepareImport, styleName } from '../src/import';
import type { RecordInput } from '../src/records/rules';
import { formBody, formValues, postForm, realFiles, visibleText } from './admin-forms';
import { apiEvent, createOrganiser, db, signIn } from './fixtures';

const recordsOf = (plan: { records: { json: string }[] }): RecordInput[] => plan.records.map((r) => JSON.parse(r.json));

describe('name styles', () => {
  it('writes names as people write them, keeping particles, prefixes and apostrophes', () => {
    const capitalised = (name: string) => styleName(name, ['capitalise-surnames']);
    expect(capitalised('BECK Janina')).toBe('Janina Beck');
    expect(capitalised("O'BRIEN Sean")).toBe("Sean O'Brien");
    expect(capitalised('MCDONALD Ian')).toBe('Ian McDonald');
    expect(capitalised('VAN DER BERG Jan')).toBe('Jan van der Berg');
    expect(capitalised('DE LA CRUZ María')).toBe('María de la Cruz');
    expect(capitalised('VON KÄNEL Dominik')).toBe('Dominik von Känel');
    expect(capitalised('BECKER-SICKAU Frank')).toBe('Frank Becker-Sickau');
    expect(capitalised('Vincent BOUILLARD')).toBe('Vincent Bouillard');
    expect(capitalised('José María ÁLVAREZ URUEÑA')).toBe('José María Álvarez Urueña');
    expect(capitalised('ΠΑΠΑΔΟΠΟΥΛΟΣ Γιώργος')).toBe('Γιώργος Παπαδοπουλος');
    // Nothing to tell a surname by: teams with acronyms, names in mixed case, scripts without case.
    expect(capitalised('HBG Runners')).toBe('HBG Runners');
    expect(capitalised('LT Waldblick 1')).toBe('LT Waldblick 1');
    expect(capitalised('ASV Zeuthen Frauen')).toBe('ASV Zeuthen Frauen');
    expect(capitalised('LI Wei')).toBe('Wei Li');
    expect(capitalised('Chin Nam NG')).toBe('Chin Nam Ng');
    expect(capitalised('Anna Müller')).toBe('Anna Müller');
    expect(capitalised('山田 太郎')).toBe('山田 太郎');
    // A note stays at the end unless it is dropped too.
    expect(capitalised('BECK Janina (W45 1976)')).toBe('Janina Beck (W45 1976)');
    expect(styleName('BECK Janina (W45 1976)', ['drop-note', 'capitalise-surnames'])).toBe('Janina Beck');
    expect(styleName('BECK Janina (W45 1976)', ['drop-note'])).toBe('BECK Janina');
    expect(styleName('Kirui, Geoffrey', ['first-last'])).toBe('Geoffrey Kirui');
    expect(styleName('Lin, Tseng, Tien', ['first-last'])).toBe('Lin, Tseng, Tien');
    expect(styleName('Kirui, Geoffrey')).toBe('Kirui, Geoffrey');
  });

  it('turns Boston’s “Last, First” into “First Last”, keeping the name as in the file', async () => {
    const bytes = new Uint8Array(env.RESULTS_BOSTON_2017);
    const guessed = await prepareImport(bytes);
    const plan = await prepareImport(bytes, { mapping: { ...guessed.mapping, nameStyle: ['first-last'] } });
    const kirui = recordsOf(plan).find((r) => r.bib === '11');
    expect(kirui).toMatchObject({ name: 'Geoffrey Kirui', extra: { 'Name as in the file': 'Kirui, Geoffrey' } });
    expect(recordsOf(plan)).toHaveLength(26_410);
    expect(plan.sampleNames[0]).toBe('Kirui, Geoffrey');
  });

  it('is part of the mapping the API takes, applies to every record, and search finds both forms', async () => {
    const { api, event, browser } = await apiEvent('Styled names', 'names');
    const mapping = {
      bib: 'Startnr',
      name: 'Name',
      finishTime: 'Laufzeit',
      rankOverall: 'Platz',
      gender: 'Kategorie',
      nameStyle: ['drop-note', 'capitalise-surnames'],
    };
    const post = (query = '') =>
      api(`/imports${query}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv' },
        body: env.RESULTS_BERLIN_100MI_2022,
      });
    const first = await post(`?mapping=${encodeURIComponent(JSON.stringify(mapping))}`);
    expect(await first.json()).toMatchObject({ added: 724, mapping });
    const beck = await (await api('/records/98')).json();
    expect(beck).toMatchObject({ name: 'Janina Beck', extra: { 'Name as in the file': 'BECK Janina (W45 1976)' } });
    expect(await (await api('/records/1053')).json()).toMatchObject({ name: 'Team X', extra: {} });

    // The style is saved with the source: the next post of the file changes nothing.
    expect(await (await post()).json()).toMatchObject({ added: 0, updated: 0, unchanged: 724 });
    const [source] = await db.select().from(sources).where(eq(sources.eventId, event.id));
    expect(source!.mapping).toMatchObject({ nameStyle: ['drop-note', 'capitalise-surnames'] });

    for (const query of ['janina beck', 'BECK Janina', 'beck w45']) {
      const page = visibleText(await (await browser.get(`/admin/events/${event.id}/records?q=${query}`)).text());
      expect(page, query).toContain('98 Janina Beck');
    }

    const wrong = await api(
      `/imports?mapping=${encodeURIComponent(JSON.stringify({ ...mapping, nameStyle: ['lower'] }))}`,
      {
        method: 'POST',
        body: 'Startnr;Name\n1;A\n',
      },
    );
    expect(wrong.status).toBe(400);
  });

  it('is chosen on the mapping screen, with a preview of the file’s names, and saved for the next file', async () => {
    const { organiser, email, password } = await createOrganiser();
    const browser = await signIn(email, password);
    const [event] = await db
      .insert(events)
      .values({ slug: `names-${crypto.randomUUID().slice(0, 8)}`, name: 'Names Run', organiserId: organiser.id })
      .returning();
    const upload = await (
      await browser.post(`/admin/events/${event!.id}/imports`, { file: realFiles.berlin() })
    ).text();
    const form = /\/imports\/[\w-]{22}$/;
    expect(formValues(upload, form).nameStyle).toBeUndefined();
    // The names a style would change, as in the file and (no style chosen yet) on the certificate.
    const names = (page: string) =>
      [...page.matchAll(/<tr><td>([^<]*)<\/td><td data-styled-name="\d">([^<]*)<\/td><\/tr>/g)].map((m) => [
        m[1],
        m[2],
      ]);
    expect(names(upload)).toHaveLength(5);
    expect(names(upload)).toContainEqual(['MASCHER-ASPENSJÖ Norman (M40 1980)', 'MASCHER-ASPENSJÖ Norman (M40 1980)']);
    expect(names(upload)).toContainEqual(['SCHNEIDER Marc (M40 1980)', 'SCHNEIDER Marc (M40 1980)']);
    const mascher = names(upload).findIndex(([name]) => name!.startsWith('MASCHER'));
    // Every style's names come with the page, for the live preview.
    const previews = JSON.parse(
      upload.match(/<script type="application\/json" id="name-style-previews">([^<]*)</)![1]!,
    );
    expect(previews['drop-note+capitalise-surnames'][mascher]).toBe('Norman Mascher-Aspensjö');
    expect(previews['drop-note'][mascher]).toBe('MASCHER-ASPENSJÖ Norman');
    expect(upload).toMatch(/<script nonce="[^"]+">[^<]*name-style-previews/);

    const path = `/admin/events/${event!.id}/imports/${upload.match(/\/imports\/([\w-]{22})"/)![1]}`;
    const styled = await (
      await postForm(
        browser,
        path,
        formBody(formValues(upload, form), { nameStyle: ['drop-note', 'capitalise-surnames'], action: 'preview' }),
      )
    ).text();
    expect(formValues(styled, form).nameStyle).toEqual(['drop-note', 'capitalise-surnames']);
    expect(names(styled)[mascher]).toEqual(['MASCHER-ASPENSJÖ Norman (M40 1980)', 'Norman Mascher-Aspensjö']);
    expect(visibleText(styled)).toContain(
      'In the file On the certificate MASCHER-ASPENSJÖ Norman (M40 1980) Norman Mascher-Aspensjö',
    );

    const done = await postForm(browser, path, formBody(formValues(styled, form), { action: 'import' }));
    expect(visibleText(await done.text())).toContain('724 added');
    const [beck] = await db
      .select()
      .from(records)
      .where(and(eq(records.eventId, event!.id), eq(records.bib, '98')));
    expect(beck).toMatchObject({ name: 'Janina Beck', extra: { 'Name as in the file': 'BECK Janina (W45 1976)' } });

    const next = await (await browser.post(`/admin/events/${event!.id}/imports`, { file: realFiles.berlin() })).text();
    expect(formValues(next, form).nameStyle).toEqual(['drop-note', 'capitalise-surnames']);
    expect(visibleText(next)).toContain('724 records will be imported');
  });
});

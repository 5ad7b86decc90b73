import { eq } from 'drizzle-orm';
import { SELF } from 'cloudflare:test';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { pageNumbers } from '../src/admin/pagination';
import { createEvent, createOrganiser, db, ORIGIN, runner, signIn } from './fixtures';
import { events, templates } from '../src/db/schema';
import { builtInTemplates } from '../templates';

async function eventWithRecords() {
  const { organiser, email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const slug = `records-${crypto.randomUUID().slice(0, 8)}`;
  const [template] = await db
    .insert(templates)
    .values({ name: 'Classic', layout: builtInTemplates[0]!.layout })
    .returning();
  const [event] = await db
    .insert(events)
    .values({ slug, name: 'Records Run', organiserId: organiser.id, published: true, templateId: template!.id })
    .returning();
  await db.update(templates).set({ eventId: event!.id }).where(eq(templates.id, template!.id));
  for (const [bib, name, finishTime] of [
    ['1', 'Anna Alpha', '1:00:00'],
    ['2', '=HYPERLINK("http://evil.example","click")', '1:10:00'],
    ['3', 'Carla Gamma', ''],
  ]) {
    const res = await browser.post(`/admin/events/${event!.id}/records`, {
      bib: bib!,
      name: name!,
      finishTime: finishTime!,
      status: finishTime ? 'finished' : 'dnf',
    });
    expect(res.status).toBe(303);
  }
  return { browser, event: event! };
}

/** A signed-in organiser's published event of `n` runners, named Runner 1… by bib, imported as a file would be. */
async function eventWithRunners(n: number) {
  const { organiser, email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const { event } = await createEvent(Array.from({ length: n }, (_, i) => runner(String(i + 1), `Runner ${i + 1}`)));
  await db.update(events).set({ organiserId: organiser.id }).where(eq(events.id, event.id));
  return { browser, event };
}

/** The form in `html` whose action contains `contains`: its action, decoded as a browser reads the attribute. */
const formAction = (html: string, contains: string) =>
  [...html.matchAll(/<form[^>]* action="([^"]*)"/g)]
    .map((m) => m[1]!.replaceAll('&amp;', '&'))
    .find((a) => a.includes(contains));
const linkTo = (html: string, contains: string) =>
  [...html.matchAll(/<a[^>]* href="([^"]*)"/g)]
    .map((m) => m[1]!.replaceAll('&amp;', '&'))
    .find((a) => a.includes(contains));

const recordIdOf = async (html: string, name: string) => {
  const row = html.split('<tr>').find((r) => r.includes(name))!;
  return Number(row.match(/records\/(\d+)\/edit/)![1]);
};

describe('records tab', () => {
  it('lists records with search, and pages through large events', async () => {
    const { browser, event } = await eventWithRecords();
    const list = await (await browser.get(`/admin/events/${event.id}/records`)).text();
    expect(list).toContain('3 records');
    expect(list).toContain('Anna Alpha');
    const found = await (await browser.get(`/admin/events/${event.id}/records?q=carla`)).text();
    expect(found).toContain('Carla Gamma');
    expect(found).not.toContain('Anna Alpha');
  });

  it('adds by hand with validation, and refuses a bib that exists', async () => {
    const { browser, event } = await eventWithRecords();
    const bad = await browser.post(`/admin/events/${event.id}/records`, {
      bib: '9',
      name: 'Timey',
      finishTime: '3h27',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('h:mm:ss');
    const taken = await browser.post(`/admin/events/${event.id}/records`, {
      bib: '1',
      name: 'Someone Else',
      status: 'finished',
    });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain('Bib 1 already belongs to Anna Alpha');
  });

  it('edits a record and the public search follows the new name', async () => {
    const { browser, event } = await eventWithRecords();
    const id = await recordIdOf(await (await browser.get(`/admin/events/${event.id}/records`)).text(), 'Anna Alpha');
    const res = await browser.post(`/admin/events/${event.id}/records/${id}/edit`, {
      bib: '1',
      name: 'Anna Omega',
      finishTime: '0:59:59',
      status: 'finished',
    });
    expect(res.status).toBe(303);
    const search = await (await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}/search?q=omega`)).json<{
      results: { name: string; finishTime: string }[];
    }>();
    expect(search.results).toMatchObject([{ name: 'Anna Omega', finishTime: '0:59:59' }]);
  });

  it("sets a record's own language on the form, shows it back, and refuses one that is no tag", async () => {
    const { browser, event } = await eventWithRecords();
    const id = await recordIdOf(await (await browser.get(`/admin/events/${event.id}/records`)).text(), 'Anna Alpha');
    const edit = `/admin/events/${event.id}/records/${id}/edit`;
    const fields = { bib: '1', name: 'Anna Alpha', finishTime: '1:00:00', status: 'finished' };
    const wrong = await browser.post(edit, { ...fields, language: 'Urdu' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('“Urdu” is not a language tag');
    expect((await browser.post(edit, { ...fields, language: 'UR' })).status).toBe(303);
    expect(await (await browser.get(edit)).text()).toMatch(/<input id="language" name="language"[^>]* value="ur"/);
  });

  it('hides a record from the public and shows it again', async () => {
    const { browser, event } = await eventWithRecords();
    const id = await recordIdOf(await (await browser.get(`/admin/events/${event.id}/records`)).text(), 'Carla Gamma');
    await browser.post(`/admin/events/${event.id}/records/${id}/visibility`, { hidden: 'true' });
    const publicSearch = async () =>
      (await (await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}/search?q=carla`)).json<{ results: unknown[] }>())
        .results;
    expect(await publicSearch()).toEqual([]);
    expect(await (await browser.get(`/admin/events/${event.id}/records?q=carla`)).text()).toContain('hidden');
    await browser.post(`/admin/events/${event.id}/records/${id}/visibility`, { hidden: 'false' });
    expect(await publicSearch()).toHaveLength(1);
  });

  it('deletes a record, which is then listed as removed and can be restored', async () => {
    const { browser, event } = await eventWithRecords();
    const id = await recordIdOf(await (await browser.get(`/admin/events/${event.id}/records`)).text(), 'Anna Alpha');
    await browser.post(`/admin/events/${event.id}/records/${id}/delete`);
    const [records, removed] = (await (await browser.get(`/admin/events/${event.id}/records`)).text()).split(
      'id="removed"',
    );
    expect(records).not.toContain('Anna Alpha');
    expect(removed).toContain('Anna Alpha');
    expect(removed).toContain('Restore');
  });

  it('exports CSV that a spreadsheet will not run as formulas', async () => {
    const { browser, event } = await eventWithRecords();
    const res = await browser.get(`/admin/events/${event.id}/records.csv`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain(`${event.slug}-records.csv`);
    const { data } = Papa.parse<Record<string, string>>((await res.text()).replace(/^\uFEFF/, ''), {
      header: true,
      skipEmptyLines: true,
    });
    expect(data).toHaveLength(3);
    const evil = data.find((r) => r.bib === '2')!;
    expect(evil.name).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(data.find((r) => r.bib === '3')).toMatchObject({ status: 'dnf', finishTime: '', hidden: 'no' });
    expect(data[0]!.certificateUrl).toMatch(new RegExp(`/events/${event.slug}/certificates/[\\w-]{22}$`));
  });
});

describe('records tab: finding your place again', () => {
  it('returns to the same page after editing a record, and to the same search after hiding one', async () => {
    const { browser, event } = await eventWithRunners(120);
    const page2 = await (await browser.get(`/admin/events/${event.id}/records?page=2`)).text();
    // Page 2 holds bibs 51–100 (ranked by bib): edit Runner 60 from there.
    const row = page2.slice(page2.indexOf('>Runner 60 '));
    const form = await (await browser.get(linkTo(row, '/edit')!)).text();
    const saved = await browser.post(formAction(form, '/edit')!, {
      bib: '60',
      name: 'Runner Sixty',
      status: 'finished',
    });
    expect(saved.status).toBe(303);
    const back = new URL(saved.headers.get('location')!, ORIGIN);
    expect(back.pathname).toBe(`/admin/events/${event.id}/records`);
    expect(back.searchParams.get('page')).toBe('2');
    expect(back.searchParams.get('notice')).toBe('saved');

    const search = await (await browser.get(`/admin/events/${event.id}/records?q=runner+7`)).text();
    const hidden = await browser.post(formAction(search, '/visibility')!, { hidden: 'true' });
    expect(hidden.status).toBe(303);
    const again = new URL(hidden.headers.get('location')!, ORIGIN);
    expect(again.searchParams.get('q')).toBe('runner 7');
    expect(again.searchParams.get('notice')).toBe('hidden');
    expect(await (await browser.get(again.pathname + again.search)).text()).toContain('Record hidden');
  });

  it('asks before deleting: a page naming the record, whose button removes it and returns to the list', async () => {
    const { browser, event } = await eventWithRunners(60);
    const page2 = await (await browser.get(`/admin/events/${event.id}/records?page=2`)).text();
    const editPage = await (await browser.get(linkTo(page2, '/edit')!)).text();
    // The edit page links to the question; it has no button that deletes at once.
    expect(formAction(editPage, '/delete')).toBeUndefined();
    const ask = await browser.get(linkTo(editPage, '/delete')!);
    expect(ask.status).toBe(200);
    const question = await ask.text();
    expect(question).toContain('Delete Runner 51?');
    expect(linkTo(question, '/edit')).toBeDefined();
    const deleted = await browser.post(formAction(question, '/delete')!);
    expect(deleted.status).toBe(303);
    const back = new URL(deleted.headers.get('location')!, ORIGIN);
    expect(back.searchParams.get('page')).toBe('2');
    expect(back.searchParams.get('notice')).toBe('deleted');
    const [records] = (await (await browser.get(`/admin/events/${event.id}/records?page=2`)).text()).split(
      'id="removed"',
    );
    expect(records).not.toMatch(/>Runner 51\b/);
  });

  it('offers page numbers around the current page, the first and the last', async () => {
    const { browser, event } = await eventWithRunners(551);
    const html = await (await browser.get(`/admin/events/${event.id}/records?page=6`)).text();
    const nav = html.match(/<nav[^>]*aria-label="Pages"[^>]*>(.*?)<\/nav>/s)![1]!;
    const items = [
      ...nav.matchAll(/<a[^>]*href="[^"]*page=(\d+)[^"]*"[^>]*>([^<]+)<\/a>|<span[^>]*>([^<]+)<\/span>/g),
    ].map((m) => (m[3] ?? m[2])!.trim());
    expect(items).toEqual(['← Previous', '1', '…', '4', '5', '6', '7', '8', '…', '12', 'Next →']);
    expect(nav).toMatch(/aria-current="page"[^>]*>6</);
  });

  it('counts in words that agree with the number', async () => {
    const { browser, event } = await eventWithRunners(1);
    const list = await (await browser.get(`/admin/events/${event.id}/records`)).text();
    expect(list).toContain('1 record<');
    const id = await recordIdOf(list, 'Runner 1');
    await browser.post(`/admin/events/${event.id}/records/${id}/visibility`, { hidden: 'true' });
    const publish = await (await browser.get(`/admin/events/${event.id}/publish`)).text();
    expect(publish).toContain('1 hidden record left out');
    expect(publish).not.toMatch(/\b1 (hidden )?records\b/);
    const overview = await (await browser.get(`/admin/events/${event.id}`)).text();
    expect(overview).not.toMatch(/\b1 records\b/);
    expect(overview).toContain('1 record:');
    expect(await (await browser.get(`/admin/events/${event.id}/records?q=runner`)).text()).toContain(
      '1 record matching',
    );
  });
});

describe('page numbers', () => {
  it('keeps the first, the last and two either side of the current page, with gaps marked', () => {
    expect(pageNumbers(6, 529)).toEqual([1, '…', 4, 5, 6, 7, 8, '…', 529]);
    expect(pageNumbers(1, 529)).toEqual([1, 2, 3, '…', 529]);
    expect(pageNumbers(529, 529)).toEqual([1, '…', 527, 528, 529]);
    // A gap of one page shows that page rather than an ellipsis.
    expect(pageNumbers(4, 529)).toEqual([1, 2, 3, 4, 5, 6, '…', 529]);
    expect(pageNumbers(2, 3)).toEqual([1, 2, 3]);
    expect(pageNumbers(1, 1)).toEqual([1]);
  });
});

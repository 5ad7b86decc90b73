import { eq } from 'drizzle-orm';
import { SELF } from 'cloudflare:test';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { createOrganiser, db, ORIGIN, signIn } from './fixtures';
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

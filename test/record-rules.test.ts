import { env, SELF } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { records, sources } from '../src/db/schema';
import { prepareImport } from '../src/import';
import { recordLimits, recordSchema } from '../src/records/rules';
import { apiEvent as organiserApiEvent, db, ORIGIN, type Browser } from './fixtures';

/** An organiser with an API token and an event made through the API, as a timing system would. */
const apiEvent = (name: string) => organiserApiEvent(name, 'rules');

const call = (token: string, path: string, init: RequestInit = {}) =>
  SELF.fetch(ORIGIN + path, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
  });

const put = (path: string, body: string) => fetch(`${env.TIMING_SYSTEM_URL}${path}`, { method: 'PUT', body });

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const attrs = (tag: string) =>
  Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, decode(m[2]!)]));

/** The fields of the page's form posting to `action`, as a browser would send them unchanged. */
function formFields(page: string, action: string): Record<string, string> {
  const start = page.indexOf(`action="${action}"`);
  expect(start).toBeGreaterThan(-1);
  const form = page.slice(start, page.indexOf('</form>', start));
  const fields: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const a = attrs(tag);
    if (a.name) fields[a.name] = a.value ?? '';
  }
  for (const [, open, options] of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const selected = [...options!.matchAll(/<option\b[^>]*>/g)].map(([t]) => attrs(t)).find((o) => 'selected' in o);
    fields[attrs(open!).name!] = selected?.value ?? '';
  }
  return fields;
}

async function submit(browser: Browser, action: string, fields: Record<string, string>) {
  const body = new URLSearchParams(fields);
  return SELF.fetch(ORIGIN + action, {
    method: 'POST',
    headers: { Cookie: browser.cookie, Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
    redirect: 'manual',
  });
}

describe('which source an import lands in', () => {
  it('imports a file through the API without ?mapping= when the event’s first source is a URL source with another file’s mapping', async () => {
    const { browser, token, event } = await apiEvent('Stadtlauf');
    // The timing system's live file has German headers; syncing it saves that mapping on the URL source.
    const file = `/files/${crypto.randomUUID()}.csv`;
    await put(file, 'Startnr;Name;Zeit\n7;Jana Nováková;1:45:00\n8;Petr Novák;1:52:10\n');
    expect(
      (
        await browser.post(`/admin/events/${event.id}/sources`, {
          kind: 'url',
          name: 'Live results',
          url: env.TIMING_SYSTEM_URL + file,
        })
      ).status,
    ).toBe(303);
    const [live] = await db.select().from(sources).where(eq(sources.eventId, event.id));
    const synced = await browser.post(`/admin/events/${event.id}/sources/${live!.id}/sync`);
    expect(await synced.text()).toContain('2 added');

    // Late entries, pushed by the API from another export with English headers.
    const res = await call(token, `/api/v1/events/${event.slug}/imports`, {
      method: 'POST',
      body: 'Bib,Name,Time\n21,Ana Gómez,2:31:07\n22,Ben Okafor,2:40:00\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ added: 2 });
    expect(await (await call(token, `/api/v1/events/${event.slug}/records/21`)).json()).toMatchObject({
      name: 'Ana Gómez',
      finishTime: '2:31:07',
    });

    // And the live source still syncs afterwards: the API import did not take over its mapping.
    await put(file, 'Startnr;Name;Zeit\n7;Jana Nováková;1:44:59\n8;Petr Novák;1:52:10\n');
    const again = await browser.post(`/admin/events/${event.id}/sources/${live!.id}/sync`);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('1 updated');
    expect(await db.select().from(records).where(eq(records.eventId, event.id))).toHaveLength(4);
  });
});

describe('a record with a long imported category', () => {
  // Imports allow categories up to 100 characters; the record form allows 60.
  const category = 'Masters Women 45–49, Regional Championship Division, Club Relay Team Section'.padEnd(80, '.');

  async function eventWithLongCategory() {
    const { browser, token, event } = await apiEvent('Relay Cup');
    expect(category.length).toBe(80);
    const imported = await call(token, `/api/v1/events/${event.slug}/imports`, {
      method: 'POST',
      body: `Bib,Name,Time,Category\n31,Chiara Neri,3:01:02,"${category}"\n`,
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(await imported.json()).toMatchObject({ added: 1, rejected: [] });
    const [record] = await db
      .select()
      .from(records)
      .where(and(eq(records.eventId, event.id), eq(records.bib, '31')));
    expect(record!.category).toBe(category);
    return { browser, token, event, record: record! };
  }

  it('can still be renamed through the API when only the name is sent', async () => {
    const { token, event } = await eventWithLongCategory();
    const res = await call(token, `/api/v1/events/${event.slug}/records/31`, {
      method: 'PATCH',
      body: JSON.stringify({ name: 'Chiara Neri-Rossi' }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ bib: '31', name: 'Chiara Neri-Rossi', category });
    expect(await (await call(token, `/api/v1/events/${event.slug}/records/31`)).json()).toMatchObject({
      name: 'Chiara Neri-Rossi',
      category,
    });
  });

  it('can still be renamed through the admin edit form, submitted as the page shows it', async () => {
    const { browser, event, record } = await eventWithLongCategory();
    const action = `/admin/events/${event.id}/records/${record.id}/edit`;
    const page = await (await browser.get(action)).text();
    const fields = formFields(page, action);
    expect(fields).toMatchObject({
      bib: '31',
      name: 'Chiara Neri',
      status: 'finished',
      finishTime: '3:01:02',
      category,
    });
    const res = await submit(browser, action, { ...fields, name: 'Chiara Neri-Rossi' });
    expect(res.status, decode((await res.clone().text()).match(/class="error"[^>]*>([^<]*)/)?.[1] ?? '')).toBe(303);
    const [after] = await db.select().from(records).where(eq(records.id, record.id));
    expect(after).toMatchObject({ name: 'Chiara Neri-Rossi', category, finishTime: '3:01:02' });
  });
});

describe('one record rule for every door', () => {
  // What the importer writes must pass the rule the Records tab and the API check edits against,
  // or an imported record could not be edited: the bug above, for every field at once.
  it.each([
    ['boston2017.csv', env.RESULTS_BOSTON_2017],
    ['utmb2024.csv', env.RESULTS_UTMB_2024],
    ['berlin100mi_2022.csv', env.RESULTS_BERLIN_100MI_2022],
  ])('every record imported from %s passes the record rule', async (_, file) => {
    const plan = await prepareImport(new Uint8Array(file));
    expect(plan.records.length).toBeGreaterThan(100);
    const refused = plan.records
      .map((r) => ({ bib: r.bib, result: recordSchema.safeParse(JSON.parse(r.json)) }))
      .filter(({ result }) => !result.success);
    expect(refused.slice(0, 3).map(({ bib, result }) => `${bib}: ${result.error?.issues[0]?.message}`)).toEqual([]);
  });

  it('holds a category as long as the importer allows, and refuses a longer one with its limit', () => {
    const record = {
      bib: '1',
      name: 'Ann Long',
      category: 'C'.repeat(recordLimits.category),
      gender: null,
      age: null,
      finishTime: null,
      rankOverall: null,
      rankGender: null,
      rankCategory: null,
      status: 'dnf',
    };
    expect(recordSchema.parse(record).category).toHaveLength(recordLimits.category);
    const tooLong = recordSchema.safeParse({ ...record, category: 'C'.repeat(recordLimits.category + 1) });
    expect(tooLong.error?.issues[0]?.message).toBe(`The category may be at most ${recordLimits.category} characters.`);
  });
});

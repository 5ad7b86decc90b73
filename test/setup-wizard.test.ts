import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { records, sources } from '../src/db/schema';
import { createOrganiser, db, signIn } from './fixtures';

const timing = env.TIMING_SYSTEM_URL;
const put = (path: string, body: string) => fetch(`${timing}${path}`, { method: 'PUT', body });

/** An organiser's new event, walked through the wizard up to "Add records" with a URL source. */
async function eventAtRecordsStep(file: string | undefined) {
  const { email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const created = await browser.post('/admin/events', {
    name: 'Fjord Relay',
    slug: `fjord-${crypto.randomUUID().slice(0, 8)}`,
  });
  const id = Number(created.headers.get('location')!.match(/\/admin\/events\/(\d+)\/setup/)![1]);
  const path = `/files/${crypto.randomUUID()}.csv`;
  if (file !== undefined) await put(path, file);
  await browser.post(`/admin/events/${id}/sources?next=setup`, {
    kind: 'url',
    name: 'Live results',
    url: timing + path,
  });
  await browser.post(`/admin/events/${id}/templates?next=setup`, { builtIn: 'classic-finisher' });
  const [source] = await db.select().from(sources).where(eq(sources.eventId, id));
  const setup = async () => (await browser.get(`/admin/events/${id}/setup`)).text();
  return { browser, id, source: source!, setup };
}

describe('the setup wizard with a URL source', () => {
  it('pulls the records on "Sync now" at the records step and shows what the import did', async () => {
    const { browser, id, source, setup } = await eventAtRecordsStep(
      'Bib,Name,Time\n7,Jana Nováková,1:45:00\n8,Petr Novák,DNF\n,No Bib,2:00:00\n',
    );
    const step = await setup();
    expect(step).toContain('<strong>Add records</strong>');
    expect(step).toContain('Live results');
    expect(step).toContain(timing);
    const sync = `/admin/events/${id}/sources/${source.id}/sync?next=setup`;
    expect(step).toContain(`action="${sync}"`);
    expect(step).toContain('Sync now');
    // An upload stays possible.
    expect(step).toContain('Import a results file');

    const report = await browser.post(sync);
    expect(report.status).toBe(200);
    const html = await report.text();
    expect(html).toContain('2 added, 0 updated, 0 unchanged, 0 removed, 1 row left out');
    expect(html).toContain('Line 4:');
    expect(html).toContain(`href="/admin/events/${id}/setup"`);
    expect((await db.select().from(records).where(eq(records.eventId, id))).map((r) => r.bib).sort()).toEqual([
      '7',
      '8',
    ]);
    expect(await setup()).toContain('Setup is complete');
  });

  it('comes back to the records step with the reason when the pull fails, writing nothing', async () => {
    const { browser, id, source, setup } = await eventAtRecordsStep(undefined);
    const res = await browser.post(`/admin/events/${id}/sources/${source.id}/sync?next=setup`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/events/${id}/setup`);
    const step = await setup();
    expect(step).toContain('<strong>Add records</strong>');
    expect(step).toMatch(/role="alert"[^>]*>[^<]*answered 404/);
    expect(await db.select().from(records).where(eq(records.eventId, id))).toEqual([]);
  });
});

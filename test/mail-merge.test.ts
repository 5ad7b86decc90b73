import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { records } from '../src/db/schema';
import { setRecordHidden } from '../src/records/queries';
import { apiEvent, createOrganiser, db, ORIGIN, signIn, type Browser, publishWithBuiltInTemplate } from './fixtures';

const PUBLIC_URL = 'http://localhost:8787';

const recordsOf = (eventId: number) => db.select().from(records).where(eq(records.eventId, eventId));

/** The mail merge as the organiser downloads it, and its rows as a mailing tool reads them. */
async function mailMerge(browser: Browser, eventId: number) {
  const res = await browser.get(`/admin/events/${eventId}/mail-merge.csv`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const bytes = new Uint8Array(await res.arrayBuffer());
  // Spreadsheets read it as UTF-8 for the byte-order mark.
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = Papa.parse<string[]>(new TextDecoder().decode(bytes), { skipEmptyLines: true }).data;
  return { res, header: rows[0]!, rows: rows.slice(1) };
}

describe('the mail merge', () => {
  it('lists name, email, bib and certificate link of every visible runner, formula-safe', async () => {
    const { api, browser, event } = await apiEvent('Harbour 10K', 'mail');
    const csv = [
      'Bib,Name,E-mail,Club,Time',
      '1,Ana Gómez,ana@example.com,LG Nord,0:38:07',
      '2,"=HYPERLINK(""http://evil.example"",""Claim prize"")",ben@example.com,TV Süd,0:39:00',
      '3,Hidden Runner,hidden@example.com,LG Nord,0:40:00',
      '4,Cleo Tan,"=cmd|\' /C calc\'!A0",,0:41:00',
      '5,Dev Patel,,,0:42:00',
    ].join('\n');
    const imported = await api('/imports', { method: 'POST', body: csv, headers: { 'Content-Type': 'text/csv' } });
    expect(imported.status).toBe(200);
    const saved = await recordsOf(event.id);
    const byBib = (bib: string) => saved.find((r) => r.bib === bib)!;
    await setRecordHidden(db, byBib('3').id, true);
    await publishWithBuiltInTemplate(event.id);

    const { res, header, rows } = await mailMerge(browser, event.id);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${event.slug}-mail-merge.csv"`);
    expect(header).toEqual(['name', 'email', 'bib', 'certificateUrl']);
    const link = (bib: string) => `${PUBLIC_URL}/events/${event.slug}/certificates/${byBib(bib).certificateId}`;
    expect(rows).toEqual([
      ['Ana Gómez', 'ana@example.com', '1', link('1')],
      // A spreadsheet shows these as text rather than running them.
      [`'=HYPERLINK("http://evil.example","Claim prize")`, 'ben@example.com', '2', link('2')],
      ['Cleo Tan', `'=cmd|' /C calc'!A0`, '4', link('4')],
      ['Dev Patel', '', '5', link('5')],
    ]);
    expect(rows.flat().join()).not.toContain('Hidden Runner');
    expect(rows.flat().join()).not.toContain('hidden@example.com');

    // Each link opens that runner's certificate page.
    const page = await SELF.fetch(rows[0]![3]!.replace(PUBLIC_URL, ORIGIN));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Ana Gómez');
  });

  it('has no email column when the results have none: 26,410 runners of the Boston Marathon', async () => {
    const { api, browser, event } = await apiEvent('Boston Marathon 2017', 'mail-boston');
    const posted = await api('/imports', {
      method: 'POST',
      body: new Uint8Array(env.RESULTS_BOSTON_2017),
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(posted.status).toBe(200);
    const saved = await recordsOf(event.id);
    expect(saved.length).toBe(26_410);
    const hidden = saved[100]!;
    await setRecordHidden(db, hidden.id, true);

    const started = performance.now();
    const { header, rows } = await mailMerge(browser, event.id);
    console.log(`mail merge of ${rows.length} Boston runners: ${Math.round(performance.now() - started)} ms`);
    expect(header).toEqual(['name', 'bib', 'certificateUrl']);
    expect(rows.length).toBe(26_409);
    expect(rows.some(([, bib]) => bib === hidden.bib)).toBe(false);
    const winner = saved.find((r) => r.bib === '11')!;
    expect(rows[0]).toEqual([
      winner.name,
      '11',
      `${PUBLIC_URL}/events/${event.slug}/certificates/${winner.certificateId}`,
    ]);
  });

  it("is the event's organiser's alone, and linked from the Publish tab", async () => {
    const { browser, event } = await apiEvent('Private Run', 'mail-own');
    const publishTab = await (await browser.get(`/admin/events/${event.id}/publish`)).text();
    expect(publishTab).toContain(`href="/admin/events/${event.id}/mail-merge.csv"`);
    const anonymous = await SELF.fetch(`${ORIGIN}/admin/events/${event.id}/mail-merge.csv`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    const other = await createOrganiser();
    const stranger = await signIn(other.email, other.password);
    expect((await stranger.get(`/admin/events/${event.id}/mail-merge.csv`)).status).toBe(404);
  });
});

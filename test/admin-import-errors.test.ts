import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, sources } from '../src/db/schema';
import { resultsFile, visibleText } from './admin-forms';
import { apiEvent, createOrganiser, db, signIn } from './fixtures';

async function newEvent() {
  const { organiser, email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const [event] = await db
    .insert(events)
    .values({ slug: `err-${crypto.randomUUID().slice(0, 8)}`, name: 'Error Run', organiserId: organiser.id })
    .returning();
  return { browser, event: event! };
}

/** The event's tab bar, as the organiser sees it on the page. */
const tabsOf = (html: string) => {
  const nav = /<nav class="tabs" aria-label="Event">([\s\S]*?)<\/nav>/.exec(html);
  return nav ? [...nav[1]!.matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map((m) => m[1]) : [];
};
const linksOf = (html: string) =>
  [...html.matchAll(/<a [^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((m) => [m[2], m[1]]);

/** A real file with a quote opened at the start of one line's name and never closed. */
function withUnclosedQuote(file: ArrayBuffer, line: number, delimiter: string) {
  const lines = new TextDecoder().decode(file).split('\n');
  const cells = lines[line - 1]!.split(delimiter);
  const name = delimiter === ';' ? 2 : 1;
  cells[name] = `"${cells[name]}`;
  lines[line - 1] = cells.join(delimiter);
  return lines.join('\n');
}

describe('errors stay in the admin', () => {
  it('shows a file that cannot be imported inside the admin, with the event’s tabs, the upload form and a way back', async () => {
    const { browser, event } = await newEvent();
    const res = await browser.post(`/admin/events/${event.id}/imports`, {
      file: resultsFile('<!doctype html><html><body>Login</body></html>', 'results.csv'),
    });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(visibleText(page)).toContain('This is a web page (HTML), not a CSV file.');
    expect(tabsOf(page)).toEqual(['Overview', 'Setup']);
    expect(page).toContain('aria-label="Results file"');
    expect(linksOf(page)).toContainEqual(['Back to Setup', `/admin/events/${event.id}/setup`]);
    expect(visibleText(page)).not.toContain('See all events');

    const gone = await browser.post(`/admin/events/${event.id}/imports/AAAAAAAAAAAAAAAAAAAAAA`, { action: 'import' });
    expect(gone.status).toBe(404);
    const gonePage = await gone.text();
    expect(visibleText(gonePage)).toContain('That upload is no longer here. Upload the file again.');
    expect(tabsOf(gonePage)).toEqual(['Overview', 'Setup']);
  });

  it('shows a failed sync inside the admin, with the event’s tabs and a way back to the Certificate tab', async () => {
    const { event, browser } = await apiEvent('Sync Errors', 'sync-err');
    await browser.post(`/admin/events/${event.id}/sources`, {
      kind: 'url',
      name: 'Live results',
      url: `${env.TIMING_SYSTEM_URL}/files/${crypto.randomUUID()}.csv`,
    });
    const [source] = await db.select().from(sources).where(eq(sources.eventId, event.id));
    const res = await browser.post(`/admin/events/${event.id}/sources/${source!.id}/sync`);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(visibleText(page)).toMatch(/answered 404\. Check the address\./);
    expect(tabsOf(page)).toEqual(['Overview', 'Setup']);
    expect(linksOf(page)).toContainEqual(['Back to Setup', `/admin/events/${event.id}/setup`]);
    expect(visibleText(page)).not.toContain('See all events');
  });
});

describe('an unclosed quote', () => {
  it('says how many participants it swallowed, on the mapping screen and in the report', async () => {
    const { browser, event } = await newEvent();
    // UTMB quotes its "Hong Kong, Chine" values: a quote opened by mistake on line 2274 runs to the
    // next one, on line 2293, and takes the 19 rows after it with it.
    const file = withUnclosedQuote(env.RESULTS_UTMB_2024, 2274, ',');
    const preview = visibleText(
      await (await browser.post(`/admin/events/${event.id}/imports`, { file: resultsFile(file, 'utmb.csv') })).text(),
    );
    expect(preview).toContain('An unclosed quote on line 2274 swallowed the 19 rows after it: they are not imported.');
    const [, kept, left] = /(\d+) records will be imported into .*?, (\d+) rows left out/.exec(preview)!;
    expect(Number(kept) + Number(left)).toBe(2761);
    expect(preview).toMatch(
      /Line 2274: an unclosed quote \("\) on this line swallowed the 19 rows after it, up to line 2293/,
    );
  });

  it('in a large file is said the same way, not refused as a huge value', async () => {
    const { api } = await apiEvent('Quote Run', 'quote');
    // Berlin has 724 rows; from line 400 on, no quote closes the one opened there.
    const file = withUnclosedQuote(env.RESULTS_BERLIN_100MI_2022, 400, ';');
    const res = await api('/imports', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: file });
    expect(res.status).toBe(200);
    const report = await res.json<{ added: number; rejected: { line: number; reason: string; rows?: number }[] }>();
    expect(report.added).toBe(398);
    expect(report.rejected).toEqual([
      {
        line: 400,
        reason: expect.stringMatching(
          /^an unclosed quote \("\) on this line swallowed the 325 rows after it, up to line 725/,
        ),
        rows: 326,
      },
    ]);
  });
});

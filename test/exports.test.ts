import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { certificateExports, events, exportFiles, templates, type Event } from '../src/db/schema';
import { PRINT_PAGE_LIMIT, startExport } from '../src/publish/exports';
import type { RecordInput } from '../src/records/rules';
import { builtInTemplates } from '../templates';
import { createEvent, createOrganiser, db, ORIGIN, runner, saveRunners, signIn, type Browser } from './fixtures';

/** An organiser's event with these records, published through the Publish tab and prepared by the queue. */
async function publishedEvent(rows: RecordInput[]) {
  const { organiser, email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const [template] = await db
    .insert(templates)
    .values({ name: 'Classic', layout: builtInTemplates[0]!.layout })
    .returning();
  const slug = `exports-${crypto.randomUUID().slice(0, 8)}`;
  const [event] = await db
    .insert(events)
    .values({ slug, name: 'Harbour Run', organiserId: organiser.id, templateId: template!.id })
    .returning();
  await db.update(templates).set({ eventId: event!.id }).where(eq(templates.id, template!.id));
  await saveRunners(event!.id, rows);
  expect((await browser.post(`/admin/events/${event!.id}/publish`)).status).toBe(303);
  await until(async () => {
    const progress = await (await browser.get(`/admin/events/${event!.id}/publish/progress`)).json<{
      run: { finished: boolean };
    }>();
    return progress.run.finished;
  }, 'publish');
  const [published] = await db.select().from(events).where(eq(events.id, event!.id));
  return { browser, event: published! };
}

async function until(done: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 90_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what} did not finish`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits for the event's export to be written, and returns the Downloads page then. */
async function downloadsWhenReady(browser: Browser, event: Event, exportId?: number) {
  await until(async () => {
    const rows = await db.select().from(certificateExports).where(eq(certificateExports.eventId, event.id));
    const mine = rows.filter((r) => exportId === undefined || r.id === exportId);
    return mine.length > 0 && mine.every((r) => r.state !== 'running');
  }, 'export');
  return (await browser.get(`/admin/events/${event.id}/publish/downloads`)).text();
}

/** Every download link on the Downloads page, fetched as the organiser. */
async function downloads(browser: Browser, page: string) {
  const links = [...page.matchAll(/<a href="([^"]+\/publish\/downloads\/\d+\/\d+)" download/g)].map((m) => m[1]!);
  return Promise.all(
    links.map(async (link) => {
      const res = await browser.get(link);
      expect(res.status).toBe(200);
      return { link, res, bytes: new Uint8Array(await res.arrayBuffer()) };
    }),
  );
}

const numbered = (n: number, extra: (i: number) => Partial<RecordInput> = () => ({})) =>
  Array.from({ length: n }, (_, i) => runner(String(i + 1), `Runner Number${i + 1}`, extra(i + 1)));

describe('downloads of every certificate', () => {
  it('writes a ZIP of one PNG per visible record, named by bib and name, with no hidden one', async () => {
    const { browser, event } = await publishedEvent([
      ...numbered(4),
      runner('7', 'Zoë Müller'),
      runner('999', 'Hidden Person', { hidden: true }),
    ]);
    const publishTab = await (await browser.get(`/admin/events/${event.id}/publish`)).text();
    expect(publishTab).toContain(`href="/admin/events/${event.id}/publish/downloads"`);

    expect((await browser.post(`/admin/events/${event.id}/publish/downloads`, { kind: 'png' })).status).toBe(303);
    const page = await downloadsWhenReady(browser, event);
    expect(page).toContain('5 certificates, ready.');
    const [zip, ...more] = await downloads(browser, page);
    expect(more).toHaveLength(0);
    expect(zip!.res.headers.get('content-disposition')).toBe(`attachment; filename="${event.slug}-png-1-of-1.zip"`);
    expect(zip!.res.headers.get('content-type')).toBe('application/zip');

    const files = unzipSync(zip!.bytes);
    expect(Object.keys(files).sort()).toEqual([
      '1-Runner Number1.png',
      '2-Runner Number2.png',
      '3-Runner Number3.png',
      '4-Runner Number4.png',
      '7-Zoë Müller.png',
    ]);
    // The very PNG a participant downloads from the certificate page.
    const { results } = await (await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}/search?q=7`)).json<{
      results: { imageUrl: string }[];
    }>();
    const served = new Uint8Array(await (await SELF.fetch(results[0]!.imageUrl)).arrayBuffer());
    expect(files['7-Zoë Müller.png']).toEqual(served);
  });

  it('splits a large export into ZIPs of a fixed number of certificates, each written over several messages', async () => {
    const { browser, event } = await publishedEvent([...numbered(7), runner('50', 'Hidden Person', { hidden: true })]);
    const start = await startExport(db, env.EXPORT_QUEUE, event, { kind: 'pdf' }, { slice: 2, file: 3 });
    if (!('started' in start)) throw new Error(start.refused);
    const page = await downloadsWhenReady(browser, event, start.started.id);
    expect(page).toContain('7 certificates, ready.');

    const zips = await downloads(browser, page);
    expect(zips.map((z) => z.res.headers.get('content-disposition'))).toEqual(
      [1, 2, 3].map((n) => `attachment; filename="${event.slug}-pdf-${n}-of-3.zip"`),
    );
    const names = zips.map((z) => Object.keys(unzipSync(z.bytes)));
    expect(names).toEqual([
      ['1-Runner Number1.pdf', '2-Runner Number2.pdf', '3-Runner Number3.pdf'],
      ['4-Runner Number4.pdf', '5-Runner Number5.pdf', '6-Runner Number6.pdf'],
      ['7-Runner Number7.pdf'],
    ]);
    for (const zip of zips) {
      for (const pdf of Object.values(unzipSync(zip.bytes))) {
        expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);
      }
    }
    // Nothing the messages carried between them is left in R2.
    const leftovers = await env.FILES.list({ prefix: `exports/${start.started.id}/` });
    expect(leftovers.objects.map((o) => o.key).filter((k) => !k.endsWith('.zip'))).toEqual([]);
  });

  it('uploads a ZIP larger than an R2 part in whole parts, carrying the rest from message to message', async () => {
    // About 85 KB a certificate: 70 pass the 5 MiB of a part. Not published through the tab: the
    // export renders what R2 does not have yet.
    const { event } = await createEvent(numbered(70));
    const start = await startExport(db, env.EXPORT_QUEUE, event, { kind: 'png' }, { slice: 25, file: 2_000 });
    if (!('started' in start)) throw new Error(start.refused);
    await until(async () => {
      const [row] = await db.select().from(certificateExports).where(eq(certificateExports.id, start.started.id));
      return row!.state !== 'running';
    }, 'export');
    const [file] = await db.select().from(exportFiles).where(eq(exportFiles.exportId, start.started.id));
    expect(file).toMatchObject({ finished: true, done: 70, total: 70 });
    expect(file!.parts.length).toBeGreaterThanOrEqual(2);
    const zip = new Uint8Array(await (await env.FILES.get(file!.key))!.arrayBuffer());
    expect(zip.length).toBeGreaterThan(5 * 1024 * 1024);
    const files = unzipSync(zip);
    expect(Object.keys(files)).toHaveLength(70);
    expect(Object.keys(files)[69]).toBe('70-Runner Number70.png');
    expect([...files['70-Runner Number70.png']!.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  }, 180_000);

  it('prints a bib range as one PDF, a certificate a page', async () => {
    const { browser, event } = await publishedEvent([
      ...numbered(6, (bib) => ({ hidden: bib === 3 })),
      runner('4B', 'Not A Number'),
    ]);
    expect(
      (await browser.post(`/admin/events/${event.id}/publish/downloads`, { kind: 'print', bibFrom: '2', bibTo: '5' }))
        .status,
    ).toBe(303);
    const page = await downloadsWhenReady(browser, event);
    expect(page).toContain('bibs from 2, bibs to 5');
    const [print] = await downloads(browser, page);
    expect(print!.res.headers.get('content-disposition')).toBe(`attachment; filename="${event.slug}-print.pdf"`);
    const document = await PDFDocument.load(print!.bytes);
    expect(document.getPageCount()).toBe(3);
    expect(document.getTitle()).toBe('Harbour Run: certificates');
  });

  it('refuses a selection that is wrong or empty, with a message', async () => {
    const { browser, event } = await publishedEvent(numbered(2, () => ({ category: 'M35' })));
    const form = (fields: Record<string, string>) =>
      browser.post(`/admin/events/${event.id}/publish/downloads`, fields);
    const refusals = [
      [{ kind: 'zip' }, 'Choose ZIP of PNG, ZIP of PDF or print PDF.'],
      [{ kind: 'png', bibFrom: 'ten' }, 'A bib in a range is a whole number.'],
      [{ kind: 'png', bibFrom: '1.5' }, 'A bib in a range is a whole number.'],
      [{ kind: 'print', bibFrom: '5', bibTo: '2' }, 'The first bib of the range comes before the last.'],
      [{ kind: 'print', category: 'W40' }, 'No visible record matches that category and bib range.'],
      [{ kind: 'png', bibFrom: '100' }, 'No visible record matches that category and bib range.'],
    ] as const;
    for (const [fields, message] of refusals) {
      const res = await form(fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(await res.text()).toContain(message);
    }
    const rows = await db.select().from(certificateExports).where(eq(certificateExports.eventId, event.id));
    expect(rows).toEqual([]);

    // A category that matches is fine.
    expect((await form({ kind: 'print', category: 'M35' })).status).toBe(303);
    await downloadsWhenReady(browser, event);
  });

  it('refuses a print of more pages than one PDF may hold', async () => {
    const { event } = await createEvent(numbered(PRINT_PAGE_LIMIT + 1));
    expect(await startExport(db, env.EXPORT_QUEUE, event, { kind: 'print' })).toEqual({
      refused: `That is ${PRINT_PAGE_LIMIT + 1} certificates; a print PDF holds at most ${PRINT_PAGE_LIMIT} pages. Choose a category or a narrower bib range.`,
    });
  });

  it('shows downloads to the event owner only', async () => {
    const { browser, event } = await publishedEvent(numbered(1));
    await browser.post(`/admin/events/${event.id}/publish/downloads`, { kind: 'png' });
    const page = await downloadsWhenReady(browser, event);
    const [zip] = await downloads(browser, page);

    const other = await createOrganiser();
    const stranger = await signIn(other.email, other.password);
    expect((await stranger.get(zip!.link)).status).toBe(404);
    expect((await stranger.get(`/admin/events/${event.id}/publish/downloads`)).status).toBe(404);
    expect((await stranger.post(`/admin/events/${event.id}/publish/downloads`, { kind: 'png' })).status).toBe(404);
    expect((await browser.get(`${zip!.link.replace(/\/\d+$/, '/9')}`)).status).toBe(404);
  });

  it('will not export an unpublished event', async () => {
    const { browser, event } = await publishedEvent(numbered(1));
    await browser.post(`/admin/events/${event.id}/unpublish`);
    const res = await browser.post(`/admin/events/${event.id}/publish/downloads`, { kind: 'png' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Publish the event first');
  });
});

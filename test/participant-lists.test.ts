import { env, SELF } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '../templates';
import { certificateFieldsWithVerify } from '../src/certificates/public';
import { events, records, sources } from '../src/db/schema';
import { prepareImport } from '../src/import';
import { designFor } from '../src/render/adapt';
import { certificateTexts } from '../src/render/certificate';
import { variantNames } from '../src/render/variants';
import { updateRecord } from '../src/records/queries';
import { confirmHeldRemovals } from '../src/records/removal';
import { recordInputOf } from '../src/records/rules';
import { importFile } from '../src/sources/import-file';
import {
  apiEvent,
  certificateFieldsFor,
  createEvent,
  createOrganiser,
  db,
  ORIGIN,
  pngSize,
  signIn,
  publishWithBuiltInTemplate,
} from './fixtures';

// Lists of participants without bibs: a fun run, a school race, a sign-up sheet.
const NAMES = 'Name\nAnna Müller\nJosé García\n';
const CLUB_LIST = 'Name,Club,Email\nAnna Müller,LG Nord,anna@example.com\nJosé García,CD Sur,jose@example.com\n';
const TWO_ANNAS =
  'Name,Club,Email\nAnna Müller,LG Nord,anna.nord@example.com\nAnna Müller,TV Süd,anna.sued@example.com\n';

const utf8 = (text: string) => new TextEncoder().encode(text);
const csvFile = (text: string) => new File([text], 'participants.csv', { type: 'text/csv' });
const uploadIdOf = (html: string) => html.match(/\/imports\/([\w-]{22})"/)![1]!;

/** Every text the built-in templates draw for these fields, in every variant. */
const drawnTexts = (fields: Parameters<typeof certificateTexts>[1]) =>
  builtInTemplates.flatMap((t) =>
    variantNames.flatMap((variant) => certificateTexts(designFor(t.layout, variant), fields).map((x) => x.text)),
  );

const search = async (slug: string, q: string) => {
  const res = await SELF.fetch(`${ORIGIN}/api/v1/events/${slug}/search?q=${encodeURIComponent(q)}`);
  return (await res.json<{ results: { bib: string | null; name: string; imageUrl: string }[] }>()).results;
};

const recordsOf = (eventId: number) => db.select().from(records).where(eq(records.eventId, eventId));

describe('a list of participants without bibs', () => {
  it('is read from a file of names alone, each participant known by their name', async () => {
    const plan = await prepareImport(utf8(NAMES));
    expect(plan.mapping).toEqual({ name: 'Name' });
    expect(plan.rejected).toEqual([]);
    expect(plan.records.map((r) => [r.key, r.bib, r.name])).toEqual([
      ['name:anna muller', null, 'Anna Müller'],
      ['name:jose garcia', null, 'José García'],
    ]);
  });

  it('imports through the admin from names alone, and the same list again changes nothing', async () => {
    const { organiser, email, password } = await createOrganiser();
    const browser = await signIn(email, password);
    const [event] = await db
      .insert(events)
      .values({ slug: `names-${crypto.randomUUID().slice(0, 8)}`, name: 'Fun Run', organiserId: organiser.id })
      .returning();
    const upload = async () => {
      const preview = await browser.post(`/admin/events/${event!.id}/imports`, { file: csvFile(NAMES) });
      expect(preview.status).toBe(200);
      const html = await preview.text();
      expect(html).toContain('2 records will be imported');
      const [source] = await db.select().from(sources).where(eq(sources.eventId, event!.id));
      const done = await browser.post(`/admin/events/${event!.id}/imports/${uploadIdOf(html)}`, {
        'map.name': 'Name',
        sourceId: String(source!.id),
        action: 'import',
      });
      return done.text();
    };
    expect(await upload()).toContain('2 added, 0 updated, 0 unchanged, 0 removed, 0 rows left out');
    expect(await upload()).toContain('0 added, 0 updated, 2 unchanged, 0 removed, 0 rows left out');
    const rows = await recordsOf(event!.id);
    expect(rows.map((r) => [r.bib, r.name]).sort()).toEqual([
      [null, 'Anna Müller'],
      [null, 'José García'],
    ]);
    // The Records tab lists them without a bib to show.
    const list = await (await browser.get(`/admin/events/${event!.id}/records`)).text();
    expect(list).toContain('Anna Müller');
    expect(list).not.toContain('null');
  });

  it('imports through the API, and each participant is found by name and gets a certificate without "Bib"', async () => {
    const { api, event } = await apiEvent('Sign-up Run');
    const post = async (csv: string) =>
      (await api('/imports', { method: 'POST', body: csv, headers: { 'Content-Type': 'text/csv' } })).json<
        Record<string, unknown>
      >();
    expect(await post(CLUB_LIST)).toMatchObject({ added: 2, updated: 0, unchanged: 0, rejected: [], duplicates: [] });
    expect(await post(CLUB_LIST)).toMatchObject({ added: 0, updated: 0, unchanged: 2 });
    const rows = await recordsOf(event.id);
    expect(rows.map((r) => [r.bib, r.name, r.extra]).sort()).toEqual([
      [null, 'Anna Müller', { Club: 'LG Nord', Email: 'anna@example.com' }],
      [null, 'José García', { Club: 'CD Sur', Email: 'jose@example.com' }],
    ]);

    // The organiser API names a record without a bib by its key.
    const jose = await api(`/records/${encodeURIComponent('name:jose garcia')}`);
    expect(await jose.json()).toMatchObject({ bib: null, key: 'name:jose garcia', name: 'José García' });

    await publishWithBuiltInTemplate(event.id);
    const [anna] = await search(event.slug, 'müller');
    expect(anna).toMatchObject({ name: 'Anna Müller', bib: null });
    expect((await search(event.slug, 'jose garcia')).map((r) => r.name)).toEqual(['José García']);
    const image = await SELF.fetch(anna!.imageUrl);
    expect(image.status).toBe(200);
    expect(pngSize(new Uint8Array(await image.arrayBuffer()))).toEqual({ width: 1754, height: 1240 });

    // The event page shows no bib for her, and neither does her certificate.
    const page = await (await SELF.fetch(`${ORIGIN}/events/${event.slug}?q=anna`)).text();
    expect(page).toContain('Anna Müller');
    expect(page).not.toMatch(/#<\/span>|#null/);
    const [record] = await db
      .select()
      .from(records)
      .where(and(eq(records.eventId, event.id), eq(records.name, 'Anna Müller')));
    const [saved] = await db.select().from(events).where(eq(events.id, event.id));
    const fields = await certificateFieldsWithVerify({ event: saved!, record: record! }, env.PUBLIC_URL);
    const texts = certificateTexts(designFor(builtInTemplates[0]!.layout, 'certificate'), fields).map((t) => t.text);
    expect(texts).toContain('Anna Müller');
    expect(texts.join('\n')).not.toMatch(/\bbib\b/i);
  });

  it('reports two participants of the same name as duplicates rather than merging them', async () => {
    const plan = await prepareImport(utf8(TWO_ANNAS), { mapping: { name: 'Name' } });
    expect(plan.records.map((r) => r.name)).toEqual(['Anna Müller']);
    expect(plan.duplicates).toEqual([{ key: 'name:anna muller', bib: null, name: 'Anna Müller', lines: [2, 3] }]);
    expect(plan.rejected).toEqual([{ line: 3, reason: expect.stringMatching(/^Anna Müller is already on line 2/) }]);

    const { api } = await apiEvent('Sign-up Run');
    const report = await (
      await api(`/imports?mapping=${encodeURIComponent(JSON.stringify({ name: 'Name' }))}`, {
        method: 'POST',
        body: TWO_ANNAS,
        headers: { 'Content-Type': 'text/csv' },
      })
    ).json<Record<string, unknown>>();
    expect(report).toMatchObject({ added: 1, duplicates: [{ name: 'Anna Müller', lines: [2, 3] }] });
  });

  it('tells two participants of the same name apart by the column chosen as their key', async () => {
    const mapping = { name: 'Name', participantKey: 'Email' };
    const plan = await prepareImport(utf8(TWO_ANNAS), { mapping });
    expect(plan.records.map((r) => r.key)).toEqual(['key:anna.nord@example.com', 'key:anna.sued@example.com']);
    expect(plan.duplicates).toEqual([]);

    const { event } = await createEvent([]);
    const first = await importFile(db, event, undefined, utf8(TWO_ANNAS), { mapping });
    expect(first).toMatchObject({ added: 2, updated: 0, unchanged: 0 });
    const again = await importFile(db, event, undefined, utf8(TWO_ANNAS), { mapping });
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 2 });
    const rows = await recordsOf(event.id);
    expect(rows.map((r) => [r.name, r.extra?.Club]).sort()).toEqual([
      ['Anna Müller', 'LG Nord'],
      ['Anna Müller', 'TV Süd'],
    ]);
    // A change of club updates the same participant, found by her email.
    const moved = TWO_ANNAS.replace('TV Süd', 'SC West');
    expect(await importFile(db, event, undefined, utf8(moved), { mapping })).toMatchObject({ added: 0, updated: 1 });
  });

  it('keeps a participant without a bib the same through removal, return and a bib given by hand', async () => {
    const { event } = await createEvent([]);
    const names = (file: string) => importFile(db, event, undefined, utf8(file), { removeMissing: true });
    await names(NAMES);
    const jose = async () => (await recordsOf(event.id)).find((r) => r.name === 'José García');
    const { certificateId } = (await jose())!;
    // Left out of one list (half the event: held until confirmed), back in the next: the same link.
    const shorter = await names('Name\nAnna Müller\n');
    expect(shorter.held?.bibs).toEqual(['name:jose garcia']);
    expect(await confirmHeldRemovals(db, event.id, shorter.importId!)).toBe(1);
    expect(await jose()).toBeUndefined();
    expect(await names(NAMES)).toMatchObject({ added: 1, updated: 0, unchanged: 1 });
    expect((await jose())!.certificateId).toBe(certificateId);

    // A bib typed in by hand is a correction: the list, which has none, leaves it and her be.
    const anna = (await recordsOf(event.id)).find((r) => r.name === 'Anna Müller')!;
    await updateRecord(db, anna, { ...recordInputOf(anna), bib: '42' });
    expect(await names(NAMES)).toMatchObject({ added: 0, removed: 0, kept: [{ name: 'Anna Müller', field: 'bib' }] });
    expect((await recordsOf(event.id)).find((r) => r.name === 'Anna Müller')).toMatchObject({
      id: anna.id,
      bib: '42',
      participantKey: 'name:anna muller',
    });
    expect((await search(event.slug, '42')).map((r) => r.name)).toEqual(['Anna Müller']);
  });

  it('hides the bib line of every built-in template for a participant without a bib', () => {
    const withBib = drawnTexts(certificateFieldsFor('Anna Müller', { bib: '42' }));
    expect(withBib.some((t) => /\bbib\b/i.test(t))).toBe(true);
    const without = drawnTexts(certificateFieldsFor('Anna Müller', { bib: null }));
    expect(without.filter((t) => /\bbib\b/i.test(t))).toEqual([]);
    // The date the share cards print beside the bib stays.
    expect(without.filter((t) => t === '19 April 2026').length).toBeGreaterThan(0);
  });
});

describe("UTMB's runnerUri", () => {
  it('is a participant key, not a bib: no certificate says "Bib 864009"', async () => {
    const plan = await prepareImport(new Uint8Array(env.RESULTS_UTMB_2024));
    expect(plan.mapping).toMatchObject({ participantKey: 'runnerUri', name: 'fullname' });
    expect(plan.mapping.bib).toBeUndefined();

    const { event } = await createEvent([]);
    const report = await importFile(db, event, undefined, new Uint8Array(env.RESULTS_UTMB_2024));
    expect(report).toMatchObject({ added: 2_727, duplicates: [] });
    // The 34 anonymous rows have no runnerUri, and no key to be told apart by.
    expect(report.rejected).toHaveLength(34);
    const [winner] = await db
      .select()
      .from(records)
      .where(and(eq(records.eventId, event.id), eq(records.name, 'Vincent BOUILLARD')));
    expect(winner).toMatchObject({ bib: null, participantKey: 'key:864009', finishTime: '19:54:23' });

    const fields = await certificateFieldsWithVerify({ event, record: winner! }, env.PUBLIC_URL);
    const texts = drawnTexts(fields);
    expect(texts).toContain('Vincent BOUILLARD');
    expect(texts.filter((t) => t.includes('864009'))).toEqual([]);

    const again = await importFile(db, event, undefined, new Uint8Array(env.RESULTS_UTMB_2024));
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 2_727 });
  });
});

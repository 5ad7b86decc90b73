import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { findEventAsset } from '../src/assets/queries';
import { storeAsset } from '../src/assets/store';
import { addBuiltInTemplate, findEventTemplate, listEventTemplates } from '../src/certificates/templates';
import {
  createEvent as insertEvent,
  findOrganiserEvent,
  findOrganiserEventBySlug,
  formerSlugsOf,
  renamedEvent,
  slugClaim,
  updateEvent,
} from '../src/events/queries';
import { findRecordByBib, recordGroups } from '../src/records/queries';
import { addSource, findEventSource, importSourceFor, removeSource, sourceRecordCount } from '../src/sources/queries';
import { builtInTemplates } from '../templates';
import { createEvent, createOrganiser, db, runner } from './fixtures';

// The noun modules' queries, tested directly: each lookup of a thing inside an event is scoped to
// that event, and each organiser's lookups to their own events.

const newEvent = async (organiserId: number, slug = `queries-${crypto.randomUUID().slice(0, 8)}`) =>
  insertEvent(db, organiserId, { name: 'Query Run', slug, date: '2026-05-01', location: null, language: null });

describe('events/queries', () => {
  it("finds an organiser's own event by id and by slug, and nobody else's", async () => {
    const { organiser: a } = await createOrganiser();
    const { organiser: b } = await createOrganiser();
    const event = await newEvent(a.id);
    expect((await findOrganiserEvent(db, a.id, event.id))?.slug).toBe(event.slug);
    expect(await findOrganiserEvent(db, b.id, event.id)).toBeUndefined();
    expect((await findOrganiserEventBySlug(db, a.id, event.slug))?.id).toBe(event.id);
    expect(await findOrganiserEventBySlug(db, b.id, event.slug)).toBeUndefined();
  });

  it('knows a taken slug across organisers, except the event that holds it', async () => {
    const { organiser } = await createOrganiser();
    const { organiser: other } = await createOrganiser();
    const event = await newEvent(organiser.id);
    expect(await slugClaim(db, organiser.id, event.slug)).toBe('taken');
    expect(await slugClaim(db, other.id, event.slug)).toBe('taken');
    expect(await slugClaim(db, organiser.id, event.slug, event.id)).toBe('free');
    expect(await slugClaim(db, organiser.id, `${event.slug}-free`)).toBe('free');
  });

  it("keeps a renamed event's old slug for its organiser, who may give it to another event of theirs", async () => {
    const { organiser } = await createOrganiser();
    const { organiser: other } = await createOrganiser();
    const event = await newEvent(organiser.id);
    const input = { name: event.name, slug: `${event.slug}-new`, date: event.date, location: null, language: null };
    await updateEvent(db, event, input);
    expect(await formerSlugsOf(db, event.id)).toEqual([event.slug]);
    expect(await renamedEvent(db, event.slug)).toMatchObject({ slug: input.slug, organiserId: organiser.id });
    expect(await slugClaim(db, other.id, event.slug)).toBe('reserved');
    expect(await slugClaim(db, organiser.id, event.slug)).toBe('free');
    // Given to a new event of the same organiser, it leads there and no longer redirects.
    const successor = await newEvent(organiser.id, event.slug);
    expect((await findOrganiserEventBySlug(db, organiser.id, event.slug))?.id).toBe(successor.id);
    expect(await renamedEvent(db, event.slug)).toBeUndefined();
    expect(await formerSlugsOf(db, event.id)).toEqual([]);
  });
});

describe('sources/queries', () => {
  it('lands a pushed file in the chosen source, else the first upload source, never a URL source', async () => {
    const { organiser } = await createOrganiser();
    const event = await newEvent(organiser.id);
    const pulled = await addSource(db, event.id, {
      kind: 'url',
      name: 'Timing',
      url: 'https://timing.example/results.csv',
    });

    const created = await importSourceFor(db, event, { newName: 'API imports' });
    expect(created).toMatchObject({ kind: 'upload', name: 'API imports' });
    expect((await importSourceFor(db, event, { newName: 'Uploaded results' })).id).toBe(created.id);
    expect((await importSourceFor(db, event, { sourceId: pulled.id, newName: 'x' })).id).toBe(pulled.id);

    const other = await newEvent(organiser.id);
    const foreign = await addSource(db, other.id, { kind: 'upload', name: 'Theirs' });
    expect(await findEventSource(db, event.id, foreign.id)).toBeUndefined();
    expect((await importSourceFor(db, event, { sourceId: foreign.id, newName: 'x' })).id).toBe(created.id);
  });

  it('removes a source keeping its records, or with them', async () => {
    const { event: kept } = await createEvent([runner('8', 'Kept Person')]);
    const keptSource = await addSource(db, kept.id, { kind: 'upload', name: 'Kept' });
    await db.$client.prepare('UPDATE records SET source_id = ? WHERE event_id = ?').bind(keptSource.id, kept.id).run();
    await removeSource(db, keptSource, { deleteRecords: false });
    expect((await findRecordByBib(db, kept.id, '8'))?.sourceId).toBeNull();

    const { event: other } = await createEvent([runner('7', 'Gone Person')]);
    const dropped = await addSource(db, other.id, { kind: 'upload', name: 'Dropped' });
    await db.$client.prepare('UPDATE records SET source_id = ? WHERE event_id = ?').bind(dropped.id, other.id).run();
    expect(await sourceRecordCount(db, dropped)).toBe(1);

    await removeSource(db, dropped, { deleteRecords: true });
    expect(await findRecordByBib(db, other.id, '7')).toBeUndefined();
    expect(await findEventSource(db, other.id, dropped.id)).toBeUndefined();
  });
});

describe('certificates/templates', () => {
  it('makes the first template added the default and scopes lookups to the event', async () => {
    const { organiser } = await createOrganiser();
    const event = await newEvent(organiser.id);
    const first = await addBuiltInTemplate(db, event, builtInTemplates[0]!);
    const second = await addBuiltInTemplate(db, { ...event, templateId: first.id }, builtInTemplates[1]!);
    expect((await findOrganiserEvent(db, organiser.id, event.id))?.templateId).toBe(first.id);
    expect((await listEventTemplates(db, event.id)).map((t) => t.id)).toEqual([first.id, second.id]);

    const other = await newEvent(organiser.id);
    expect(await findEventTemplate(db, other.id, first.id)).toBeUndefined();
    expect(await findEventTemplate(db, event.id, null)).toBeUndefined();
  });
});

describe('records/queries', () => {
  it('counts records by category and finished or not, the groups template rules choose between', async () => {
    const { event } = await createEvent([
      runner('1', 'Ann One', { category: 'W40' }),
      runner('2', 'Bea Two', { category: 'W40' }),
      runner('3', 'Cat Three', { category: 'W40', status: 'dnf', finishTime: null, rankOverall: null }),
      runner('4', 'Dee Four', { category: null }),
    ]);
    const groups = (await recordGroups(db, event.id)).map((g) => ({ ...g, finished: Boolean(g.finished) }));
    expect(groups).toEqual(
      expect.arrayContaining([
        { category: 'W40', finished: true, n: 2 },
        { category: 'W40', finished: false, n: 1 },
        { category: null, finished: true, n: 1 },
      ]),
    );
    expect(groups).toHaveLength(3);
  });
});

describe('assets/queries', () => {
  it("finds an event's upload by id, and not from another event", async () => {
    const { event } = await createEvent([]);
    const { event: other } = await createEvent([]);
    const logo = await storeAsset(env, db, event.id, { name: 'logo.png', bytes: new Uint8Array(env.SAMPLE_LOGO_PNG) });
    expect((await findEventAsset(db, event.id, logo.id))?.hash).toBe(logo.hash);
    expect(await findEventAsset(db, other.id, logo.id)).toBeUndefined();
  });
});

import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { findPublicCertificate } from '../src/certificates/public';
import { templateIdFor } from '../src/certificates/rules';
import { events, records, templates } from '../src/db/schema';
import { builtInTemplates } from '../templates';
import { createOrganiser, db, ORIGIN, pngSize, runner, saveRunners, signIn } from './fixtures';

describe('templates chosen by rule', () => {
  it('matches by category first, then by finished or not, else the default', () => {
    const event = {
      templateId: 1,
      templateRules: [
        { category: 'F70', templateId: 4 },
        { status: 'unfinished' as const, templateId: 3 },
      ],
    };
    expect(templateIdFor(event, { status: 'finished', category: 'M40' })).toBe(1);
    expect(templateIdFor(event, { status: 'dnf', category: 'M40' })).toBe(3);
    expect(templateIdFor(event, { status: 'dns', category: null })).toBe(3);
    expect(templateIdFor(event, { status: 'finished', category: 'f70' })).toBe(4);
    expect(templateIdFor({ templateId: 1, templateRules: null }, { status: 'dnf', category: null })).toBe(1);
  });

  it('lets the organiser give non-finishers a participation certificate, and preview any bib', async () => {
    const { organiser, email, password } = await createOrganiser();
    const browser = await signIn(email, password);
    const slug = `rules-${crypto.randomUUID().slice(0, 8)}`;
    const [event] = await db
      .insert(events)
      .values({ slug, name: 'Rule Run', organiserId: organiser.id, published: true })
      .returning();
    for (const builtIn of ['classic-finisher', 'participation']) {
      await browser.post(`/admin/events/${event!.id}/templates`, { builtIn });
    }
    const [classic, participation] = await db
      .select()
      .from(templates)
      .where(eq(templates.eventId, event!.id))
      .orderBy(templates.id);
    await saveRunners(event!.id, [
      runner('1', 'Fay Finisher'),
      runner('2', 'Dan Didnotfinish', { status: 'dnf', finishTime: null, rankOverall: null }),
    ]);

    const saved = await browser.post(`/admin/events/${event!.id}/template-rules`, {
      'category.0': '',
      'categoryTemplate.0': '',
      finished: '',
      unfinished: String(participation!.id),
    });
    expect(saved.status).toBe(303);
    const rows = await db.select().from(records).where(eq(records.eventId, event!.id)).orderBy(records.bib);
    expect((await findPublicCertificate(db, rows[0]!.certificateId))!.template.id).toBe(classic!.id);
    expect((await findPublicCertificate(db, rows[1]!.certificateId))!.template.id).toBe(participation!.id);

    // The public image of the DNF is rendered from the participation design.
    const search = await (await SELF.fetch(`${ORIGIN}/api/v1/events/${slug}/search?q=dan`)).json<{
      results: { imageUrl: string }[];
    }>();
    expect(pngSize(new Uint8Array(await (await SELF.fetch(search.results[0]!.imageUrl)).arrayBuffer()))).toEqual({
      width: 1754,
      height: 1240,
    });

    const tab = await (await browser.get(`/admin/events/${event!.id}/certificate?bib=2`)).text();
    expect(tab).toContain('<li>Classic finisher: 1 record</li>');
    expect(tab).toContain('<li>Participation: 1 record</li>');
    expect(tab).toContain(`Dan Didnotfinish (bib 2) gets <strong>${builtInTemplates[3]!.name}</strong>`);
    const preview = await browser.get(`/admin/events/${event!.id}/records/${rows[1]!.id}/preview.png`);
    expect(preview.headers.get('content-type')).toBe('image/png');
    expect(tab).toMatch(/<option value="\d+" selected="">Participation \(v1\)<\/option>/);
  });

  it('refuses a rule naming another event’s template', async () => {
    const { organiser, email, password } = await createOrganiser();
    const browser = await signIn(email, password);
    const [event] = await db
      .insert(events)
      .values({ slug: `rules-${crypto.randomUUID().slice(0, 8)}`, name: 'R', organiserId: organiser.id })
      .returning();
    const [foreign] = await db
      .insert(templates)
      .values({ name: 'Foreign', layout: builtInTemplates[0]!.layout })
      .returning();
    const res = await browser.post(`/admin/events/${event!.id}/template-rules`, { finished: String(foreign!.id) });
    expect(res.status).toBe(400);
  });
});

import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { deleteUnusedTemplate } from '../src/certificates/templates';
import { events, templates } from '../src/db/schema';
import { builtInTemplates } from '../templates';
import { createOrganiser, db, signIn } from './fixtures';

/** An organiser's event with two templates: "Finisher" (the default) and "Spare" (used by nothing). */
async function templateSetup() {
  const { organiser, email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const [event] = await db
    .insert(events)
    .values({ slug: `tpl-${crypto.randomUUID().slice(0, 8)}`, name: 'Template Run', organiserId: organiser.id })
    .returning();
  const [finisher, spare] = await db
    .insert(templates)
    .values([
      { eventId: event!.id, name: 'Finisher', layout: builtInTemplates[0]!.layout },
      { eventId: event!.id, name: 'Spare', layout: builtInTemplates[1]!.layout, version: 4 },
    ])
    .returning();
  await db.update(events).set({ templateId: finisher!.id }).where(eq(events.id, event!.id));
  const base = `/admin/events/${event!.id}`;
  const row = async (id: number) => (await db.select().from(templates).where(eq(templates.id, id)))[0];
  return { browser, event: event!, finisher: finisher!, spare: spare!, base, row };
}

describe('the Certificate tab’s templates', () => {
  it('offers the built-in templates near the top: before the rules, the previews, the sources and the uploads', async () => {
    const { browser, base } = await templateSetup();
    const html = await (await browser.get(`${base}/certificate`)).text();
    const at = (text: string) => {
      const i = html.indexOf(text);
      expect(i, text).toBeGreaterThan(-1);
      return i;
    };
    const gallery = at('Add a built-in template');
    expect(gallery).toBeLessThan(at('Who gets which template'));
    expect(gallery).toBeLessThan(at('Preview the certificate of bib'));
    expect(gallery).toBeLessThan(at('Data sources'));
    expect(gallery).toBeLessThan(at('id="assets"'));
  });

  it('renames a template, cleaning the name and refusing an empty one', async () => {
    const { browser, base, spare, row } = await templateSetup();
    const renamed = await browser.post(`${base}/templates/${spare.id}/rename`, {
      name: '  Age group\u202e winners \n',
    });
    expect(renamed.status).toBe(303);
    expect(renamed.headers.get('location')).toBe(`${base}/certificate?notice=template-renamed#template-${spare.id}`);
    expect((await row(spare.id))!.name).toBe('Age group winners');
    // A name is not a design change: the version, and so every image URL, stays.
    expect((await row(spare.id))!.version).toBe(4);
    const page = await (await browser.get(`${base}/certificate?notice=template-renamed`)).text();
    expect(page).toContain('Template renamed.');
    expect(page).toContain('Age group winners');

    const empty = await browser.post(`${base}/templates/${spare.id}/rename`, { name: ' \t ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Give the template a name.');
    const long = await browser.post(`${base}/templates/${spare.id}/rename`, { name: 'x'.repeat(81) });
    expect(long.status).toBe(400);
    expect((await row(spare.id))!.name).toBe('Age group winners');
  });

  it('duplicates a template as a new one at version 1 with the same design, used for nothing yet', async () => {
    const { browser, base, event, finisher } = await templateSetup();
    const res = await browser.post(`${base}/templates/${finisher.id}/duplicate`);
    expect(res.status).toBe(303);
    const all = await db.select().from(templates).where(eq(templates.eventId, event.id));
    expect(all).toHaveLength(3);
    const copy = all.find((t) => t.id !== finisher.id && t.name !== 'Spare')!;
    expect(copy).toMatchObject({ name: 'Copy of Finisher', version: 1, layout: finisher.layout });
    expect(res.headers.get('location')).toBe(`${base}/certificate?notice=template-duplicated#template-${copy.id}`);
    const [after] = await db.select().from(events).where(eq(events.id, event.id));
    expect(after!.templateId).toBe(finisher.id);

    // A copy's name stays within the rule, however long the original's.
    await db
      .update(templates)
      .set({ name: 'L'.repeat(80) })
      .where(eq(templates.id, copy.id));
    await browser.post(`${base}/templates/${copy.id}/duplicate`);
    const longest = (await db.select().from(templates).where(eq(templates.eventId, event.id))).at(-1)!;
    expect(longest.name).toHaveLength(80);
    expect(longest.name.startsWith('Copy of LLL')).toBe(true);
  });

  it('deletes an unused template after a confirmation page that needs no JavaScript', async () => {
    const { browser, base, spare, row } = await templateSetup();
    const list = await (await browser.get(`${base}/certificate`)).text();
    expect(list).toContain(`href="${base}/templates/${spare.id}/delete"`);

    const confirm = await browser.get(`${base}/templates/${spare.id}/delete`);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain('Delete “Spare”?');
    expect(html).toMatch(new RegExp(`<form method="post" action="${base}/templates/${spare.id}/delete"`));
    expect(html).not.toContain('<script');
    // Looking at the confirmation deletes nothing.
    expect(await row(spare.id)).toBeDefined();

    const deleted = await browser.post(`${base}/templates/${spare.id}/delete`);
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('location')).toBe(`${base}/certificate?notice=template-deleted`);
    expect(await row(spare.id)).toBeUndefined();
    expect(await (await browser.get(`${base}/certificate?notice=template-deleted`)).text()).toContain(
      'Template deleted.',
    );
    expect((await browser.get(`${base}/templates/${spare.id}/delete`)).status).toBe(404);
  });

  it('refuses to delete the default template, or one the rules give to records, and says what to do instead', async () => {
    const { browser, base, event, finisher, spare, row } = await templateSetup();
    const confirm = await (await browser.get(`${base}/templates/${finisher.id}/delete`)).text();
    expect(confirm).toContain('used for every certificate');
    expect(confirm).not.toContain('Delete template</button>');
    const refused = await browser.post(`${base}/templates/${finisher.id}/delete`);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('Choose another template for certificates first');
    expect(await row(finisher.id)).toBeDefined();

    await db
      .update(events)
      .set({ templateRules: [{ category: 'M40', templateId: spare.id }] })
      .where(eq(events.id, event.id));
    expect(await (await browser.get(`${base}/templates/${spare.id}/delete`)).text()).toContain(
      'Who gets which template',
    );
    const ruled = await browser.post(`${base}/templates/${spare.id}/delete`);
    expect(ruled.status).toBe(409);
    expect(await ruled.text()).toContain('Who gets which template');
    expect(await row(spare.id)).toBeDefined();
  });

  it('checks again as it deletes: a template the rules or the default took meanwhile stays', async () => {
    const { event, finisher, spare, row } = await templateSetup();
    // The event as a request read it before the rules named the spare template.
    const [stale] = await db.select().from(events).where(eq(events.id, event.id));
    await db
      .update(events)
      .set({ templateRules: [{ status: 'unfinished', templateId: spare.id }] })
      .where(eq(events.id, event.id));
    expect(await deleteUnusedTemplate(db, stale!, spare)).toBe(false);
    expect(await row(spare.id)).toBeDefined();
    await db.update(events).set({ templateRules: null, templateId: spare.id }).where(eq(events.id, event.id));
    expect(await deleteUnusedTemplate(db, stale!, spare)).toBe(false);
    expect(await row(spare.id)).toBeDefined();
    // Unused again, it goes.
    await db.update(events).set({ templateId: finisher.id }).where(eq(events.id, event.id));
    expect(await deleteUnusedTemplate(db, stale!, spare)).toBe(true);
    expect(await row(spare.id)).toBeUndefined();
  });
});

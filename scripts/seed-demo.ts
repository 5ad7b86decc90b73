/**
 * Seeds the local database with a demo organiser and a published demo event: a source, the
 * built-in template and 360 records. Local only (it talks to wrangler's local state, never to
 * Cloudflare) and safe to run again.
 */
import { eq } from 'drizzle-orm';
import { getPlatformProxy } from 'wrangler';
import { hashPassword } from '../src/auth/password';
import { database } from '../src/db/client';
import { importRecords } from '../src/records/import';
import { prepareRecord } from '../src/records/prepared';
import { events, organisers, sources, templates } from '../src/db/schema';
import type { Env } from '../src/env';
import { builtInTemplates } from '../templates';
import { DEMO_ORGANISER, DEMO_SLUG, demoRecords } from './demo-event';

async function main() {
  const proxy = await getPlatformProxy<Env>({ persist: true });
  try {
    const db = database(proxy.env.DB);
    const builtIn = builtInTemplates[0]!;
    await db
      .insert(organisers)
      .values({ email: DEMO_ORGANISER.email, passwordHash: await hashPassword(DEMO_ORGANISER.password) })
      .onConflictDoNothing();
    const organiser = (await db.query.organisers.findFirst({ where: eq(organisers.email, DEMO_ORGANISER.email) }))!;

    let event = await db.query.events.findFirst({ where: eq(events.slug, DEMO_SLUG) });
    if (!event) {
      [event] = await db
        .insert(events)
        .values({
          slug: DEMO_SLUG,
          name: 'Demo City Marathon',
          date: '2026-04-19',
          location: 'Demo City',
          published: true,
          publishedAt: new Date(),
          organiserId: organiser.id,
        })
        .returning();
      const [template] = await db
        .insert(templates)
        .values({ eventId: event!.id, name: builtIn.name, layout: builtIn.layout })
        .returning();
      await db.update(events).set({ templateId: template!.id }).where(eq(events.id, event!.id));
      await db.insert(sources).values({ eventId: event!.id, kind: 'upload', name: 'Demo results' });
      event = { ...event!, templateId: template!.id };
    }
    if (event.organiserId === null)
      await db.update(events).set({ organiserId: organiser.id }).where(eq(events.id, event.id));
    // Keep the demo on the current built-in design; a changed design is a new template version.
    const template = await db.query.templates.findFirst({ where: eq(templates.id, event.templateId!) });
    if (template && JSON.stringify(template.layout) !== JSON.stringify(builtIn.layout)) {
      await db
        .update(templates)
        .set({ layout: builtIn.layout, version: template.version + 1, updatedAt: new Date() })
        .where(eq(templates.id, template.id));
    }
    const source = await db.query.sources.findFirst({ where: eq(sources.eventId, event.id) });
    const records = demoRecords();
    await importRecords(db, event.id, records.map(prepareRecord), { sourceId: source?.id });
    console.log(`Demo event ready: http://localhost:8787/events/${DEMO_SLUG} (${records.length} records)`);
    console.log(
      `Admin: http://localhost:8787/admin  (local demo organiser ${DEMO_ORGANISER.email} / ${DEMO_ORGANISER.password})`,
    );
  } finally {
    await proxy.dispose();
  }
}

await main();

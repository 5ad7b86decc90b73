/**
 * Seeds the local database with a published demo event, the built-in template and 360 records.
 * Local only (it talks to wrangler's local state, never to Cloudflare) and safe to run again.
 */
import { eq } from 'drizzle-orm';
import { getPlatformProxy } from 'wrangler';
import { database } from '../src/db/client';
import { importRecords } from '../src/db/record-import';
import { events, templates } from '../src/db/schema';
import type { Env } from '../src/env';
import { builtInTemplates } from '../templates';
import { DEMO_SLUG, demoRecords } from './demo-event';

async function main() {
  const proxy = await getPlatformProxy<Env>({ persist: true });
  try {
    const db = database(proxy.env.DB);
    const builtIn = builtInTemplates[0]!;
    let event = await db.query.events.findFirst({ where: eq(events.slug, DEMO_SLUG) });
    if (!event) {
      const [template] = await db.insert(templates).values({ name: builtIn.name, layout: builtIn.layout }).returning();
      [event] = await db
        .insert(events)
        .values({
          slug: DEMO_SLUG,
          name: 'Demo City Marathon',
          date: '2026-04-19',
          location: 'Demo City',
          published: true,
          publishedAt: new Date(),
          templateId: template!.id,
        })
        .returning();
    }
    // Keep the demo on the current built-in design; a changed design is a new template version.
    const template = await db.query.templates.findFirst({ where: eq(templates.id, event!.templateId!) });
    if (template && JSON.stringify(template.layout) !== JSON.stringify(builtIn.layout)) {
      await db
        .update(templates)
        .set({ layout: builtIn.layout, version: template.version + 1, updatedAt: new Date() })
        .where(eq(templates.id, template.id));
    }
    const records = demoRecords();
    await importRecords(db, event!.id, records);
    console.log(`Demo event ready: http://localhost:8787/events/${DEMO_SLUG} (${records.length} records)`);
  } finally {
    await proxy.dispose();
  }
}

await main();

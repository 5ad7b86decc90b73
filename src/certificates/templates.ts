import { and, eq } from 'drizzle-orm';
import type { BuiltInTemplate } from '../../templates';
import type { Database } from '../db/client';
import { events, templates, type Event, type Template } from '../db/schema';
import type { Layout } from '../render/layout';

export const listEventTemplates = (db: Database, eventId: number) =>
  db.select().from(templates).where(eq(templates.eventId, eventId));

/** A template of this event, or undefined: another event's template id finds nothing. */
export async function findEventTemplate(db: Database, eventId: number, templateId: number | null) {
  if (templateId === null || !Number.isSafeInteger(templateId)) return undefined;
  return db.query.templates.findFirst({ where: and(eq(templates.id, templateId), eq(templates.eventId, eventId)) });
}

/** Adds a copy of a built-in design to the event; the first template becomes its default. */
export async function addBuiltInTemplate(db: Database, event: Event, builtIn: BuiltInTemplate): Promise<Template> {
  const [template] = await db
    .insert(templates)
    .values({ eventId: event.id, name: builtIn.name, layout: builtIn.layout })
    .returning();
  if (event.templateId === null)
    await db.update(events).set({ templateId: template!.id }).where(eq(events.id, event.id));
  return template!;
}

/** Saves a layout as the template's next version; images of the old one keep their own URLs. */
export async function saveTemplateLayout(db: Database, template: Template, layout: Layout): Promise<number> {
  const [saved] = await db
    .update(templates)
    .set({ layout, version: template.version + 1, updatedAt: new Date() })
    .where(eq(templates.id, template.id))
    .returning({ version: templates.version });
  return saved!.version;
}

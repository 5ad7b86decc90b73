import { and, asc, eq, inArray, notExists, or, sql } from 'drizzle-orm';
import type { BuiltInTemplate } from '../../templates';
import type { Database } from '../db/client';
import { events, templates, type Event, type Template } from '../db/schema';
import type { Layout } from '../render/layout';
import { copyName } from './rules';

/** An event's templates, oldest first. */
export const listEventTemplates = (db: Database, eventId: number) =>
  db.select().from(templates).where(eq(templates.eventId, eventId)).orderBy(asc(templates.id));

/** A template of this event, or undefined: another event's template id finds nothing. */
export async function findEventTemplate(db: Database, eventId: number, templateId: number | null) {
  if (templateId === null || !Number.isSafeInteger(templateId)) return undefined;
  return db.query.templates.findFirst({ where: and(eq(templates.id, templateId), eq(templates.eventId, eventId)) });
}

/** Whether every one of these template ids is one of the event's own templates. */
export async function areEventTemplates(db: Database, eventId: number, templateIds: number[]): Promise<boolean> {
  const wanted = [...new Set(templateIds)];
  if (wanted.length === 0) return true;
  const found = await db
    .select({ id: templates.id })
    .from(templates)
    .where(and(eq(templates.eventId, eventId), inArray(templates.id, wanted)));
  return found.length === wanted.length;
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

/** Renames a template. Its version stays: the name is not drawn on any image, so no URL changes. */
export async function renameTemplate(db: Database, template: Template, name: string): Promise<void> {
  await db.update(templates).set({ name, updatedAt: new Date() }).where(eq(templates.id, template.id));
}

/** A new template of the same event with the same design, at version 1, that no record gets yet. */
export async function duplicateTemplate(db: Database, template: Template): Promise<Template> {
  const [copy] = await db
    .insert(templates)
    .values({ eventId: template.eventId, name: copyName(template.name), layout: template.layout })
    .returning();
  return copy!;
}

/**
 * Deletes a template that no record gets: neither the event's default nor named by one of its
 * rules. The check is part of the one DELETE, so a template chosen a moment before stays.
 * Returns whether it was deleted.
 */
export async function deleteUnusedTemplate(db: Database, event: Event, template: Template): Promise<boolean> {
  const inUse = db
    .select({ id: events.id })
    .from(events)
    .where(
      and(
        eq(events.id, event.id),
        or(
          eq(events.templateId, template.id),
          sql`exists (select 1 from json_each(${events.templateRules}) where json_extract(value, '$.templateId') = ${template.id})`,
        ),
      ),
    );
  const deleted = await db
    .delete(templates)
    .where(and(eq(templates.id, template.id), eq(templates.eventId, event.id), notExists(inUse)))
    .returning({ id: templates.id });
  return deleted.length > 0;
}

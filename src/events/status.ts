import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { imports, publishRuns, records, sources, templates, type Event } from '../db/schema';

export interface EventStatus {
  sources: number;
  templates: number;
  records: { total: number; finished: number; dnf: number; dns: number; dsq: number; hidden: number };
  lastImport: typeof imports.$inferSelect | undefined;
  lastPublish: typeof publishRuns.$inferSelect | undefined;
  /** Setup is done once there is a source, a template and a record, as in the seed product. */
  setupComplete: boolean;
}

/** Everything the overview card and the tab bar need, in one D1 round trip. */
export async function eventStatus(db: Database, event: Event): Promise<EventStatus> {
  const [sourceCount, templateCount, recordCounts, lastImport, lastPublish] = await db.batch([
    db.select({ n: count() }).from(sources).where(eq(sources.eventId, event.id)),
    db.select({ n: count() }).from(templates).where(eq(templates.eventId, event.id)),
    db
      .select({
        total: count(),
        finished: sql<number>`coalesce(sum(${records.status} = 'finished'), 0)`,
        dnf: sql<number>`coalesce(sum(${records.status} = 'dnf'), 0)`,
        dns: sql<number>`coalesce(sum(${records.status} = 'dns'), 0)`,
        dsq: sql<number>`coalesce(sum(${records.status} = 'dsq'), 0)`,
        hidden: sql<number>`coalesce(sum(${records.hidden}), 0)`,
      })
      .from(records)
      .where(eq(records.eventId, event.id)),
    db.select().from(imports).where(eq(imports.eventId, event.id)).orderBy(desc(imports.id)).limit(1),
    db
      .select()
      .from(publishRuns)
      .where(and(eq(publishRuns.eventId, event.id), eq(publishRuns.kind, 'publish')))
      .orderBy(desc(publishRuns.id))
      .limit(1),
  ]);
  const status = {
    sources: sourceCount[0]!.n,
    templates: templateCount[0]!.n,
    records: recordCounts[0]!,
    lastImport: lastImport[0],
    lastPublish: lastPublish[0],
  };
  return { ...status, setupComplete: status.sources > 0 && status.templates > 0 && status.records.total > 0 };
}

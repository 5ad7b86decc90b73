import { eq } from 'drizzle-orm';
import type { Database } from './client';
import { templates } from './schema';

export async function findTemplate(db: Database, id: number) {
  return db.query.templates.findFirst({ where: eq(templates.id, id) });
}

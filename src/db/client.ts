import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1';
import * as schema from './schema';

/** One drizzle handle over the D1 binding; cheap, so it is made per request. */
export const database = (d1: D1Database) => drizzle(d1, { schema });

/** Drizzle over D1; `$client` is the binding itself, for statements drizzle cannot batch. */
export type Database = DrizzleD1Database<typeof schema> & { $client: D1Database };

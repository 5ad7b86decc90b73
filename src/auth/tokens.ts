import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { apiTokens, organisers, type Organiser } from '../db/schema';
import { randomId, sha256Hex } from '../digest';

/** A new organiser API token (256 random bits) and the hash that is all the database keeps. */
export async function newApiToken(): Promise<{ token: string; tokenHash: string }> {
  const token = `cfy_${randomId(32)}`;
  return { token, tokenHash: await sha256Hex(token) };
}

/** A new API token for the organiser: returned once, stored only as its SHA-256. */
export async function createApiToken(db: Database, organiserId: number, name: string): Promise<string> {
  const { token, tokenHash } = await newApiToken();
  await db.insert(apiTokens).values({ organiserId, name, tokenHash });
  return token;
}

export const listOrganiserTokens = (db: Database, organiserId: number) =>
  db.select().from(apiTokens).where(eq(apiTokens.organiserId, organiserId)).orderBy(desc(apiTokens.id));

/** Revokes one of the organiser's own tokens; another organiser's token id changes nothing. */
export const revokeApiToken = (db: Database, organiserId: number, tokenId: number) =>
  db.delete(apiTokens).where(and(eq(apiTokens.id, tokenId), eq(apiTokens.organiserId, organiserId)));

/** The organiser a bearer token belongs to, noting when it was last used. */
export async function organiserForToken(db: Database, token: string): Promise<Organiser | undefined> {
  const [row] = await db
    .select({ organiser: organisers, tokenId: apiTokens.id })
    .from(apiTokens)
    .innerJoin(organisers, eq(organisers.id, apiTokens.organiserId))
    .where(eq(apiTokens.tokenHash, await sha256Hex(token)))
    .limit(1);
  if (!row) return undefined;
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.tokenId));
  return row.organiser;
}

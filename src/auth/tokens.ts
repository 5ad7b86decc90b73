import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client';
import { apiTokens, organisers, type Organiser } from '../db/schema';
import { randomId, sha256Hex } from '../digest';

/** A new organiser API token (256 random bits) and the hash that is all the database keeps. */
export async function newApiToken(): Promise<{ token: string; tokenHash: string }> {
  const token = `cfy_${randomId(32)}`;
  return { token, tokenHash: await sha256Hex(token) };
}

/** How long a new token lasts, chosen when it is made: days, or `never`. */
export const TOKEN_LIFETIMES = ['30', '90', '365', 'never'] as const;
export const tokenLifetimeSchema = z.enum(TOKEN_LIFETIMES, { error: 'Choose how long the token lasts.' });
export type TokenLifetime = z.infer<typeof tokenLifetimeSchema>;
/** What the admin form and `npm run token:create` pick unless told otherwise. */
export const DEFAULT_TOKEN_LIFETIME: TokenLifetime = '90';

const DAY_MS = 24 * 3600 * 1000;

/** When a token made now with this lifetime stops working; null for never. */
export const tokenExpiry = (lifetime: TokenLifetime, now = Date.now()) =>
  lifetime === 'never' ? null : new Date(now + Number(lifetime) * DAY_MS);

/** A new API token for the organiser: returned once, stored only as its SHA-256. */
export async function createApiToken(
  db: Database,
  organiserId: number,
  name: string,
  lifetime: TokenLifetime,
): Promise<string> {
  const { token, tokenHash } = await newApiToken();
  await db.insert(apiTokens).values({ organiserId, name, tokenHash, expiresAt: tokenExpiry(lifetime) });
  return token;
}

export const listOrganiserTokens = (db: Database, organiserId: number) =>
  db.select().from(apiTokens).where(eq(apiTokens.organiserId, organiserId)).orderBy(desc(apiTokens.id));

/** Revokes one of the organiser's own tokens; another organiser's token id changes nothing. */
export const revokeApiToken = (db: Database, organiserId: number, tokenId: number) =>
  db.delete(apiTokens).where(and(eq(apiTokens.id, tokenId), eq(apiTokens.organiserId, organiserId)));

/**
 * The organiser a bearer token belongs to, noting when it was last used; `expired` for a token
 * past its expiry, so the caller can say so rather than just "invalid".
 */
export async function organiserForToken(db: Database, token: string): Promise<Organiser | 'expired' | undefined> {
  const [row] = await db
    .select({ organiser: organisers, tokenId: apiTokens.id, expiresAt: apiTokens.expiresAt })
    .from(apiTokens)
    .innerJoin(organisers, eq(organisers.id, apiTokens.organiserId))
    .where(eq(apiTokens.tokenHash, await sha256Hex(token)))
    .limit(1);
  if (!row) return undefined;
  if (row.expiresAt && row.expiresAt <= new Date()) return 'expired';
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.tokenId));
  return row.organiser;
}

import { and, desc, eq, isNull, lte, or } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client';
import { apiTokens, events, organisers, type Organiser } from '../db/schema';
import { randomId, sha256Hex } from '../digest';
import type { ApiTokenUse } from '../env';
import { findOrganiserEvent } from '../events/queries';

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

/**
 * A new API token for the organiser: returned once, stored only as its SHA-256. With an event id,
 * the token may use that event alone; undefined when the event is not one of the organiser's.
 */
export async function createApiToken(
  db: Database,
  organiserId: number,
  name: string,
  lifetime: TokenLifetime,
  eventId: number | null = null,
): Promise<string | undefined> {
  if (eventId !== null && !(await findOrganiserEvent(db, organiserId, eventId))) return undefined;
  const { token, tokenHash } = await newApiToken();
  await db.insert(apiTokens).values({ organiserId, name, tokenHash, expiresAt: tokenExpiry(lifetime), eventId });
  return token;
}

/** The organiser's tokens, newest first, each with the event it is limited to (null: all of them). */
export const listOrganiserTokens = (db: Database, organiserId: number) =>
  db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      expiresAt: apiTokens.expiresAt,
      event: { id: events.id, name: events.name, slug: events.slug },
    })
    .from(apiTokens)
    .leftJoin(events, eq(events.id, apiTokens.eventId))
    .where(eq(apiTokens.organiserId, organiserId))
    .orderBy(desc(apiTokens.id));
export type ListedToken = Awaited<ReturnType<typeof listOrganiserTokens>>[number];

/** Revokes one of the organiser's own tokens; another organiser's token id changes nothing. */
export const revokeApiToken = (db: Database, organiserId: number, tokenId: number) =>
  db.delete(apiTokens).where(and(eq(apiTokens.id, tokenId), eq(apiTokens.organiserId, organiserId)));

/** `last_used_at` is this precise: a token busy every second costs one write a minute, not one a request. */
export const LAST_USED_PRECISION_MS = 60_000;

/**
 * The organiser a bearer token belongs to and the token's scope, noting when it was last used;
 * `expired` for a token past its expiry, so the caller can say so rather than just "invalid".
 */
export async function tokenHolder(
  db: Database,
  token: string,
): Promise<{ organiser: Organiser; token: ApiTokenUse } | 'expired' | undefined> {
  const [row] = await db
    .select({
      organiser: organisers,
      id: apiTokens.id,
      eventId: apiTokens.eventId,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .innerJoin(organisers, eq(organisers.id, apiTokens.organiserId))
    .where(eq(apiTokens.tokenHash, await sha256Hex(token)))
    .limit(1);
  if (!row) return undefined;
  const now = Date.now();
  if (row.expiresAt && row.expiresAt.getTime() <= now) return 'expired';
  if (!row.lastUsedAt || row.lastUsedAt.getTime() <= now - LAST_USED_PRECISION_MS) {
    // Conditional too, so requests arriving together still write once.
    await db
      .update(apiTokens)
      .set({ lastUsedAt: new Date(now) })
      .where(
        and(
          eq(apiTokens.id, row.id),
          or(isNull(apiTokens.lastUsedAt), lte(apiTokens.lastUsedAt, new Date(now - LAST_USED_PRECISION_MS))),
        ),
      );
  }
  return { organiser: row.organiser, token: { id: row.id, eventId: row.eventId } };
}

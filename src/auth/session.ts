import { and, eq, gt, lt } from 'drizzle-orm';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Database } from '../db/client';
import { organisers, sessions, type Organiser } from '../db/schema';
import { randomId, sha256Hex } from '../digest';

// Sent as `__Host-session`: Secure, whole-site, and impossible for a subdomain to set.
const SESSION_COOKIE = 'session';
const SESSION_DAYS = 7;
const SESSION_MS = SESSION_DAYS * 24 * 3600 * 1000;

export interface SignedIn {
  organiser: Organiser;
  csrfToken: string;
}

/** Starts a session: the cookie holds 256 random bits, the database only their hash. */
export async function startSession(c: Context, db: Database, organiserId: number): Promise<void> {
  const id = randomId(32);
  await db.insert(sessions).values({
    idHash: await sha256Hex(id),
    organiserId,
    csrfToken: randomId(32),
    expiresAt: new Date(Date.now() + SESSION_MS),
  });
  setCookie(c, SESSION_COOKIE, id, {
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'Lax',
    maxAge: SESSION_MS / 1000,
    prefix: 'host',
  });
}

/** The organiser behind the request's session cookie, if it is valid and not expired. */
export async function currentSession(c: Context, db: Database): Promise<(SignedIn & { idHash: string }) | undefined> {
  const id = getCookie(c, SESSION_COOKIE, 'host');
  if (!id) return undefined;
  const idHash = await sha256Hex(id);
  const [row] = await db
    .select({ organiser: organisers, csrfToken: sessions.csrfToken })
    .from(sessions)
    .innerJoin(organisers, eq(organisers.id, sessions.organiserId))
    .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, new Date())))
    .limit(1);
  return row && { ...row, idHash };
}

/** Signs out: the session row goes, so a copied cookie is worthless too. */
export async function endSession(c: Context, db: Database): Promise<void> {
  const id = getCookie(c, SESSION_COOKIE, 'host');
  if (id) await db.delete(sessions).where(eq(sessions.idHash, await sha256Hex(id)));
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true, prefix: 'host' });
}

/** Ends every session of the organiser, on every device; the caller signs this browser out or starts it a new one. */
export async function endAllSessions(db: Database, organiserId: number): Promise<void> {
  await db.delete(sessions).where(eq(sessions.organiserId, organiserId));
}

export const findOrganiserByEmail = (db: Database, email: string) =>
  db.query.organisers.findFirst({ where: eq(organisers.email, email) });

import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { signInAttempts } from '../db/schema';

// Each count allows `limit` password checks in the 15 minutes from its first one.
const WINDOW_MS = 15 * 60 * 1000;

const countsFor = (email: string, client: string) => [
  // One client's guesses at one email, not all guesses at it: the organiser can still sign in
  // from elsewhere while someone guesses.
  { key: `email:${email} client:${client}`, limit: 5 },
  // Ceilings for guessing one email from many clients, and for one client trying many emails.
  { key: `email:${email}`, limit: 50 },
  { key: `client:${client}`, limit: 20 },
];

/**
 * Claims one password check for `email` from `client`, before the password is looked at: in one
 * statement, so parallel attempts cannot all read a count below the limit. Either every count has
 * room and all go up by one, or none moves (a refused attempt is not counted, so a client that
 * keeps guessing does not use up the email's ceiling). Answers 0 when the password may be checked,
 * else the seconds until it may.
 */
export async function claimSignInAttempt(db: Database, email: string, client: string): Promise<number> {
  const counts = countsFor(email, client);
  const now = Date.now();
  const windowOpen = now - WINDOW_MS;
  const wanted = sql.join(
    counts.map(({ key, limit }) => sql`(${key}, ${limit})`),
    sql`, `,
  );
  // SQLite runs an INSERT's SELECT to the end before writing when it reads the table written to,
  // so the NOT EXISTS sees the counts as they were before this statement.
  const claimed = await db.all<{ key: string }>(sql`
    WITH wanted (key, max_failures) AS (VALUES ${wanted})
    INSERT INTO sign_in_attempts (key, window_start, failures)
    SELECT key, ${now}, 1 FROM wanted
    WHERE NOT EXISTS (
      SELECT 1 FROM sign_in_attempts AS counted JOIN wanted USING (key)
      WHERE counted.window_start > ${windowOpen} AND counted.failures >= wanted.max_failures
    )
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN window_start > ${windowOpen} THEN failures + 1 ELSE 1 END,
      window_start = CASE WHEN window_start > ${windowOpen} THEN window_start ELSE excluded.window_start END
    RETURNING key`);
  if (claimed.length === counts.length) return 0;

  const rows = await db.query.signInAttempts.findMany({
    where: inArray(
      signInAttempts.key,
      counts.map((c) => c.key),
    ),
  });
  const waits = rows
    .filter((row) => row.failures >= counts.find((c) => c.key === row.key)!.limit)
    .map((row) => row.windowStart.getTime() + WINDOW_MS - now);
  return Math.max(1, Math.ceil(Math.max(0, ...waits) / 1000));
}

/**
 * The password was right: the claim was no failure. The client's failures at this email are
 * forgotten; the ceilings only give back this attempt's one.
 */
export async function signInSucceeded(db: Database, email: string, client: string): Promise<void> {
  const [pair, ...ceilings] = countsFor(email, client).map((c) => c.key);
  await db.batch([
    db.delete(signInAttempts).where(eq(signInAttempts.key, pair!)),
    db
      .update(signInAttempts)
      .set({ failures: sql`${signInAttempts.failures} - 1` })
      .where(and(inArray(signInAttempts.key, ceilings), gt(signInAttempts.failures, 0))),
  ]);
}

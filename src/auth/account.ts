import type { Context } from 'hono';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client';
import { organisers, type Organiser } from '../db/schema';
import { hashPassword, newPasswordSchema, verifyPassword } from './password';
import { endAllSessions, startSession } from './session';
import { claimSignInAttempt, signInSucceeded } from './sign-in-limits';

export const passwordChangeSchema = z.object({
  currentPassword: z.string().min(1, 'Enter your current password.').max(1024, 'Your current password is not right.'),
  newPassword: newPasswordSchema,
});

export type PasswordChange = 'changed' | 'wrong-password' | { waitSeconds: number };

/**
 * Sets a new password once the current one is right. The check counts as a sign-in attempt, so
 * a stolen session cannot guess its way to the password. Every session then ends, and this
 * browser gets a fresh one: an old session id may have leaked along with the old password.
 */
export async function changePassword(
  c: Context,
  db: Database,
  organiser: Organiser,
  client: string,
  change: z.infer<typeof passwordChangeSchema>,
): Promise<PasswordChange> {
  const waitSeconds = await claimSignInAttempt(db, organiser.email, client);
  if (waitSeconds > 0) return { waitSeconds };
  if (!(await verifyPassword(change.currentPassword, organiser.passwordHash))) return 'wrong-password';
  await signInSucceeded(db, organiser.email, client);
  await db
    .update(organisers)
    .set({ passwordHash: await hashPassword(change.newPassword) })
    .where(eq(organisers.id, organiser.id));
  await endAllSessions(db, organiser.id);
  await startSession(c, db, organiser.id);
  return 'changed';
}

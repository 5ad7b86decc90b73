import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createOrganiser, ORIGIN } from './fixtures';

// Each test signs in from its own addresses, so per-client counts of one test never reach another.
let clients = 0;
const newClient = () => `198.51.100.${++clients}`;

const signInFrom = (client: string, email: string, password: string) =>
  SELF.fetch(`${ORIGIN}/admin/sign-in`, {
    method: 'POST',
    headers: { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': client },
    body: new URLSearchParams({ email, password }),
    redirect: 'manual',
  });

const statuses = (responses: Response[]) => responses.map((r) => r.status);
const count = (responses: Response[], status: number) => responses.filter((r) => r.status === status).length;

async function expectRefusal(res: Response) {
  expect(res.status).toBe(429);
  expect(await res.text()).toMatch(/Too many failed attempts\. Try again in \d+ minutes\./);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(res.headers.get('set-cookie')).toBeNull();
}

describe('sign-in limits under concurrency', () => {
  it('checks at most 5 passwords of 30 parallel attempts, so the right one sent 30th does not sign in', async () => {
    const { email, password } = await createOrganiser();
    const client = newClient();
    const attempts = Array.from({ length: 30 }, (_, i) => (i === 29 ? password : `guess ${i}`));
    const answers = await Promise.all(attempts.map((p) => signInFrom(client, email, p)));

    expect(count(answers, 303)).toBe(0);
    expect(count(answers, 401)).toBeLessThanOrEqual(5);
    expect(count(answers, 401) + count(answers, 429)).toBe(30);
    for (const refused of answers.filter((r) => r.status === 429)) await expectRefusal(refused);
    await expectRefusal(await signInFrom(client, email, password));
    // Only the checked passwords were counted: every count stops at the pair's limit of 5.
    const counts = await env.DB.prepare('SELECT key, failures FROM sign_in_attempts WHERE key IN (?, ?, ?)')
      .bind(`email:${email} client:${client}`, `email:${email}`, `client:${client}`)
      .all<{ key: string; failures: number }>();
    expect(counts.results.map((r) => r.failures)).toEqual([5, 5, 5]);
  });

  it('locks out the client that failed, not the organiser signing in from elsewhere', async () => {
    const { email, password } = await createOrganiser();
    const [guesser, organiser] = [newClient(), newClient()];
    for (let i = 0; i < 5; i++) expect((await signInFrom(guesser, email, `guess ${i}`)).status).toBe(401);
    // The guesser keeps going: refused attempts are not checked, and do not count towards the email.
    const refused = await Promise.all(Array.from({ length: 60 }, (_, i) => signInFrom(guesser, email, `more ${i}`)));
    expect(new Set(statuses(refused))).toEqual(new Set([429]));

    const signedIn = await signInFrom(organiser, email, password);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('set-cookie')).toMatch(/^__Host-session=/);
    await expectRefusal(await signInFrom(guesser, email, password));
  });

  it('refuses an email everywhere once 50 passwords were guessed for it from many clients', async () => {
    const { email, password } = await createOrganiser();
    for (let c = 0; c < 10; c++) {
      const client = newClient();
      const wrong = await Promise.all(
        Array.from({ length: 5 }, (_, i) => signInFrom(client, email, `guess ${c}.${i}`)),
      );
      expect(statuses(wrong)).toEqual([401, 401, 401, 401, 401]);
    }
    await expectRefusal(await signInFrom(newClient(), email, password));
  });

  it('refuses a client that guesses 20 passwords spread over many emails', async () => {
    const client = newClient();
    for (let e = 0; e < 5; e++) {
      const email = `sprayed-${e}-${crypto.randomUUID().slice(0, 8)}@example.com`;
      for (let i = 0; i < 4; i++) expect((await signInFrom(client, email, `guess ${i}`)).status).toBe(401);
    }
    const { email, password } = await createOrganiser();
    await expectRefusal(await signInFrom(client, email, password));
    expect((await signInFrom(newClient(), email, password)).status).toBe(303);
  });

  it('forgets a client’s failures for an email when it signs in, and never counts sign-ins that succeed', async () => {
    const { email, password } = await createOrganiser();
    const client = newClient();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) expect((await signInFrom(client, email, `guess ${i}`)).status).toBe(401);
      expect((await signInFrom(client, email, password)).status).toBe(303);
    }
    // 12 failures and 13 successes: 25 passwords checked, more than the 20 a client may get wrong.
    for (let i = 0; i < 10; i++) expect((await signInFrom(client, email, password)).status).toBe(303);
  });

  it('counts an IPv6 client by its /64, which one household or phone can move around in', async () => {
    const { email, password } = await createOrganiser();
    for (let i = 1; i <= 5; i++) {
      expect((await signInFrom(`2001:db8:5:6::${i}`, email, `guess ${i}`)).status).toBe(401);
    }
    await expectRefusal(await signInFrom('2001:db8:5:6:ffff:1:2:3', email, password));
    expect((await signInFrom('2001:db8:5:7::1', email, password)).status).toBe(303);
  });
});

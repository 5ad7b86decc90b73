import { SELF } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, records, removalAnswers, removalRequests } from '../src/db/schema';
import { portalPaths } from '../src/paths';
import { createEvent, createOrganiser, db, ORIGIN, runner, signIn, type Browser } from './fixtures';

const ANNA = runner('1', 'Anna Alpha', { extra: { Email: 'Anna.Alpha@example.org', 'Year of birth': '1984' } });
const BEN = runner('2', 'Ben Beta', { extra: { Email: 'ben@example.org', 'Year of birth': '1979' } });
// No email on record: nothing to confirm with.
const CARLA = runner('3', 'Carla Gamma', { extra: { 'Year of birth': '1990' } });

/** A published event of three runners, owned by a signed-in organiser, with the given removal check. */
async function eventWithCheck(check: string | null) {
  const { organiser, email, password } = await createOrganiser();
  const organiserBrowser = await signIn(email, password);
  const { event } = await createEvent([ANNA, BEN, CARLA]);
  await db.update(events).set({ organiserId: organiser.id }).where(eq(events.id, event.id));
  if (check !== null) {
    const res = await organiserBrowser.post(`/admin/events/${event.id}/removal-check`, { check });
    expect(res.status).toBe(303);
  }
  const rows = await db.select().from(records).where(eq(records.eventId, event.id));
  const byBib = (bib: string) => rows.find((r) => r.bib === bib)!;
  return { event, organiser: organiserBrowser, byBib };
}

const removeUrl = (slug: string, certificateId: string) => ORIGIN + portalPaths.removeCertificate(slug, certificateId);

/** What a participant sends with the form: the answer, or nothing (the "ask the organiser" button). */
const ask = (url: string, answer?: string) =>
  SELF.fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(answer === undefined ? {} : { answer }),
  });

/** Everything the public can reach of a certificate: search, page, image, verify page. */
async function publicView(slug: string, record: { certificateId: string; name: string; bib: string | null }) {
  const search = await (await SELF.fetch(`${ORIGIN}/events/${slug}?q=${record.bib}`)).text();
  const pageRes = await SELF.fetch(ORIGIN + portalPaths.certificate(slug, record.certificateId));
  const page = await pageRes.text();
  const verify = await (await SELF.fetch(ORIGIN + portalPaths.verify(record.certificateId))).text();
  return { inSearch: search.includes(record.name), page: pageRes.status, html: page, verify };
}

/** The certificate image's address, as the page names it, while the page is there. */
const imagePath = (html: string) => html.match(/src="https?:\/\/[^/"]+(\/certificates\/[^"]+\.png)"/)![1]!;

const recordsTab = async (browser: Browser, eventId: number) =>
  (await browser.get(`/admin/events/${eventId}/records`)).text();

/** The Accept or Refuse form of the waiting request of `name` on the Records tab. */
function decisionForm(html: string, name: string) {
  const section = html.slice(html.indexOf('id="removal-requests"'));
  const row = section.split('<tr>').find((r) => r.includes(name));
  return row?.match(/action="([^"]+removal-requests\/\d+)"/)?.[1];
}

describe('removing my certificate, with the event’s check', () => {
  it('removes it at once for the right answer, whatever its capitals and spaces, from search, page, image and verify', async () => {
    const { event, byBib } = await eventWithCheck('extra:Email');
    const anna = byBib('1');
    const before = await publicView(event.slug, anna);
    expect([before.inSearch, before.page]).toEqual([true, 200]);
    expect(before.verify).toContain('Valid certificate');
    const image = imagePath(before.html);
    expect((await SELF.fetch(ORIGIN + image)).status).toBe(200);

    const form = await SELF.fetch(removeUrl(event.slug, anna.certificateId));
    expect(form.status).toBe(200);
    const formHtml = await form.text();
    expect(formHtml).toContain('Your email address as you gave it when registering');
    // The check's answer never reaches the page.
    expect(formHtml).not.toContain('example.org');

    const res = await ask(removeUrl(event.slug, anna.certificateId), '  anna.ALPHA@example.org ');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Your certificate has been removed');

    const after = await publicView(event.slug, anna);
    expect(after.inSearch).toBe(false);
    expect(after.page).toBe(404);
    expect((await SELF.fetch(ORIGIN + image)).status).toBe(404);
    expect(after.verify).toContain('Withdrawn');
    expect(after.verify).not.toContain('Anna Alpha');
    // The other runners are untouched.
    expect((await publicView(event.slug, byBib('2'))).page).toBe(200);
  });

  it('says a wrong answer did not match, and after 5 sends the request to the organiser instead', async () => {
    const { event, organiser, byBib } = await eventWithCheck('extra:Year of birth');
    const ben = byBib('2');
    const url = removeUrl(event.slug, ben.certificateId);
    expect(await (await SELF.fetch(url)).text()).toContain('Your year of birth as you gave it when registering');
    for (const [guess, left] of [
      ['1980', 4],
      ['1981', 3],
      ['1982', 2],
      ['1983', 1],
    ] as const) {
      const res = await ask(url, guess);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain(
        `That does not match what the organiser has. ${left} ${left === 1 ? 'try' : 'tries'} left`,
      );
    }
    const fifth = await ask(url, '1985');
    expect(fifth.status).toBe(202);
    expect(await fifth.text()).toContain('Your request was sent to the organiser');

    // The right answer no longer removes anything: the organiser decides now.
    const page = await (await SELF.fetch(url)).text();
    expect(page).not.toContain('year of birth');
    expect(page).toContain('Your request is with the organiser');
    const late = await ask(url, '1979');
    expect(late.status).toBe(202);
    expect((await publicView(event.slug, ben)).page).toBe(200);

    const tab = await recordsTab(organiser, event.id);
    expect(tab).toContain('after 5 wrong answers to the check');
    expect(decisionForm(tab, 'Ben Beta')).toBeDefined();
    // Asking again did not make a second request.
    const waiting = await db
      .select()
      .from(removalRequests)
      .where(and(eq(removalRequests.recordId, ben.id), eq(removalRequests.state, 'pending')));
    expect(waiting).toHaveLength(1);
  });

  it('counts answers sent side by side: never more than 5 are checked', async () => {
    const { event, byBib } = await eventWithCheck('extra:Year of birth');
    const anna = byBib('1');
    const url = removeUrl(event.slug, anna.certificateId);
    const guesses = Array.from({ length: 12 }, (_, i) => String(1970 + i));
    const answers = await Promise.all(guesses.map((g) => ask(url, g)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 403).length).toBeLessThanOrEqual(4);
    expect(statuses.every((s) => s === 403 || s === 202)).toBe(true);
    const [counted] = await db.select().from(removalAnswers).where(eq(removalAnswers.recordId, anna.id));
    expect(counted!.count).toBe(5);
    expect((await publicView(event.slug, anna)).page).toBe(200);
  });

  it('sends the request to the organiser when the record has nothing to check against', async () => {
    const { event, organiser, byBib } = await eventWithCheck('extra:Email');
    const carla = byBib('3');
    const res = await ask(removeUrl(event.slug, carla.certificateId), 'carla@example.org');
    expect(res.status).toBe(202);
    expect(await res.text()).toContain('Your request was sent to the organiser');
    expect((await publicView(event.slug, carla)).page).toBe(200);
    expect(decisionForm(await recordsTab(organiser, event.id), 'Carla Gamma')).toBeDefined();
  });

  it('refuses answers that are no answer with a clear 400, without counting them', async () => {
    const { event, byBib } = await eventWithCheck('extra:Email');
    const anna = byBib('1');
    const url = removeUrl(event.slug, anna.certificateId);
    for (const answer of ['   ', 'anna\u0000@example.org', 'x'.repeat(201)]) {
      const res = await ask(url, answer);
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/Type your answer|control characters|too long/);
    }
    const broken = await SELF.fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=nope' },
      body: 'not a form',
    });
    expect(broken.status).toBe(400);
    expect(await db.select().from(removalAnswers).where(eq(removalAnswers.recordId, anna.id))).toHaveLength(0);
  });
});

describe('removing my certificate, without a check', () => {
  it('sends the request to the organiser, who accepts: the certificate is gone everywhere', async () => {
    const { event, organiser, byBib } = await eventWithCheck(null);
    const anna = byBib('1');
    const url = removeUrl(event.slug, anna.certificateId);
    const page = await (await SELF.fetch(url)).text();
    expect(page).toContain('Send my request to the organiser');
    expect(page).not.toContain('name="answer"');
    // An answer sent anyway is no confirmation.
    const res = await ask(url, 'Anna.Alpha@example.org');
    expect(res.status).toBe(202);
    expect(await res.text()).toContain('Your request was sent to the organiser');
    expect((await publicView(event.slug, anna)).page).toBe(200);
    expect(await (await SELF.fetch(url)).text()).toContain('Your request is with the organiser');

    const tab = await recordsTab(organiser, event.id);
    expect(tab).toContain('Without a check, every request waits for you here.');
    const action = decisionForm(tab, 'Anna Alpha')!;
    const accepted = await organiser.post(action, { decision: 'accept' });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toContain('notice=request-accepted');

    const after = await publicView(event.slug, anna);
    expect([after.inSearch, after.page]).toEqual([false, 404]);
    expect(after.verify).toContain('Withdrawn');
    expect(decisionForm(await recordsTab(organiser, event.id), 'Anna Alpha')).toBeUndefined();
    // Decided once is decided.
    expect((await organiser.post(action, { decision: 'refuse' })).status).toBe(404);
  });

  it('leaves the certificate as it is when the organiser refuses', async () => {
    const { event, organiser, byBib } = await eventWithCheck(null);
    const ben = byBib('2');
    expect((await ask(removeUrl(event.slug, ben.certificateId))).status).toBe(202);
    const action = decisionForm(await recordsTab(organiser, event.id), 'Ben Beta')!;
    expect((await organiser.post(action, { decision: 'maybe' })).status).toBe(400);
    const refused = await organiser.post(action, { decision: 'refuse' });
    expect(refused.headers.get('location')).toContain('notice=request-refused');
    expect((await publicView(event.slug, ben)).page).toBe(200);
    expect(decisionForm(await recordsTab(organiser, event.id), 'Ben Beta')).toBeUndefined();
  });
});

describe('who may see and decide removal requests', () => {
  it('only the event’s own organiser: another sees and decides nothing', async () => {
    const { event, organiser, byBib } = await eventWithCheck(null);
    await ask(removeUrl(event.slug, byBib('1').certificateId));
    const action = decisionForm(await recordsTab(organiser, event.id), 'Anna Alpha')!;

    const other = await createOrganiser();
    const stranger = await signIn(other.email, other.password);
    expect((await stranger.get(`/admin/events/${event.id}/records`)).status).toBe(404);
    expect((await stranger.get(`/admin/events/${event.id}/removal-check`)).status).toBe(404);
    expect((await stranger.post(action, { decision: 'accept' })).status).toBe(404);
    expect((await stranger.post(`/admin/events/${event.id}/removal-check`, { check: '' })).status).toBe(404);
    // Signed out: to sign-in; without the form's token: refused.
    expect((await SELF.fetch(ORIGIN + action, { method: 'POST', redirect: 'manual' })).status).toBe(401);
    const noToken = await SELF.fetch(ORIGIN + action, {
      method: 'POST',
      headers: { Cookie: organiser.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'decision=accept',
    });
    expect(noToken.status).toBe(403);

    expect((await publicView(event.slug, byBib('1'))).page).toBe(200);
    expect(decisionForm(await recordsTab(organiser, event.id), 'Anna Alpha')).toBe(action);
  });

  it('lets the organiser choose a column of the event, and nothing else', async () => {
    const { event, organiser } = await eventWithCheck(null);
    const form = await (await organiser.get(`/admin/events/${event.id}/removal-check`)).text();
    expect(form).toContain('value="extra:Email"');
    expect(form).toContain('value="extra:Year of birth"');
    const bad = await organiser.post(`/admin/events/${event.id}/removal-check`, { check: 'extra:Password' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Choose one of the event’s columns, or no check.');
    const [saved] = await db.select().from(events).where(eq(events.id, event.id));
    expect(saved!.removalCheck).toBeNull();
  });
});

describe('a certificate that is not shown', () => {
  it('answers its remove page as not found, as it does a number that never was', async () => {
    const { event, byBib } = await eventWithCheck('extra:Email');
    const ben = byBib('2');
    await db.update(records).set({ hidden: true }).where(eq(records.id, ben.id));
    const never = await SELF.fetch(removeUrl(event.slug, 'AAAAAAAAAAAAAAAAAAAAAA'));
    const hidden = await SELF.fetch(removeUrl(event.slug, ben.certificateId));
    expect([never.status, hidden.status]).toEqual([404, 404]);
    // Alike but for the address itself, which the page may link to (its other languages).
    const [neverText, hiddenText] = [
      (await never.text()).replaceAll('AAAAAAAAAAAAAAAAAAAAAA', ben.certificateId),
      await hidden.text(),
    ];
    expect(hiddenText).toBe(neverText);
    expect(hiddenText).not.toContain('Ben Beta');
    const answered = await ask(removeUrl(event.slug, ben.certificateId), 'ben@example.org');
    expect(answered.status).toBe(404);
    expect(await answered.text()).toBe(neverText);
    // Nor under another event's address.
    const { event: other } = await createEvent([runner('9', 'Someone Else')]);
    expect((await SELF.fetch(removeUrl(other.slug, byBib('1').certificateId))).status).toBe(404);
  });
});

import { env, SELF } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateLinks, findPublicCertificate } from '../src/certificates/public';
import { events, records, templates, type Event, type ParticipantRecord } from '../src/db/schema';
import { prepareImport } from '../src/import';
import type { RecordInput } from '../src/records/rules';
import { builtInTemplates } from '../templates';
import { assetHashOf, realJpeg, truncated } from './damaged-files';
import { createOrganiser, db, ORIGIN, pngPixels, saveRunners, signIn, type Browser } from './fixtures';

// The photo element as the designer adds it: a square on the left of the classic certificate.
const photoBox = { x: 140, y: 160, width: 300, height: 300 };
const centre = { x: photoBox.x + photoBox.width / 2, y: photoBox.y + photoBox.height / 2 };
// The sample logo's red (test/sample-images.ts), which fills the box's centre when it is the fallback.
const logoRed = [0xc0, 0x39, 0x2b];

const zipOf = (files: Record<string, Uint8Array>) =>
  new File([zipSync(files)], 'photos.zip', { type: 'application/zip' });

interface PhotoEvent {
  browser: Browser;
  event: Event;
  photos: string;
  /** The template's designer, and the layout it saved. */
  designer: string;
  layout: unknown;
  record: (bib: string) => Promise<ParticipantRecord>;
}

/**
 * An organiser's published event with Berlin 100 Mile's real results, and a template the designer
 * saved with a participant photo whose fallback is an uploaded logo.
 */
async function photoEvent(): Promise<PhotoEvent> {
  const { organiser, email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const [event] = await db
    .insert(events)
    .values({
      slug: `photos-${crypto.randomUUID().slice(0, 8)}`,
      name: 'Berlin 100 Mile',
      date: '2022-08-13',
      organiserId: organiser.id,
      published: true,
    })
    .returning();
  const plan = await prepareImport(new Uint8Array(env.RESULTS_BERLIN_100MI_2022));
  await saveRunners(
    event!.id,
    plan.records.map((r) => JSON.parse(r.json) as RecordInput),
  );
  const base = `/admin/events/${event!.id}`;
  const uploaded = await browser.post(`${base}/assets`, {
    file: new File([env.SAMPLE_LOGO_PNG], 'logo.png', { type: 'image/png' }),
  });
  expect(uploaded.status).toBe(303);
  const [template] = await db
    .insert(templates)
    .values({ eventId: event!.id, name: 'With photo', layout: builtInTemplates[0]!.layout })
    .returning();
  const layout = {
    ...builtInTemplates[0]!.layout,
    elements: [
      ...builtInTemplates[0]!.layout.elements,
      { type: 'photo', ...photoBox, fallback: await assetHashOf(new Uint8Array(env.SAMPLE_LOGO_PNG)), fit: 'cover' },
    ],
  };
  const saved = await SELF.fetch(`${ORIGIN}${base}/templates/${template!.id}/layout`, {
    method: 'POST',
    headers: { Cookie: browser.cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': browser.csrfToken },
    body: JSON.stringify({ layout }),
  });
  expect(saved.status).toBe(200);
  await db.update(events).set({ templateId: template!.id }).where(eq(events.id, event!.id));
  const record = async (bib: string) =>
    (
      await db
        .select()
        .from(records)
        .where(and(eq(records.eventId, event!.id), eq(records.bib, bib)))
    )[0]!;
  return {
    browser,
    event: event!,
    photos: `${base}/photos`,
    record,
    designer: `${base}/templates/${template!.id}`,
    layout,
  };
}

/** The certificate PNG's URL, as a search for the runner's bib finds it, or undefined when the public may not see it. */
async function pngUrl(record: ParticipantRecord) {
  const slug = (await db.select().from(events).where(eq(events.id, record.eventId)))[0]!.slug;
  const res = await SELF.fetch(`${ORIGIN}/api/v1/events/${slug}/search?q=${record.bib}`);
  const { results } = await res.json<{ results: { bib: string; imageUrl: string }[] }>();
  return results.find((r) => r.bib === record.bib)?.imageUrl;
}

async function centrePixel(url: string) {
  const res = await SELF.fetch(url);
  expect(res.status).toBe(200);
  const pixels = await pngPixels(new Uint8Array(await res.arrayBuffer()));
  return pixels.at(centre.x, centre.y).slice(0, 3);
}

const near = (pixel: number[], colour: number[]) => pixel.every((v, i) => Math.abs(v - colour[i]!) <= 8);

describe('participant photos', () => {
  let setup: PhotoEvent;
  let report: string;
  beforeAll(async () => {
    setup = await photoEvent();
    const page = await setup.browser.post(setup.photos, {
      file: zipOf({
        '1053.jpg': await realJpeg(900),
        // Larger than photos are kept: downscaled once, here.
        'Photos/4014.JPG': await realJpeg(1600),
        '99999.jpg': await realJpeg(300),
        '1005.jpg': truncated(await realJpeg(700)),
        '__MACOSX/Photos/._4014.JPG': new Uint8Array([0, 5, 22, 7]),
      }),
    });
    expect(page.status).toBe(200);
    report = await page.text();
  });

  it('reports the photos matched, the names that are no participant, and the files it could not use', () => {
    expect(report).toContain('2 photos matched to their participants');
    expect(report).toMatch(/<ul data-unknown[^>]*><li>99999\.jpg<\/li><\/ul>/);
    expect(report).toMatch(/<ul data-refused[^>]*><li>1005\.jpg: The image is damaged\.<\/li><\/ul>/);
    expect(report).not.toContain('__MACOSX');
    expect(report).toMatch(/2 of \d+ participants have a photo/);
  });

  it('draws a runner’s photo where the template places it, and the fallback for anyone without one', async () => {
    const withPhoto = await centrePixel((await pngUrl(await setup.record('1053')))!);
    const downscaled = await centrePixel((await pngUrl(await setup.record('4014')))!);
    const without = await centrePixel((await pngUrl(await setup.record('1005')))!);
    expect(near(without, logoRed)).toBe(true);
    expect(near(withPhoto, logoRed)).toBe(false);
    expect(near(downscaled, logoRed)).toBe(false);
  });

  it('gives a certificate new URLs when its photo is replaced; the old ones answer 410', async () => {
    const runner = await setup.record('1053');
    const before = (await pngUrl(runner))!;
    const other = (await pngUrl(await setup.record('4014')))!;
    const page = await setup.browser.post(setup.photos, {
      file: zipOf({ '1053.png': new Uint8Array(env.SAMPLE_LOGO_PNG) }),
    });
    expect(await page.text()).toContain('1 photo matched to its participant');

    const after = (await pngUrl(runner))!;
    expect(after).not.toBe(before);
    expect((await SELF.fetch(before)).status).toBe(410);
    expect(near(await centrePixel(after), logoRed)).toBe(true);
    // Nobody else's certificate changed.
    expect(await pngUrl(await setup.record('4014'))).toBe(other);
  });

  it('never shows a hidden runner’s photo: their certificate and its images are gone', async () => {
    const runner = await setup.record('4014');
    const url = (await pngUrl(runner))!;
    await db.update(records).set({ hidden: true }).where(eq(records.id, runner.id));
    expect(await pngUrl(runner)).toBeUndefined();
    expect((await SELF.fetch(url)).status).toBe(404);
    const page = await SELF.fetch(`${ORIGIN}/events/${setup.event.slug}/certificates/${runner.certificateId}`);
    expect(page.status).toBe(404);
  });

  it('leaves the certificates of templates without a photo element as they were', async () => {
    const runner = await setup.record('1053');
    const certificate = (await findPublicCertificate(db, runner.certificateId))!;
    expect(certificate.photo).toMatch(/^[0-9a-f]{32}$/);
    const [plain] = await db
      .insert(templates)
      .values({ eventId: setup.event.id, name: 'Plain', layout: builtInTemplates[0]!.layout })
      .returning();
    const plainLinks = await certificateLinks(ORIGIN, {
      ...certificate,
      template: { id: plain!.id, version: plain!.version, layout: builtInTemplates[0]!.layout, fingerprint: 'x' },
      photo: undefined,
    });
    const withoutPhotoField = await certificateLinks(ORIGIN, {
      event: certificate.event,
      record: certificate.record,
      template: { id: plain!.id, version: plain!.version, layout: builtInTemplates[0]!.layout, fingerprint: 'x' },
    });
    expect(plainLinks.formats.png).toBe(withoutPhotoField.formats.png);
  });

  it('offers the photo in the designer, whose preview for a bib shows that runner’s photo', async () => {
    const page = await (await setup.browser.get(`${setup.designer}/design`)).text();
    expect(page).toContain('data-add="photo"');
    const preview = async (bib: string) => {
      const res = await SELF.fetch(`${ORIGIN}${setup.designer}/preview`, {
        method: 'POST',
        headers: {
          Cookie: setup.browser.cookie,
          'Content-Type': 'application/json',
          'X-CSRF-Token': setup.browser.csrfToken,
        },
        body: JSON.stringify({ layout: setup.layout, bib }),
      });
      expect(res.status).toBe(200);
      return (await pngPixels(new Uint8Array(await res.arrayBuffer()))).at(centre.x, centre.y).slice(0, 3);
    };
    expect(near(await preview('1005'), logoRed)).toBe(true);
    // Bib 4014's photo is the camera JPEG, hidden or not: the organiser still designs with it.
    expect(near(await preview('4014'), logoRed)).toBe(false);
  });

  it('answers 404 to another organiser uploading photos to this event', async () => {
    const other = await createOrganiser();
    const browser = await signIn(other.email, other.password);
    const res = await browser.post(setup.photos, { file: zipOf({ '1053.jpg': await realJpeg(300) }) });
    expect(res.status).toBe(404);
    expect((await browser.get(setup.photos)).status).toBe(404);
  });

  it('refuses a file that declares more than a photo may be before inflating it, and a ZIP of too many files', async () => {
    // 40 MB of zeros deflate to a few KB: a zip bomb in miniature.
    const bomb = await setup.browser.post(setup.photos, {
      file: zipOf({ '1053.jpg': new Uint8Array(40 * 1024 * 1024) }),
    });
    expect(await bomb.text()).toMatch(/1053\.jpg: Photos may be at most 10 MB\./);

    const many = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`${i}.jpg`, new Uint8Array(1)]));
    const tooMany = await setup.browser.post(setup.photos, { file: zipOf(many) });
    expect(tooMany.status).toBe(413);
    expect(await tooMany.text()).toContain('one ZIP may have at most 500');

    const notZip = await setup.browser.post(setup.photos, { file: new File([env.SAMPLE_LOGO_PNG], 'photos.zip') });
    expect(notZip.status).toBe(400);
    expect(await notZip.text()).toContain('This is not a ZIP file');
  });
});

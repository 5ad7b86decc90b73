/**
 * A names-only participation event, in a real browser (Debian's Chromium through playwright-core),
 * as an organiser on a deadline sets it up: sign in, create the event, walk the setup wizard
 * (an upload source, the built-in "Participation" template, a participant list of names and
 * nothing else), import, publish; then a participant on a phone finds their certificate by a
 * name typed without accents. No bib anywhere: the mapping screen imports without one, each record
 * is known by its name (`name:…`), and neither the certificate page nor the certificate shows a
 * "Bib" label. Uploading the same list again changes nothing, and the certificate link stays.
 *
 * Runs against its own `wrangler dev` on 127.0.0.1:8791 over a fresh state directory, so the
 * developer's local data is neither used nor changed. `npm run test:e2e`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { t as messagesIn } from '../../src/portal/i18n';
import { prepareState, startServer, statePaths, waitForPortFree, type Server } from './server';

const PORT = 8791;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ORGANISER = { email: 'participation@example.com', password: 'participation-password-123' };
const EVENT = {
  name: 'Riverside Family Walk 2026',
  slug: 'riverside-family-walk-2026',
  date: '2026-06-14',
  location: 'Ghent',
};
const SOURCE = 'Sign-up list';
const PHONE = { width: 390, height: 844 };
// The participant's phone is set to Spanish: the portal answers in Spanish.
const ES = messagesIn('es');

// A sign-up list: a header and names, nothing else. No bib, no time, no id column.
const NAMES = ['Anna Müller', 'José García', 'Kwame Mensah'];
const LIST = `Name\n${NAMES.join('\n')}\n`;

// Where the Participation template draws its "Bib {bib}" line and its "Finish time {finishTime}"
// line on the 1754×1240 page (templates/participation.json), and its background colour. Both lines
// are drawn only with their value, so on a names-only certificate these boxes stay background.
const PAGE_WIDTH = 1754;
const BIB_LINE = { x: 120, y: 1060, width: 800, height: 40 };
const FINISH_TIME_LINE = { x: 120, y: 830, width: 1514, height: 70 };
const BACKGROUND = { r: 0xf0, g: 0xfd, b: 0xfa };

const work = mkdtempSync(join(tmpdir(), 'certify-participation-'));
const paths = statePaths(work);
mkdirSync(paths.screenshots, { recursive: true });

let server: Server | undefined;
let browser: Browser | undefined;
let organiser: BrowserContext;
let admin: Page;
let participantPage: Page | undefined;
let eventId: number;
let base: string;
let certificateUrl: string;
let broken: string | undefined;

/** Polls `check` until it returns true, at most `timeoutMs`; fails with `what`. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000, everyMs = 200) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * Loaded image size in the page, once the browser has decoded it (bounded wait). Polled through
 * locator.evaluate with a function: page.waitForFunction with a string body is eval, which the
 * page's CSP forbids.
 */
async function loadedImage(img: Locator, what: string, timeoutMs = 30_000) {
  await img.scrollIntoViewIfNeeded();
  let size = { complete: false, naturalWidth: 0, naturalHeight: 0 };
  await until(
    `${what} to load`,
    async () => {
      size = await img.evaluate((el: { complete: boolean; naturalWidth: number; naturalHeight: number }) => ({
        complete: el.complete,
        naturalWidth: el.naturalWidth,
        naturalHeight: el.naturalHeight,
      }));
      return size.complete && size.naturalWidth > 0;
    },
    timeoutMs,
  );
  return size;
}

/**
 * How many pixels of a box (in the 1754 px wide design's coordinates) of a loaded image differ
 * from the template's background, read through a canvas (the image is same-origin).
 */
async function inkIn(img: Locator, box: { x: number; y: number; width: number; height: number }) {
  return img.evaluate(
    // biome-ignore lint/suspicious/noExplicitAny: runs in the page; the project compiles without the DOM library.
    (el: any, { box, background, pageWidth }) => {
      const scale = el.naturalWidth / pageWidth;
      const canvas = el.ownerDocument.createElement('canvas');
      canvas.width = el.naturalWidth;
      canvas.height = el.naturalHeight;
      const context = canvas.getContext('2d');
      context.drawImage(el, 0, 0);
      const data: Uint8ClampedArray = context.getImageData(
        Math.round(box.x * scale),
        Math.round(box.y * scale),
        Math.round(box.width * scale),
        Math.round(box.height * scale),
      ).data;
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (
          Math.abs(data[i]! - background.r) > 8 ||
          Math.abs(data[i + 1]! - background.g) > 8 ||
          Math.abs(data[i + 2]! - background.b) > 8
        )
          ink++;
      }
      return ink;
    },
    { box, background: BACKGROUND, pageWidth: PAGE_WIDTH },
  );
}

const texts = async (rows: Locator) => (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The names-only list, uploaded from the form on the page (the wizard's or the Records tab's), to its mapping screen. */
async function uploadList(name: string) {
  const file = join(work, name);
  writeFileSync(file, LIST);
  await admin.getByLabel('Results file').setInputFiles(file);
  await admin.getByRole('button', { name: 'Preview import' }).click();
  await admin.getByRole('heading', { name: 'Check the import' }).waitFor();
}

/** The mapping screen's choice for a field: the column's header, or '' for "(none)". */
const mapped = (label: string) => admin.getByLabel(label, { exact: true }).inputValue();

/** A screenshot of the whole page, named in the test's output. */
async function screenshot(t: TestContext, page: Page, name: string) {
  const shot = join(paths.screenshots, `${name}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  t.diagnostic(`screenshot: ${shot}`);
}

/**
 * One step of the walk. Steps share one browser session, so after a failure the later ones are
 * skipped rather than failing for the same cause; the page at the failure is kept as a screenshot.
 */
function step(name: string, fn: (t: TestContext) => Promise<void>, timeout = 60_000) {
  test(name, { timeout }, async (t) => {
    if (broken) return t.skip(`skipped: "${broken}" failed`);
    try {
      await fn(t);
    } catch (error) {
      broken = name;
      const page = participantPage ?? admin;
      const shot = join(paths.screenshots, `FAILED-${name.replace(/\W+/g, '-')}.png`);
      await page?.screenshot({ path: shot, fullPage: true, timeout: 5_000 }).catch(() => undefined);
      t.diagnostic(`page at failure: ${page?.url()} (screenshot ${shot})`);
      if (server) t.diagnostic(`wrangler dev log tail (${server.logPath}):\n${server.logTail(25)}`);
      throw error;
    }
  });
}

describe('an organiser publishes a names-only participation event; a participant on a phone finds their certificate', () => {
  before(
    async () => {
      const started = performance.now();
      prepareState(paths.state, ORGANISER);
      server = await startServer({ port: PORT, stateDir: paths.state, logPath: paths.log });
      base = server.baseUrl;
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        // playwright-core gives every launch a fresh, temporary --user-data-dir of its own.
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
        timeout: 30_000,
      });
      organiser = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
      organiser.setDefaultTimeout(15_000);
      organiser.setDefaultNavigationTimeout(30_000);
      admin = await organiser.newPage();
      console.log(
        `# server, state and browser ready in ${((performance.now() - started) / 1000).toFixed(1)} s (${work})`,
      );
    },
    { timeout: 150_000 },
  );

  after(
    async () => {
      await browser?.close().catch(() => undefined);
      server?.stop();
      await waitForPortFree(PORT);
      // The server's state goes; after a failure it stays beside the log for a look.
      if (!broken) rmSync(paths.state, { recursive: true, force: true });
      console.log(`# screenshots and server log kept in ${work}`);
    },
    { timeout: 30_000 },
  );

  step('the organiser signs in and creates the event, landing on the setup wizard', async () => {
    await admin.goto(`${base}/admin/sign-in`);
    await admin.getByLabel('Email').fill(ORGANISER.email);
    await admin.getByLabel('Password').fill(ORGANISER.password);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('heading', { name: 'Your events' }).waitFor();

    await admin.getByRole('link', { name: 'New event' }).click();
    await admin.getByRole('heading', { name: 'New event' }).waitFor();
    await admin.getByLabel('Name', { exact: true }).fill(EVENT.name);
    await admin.getByLabel('Address', { exact: true }).fill(EVENT.slug);
    await admin.getByLabel('Date', { exact: true }).fill(EVENT.date);
    await admin.getByLabel('Location', { exact: true }).fill(EVENT.location);
    await admin.getByRole('button', { name: 'Create event' }).click();
    await admin.waitForURL(/\/admin\/events\/\d+\/setup$/);
    eventId = Number(/\/events\/(\d+)\/setup$/.exec(admin.url())![1]);
    await admin.getByRole('heading', { name: EVENT.name }).waitFor();
    const current = admin.getByRole('list', { name: 'Setup steps' }).locator('[aria-current="step"]');
    assert.equal((await current.innerText()).trim(), 'Connect a source');
  });

  step('wizard step 1: an upload source for the sign-up list', async () => {
    assert.equal(await admin.getByLabel('Upload a results file (CSV)').isChecked(), true, 'upload is the default kind');
    await admin.getByLabel('Name', { exact: true }).fill(SOURCE);
    await admin.getByRole('button', { name: 'Add source' }).click();
    await admin.waitForURL(`${base}/admin/events/${eventId}/setup`);
    const current = admin.getByRole('list', { name: 'Setup steps' }).locator('[aria-current="step"]');
    assert.equal((await current.innerText()).trim(), 'Pick a certificate template');
  });

  step('wizard step 2: the built-in Participation template, its preview loaded', async () => {
    const card = admin
      .locator('form')
      .filter({ has: admin.getByRole('heading', { name: 'Participation', exact: true }) });
    assert.equal(await card.count(), 1, 'one built-in template is called Participation');
    const preview = card.getByRole('img', { name: 'Preview of Participation' });
    const size = await loadedImage(preview, 'the Participation preview');
    assert.ok(size.naturalWidth > 0, 'the preview image has pixels');
    // The preview's sample participant has a bib and a time: those lines are drawn there. This
    // shows the blank-box check on the participants' certificates below can see a label.
    assert.ok((await inkIn(preview, BIB_LINE)) > 0, 'the preview draws “Bib 1234” where the check looks');
    assert.ok((await inkIn(preview, FINISH_TIME_LINE)) > 0, 'the preview draws the finish time where the check looks');

    await card.getByRole('button', { name: 'Use this template' }).click();
    await admin.waitForURL(`${base}/admin/events/${eventId}/setup`);
    const current = admin.getByRole('list', { name: 'Setup steps' }).locator('[aria-current="step"]');
    assert.equal((await current.innerText()).trim(), 'Add records');
  });

  step('wizard step 3: a list of names alone goes through the mapping screen with no bib', async (t) => {
    await uploadList('sign-up-list.csv');
    // Nothing stops the import: no error, no bib chosen, no key column, and the names read.
    assert.equal(await admin.getByRole('alert').count(), 0, 'the mapping screen shows no error');
    assert.equal(await mapped('bib'), '', 'bib is left at (none)');
    assert.equal(await mapped('participant key'), '', 'there is no id column to key by');
    assert.equal(await mapped('name'), 'Name');
    await admin.getByText(`3 records will be imported into “${SOURCE}”.`, { exact: false }).waitFor();

    const landing = admin
      .locator('.card')
      .filter({ has: admin.getByRole('heading', { name: 'First records as they will land' }) })
      .getByRole('table');
    const rows = await texts(landing.getByRole('row'));
    assert.equal(rows.length, 1 + NAMES.length, `header and ${NAMES.length} records: ${rows.join(' | ')}`);
    for (const name of NAMES)
      assert.ok(
        rows.some((r) => r.startsWith(name)),
        `the preview lands ${name} with an empty bib: ${rows.join(' | ')}`,
      );
    assert.equal(await admin.getByRole('heading', { name: 'Rows left out' }).count(), 0, 'no row is left out');
    assert.equal(await admin.getByRole('heading', { name: 'Duplicates' }).count(), 0, 'no one is a duplicate');
    await screenshot(t, admin, 'mapping-screen-names-only');

    await admin.getByRole('button', { name: `Import ${NAMES.length} records` }).click();
    await admin.getByRole('heading', { name: 'Import finished' }).waitFor();
    assert.equal(
      oneLine(await admin.getByRole('status').innerText()),
      '3 added, 0 updated, 0 unchanged, 0 removed, 0 rows left out.',
    );
  });

  step('Records lists the three people, without bibs', async () => {
    await admin.getByRole('link', { name: 'See the records' }).click();
    await admin.waitForURL(`${base}/admin/events/${eventId}/records`);
    await admin.getByText('3 records', { exact: true }).waitFor();
    const rows = await texts(admin.getByRole('table').first().getByRole('row'));
    assert.equal(rows.length, 1 + NAMES.length, `header and ${NAMES.length} records: ${rows.join(' | ')}`);
    for (const name of NAMES)
      assert.ok(
        rows.some((r) => r.startsWith(name)),
        `Records lists ${name} with an empty bib: ${rows.join(' | ')}`,
      );
  });

  step('each record is known by its name: the API finds José García at name:jose garcia', async () => {
    // An organiser's API token, made in the admin, reads a record by its participant key.
    await admin.goto(`${base}/admin/tokens`);
    await admin.getByRole('heading', { name: 'API tokens' }).waitFor();
    await admin.getByLabel('New token name').fill('participation e2e');
    await admin.getByRole('button', { name: 'Create token' }).click();
    const token = (await admin.locator('[data-token]').innerText()).trim();
    assert.ok(token.length > 20, 'the token is shown once');
    const record = async (key: string) => {
      const response = await fetch(`${base}/api/v1/events/${EVENT.slug}/records/${encodeURIComponent(key)}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    for (const [key, name] of [
      ['name:jose garcia', 'José García'],
      ['name:anna muller', 'Anna Müller'],
      ['name:kwame mensah', 'Kwame Mensah'],
    ] as const) {
      const { status, body } = await record(key);
      assert.equal(status, 200, `GET records/${key}: ${JSON.stringify(body)}`);
      assert.equal(body['name'], name);
      assert.equal(body['bib'], null, `${name} has no bib`);
    }
  });

  step(
    'publishing renders the three certificates',
    async () => {
      await admin.goto(`${base}/admin/events/${eventId}/publish`);
      await admin.getByText('Participants cannot find this event yet.').waitFor();
      const publishUrl = `${base}/admin/events/${eventId}/publish`;
      const posted = admin.waitForResponse((r) => r.request().method() === 'POST' && r.url() === publishUrl);
      await admin.getByRole('button', { name: 'Publish', exact: true }).click();
      assert.equal((await posted).status(), 303, 'the publish form was accepted');
      // The page polls the progress and reloads itself when the run is done (a bounded wait).
      await admin.getByRole('heading', { name: 'Last publish' }).waitFor({ timeout: 60_000 });
      const bar = await admin
        .locator('progress')
        .evaluate((el: { value: number; max: number }) => ({ value: el.value, max: el.max }));
      assert.deepEqual(bar, { value: 3, max: 3 });
      assert.equal((await admin.locator('output').innerText()).trim(), '3 of 3 ready');
      await admin.getByRole('link', { name: `/events/${EVENT.slug}` }).waitFor();
    },
    90_000,
  );

  step('a participant on a phone types “garcia” and finds José García', async () => {
    const phone = await browser!.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
      locale: 'es-ES',
    });
    phone.setDefaultTimeout(15_000);
    phone.setDefaultNavigationTimeout(30_000);
    assert.deepEqual(await phone.cookies(), [], 'a fresh context, not the organiser’s');
    participantPage = await phone.newPage();
    const page = participantPage;
    await page.goto(`${base}/events/${EVENT.slug}`);
    await page.getByRole('heading', { name: EVENT.name }).waitFor();

    await page.getByRole('searchbox').fill('garcia');
    await page.getByRole('button', { name: ES.search }).click();
    await page.waitForURL(/\?q=garcia$/);
    const hits = page.getByRole('listitem').getByRole('link');
    await hits.first().waitFor();
    assert.deepEqual(await texts(hits), ['José García'], 'one hit, the name alone: no “#bib”');
    const hit = page.getByRole('link', { name: /José García/ });
    certificateUrl = new URL((await hit.getAttribute('href'))!, page.url()).href;
    await hit.click();
    await page.waitForURL(new RegExp(`/events/${EVENT.slug}/certificates/[\\w-]+$`));
    assert.equal(page.url(), certificateUrl);
  });

  step('the certificate page shows José García’s certificate and no “Bib” anywhere', async (t) => {
    const page = participantPage!;
    await page.getByRole('heading', { name: 'José García' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'es');
    const alt = ES.certificateAlt('José García', EVENT.name);
    assert.equal(alt, `Certificado de José García en ${EVENT.name}`);
    const image = page.getByRole('img', { name: alt });
    const size = await loadedImage(image, 'the certificate image');
    assert.ok(size.naturalWidth > 0, 'the certificate image has pixels');
    assert.equal(size.naturalWidth, PAGE_WIDTH);

    // The texts a reader, a screen reader or a social network gets from the page.
    const meta = (selector: string) => page.locator(selector).getAttribute('content');
    assert.equal(await meta('meta[property="og:image:alt"]'), `José García: Finisher en ${EVENT.name}`);
    assert.equal(await meta('meta[property="og:title"]'), `José García · ${EVENT.name}`);
    assert.equal(await meta('meta[property="og:description"]'), ES.tookPart('José García', EVENT.name));
    await page.getByText(ES.tookPart('José García', EVENT.name)).waitFor();
    const visible = await page.locator('body').innerText();
    assert.doesNotMatch(visible, /\bbib\b/i, 'the page shows no bib label');
    const html = await page.content();
    assert.ok(!html.includes('Bib'), 'the page’s HTML has no “Bib”');
    assert.doesNotMatch(html, /\bbib\b/i, 'nor a “bib” in any case');

    // The certificate itself: no "Bib" line, and no "Finish time" line without a time.
    assert.equal(await inkIn(image, BIB_LINE), 0, 'the certificate’s bib line is blank');
    assert.equal(await inkIn(image, FINISH_TIME_LINE), 0, 'the certificate’s finish-time line is blank');

    // The share card the og:image names is there.
    const ogImage = await meta('meta[property="og:image"]');
    assert.ok(ogImage, 'the page has an og:image');
    const share = await page.request.get(ogImage);
    assert.equal(share.status(), 200);
    assert.equal(share.headers()['content-type'], 'image/png');

    await image.scrollIntoViewIfNeeded();
    await screenshot(t, page, 'participant-certificate-names-only');
  });

  step('the certificate’s check page names José García with no bib', async () => {
    const page = participantPage!;
    await page.getByRole('link', { name: ES.verify[1] }).click();
    await page.waitForURL(/\/verify\/[\w-]+\/[\w-]+$/);
    // The phone is set to Spanish: so is the check page.
    await page.getByRole('heading', { name: ES.verdicts.valid }).waitFor();
    const participant = page.locator('dt', { hasText: ES.participant }).locator('xpath=following-sibling::dd[1]');
    assert.equal((await participant.innerText()).trim(), 'José García');
  });

  step('the other names are found too, accents typed or not', async () => {
    const page = participantPage!;
    for (const [query, name] of [
      ['muller', 'Anna Müller'],
      ['Müller', 'Anna Müller'],
      ['kwame', 'Kwame Mensah'],
    ] as const) {
      await page.goto(`${base}/events/${EVENT.slug}`);
      await page.getByRole('searchbox').fill(query);
      await page.getByRole('button', { name: ES.search }).click();
      const hits = page.getByRole('listitem').getByRole('link');
      await hits.first().waitFor();
      assert.deepEqual(await texts(hits), [name], `“${query}” finds ${name}`);
    }
  });

  step('uploading the same list again changes nothing, and the certificate link stays', async () => {
    await admin.goto(`${base}/admin/events/${eventId}/records`);
    await uploadList('sign-up-list-again.csv');
    // The columns saved with the source fit this file: no notice, the same choices.
    assert.equal(await admin.getByText(/do not fit this file/).count(), 0, 'the saved columns fit');
    assert.equal(await mapped('bib'), '');
    assert.equal(await mapped('name'), 'Name');
    assert.equal(await admin.locator('#import-source option:checked').innerText(), SOURCE);
    await admin.getByRole('button', { name: `Import ${NAMES.length} records` }).click();
    await admin.getByRole('heading', { name: 'Import finished' }).waitFor();
    assert.equal(
      oneLine(await admin.getByRole('status').innerText()),
      '0 added, 0 updated, 3 unchanged, 0 removed, 0 rows left out.',
    );
    await admin.getByRole('link', { name: 'See the records' }).click();
    await admin.getByText('3 records', { exact: true }).waitFor();

    // The participant searches again: the same one hit, at the same address.
    const page = participantPage!;
    await page.goto(`${base}/events/${EVENT.slug}?q=garcia`);
    const hits = page.getByRole('listitem').getByRole('link');
    await hits.first().waitFor();
    assert.deepEqual(await texts(hits), ['José García']);
    assert.equal(new URL((await hits.first().getAttribute('href'))!, page.url()).href, certificateUrl);
    await hits.first().click();
    await loadedImage(
      page.getByRole('img', { name: ES.certificateAlt('José García', EVENT.name) }),
      'the certificate image after the re-upload',
    );
  });

  step(
    'on the phone, Share sends the story image itself, and a 200-character search keeps the page phone-wide',
    async (t) => {
      const page = participantPage!;
      // Headless Chromium has no share sheet: this stand-in, installed before the page's script runs,
      // accepts files as a phone does and keeps what it was given, with the PNG's size from its header.
      await page.addInitScript(() => {
        // biome-ignore lint/suspicious/noExplicitAny: runs in the page; the project compiles without the DOM library.
        const inPage = globalThis as any;
        const nav = inPage.navigator;
        nav.canShare = (data: { files?: { type: string }[] }) =>
          (data.files ?? []).every((f) => ['image/png', 'application/pdf'].includes(f.type));
        nav.share = async (data: { files?: Blob[] & { name: string }[]; title: string; text: string; url: string }) => {
          const files = [];
          for (const file of data.files ?? []) {
            const header = new DataView(await file.slice(16, 24).arrayBuffer());
            files.push({
              name: file.name,
              type: file.type,
              isFile: file instanceof File,
              width: header.getUint32(0),
              height: header.getUint32(4),
            });
          }
          inPage.shared = { files, title: data.title, text: data.text, url: data.url };
        };
      });
      await page.goto(certificateUrl);
      const chooser = page.getByLabel(ES.format, { exact: true });
      await chooser.waitFor();
      assert.equal(
        await chooser.evaluate(
          (el: { selectedOptions: { textContent: string }[] }) => el.selectedOptions[0]!.textContent,
        ),
        ES.formats.story,
        'on a phone the story is chosen',
      );
      await page.getByRole('button', { name: ES.share, exact: true }).click();
      // biome-ignore lint/suspicious/noExplicitAny: read from the page.
      const shared = async () => page.evaluate(() => (globalThis as any).shared);
      await until('the share sheet to be given the image', async () => Boolean(await shared()));
      const sent = await shared();
      assert.equal(sent.url, certificateUrl);
      assert.equal(sent.text, ES.shareText(EVENT.name));
      assert.equal(sent.files.length, 1, 'one file is shared');
      const [file] = sent.files;
      assert.equal(file.isFile, true, 'a File, not a link');
      assert.equal(file.type, 'image/png');
      assert.match(file.name, new RegExp(`^${EVENT.slug}-.+-story\\.png$`));
      assert.deepEqual({ width: file.width, height: file.height }, { width: 1080, height: 1920 });
      // Every network has a plain link too, for a phone without a share sheet.
      for (const host of ['wa.me', 'www.facebook.com', 'x.com', 't.me', 'www.linkedin.com'])
        assert.equal(await page.locator(`a[href^="https://${host}/"]`).count(), 1, `a link to ${host}`);

      // A 200-character search, with nothing in it to break at, wraps inside the phone's width.
      await page.goto(`${base}/events/${EVENT.slug}`);
      await page.getByRole('searchbox').fill('x'.repeat(200));
      await page.getByRole('button', { name: ES.search }).click();
      await page.getByText(/Nadie coincide con/).waitFor();
      const width = await page.evaluate(() => {
        // biome-ignore lint/suspicious/noExplicitAny: runs in the page.
        const { document, innerWidth } = globalThis as any;
        return { page: document.documentElement.scrollWidth as number, viewport: innerWidth as number };
      });
      assert.ok(width.page <= PHONE.width, `the page is ${width.page}px wide on a ${PHONE.width}px phone`);
      assert.equal(width.viewport, PHONE.width);
      await screenshot(t, page, 'participant-long-search');

      // The switcher's plain link turns the page English, and the choice stays.
      await page.getByRole('link', { name: 'English' }).click();
      await page.getByRole('button', { name: 'Search', exact: true }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      await page.goto(`${base}/events/${EVENT.slug}`);
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    },
  );
});

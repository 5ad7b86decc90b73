/**
 * The product end to end, in a real browser (Debian's Chromium through playwright-core): an
 * organiser signs in, creates an event, walks the setup wizard (source, template, CSV import),
 * checks the records and publishes; then a participant on a phone finds their certificate.
 *
 * Runs against its own `wrangler dev` on 127.0.0.1:8788 over a fresh state directory, so the
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
import { sampleImages } from '../sample-images';
import { prepareState, startServer, statePaths, waitForPortFree, type Server } from './server';

const PORT = 8788;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ORGANISER = { email: 'e2e@example.com', password: 'e2e-password-123' };
const EVENT = { name: 'E2E City Run 2026', slug: 'e2e-city-run-2026', date: '2026-05-17', location: 'Lyon' };
const PHONE = { width: 390, height: 844 };
const FR = messagesIn('fr');

// Five data rows: accents, a Cyrillic name, a DNF, and a row without a bib (line 6) that is left out.
const CSV = [
  'Bib,Name,Time,Gender,Age',
  '101,Zoë Lefèvre,3:12:45,F,34',
  '102,Дмитрий Иванов,3:25:10,M,41',
  '103,Hélène Dubois,3:40:02,F,29',
  '104,Björn Øster,DNF,M,52',
  ',Anna Nobib,4:01:00,F,38',
].join('\n');
const IMPORTED = ['Zoë Lefèvre', 'Дмитрий Иванов', 'Hélène Dubois', 'Björn Øster'];

const work = mkdtempSync(join(tmpdir(), 'certify-e2e-'));
const paths = statePaths(work);
mkdirSync(paths.screenshots, { recursive: true });

let server: Server | undefined;
let browser: Browser | undefined;
let organiser: BrowserContext;
let admin: Page;
let participantPage: Page | undefined;
let eventId: number;
let base: string;
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

/** Loaded image size in the page, once the browser has decoded it (bounded wait). */
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

const pngSize = (bytes: Buffer) => {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', 'the body is a PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
};

/**
 * Waits until the designer's live preview is an image of this width. (Not waitForFunction with a
 * string: when it has to poll, it evaluates the string, which the page's CSP forbids.)
 */
async function previewLoaded(width: number) {
  const preview = admin.getByRole('img', { name: 'Live preview of the certificate' });
  await until(
    `a preview ${width} px wide`,
    async () => (await preview.evaluate((img: { naturalWidth: number }) => img.naturalWidth)) === width,
  );
}

const texts = async (rows: Locator) => (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());

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

describe('organiser sets up and publishes an event; a participant finds their certificate', () => {
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

  step('the organiser signs in and the session cookie is kept', async () => {
    await admin.goto(`${base}/admin/sign-in`);
    await admin.getByLabel('Email').fill(ORGANISER.email);
    await admin.getByLabel('Password').fill(ORGANISER.password);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('heading', { name: 'Your events' }).waitFor();
    const cookie = (await organiser.cookies(base)).find((c) => c.name === '__Host-session');
    assert.ok(cookie, `Chromium stored no __Host-session cookie for ${base}`);
    assert.equal(cookie.secure, true);
    assert.equal(cookie.httpOnly, true);
    // The cookie is what keeps the organiser in: a second page load is still signed in.
    await admin.reload();
    await admin.getByRole('heading', { name: 'Your events' }).waitFor();
  });

  step('creating an event lands on the setup wizard', async () => {
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

  step('wizard step 1: add an upload source', async () => {
    assert.equal(await admin.getByLabel('Upload a results file (CSV)').isChecked(), true, 'upload is the default kind');
    await admin.getByLabel('Name', { exact: true }).fill('Timing export');
    await admin.getByRole('button', { name: 'Add source' }).click();
    await admin.waitForURL(`${base}/admin/events/${eventId}/setup`);
    const current = admin.getByRole('list', { name: 'Setup steps' }).locator('[aria-current="step"]');
    assert.equal((await current.innerText()).trim(), 'Pick a certificate template');
    assert.match(await admin.getByRole('list', { name: 'Setup steps' }).innerText(), /✓ Connect a source/);
  });

  step('wizard step 2: pick the built-in template, whose preview has loaded', async () => {
    const preview = admin.getByRole('img', { name: /^Preview of / }).first();
    const size = await loadedImage(preview, 'the template preview');
    assert.ok(size.naturalWidth > 0, 'the preview image has pixels');
    await admin.getByRole('button', { name: 'Use this template' }).first().click();
    await admin.waitForURL(`${base}/admin/events/${eventId}/setup`);
    const current = admin.getByRole('list', { name: 'Setup steps' }).locator('[aria-current="step"]');
    assert.equal((await current.innerText()).trim(), 'Add records');
  });

  step('wizard step 3: upload a CSV, check the preview, import it', async () => {
    writeFileSync(paths.csv, `${CSV}\n`);
    await admin.getByLabel('Results file').setInputFiles(paths.csv);
    await admin.getByRole('button', { name: 'Preview import' }).click();
    await admin.getByRole('heading', { name: 'Check the import' }).waitFor();

    // The suggested mapping, as selects the organiser could change.
    const mapped = async (label: string) => admin.getByLabel(label, { exact: true }).inputValue();
    assert.equal(await mapped('bib'), 'Bib');
    assert.equal(await mapped('name'), 'Name');
    assert.equal(await mapped('finish time'), 'Time');
    assert.equal(await mapped('gender'), 'Gender');
    assert.equal(await mapped('age'), 'Age');

    const previewRows = await texts(admin.getByRole('table').getByRole('row'));
    for (const name of IMPORTED)
      assert.ok(
        previewRows.some((r) => r.includes(name)),
        `preview shows ${name}: ${previewRows.join(' | ')}`,
      );
    assert.ok(
      previewRows.some((r) => r.includes('Björn Øster') && r.includes('dnf')),
      'the DNF row reads as dnf',
    );
    assert.ok(!previewRows.some((r) => r.includes('Anna Nobib')), 'the row without a bib is not previewed as a record');
    await admin.getByRole('heading', { name: 'Rows left out' }).waitFor();

    await admin.getByRole('button', { name: `Import ${IMPORTED.length} records` }).click();
    await admin.getByRole('heading', { name: 'Import finished' }).waitFor();
    const report = (await admin.getByRole('status').innerText()).trim();
    assert.equal(report, '4 added, 0 updated, 0 unchanged, 0 removed, 1 row left out.');
    const left = await texts(
      admin
        .getByRole('heading', { name: 'Rows left out' })
        .locator('xpath=following-sibling::ul[1]')
        .getByRole('listitem'),
    );
    assert.deepEqual(left, ['Line 6: bib is empty (column "Bib")']);
  });

  step('the event tabs now show Certificate, Records and Publish; Records lists the people', async (t) => {
    await admin.getByRole('link', { name: 'See the records' }).click();
    await admin.waitForURL(`${base}/admin/events/${eventId}/records`);
    const tabs = await texts(admin.getByRole('navigation', { name: 'Event' }).getByRole('link'));
    assert.deepEqual(tabs, ['Overview', 'Certificate', 'Records', 'Publish']);
    assert.equal(
      await admin
        .getByRole('navigation', { name: 'Event' })
        .getByRole('link', { name: 'Records' })
        .getAttribute('aria-current'),
      'page',
    );

    await admin.getByText('4 records', { exact: true }).waitFor();
    const rows = await texts(admin.getByRole('table').getByRole('row'));
    assert.equal(rows.length, 1 + IMPORTED.length, `header and ${IMPORTED.length} records: ${rows.join(' | ')}`);
    for (const [i, name] of IMPORTED.entries()) {
      assert.ok(
        rows.some((r) => r.startsWith(`${101 + i} ${name}`)),
        `Records lists bib ${101 + i} ${name}: ${rows.join(' | ')}`,
      );
    }
    assert.ok(
      rows.some((r) => r.includes('Björn Øster DNF')),
      'Björn Øster is listed as DNF',
    );
    const shot = join(paths.screenshots, 'admin-records.png');
    await admin.screenshot({ path: shot, fullPage: true });
    t.diagnostic(`screenshot: ${shot}`);
  });

  step(
    'publishing renders every certificate and the page follows the progress',
    async () => {
      await admin.getByRole('navigation', { name: 'Event' }).getByRole('link', { name: 'Publish' }).click();
      await admin.waitForURL(`${base}/admin/events/${eventId}/publish`);
      await admin.getByText('Participants cannot find this event yet.').waitFor();
      const publishUrl = `${base}/admin/events/${eventId}/publish`;
      const posted = admin.waitForResponse((r) => r.request().method() === 'POST' && r.url() === publishUrl);
      await admin.getByRole('button', { name: 'Publish', exact: true }).click();
      assert.equal((await posted).status(), 303, 'the publish form was accepted');
      // The page polls the progress and reloads itself when the run is done (a bounded wait).
      await admin.getByRole('heading', { name: 'Last publish' }).waitFor({ timeout: 60_000 });
      const progress = admin.locator('progress');
      const bar = await progress.evaluate((el: { value: number; max: number }) => ({ value: el.value, max: el.max }));
      assert.deepEqual(bar, { value: 4, max: 4 });
      assert.equal((await admin.locator('output').innerText()).trim(), '4 of 4 ready');
      await admin.getByRole('link', { name: `/events/${EVENT.slug}` }).waitFor();
      await admin.getByRole('button', { name: 'Publish again' }).waitFor();
    },
    90_000,
  );

  step('the designer moves an element by dragging, undoes it, and saves a new version', async (t) => {
    await admin.getByRole('navigation', { name: 'Event' }).getByRole('link', { name: 'Certificate' }).click();
    await admin.getByRole('link', { name: 'Open in the designer' }).first().click();
    await admin.waitForURL(/\/templates\/\d+\/design$/);
    const preview = admin.getByRole('img', { name: 'Live preview of the certificate' });
    await previewLoaded(1754);
    const box = admin.locator('.designer-box').nth(7);
    const before = (await box.boundingBox())!;
    await box.click({ position: { x: 10, y: 10 } });
    const x = admin.getByLabel('x', { exact: true });
    const startX = Number(await x.inputValue());
    // Drag 50 screen pixels to the right: the element's x grows by 50 divided by the preview's scale.
    // Alt moves it freely, without snapping to a guide (test/e2e/designer.e2e.ts tests snapping).
    await admin.mouse.move(before.x + 10, before.y + 10);
    await admin.keyboard.down('Alt');
    await admin.mouse.down();
    await admin.mouse.move(before.x + 60, before.y + 10, { steps: 5 });
    await admin.mouse.up();
    await admin.keyboard.up('Alt');
    const scale = (await preview.boundingBox())!.width / 1754;
    const movedX = Number(await x.inputValue());
    assert.ok(Math.abs(movedX - (startX + 50 / scale)) < 3, `x went from ${startX} to ${movedX}`);
    await admin.getByRole('button', { name: 'Undo' }).click();
    assert.equal(Number(await x.inputValue()), startX, 'undo puts the element back');
    await admin.getByRole('button', { name: 'Redo' }).click();
    assert.equal(Number(await x.inputValue()), movedX, 'redo moves it again');
    await x.fill(String(startX + 100));
    await x.press('Enter');
    await admin.getByLabel('Alignment').selectOption('left');
    await admin.getByLabel('Colour', { exact: true }).fill('#aa0000');
    await admin.getByRole('button', { name: 'Save new version' }).click();
    await admin.getByText(/Saved as version 2\./).waitFor();
    // What was saved is what the organiser set, read back from the server.
    const saved = await admin.evaluate(async (url) => (await fetch(url)).text(), admin.url());
    const layout = JSON.parse(
      saved.match(/<script type="application\/json" id="designer-config">([^<]+)<\/script>/)![1]!,
    ).layout;
    const element = layout.elements[7];
    assert.deepEqual([element.x, element.align, element.font.colour], [startX + 100, 'left', '#aa0000']);
    const shot = join(paths.screenshots, 'designer.png');
    await admin.screenshot({ path: shot, fullPage: true });
    t.diagnostic(`screenshot: ${shot}`);
  });

  step('an uploaded logo goes on the podium only, and the square format gets a design of its own', async (t) => {
    // The upload form is what this step needs: a CI run once timed out here waiting for the page's images.
    await admin.goto(`${base}/admin/events/${eventId}/certificate`, { waitUntil: 'domcontentloaded' });
    const { SAMPLE_LOGO_PNG } = await sampleImages();
    await admin
      .getByLabel(/Upload an image/)
      .setInputFiles({ name: 'club-logo.png', mimeType: 'image/png', buffer: Buffer.from(SAMPLE_LOGO_PNG) });
    await admin.getByRole('button', { name: 'Upload', exact: true }).click();
    await admin.getByText('Uploaded. Place it on a template in the designer.').waitFor();
    await admin.getByText('600×240 px').waitFor();

    await admin.getByRole('link', { name: 'Open in the designer' }).first().click();
    await previewLoaded(1754);
    const boxes = admin.locator('.designer-box');
    const count = await boxes.count();
    await admin.getByLabel('Image to add').selectOption({ label: 'club-logo.png (600×240)' });
    await admin.getByRole('button', { name: 'Add image' }).click();
    await until('the logo box', async () => (await boxes.count()) === count + 1);
    await admin.getByLabel('Show only when this field').selectOption('rankOverall');
    await admin.getByLabel('Comparison').selectOption('lte');
    await admin.getByLabel('Value to compare with').fill('3');
    await admin.getByLabel('Value to compare with').press('Tab');

    // The built-in template has a square of its own; the organiser goes back to the certificate adapted.
    await admin.getByLabel('Design for').selectOption('square');
    const preview = admin.getByRole('img', { name: 'Live preview of the certificate' });
    await until(
      'the square preview',
      async () => (await preview.evaluate((img: { naturalWidth: number }) => img.naturalWidth)) === 1080,
    );
    assert.ok((await boxes.count()) > 0, 'the built-in square has boxes to drag');
    await admin.getByRole('button', { name: 'Adapt the certificate instead' }).click();
    await until('the adapted square', async () => (await boxes.count()) === 0);
    await admin.getByRole('button', { name: 'Give it a design of its own' }).click();
    await until('the square’s own boxes', async () => (await boxes.count()) === count + 1);
    await admin.getByLabel('Background', { exact: true }).selectOption('colour');
    await admin.getByLabel('Background colour').fill('#0b3d2e');
    await until('the square preview on its new background', async () => {
      // biome-ignore lint/suspicious/noExplicitAny: runs in the page; the project compiles without the DOM library.
      const [r, g, b] = await preview.evaluate((img: { width: number; height: number; ownerDocument: any }) => {
        const canvas = img.ownerDocument.createElement('canvas');
        canvas.width = img.width;
        canvas.height = img.height;
        const context = canvas.getContext('2d');
        context.drawImage(img, 0, 0, img.width, img.height);
        return [...context.getImageData(2, 2, 1, 1).data];
      });
      return Math.abs(r - 0x0b) < 8 && Math.abs(g - 0x3d) < 8 && Math.abs(b - 0x2e) < 8;
    });

    await admin.getByRole('button', { name: 'Save new version' }).click();
    await admin.getByText(/Saved as version 3\./).waitFor();
    assert.equal(await admin.locator('[data-version]').innerText(), 'v3', 'the header shows the saved version');
    const saved = await admin.evaluate(async (url) => (await fetch(url)).text(), admin.url());
    const layout = JSON.parse(
      saved.match(/<script type="application\/json" id="designer-config">([^<]+)<\/script>/)![1]!,
    ).layout;
    assert.deepEqual(layout.elements.at(-1).when, { field: 'rankOverall', op: 'lte', value: 3 });
    assert.equal(layout.elements.at(-1).type, 'image');
    assert.deepEqual(
      [layout.square.page, layout.square.background],
      [{ width: 1080, height: 1080 }, { colour: '#0b3d2e' }],
    );
    const shot = join(paths.screenshots, 'designer-square.png');
    await admin.screenshot({ path: shot, fullPage: true });
    t.diagnostic(`screenshot: ${shot}`);
  });

  step('a participant on a phone finds their certificate by a name typed plainly', async (t) => {
    const phone = await browser!.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
      locale: 'fr-FR',
    });
    phone.setDefaultTimeout(15_000);
    phone.setDefaultNavigationTimeout(30_000);
    assert.deepEqual(await phone.cookies(), [], 'a fresh context, not the organiser’s');
    participantPage = await phone.newPage();
    const page = participantPage;
    await page.goto(`${base}/events/${EVENT.slug}`);
    await page.getByRole('heading', { name: EVENT.name }).waitFor();
    // The phone is set to French: the portal answers in French.
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    assert.equal(FR.search, 'Chercher');

    const search = page.getByRole('searchbox', { name: FR.searchLabel });
    // On a phone the search box takes most of the row, so what is typed stays readable.
    const box = await search.boundingBox();
    assert.ok(box && box.width > PHONE.width * 0.5, `search box is ${box?.width}px wide on a ${PHONE.width}px phone`);
    await search.fill('helene dubois');
    await page.getByRole('button', { name: FR.search }).click();
    await page.waitForURL(/\?q=helene\+dubois$/);
    const hit = page.getByRole('link', { name: /Hélène Dubois/ });
    await hit.waitFor();
    const searchShot = join(paths.screenshots, 'participant-search.png');
    await page.screenshot({ path: searchShot, fullPage: true });
    t.diagnostic(`screenshot: ${searchShot}`);
    await hit.click();
    await page.waitForURL(new RegExp(`/events/${EVENT.slug}/certificates/[\\w-]+$`));
    await page.getByRole('heading', { name: 'Hélène Dubois' }).waitFor();

    const image = page.getByRole('img', { name: FR.certificateAlt('Hélène Dubois', EVENT.name) });
    const size = await loadedImage(image, 'the certificate image');
    assert.equal(size.naturalWidth, 1754);
    assert.equal(size.naturalHeight, 1240);

    const ogImage = await page.locator('meta[property="og:image"]').getAttribute('content');
    assert.ok(ogImage, 'the page has an og:image');
    assert.match(ogImage, new RegExp(`^${base}/certificates/[\\w-]+/share-[0-9a-f]{24}\\.png$`));
    const share = await page.request.get(ogImage);
    assert.equal(share.status(), 200);
    assert.equal(share.headers()['content-type'], 'image/png');
    assert.deepEqual(pngSize(await share.body()), { width: 1200, height: 630 });

    const download = page.getByRole('link', { name: FR.downloadPng });
    const href = await download.getAttribute('href');
    assert.ok(href, 'Download PNG has an address');
    const png = await page.request.get(new URL(href, page.url()).href);
    assert.equal(png.status(), 200);
    assert.equal(png.headers()['content-type'], 'image/png');
    assert.deepEqual(pngSize(await png.body()), { width: 1754, height: 1240 });

    const shot = join(paths.screenshots, 'participant-certificate.png');
    await page.screenshot({ path: shot, fullPage: true });
    t.diagnostic(`screenshot: ${shot}`);
  });

  step('a Cyrillic name is found too, and a DNF participant gets a certificate', async () => {
    const page = participantPage!;
    await page.goto(`${base}/events/${EVENT.slug}`);
    await page.getByRole('searchbox', { name: FR.searchLabel }).fill('дмитрий');
    await page.getByRole('button', { name: FR.search }).click();
    await page.getByRole('link', { name: /Дмитрий Иванов/ }).waitFor();
    await page.getByRole('searchbox', { name: FR.searchLabel }).fill('bjorn oster');
    await page.getByRole('button', { name: FR.search }).click();
    const dnf = page.getByRole('link', { name: /Björn Øster/ });
    assert.match(await dnf.innerText(), /DNF/);
    await dnf.click();
    await page.getByRole('heading', { name: 'Björn Øster' }).waitFor();
    await page.getByText(FR.tookPart('Björn Øster', EVENT.name)).waitFor();
    await loadedImage(
      page.getByRole('img', { name: FR.certificateAlt('Björn Øster', EVENT.name) }),
      'the DNF certificate',
    );
  });

  step('a second file with other headers goes through the mapping screen to an import', async (t) => {
    // Another export for the same event, from a French timing system, surnames in capitals.
    const second = join(work, 'resultats.csv');
    writeFileSync(second, "Dossard;Nom;Temps;Catégorie\n201;DUPONT Marie;3:45:12;F40\n202;O'BRIEN Sean;3:58:40;M45\n");
    await admin.goto(`${base}/admin/events/${eventId}/records`);
    await admin.getByLabel('Results file').setInputFiles(second);
    await admin.getByRole('button', { name: 'Preview import' }).click();
    await admin.getByRole('heading', { name: 'Check the import' }).waitFor();
    // The columns saved from the first file are not in this one: the screen says so, and guesses.
    await admin.getByText(/“Bib” is not in this file/).waitFor();
    const mapped = async (label: string) => admin.getByLabel(label, { exact: true }).inputValue();
    assert.equal(await mapped('bib'), 'Dossard');
    assert.equal(await mapped('name'), 'Nom');
    assert.equal(await mapped('finish time'), 'Temps');
    assert.equal(await mapped('category'), 'Catégorie');

    // The names' preview follows the name style as it is ticked, before anything is sent.
    const names = admin.getByRole('table', { name: 'Names as they will be imported' }).getByRole('row');
    assert.deepEqual(await texts(names), [
      'In the file On the certificate',
      'DUPONT Marie DUPONT Marie',
      "O'BRIEN Sean O'BRIEN Sean",
    ]);
    await admin.getByLabel(/Surnames in capitals/).check();
    await until('the restyled names', async () => (await texts(names))[1] === 'DUPONT Marie Marie Dupont');
    assert.equal((await texts(names))[2], "O'BRIEN Sean Sean O'Brien");
    const shot = join(paths.screenshots, 'mapping-screen.png');
    await admin.screenshot({ path: shot, fullPage: true });
    t.diagnostic(`screenshot: ${shot}`);

    await admin.getByRole('button', { name: 'Import 2 records' }).click();
    await admin.getByRole('heading', { name: 'Import finished' }).waitFor();
    assert.equal(
      (await admin.getByRole('status').innerText()).trim(),
      '2 added, 0 updated, 0 unchanged, 0 removed, 0 rows left out.',
    );
    await admin.getByRole('link', { name: 'See the records' }).click();
    const rows = await texts(admin.getByRole('table').getByRole('row'));
    for (const name of ['201 Marie Dupont', "202 Sean O'Brien"])
      assert.ok(
        rows.some((r) => r.startsWith(name)),
        `Records lists ${name}: ${rows.join(' | ')}`,
      );
  });

  step('an anonymous visit to the event admin page is sent to sign-in, and back after it', async () => {
    const anonymous = await browser!.newContext();
    try {
      const page = await anonymous.newPage();
      await page.goto(`${base}/admin/events/${eventId}`);
      assert.equal(new URL(page.url()).pathname, '/admin/sign-in');
      assert.equal(new URL(page.url()).searchParams.get('next'), `/admin/events/${eventId}`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      // Signing in from there leads back to the page that was asked for.
      await page.getByLabel('Email').fill(ORGANISER.email);
      await page.getByLabel('Password').fill(ORGANISER.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${base}/admin/events/${eventId}`);
      await page.getByRole('heading', { name: EVENT.name }).waitFor();
    } finally {
      await anonymous.close();
    }
  });
});

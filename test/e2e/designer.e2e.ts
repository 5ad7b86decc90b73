/**
 * The certificate designer and the Certificate tab's templates, in a real browser (Debian's
 * Chromium through playwright-core) in a 1366×768 window: the built-in templates near the top,
 * duplicating, renaming and deleting a template, a canvas that uses the window, the layer list by
 * mouse and keyboard, snapping with guides, the page size, and the warning before leaving unsaved
 * changes. No records are needed: the designer previews the sample participant.
 *
 * Runs against its own `wrangler dev` on 127.0.0.1:8790 over a fresh state directory.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type Dialog, type Page } from 'playwright-core';
import { prepareState, startServer, statePaths, waitForPortFree, type Server } from './server';

const PORT = 8790;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ORGANISER = { email: 'designer@example.com', password: 'designer-password-123' };
// The window the designer is meant to fill.
const LAPTOP = { width: 1366, height: 768 };

const work = mkdtempSync(join(tmpdir(), 'certify-designer-'));
const paths = statePaths(work);
mkdirSync(paths.screenshots, { recursive: true });

let server: Server | undefined;
let browser: Browser | undefined;
let admin: Page;
let eventId: number;
let base: string;
let broken: string | undefined;

/** Polls `check` until it returns true, at most `timeoutMs`; fails with `what`. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * Waits until the designer's live preview is an image of this width. (Not waitForFunction with a
 * string: polling it evaluates the string, which the page's CSP forbids.)
 */
async function previewOfWidth(width: number) {
  const preview = admin.getByRole('img', { name: 'Live preview of the certificate' });
  await until(
    `a preview ${width} px wide`,
    async () => (await preview.evaluate((img: { naturalWidth: number }) => img.naturalWidth)) === width,
  );
}

/** A screenshot of the whole page, named in the test's output. */
async function screenshot(t: TestContext, name: string) {
  const shot = join(paths.screenshots, `${name}.png`);
  await admin.screenshot({ path: shot, fullPage: true });
  t.diagnostic(`screenshot: ${shot}`);
}

/** Saves the design and waits for the next version's message (an older one may still be showing). */
async function save() {
  const version = Number((await admin.locator('[data-version]').innerText()).trim().slice(1));
  await admin.getByRole('button', { name: 'Save new version' }).click();
  await admin.getByText(`Saved as version ${version + 1}.`).waitFor();
}

/** The layout the designer at the page's address is served with, i.e. what the server saved. */
async function savedLayout(page: Page) {
  const html = await page.evaluate(async (url) => (await fetch(url)).text(), page.url());
  return JSON.parse(html.match(/<script type="application\/json" id="designer-config">([^<]+)<\/script>/)![1]!).layout;
}

/** One step of the walk: after a failure the later ones are skipped, and the page is kept as a screenshot. */
function step(name: string, fn: (t: TestContext) => Promise<void>, timeout = 60_000) {
  test(name, { timeout }, async (t) => {
    if (broken) return t.skip(`skipped: "${broken}" failed`);
    try {
      await fn(t);
    } catch (error) {
      broken = name;
      const shot = join(paths.screenshots, `FAILED-${name.replace(/\W+/g, '-')}.png`);
      await admin?.screenshot({ path: shot, fullPage: true, timeout: 5_000 }).catch(() => undefined);
      t.diagnostic(`page at failure: ${admin?.url()} (screenshot ${shot})`);
      if (server) t.diagnostic(`wrangler dev log tail (${server.logPath}):\n${server.logTail(25)}`);
      throw error;
    }
  });
}

describe('an organiser designs certificates in a laptop-sized window', () => {
  before(
    async () => {
      prepareState(paths.state, ORGANISER);
      server = await startServer({ port: PORT, stateDir: paths.state, logPath: paths.log });
      base = server.baseUrl;
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
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
      const context = await browser.newContext({ viewport: LAPTOP, locale: 'en-GB' });
      context.setDefaultTimeout(15_000);
      context.setDefaultNavigationTimeout(30_000);
      admin = await context.newPage();
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

  step('the organiser signs in, creates an event and adds the classic template on the Certificate tab', async () => {
    await admin.goto(`${base}/admin/sign-in`);
    await admin.getByLabel('Email').fill(ORGANISER.email);
    await admin.getByLabel('Password').fill(ORGANISER.password);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('heading', { name: 'Your events' }).waitFor();
    await admin.getByRole('link', { name: 'New event' }).click();
    await admin.getByLabel('Name', { exact: true }).fill('Designer Dash');
    await admin.getByLabel('Address', { exact: true }).fill('designer-dash');
    await admin.getByRole('button', { name: 'Create event' }).click();
    await admin.waitForURL(/\/admin\/events\/\d+\/setup$/);
    eventId = Number(/\/events\/(\d+)\/setup$/.exec(admin.url())![1]);
    await admin.goto(`${base}/admin/events/${eventId}/certificate`);
    await admin
      .locator('form', { has: admin.getByRole('heading', { name: 'Classic finisher' }) })
      .getByRole('button', { name: 'Use this template' })
      .click();
    await admin.getByText('Template added.').waitFor();
  });

  step(
    'the Certificate tab offers the built-in templates near the top; a template is duplicated and renamed',
    async (t) => {
      await admin.goto(`${base}/admin/events/${eventId}/certificate`);
      const gallery = admin.getByText('Add a built-in template', { exact: true });
      const top = await gallery.evaluate(
        (el: { getBoundingClientRect(): { top: number }; ownerDocument: { defaultView: { scrollY: number } } }) =>
          el.getBoundingClientRect().top + el.ownerDocument.defaultView.scrollY,
      );
      assert.ok(top < LAPTOP.height, `"Add a built-in template" is ${top} px down the page`);

      await admin
        .getByRole('region', { name: /^Classic finisher/ })
        .getByRole('button', { name: 'Duplicate' })
        .click();
      await admin.getByText('Template duplicated.').waitFor();
      const copy = admin.getByRole('region', { name: /^Copy of Classic finisher v1/ });
      await copy.getByText('Rename', { exact: true }).click();
      await copy.getByLabel('Name', { exact: true }).fill('Podium');
      await copy.getByRole('button', { name: 'Save name' }).click();
      await admin.getByText('Template renamed.').waitFor();
      await admin.getByRole('region', { name: /^Podium v1/ }).waitFor();
      assert.equal(await admin.getByRole('region', { name: /^Classic finisher v1/ }).count(), 1, 'the original stays');
      await screenshot(t, 'certificate-tab');
    },
  );

  step('the designer uses the window: a canvas of 900 px or more at 1366×768, the panel beside it', async (t) => {
    await admin
      .getByRole('region', { name: /^Podium/ })
      .getByRole('link', { name: 'Open in the designer' })
      .click();
    await admin.waitForURL(/\/templates\/\d+\/design$/);
    await previewOfWidth(1754);
    const canvas = (await admin.getByRole('img', { name: 'Live preview of the certificate' }).boundingBox())!;
    assert.ok(canvas.width >= 900, `the canvas is ${canvas.width} px wide in a ${LAPTOP.width} px window`);
    for (const control of [admin.getByLabel('Design for'), admin.getByRole('listbox', { name: 'Layers' })]) {
      const box = (await control.boundingBox())!;
      assert.ok(box.x >= canvas.x + canvas.width, 'the panel is beside the canvas');
      assert.ok(box.x + box.width <= LAPTOP.width, 'and inside the window');
      assert.ok(box.width >= 200, `and wide enough to use (${box.width} px)`);
    }
    await screenshot(t, 'designer');
  });

  step('the layer list selects elements by click and by keyboard, and marks the selected one', async () => {
    const layers = admin.getByRole('listbox', { name: 'Layers' });
    const options = layers.getByRole('option');
    assert.equal(await options.count(), await admin.locator('.designer-box').count(), 'one layer per element');
    const selectedLayer = async () => (await layers.getByRole('option', { selected: true }).innerText()).trim();
    const focusedLayer = async () => (await layers.locator(':focus').innerText()).trim();
    const selectedBox = admin.locator('.designer-box.selected');

    await layers.getByRole('option', { name: 'Text “{name}”' }).click();
    assert.equal(await selectedLayer(), 'Text “{name}”');
    assert.equal(await admin.getByLabel('Text', { exact: true }).inputValue(), '{name}');
    assert.equal(await selectedBox.getAttribute('title'), '{name}', 'the element is selected on the canvas');

    // Arrows move the focus (the topmost element is listed first); Enter or Space selects.
    await admin.keyboard.press('ArrowDown');
    assert.equal(await focusedLayer(), 'Text “This certifies that”');
    assert.equal(await selectedLayer(), 'Text “{name}”', 'moving the focus selects nothing');
    await admin.keyboard.press('Enter');
    assert.equal(await selectedLayer(), 'Text “This certifies that”');
    assert.equal(await selectedBox.getAttribute('title'), 'This certifies that');
    await admin.keyboard.press('ArrowUp');
    await admin.keyboard.press('ArrowUp');
    assert.equal(await focusedLayer(), 'Line 600×3');
    await admin.keyboard.press(' ');
    assert.equal(await selectedLayer(), 'Line 600×3');
    assert.equal(await admin.getByLabel('width', { exact: true }).inputValue(), '600');
    await admin.keyboard.press('End');
    assert.equal(await focusedLayer(), 'Box 1666×1152');
    await admin.keyboard.press('Home');
    assert.equal(await focusedLayer(), 'Text “Scan to verify”');
    // One tab stop for the whole list.
    assert.equal(await options.evaluateAll((all) => all.filter((o) => o.getAttribute('tabindex') === '0').length), 1);

    // Clicking an element on the canvas marks its layer.
    await admin.locator('.designer-box[title="Bib {bib}"]').click({ position: { x: 5, y: 5 } });
    assert.equal(await selectedLayer(), 'Text “Bib {bib}”');
  });

  step('dragging snaps to the page centre and to other elements’ edges with a guide; Alt moves freely', async (t) => {
    await admin.getByRole('button', { name: 'Add line or box' }).click();
    for (const [name, value] of [
      ['x', 200],
      ['y', 300],
      ['height', 40],
    ] as const) {
      await admin.getByLabel(name, { exact: true }).fill(String(value));
      await admin.getByLabel(name, { exact: true }).press('Enter');
    }
    const preview = (await admin.getByRole('img', { name: 'Live preview of the certificate' }).boundingBox())!;
    const s = preview.width / 1754;
    const guides = admin.locator('.designer-guide');
    const value = async (name: string) => Number(await admin.getByLabel(name, { exact: true }).inputValue());
    /** Drags the new 400×40 box, held 20 px in from its corner, by (dx, dy) screen pixels. */
    async function drag(from: { x: number; y: number }, dx: number, dy: number, during?: () => Promise<void>) {
      const grab = { x: preview.x + (from.x + 20) * s, y: preview.y + (from.y + 20) * s };
      await admin.mouse.move(grab.x, grab.y);
      await admin.mouse.down();
      await admin.mouse.move(grab.x + dx, grab.y + dy, { steps: 8 });
      await during?.();
      await admin.mouse.up();
    }

    // 477 design px right and 300 down would centre it on the page; 2 screen px short still does.
    await drag({ x: 200, y: 300 }, 477 * s - 2, 300 * s + 2, async () => {
      assert.equal(await guides.count(), 2, 'a guide on each centre line while dragging');
      const lines = await guides.evaluateAll((all) =>
        all.map((g) => {
          const r = g.getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        }),
      );
      const vertical = lines.find((l) => l.height > l.width)!;
      const horizontal = lines.find((l) => l.width > l.height)!;
      assert.ok(Math.abs(vertical.x - (preview.x + 877 * s)) < 2, `the vertical guide at ${vertical.x}`);
      assert.ok(Math.abs(horizontal.y - (preview.y + 620 * s)) < 2, `the horizontal guide at ${horizontal.y}`);
      const shot = join(paths.screenshots, 'designer-snapping.png');
      await admin.screenshot({ path: shot });
      t.diagnostic(`screenshot: ${shot}`);
    });
    assert.deepEqual([await value('x'), await value('y')], [677, 600], 'centred on the page');
    assert.equal(await guides.count(), 0, 'the guides go when the drag ends');

    // Its right edge 3 screen px short of the QR code's (1500 + 130) lines up with it.
    await drag({ x: 677, y: 600 }, 553 * s - 3, 0, async () => {
      const xs = await guides.evaluateAll((all) => all.map((g) => g.getBoundingClientRect().x));
      assert.ok(
        xs.some((x) => Math.abs(x - (preview.x + 1630 * s)) < 2),
        `a guide on the QR code's edge: ${xs}`,
      );
    });
    assert.equal(await value('x'), 1230, 'its right edge on the QR code’s');

    // With Alt held down, it goes exactly where the mouse takes it.
    await admin.keyboard.down('Alt');
    await drag({ x: 1230, y: 600 }, 3, 0, async () => assert.equal(await guides.count(), 0));
    await admin.keyboard.up('Alt');
    const free = await value('x');
    assert.ok(free !== 1230 && Math.abs(free - (1230 + 3 / s)) < 1.5, `x is ${free}, not snapped back to 1230`);

    // Resizing snaps too: the bottom edge, pulled 2 screen px short of the name's (470 + 200), meets it.
    const corner = (await admin.locator('.designer-box.selected').boundingBox())!;
    await admin.mouse.move(corner.x + corner.width, corner.y + corner.height);
    await admin.mouse.down();
    await admin.mouse.move(corner.x + corner.width, corner.y + corner.height + 30 * s - 2, { steps: 5 });
    assert.ok((await guides.count()) >= 1, 'a guide while resizing');
    await admin.mouse.up();
    assert.equal(await value('height'), 70, 'its bottom edge on the name’s');
  });

  step('the page size control turns the design to A4 portrait, every element still on the page', async (t) => {
    const size = admin.getByLabel('Page size');
    assert.equal(await size.inputValue(), 'a4-landscape');
    const count = await admin.locator('.designer-box').count();
    await size.selectOption({ label: 'A4 portrait' });
    await previewOfWidth(1240);
    const preview = (await admin.getByRole('img', { name: 'Live preview of the certificate' }).boundingBox())!;
    assert.ok(preview.height < preview.width * 1.5 && preview.height > preview.width * 1.3, 'a portrait canvas');
    assert.ok(preview.height <= LAPTOP.height, `the whole page fits the window (${preview.height} px tall)`);
    for (const box of await admin.locator('.designer-box').all()) {
      const b = (await box.boundingBox())!;
      assert.ok(b.x >= preview.x - 1 && b.x + b.width <= preview.x + preview.width + 1, 'inside the page across');
      assert.ok(b.y >= preview.y - 1 && b.y + b.height <= preview.y + preview.height + 1, 'and down');
    }
    await save();
    const layout = await savedLayout(admin);
    assert.deepEqual(layout.page, { preset: 'a4-portrait', width: 1240, height: 1754 });
    assert.equal(layout.elements.length, count);
    await screenshot(t, 'designer-portrait');
  });

  step('leaving the designer with unsaved changes asks first; after saving it does not', async () => {
    const dialogs: string[] = [];
    const stay = (dialog: Dialog) => {
      dialogs.push(dialog.type());
      void dialog.dismiss();
    };
    admin.on('dialog', stay);
    const designer = admin.url();
    await admin.getByRole('button', { name: 'Add text' }).click();
    await admin.getByRole('link', { name: 'Certificate', exact: true }).click({ noWaitAfter: true });
    await until('the warning', async () => dialogs.length > 0);
    assert.deepEqual(dialogs, ['beforeunload']);
    assert.equal(admin.url(), designer, 'staying keeps the designer');
    admin.off('dialog', stay);

    await save();
    const go = (dialog: Dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    };
    admin.on('dialog', go);
    await admin.getByRole('link', { name: 'Certificate', exact: true }).click();
    await admin.waitForURL(`${base}/admin/events/${eventId}/certificate`);
    admin.off('dialog', go);
    assert.deepEqual(dialogs, ['beforeunload'], 'no warning once saved');
  });

  step('a template is deleted after a confirmation; the default one is not', async () => {
    await admin.goto(`${base}/admin/events/${eventId}/certificate`);
    await admin
      .getByRole('region', { name: /^Podium/ })
      .getByRole('link', { name: 'Delete' })
      .click();
    await admin.getByRole('heading', { name: 'Delete “Podium”?' }).waitFor();
    await admin.getByRole('button', { name: 'Delete template' }).click();
    await admin.getByText('Template deleted.').waitFor();
    assert.equal(await admin.getByRole('region', { name: /^Podium/ }).count(), 0);

    await admin
      .getByRole('region', { name: /^Classic finisher/ })
      .getByRole('link', { name: 'Delete' })
      .click();
    await admin
      .getByText(/used for every certificate/)
      .first()
      .waitFor();
    assert.equal(await admin.getByRole('button', { name: 'Delete template' }).count(), 0);
  });
});

/**
 * The headless-browser way of making certificates, for `npm run bench -- --chromium` to compare
 * with: Debian's Chromium through playwright-core, drawing the HTML rebuild of page.ts. Warm: one
 * page per image size kept open, the content swapped per participant, a PNG screenshot taken.
 * Cold: launch, draw, close.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CertificateFields } from '../../src/render/fields';
import type { Design } from '../../src/render/layout';
import { designHtml, shellHtml, type ShellPage } from './page';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why the Chromium arm cannot run here, or undefined when it can. */
export const chromiumMissing = () =>
  existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;

const launch = () =>
  chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--font-render-hinting=none'] });

async function draw(page: Page, design: Design, fields: CertificateFields): Promise<Buffer> {
  const { html, width, height } = designHtml(design, fields);
  await page.evaluate(([inner, w, h]) => (globalThis as unknown as ShellPage).show(inner, w, h), [
    html,
    width,
    height,
  ] as const);
  return page.screenshot({ type: 'png', clip: { x: 0, y: 0, width, height } });
}

async function openPage(browser: Browser, design: Design): Promise<Page> {
  const page = await browser.newPage({ viewport: design.page, deviceScaleFactor: 1 });
  await page.setContent(shellHtml());
  return page;
}

/** A browser kept running, with one page per image size, as a warm render service would keep it. */
export class WarmChromium {
  private readonly pages = new Map<string, Page>();
  private constructor(private readonly browser: Browser) {}

  /** The browser's version, for the report. */
  get version(): string {
    return this.browser.version();
  }

  static async start(): Promise<WarmChromium> {
    return new WarmChromium(await launch());
  }

  /** One participant's image: content swapped into the open page, then a PNG screenshot. */
  async render(design: Design, fields: CertificateFields): Promise<{ ms: number; png: Buffer }> {
    const size = `${design.page.width}x${design.page.height}`;
    let page = this.pages.get(size);
    if (!page) {
      page = await openPage(this.browser, design);
      this.pages.set(size, page);
    }
    const started = performance.now();
    const png = await draw(page, design, fields);
    return { ms: performance.now() - started, png };
  }

  close = () => this.browser.close();
}

/** Launch, one image, close: a browser started for the request. */
export async function coldRender(design: Design, fields: CertificateFields): Promise<{ ms: number; png: Buffer }> {
  const started = performance.now();
  const browser = await launch();
  try {
    const page = await openPage(browser, design);
    const png = await draw(page, design, fields);
    return { ms: performance.now() - started, png };
  } finally {
    await browser.close();
  }
}

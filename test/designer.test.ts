import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events, templates } from '../src/db/schema';
import { builtInTemplates } from '../templates';
import { createOrganiser, db, ORIGIN, pngSize, runner, saveRunners, signIn } from './fixtures';

async function designerSetup() {
  const { organiser, email, password } = await createOrganiser();
  const browser = await signIn(email, password);
  const [event] = await db
    .insert(events)
    .values({ slug: `design-${crypto.randomUUID().slice(0, 8)}`, name: 'Design Run', organiserId: organiser.id })
    .returning();
  const [template] = await db
    .insert(templates)
    .values({ eventId: event!.id, name: 'Mine', layout: builtInTemplates[0]!.layout })
    .returning();
  await saveRunners(event!.id, [runner('8', 'Bea Bibpreview')]);
  const json = (path: string, body: unknown, token = browser.csrfToken) =>
    SELF.fetch(ORIGIN + path, {
      method: 'POST',
      headers: { Cookie: browser.cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': token },
      body: JSON.stringify(body),
    });
  return {
    browser,
    event: event!,
    template: template!,
    json,
    base: `/admin/events/${event!.id}/templates/${template!.id}`,
  };
}

describe('certificate designer', () => {
  it('serves the designer page with the layout and its one client module', async () => {
    const { browser, base } = await designerSetup();
    const html = await (await browser.get(`${base}/design`)).text();
    expect(html).toContain('data-designer');
    expect(html).toMatch(/<script type="application\/json" id="designer-config">\s*\{"layout":/);
    expect(html).toMatch(/<script nonce="[^"]+">\/\/ The certificate designer in the browser/);
    // Its stylesheet (designer.css) is inlined beside the shared one.
    expect(html).toMatch(/<style>[^<]*\.designer-box \{/);
  });

  it('offers the print page sizes, and saves a page the size control set as that preset', async () => {
    const { browser, json, base, template } = await designerSetup();
    const html = await (await browser.get(`${base}/design`)).text();
    const select = html.match(/<select id="designer-page-size" name="pageSize">(.*?)<\/select>/s)![1]!;
    expect([...select.matchAll(/<option value="([\w-]+)"/g)].map((m) => m[1])).toEqual([
      'a4-landscape',
      'a4-portrait',
      'letter-landscape',
      'letter-portrait',
      'custom',
    ]);
    const config = JSON.parse(
      html.match(/<script type="application\/json" id="designer-config">([^<]+)<\/script>/)![1]!,
    );
    expect(config.pageSizes).toEqual({
      'a4-landscape': { width: 1754, height: 1240 },
      'a4-portrait': { width: 1240, height: 1754 },
      'letter-landscape': { width: 1650, height: 1275 },
      'letter-portrait': { width: 1275, height: 1650 },
    });

    // What the designer sends after "A4 portrait": the preset with its size.
    const page = { preset: 'a4-portrait', width: 1240, height: 1754 };
    const saved = await json(`${base}/layout`, { layout: { ...builtInTemplates[0]!.layout, page } });
    expect(await saved.json()).toEqual({ version: template.version + 1 });
    const [row] = await db.select().from(templates).where(eq(templates.id, template.id));
    expect((row!.layout as { page: unknown }).page).toEqual(page);
  });

  it('renders a live preview of an unsaved layout, for the sample or any bib, with the real renderer', async () => {
    const { json, base } = await designerSetup();
    const layout = { ...builtInTemplates[0]!.layout, page: { preset: 'a4-portrait' } };
    const sample = await json(`${base}/preview`, { layout });
    expect(sample.headers.get('content-type')).toBe('image/png');
    expect(pngSize(new Uint8Array(await sample.arrayBuffer()))).toEqual({ width: 1240, height: 1754 });
    const forBib = await json(`${base}/preview`, { layout, bib: '8' });
    expect(forBib.status).toBe(200);
  });

  it('refuses a bad layout with the path of the bad field, and saves a good one as a new version', async () => {
    const { json, base, template } = await designerSetup();
    const bad = structuredClone(builtInTemplates[0]!.layout) as { elements: { x: number }[] };
    bad.elements[2]!.x = -5;
    const refused = await json(`${base}/layout`, { layout: bad });
    expect(refused.status).toBe(400);
    expect((await refused.json<{ error: string }>()).error).toMatch(/^layout\.elements\.2\.x: /);

    const moved = structuredClone(builtInTemplates[0]!.layout);
    moved.elements[3]!.y += 20;
    const saved = await json(`${base}/layout`, { layout: moved });
    expect(await saved.json()).toEqual({ version: template.version + 1 });
    const [row] = await db.select().from(templates).where(eq(templates.id, template.id));
    expect((row!.layout as typeof moved).elements[3]!.y).toBe(moved.elements[3]!.y);
  });

  it('refuses a save without the CSRF token', async () => {
    const { json, base } = await designerSetup();
    const res = await json(`${base}/layout`, { layout: builtInTemplates[0]!.layout }, 'wrong');
    expect(res.status).toBe(403);
  });

  it("previews and adapts each social format, and keeps a format's own design when saved", async () => {
    const { json, base, template } = await designerSetup();
    const layout = builtInTemplates[0]!.layout;
    const adaptedShare = await json(`${base}/preview`, { layout, format: 'share' });
    expect(pngSize(new Uint8Array(await adaptedShare.arrayBuffer()))).toEqual({ width: 1200, height: 630 });

    const adapted = await json(`${base}/adapt`, { layout, format: 'story' });
    const { design } = await adapted.json<{
      design: { page: { width: number; height: number }; elements: unknown[] };
    }>();
    expect(design.page).toEqual({ width: 1080, height: 1920 });
    // The certificate's elements, and the two bands the apps draw their overlays on.
    expect(design.elements).toHaveLength(layout.elements.length + 2);

    const own = { ...layout, story: { ...design, background: { colour: '#101820' } } };
    const story = await json(`${base}/preview`, { layout: own, format: 'story' });
    expect(pngSize(new Uint8Array(await story.arrayBuffer()))).toEqual({ width: 1080, height: 1920 });
    expect(await (await json(`${base}/layout`, { layout: own })).json()).toEqual({ version: template.version + 1 });
    const [row] = await db.select().from(templates).where(eq(templates.id, template.id));
    expect((row!.layout as typeof own).story?.background).toEqual({ colour: '#101820' });
  });

  it('refuses designs a Worker could not render, with a clear message, keeping the saved one', async () => {
    const { json, base, template } = await designerSetup();
    const layout = builtInTemplates[0]!.layout;
    const text = layout.elements.find((e) => e.type === 'text')!;
    const image = { type: 'image', asset: 'a'.repeat(32), x: 0, y: 0, width: 10, height: 10 };
    for (const [sent, message] of [
      [{ ...layout, page: { width: 8000, height: 8000 } }, /at most 4000 px on a side/],
      [{ ...layout, page: { width: 4000, height: 4000 } }, /at most 4.5 million pixels/],
      [{ ...layout, elements: Array(200).fill(text) }, /at most 60 elements/],
      [{ ...layout, elements: Array(31).fill(text) }, /at most 30 text elements/],
      [{ ...layout, elements: Array(11).fill(image) }, /at most 10 images/],
      [{ ...layout, story: { ...layout, page: { width: 8000, height: 8000 } } }, /story.*4000 px/],
    ] as const) {
      for (const action of ['layout', 'preview']) {
        const res = await json(`${base}/${action}`, { layout: sent });
        expect(res.status).toBe(400);
        expect((await res.json<{ error: string }>()).error).toMatch(message);
      }
    }
    const [row] = await db.select().from(templates).where(eq(templates.id, template.id));
    expect(row!.version).toBe(template.version);
  });

  it('saves line counts and conditions set in the designer', async () => {
    const { json, base, template } = await designerSetup();
    const layout = structuredClone(builtInTemplates[0]!.layout);
    const name = layout.elements.find((e) => e.type === 'text' && e.text.includes('{name}'))!;
    Object.assign(name, { maxLines: 3, when: { field: 'rankOverall', op: 'lte', value: 3 } });
    expect((await json(`${base}/layout`, { layout })).status).toBe(200);
    const [row] = await db.select().from(templates).where(eq(templates.id, template.id));
    const saved = (row!.layout as typeof layout).elements.find((e) => e.type === 'text' && e.text.includes('{name}'));
    expect(saved).toMatchObject({ maxLines: 3, when: { field: 'rankOverall', op: 'lte', value: 3 } });
  });
});

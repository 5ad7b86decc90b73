import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { events } from '../src/db/schema';
import { builtInTemplates } from '../templates';
import { apiEvent, db, ORIGIN, pngSize } from './fixtures';

// A timing system does the whole job through the organiser API, with the admin's rules: it picks
// a built-in design, uploads its own layout as a new version, chooses who gets which, publishes.

type Api = Awaited<ReturnType<typeof apiEvent>>['api'];
const json = (api: Api, method: string, path: string, body?: unknown) =>
  api(path, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
  });
const bearer = (token: string, url: string, init: RequestInit = {}) =>
  SELF.fetch(url.startsWith('http') ? url : ORIGIN + url, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
  });

interface TemplateAnswer {
  id: number;
  name: string;
  version: number;
  default: boolean;
  previewUrl: string;
  layout?: { elements: { type: string; font?: { size: number } }[] };
}

describe('templates through the organiser API', () => {
  it('lists the built-in templates with preview images a token can fetch', async () => {
    const { token } = await apiEvent('Catalogue Run');
    const res = await bearer(token, '/api/v1/templates');
    expect(res.status).toBe(200);
    const { templates } = await res.json<{
      templates: { slug: string; name: string; description: string; previewUrl: string }[];
    }>();
    expect(templates.map((t) => t.slug)).toEqual(builtInTemplates.map((t) => t.slug));
    expect(templates[0]).toMatchObject({ name: builtInTemplates[0]!.name, description: expect.any(String) });

    const preview = await bearer(token, templates[0]!.previewUrl);
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toBe('image/png');
    const { width } = pngSize(new Uint8Array(await preview.arrayBuffer()));
    expect(width).toBe(builtInTemplates[0]!.layout.page.width);
    // Without the token, or for a design that does not exist, nothing.
    expect((await SELF.fetch(templates[0]!.previewUrl)).status).toBe(401);
    expect((await bearer(token, '/api/v1/templates/no-such-design/preview.png')).status).toBe(404);
  });

  it('adds a built-in template to an event, which becomes its default, and refuses an unknown one', async () => {
    const { api } = await apiEvent('Template Run');
    const added = await json(api, 'POST', '/templates', { builtIn: 'bold-finisher' });
    expect(added.status).toBe(201);
    const template = await added.json<TemplateAnswer>();
    expect(template).toMatchObject({ name: 'Bold finisher', version: 1, default: true });

    const second = await (await json(api, 'POST', '/templates', { builtIn: 'participation' })).json<TemplateAnswer>();
    expect(second.default).toBe(false);
    const { templates } = await (await api('/templates')).json<{ templates: TemplateAnswer[] }>();
    expect(templates.map((t) => [t.id, t.default])).toEqual([
      [template.id, true],
      [second.id, false],
    ]);
    expect((await api(`/templates/${template.id}/preview.png`)).headers.get('content-type')).toBe('image/png');

    const unknown = await json(api, 'POST', '/templates', { builtIn: 'comic-sans' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ error: expect.stringMatching(/^builtIn: .*classic-finisher/) });
  });

  it('saves an uploaded layout as a new version, refusing a bad one with the path of the field', async () => {
    const { api } = await apiEvent('Layout Run');
    const template = await (
      await json(api, 'POST', '/templates', { builtIn: 'classic-finisher' })
    ).json<TemplateAnswer>();
    const { layout } = await (await api(`/templates/${template.id}`)).json<TemplateAnswer>();
    expect(layout!.elements[3]!.type).toBe('text');

    const tooSmall = structuredClone(layout!);
    tooSmall.elements[3]!.font!.size = 2;
    const refused = await json(api, 'POST', `/templates/${template.id}/versions`, { layout: tooSmall });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: expect.stringMatching(/^layout\.elements\.3\.font\.size: /) });
    // A file this event never uploaded is refused as in the designer.
    const foreign = structuredClone(layout!) as unknown as { elements: unknown[] };
    foreign.elements.push({ type: 'image', x: 0, y: 0, width: 10, height: 10, asset: 'a'.repeat(32) });
    const notOurs = await json(api, 'POST', `/templates/${template.id}/versions`, { layout: foreign });
    expect(notOurs.status).toBe(400);
    expect(await notOurs.json()).toEqual({ error: expect.stringContaining('not uploaded to this event') });

    const bigger = structuredClone(layout!);
    bigger.elements[3]!.font!.size = 60;
    const saved = await json(api, 'POST', `/templates/${template.id}/versions`, { layout: bigger });
    expect(saved.status).toBe(201);
    expect(await saved.json()).toMatchObject({ id: template.id, version: 2 });
    const now = await (await api(`/templates/${template.id}`)).json<TemplateAnswer>();
    expect(now.version).toBe(2);
    expect(now.layout!.elements[3]!.font!.size).toBe(60);
  });

  it("chooses the default and sets the rules, with the event's own templates only", async () => {
    const { api, event } = await apiEvent('Rules Run');
    const finisher = await (
      await json(api, 'POST', '/templates', { builtIn: 'classic-finisher' })
    ).json<TemplateAnswer>();
    const taking = await (await json(api, 'POST', '/templates', { builtIn: 'participation' })).json<TemplateAnswer>();
    const other = await apiEvent('Somebody Else');
    const theirs = await (await json(other.api, 'POST', '/templates', { builtIn: 'minimal' })).json<TemplateAnswer>();

    expect(await (await api('/template-rules')).json()).toEqual({ defaultTemplateId: finisher.id, rules: [] });
    const choice = {
      defaultTemplateId: taking.id,
      rules: [
        { category: 'W35', templateId: finisher.id },
        { status: 'finished', templateId: finisher.id },
      ],
    };
    const set = await json(api, 'PUT', '/template-rules', choice);
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual(choice);
    const [row] = await db.select().from(events).where(eq(events.id, event.id));
    expect(row).toMatchObject({ templateId: taking.id, templateRules: choice.rules });
    expect((await (await api('/templates')).json<{ templates: TemplateAnswer[] }>()).templates).toMatchObject([
      { id: finisher.id, default: false },
      { id: taking.id, default: true },
    ]);

    const foreign = await json(api, 'PUT', '/template-rules', { defaultTemplateId: theirs.id, rules: [] });
    expect(foreign.status).toBe(400);
    expect(await foreign.json()).toEqual({ error: 'Pick templates of this event.' });
    const foreignRule = await json(api, 'PUT', '/template-rules', {
      defaultTemplateId: finisher.id,
      rules: [{ status: 'unfinished', templateId: theirs.id }],
    });
    expect(foreignRule.status).toBe(400);
    const badStatus = await json(api, 'PUT', '/template-rules', {
      defaultTemplateId: finisher.id,
      rules: [{ status: 'dnf', templateId: finisher.id }],
    });
    expect(badStatus.status).toBe(400);
    expect(await badStatus.json()).toEqual({ error: expect.stringMatching(/^rules\.0\.status: /) });
    // Nothing refused was saved.
    expect(await (await api('/template-rules')).json()).toEqual(choice);
  });

  it('publishes an event created and given a template through the API, with no admin visit', async () => {
    // The organiser and its token are made once; the event is the timing system's from here on.
    const { token } = await apiEvent('Token Maker');
    const slug = `timing-${crypto.randomUUID().slice(0, 8)}`;
    const created = await bearer(token, '/api/v1/events', {
      method: 'POST',
      body: JSON.stringify({ name: 'Harbour Half', slug, date: '2026-09-13', template: 'classic-finisher' }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(created.status).toBe(201);
    const event = await created.json<{ defaultTemplateId: number | null }>();
    expect(event.defaultTemplateId).toEqual(expect.any(Number));

    const imported = await bearer(token, `/api/v1/events/${slug}/imports`, {
      method: 'POST',
      body: 'Bib,Name,Time\n7,Ana Gómez,1:31:07\n8,Ben Okafor,DNF\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(await imported.json()).toMatchObject({ added: 2 });
    const published = await bearer(token, `/api/v1/events/${slug}/publish`, { method: 'POST' });
    expect(published.status).toBe(202);

    const deadline = Date.now() + 60_000;
    for (;;) {
      const progress = await (await bearer(token, `/api/v1/events/${slug}/publish`)).json<{
        published: boolean;
        run: { total: number; done: number; failed: number; finished: boolean };
      }>();
      if (progress.run.finished) {
        expect(progress).toMatchObject({ published: true, run: { total: 2, done: 2, failed: 0 } });
        break;
      }
      if (Date.now() > deadline) throw new Error(`publish did not finish: ${JSON.stringify(progress)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const record = await (await bearer(token, `/api/v1/events/${slug}/records/7`)).json<{ formats: { png: string } }>();
    const image = await SELF.fetch(record.formats.png);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(await (await SELF.fetch(`${ORIGIN}/events/${slug}?q=ana`)).text()).toContain('Ana Gómez');
  });
});

import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { builtInTemplates } from '../../templates';
import { assertOwnAssets } from '../assets/queries';
import { sampleEvent, sampleFields, templatePreview } from '../certificates/previews';
import { templateChoiceSchema } from '../certificates/rules';
import {
  addBuiltInTemplate,
  areEventTemplates,
  findEventTemplate,
  listEventTemplates,
  saveTemplateLayout,
} from '../certificates/templates';
import type { Event, Template } from '../db/schema';
import type { EventEnv, OrganiserEnv } from '../env';
import { setTemplateChoice } from '../events/queries';
import { absoluteUrl, apiPaths, linkOrigin } from '../paths';
import { layoutSchema, type Layout } from '../render/layout';
import type { CertificateFields } from '../render/fields';
import { jsonBy } from './json';
import { newTemplateSchema, templateVersionSchema, type BuiltInTemplateAnswer, type TemplateAnswer } from './openapi';

const originOf = (c: Context) => linkOrigin(c.env.PUBLIC_URL, c.req.url);

/** A template as the organiser API answers it; its preview needs the same token as the API. */
const templateJson = (c: Context, event: Event, t: Template): TemplateAnswer => ({
  id: t.id,
  name: t.name,
  version: t.version,
  default: event.templateId === t.id,
  previewUrl: absoluteUrl(originOf(c), apiPaths.templatePreview(event.slug, t.id, t.version)),
  updatedAt: t.updatedAt.toISOString(),
});

/** A preview as an image answer; only the token's holder sees it, so no shared cache keeps it. */
async function previewAnswer(c: Context, layout: Layout, fields: CertificateFields) {
  const image = await templatePreview(c.env, layout, fields);
  return c.body(image.body, 200, { 'Content-Type': image.contentType, ETag: image.etag });
}

/** The event's template named in the path; another event's template is a 404. */
async function templateOf(c: Context<EventEnv>) {
  const template = await findEventTemplate(c.var.db, c.var.event.id, Number(c.req.param('templateId')));
  if (!template) throw new HTTPException(404, { message: 'There is no such template in this event.' });
  return template;
}

/** The event's choice of templates as the API answers it (and takes it). */
const templateChoice = (event: Event) => ({ defaultTemplateId: event.templateId, rules: event.templateRules ?? [] });

/** The built-in designs, for any token: `/v1/templates`. */
export const builtInTemplateApi = new Hono<OrganiserEnv>()
  .get('/', (c) =>
    c.json({
      templates: builtInTemplates.map(
        (t): BuiltInTemplateAnswer => ({
          slug: t.slug,
          name: t.name,
          description: t.description,
          width: t.layout.page.width,
          height: t.layout.page.height,
          previewUrl: absoluteUrl(originOf(c), apiPaths.builtInPreview(t.slug)),
        }),
      ),
    }),
  )
  .get('/:template/preview.png', (c) => {
    const builtIn = builtInTemplates.find((t) => t.slug === c.req.param('template'));
    if (!builtIn) throw new HTTPException(404, { message: 'There is no such built-in template.' });
    return previewAnswer(c, builtIn.layout, sampleFields(sampleEvent, originOf(c)));
  });

/** An event's templates, and which record gets which: under `/v1/events/:slug`, behind its gate. */
export const eventTemplateApi = new Hono<EventEnv>()
  .get('/templates', async (c) => {
    const { event, db } = c.var;
    const templates = await listEventTemplates(db, event.id);
    return c.json({ templates: templates.map((t) => templateJson(c, event, t)) });
  })
  .post('/templates', async (c) => {
    const { event, db } = c.var;
    const { builtIn } = await jsonBy(c, newTemplateSchema);
    const template = await addBuiltInTemplate(db, event, builtIn);
    // The event's first template is its default from now on.
    const now = { ...event, templateId: event.templateId ?? template.id };
    c.header('Location', absoluteUrl(originOf(c), apiPaths.template(event.slug, template.id)));
    return c.json(templateJson(c, now, template), 201);
  })
  .get('/templates/:templateId{[0-9]+}', async (c) => {
    const template = await templateOf(c);
    return c.json({ ...templateJson(c, c.var.event, template), layout: layoutSchema.parse(template.layout) });
  })
  // The designer's Save, for a layout made elsewhere: the same rule, the next version.
  .post('/templates/:templateId{[0-9]+}/versions', async (c) => {
    const { event, db } = c.var;
    const template = await templateOf(c);
    const { layout } = await jsonBy(c, templateVersionSchema);
    await assertOwnAssets(db, event, layout);
    const version = await saveTemplateLayout(db, template, layout);
    const saved = { ...template, layout, version, updatedAt: new Date() };
    return c.json({ ...templateJson(c, event, saved), layout }, 201);
  })
  .get('/templates/:templateId{[0-9]+}/preview.png', async (c) => {
    const template = await templateOf(c);
    return previewAnswer(c, layoutSchema.parse(template.layout), sampleFields(c.var.event, originOf(c)));
  })
  .get('/template-rules', (c) => c.json(templateChoice(c.var.event)))
  .put('/template-rules', async (c) => {
    const { event, db } = c.var;
    const choice = await jsonBy(c, templateChoiceSchema);
    const named = [choice.defaultTemplateId, ...choice.rules.map((r) => r.templateId)];
    if (!(await areEventTemplates(db, event.id, named)))
      throw new HTTPException(400, { message: 'Pick templates of this event.' });
    await setTemplateChoice(db, event, choice);
    return c.json(templateChoice({ ...event, templateId: choice.defaultTemplateId, templateRules: choice.rules }));
  });

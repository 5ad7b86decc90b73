import { and, count, eq, sql } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { builtInTemplates, previewRecord } from '../../templates';
import { eventStatus } from '../db/event-status';
import { events, records, sources, templates, type Event, type Template, type TemplateRule } from '../db/schema';
import { sha256Hex } from '../digest';
import type { OrganiserEnv } from '../env';
import { loadOrRender, RENDERER_VERSION } from '../render/cache';
import { certificateFieldsWithVerify } from '../certificates/public';
import { templateIdFor } from '../certificates/rules';
import { bibSearchQuery, findEventRecord } from '../db/records';
import { certificateFields, type CertificateFields } from '../render/fields';
import { layoutSchema, type Layout } from '../render/layout';
import { renderPng } from '../render/pipeline';
import { ownEvent } from './guard';
import { AssetsSection, eventAssets } from './assets';
import { afterSetupStep, SourceForm, SourceRow } from './sources';
import { AdminPage, Csrf, EventTabs, Notice } from './layout';

/** A template preview with the sample participant, cached in R2 by the hash of what it shows. */
/** The sample participant's fields, for previews of a template before any record exists. */
export const sampleFields = (c: Context<OrganiserEnv>, event: Event) => ({
  ...certificateFields({ event, record: previewRecord }),
  verifyUrl: `${c.env.PUBLIC_URL}/verify`,
});

async function previewResponse(c: Context<OrganiserEnv>, layout: Layout, fields: CertificateFields) {
  const hash = (await sha256Hex(JSON.stringify([RENDERER_VERSION, layout, fields]))).slice(0, 24);
  const image = await loadOrRender(c.env.FILES, `previews/${hash}.png`, 'png', () => renderPng(layout, fields, c.env));
  return c.body(image.body, 200, { 'Content-Type': image.contentType, 'Cache-Control': 'private, max-age=3600', ETag: `"${hash}"` });
}

const ruleTarget = z.union([z.literal('').transform(() => undefined), z.coerce.number().int().positive()]);

/** The rules form: templates for finishers and for everyone else, then any per-category ones. */
const rulesFormSchema = z
  .record(z.string(), z.unknown())
  .transform((form) => {
    const rules: TemplateRule[] = [];
    for (let i = 0; `category.${i}` in form; i++) {
      const category = String(form[`category.${i}`] ?? '').trim();
      const templateId = ruleTarget.safeParse(form[`categoryTemplate.${i}`] ?? '');
      if (category && templateId.success && templateId.data) rules.push({ category: category.slice(0, 60), templateId: templateId.data });
    }
    for (const status of ['finished', 'unfinished'] as const) {
      const templateId = ruleTarget.safeParse(form[status] ?? '');
      if (templateId.success && templateId.data) rules.push({ status, templateId: templateId.data });
    }
    return rules;
  });

type RecordGroup = { category: string | null; finished: number; n: number };

/** How many records each template is used for now, from the groups of records the rules look at. */
function TemplateUse({ event, templates: eventTemplates, groups }: { event: Event; templates: Template[]; groups: RecordGroup[] }) {
  const use = new Map<number | null, number>();
  for (const g of groups) {
    const id = templateIdFor(event, { status: g.finished ? 'finished' : 'dnf', category: g.category });
    use.set(id, (use.get(id) ?? 0) + g.n);
  }
  return (
    <ul aria-label="Which template each record gets">
      {[...use].map(([id, n]) => (
        <li>
          {eventTemplates.find((t) => t.id === id)?.name ?? 'No template'}: {n} {n === 1 ? 'record' : 'records'}
        </li>
      ))}
    </ul>
  );
}

function TemplateRules({ event, templates: eventTemplates, groups, csrfToken }: { event: Event; templates: Template[]; groups: RecordGroup[]; csrfToken: string }) {
  const categories = [...new Map(groups.filter((g) => g.category).map((g) => [g.category!, 0])).keys()];
  const rules = event.templateRules ?? [];
  const statusRule = (status: 'finished' | 'unfinished') => rules.find((r) => r.status === status && r.category === undefined)?.templateId;
  const categoryRules = [...rules.filter((r) => r.category !== undefined), { category: '', templateId: 0 }];
  const Options = ({ selected }: { selected?: number }) => (
    <>
      <option value="">the default template</option>
      {eventTemplates.map((t) => (
        <option value={String(t.id)} selected={t.id === selected}>
          {t.name} (v{t.version})
        </option>
      ))}
    </>
  );
  return (
    <form method="post" action={`/admin/events/${event.id}/template-rules`} class="card">
      <h3>Who gets which template</h3>
      <Csrf token={csrfToken} />
      <TemplateUse event={event} templates={eventTemplates} groups={groups} />
      <p class="muted">The first matching line wins: categories first, then finishers or not, then the default template.</p>
      {categoryRules.map((rule, i) => (
        <div class="grid">
          <div>
            <label for={`category-${i}`}>Category</label>
            <input id={`category-${i}`} name={`category.${i}`} value={rule.category ?? ''} list="categories" placeholder="e.g. M40" />
          </div>
          <div>
            <label for={`category-template-${i}`}>gets</label>
            <select id={`category-template-${i}`} name={`categoryTemplate.${i}`}>
              <Options selected={rule.templateId} />
            </select>
          </div>
        </div>
      ))}
      <datalist id="categories">
        {categories.map((category) => (
          <option value={category} />
        ))}
      </datalist>
      <div class="grid">
        <div>
          <label for="rule-finished">Finishers get</label>
          <select id="rule-finished" name="finished">
            <Options selected={statusRule('finished')} />
          </select>
        </div>
        <div>
          <label for="rule-unfinished">DNF, DNS and DSQ get</label>
          <select id="rule-unfinished" name="unfinished">
            <Options selected={statusRule('unfinished')} />
          </select>
        </div>
      </div>
      <p>
        <button type="submit">Save rules</button>
      </p>
    </form>
  );
}

const notices: Record<string, string> = {
  'rules-saved': 'Rules saved. Publish again to refresh certificates already prepared.',
  'source-added': 'Source added.',
  'source-saved': 'Source saved.',
  'source-removed': 'Source removed.',
  'template-added': 'Template added.',
  'template-chosen': 'Template chosen: certificates now use it.',
  'asset-uploaded': 'Uploaded. Place it on a template in the designer.',
  'asset-deleted': 'File deleted.',
};

export function TemplateGallery({ event, csrfToken, next }: { event: Event; csrfToken: string; next?: string }) {
  return (
    <div class="grid">
      {builtInTemplates.map((t) => (
        <form method="post" action={`/admin/events/${event.id}/templates${next ? `?next=${next}` : ''}`} class="card">
          <Csrf token={csrfToken} />
          <input type="hidden" name="builtIn" value={t.slug} />
          <img src={`/admin/events/${event.id}/templates/built-in/${t.slug}/preview.png`} alt={`Preview of ${t.name}`} width={t.layout.page.width} height={t.layout.page.height} style="width:100%;height:auto" loading="lazy" />
          <h3>{t.name}</h3>
          <p class="muted">{t.description}</p>
          <button type="submit">Use this template</button>
        </form>
      ))}
    </div>
  );
}

/** The Certificate tab: the event's data sources and its certificate templates. */
export const certificatePages = new Hono<OrganiserEnv>()
  .get('/events/:eventId/certificate', async (c) => {
    const event = await ownEvent(c);
    const db = c.var.db;
    const bib = (c.req.query('bib') ?? '').trim().slice(0, 20);
    const [status, eventSources, eventTemplates, groups, [previewed], uploads] = await Promise.all([
      eventStatus(db, event),
      db.select().from(sources).where(eq(sources.eventId, event.id)),
      db.select().from(templates).where(eq(templates.eventId, event.id)),
      db
        .select({ category: records.category, finished: sql<number>`${records.status} = 'finished'`, n: count() })
        .from(records)
        .where(eq(records.eventId, event.id))
        .groupBy(records.category, sql`2`),
      bib ? bibSearchQuery(db, event.id, bib, { includeHidden: true }) : Promise.resolve([]),
      eventAssets(db, event.id),
    ]);
    const previewTemplate = previewed && eventTemplates.find((t) => t.id === templateIdFor(event, previewed));
    return c.html(
      <AdminPage title={`Certificate · ${event.name}`} organiser={c.var.organiser} csrfToken={c.var.csrfToken}>
        <EventTabs event={event} status={status} current={status.setupComplete ? 'certificate' : 'setup'} />
        <Notice message={notices[c.req.query('notice') ?? '']} />
        <h2>Data sources</h2>
        <div class="card table">
          {eventSources.length === 0 ? (
            <p class="muted">No sources yet.</p>
          ) : (
            <table>
              <tbody>
                {eventSources.map((s) => (
                  <SourceRow event={event} source={s} csrfToken={c.var.csrfToken} />
                ))}
              </tbody>
            </table>
          )}
        </div>
        <SourceForm event={event} csrfToken={c.var.csrfToken} />
        <h2>Templates</h2>
        <div class="grid">
          {eventTemplates.map((t) => (
            <div class="card">
              <img src={`/admin/events/${event.id}/templates/${t.id}/preview.png?v=${t.version}`} alt={`Preview of ${t.name}`} style="width:100%;height:auto" loading="lazy" />
              <h3>
                {t.name} <span class="muted">v{t.version}</span>
              </h3>
              <p>
                <a href={`/admin/events/${event.id}/templates/${t.id}/design`}>Open in the designer</a>
              </p>
              {event.templateId === t.id ? (
                <p>
                  <span class="badge">used for every certificate</span>
                </p>
              ) : (
                <form method="post" action={`/admin/events/${event.id}/templates/${t.id}/use`}>
                  <Csrf token={c.var.csrfToken} />
                  <button type="submit" class="secondary">
                    Use for certificates
                  </button>
                </form>
              )}
            </div>
          ))}
        </div>
        {eventTemplates.length > 0 && <TemplateRules event={event} templates={eventTemplates} groups={groups} csrfToken={c.var.csrfToken} />}
        <form method="get" action={`/admin/events/${event.id}/certificate`} class="card search">
          <input name="bib" value={bib} placeholder="Preview the certificate of bib…" aria-label="Preview the certificate of a bib" />
          <button type="submit">Preview</button>
        </form>
        {bib && !previewed && <p class="error">No record with bib {bib}.</p>}
        {previewed && (
          <div class="card">
            <p>
              {previewed.name} (bib {previewed.bib}) gets <strong>{previewTemplate?.name ?? 'no template'}</strong>.
            </p>
            {previewTemplate && (
              <img src={`/admin/events/${event.id}/records/${previewed.id}/preview.png`} alt={`Certificate of ${previewed.name}`} style="width:100%;height:auto" />
            )}
          </div>
        )}
        <h3>Add a built-in template</h3>
        <TemplateGallery event={event} csrfToken={c.var.csrfToken} />
        <AssetsSection event={event} assets={uploads} csrfToken={c.var.csrfToken} />
      </AdminPage>,
    );
  })
  .post('/events/:eventId/templates', async (c) => {
    const event = await ownEvent(c);
    const slug = (await c.req.parseBody())['builtIn'];
    const builtIn = builtInTemplates.find((t) => t.slug === slug);
    if (!builtIn) throw new HTTPException(400, { message: 'Pick one of the built-in templates.' });
    const [template] = await c.var.db
      .insert(templates)
      .values({ eventId: event.id, name: builtIn.name, layout: builtIn.layout })
      .returning();
    if (event.templateId === null) await c.var.db.update(events).set({ templateId: template!.id }).where(eq(events.id, event.id));
    return c.redirect(afterSetupStep(c.req.query('next'), event, 'template-added'), 303);
  })
  .post('/events/:eventId/templates/:templateId/use', async (c) => {
    const event = await ownEvent(c);
    const template = await c.var.db.query.templates.findFirst({
      where: and(eq(templates.id, Number(c.req.param('templateId'))), eq(templates.eventId, event.id)),
    });
    if (!template) throw new HTTPException(404, { message: 'There is no such template in this event.' });
    await c.var.db.update(events).set({ templateId: template.id }).where(eq(events.id, event.id));
    return c.redirect(`/admin/events/${event.id}/certificate?notice=template-chosen`, 303);
  })
  .post('/events/:eventId/template-rules', async (c) => {
    const event = await ownEvent(c);
    const rules = rulesFormSchema.parse(await c.req.parseBody());
    const own = new Set((await c.var.db.select({ id: templates.id }).from(templates).where(eq(templates.eventId, event.id))).map((t) => t.id));
    if (rules.some((r) => !own.has(r.templateId))) throw new HTTPException(400, { message: 'Pick templates of this event.' });
    await c.var.db.update(events).set({ templateRules: rules }).where(eq(events.id, event.id));
    return c.redirect(`/admin/events/${event.id}/certificate?notice=rules-saved`, 303);
  })
  .get('/events/:eventId/records/:recordId/preview.png', async (c) => {
    const event = await ownEvent(c);
    const record = await findEventRecord(c.var.db, event.id, Number(c.req.param('recordId')));
    const templateId = record && templateIdFor(event, record);
    const template = templateId ? await c.var.db.query.templates.findFirst({ where: and(eq(templates.id, templateId), eq(templates.eventId, event.id)) }) : undefined;
    if (!record || !template) return c.notFound();
    const fields = await certificateFieldsWithVerify({ event, record }, c.env.PUBLIC_URL);
    return previewResponse(c, layoutSchema.parse(template.layout), fields);
  })
  .get('/events/:eventId/templates/built-in/:slug/preview.png', async (c) => {
    const event = await ownEvent(c);
    const builtIn = builtInTemplates.find((t) => t.slug === c.req.param('slug'));
    if (!builtIn) return c.notFound();
    return previewResponse(c, builtIn.layout, sampleFields(c, event));
  })
  .get('/events/:eventId/templates/:templateId/preview.png', async (c) => {
    const event = await ownEvent(c);
    const template = await c.var.db.query.templates.findFirst({
      where: and(eq(templates.id, Number(c.req.param('templateId'))), eq(templates.eventId, event.id)),
    });
    if (!template) return c.notFound();
    return previewResponse(c, layoutSchema.parse(template.layout), sampleFields(c, event));
  });

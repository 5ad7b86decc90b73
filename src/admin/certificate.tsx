import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { builtInTemplates } from '../../templates';
import { eventAssets } from '../assets/queries';
import { sampleFields as sampleFieldsAt, templatePreview } from '../certificates/previews';
import { certificateFieldsWithVerify } from '../certificates/public';
import {
  TEMPLATE_NAME_MAX,
  templateIdFor,
  templateInUse,
  templateNameSchema,
  templateRulesFormSchema,
} from '../certificates/rules';
import {
  addBuiltInTemplate,
  areEventTemplates,
  deleteUnusedTemplate,
  duplicateTemplate,
  findEventTemplate,
  listEventTemplates,
  renameTemplate,
} from '../certificates/templates';
import type { Event, Template } from '../db/schema';
import type { EventEnv } from '../env';
import { setDefaultTemplate, setTemplateRules } from '../events/queries';
import { eventStatus } from '../events/status';
import { eventPaths, linkOrigin, type Next } from '../paths';
import { recordPhotoHash } from '../records/photos';
import { findEventRecord, findRecordByBib, recordGroups, type RecordGroup } from '../records/queries';
import { drawsPhotos } from '../render/design-assets';
import type { CertificateFields } from '../render/fields';
import { layoutSchema, type Layout } from '../render/layout';
import { listEventSources } from '../sources/queries';
import { AssetsSection } from './assets';
import { Csrf, EventTabs, Notice } from './layout';
import { afterSetupStep, SourceForm, SourceRow } from './sources';

/** The sample participant's fields, for previews of a template before any record exists. */
export const sampleFields = (c: Context<EventEnv>): CertificateFields =>
  sampleFieldsAt(c.var.event, linkOrigin(c.env.PUBLIC_URL, c.req.url));

/** A template preview, cached in R2 by the hash of what it shows. */
async function previewResponse(c: Context<EventEnv>, layout: Layout, fields: CertificateFields) {
  const image = await templatePreview(c.env, layout, fields);
  return c.body(image.body, 200, {
    'Content-Type': image.contentType,
    'Cache-Control': 'private, max-age=3600',
    ETag: image.etag,
  });
}

/** How many records each template is used for now, from the groups of records the rules look at. */
function TemplateUse({ event, templates, groups }: { event: Event; templates: Template[]; groups: RecordGroup[] }) {
  const use = new Map<number | null, number>();
  for (const g of groups) {
    const id = templateIdFor(event, { status: g.finished ? 'finished' : 'dnf', category: g.category });
    use.set(id, (use.get(id) ?? 0) + g.n);
  }
  return (
    <ul aria-label="Which template each record gets">
      {[...use].map(([id, n]) => (
        <li>
          {templates.find((t) => t.id === id)?.name ?? 'No template'}: {n} {n === 1 ? 'record' : 'records'}
        </li>
      ))}
    </ul>
  );
}

function TemplateRules({ event, templates, groups }: { event: Event; templates: Template[]; groups: RecordGroup[] }) {
  const categories = [...new Set(groups.flatMap((g) => (g.category ? [g.category] : [])))];
  const rules = event.templateRules ?? [];
  const statusRule = (status: 'finished' | 'unfinished') =>
    rules.find((r) => r.status === status && r.category === undefined)?.templateId;
  const categoryRules = [...rules.filter((r) => r.category !== undefined), { category: '', templateId: 0 }];
  const Options = ({ selected }: { selected?: number }) => (
    <>
      <option value="">the default template</option>
      {templates.map((t) => (
        <option value={String(t.id)} selected={t.id === selected}>
          {t.name} (v{t.version})
        </option>
      ))}
    </>
  );
  return (
    <form method="post" action={eventPaths(event).templateRules} class="card">
      <h3>Who gets which template</h3>
      <Csrf />
      <TemplateUse event={event} templates={templates} groups={groups} />
      <p class="muted">
        The first matching line wins: categories first, then finishers or not, then the default template.
      </p>
      {categoryRules.map((rule, i) => (
        <div class="grid">
          <div>
            <label for={`category-${i}`}>Category</label>
            <input
              id={`category-${i}`}
              name={`category.${i}`}
              value={rule.category ?? ''}
              list="categories"
              placeholder="e.g. M40"
            />
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
  'template-renamed': 'Template renamed.',
  'template-duplicated': 'Template duplicated.',
  'template-deleted': 'Template deleted.',
  'asset-uploaded': 'Uploaded. Place it on a template in the designer.',
  'asset-deleted': 'File deleted.',
};

export function TemplateGallery({ event, next }: { event: Event; next?: Next }) {
  const paths = eventPaths(event);
  return (
    <div class="grid">
      {builtInTemplates.map((t) => (
        <form method="post" action={paths.addTemplate(next)} class="card">
          <Csrf />
          <input type="hidden" name="builtIn" value={t.slug} />
          <img
            src={paths.builtInPreview(t.slug)}
            alt={`Preview of ${t.name}`}
            width={t.layout.page.width}
            height={t.layout.page.height}
            style="width:100%;height:auto"
            loading="lazy"
          />
          <h3>{t.name}</h3>
          <p class="muted">{t.description}</p>
          <button type="submit">Use this template</button>
        </form>
      ))}
    </div>
  );
}

/** One of the event's templates: open, choose, duplicate, rename or delete it. A region named by the template. */
function TemplateCard({ event, template }: { event: Event; template: Template }) {
  const paths = eventPaths(event).template(template.id);
  const id = `template-${template.id}`;
  return (
    <section class="card" id={id} aria-labelledby={`${id}-heading`}>
      <img
        src={paths.previewImage(template.version)}
        alt={`Preview of ${template.name}`}
        style="width:100%;height:auto"
        loading="lazy"
      />
      <h3 id={`${id}-heading`}>
        {template.name} <span class="muted">v{template.version}</span>
      </h3>
      <p>
        <a href={paths.design}>Open in the designer</a>
      </p>
      {event.templateId === template.id ? (
        <p>
          <span class="badge">used for every certificate</span>
        </p>
      ) : (
        <form method="post" action={paths.use}>
          <Csrf />
          <button type="submit" class="secondary">
            Use for certificates
          </button>
        </form>
      )}
      <div class="actions">
        <form method="post" action={paths.duplicate} class="inline">
          <Csrf />
          <button type="submit" class="secondary">
            Duplicate
          </button>
        </form>
        <a class="button secondary" href={paths.delete}>
          Delete
        </a>
      </div>
      <details>
        <summary>Rename</summary>
        <form method="post" action={paths.rename}>
          <Csrf />
          <label for={`${id}-name`}>Name</label>
          <input id={`${id}-name`} name="name" required maxlength={TEMPLATE_NAME_MAX} value={template.name} />
          <p>
            <button type="submit">Save name</button>
          </p>
        </form>
      </details>
    </section>
  );
}

/** What the delete page says instead of asking, when records still get the template. */
const stillUsed = {
  default: 'It is used for every certificate. Choose another template for certificates first.',
  rules:
    'Records get it through “Who gets which template”. Give those records another template there first, then delete it.',
} as const;

/** The event's template named in the path; another event's template is a 404. */
export async function templateOf(c: Context<EventEnv>) {
  const template = await findEventTemplate(c.var.db, c.var.event.id, Number(c.req.param('templateId')));
  if (!template) throw new HTTPException(404, { message: 'There is no such template in this event.' });
  return template;
}

/** The Certificate tab: the event's data sources, its certificate templates and its uploads. */
export const certificatePages = new Hono<EventEnv>()
  .get('/certificate', async (c) => {
    const { event, db } = c.var;
    const paths = eventPaths(event);
    const bib = (c.req.query('bib') ?? '').trim().slice(0, 20);
    const [status, sources, templates, groups, previewed, uploads] = await Promise.all([
      eventStatus(db, event),
      listEventSources(db, event.id),
      listEventTemplates(db, event.id),
      recordGroups(db, event.id),
      bib ? findRecordByBib(db, event.id, bib) : Promise.resolve(undefined),
      eventAssets(db, event.id),
    ]);
    const previewTemplate = previewed && templates.find((t) => t.id === templateIdFor(event, previewed));
    return c.render(
      <>
        <EventTabs event={event} status={status} current={status.setupComplete ? 'certificate' : 'setup'} />
        <Notice message={notices[c.req.query('notice') ?? '']} />
        <h2>Templates</h2>
        <details class="card" open={templates.length === 0}>
          <summary>
            <strong>Add a built-in template</strong>
          </summary>
          <TemplateGallery event={event} />
        </details>
        <div class="grid">
          {templates.map((t) => (
            <TemplateCard event={event} template={t} />
          ))}
        </div>
        {templates.length > 0 && <TemplateRules event={event} templates={templates} groups={groups} />}
        <form method="get" action={paths.certificate()} class="card search">
          <input
            name="bib"
            value={bib}
            placeholder="Preview the certificate of bib…"
            aria-label="Preview the certificate of a bib"
          />
          <button type="submit">Preview</button>
        </form>
        {bib && !previewed && <p class="error">No record with bib {bib}.</p>}
        {previewed && (
          <div class="card">
            <p>
              {previewed.name} (bib {previewed.bib}) gets <strong>{previewTemplate?.name ?? 'no template'}</strong>.
            </p>
            {previewTemplate && (
              <img
                src={paths.record(previewed.id).preview}
                alt={`Certificate of ${previewed.name}`}
                style="width:100%;height:auto"
              />
            )}
          </div>
        )}
        <h2>Data sources</h2>
        <div class="card table">
          {sources.length === 0 ? (
            <p class="muted">No sources yet.</p>
          ) : (
            <table>
              <tbody>
                {sources.map((s) => (
                  <SourceRow event={event} source={s} />
                ))}
              </tbody>
            </table>
          )}
        </div>
        <SourceForm event={event} />
        <AssetsSection event={event} assets={uploads} />
      </>,
      { title: `Certificate · ${event.name}` },
    );
  })
  .post('/templates', async (c) => {
    const slug = (await c.req.parseBody())['builtIn'];
    const builtIn = builtInTemplates.find((t) => t.slug === slug);
    if (!builtIn) throw new HTTPException(400, { message: 'Pick one of the built-in templates.' });
    await addBuiltInTemplate(c.var.db, c.var.event, builtIn);
    return c.redirect(afterSetupStep(c.req.query('next'), c.var.event, 'template-added'), 303);
  })
  .post('/templates/:templateId/rename', async (c) => {
    const template = await templateOf(c);
    const name = templateNameSchema.safeParse((await c.req.parseBody())['name'] ?? '');
    if (!name.success) throw new HTTPException(400, { message: name.error.issues[0]!.message });
    await renameTemplate(c.var.db, template, name.data);
    const paths = eventPaths(c.var.event);
    return c.redirect(paths.certificate({ notice: 'template-renamed' }, paths.template(template.id).card), 303);
  })
  .post('/templates/:templateId/duplicate', async (c) => {
    const copy = await duplicateTemplate(c.var.db, await templateOf(c));
    const paths = eventPaths(c.var.event);
    return c.redirect(paths.certificate({ notice: 'template-duplicated' }, paths.template(copy.id).card), 303);
  })
  // Asks first, in a form that needs no JavaScript; a template records still get is not offered.
  .get('/templates/:templateId/delete', async (c) => {
    const { event } = c.var;
    const template = await templateOf(c);
    const paths = eventPaths(event);
    const inUse = templateInUse(event, template.id);
    return c.render(
      inUse ? (
        <>
          <h1>“{template.name}” cannot be deleted</h1>
          <div class="card">
            <p>{stillUsed[inUse]}</p>
            <p>
              <a href={paths.certificate({}, paths.template(template.id).card)}>Back to the templates</a>
            </p>
          </div>
        </>
      ) : (
        <>
          <h1>Delete “{template.name}”?</h1>
          <form method="post" action={paths.template(template.id).delete} class="card">
            <Csrf />
            <p>No record gets this template now, so no certificate changes. Deleting it cannot be undone.</p>
            <div class="actions">
              <button type="submit" class="danger">
                Delete template
              </button>
              <a class="button secondary" href={paths.certificate({}, paths.template(template.id).card)}>
                Cancel
              </a>
            </div>
          </form>
        </>
      ),
      { title: `Delete ${template.name}` },
    );
  })
  .post('/templates/:templateId/delete', async (c) => {
    const { event, db } = c.var;
    const template = await templateOf(c);
    const inUse = templateInUse(event, template.id);
    if (inUse) throw new HTTPException(409, { message: stillUsed[inUse] });
    // Chosen for records in the moment since this request began: it stays.
    if (!(await deleteUnusedTemplate(db, event, template)))
      throw new HTTPException(409, { message: 'Records get this template now, so it stays.' });
    return c.redirect(eventPaths(event).certificate({ notice: 'template-deleted' }), 303);
  })
  .post('/templates/:templateId/use', async (c) => {
    const template = await templateOf(c);
    await setDefaultTemplate(c.var.db, c.var.event, template.id);
    return c.redirect(eventPaths(c.var.event).certificate({ notice: 'template-chosen' }), 303);
  })
  .post('/template-rules', async (c) => {
    const { event, db } = c.var;
    const rules = templateRulesFormSchema.safeParse(await c.req.parseBody());
    if (!rules.success) throw new HTTPException(400, { message: rules.error.issues[0]!.message });
    if (
      !(await areEventTemplates(
        db,
        event.id,
        rules.data.map((r) => r.templateId),
      ))
    )
      throw new HTTPException(400, { message: 'Pick templates of this event.' });
    await setTemplateRules(db, event, rules.data);
    return c.redirect(eventPaths(event).certificate({ notice: 'rules-saved' }), 303);
  })
  .get('/records/:recordId/preview.png', async (c) => {
    const { event, db } = c.var;
    const record = await findEventRecord(db, event.id, Number(c.req.param('recordId')));
    const template = record && (await findEventTemplate(db, event.id, templateIdFor(event, record)));
    if (!record || !template) return c.notFound();
    const layout = layoutSchema.parse(template.layout);
    const photo = drawsPhotos(layout) ? await recordPhotoHash(db, record.id) : undefined;
    const fields = await certificateFieldsWithVerify({ event, record, photo }, linkOrigin(c.env.PUBLIC_URL, c.req.url));
    return previewResponse(c, layout, fields);
  })
  .get('/templates/built-in/:slug/preview.png', async (c) => {
    const builtIn = builtInTemplates.find((t) => t.slug === c.req.param('slug'));
    if (!builtIn) return c.notFound();
    return previewResponse(c, builtIn.layout, sampleFields(c));
  })
  .get('/templates/:templateId/preview.png', async (c) => {
    const template = await templateOf(c);
    return previewResponse(c, layoutSchema.parse(template.layout), sampleFields(c));
  });

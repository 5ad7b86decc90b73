import { Hono, type Context } from 'hono';
import { raw } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { assertOwnAssets, eventAssets } from '../assets/queries';
import { certificateFieldsWithVerify } from '../certificates/public';
import { saveTemplateLayout } from '../certificates/templates';
import type { EventEnv } from '../env';
import { eventPaths, linkOrigin } from '../paths';
import { recordPhotoHash } from '../records/photos';
import { findRecordByBib } from '../records/queries';
import { adaptDesign, designFor } from '../render/adapt';
import { drawsPhotos } from '../render/design-assets';
import { fontFamilies, layoutSchema, pagePresets } from '../render/layout';
import { renderPng } from '../render/pipeline';
import { socialVariants, variantNames, variants, type ImageVariant } from '../render/variants';
import { sampleFields, templateOf } from './certificate';
import designerCss from './designer.css';
import designerScript from './designer.client.js';

const designed = z.enum(variantNames as [ImageVariant, ...ImageVariant[]]).default('certificate');

/** "Design for" options: every variant with its size and the files it comes as. */
const designForLabel = (variant: ImageVariant) => {
  const { label, size, files } = variants[variant];
  const formats = files.map((f) => f.toUpperCase());
  return size
    ? `${label}, ${size.width}×${size.height}`
    : `${label} (${formats.length > 1 ? `${formats.slice(0, -1).join(', ')} and ${formats.at(-1)}` : formats[0]})`;
};

/** The print sizes the certificate's page can be set to; the social formats have fixed sizes. */
const pageSizes = [
  ['a4-landscape', 'A4 landscape'],
  ['a4-portrait', 'A4 portrait'],
  ['letter-landscape', 'Letter landscape'],
  ['letter-portrait', 'Letter portrait'],
] as const;

/** A layout sent by the designer, refused with the path of the first bad field. */
async function layoutFromBody(c: Context<EventEnv>) {
  const body = z
    .object({ layout: z.unknown(), bib: z.string().max(20).optional(), format: designed })
    .safeParse(await c.req.json().catch(() => null));
  if (!body.success) throw new HTTPException(400, { message: 'Send { "layout": … } as JSON.' });
  const layout = layoutSchema.safeParse(body.data.layout);
  if (!layout.success) {
    const issue = layout.error.issues[0]!;
    throw new HTTPException(400, { message: `layout.${issue.path.join('.')}: ${issue.message}` });
  }
  await assertOwnAssets(c.var.db, c.var.event, layout.data);
  return { layout: layout.data, bib: body.data.bib?.trim(), format: body.data.format };
}

/** Fields an element can be shown by, e.g. a podium badge only when rankOverall is at most 3. */
const conditionFields = [
  ['status', 'status'],
  ['rankOverall', 'overall rank'],
  ['rankGender', 'gender rank'],
  ['rankCategory', 'category rank'],
  ['category', 'category'],
  ['gender', 'gender'],
  ['age', 'age'],
  ['finishTime', 'finish time'],
] as const;
const conditionOps = [
  ['eq', 'is'],
  ['ne', 'is not'],
  ['lte', 'is at most'],
  ['gte', 'is at least'],
  ['present', 'is filled in'],
  ['absent', 'is empty'],
] as const;

/** The Certificate tab's designer: edit a template's layout on a live preview, then save a new version. */
export const designerPages = new Hono<EventEnv>()
  .get('/templates/:templateId/design', async (c) => {
    const { event } = c.var;
    const template = await templateOf(c);
    const paths = eventPaths(event).template(template.id);
    const uploads = await eventAssets(c.var.db, event.id);
    const config = {
      layout: layoutSchema.parse(template.layout),
      previewUrl: paths.livePreview,
      saveUrl: paths.layout,
      adaptUrl: paths.adapt,
      csrfToken: c.var.csrfToken,
      images: uploads
        .filter((a) => a.kind === 'image')
        .map((a) => ({ hash: a.hash, name: a.name, width: a.width, height: a.height })),
      fonts: uploads.filter((a) => a.kind === 'font').map((a) => ({ hash: a.hash, name: a.name })),
      formats: Object.fromEntries(socialVariants.map((v) => [v, variants[v].size])),
      pageSizes: Object.fromEntries(pageSizes.map(([preset]) => [preset, pagePresets[preset]])),
    };
    // JSON inside a script element must not be able to close it.
    const configJson = JSON.stringify(config).replace(/</g, '\\u003c');
    return c.render(
      <>
        <p class="muted">
          <a href={eventPaths(event).certificate()}>Certificate</a> / {template.name}
        </p>
        <h1>
          Design “{template.name}”{' '}
          <span class="muted" data-version>
            v{template.version}
          </span>
        </h1>
        <div class="designer" data-designer>
          <div class="designer-canvas">
            <img data-preview src={paths.previewImage(template.version)} alt="Live preview of the certificate" />
            <div data-stage />
          </div>
          <div>
            <label for="designer-format">Design for</label>
            <select id="designer-format" name="format">
              {variantNames.map((variant) => (
                <option value={variant}>{designForLabel(variant)}</option>
              ))}
            </select>
            <p class="muted" data-adapted-note hidden>
              Adapted from the certificate automatically.{' '}
              <button type="button" class="link" data-own-design>
                Give it a design of its own
              </button>
            </p>
            <p class="muted" data-own-note hidden>
              This format has its own design.{' '}
              <button type="button" class="link" data-drop-design>
                Adapt the certificate instead
              </button>
            </p>
            <div class="actions" data-editing>
              <button type="button" class="secondary" data-add="text">
                Add text
              </button>
              <button type="button" class="secondary" data-add="rect">
                Add line or box
              </button>
              <button type="button" class="secondary" data-add="qr">
                Add QR code
              </button>
              <button type="button" class="secondary" data-add="photo">
                Add participant photo
              </button>
            </div>
            <div class="actions" data-editing>
              <select name="newImage" aria-label="Image to add" data-image-options>
                <option value="">Upload images on the Certificate tab</option>
              </select>
              <button type="button" class="secondary" data-add="image">
                Add image
              </button>
            </div>
            <div class="actions">
              <button type="button" class="secondary" data-undo>
                Undo
              </button>
              <button type="button" class="secondary" data-redo>
                Redo
              </button>
              <button type="button" data-save>
                Save new version
              </button>
            </div>
            <p role="status" data-status class="muted" />
            <label for="designer-bib">Preview with bib</label>
            <input id="designer-bib" name="bib" placeholder="sample participant" />
            <div class="card" data-editing>
              <h3 id="designer-layers">Layers</h3>
              <p class="muted" id="designer-layers-help">
                Topmost first. Arrow keys move along the list, Enter or Space selects.
              </p>
              <div
                role="listbox"
                class="designer-layers"
                aria-labelledby="designer-layers"
                aria-describedby="designer-layers-help"
                data-layers
              />
            </div>
            <div class="card" data-panel hidden>
              <h3>Selected element</h3>
              {(['x', 'y', 'width', 'height'] as const).map((name) => (
                <>
                  <label for={`designer-${name}`}>{name}</label>
                  <input id={`designer-${name}`} name={name} type="number" min="0" />
                </>
              ))}
              <div data-for="text">
                <label for="designer-text">Text</label>
                <input id="designer-text" name="text" />
                <p class="muted">
                  Placeholders: {'{name} {finishTime|time} {rankOverall|ordinal} {category} {event} {date|date}'}, or
                  any imported column.
                </p>
                <label for="designer-size">Font size</label>
                <input id="designer-size" name="size" type="number" min="4" />
                <label for="designer-maxLines">Lines before it shrinks</label>
                <input id="designer-maxLines" name="maxLines" type="number" min="1" max="10" />
                <label for="designer-family">Font</label>
                <select id="designer-family" name="family">
                  {fontFamilies.map((family) => (
                    <option value={family}>{family}</option>
                  ))}
                </select>
                <label for="designer-weight">Weight</label>
                <select id="designer-weight" name="weight">
                  <option value="400">Regular</option>
                  <option value="700">Bold</option>
                </select>
                <label for="designer-align">Alignment</label>
                <select id="designer-align" name="align">
                  <option value="left">Left</option>
                  <option value="center">Centre</option>
                  <option value="right">Right</option>
                </select>
                <label>
                  <input type="checkbox" name="uppercase" /> Upper case
                </label>
              </div>
              <div data-for="image">
                <label for="designer-asset">Image</label>
                <select id="designer-asset" name="asset" data-image-options />
              </div>
              <div data-for="photo">
                <label for="designer-fallback">Without a photo, show</label>
                <select id="designer-fallback" name="fallback">
                  <option value="">nothing</option>
                </select>
              </div>
              <div data-for="image photo">
                <label for="designer-fit">Fit</label>
                <select id="designer-fit" name="fit">
                  <option value="contain">Show all of it</option>
                  <option value="cover">Fill the box, cropping</option>
                </select>
              </div>
              <div data-for="text rect qr">
                <label for="designer-colour">Colour</label>
                <input id="designer-colour" name="colour" type="color" />
              </div>
              <label for="designer-when-field">Show</label>
              <div class="actions">
                <select id="designer-when-field" name="whenField" aria-label="Show only when this field">
                  <option value="">always</option>
                  {conditionFields.map(([field, label]) => (
                    <option value={field}>when {label}</option>
                  ))}
                </select>
                <select name="whenOp" aria-label="Comparison">
                  {conditionOps.map(([op, label]) => (
                    <option value={op}>{label}</option>
                  ))}
                </select>
                <input name="whenValue" aria-label="Value to compare with" size={10} />
              </div>
              <p>
                <button type="button" class="danger" data-delete>
                  Delete element
                </button>
              </p>
            </div>
            <div class="card" data-page-panel>
              <h3>Page</h3>
              <div data-page-size>
                <label for="designer-page-size">Page size</label>
                <select id="designer-page-size" name="pageSize">
                  {pageSizes.map(([preset, label]) => (
                    <option value={preset}>{label}</option>
                  ))}
                  <option value="custom" disabled data-custom-size>
                    Custom size
                  </option>
                </select>
                <p class="muted">Everything on the page is scaled to fit the new size.</p>
              </div>
              <select name="backgroundKind" aria-label="Background">
                <option value="colour">Colour</option>
                <option value="gradient">Gradient</option>
                <option value="image">Image</option>
              </select>
              <div data-background="colour image">
                <label for="designer-background-colour">Background colour</label>
                <input id="designer-background-colour" name="backgroundColour" type="color" />
              </div>
              <div data-background="gradient">
                <label for="designer-gradient-from">From</label>
                <input id="designer-gradient-from" name="gradientFrom" type="color" />
                <label for="designer-gradient-to">To</label>
                <input id="designer-gradient-to" name="gradientTo" type="color" />
              </div>
              <div data-background="image">
                <label for="designer-background-image">Image</label>
                <select id="designer-background-image" name="backgroundImage" data-image-options />
                <label for="designer-background-fit">Fit</label>
                <select id="designer-background-fit" name="backgroundFit">
                  <option value="cover">Fill the page, cropping</option>
                  <option value="contain">Show all of it</option>
                </select>
              </div>
            </div>
          </div>
        </div>
        <script type="application/json" id="designer-config">
          {raw(configJson)}
        </script>
        <script nonce={c.get('secureHeadersNonce')}>{raw(designerScript)}</script>
      </>,
      { title: `Design ${template.name}`, head: <style>{raw(designerCss)}</style> },
    );
  })
  .post('/templates/:templateId/preview', async (c) => {
    const { event } = c.var;
    await templateOf(c);
    const { layout, bib, format } = await layoutFromBody(c);
    const record = bib ? await findRecordByBib(c.var.db, event.id, bib) : undefined;
    const fields = record
      ? await certificateFieldsWithVerify(
          // The runner's own photo in the element, as their certificate will have it.
          { event, record, photo: drawsPhotos(layout) ? await recordPhotoHash(c.var.db, record.id) : undefined },
          linkOrigin(c.env.PUBLIC_URL, c.req.url),
        )
      : sampleFields(c);
    return c.body(await renderPng(designFor(layout, format), fields, c.env), 200, {
      'Content-Type': 'image/png',
      'Cache-Control': 'no-store',
    });
  })
  // A variant's own design starts as the certificate adapted to it, as it looked until then.
  .post('/templates/:templateId/adapt', async (c) => {
    await templateOf(c);
    const { layout, format } = await layoutFromBody(c);
    const { size } = variants[format];
    if (!size) throw new HTTPException(400, { message: 'Pick the share card, square or story format.' });
    return c.json({ design: adaptDesign(layout, size) });
  })
  .post('/templates/:templateId/layout', async (c) => {
    const template = await templateOf(c);
    const { layout } = await layoutFromBody(c);
    return c.json({ version: await saveTemplateLayout(c.var.db, template, layout) });
  });

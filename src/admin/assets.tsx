import { and, eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { assetKey, storeAsset } from '../assets/store';
import type { Database } from '../db/client';
import { assets, templates, type Asset, type Event } from '../db/schema';
import type { OrganiserEnv } from '../env';
import { layoutAssetHashes } from '../render/design-assets';
import type { Layout } from '../render/layout';
import { ownEvent } from './guard';
import { Csrf, PostButton } from './layout';

export const eventAssets = (db: Database, eventId: number) =>
  db.select().from(assets).where(eq(assets.eventId, eventId)).orderBy(assets.kind, assets.name);

/** Refuses a layout that draws a file this event has not uploaded (or has deleted). */
export async function assertOwnAssets(db: Database, event: Event, layout: Layout) {
  const wanted = layoutAssetHashes(layout);
  if (wanted.length === 0) return;
  const own = new Set((await eventAssets(db, event.id)).map((a) => a.hash));
  if (wanted.some((hash) => !own.has(hash))) {
    throw new HTTPException(400, { message: 'The layout uses an image or font that is not uploaded to this event. Upload it again.' });
  }
}

/** The event's templates whose layout draws the asset, anywhere (certificate or a format's own design). */
async function templatesUsing(db: Database, event: Event, asset: Asset) {
  const eventTemplates = await db.select().from(templates).where(eq(templates.eventId, event.id));
  return eventTemplates.filter((t) => JSON.stringify(t.layout).includes(`"${asset.hash}"`));
}

const sizeLabel = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

function AssetDetails({ asset }: { asset: Asset }) {
  if (asset.kind === 'font') return <span class="muted">font · {sizeLabel(asset.size)}</span>;
  return (
    <span class="muted">
      {asset.width}×{asset.height} px · {sizeLabel(asset.size)}
      {asset.originalWidth && ` · downscaled from ${asset.originalWidth}×${asset.originalHeight} px`}
    </span>
  );
}

/** The Certificate tab's list of uploaded backgrounds, logos and fonts, with the upload form. */
export function AssetsSection({ event, assets: list, csrfToken }: { event: Event; assets: Asset[]; csrfToken: string }) {
  return (
    <section id="assets">
      <h2>Images and fonts</h2>
      <div class="card table">
        {list.length === 0 ? (
          <p class="muted">Upload a background, a logo or your event's font, then place it in the designer.</p>
        ) : (
          <table>
            <tbody>
              {list.map((asset) => (
                <tr>
                  <td style="width:5rem">
                    {asset.kind === 'image' && (
                      <img src={`/admin/events/${event.id}/assets/${asset.id}`} alt="" style="max-width:4.5rem;max-height:3rem" loading="lazy" />
                    )}
                  </td>
                  <td>
                    {asset.name}
                    <br />
                    <AssetDetails asset={asset} />
                  </td>
                  <td>
                    <PostButton action={`/admin/events/${event.id}/assets/${asset.id}/delete`} csrfToken={csrfToken}>
                      Delete
                    </PostButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <form method="post" action={`/admin/events/${event.id}/assets`} enctype="multipart/form-data" class="card">
        <Csrf token={csrfToken} />
        <label>
          Upload an image (PNG or JPEG, up to 10 MB and 8,000 px a side) or a font (TTF, OTF or WOFF)
          <input type="file" name="file" accept=".png,.jpg,.jpeg,.ttf,.otf,.woff,image/png,image/jpeg" required />
        </label>
        <button type="submit">Upload</button>
      </form>
    </section>
  );
}

async function ownAsset(c: Context<OrganiserEnv>, event: Event): Promise<Asset | undefined> {
  const [asset] = await c.var.db
    .select()
    .from(assets)
    .where(and(eq(assets.id, Number(c.req.param('assetId'))), eq(assets.eventId, event.id)));
  return asset;
}

export const assetPages = new Hono<OrganiserEnv>()
  .post('/events/:eventId/assets', async (c) => {
    const event = await ownEvent(c);
    const file = (await c.req.parseBody())['file'];
    if (!(file instanceof File)) throw new HTTPException(400, { message: 'Choose a file to upload.' });
    const asset = await storeAsset(c.env, c.var.db, event.id, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    if (c.req.header('Accept')?.includes('application/json')) return c.json({ asset }, 201);
    return c.redirect(`/admin/events/${event.id}/certificate?notice=asset-uploaded#assets`, 303);
  })
  .get('/events/:eventId/assets/:assetId{[0-9]+}', async (c) => {
    const asset = await ownAsset(c, await ownEvent(c));
    const object = asset && (await c.env.FILES.get(assetKey(asset.hash)));
    if (!object) return c.notFound();
    return c.body(object.body, 200, { 'Content-Type': asset.contentType, 'Cache-Control': 'private, max-age=86400' });
  })
  .post('/events/:eventId/assets/:assetId{[0-9]+}/delete', async (c) => {
    const event = await ownEvent(c);
    const asset = await ownAsset(c, event);
    if (!asset) throw new HTTPException(404, { message: 'There is no such file in this event.' });
    const using = await templatesUsing(c.var.db, event, asset);
    if (using.length > 0) {
      throw new HTTPException(409, {
        message: `${asset.name} is still used by ${using.map((t) => t.name).join(', ')}. Remove it in the designer first.`,
      });
    }
    await c.var.db.delete(assets).where(eq(assets.id, asset.id));
    // The bytes stay in R2: another event may have uploaded the same file, and certificates already
    // issued may still point at it.
    return c.redirect(`/admin/events/${event.id}/certificate?notice=asset-deleted#assets`, 303);
  });

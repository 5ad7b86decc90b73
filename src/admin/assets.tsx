import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { useRequestContext } from 'hono/jsx-renderer';
import { assetFile, deleteAsset, findEventAsset, undrawableAssets } from '../assets/queries';
import { storeAsset } from '../assets/store';
import type { Asset, Event } from '../db/schema';
import type { EventEnv } from '../env';
import { eventPaths } from '../paths';
import { Csrf, ErrorNote, PostButton } from './layout';

const sizeLabel = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;

function AssetDetails({ asset }: { asset: Asset }) {
  if (asset.kind === 'font') return <span class="muted">font · {sizeLabel(asset.size)}</span>;
  return (
    <span class="muted">
      {asset.width}×{asset.height} px · {sizeLabel(asset.size)}
      {asset.originalWidth && ` · downscaled from ${asset.originalWidth}×${asset.originalHeight} px`}
    </span>
  );
}

const leftOut = (asset: Asset) =>
  `${
    asset.kind === 'image'
      ? `The image ${asset.name} could not be drawn; certificates are shown without it.`
      : `The font ${asset.name} could not be drawn; certificates use the template’s own font instead.`
  } Upload the file again, then save the template in the designer to draw every certificate with it again.`;

/** Uploads the renderer found lost or damaged in storage and left out of certificates, until uploaded again. */
async function LeftOutWarnings({ assets }: { assets: Asset[] }) {
  const { env } = useRequestContext<EventEnv>();
  return (await undrawableAssets(env.FILES, assets)).map((asset) => <ErrorNote message={leftOut(asset)} />);
}

/** The Certificate tab's list of uploaded backgrounds, logos and fonts, with the upload form. */
export function AssetsSection({ event, assets }: { event: Event; assets: Asset[] }) {
  const paths = eventPaths(event);
  return (
    <section id="assets">
      <h2>Images and fonts</h2>
      <LeftOutWarnings assets={assets} />
      <div class="card table">
        {assets.length === 0 ? (
          <p class="muted">Upload a background, a logo or your event's font, then place it in the designer.</p>
        ) : (
          <table>
            <tbody>
              {assets.map((asset) => (
                <tr>
                  <td style="width:5rem">
                    {asset.kind === 'image' && (
                      <img
                        src={paths.asset(asset.id).file}
                        alt=""
                        style="max-width:4.5rem;max-height:3rem"
                        loading="lazy"
                      />
                    )}
                  </td>
                  <td>
                    {asset.name}
                    <br />
                    <AssetDetails asset={asset} />
                  </td>
                  <td>
                    <PostButton action={paths.asset(asset.id).delete}>Delete</PostButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <form method="post" action={paths.addAsset} enctype="multipart/form-data" class="card">
        <Csrf />
        <label>
          Upload an image (PNG or JPEG, up to 10 MB and 8,000 px a side) or a font (TTF, OTF or WOFF)
          <input type="file" name="file" accept=".png,.jpg,.jpeg,.ttf,.otf,.woff,image/png,image/jpeg" required />
        </label>
        <button type="submit">Upload</button>
      </form>
    </section>
  );
}

/** The event's asset named in the path; another event's asset is not found. */
const assetOf = (c: Context<EventEnv>) => findEventAsset(c.var.db, c.var.event.id, Number(c.req.param('assetId')));

export const assetPages = new Hono<EventEnv>()
  .post('/assets', async (c) => {
    const { event } = c.var;
    const file = (await c.req.parseBody())['file'];
    if (!(file instanceof File)) throw new HTTPException(400, { message: 'Choose a file to upload.' });
    const asset = await storeAsset(c.env, c.var.db, event.id, {
      name: file.name,
      bytes: new Uint8Array(await file.arrayBuffer()),
    });
    if (c.req.header('Accept')?.includes('application/json')) return c.json({ asset }, 201);
    return c.redirect(eventPaths(event).certificate({ notice: 'asset-uploaded' }, '#assets'), 303);
  })
  .get('/assets/:assetId{[0-9]+}', async (c) => {
    const asset = await assetOf(c);
    const object = asset && (await assetFile(c.env.FILES, asset));
    if (!object) return c.notFound();
    return c.body(object.body, 200, { 'Content-Type': asset.contentType, 'Cache-Control': 'private, max-age=86400' });
  })
  .post('/assets/:assetId{[0-9]+}/delete', async (c) => {
    const asset = await assetOf(c);
    if (!asset) throw new HTTPException(404, { message: 'There is no such file in this event.' });
    await deleteAsset(c.var.db, c.var.event, asset);
    return c.redirect(eventPaths(c.var.event).certificate({ notice: 'asset-deleted' }, '#assets'), 303);
  });

import { and, eq } from 'drizzle-orm';
import { HTTPException } from 'hono/http-exception';
import type { Database } from '../db/client';
import { assets, templates, type Asset, type Event } from '../db/schema';
import { layoutAssetHashes } from '../render/design-assets';
import type { Layout } from '../render/layout';
import { assetKey, undrawableAssetKey } from './keys';

export const eventAssets = (db: Database, eventId: number) =>
  db.select().from(assets).where(eq(assets.eventId, eventId)).orderBy(assets.kind, assets.name);

/** An asset of this event, or undefined: another event's asset id finds nothing. */
export async function findEventAsset(db: Database, eventId: number, assetId: number): Promise<Asset | undefined> {
  const [asset] = await db
    .select()
    .from(assets)
    .where(and(eq(assets.id, assetId), eq(assets.eventId, eventId)));
  return asset;
}

/** The asset's bytes from R2, or undefined when the file is lost. */
export const assetFile = (files: R2Bucket, asset: Asset) => files.get(assetKey(asset.hash));

/** Those of these assets the renderer found lost or damaged (render/design-assets.ts) and left out. */
export async function undrawableAssets(files: R2Bucket, list: Asset[]): Promise<Asset[]> {
  const noted = await Promise.all(list.map((asset) => files.head(undrawableAssetKey(asset.hash))));
  return list.filter((_, i) => noted[i]);
}

/** Refuses a layout that draws a file this event has not uploaded (or has deleted). */
export async function assertOwnAssets(db: Database, event: Event, layout: Layout) {
  const wanted = layoutAssetHashes(layout);
  if (wanted.length === 0) return;
  const own = new Set((await eventAssets(db, event.id)).map((a) => a.hash));
  if (wanted.some((hash) => !own.has(hash))) {
    throw new HTTPException(400, {
      message: 'The layout uses an image or font that is not uploaded to this event. Upload it again.',
    });
  }
}

/**
 * Deletes an asset from the event, refused while a template draws it (in the certificate or a
 * format's own design). The bytes stay in R2: another event may have uploaded the same file, and
 * certificates already issued may still point at it.
 */
export async function deleteAsset(db: Database, event: Event, asset: Asset): Promise<void> {
  const eventTemplates = await db.select().from(templates).where(eq(templates.eventId, event.id));
  const using = eventTemplates.filter((t) => JSON.stringify(t.layout).includes(`"${asset.hash}"`));
  if (using.length > 0) {
    throw new HTTPException(409, {
      message: `${asset.name} is still used by ${using.map((t) => t.name).join(', ')}. Remove it in the designer first.`,
    });
  }
  await db.delete(assets).where(eq(assets.id, asset.id));
}

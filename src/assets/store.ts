import { and, count, eq, sql } from 'drizzle-orm';
import { HTTPException } from 'hono/http-exception';
import type { Database } from '../db/client';
import { assets, events, type Asset } from '../db/schema';
import type { Env } from '../env';
import { drawsUpload } from '../render/pipeline';
import { assetKey, undrawableAssetKey } from './keys';
import { MAX_IMAGE_SIDE, sniffAsset, type SniffedAsset } from './sniff';

export const MAX_ASSET_BYTES = 10 * 1024 * 1024;
/**
 * Images are stored no larger than this a side. It is sharper than any page needs at 150 dpi
 * (A4 is 1754 px wide), and decoding it takes at most 26 MB, so a render stays well inside 128 MB.
 */
export const STORED_IMAGE_SIDE = 2560;

const refuse = (status: 400 | 413 | 415, message: string) => new HTTPException(status, { message });

async function contentHash(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const damaged = (sniffed: SniffedAsset) =>
  sniffed.kind === 'image'
    ? refuse(
        400,
        `This ${sniffed.extension === 'png' ? 'PNG' : 'JPEG'} image could not be read: the file is damaged. Export it again as PNG or JPEG.`,
      )
    : refuse(400, 'This font file could not be read: the file is damaged. Upload it again as TTF, OTF or WOFF.');

/**
 * Downscaled once, here, through Cloudflare Images: the decode happens outside this worker, so
 * even an 8000 px photo never has to fit in its memory. Undefined when it cannot decode the file
 * (locally, sharp then answers with no bytes at all).
 */
export async function downscaled(
  env: Pick<Env, 'IMAGES'>,
  bytes: Uint8Array,
  sniffed: Extract<SniffedAsset, { kind: 'image' }>,
  side = STORED_IMAGE_SIDE,
): Promise<Uint8Array | undefined> {
  try {
    const output = await env.IMAGES.input(new Blob([bytes]).stream())
      // One side only: the other follows from the aspect ratio.
      .transform(sniffed.width >= sniffed.height ? { width: side } : { height: side })
      .output({ format: sniffed.contentType, quality: 90 });
    const response = output.response();
    return response.ok ? new Uint8Array(await response.arrayBuffer()) : undefined;
  } catch {
    return undefined;
  }
}

export interface Upload {
  name: string;
  bytes: Uint8Array;
}

/** What one organiser's uploads may come to, over all their events. */
export const assetQuota = { files: 500, bytes: 1024 * 1024 * 1024 } as const;

/** Refuses (413) an upload that would take the event's organiser past their quota. */
async function checkAssetQuota(db: Database, eventId: number, size: number): Promise<void> {
  const [held] = await db
    .select({ files: count(), bytes: sql<number>`coalesce(sum(${assets.size}), 0)` })
    .from(assets)
    .innerJoin(events, eq(events.id, assets.eventId))
    .where(eq(events.organiserId, sql`(SELECT ${events.organiserId} FROM ${events} WHERE ${events.id} = ${eventId})`));
  if (held!.files >= assetQuota.files) {
    throw refuse(
      413,
      `You have ${assetQuota.files} uploaded files, the most one organiser can have. Delete some you no longer use.`,
    );
  }
  if (held!.bytes + size > assetQuota.bytes) {
    throw refuse(
      413,
      'Your uploads would come to more than 1 GB, the most one organiser can have. Delete some you no longer use.',
    );
  }
}

/**
 * Checks an uploaded background, logo or font and stores it for the event: refused with a
 * message that says what to upload instead, or stored once however often it is uploaded.
 */
export async function storeAsset(
  env: Pick<Env, 'FILES' | 'IMAGES'>,
  db: Database,
  eventId: number,
  upload: Upload,
): Promise<Asset> {
  let { bytes } = upload;
  if (bytes.length === 0)
    throw refuse(400, 'The file is empty. Choose a PNG or JPEG image, or a TTF, OTF or WOFF font.');
  if (bytes.length > MAX_ASSET_BYTES)
    throw refuse(413, 'Files may be at most 10 MB. Export the image smaller or as a JPEG.');
  const sniffed = sniffAsset(bytes);
  if ('error' in sniffed) throw refuse(415, sniffed.error);

  const name =
    upload.name
      .replace(/[\p{Cc}\p{Cf}]/gu, '')
      .trim()
      .slice(0, 120) || 'Untitled';
  let details: Pick<Asset, 'name' | 'width' | 'height' | 'originalWidth' | 'originalHeight'> = {
    name,
    width: null,
    height: null,
    originalWidth: null,
    originalHeight: null,
  };
  let stored: SniffedAsset = sniffed;
  if (sniffed.kind === 'image') {
    const { width, height } = sniffed;
    if (width === 0 || height === 0) throw refuse(400, 'This image has no pixels.');
    if (Math.max(width, height) > MAX_IMAGE_SIDE) {
      throw refuse(
        413,
        `This image is ${width}×${height} px; images may be at most ${MAX_IMAGE_SIDE.toLocaleString('en')} px a side.`,
      );
    }
    details = { ...details, width, height };
    if (Math.max(width, height) > STORED_IMAGE_SIDE) {
      const smaller = await downscaled(env, bytes, sniffed);
      const resniffed = smaller && sniffAsset(smaller);
      if (!resniffed || 'error' in resniffed || resniffed.kind !== 'image') throw damaged(sniffed);
      bytes = smaller!;
      stored = resniffed;
      details = {
        ...details,
        width: resniffed.width,
        height: resniffed.height,
        originalWidth: width,
        originalHeight: height,
      };
    }
  }
  // Every pixel and every glyph, read as the renderer reads them: a header that reads well says
  // nothing of the data after it, and a damaged file would fail every certificate that draws it.
  if (!(await drawsUpload(bytes, stored))) throw damaged(sniffed);

  const hash = await contentHash(bytes);
  await checkAssetQuota(db, eventId, bytes.length);
  await env.FILES.put(assetKey(hash), bytes, {
    httpMetadata: { contentType: sniffed.contentType, cacheControl: 'public, max-age=31536000, immutable' },
  });
  await db
    .insert(assets)
    .values({ eventId, hash, kind: sniffed.kind, contentType: sniffed.contentType, size: bytes.length, ...details })
    .onConflictDoNothing();
  // The same bytes again: whatever was wrong with the stored copy is put right.
  await env.FILES.delete(undrawableAssetKey(hash));
  const [asset] = await db
    .select()
    .from(assets)
    .where(and(eq(assets.eventId, eventId), eq(assets.hash, hash)));
  return asset!;
}

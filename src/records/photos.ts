import { count, eq, inArray, sql } from 'drizzle-orm';
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { HTTPException } from 'hono/http-exception';
import { assetKey } from '../assets/keys';
import { sniffAsset, MAX_IMAGE_SIDE } from '../assets/sniff';
import { downscaled, MAX_ASSET_BYTES } from '../assets/store';
import type { Database } from '../db/client';
import { recordPhotos, records } from '../db/schema';
import type { Env } from '../env';
import { drawsUpload } from '../render/pipeline';

/**
 * What one ZIP of photos may be. The ZIP is held whole in the Worker's 128 MB while its photos are
 * unpacked a few at a time, and every photo is downscaled and drawn once to check it, all within
 * the upload's request and its CPU time: a bigger event sends several ZIPs (each adds to the
 * photos already there).
 */
export const photoZipLimits = {
  zipBytes: 50 * 1024 * 1024,
  files: 500,
  fileBytes: MAX_ASSET_BYTES,
  /** What its files may come to unpacked, as the ZIP declares them before anything is inflated. */
  unpackedBytes: 200 * 1024 * 1024,
} as const;

/**
 * Photos are stored no larger than this a side: a photo on a certificate is a few inches wide at
 * 150 dpi, and each render embeds the record's photo, so a smaller one renders faster.
 */
export const PHOTO_SIDE = 1000;

// Photos unpacked at once, by what the ZIP says they come to.
const BATCH_BYTES = 16 * 1024 * 1024;

export interface PhotoImportReport {
  /** Participants who got a photo (new or replaced). */
  matched: number;
  /** File names that are no participant's bib or key. */
  unknown: string[];
  /** Files that are not a usable photo, and why. */
  refused: { name: string; reason: string }[];
}

const refuse = (status: 400 | 413, message: string) => new HTTPException(status, { message });

/** What a file in the ZIP is named for: "photos/1234.JPG" is bib 1234; folders and the extension aside. */
const stemOf = (path: string) =>
  (path.split('/').at(-1) ?? '')
    .replace(/\.[^.]*$/, '')
    .normalize('NFC')
    .trim();

// Left by macOS and Windows beside the files a ZIP was made from: not photos anyone chose.
const isClutter = (path: string) =>
  path.endsWith('/') || path.startsWith('__MACOSX/') || /(^|\/)(\.[^/]*|Thumbs\.db|desktop\.ini)$/i.test(path);

const hashOf = async (bytes: Uint8Array) =>
  [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)).subarray(0, 16)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');

type StoredPhoto = { hash: string; width: number; height: number };

/** Checks one photo as an upload is checked (storeAsset), downscaled to PHOTO_SIDE, and stores it; or why not. */
async function storePhoto(env: Pick<Env, 'FILES' | 'IMAGES'>, bytes: Uint8Array): Promise<StoredPhoto | string> {
  if (bytes.length === 0) return 'The file is empty.';
  const sniffed = sniffAsset(bytes);
  if ('error' in sniffed) return sniffed.error;
  if (sniffed.kind !== 'image') return 'This is a font, not a photo. Use PNG or JPEG.';
  if (sniffed.width === 0 || sniffed.height === 0) return 'This image has no pixels.';
  if (Math.max(sniffed.width, sniffed.height) > MAX_IMAGE_SIDE)
    return `This image is ${sniffed.width}×${sniffed.height} px; photos may be at most ${MAX_IMAGE_SIDE.toLocaleString('en')} px a side.`;
  let stored = sniffed;
  if (Math.max(sniffed.width, sniffed.height) > PHOTO_SIDE) {
    const smaller = await downscaled(env, bytes, sniffed, PHOTO_SIDE);
    const resniffed = smaller && sniffAsset(smaller);
    if (!resniffed || 'error' in resniffed || resniffed.kind !== 'image') return 'The image is damaged.';
    bytes = smaller!;
    stored = resniffed;
  }
  // Drawn as the renderer draws it: a photo that cannot be would leave a hole in the certificate.
  if (!(await drawsUpload(bytes, stored))) return 'The image is damaged.';
  const hash = await hashOf(bytes);
  await env.FILES.put(assetKey(hash), bytes, {
    httpMetadata: { contentType: stored.contentType, cacheControl: 'public, max-age=31536000, immutable' },
  });
  return { hash, width: stored.width, height: stored.height };
}

/** The ZIP's files, as it declares them, or a refusal of the whole upload. */
function listZip(zip: Uint8Array): UnzipFileInfo[] {
  const files: UnzipFileInfo[] = [];
  try {
    // Nothing is inflated: the filter only takes note of each file.
    unzipSync(zip, {
      filter: (file) => {
        if (!isClutter(file.name)) files.push(file);
        return false;
      },
    });
  } catch {
    throw refuse(400, 'This is not a ZIP file, or it is damaged. Make a ZIP of the photos and upload it again.');
  }
  if (files.length > photoZipLimits.files) {
    throw refuse(
      413,
      `The ZIP has ${files.length.toLocaleString('en')} files; one ZIP may have at most ${photoZipLimits.files.toLocaleString('en')}. Upload the photos in several ZIPs.`,
    );
  }
  const unpacked = files.reduce((n, f) => n + Math.min(f.originalSize, photoZipLimits.fileBytes + 1), 0);
  if (unpacked > photoZipLimits.unpackedBytes) {
    throw refuse(413, 'The photos in this ZIP come to more than 200 MB unpacked. Upload them in several ZIPs.');
  }
  return files;
}

/** Each participant's id by what a photo may be named for: their bib, or their participant key. */
async function recordsByName(db: Database, eventId: number): Promise<Map<string, number>> {
  const rows = await db
    .select({ id: records.id, bib: records.bib, key: records.participantKey })
    .from(records)
    .where(eq(records.eventId, eventId));
  const byName = new Map<string, number>();
  for (const { id, key } of rows) {
    byName.set(key, id);
    // A key column's value (an email, a registration id) names the file without its prefix.
    if (key.startsWith('key:')) byName.set(key.slice('key:'.length), id);
  }
  // A bib corrected by hand is the number on the runner's photo: it wins over an old key.
  for (const { id, bib } of rows) if (bib) byName.set(bib, id);
  return byName;
}

/**
 * Stores a ZIP of participants' photos, each named by bib or participant key, for the event: each
 * checked, downscaled and drawn once, then bound to its record (replacing any photo it had). Files
 * are refused one by one with a reason; only a ZIP that cannot be read, or is too large, is
 * refused whole. A zip bomb is refused by what it declares, before anything is inflated.
 */
export async function importPhotos(
  env: Pick<Env, 'FILES' | 'IMAGES'>,
  db: Database,
  eventId: number,
  zip: Uint8Array,
): Promise<PhotoImportReport> {
  const files = listZip(zip);
  const report: PhotoImportReport = { matched: 0, unknown: [], refused: [] };
  const byName = await recordsByName(db, eventId);
  const wanted: UnzipFileInfo[] = [];
  const claimed = new Map<number, string>();
  for (const file of files) {
    const recordId = byName.get(stemOf(file.name));
    if (recordId === undefined) report.unknown.push(file.name);
    else if (claimed.has(recordId))
      report.refused.push({
        name: file.name,
        reason: `Another file (${claimed.get(recordId)}) is for the same participant.`,
      });
    else if (file.originalSize > photoZipLimits.fileBytes)
      report.refused.push({ name: file.name, reason: 'Photos may be at most 10 MB.' });
    else if (file.compression !== 0 && file.compression !== 8)
      report.refused.push({
        name: file.name,
        reason: 'The ZIP stores this file in a way that cannot be read. Zip it again.',
      });
    else {
      claimed.set(recordId, file.name);
      wanted.push(file);
    }
  }

  const photos: (StoredPhoto & { recordId: number })[] = [];
  for (let start = 0; start < wanted.length; ) {
    const batch = new Set<string>();
    for (let size = 0; start < wanted.length && (batch.size === 0 || size < BATCH_BYTES); start++) {
      batch.add(wanted[start]!.name);
      size += wanted[start]!.originalSize;
    }
    // fflate inflates a file into the size the ZIP declares for it, never more.
    const unpacked = unzipSync(zip, { filter: (file) => batch.has(file.name) });
    for (const name of batch) {
      const recordId = byName.get(stemOf(name))!;
      const bytes = unpacked[name];
      const stored = bytes ? await storePhoto(env, bytes) : 'The file could not be unpacked.';
      if (typeof stored === 'string') report.refused.push({ name, reason: stored });
      else photos.push({ ...stored, recordId });
    }
  }

  const updatedAt = new Date();
  const writes = photos.map((p) =>
    db
      .insert(recordPhotos)
      .values({ ...p, updatedAt })
      .onConflictDoUpdate({
        target: recordPhotos.recordId,
        set: { hash: p.hash, width: p.width, height: p.height, updatedAt },
      }),
  );
  for (let i = 0; i < writes.length; i += 100) {
    const [head, ...tail] = writes.slice(i, i + 100);
    await db.batch([head!, ...tail]);
  }
  report.matched = photos.length;
  return report;
}

// D1 binds at most 100 values a query.
const LOOKUP_CHUNK = 90;

/** The photos of these records, by record id: the hash of each one's upload. */
export async function recordPhotoHashes(db: Database, recordIds: number[]): Promise<Map<number, string>> {
  const hashes = new Map<number, string>();
  for (let i = 0; i < recordIds.length; i += LOOKUP_CHUNK) {
    const rows = await db
      .select({ recordId: recordPhotos.recordId, hash: recordPhotos.hash })
      .from(recordPhotos)
      .where(inArray(recordPhotos.recordId, recordIds.slice(i, i + LOOKUP_CHUNK)));
    for (const row of rows) hashes.set(row.recordId, row.hash);
  }
  return hashes;
}

/** One record's photo (its upload's hash), or null when it has none. */
export const recordPhotoHash = async (db: Database, recordId: number) =>
  (await recordPhotoHashes(db, [recordId])).get(recordId) ?? null;

/** How many of the event's participants have a photo, for the Photos page. */
export async function countEventPhotos(db: Database, eventId: number): Promise<{ photos: number; records: number }> {
  const [row] = await db
    .select({
      records: count(),
      photos: sql<number>`count(${recordPhotos.recordId})`,
    })
    .from(records)
    .leftJoin(recordPhotos, eq(recordPhotos.recordId, records.id))
    .where(eq(records.eventId, eventId));
  return { photos: row?.photos ?? 0, records: row?.records ?? 0 };
}

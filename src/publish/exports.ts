import { and, asc, desc, eq, gt, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { z } from 'zod';
import {
  certificateFieldsWithVerify,
  imageRequest,
  publicCertificatesOf,
  type PublicCertificate,
} from '../certificates/public';
import { database, type Database } from '../db/client';
import {
  certificateExports,
  events,
  exportFiles,
  exportKinds,
  records,
  type CertificateExport,
  type Event,
  type ExportFile,
  type ExportKind,
  type ExportSelection,
} from '../db/schema';
import type { Env } from '../env';
import { backgroundLinkOrigin } from '../paths';
import { imageHash, imageKey, loadOrRenderImage } from '../render/cache';
import { concat, ZIP_MAX_BYTES, zipEnd, zipSlice } from './zip';

/** Certificates in one ZIP: Boston's 26,410 make 14, each a download a browser finishes. */
export const CERTIFICATES_PER_ZIP = 2_000;
/**
 * Pages in a print PDF. pdf-lib holds the whole document while it copies pages in, and then its
 * saved bytes too, in an isolate of 128 MB: Boston's 778 certificates of bibs 1 to 1000 (the
 * default design, 34 MB of PDF) held 54 MB once copied and peaked at 104 MB saving, in Node's V8.
 * Half that many pages leaves room; a design with photos embeds a raster a page, so the bytes
 * copied in are capped too.
 */
export const PRINT_PAGE_LIMIT = 500;
const PRINT_MAX_BYTES = 24 * 1024 * 1024;
/**
 * Certificates one queue message writes at most. Stored ones are a read from R2 each; one not stored
 * yet (every PDF, the first time) is a render of a few hundred ms, so a message also stops after
 * SLICE_MS of work or SLICE_BYTES of certificates held: well inside an invocation's 30 s of CPU and
 * 128 MB, and under the 5 s batch after which wrangler dev's local queue stops delivering.
 */
export const CERTIFICATES_PER_SLICE = 100;
const SLICE_MS = 3_000;
const SLICE_BYTES = 16 * 1024 * 1024;
/**
 * R2 multipart parts: all but the last of one size and at least 5 MiB. A message uploads the whole
 * parts it has and carries the rest in R2 to the next.
 */
const PART_BYTES = 5 * 1024 * 1024;
// Attempts before an export counts as failed: max_retries in wrangler.toml plus the first try.
const MAX_ATTEMPTS = 4;

/** The export queue's name in wrangler.toml: the worker's one queue handler tells batches apart by it. */
export const EXPORT_QUEUE_NAME = 'certify-export';

/** What the export queue carries: the next slice of one file, written after record `after`. */
export interface ExportJob {
  exportId: number;
  file: number;
  after: number;
}

const notWhole = 'A bib in a range is a whole number.';
// A form sends an empty box as ''.
const optionalBib = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z.coerce
    .number({ error: notWhole })
    .int(notWhole)
    .min(0, notWhole)
    .max(999_999_999, 'That bib is too large.')
    .optional(),
);

/** The Downloads form: what to export, and of which records. */
export const exportRequestSchema = z
  .object({
    kind: z.enum(exportKinds, { error: 'Choose ZIP of PNG, ZIP of PDF or print PDF.' }),
    category: z
      .string()
      .trim()
      .max(100, 'A category has at most 100 characters.')
      .optional()
      .transform((v) => v || undefined),
    bibFrom: optionalBib,
    bibTo: optionalBib,
  })
  .refine((r) => r.bibFrom === undefined || r.bibTo === undefined || r.bibFrom <= r.bibTo, {
    message: 'The first bib of the range comes before the last.',
  });
/** What an organiser asks for: the form's answer, or a test's. */
export type ExportRequest = ExportSelection & { kind: ExportKind };

/** The visible records an export selects. Bibs of a range are whole numbers: "12A" is in no range. */
const selectedRecords = (eventId: number, { category, bibFrom, bibTo }: ExportSelection) => {
  const numericBib = sql`(${records.bib} <> '' AND ${records.bib} NOT GLOB '*[^0-9]*')`;
  return and(
    eq(records.eventId, eventId),
    eq(records.hidden, false),
    category === undefined ? undefined : eq(records.category, category),
    bibFrom === undefined ? undefined : sql`${numericBib} AND CAST(${records.bib} AS INTEGER) >= ${bibFrom}`,
    bibTo === undefined ? undefined : sql`${numericBib} AND CAST(${records.bib} AS INTEGER) <= ${bibTo}`,
  );
};

/** The file's name, as the organiser's browser saves it. */
const fileName = (event: Event, kind: ExportKind, number: number, files: number) =>
  kind === 'print' ? `${event.slug}-print.pdf` : `${event.slug}-${kind}-${number}-of-${files}.zip`;

/** The categories an export may choose from, for the form. */
export async function exportCategories(db: Database, eventId: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ category: records.category })
    .from(records)
    .where(and(eq(records.eventId, eventId), eq(records.hidden, false), isNotNull(records.category)))
    .orderBy(asc(records.category))
    .limit(200);
  return rows.map((r) => r.category!);
}

export type ExportStart = { refused: string } | { started: CertificateExport };

/**
 * Starts an export of the event's visible certificates: ZIPs of `CERTIFICATES_PER_ZIP`, or one
 * print PDF, each file written by its own chain of queue messages. Which records go in which file
 * is fixed now, by record id; a record hidden meanwhile is left out when its slice is written.
 * `sizes` is for tests, to make many files and slices of a small event.
 */
export async function startExport(
  db: Database,
  queue: Queue<ExportJob>,
  event: Event,
  { kind, ...selection }: ExportRequest,
  sizes = { slice: CERTIFICATES_PER_SLICE, file: CERTIFICATES_PER_ZIP },
): Promise<ExportStart> {
  if (!event.published) return { refused: 'Publish the event first: downloads hold its published certificates.' };
  const ids = (
    await db
      .select({ id: records.id })
      .from(records)
      .where(selectedRecords(event.id, selection))
      .orderBy(asc(records.id))
  ).map((r) => r.id);
  if (ids.length === 0) return { refused: 'No visible record matches that category and bib range.' };
  if (kind === 'print' && ids.length > PRINT_PAGE_LIMIT) {
    return {
      refused: `That is ${ids.length} certificates; a print PDF holds at most ${PRINT_PAGE_LIMIT} pages. Choose a category or a narrower bib range.`,
    };
  }
  const fileSize = kind === 'print' ? ids.length : sizes.file;
  const [started] = await db
    .insert(certificateExports)
    .values({ eventId: event.id, kind, selection, total: ids.length, sliceSize: sizes.slice, fileSize })
    .returning();
  const files = Array.from({ length: Math.ceil(ids.length / fileSize) }, (_, i) => {
    const from = i * fileSize;
    const slice = ids.slice(from, from + fileSize);
    return {
      exportId: started!.id,
      number: i + 1,
      afterId: ids[from - 1] ?? 0,
      throughId: slice.at(-1)!,
      total: slice.length,
      key: `exports/${started!.id}/${fileName(event, kind, i + 1, Math.ceil(ids.length / fileSize))}`,
      parts: [],
    };
  });
  const [first, ...rest] = files.map((f) => db.insert(exportFiles).values(f));
  await db.batch([first!, ...rest]);
  for (let i = 0; i < files.length; i += 100) {
    await queue.sendBatch(
      files.slice(i, i + 100).map((f) => ({ body: { exportId: f.exportId, file: f.number, after: f.afterId } })),
    );
  }
  return { started: started! };
}

export interface ExportListing extends CertificateExport {
  files: Pick<ExportFile, 'number' | 'total' | 'done' | 'finished' | 'key'>[];
}

/** The event's latest exports, newest first, with their files' progress: the Downloads section. */
export async function listExports(db: Database, eventId: number): Promise<ExportListing[]> {
  const listed = await db
    .select()
    .from(certificateExports)
    .where(eq(certificateExports.eventId, eventId))
    .orderBy(desc(certificateExports.id))
    .limit(10);
  if (listed.length === 0) return [];
  const files = await db
    .select({
      exportId: exportFiles.exportId,
      number: exportFiles.number,
      total: exportFiles.total,
      done: exportFiles.done,
      finished: exportFiles.finished,
      key: exportFiles.key,
    })
    .from(exportFiles)
    .where(
      inArray(
        exportFiles.exportId,
        listed.map((e) => e.id),
      ),
    )
    .orderBy(asc(exportFiles.number));
  return listed.map((e) => ({ ...e, files: files.filter((f) => f.exportId === e.id) }));
}

/** A finished file of one of the event's exports, its name and its bytes in R2; undefined for any other. */
export async function openExportFile(
  db: Database,
  bucket: R2Bucket,
  eventId: number,
  exportId: number,
  number: number,
) {
  const [row] = await db
    .select({ key: exportFiles.key })
    .from(exportFiles)
    .innerJoin(certificateExports, eq(certificateExports.id, exportFiles.exportId))
    .where(
      and(
        eq(certificateExports.eventId, eventId),
        eq(exportFiles.exportId, exportId),
        eq(exportFiles.number, number),
        eq(exportFiles.finished, true),
      ),
    );
  const object = row && (await bucket.get(row.key));
  return object && { name: row.key.slice(row.key.lastIndexOf('/') + 1), object };
}

/** Writes each message's slice, one at a time (the queue hands this consumer one per batch). */
export async function exportJobs(batch: MessageBatch<ExportJob>, env: Env): Promise<void> {
  const db = database(env.DB);
  for (const message of batch.messages) {
    try {
      await writeSlice(env, db, message.body);
      message.ack();
    } catch (error) {
      console.error('export slice failed', message.body, error);
      if (message.attempts < MAX_ATTEMPTS && !(error instanceof ExportImpossible)) {
        message.retry({ delaySeconds: 5 * 2 ** (message.attempts - 1) });
        continue;
      }
      await failExport(db, message.body.exportId, error instanceof Error ? error.message : String(error));
      message.ack();
    }
  }
}

/** Why an export cannot be written, whatever the retries: it fails at once, with this message. */
class ExportImpossible extends Error {}

async function failExport(db: Database, exportId: number, reason: string) {
  await db
    .update(certificateExports)
    .set({ state: 'failed', failure: reason.slice(0, 300), finishedAt: new Date() })
    .where(and(eq(certificateExports.id, exportId), eq(certificateExports.state, 'running')));
}

/** A certificate's name in a ZIP: its bib (or, without one, the start of its id) and the name. */
function entryName({ record }: PublicCertificate, format: string) {
  const name = `${record.bib || record.certificateId.slice(0, 8)}-${record.name}`
    // Characters file systems refuse, and anything that would make a folder.
    .replace(/[\\/:*?"<>|\p{Cc}]/gu, '_')
    .slice(0, 120);
  return `${name}.${format}`;
}

/** A certificate's file in R2, rendered first if it is not there (every PDF, the first time). */
async function certificateFile(env: Env, certificate: PublicCertificate, format: 'png' | 'pdf', read: boolean) {
  const fields = await certificateFieldsWithVerify(certificate, backgroundLinkOrigin(env.PUBLIC_URL));
  const request = imageRequest(certificate, fields, 'certificate', format);
  const hash = await imageHash(request);
  const image = await loadOrRenderImage(env, request, hash);
  const key = imageKey(request, hash);
  if (!read) {
    if (image.body instanceof ReadableStream) await image.body.cancel();
    return { key, bytes: new Uint8Array() };
  }
  const bytes =
    typeof image.body === 'string'
      ? new TextEncoder().encode(image.body)
      : image.body instanceof Uint8Array
        ? image.body
        : new Uint8Array(await new Response(image.body).arrayBuffer());
  return { key, bytes };
}

async function readObject(bucket: R2Bucket, key: string | null): Promise<Uint8Array> {
  if (!key) return new Uint8Array();
  const object = await bucket.get(key);
  if (!object) throw new Error(`The export lost its place (${key} is gone); start it again.`);
  return new Uint8Array(await object.arrayBuffer());
}

/**
 * Writes the next slice of an export's file: its certificates, in record order, from R2 (rendered
 * there first if missing). A ZIP's entries go on in whole R2 parts; a print's pages are listed.
 * The slice that reaches the file's last record finishes it. What the next slice needs is saved
 * under names of its own, and the file's row moves on only if no other delivery of this message
 * got there first, so a message delivered twice writes its slice once.
 */
async function writeSlice(env: Env, db: Database, job: ExportJob): Promise<void> {
  const [row] = await db
    .select({ exp: certificateExports, file: exportFiles, event: events })
    .from(exportFiles)
    .innerJoin(certificateExports, eq(certificateExports.id, exportFiles.exportId))
    .innerJoin(events, eq(events.id, certificateExports.eventId))
    .where(and(eq(exportFiles.exportId, job.exportId), eq(exportFiles.number, job.file)));
  if (row?.exp.state !== 'running' || row.file.finished || row.file.afterId !== job.after) return;
  const { exp, file, event } = row;
  if (!event.published) {
    await failExport(db, exp.id, 'The event was unpublished. Publish it again, then start a new download.');
    return;
  }
  const slice = await db
    .select()
    .from(records)
    .where(and(selectedRecords(event.id, exp.selection), gt(records.id, file.afterId), lte(records.id, file.throughId)))
    .orderBy(asc(records.id))
    .limit(exp.sliceSize);
  const certificates = await publicCertificatesOf(db, event, slice);
  const taken: { certificate: PublicCertificate; key: string; bytes: Uint8Array }[] = [];
  const started = Date.now();
  let after = file.afterId;
  let held = 0;
  for (const record of slice) {
    // Stored certificates are quick, renders are not: a slice ends early once it has rendered a
    // while or holds enough bytes, and the next message goes on from there.
    if (taken.length > 0 && (Date.now() - started > SLICE_MS || held > SLICE_BYTES)) break;
    const certificate = certificates.get(record.id);
    if (certificate) {
      const stored = await certificateFile(env, certificate, exp.kind === 'png' ? 'png' : 'pdf', exp.kind !== 'print');
      taken.push({ certificate, ...stored });
      held += stored.bytes.length;
    }
    after = record.id;
  }
  const wholeSlice = after === (slice.at(-1)?.id ?? after);
  const last = slice.length === 0 || after === file.throughId || (wholeSlice && slice.length < exp.sliceSize);
  if (last) after = file.throughId;
  const saved = `exports/${exp.id}/${file.number}-after-${after}`;
  const { FILES } = env;

  let progress: Partial<ExportFile>;
  if (exp.kind === 'print') {
    const listed = new TextDecoder().decode(await readObject(FILES, file.listKey));
    const list = [listed, ...taken.map((t) => t.key)].filter(Boolean).join('\n');
    if (last) {
      await FILES.put(file.key, await printDocument(FILES, event, list.split('\n').filter(Boolean)), {
        httpMetadata: { contentType: 'application/pdf' },
      });
      progress = { listKey: null };
    } else {
      await FILES.put(`${saved}.list`, list);
      progress = { listKey: `${saved}.list` };
    }
  } else {
    const files = taken.map(({ certificate, bytes }) => ({ name: entryName(certificate, exp.kind), bytes }));
    const zipped = zipSlice(files, file.bytes, exp.createdAt);
    const bytes = file.bytes + zipped.entries.length;
    const central = concat([await readObject(FILES, file.listKey), zipped.central]);
    const entries = file.done + files.length;
    if (bytes + central.length + 22 > ZIP_MAX_BYTES) {
      throw new ExportImpossible('A ZIP file would pass 4 GB; choose a smaller category or bib range.');
    }
    const upload = file.uploadId
      ? FILES.resumeMultipartUpload(file.key, file.uploadId)
      : await FILES.createMultipartUpload(file.key, { httpMetadata: { contentType: 'application/zip' } });
    const pending = concat([
      await readObject(FILES, file.carryKey),
      zipped.entries,
      ...(last ? [zipEnd(central, entries, bytes)] : []),
    ]);
    const parts = [...file.parts];
    // Whole parts only; the last message sends what is left as the last part, which may be short.
    const whole = last ? Math.ceil(pending.length / PART_BYTES) - 1 : Math.floor(pending.length / PART_BYTES);
    for (let i = 0; i < whole; i++) {
      parts.push(await upload.uploadPart(parts.length + 1, pending.subarray(i * PART_BYTES, (i + 1) * PART_BYTES)));
    }
    const rest = pending.subarray(whole * PART_BYTES);
    if (last) {
      parts.push(await upload.uploadPart(parts.length + 1, rest));
      await upload.complete(parts);
      progress = { parts, bytes, carryKey: null, listKey: null };
    } else {
      await Promise.all([FILES.put(`${saved}.carry`, rest), FILES.put(`${saved}.central`, central)]);
      progress = { parts, bytes, carryKey: `${saved}.carry`, listKey: `${saved}.central` };
    }
    progress.uploadId = upload.uploadId;
  }

  const moved = await db
    .update(exportFiles)
    .set({ ...progress, afterId: after, done: file.done + taken.length, finished: last })
    .where(
      and(eq(exportFiles.exportId, exp.id), eq(exportFiles.number, file.number), eq(exportFiles.afterId, file.afterId)),
    )
    .returning({ number: exportFiles.number });
  if (moved.length === 0) return;
  await db
    .update(certificateExports)
    .set({ done: sql`${certificateExports.done} + ${taken.length}` })
    .where(eq(certificateExports.id, exp.id));
  // What the previous slice saved for this one is spent.
  await FILES.delete([file.carryKey, file.listKey].filter((k): k is string => k !== null));
  if (!last) {
    await env.EXPORT_QUEUE.send({ exportId: exp.id, file: file.number, after });
    return;
  }
  // Files finish in any order; whichever is last marks the export done.
  await db
    .update(certificateExports)
    .set({ state: 'done', finishedAt: new Date() })
    .where(
      and(
        eq(certificateExports.id, exp.id),
        eq(certificateExports.state, 'running'),
        sql`NOT EXISTS (SELECT 1 FROM ${exportFiles} WHERE ${exportFiles.exportId} = ${exp.id} AND ${exportFiles.finished} = 0)`,
      ),
    );
}

/** One PDF of the listed certificates' PDFs, a certificate a page, in order. */
async function printDocument(bucket: R2Bucket, event: Event, keys: string[]): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  document.setTitle(`${event.name}: certificates`);
  let bytes = 0;
  for (const key of keys) {
    const pdf = await readObject(bucket, key);
    bytes += pdf.length;
    if (bytes > PRINT_MAX_BYTES) {
      throw new ExportImpossible(
        `These certificates are more than ${PRINT_MAX_BYTES / 1024 / 1024} MB of PDF, too much for one print file: choose a category or a narrower bib range.`,
      );
    }
    const source = await PDFDocument.load(pdf);
    for (const page of await document.copyPages(source, source.getPageIndices())) document.addPage(page);
  }
  return document.save();
}

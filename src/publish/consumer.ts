import { certificateFieldsWithVerify, findPublicCertificate, imageRequest } from '../certificates/public';
import { rememberIssuedProof } from '../certificates/verify';
import { database, type Database } from '../db/client';
import type { Env, RenderJob } from '../env';
import { backgroundLinkOrigin } from '../paths';
import { designFor } from '../render/adapt';
import { imageHash, loadOrRenderImage } from '../render/cache';
import { undrawnCharacters } from '../render/pipeline';
import { countRenderResults, queueNextChunk, recordPublishFailure, recordPublishPlaceholder } from './publish';

// Attempts before a job counts as failed; matches max_retries in wrangler.toml plus the first try.
const MAX_ATTEMPTS = 4;
// Backoff between attempts: 5, 10, then 20 s, time for a passing fault (R2, D1) to clear.
const RETRY_DELAY_S = 5;

// Render jobs of a batch in progress at once. One isolate runs one render at a time, so more
// gains nothing: two keep it busy while the other waits on D1 or R2, and hold at most two
// renders' pixels (a render on a photo peaks near 36 MB; the isolate has 128 MB).
const JOBS_AT_ONCE = 2;

type CertificateJob = Exclude<RenderJob, { kind: 'queue' }>;

/**
 * Prepares one record for the public: its certificate and share card rendered into R2 (each
 * written while the next is drawn), its proof noted as issued, and a note for the Publish tab
 * if a character of it has no font. Nothing to do for a record hidden or an event unpublished
 * since the job was queued.
 */
async function prepareCertificate(env: Env, db: Database, { runId, certificateId }: CertificateJob): Promise<void> {
  const certificate = await findPublicCertificate(db, certificateId);
  if (!certificate) return;
  const fields = await certificateFieldsWithVerify(certificate, backgroundLinkOrigin(env.PUBLIC_URL));
  const writes: Promise<unknown>[] = [
    // Even when R2 had the images: a publish also notes proofs drawn before proofs were kept.
    rememberIssuedProof(db, certificate),
  ];
  try {
    for (const [variant, format] of [
      ['certificate', 'png'],
      ['share', 'png'],
    ] as const) {
      const request = imageRequest(certificate, fields, variant, format);
      await loadOrRenderImage(env, request, await imageHash(request), (write) => writes.push(write));
    }
    // A name no font can draw still gets its certificate, with boxes; the organiser is told.
    const design = designFor(certificate.template.layout, 'certificate');
    const undrawn = await undrawnCharacters(design, fields, env);
    if (undrawn.length > 0) writes.push(recordPublishPlaceholder(db, runId, certificateId, undrawn));
  } catch (error) {
    await Promise.allSettled(writes);
    throw error;
  }
  // Acknowledged only once every write has landed, so a retry finds what is missing.
  await Promise.all(writes);
}

/**
 * Renders each job's certificate and share card into R2, JOBS_AT_ONCE at a time, and queues the
 * next chunk of a run's jobs when asked to. A certificate drawn with placeholder boxes (characters
 * no font has) counts as done, with a note for the Publish tab. A record hidden or an event
 * unpublished since the job was queued is skipped and counted as done: there is nothing left to
 * prepare.
 */
export async function renderJobs(batch: MessageBatch<RenderJob>, env: Env): Promise<void> {
  const db = database(env.DB);
  const tally = new Map<number, { done: number; failed: number }>();
  const count = (runId: number, key: 'done' | 'failed') => {
    const t = tally.get(runId) ?? { done: 0, failed: 0 };
    t[key]++;
    tally.set(runId, t);
  };
  const renders: Message<CertificateJob>[] = [];
  for (const message of batch.messages) {
    const job = message.body;
    if (job.kind !== 'queue') {
      renders.push(message as Message<CertificateJob>);
      continue;
    }
    try {
      await queueNextChunk(db, env.RENDER_QUEUE, job.runId);
      message.ack();
    } catch (error) {
      // Delivered again, queueing resumes from the last batch it saved.
      console.error('queueing render jobs failed', job.runId, error);
      message.retry();
    }
  }
  const next = renders.values();
  const worker = async () => {
    for (const message of next) {
      const { runId, certificateId } = message.body;
      try {
        await prepareCertificate(env, db, message.body);
        count(runId, 'done');
        message.ack();
      } catch (error) {
        console.error('render job failed', certificateId, error);
        if (message.attempts >= MAX_ATTEMPTS) {
          // Listed on the Publish tab; the retry hands the job to the dead-letter queue.
          count(runId, 'failed');
          await recordPublishFailure(db, runId, certificateId, error instanceof Error ? error.message : String(error));
        }
        message.retry({ delaySeconds: RETRY_DELAY_S * 2 ** (message.attempts - 1) });
      }
    }
  };
  await Promise.all(Array.from({ length: JOBS_AT_ONCE }, worker));
  for (const [runId, { done, failed }] of tally) await countRenderResults(db, runId, done, failed);
}

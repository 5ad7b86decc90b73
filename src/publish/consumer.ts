import { certificateFieldsWithVerify, findPublicCertificate, imageRequest } from '../certificates/public';
import { rememberIssuedProof } from '../certificates/verify';
import { database } from '../db/client';
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

/**
 * Renders each job's certificate and share card into R2, and queues the next chunk of a run's
 * jobs when asked to. A certificate drawn with placeholder boxes (characters no font has) counts
 * as done, with a note for the Publish tab. A record hidden or an event unpublished since the job
 * was queued is skipped and counted as done: there is nothing left to prepare.
 */
export async function renderJobs(batch: MessageBatch<RenderJob>, env: Env): Promise<void> {
  const db = database(env.DB);
  const tally = new Map<number, { done: number; failed: number }>();
  const count = (runId: number, key: 'done' | 'failed') => {
    const t = tally.get(runId) ?? { done: 0, failed: 0 };
    t[key]++;
    tally.set(runId, t);
  };
  for (const message of batch.messages) {
    const job = message.body;
    if (job.kind === 'queue') {
      try {
        await queueNextChunk(db, env.RENDER_QUEUE, job.runId);
        message.ack();
      } catch (error) {
        // Delivered again, queueing resumes from the last batch it saved.
        console.error('queueing render jobs failed', job.runId, error);
        message.retry();
      }
      continue;
    }
    const { runId, certificateId } = job;
    try {
      const certificate = await findPublicCertificate(db, certificateId);
      if (certificate) {
        const fields = await certificateFieldsWithVerify(certificate, backgroundLinkOrigin(env.PUBLIC_URL));
        for (const [variant, format] of [
          ['certificate', 'png'],
          ['share', 'png'],
        ] as const) {
          const request = imageRequest(certificate, fields, variant, format);
          await loadOrRenderImage(env, request, await imageHash(request));
        }
        // Even when R2 had the images: a publish also notes proofs drawn before proofs were kept.
        await rememberIssuedProof(db, certificate);
        // A name no font can draw still gets its certificate, with boxes; the organiser is told.
        const design = designFor(certificate.template.layout, 'certificate');
        const undrawn = await undrawnCharacters(design, fields, env);
        if (undrawn.length > 0) await recordPublishPlaceholder(db, runId, certificateId, undrawn);
      }
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
  for (const [runId, { done, failed }] of tally) await countRenderResults(db, runId, done, failed);
}

import { Hono, type Context } from 'hono';
import { readableForm } from '../auth/guard';
import { findPublicCertificate, type PublicCertificate } from '../certificates/public';
import {
  hasPendingRequest,
  MAX_REMOVAL_ANSWERS,
  removalFormSchema,
  removalQuestionFor,
  requestRemoval,
} from '../certificates/removal-requests';
import { certificateIdSchema } from '../certificates/rules';
import type { AppEnv } from '../env';
import { portalPaths } from '../paths';
import { Page } from '../ui/page';
import { certificateNotFound } from './errors';

const TITLE = 'Remove my certificate';

/** The form, or where the request stands: what the participant sees before and after asking. */
function RemovalPage({
  certificate: { event, record },
  question,
  pending,
  error,
  done,
}: {
  certificate: PublicCertificate;
  /** The event's check, while this record's answers are not used up. */
  question?: string;
  pending?: boolean;
  error?: string;
  done?: 'removed' | 'sent';
}) {
  const action = portalPaths.removeCertificate(event.slug, record.certificateId);
  return (
    <Page title={`${TITLE} · ${event.name}`} head={<meta name="robots" content="noindex" />}>
      <h1>{done === 'removed' ? 'Your certificate has been removed' : TITLE}</h1>
      {done === 'removed' ? (
        <p>
          It no longer appears in the search of {event.name}, its page and images are gone, and its check page says it
          was withdrawn. To have it back, ask the organiser.
        </p>
      ) : done === 'sent' ? (
        <p role="status">
          Your request was sent to the organiser of {event.name}, who will decide on it. Until then your certificate
          stays as it is.
        </p>
      ) : (
        <>
          <p>
            The certificate of {record.name} for {event.name}. Once removed, it no longer appears in search, its page
            and images are gone, and its check page says it was withdrawn.
          </p>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          {question ? (
            <>
              <form method="post" action={action} class="card">
                <label for="answer">{question}</label>
                <input id="answer" name="answer" required maxlength={200} autocomplete="off" />
                <p class="muted">Only you and the organiser know this. Capitals and spaces do not matter.</p>
                <button type="submit" class="danger">
                  Remove my certificate
                </button>
              </form>
              <form method="post" action={action}>
                <button type="submit" class="link">
                  I cannot answer this: send my request to the organiser
                </button>
              </form>
            </>
          ) : pending ? (
            <p role="status">Your request is with the organiser, who will decide on it.</p>
          ) : (
            <form method="post" action={action} class="card">
              <p>The organiser will decide on your request.</p>
              <button type="submit" class="danger">
                Send my request to the organiser
              </button>
            </form>
          )}
        </>
      )}
      <p>
        <a
          href={
            done === 'removed'
              ? portalPaths.event(event.slug)
              : portalPaths.certificate(event.slug, record.certificateId)
          }
        >
          {done === 'removed' ? `Back to ${event.name}` : 'Back to the certificate'}
        </a>
      </p>
    </Page>
  );
}

/** The certificate named in the path, as the public may see it: a hidden or removed one is not found. */
async function certificateOf(c: Context<AppEnv>) {
  const { slug, certificateId } = c.req.param() as { slug: string; certificateId: string };
  const certificate = certificateIdSchema.safeParse(certificateId).success
    ? await findPublicCertificate(c.var.db, certificateId)
    : undefined;
  if (!certificate || certificate.event.slug !== slug) throw certificateNotFound();
  // What the page says about a request is the participant's own business.
  c.header('Cache-Control', 'no-store');
  return certificate;
}

/**
 * The participant's "Remove my certificate" page. No session, so no CSRF token: a forged request
 * can only ask, and only someone who knows the answer to the event's check removes anything.
 */
export const removal = new Hono<AppEnv>()
  .get('/events/:slug/certificates/:certificateId/remove', async (c) => {
    const certificate = await certificateOf(c);
    const { db } = c.var;
    const question = await removalQuestionFor(db, certificate.event, certificate.record);
    const pending = !question && (await hasPendingRequest(db, certificate.record.id));
    return c.html(<RemovalPage certificate={certificate} question={question} pending={pending} />);
  })
  .post('/events/:slug/certificates/:certificateId/remove', async (c) => {
    const certificate = await certificateOf(c);
    const { db } = c.var;
    const question = await removalQuestionFor(db, certificate.event, certificate.record);
    const input = removalFormSchema.safeParse(await readableForm(c));
    const refuse = (error: string, status: 400 | 403) =>
      c.html(<RemovalPage certificate={certificate} question={question} error={error} />, status);
    if (!input.success) return refuse(input.error.issues[0]!.message, 400);
    const answer = question ? input.data.answer : undefined;
    if (answer !== undefined && !answer.trim())
      return refuse('Type your answer, or send your request to the organiser.', 400);
    const outcome = await requestRemoval(db, certificate.event, certificate.record, answer);
    if (outcome.kind === 'mismatch') {
      const left = outcome.answersLeft;
      return refuse(
        `That does not match what the organiser has. ${left} ${left === 1 ? 'try' : 'tries'} left of ${MAX_REMOVAL_ANSWERS}; after that, your request goes to the organiser.`,
        403,
      );
    }
    // Accepted for the organiser to decide: 202, the request is not done yet.
    return c.html(<RemovalPage certificate={certificate} done={outcome.kind} />, outcome.kind === 'sent' ? 202 : 200);
  });

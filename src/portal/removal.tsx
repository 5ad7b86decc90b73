import { Hono, type Context } from 'hono';
import { readableForm } from '../auth/guard';
import { findPublicCertificate, type PublicCertificate } from '../certificates/public';
import {
  hasPendingRequest,
  MAX_REMOVAL_ANSWERS,
  removalFormSchema,
  removalQuestionFor,
  requestRemoval,
  type RemovalQuestion,
} from '../certificates/removal-requests';
import { certificateIdSchema } from '../certificates/rules';
import { portalPaths } from '../paths';
import { certificateNotFound } from './errors';
import { switcherPath, t, type PortalEnv } from './i18n';
import { PortalPage, type Where } from './pages';

/** The form, or where the request stands: what the participant sees before and after asking. */
function RemovalPage({
  certificate: { event, record },
  question,
  pending,
  error,
  done,
  locale,
  path,
}: Where & {
  certificate: PublicCertificate;
  /** The event's check, while this record's answers are not used up. */
  question?: RemovalQuestion;
  pending?: boolean;
  error?: string;
  done?: 'removed' | 'sent';
}) {
  const m = t(locale);
  const action = portalPaths.removeCertificate(event.slug, record.certificateId);
  return (
    <PortalPage
      locale={locale}
      path={path}
      title={`${m.removeCertificate} · ${event.name}`}
      head={<meta name="robots" content="noindex" />}
    >
      <h1>{done === 'removed' ? m.certificateRemoved : m.removeCertificate}</h1>
      {done === 'removed' ? (
        <p>{m.removedText(event.name)}</p>
      ) : done === 'sent' ? (
        <p role="status">{m.requestSent(event.name)}</p>
      ) : (
        <>
          <p>{m.removalIntro(record.name, event.name)}</p>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          {question ? (
            <>
              <form method="post" action={action} class="card">
                <label for="answer">{m.removalQuestion(question)}</label>
                <input id="answer" name="answer" required maxlength={200} autocomplete="off" />
                <p class="muted">{m.answerHint}</p>
                <button type="submit" class="danger">
                  {m.removeCertificate}
                </button>
              </form>
              <form method="post" action={action}>
                <button type="submit" class="link">
                  {m.cannotAnswer}
                </button>
              </form>
            </>
          ) : pending ? (
            <p role="status">{m.requestPending}</p>
          ) : (
            <form method="post" action={action} class="card">
              <p>{m.organiserDecides}</p>
              <button type="submit" class="danger">
                {m.sendToOrganiser}
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
          {done === 'removed' ? m.backTo(event.name) : m.backToCertificate}
        </a>
      </p>
    </PortalPage>
  );
}

/** The certificate named in the path, as the public may see it: a hidden or removed one is not found. */
async function certificateOf(c: Context<PortalEnv>) {
  const { slug, certificateId } = c.req.param() as { slug: string; certificateId: string };
  const certificate = certificateIdSchema.safeParse(certificateId).success
    ? await findPublicCertificate(c.var.db, certificateId)
    : undefined;
  if (!certificate || certificate.event.slug !== slug) throw certificateNotFound(c.var.locale);
  // What the page says about a request is the participant's own business.
  c.header('Cache-Control', 'no-store');
  return certificate;
}

/** The page's language, and its address for the language switcher. */
const where = (c: Context<PortalEnv>): Where => ({ locale: c.var.locale, path: switcherPath(c) });

/**
 * The participant's "Remove my certificate" page, in their language (the portal sets c.var.locale).
 * No session, so no CSRF token: a forged request can only ask, and only someone who knows the
 * answer to the event's check removes anything.
 */
export const removal = new Hono<PortalEnv>()
  .get('/events/:slug/certificates/:certificateId/remove', async (c) => {
    const certificate = await certificateOf(c);
    const { db } = c.var;
    const question = await removalQuestionFor(db, certificate.event, certificate.record);
    const pending = !question && (await hasPendingRequest(db, certificate.record.id));
    return c.html(<RemovalPage certificate={certificate} question={question} pending={pending} {...where(c)} />);
  })
  .post('/events/:slug/certificates/:certificateId/remove', async (c) => {
    const certificate = await certificateOf(c);
    const { db } = c.var;
    const m = t(c.var.locale);
    const question = await removalQuestionFor(db, certificate.event, certificate.record);
    const input = removalFormSchema.safeParse(await readableForm(c));
    const refuse = (error: string, status: 400 | 403) =>
      c.html(<RemovalPage certificate={certificate} question={question} error={error} {...where(c)} />, status);
    if (!input.success) {
      // The schema's messages are English; the page says the same in the participant's language.
      // Anything but text (a file, say) is no answer typed.
      const { code } = input.error.issues[0]!;
      return refuse(
        code === 'too_big' ? m.answerTooLong : code === 'custom' ? m.answerControlCharacters : m.answerEmpty,
        400,
      );
    }
    const answer = question ? input.data.answer : undefined;
    if (answer !== undefined && !answer.trim()) return refuse(m.answerEmpty, 400);
    const outcome = await requestRemoval(db, certificate.event, certificate.record, answer);
    if (outcome.kind === 'mismatch') return refuse(m.answerMismatch(outcome.answersLeft, MAX_REMOVAL_ANSWERS), 403);
    // Accepted for the organiser to decide: 202, the request is not done yet.
    return c.html(
      <RemovalPage certificate={certificate} done={outcome.kind} {...where(c)} />,
      outcome.kind === 'sent' ? 202 : 200,
    );
  });

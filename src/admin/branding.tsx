import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { sniffAsset } from '../assets/sniff';
import { storeAsset } from '../assets/store';
import type { Event } from '../db/schema';
import type { EventEnv } from '../env';
import {
  accentContrast,
  brandingInputSchema,
  formatRatio,
  MIN_CONTRAST,
  saveBranding,
  type Branding,
} from '../events/branding';
import { claimHostname, hostnameInputSchema, organiserHostnames, releaseHostname } from '../events/hostnames';
import { eventPaths, portalPaths } from '../paths';
import { Csrf, ErrorNote, Notice, PostButton } from './layout';

type OrganiserHostname = Awaited<ReturnType<typeof organiserHostnames>>[number];

const notices: Record<string, string> = {
  saved: 'Saved: the portal shows the event’s new look.',
  'hostname-saved': 'Saved. Once its CNAME points at the portal, the hostname answers with your portal.',
  'hostname-removed': 'Removed: the hostname no longer shows your portal.',
};

/** How readable the accent is where the portal uses it: the ratio WCAG AA asks to be at least 4.5:1. */
function ContrastNote({ accent }: { accent: string }) {
  return (
    <p class="muted">
      Contrast:{' '}
      {accentContrast(accent)
        .map(({ ratio, as }) => `${formatRatio(ratio)} with ${as}`)
        .join(', ')}{' '}
      (WCAG AA asks for {MIN_CONTRAST}:1 or more).
    </p>
  );
}

interface LookFormProps {
  event: Event;
  /** What was sent, when it is refused. */
  accentColour?: string;
  error?: string;
}

function LookForm({ event, accentColour, error }: LookFormProps) {
  const accent = accentColour ?? event.accentColour ?? '';
  return (
    <form method="post" action={eventPaths(event).branding()} enctype="multipart/form-data" class="card">
      <Csrf />
      <h2>Look</h2>
      <ErrorNote message={error} />
      <label for="accentColour">Accent colour (#rrggbb; empty for the portal’s own)</label>
      <input
        id="accentColour"
        name="accentColour"
        value={accent}
        placeholder="#0b6e4f"
        maxlength={7}
        autocomplete="off"
        aria-describedby="accent-hint"
      />
      <p id="accent-hint" class="muted">
        Buttons, links and a frame around the share card. It carries white text, so it must be dark enough to read.
      </p>
      {/^#[0-9a-f]{6}$/i.test(accent) && <ContrastNote accent={accent.toLowerCase()} />}
      <label>
        Logo (PNG or JPEG), beside the event’s name
        <input type="file" name="logo" accept=".png,.jpg,.jpeg,image/png,image/jpeg" />
      </label>
      {event.logoHash && (
        <label>
          <input type="checkbox" name="removeLogo" /> Remove the logo
        </label>
      )}
      <label>
        Cover image (PNG or JPEG), across the top of the event’s page
        <input type="file" name="cover" accept=".png,.jpg,.jpeg,image/png,image/jpeg" />
      </label>
      {event.coverHash && (
        <label>
          <input type="checkbox" name="removeCover" /> Remove the cover image
        </label>
      )}
      <button type="submit">Save</button>
    </form>
  );
}

function HostnameForm({ event, own, error }: { event: Event; own: OrganiserHostname[]; error?: string }) {
  const paths = eventPaths(event);
  return (
    <section class="card">
      <h2>Your own hostname</h2>
      <p class="muted">
        Runners can find certificates at an address of yours, such as results.your-race.org. Add a CNAME record for it
        pointing at the portal, then enter it here.
      </p>
      <ErrorNote message={error} />
      {own.length > 0 && (
        <ul>
          {own.map((h) => (
            <li>
              <code>{h.hostname}</code> shows {h.eventId === null ? 'all your events' : (h.eventName ?? 'an event')}{' '}
              <PostButton action={paths.removeHostname} fields={{ hostname: h.hostname }}>
                Remove
              </PostButton>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={paths.hostname}>
        <Csrf />
        <label for="hostname">Hostname</label>
        <input id="hostname" name="hostname" placeholder="results.your-race.org" maxlength={253} required />
        <fieldset>
          <legend>It shows</legend>
          <label>
            <input type="radio" name="shows" value="event" checked /> this event’s search page
          </label>
          <label>
            <input type="radio" name="shows" value="organiser" /> a list of all your published events
          </label>
        </fieldset>
        <button type="submit">Save hostname</button>
      </form>
    </section>
  );
}

/** The whole page: the look form, then the hostname form; one of them may carry a refusal. */
function BrandingPage(
  props: { event: Event; own: OrganiserHostname[]; notice?: string } & Partial<{
    look: Omit<LookFormProps, 'event'>;
    hostnameError: string;
  }>,
) {
  const { event } = props;
  return (
    <>
      <p class="muted">
        <a href={eventPaths(event).overview}>{event.name}</a> / Look and address
      </p>
      <h1>Look and address</h1>
      <Notice message={props.notice} />
      <p class="muted">
        Shown on <a href={portalPaths.event(event.slug)}>the event’s page</a> and its certificate pages.
      </p>
      <LookForm event={event} {...props.look} />
      <HostnameForm event={event} own={props.own} error={props.hostnameError} />
    </>
  );
}

/** An uploaded logo or cover, stored like any upload (checked, downscaled once); undefined when none was sent. */
async function uploadedImage(c: { env: EventEnv['Bindings']; var: EventEnv['Variables'] }, file: unknown) {
  if (!(file instanceof File) || file.size === 0) return undefined;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const sniffed = sniffAsset(bytes);
  if (!('error' in sniffed) && sniffed.kind !== 'image') {
    throw new HTTPException(415, { message: `${file.name} is a font; a logo or cover is a PNG or JPEG image.` });
  }
  return (await storeAsset(c.env, c.var.db, c.var.event.id, { name: file.name, bytes })).hash;
}

/** The portal's own hostname is not an organiser's to claim. */
const portalHostname = (publicUrl: string) => (publicUrl ? new URL(publicUrl).hostname : undefined);

/** The event's look on the portal, and the organiser's own hostnames: behind the event's ownership gate. */
export const brandingPages = new Hono<EventEnv>()
  .get('/branding', async (c) => {
    const { event, organiser, db } = c.var;
    const own = await organiserHostnames(db, organiser.id);
    return c.render(<BrandingPage event={event} own={own} notice={notices[c.req.query('notice') ?? '']} />, {
      title: `Look and address · ${event.name}`,
    });
  })
  .post('/branding', async (c) => {
    const { event, organiser, db } = c.var;
    const body = await c.req.parseBody();
    const input = brandingInputSchema.safeParse(body);
    if (!input.success) {
      c.status(400);
      const sent = typeof body['accentColour'] === 'string' ? body['accentColour'] : undefined;
      const own = await organiserHostnames(db, organiser.id);
      return c.render(
        <BrandingPage
          event={event}
          own={own}
          look={{ accentColour: sent, error: input.error.issues[0]?.message ?? 'Check the fields.' }}
        />,
        { title: `Look and address · ${event.name}` },
      );
    }
    const branding: Branding = {
      accentColour: input.data.accentColour,
      logoHash: input.data.removeLogo ? null : ((await uploadedImage(c, body['logo'])) ?? event.logoHash),
      coverHash: input.data.removeCover ? null : ((await uploadedImage(c, body['cover'])) ?? event.coverHash),
    };
    await saveBranding(db, event.id, branding);
    return c.redirect(eventPaths(event).branding('saved'), 303);
  })
  .post('/branding/hostname', async (c) => {
    const { event, organiser, db } = c.var;
    const input = hostnameInputSchema.safeParse(await c.req.parseBody());
    const refuse = async (status: 400 | 409, message: string) => {
      c.status(status);
      const own = await organiserHostnames(db, organiser.id);
      return c.render(<BrandingPage event={event} own={own} hostnameError={message} />, {
        title: `Look and address · ${event.name}`,
      });
    };
    if (!input.success) return refuse(400, input.error.issues[0]?.message ?? 'Check the hostname.');
    const { hostname, shows } = input.data;
    if (hostname === portalHostname(c.env.PUBLIC_URL)) {
      return refuse(400, `${hostname} is the portal’s own address; enter a hostname of yours.`);
    }
    const claimed = await claimHostname(db, organiser.id, hostname, shows === 'event' ? event.id : null);
    if (claimed === 'taken') {
      return refuse(409, `${hostname} is already in use by another organiser. If it is yours, contact support.`);
    }
    return c.redirect(eventPaths(event).branding('hostname-saved'), 303);
  })
  .post('/branding/hostname/remove', async (c) => {
    const body = await c.req.parseBody();
    const hostname = hostnameInputSchema.shape.hostname.safeParse(body['hostname']);
    if (!hostname.success) throw new HTTPException(400, { message: 'Choose a hostname to remove.' });
    await releaseHostname(c.var.db, c.var.organiser.id, hostname.data);
    return c.redirect(eventPaths(c.var.event).branding('hostname-removed'), 303);
  });

import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { readableForm } from '../auth/guard';
import type { Event } from '../db/schema';
import type { EventEnv } from '../env';
import { eventStatus } from '../events/status';
import { eventPaths } from '../paths';
import { countEventPhotos, importPhotos, photoZipLimits, type PhotoImportReport } from '../records/photos';
import { count } from './count';
import { Csrf, EventTabs } from './layout';

/** The one admin request larger than a results file: admin/routes.ts gives it limitPhotoZip instead. */
export const isPhotoUpload = (path: string, method: string) =>
  method === 'POST' && /^\/admin\/events\/\d+\/photos$/.test(path);

const mb = (bytes: number) => `${bytes / 1024 / 1024} MB`;

/** Checked while the body streams in, so a ZIP over the limit is refused before it is read whole. */
export const limitPhotoZip = bodyLimit({
  // The form's other fields and multipart's boundaries on top of the ZIP.
  maxSize: photoZipLimits.zipBytes + 64 * 1024,
  onError: () => {
    throw new HTTPException(413, {
      message: `A ZIP of photos may be at most ${mb(photoZipLimits.zipBytes)}. Upload the photos in several ZIPs.`,
    });
  },
});

/** What became of each file of the last ZIP. */
function Report({ report }: { report: PhotoImportReport }) {
  return (
    <section class="card" aria-label="Upload report">
      <p role="status">
        {count(report.matched, 'photo')} matched to {report.matched === 1 ? 'its participant' : 'their participants'}.
      </p>
      {report.unknown.length > 0 && (
        <>
          <h3>Not a bib or participant in this event ({report.unknown.length})</h3>
          <ul data-unknown>
            {report.unknown.map((name) => (
              <li>{name}</li>
            ))}
          </ul>
        </>
      )}
      {report.refused.length > 0 && (
        <>
          <h3>Not used ({report.refused.length})</h3>
          <ul data-refused>
            {report.refused.map(({ name, reason }) => (
              <li>
                {name}: {reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function PhotosPage({
  event,
  held,
  report,
}: {
  event: Event;
  held: { photos: number; records: number };
  report?: PhotoImportReport;
}) {
  return (
    <>
      <h2>Participants' photos</h2>
      {report && <Report report={report} />}
      <p>
        {held.photos.toLocaleString('en')} of {count(held.records, 'participant')} have a photo. A template shows it
        where the designer places a participant photo; a participant without one gets the element's fallback image.
      </p>
      <form method="post" action={eventPaths(event).photos} enctype="multipart/form-data" class="card">
        <Csrf />
        <label>
          A ZIP of PNG or JPEG photos, each named by bib (1234.jpg) or by the participant's key, up to{' '}
          {mb(photoZipLimits.zipBytes)} and {photoZipLimits.files.toLocaleString('en')} photos. A new photo replaces the
          participant's old one.
          <input type="file" name="file" accept=".zip,application/zip" required />
        </label>
        <button type="submit">Upload photos</button>
      </form>
    </>
  );
}

export const photoPages = new Hono<EventEnv>()
  .get('/photos', async (c) => {
    const { event, db } = c.var;
    const [status, held] = await Promise.all([eventStatus(db, event), countEventPhotos(db, event.id)]);
    return c.render(
      <>
        <EventTabs event={event} status={status} current="records" />
        <PhotosPage event={event} held={held} />
      </>,
      { title: `Photos · ${event.name}` },
    );
  })
  .post('/photos', async (c) => {
    const { event, db } = c.var;
    const file = (await readableForm(c))['file'];
    if (!(file instanceof File) || file.size === 0)
      throw new HTTPException(400, { message: 'Choose a ZIP of photos.' });
    const report = await importPhotos(c.env, db, event.id, new Uint8Array(await file.arrayBuffer()));
    const [status, held] = await Promise.all([eventStatus(db, event), countEventPhotos(db, event.id)]);
    return c.render(
      <>
        <EventTabs event={event} status={status} current="records" />
        <PhotosPage event={event} held={held} report={report} />
      </>,
      { title: `Photos · ${event.name}` },
    );
  });

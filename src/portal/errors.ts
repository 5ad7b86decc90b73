import { HTTPException } from 'hono/http-exception';

export const eventNotFound = (slug: string) =>
  new HTTPException(404, {
    message: `There is no published event at “${slug}”. Check the link, or find your event in the list of events.`,
  });

export const certificateNotFound = () =>
  new HTTPException(404, {
    message: 'This certificate is not available. Search the event again by bib number or name.',
  });

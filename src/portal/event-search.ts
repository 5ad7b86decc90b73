import type { Context } from 'hono';
import { certificateResults, MAX_QUERY_LENGTH, publicSearch, searchQuerySchema } from '../certificates/search';
import { linkOrigin } from '../paths';
import { countActivity } from '../stats/counter';
import { eventNotFound } from './errors';
import { t, type PortalEnv } from './i18n';

/**
 * A search of an event's participants, as its page and the embedded search box both answer it:
 * the results with their links, or, for a query the rule refuses, why, in the runner's language.
 * An unknown or unpublished event is a 404. Each search counts on the event's Overview tab.
 */
export async function searchEvent(c: Context<PortalEnv>, slug: string) {
  const sent = c.req.query('q');
  const query = searchQuerySchema.safeParse(sent ?? '');
  const searched = await publicSearch(c.var.db, slug, query.success ? query.data : undefined);
  if (!searched) throw eventNotFound(slug, c.var.locale);
  const { found } = searched;
  if (!query.success) {
    // The schema's messages are the API's, in English; the page says the same in the runner's language.
    const m = t(c.var.locale);
    const tooLong = query.error.issues.some((issue) => issue.code === 'too_big');
    return {
      event: found.event,
      sent,
      refused: {
        query: (sent ?? '').slice(0, MAX_QUERY_LENGTH),
        error: tooLong ? m.searchTooLong(MAX_QUERY_LENGTH) : m.searchControlCharacters,
      },
    };
  }
  if (query.data)
    countActivity(c, found.event.id, { did: 'search', query: query.data, found: searched.records.length > 0 });
  const origin = linkOrigin(c.env.PUBLIC_URL, c.req.url);
  return {
    event: found.event,
    sent,
    answered: {
      query: query.data,
      results: await certificateResults(c.var.db, origin, found, searched.records),
      total: searched.total,
      more: searched.more,
    },
  };
}

import { z } from 'zod';
import type { Database } from '../db/client';
import type { ParticipantRecord } from '../db/schema';
import { slugSchema } from '../events/rules';
import { forgivingSearch, MAX_COUNTED, recordSearch } from '../records/search';
import {
  certificateLinks,
  publicEventId,
  findPublicEvent,
  publicEventOf,
  publicEventQueries,
  photoOf,
  photosFor,
  templatesForRecords,
  type CertificateFormats,
  type PublicEvent,
} from './public';

export const MAX_QUERY_LENGTH = 200;

/** A participant's search: a bib or name words. Control characters are refused, not stripped. */
export const searchQuerySchema = z
  .string()
  .max(MAX_QUERY_LENGTH, `Search for at most ${MAX_QUERY_LENGTH} characters: a bib number or part of a name.`)
  .refine((q) => !/\p{Cc}/u.test(q), 'The search holds control characters; type a bib number or a name.')
  .transform((q) => q.trim());

export interface SearchResult {
  /** Null for a participant without a bib. */
  bib: string | null;
  name: string;
  category: string | null;
  status: string;
  finishTime: string | null;
  certificateUrl: string;
  imageUrl: string;
  shareImageUrl: string;
  formats: CertificateFormats;
}

export interface PublicSearch {
  found: PublicEvent;
  records: ParticipantRecord[];
  /** How many visible records match, counted up to 1,000 ... */
  total: number;
  /** ... and whether there are more than that. */
  more: boolean;
}

const counted = (total: number) => ({ total: Math.min(total, MAX_COUNTED), more: total > MAX_COUNTED });

/**
 * A published event and, for a query, its visible records matching it, in one round trip to D1:
 * the event by its slug, and the bib and name lookups and their count by a subquery on that slug.
 * A search that found no one tries again forgiving a typo. Undefined when there is no such
 * published event.
 */
export async function publicSearch(
  db: Database,
  slug: string,
  query: string | undefined,
): Promise<PublicSearch | undefined> {
  // A slug that cannot be one finds nothing, without asking D1.
  if (!slugSchema.safeParse(slug).success) return undefined;
  if (!query) {
    const found = await findPublicEvent(db, slug);
    return found && { found, records: [], total: 0, more: false };
  }
  const search = recordSearch(db, publicEventId(slug), query);
  const [eventRows, templateRows, bibHits, nameHits, count] = await db.batch([
    ...publicEventQueries(db, slug),
    ...search.queries,
  ]);
  const found = await publicEventOf(eventRows, templateRows);
  if (!found) return undefined;
  let matched = search.found(bibHits, nameHits, count);
  if (matched.records.length === 0 && search.typoWords.length > 0) {
    matched = await forgivingSearch(db, found.event.id, query);
  }
  return { found, records: matched.records, ...counted(matched.total) };
}

/** Search results with links to their certificates. */
export async function certificateResults(
  db: Database,
  origin: string,
  found: PublicEvent,
  records: ParticipantRecord[],
): Promise<SearchResult[]> {
  const { event } = found;
  const templates = await templatesForRecords(db, found, records);
  const photos = await photosFor(db, templates);
  return Promise.all(
    records.map(async (record) => {
      const template = templates.get(record.id)!;
      const { certificateUrl, imageUrl, shareImageUrl, formats } = await certificateLinks(origin, {
        event,
        record,
        template,
        ...photoOf(template, photos.get(record.id)),
      });
      return {
        bib: record.bib,
        name: record.name,
        category: record.category,
        status: record.status,
        finishTime: record.finishTime,
        certificateUrl,
        imageUrl,
        shareImageUrl,
        formats,
      };
    }),
  );
}

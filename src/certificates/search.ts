import { z } from 'zod';
import type { Database } from '../db/client';
import { searchRecords } from '../records/queries';
import { certificateLinks, templatesForRecords, type CertificateFormats, type PublicEvent } from './public';

export const MAX_QUERY_LENGTH = 200;

/** A participant's search: a bib or name words. Control characters are refused, not stripped. */
export const searchQuerySchema = z
  .string()
  .max(MAX_QUERY_LENGTH, `Search for at most ${MAX_QUERY_LENGTH} characters: a bib number or part of a name.`)
  .refine((q) => !/\p{Cc}/u.test(q), 'The search holds control characters; type a bib number or a name.')
  .transform((q) => q.trim());

export interface SearchResult {
  bib: string;
  name: string;
  category: string | null;
  status: string;
  finishTime: string | null;
  certificateUrl: string;
  imageUrl: string;
  shareImageUrl: string;
  formats: CertificateFormats;
}

/** Visible records of a published event matching the query, with links to their certificates. */
export async function searchCertificates(
  db: Database,
  origin: string,
  found: PublicEvent,
  query: string,
  publicUrl: string,
): Promise<SearchResult[]> {
  if (!query) return [];
  const { event } = found;
  const records = await searchRecords(db, event.id, query);
  const templates = await templatesForRecords(db, found, records);
  return Promise.all(
    records.map(async (record) => {
      const template = templates.get(record.id)!;
      const { certificateUrl, imageUrl, shareImageUrl, formats } = await certificateLinks(
        origin,
        { event, record, template },
        publicUrl,
      );
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

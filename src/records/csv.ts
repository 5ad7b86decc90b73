import Papa from 'papaparse';
import type { ParticipantRecord } from '../db/schema';

/**
 * An event's records as CSV, with each certificate's URL. Cells a spreadsheet would run as a
 * formula get a leading quote, as OWASP advises for CSV exports.
 */
export function recordsCsv(rows: ParticipantRecord[], certificateUrl: (r: ParticipantRecord) => string): string {
  return Papa.unparse(
    rows.map((r) => ({
      bib: r.bib,
      name: r.name,
      status: r.status,
      finishTime: r.finishTime ?? '',
      category: r.category ?? '',
      gender: r.gender ?? '',
      age: r.age ?? '',
      rankOverall: r.rankOverall ?? '',
      rankGender: r.rankGender ?? '',
      rankCategory: r.rankCategory ?? '',
      hidden: r.hidden ? 'yes' : 'no',
      certificateUrl: certificateUrl(r),
      ...r.extra,
    })),
    { escapeFormulae: true },
  );
}

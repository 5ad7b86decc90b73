import type { PreparedRecord } from '../records/prepared';
import type { RecordInput } from '../records/rules';
import type { FileEncoding } from './decode';
import type { Mapping } from './mapping';
import type { Delimiter } from './parse';

/** A data row left out of the import, with the line of the file it starts on (1 is the header). */
export interface RejectedRow {
  line: number;
  /** What is wrong, naming the field and column, e.g. `bib is empty (column "Startnr")`. */
  reason: string;
  /** Rows of the file this covers when more than its own: an unclosed quote swallows all after it. */
  rows?: number;
}

/** How many rows of the file were left out: a row each, and all those an unclosed quote swallowed. */
export const rowsLeftOut = (rejected: RejectedRow[]) => rejected.reduce((n, row) => n + (row.rows ?? 1), 0);

/**
 * A participant more than one row of the file claims: the same bib, the same value of the key
 * column, or (without either) the same name. Only the first of these lines is imported.
 */
export interface DuplicateParticipant {
  /** Their participant key (records/participant-key.ts): the bib, `key:…` or `name:…`. */
  key: string;
  /** The bib the rows share, if that is what they share. */
  bib: string | null;
  /** The name the rows share, if they are known by their name alone. */
  name: string | null;
  lines: number[];
}

/** What importing a results file will do, before anything is written. */
export interface ImportPlan {
  /** Every record to import, compact and ready to write (see prepareRecord). */
  records: PreparedRecord[];
  rejected: RejectedRow[];
  duplicates: DuplicateParticipant[];
  encoding: FileEncoding;
  delimiter: Delimiter;
  headers: string[];
  /** The mapping used: the one given, the one saved with the source, or the one suggested from the headers and values. */
  mapping: Mapping;
  /** Where the mapping came from: the request (or the mapping screen), the source's saved one, or this file's headers. */
  mappingFrom: 'given' | 'saved' | 'headers';
  /** Why the saved mapping did not fit this file (a column of it the file lacks): the mapping was guessed instead. */
  savedMisfit?: string;
  /** On the mapping screen: why no records can be read with this mapping yet (then there are none). */
  problem?: string;
  /** A few names as the file writes them, those a name style would change first: the name style's preview. */
  sampleNames: string[];
  /** The first records exactly as they will be saved, for the organiser to check. */
  preview: RecordInput[];
}

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
}

/** A bib that more than one row of the file claims; only the first of these lines is imported. */
export interface DuplicateBib {
  bib: string;
  lines: number[];
}

/** What importing a results file will do, before anything is written. */
export interface ImportPlan {
  /** Every record to import, compact and ready to write (see prepareRecord). */
  records: PreparedRecord[];
  rejected: RejectedRow[];
  duplicates: DuplicateBib[];
  encoding: FileEncoding;
  delimiter: Delimiter;
  headers: string[];
  /** The mapping used: the one given, or the one suggested from the headers and values. */
  mapping: Mapping;
  /** The first records exactly as they will be saved, for the organiser to check. */
  preview: RecordInput[];
}

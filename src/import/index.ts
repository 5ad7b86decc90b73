import { giveWay } from '../give-way';
import { decodeResultsFile } from './decode';
import { ImportError } from './import-error';
import { checkMapping, mappedColumns, mappingSchema, suggestMapping, type Mapping } from './mapping';
import type { ImportPlan } from './plan';
import { parseResultsTable } from './parse';
import { checkFileBytes, checkFileText } from './refusals';
import { recordReader } from './rows';

export type { FileEncoding } from './decode';
export { ImportError } from './import-error';
export { MAX_DATA_ROWS, MAX_FILE_BYTES } from './limits';
export { mappingSchema, recordFieldLabels, recordFields, type Mapping, type RecordField } from './mapping';
export { nameStyleLabels, nameStyles, styleName, type NameStyle } from './names';
export type { Delimiter } from './parse';
export { rowsLeftOut, type DuplicateParticipant, type ImportPlan, type RejectedRow } from './plan';

// Rows read to suggest a mapping when none is given; values decide ambiguous headers.
const MAPPING_SAMPLE_ROWS = 1000;
// About 10 ms of parsing: a search arriving meanwhile waits for no more than that.
const YIELD_EVERY_ROWS = 250;

export interface ImportOptions {
  /** Columns the organiser or the caller chose: a file they do not fit is refused, naming the column. */
  mapping?: Mapping;
  /**
   * The mapping saved with the source from an earlier file: a suggestion, used when it fits this
   * file, else the columns are guessed from this file's headers (keeping its name style).
   */
  saved?: Mapping;
  /**
   * For the mapping screen, where columns can still be chosen: a mapping that does not fit gives a
   * plan without records that says why (`problem`), instead of an error.
   */
  review?: boolean;
}

/** Why a mapping cannot read this file, or undefined when it can. */
function mappingProblem(mapping: Mapping, headers: string[]): string | undefined {
  try {
    checkMapping(mapping, headers);
    return undefined;
  } catch (error) {
    if (error instanceof ImportError) return error.message;
    throw error;
  }
}

/**
 * Reads a results file (CSV from an upload, a URL source or the API) into the records it would
 * import, without writing anything. Columns are mapped by `options.mapping`, else by the saved
 * mapping if it fits, else as suggested from the headers. Rows that cannot become a record are
 * listed with their line, never fatal; a file that is no results table at all throws an ImportError.
 */
export async function prepareImport(bytes: Uint8Array, options: ImportOptions = {}): Promise<ImportPlan> {
  checkFileBytes(bytes);
  const { text, encoding } = decodeResultsFile(bytes);
  checkFileText(text);
  await giveWay();
  const sample = await parseResultsTable(text, { preview: MAPPING_SAMPLE_ROWS, yieldEvery: YIELD_EVERY_ROWS });
  await giveWay();
  const given = options.mapping && mappingSchema.safeParse(options.mapping);
  if (given && !given.success) {
    throw new ImportError(`The column mapping is not valid: ${given.error.issues[0]?.message ?? 'unknown field'}.`);
  }
  // A stored mapping that no longer passes the schema is no suggestion at all.
  const saved = options.saved && mappingSchema.safeParse(options.saved).data;
  const savedProblem = saved && mappingProblem(saved, sample.headers);
  const guess = () => ({
    ...suggestMapping(
      sample.headers,
      sample.rows.map((row) => row.cells),
    ),
    ...(saved?.nameStyle && { nameStyle: saved.nameStyle }),
  });
  const [mapping, mappingFrom] = given?.data
    ? [given.data, 'given' as const]
    : saved && !savedProblem
      ? [saved, 'saved' as const]
      : [guess(), 'headers' as const];
  const savedMisfit =
    mappingFrom === 'headers' && saved ? mappedColumns(saved).find((h) => !sample.headers.includes(h)) : undefined;
  const problem = mappingProblem(mapping, sample.headers);
  if (problem && !options.review) throw new ImportError(problem);
  if (problem) {
    return {
      records: [],
      rejected: [],
      duplicates: [],
      encoding,
      delimiter: sample.delimiter,
      headers: sample.headers,
      mapping,
      mappingFrom,
      savedMisfit,
      problem,
      preview: [],
      sampleNames: [],
    };
  }
  const reader = recordReader(sample.headers, mapping);
  const table = await parseResultsTable(text, { onRow: reader.read, yieldEvery: YIELD_EVERY_ROWS });
  const { records, preview, rejected, duplicates, sampleNames } = reader.finish();
  return {
    records,
    rejected: [...table.malformed, ...rejected].sort((a, b) => a.line - b.line),
    duplicates,
    encoding,
    delimiter: table.delimiter,
    headers: table.headers,
    mapping,
    mappingFrom,
    savedMisfit,
    preview,
    sampleNames,
  };
}

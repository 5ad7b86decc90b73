import { giveWay } from '../give-way';
import { decodeResultsFile } from './decode';
import { ImportError } from './import-error';
import { checkMapping, mappingSchema, suggestMapping, type Mapping } from './mapping';
import { parseResultsTable } from './parse';
import type { ImportPlan } from './plan';
import { checkFileBytes, checkFileText } from './refusals';
import { recordReader } from './rows';

export type { FileEncoding } from './decode';
export { ImportError } from './import-error';
export { MAX_DATA_ROWS, MAX_FILE_BYTES } from './limits';
export { mappingSchema, recordFieldLabels, recordFields, type Mapping, type RecordField } from './mapping';
export type { Delimiter } from './parse';
export type { DuplicateBib, ImportPlan, RejectedRow } from './plan';

// Rows read to suggest a mapping when none is given; values decide ambiguous headers.
const MAPPING_SAMPLE_ROWS = 1000;
// About 10 ms of parsing: a search arriving meanwhile waits for no more than that.
const YIELD_EVERY_ROWS = 250;

/**
 * Reads a results file (CSV from an upload, a URL source or the API) into the records it would
 * import, without writing anything. Columns are mapped by `options.mapping`, or as suggested from
 * the headers. Rows that cannot become a record are listed with their line, never fatal; a file
 * that is no results table at all throws an ImportError.
 */
export async function prepareImport(bytes: Uint8Array, options: { mapping?: Mapping } = {}): Promise<ImportPlan> {
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
  const mapping =
    given?.data ??
    suggestMapping(
      sample.headers,
      sample.rows.map((row) => row.cells),
    );
  checkMapping(mapping, sample.headers);
  const reader = recordReader(sample.headers, mapping);
  const table = await parseResultsTable(text, { onRow: reader.read, yieldEvery: YIELD_EVERY_ROWS });
  const { records, preview, rejected, duplicates } = reader.finish();
  return {
    records,
    rejected: [...table.malformed, ...rejected].sort((a, b) => a.line - b.line),
    duplicates,
    encoding,
    delimiter: table.delimiter,
    headers: table.headers,
    mapping,
    preview,
  };
}

import Papa from 'papaparse';
import { giveWay } from '../give-way';
import { cleanText } from '../records/text';
import { ImportError } from './import-error';
import { MAX_CELL_CHARS, MAX_DATA_ROWS, MAX_FILE_CELL_CHARS } from './limits';
import type { RejectedRow } from './plan';

const delimiters = [',', ';', '\t'] as const;
/** The column separator of a results file: comma, semicolon (German and French Excel) or tab. */
export type Delimiter = (typeof delimiters)[number];

/** A data row of the file, its values cleaned, with the line of the file where it starts. */
export interface TableRow {
  line: number;
  cells: string[];
}

/** A results file split into a header row and data rows. */
export interface ResultsTable {
  delimiter: Delimiter;
  /** Column names as the organiser will see them: trimmed, never empty, each once. */
  headers: string[];
  /** The data rows, unless they went to `onRow` instead. */
  rows: TableRow[];
  /** Rows that cannot be split into the header's columns. */
  malformed: RejectedRow[];
}

/** Counts line breaks the way an editor numbers lines: CRLF, LF and a lone CR each end one line. */
function countLineBreaks(text: string, from = 0, to = text.length): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a) count++;
    else if (code === 0x0d) {
      count++;
      if (text.charCodeAt(i + 1) === 0x0a) i++;
    }
  }
  return count;
}

const count = (n: number) => n.toLocaleString('en-US');

function cleanHeaders(cells: string[]): string[] {
  const names = cells.map(cleanText);
  const long = names.findIndex((name) => name.length > MAX_CELL_CHARS);
  if (long !== -1) {
    throw new ImportError(
      `The name of column ${long + 1} has ${count(names[long]!.length)} characters; ` +
        `a column name may have at most ${count(MAX_CELL_CHARS)}. Is the first line the header row?`,
    );
  }
  // Spreadsheets often end every line with a separator; that is no column.
  while (names.length > 0 && names.at(-1) === '') names.pop();
  const seen = new Map<string, number>();
  return names.map((name, i) => {
    const base = name || `Column ${i + 1}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base} (${count})`;
  });
}

const quoteProblems = {
  MissingQuotes: 'a quote (") opened on this line is never closed, so the rest of the file could not be read',
  InvalidQuotes: 'a quote (") is out of place; a value holding quotes must be quoted itself, with each quote doubled',
};

/**
 * A row with a quote that is not closed on its own line runs on to the next quote in the file, or
 * to its end: every line up to there became part of one of its values. Those are participants
 * lost, and the organiser must hear how many.
 */
function quoteProblem(line: number, cells: string[], problem: keyof typeof quoteProblems): RejectedRow {
  const lines = cells.join(',').split(/\r\n|\r|\n/);
  const swallowed = lines.slice(1).filter((l) => l.trim() !== '').length;
  if (swallowed === 0) return { line, reason: quoteProblems[problem] };
  const rows = swallowed === 1 ? 'the row after it' : `the ${count(swallowed)} rows after it`;
  return {
    line,
    reason: `an unclosed quote (") on this line swallowed ${rows}, up to line ${line + lines.findLastIndex((l) => l.trim() !== '')}: close or remove it, and upload the file again`,
    rows: 1 + swallowed,
  };
}

const tooManyRows = () => {
  const limit = count(MAX_DATA_ROWS);
  return new ImportError(`The file has more than ${limit} rows; split it into files of at most ${limit} rows.`, 413);
};

export interface TableOptions {
  /** Stop after this many data rows: a sample to suggest the mapping from. */
  preview?: number;
  /**
   * Receives each clean data row instead of the table keeping it, so that a large file's rows
   * are turned into records one by one and never all held at once.
   */
  onRow?: (row: TableRow) => void;
  /**
   * Give way to other requests after this many rows: parsing a large file takes the isolate's
   * one thread for most of a second, and searches should not wait for all of it.
   */
  yieldEvery?: number;
}

/**
 * Splits decoded text into a header row and data rows with papaparse, guessing the delimiter.
 * Blank lines are skipped. Refuses text with no header or no data rows.
 */
export function parseResultsTable(text: string, options: TableOptions = {}): Promise<ResultsTable> {
  let delimiter: Delimiter = ',';
  // After a pause papaparse goes on with the rest of the text, and counts from there.
  let offset = 0;
  let sincePause = 0;
  let failure: unknown;
  let headers: string[] | undefined;
  let dataRows = 0;
  let tooMany = false;
  let lineBreaks = 0;
  let countedTo = 0;
  const rows: TableRow[] = [];
  const malformed: RejectedRow[] = [];
  const take = options.onRow ?? ((row: TableRow) => rows.push(row));

  const step = (result: Papa.ParseStepResult<string[]>, parser: Papa.Parser) => {
    if (options.preview !== undefined && dataRows >= options.preview) return parser.abort();
    if (dataRows >= MAX_DATA_ROWS) {
      tooMany = true;
      return parser.abort();
    }
    delimiter = delimiters.find((d) => d === result.meta.delimiter) ?? ',';
    // papaparse only says where a row ends (its cursor); the line where it starts is the line
    // breaks before that end, less those inside its quoted values.
    const end = offset + result.meta.cursor;
    if (options.yieldEvery && ++sincePause >= options.yieldEvery) {
      sincePause = 0;
      offset = end;
      parser.pause();
      giveWay().then(() => parser.resume());
    }
    lineBreaks += countLineBreaks(text, countedTo, end);
    countedTo = end;
    const codes = result.errors.map((e) => e.code);
    const quoteError = (['MissingQuotes', 'InvalidQuotes'] as const).find((code) => codes.includes(code));
    // A row with an unclosed quote runs to the end of the file, so a last line break is its own.
    const { linebreak } = result.meta;
    const endsWithBreak =
      quoteError !== 'MissingQuotes' && linebreak !== '' && text.startsWith(linebreak, end - linebreak.length);
    const breaksInside = result.data.reduce((sum, cell) => sum + (/[\r\n]/.test(cell) ? countLineBreaks(cell) : 0), 0);
    const line = lineBreaks - (endsWithBreak ? 1 : 0) - breaksInside + 1;
    const huge = result.data.find((cell) => cell.length > MAX_FILE_CELL_CHARS);
    // A quote never closed makes one huge value of the rest of the file: that is said below instead.
    if (huge !== undefined && quoteError !== 'MissingQuotes') {
      const size = `${(huge.length / 1024 / 1024).toFixed(1)} MB`;
      throw new ImportError(`Line ${line} holds one value of ${size}: this is not a results table.`, 413);
    }

    if (!headers) {
      // One column is a table too: a list of names. Whether it is one is the mapping's to say.
      headers = cleanHeaders(result.data);
      return;
    }
    dataRows++;
    if (quoteError) {
      malformed.push(quoteProblem(line, result.data, quoteError));
      return;
    }
    const clean = result.data.map(cleanText);
    const width = clean.findLastIndex((cell) => cell !== '') + 1;
    if (width > headers.length) {
      malformed.push({ line, reason: `has ${width} values but the header row names ${headers.length} columns` });
      return;
    }
    const long = clean.findIndex((cell) => cell.length > MAX_CELL_CHARS);
    if (long !== -1) {
      const reason = `the value in column "${headers[long]}" has ${count(clean[long]!.length)} characters; a value may have at most ${count(MAX_CELL_CHARS)}`;
      malformed.push({ line, reason });
      return;
    }
    take({ line, cells: clean });
  };

  const table = (): ResultsTable => {
    if (failure) throw failure;
    if (tooMany) throw tooManyRows();
    if (!headers || headers.length === 0) throw new ImportError('The file is empty.');
    if (dataRows === 0) throw new ImportError('The file has a header row but no results below it.');
    return { delimiter, headers, rows, malformed };
  };

  return new Promise((resolve, reject) => {
    Papa.parse<string[]>(text, {
      delimitersToGuess: [...delimiters],
      skipEmptyLines: 'greedy',
      step(result, parser) {
        try {
          step(result, parser);
        } catch (error) {
          // Thrown after a pause it would escape the parse: end the parse and report it instead.
          failure = error;
          parser.abort();
        }
      },
      complete() {
        try {
          resolve(table());
        } catch (error) {
          reject(error);
        }
      },
    });
  });
}

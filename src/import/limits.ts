/** The largest results file accepted, in bytes (20 MB). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** The most data rows (lines after the header) one results file may hold. */
export const MAX_DATA_ROWS = 100_000;

/** The longest value one cell may hold: no name, club or note needs more, and D1 rows stay small. */
export const MAX_CELL_CHARS = 1000;

/** The most columns a file may have besides those mapped to record fields, kept in each record's extra. */
export const MAX_EXTRA_COLUMNS = 200;

/** A value this long (or a quote never closed) means the file is no results table at all: refused whole. */
export const MAX_FILE_CELL_CHARS = 64 * 1024;

/** The most records one event may hold (Boston eight times over). */
export const MAX_EVENT_RECORDS = 250_000;

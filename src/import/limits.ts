/** The largest results file accepted, in bytes (20 MB). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** The most data rows (lines after the header) one results file may hold. */
export const MAX_DATA_ROWS = 100_000;

/**
 * A results file the importer refuses as a whole, with a message for the organiser and the
 * HTTP status to answer with: 413 when a limit is exceeded, 409 when a newer file was applied
 * first, 400 for anything else.
 */
export class ImportError extends Error {
  override readonly name = 'ImportError';
  readonly status: 400 | 409 | 413;

  constructor(message: string, status: 400 | 409 | 413 = 400) {
    super(message);
    this.status = status;
  }
}

import { and, eq } from 'drizzle-orm';
import Papa from 'papaparse';
import { z } from 'zod';
import type { Database } from '../db/client';
import { records, type ParticipantRecord } from '../db/schema';
import { formulaSafe } from './csv';

/** A results file's email column, by its name: "Email", "E-mail", "Email address". */
const emailColumnName = /e-?mail/i;

const emailSchema = z.email();

/** The imported column holding emails, if the results had one: the shortest such name, "Email" before "Emergency email". */
function emailColumn(rows: ParticipantRecord[]): string | undefined {
  const names = new Set<string>();
  for (const r of rows) for (const key of Object.keys(r.extra ?? {})) if (emailColumnName.test(key)) names.add(key);
  return [...names].sort((a, b) => a.length - b.length || a.localeCompare(b))[0];
}

/** A participant known by an email column chosen as their key (`key:ana@example.org`) has it there instead. */
function keyEmail(record: ParticipantRecord): string | undefined {
  const value = record.participantKey.startsWith('key:') ? record.participantKey.slice('key:'.length) : undefined;
  return value && emailSchema.safeParse(value).success ? value : undefined;
}

/** An event's visible records in the order they were added: hidden participants get no mail. */
export const mailMergeRecords = (db: Database, eventId: number) =>
  db
    .select()
    .from(records)
    .where(and(eq(records.eventId, eventId), eq(records.hidden, false)))
    .orderBy(records.id);

/**
 * The mail-merge CSV for the organiser's mailing tool: name, email (when the results have one),
 * bib and the certificate page's address. Cells a spreadsheet would run as a formula get a
 * leading quote, as in the records export.
 */
export function mailMergeCsv(rows: ParticipantRecord[], certificateUrl: (r: ParticipantRecord) => string): string {
  const column = emailColumn(rows);
  const withEmail = column !== undefined || rows.some((r) => keyEmail(r));
  const email = (r: ParticipantRecord) =>
    (column && Object.hasOwn(r.extra ?? {}, column) ? r.extra![column] : undefined) || keyEmail(r) || '';
  const header = withEmail ? ['name', 'email', 'bib', 'certificateUrl'] : ['name', 'bib', 'certificateUrl'];
  const table = [
    header,
    ...rows.map((r) =>
      withEmail ? [r.name, email(r), r.bib ?? '', certificateUrl(r)] : [r.name, r.bib ?? '', certificateUrl(r)],
    ),
  ];
  return Papa.unparse(table.map((cells) => cells.map((cell) => formulaSafe(String(cell)))));
}

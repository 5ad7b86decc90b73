import type { Condition } from './layout';

/** The values a template can place: record fields, the event's, and any extra imported column. */
export type CertificateFields = Record<string, string | number | null>;

export interface FieldSources {
  event: { name: string; date: string | null; location: string | null };
  record: {
    bib: string;
    name: string;
    category: string | null;
    gender: string | null;
    age: number | null;
    finishTime: string | null;
    rankOverall: number | null;
    rankGender: number | null;
    rankCategory: number | null;
    status: string;
    extra: Record<string, string> | null;
  };
}

const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function certificateFields({ event, record }: FieldSources): CertificateFields {
  const { extra, ...own } = record;
  return {
    ...extra,
    ...own,
    event: event.name,
    date: event.date ? longDate.format(new Date(`${event.date}T00:00:00Z`)) : null,
    location: event.location,
  };
}

/** Replaces `{field}` with its value; an unknown or empty field becomes an empty string. */
export function fillPlaceholders(text: string, fields: CertificateFields): string {
  return text.replace(/\{([\w .-]+)\}/g, (_, key: string) => {
    const value = fields[key.trim()];
    return value === null || value === undefined ? '' : String(value);
  });
}

export function conditionHolds(when: Condition | undefined, fields: CertificateFields): boolean {
  if (!when) return true;
  const value = fields[when.field];
  const present = value !== null && value !== undefined && value !== '';
  switch (when.op) {
    case 'present':
      return present;
    case 'absent':
      return !present;
    case 'eq':
      return present && String(value) === String(when.value);
    case 'ne':
      return String(value ?? '') !== String(when.value);
    case 'lte':
      return present && Number(value) <= Number(when.value);
    case 'gte':
      return present && Number(value) >= Number(when.value);
  }
}

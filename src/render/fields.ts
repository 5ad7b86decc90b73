import type { Condition } from './layout';

/** The values a template can place: record fields, the event's, and any extra imported column. */
export type CertificateFields = Record<string, string | number | null>;

export interface FieldSources {
  event: { name: string; date: string | null; location: string | null; language: string | null };
  record: {
    /** Null for someone without a bib: `{bib}` is then empty, and templates hide its line. */
    bib: string | null;
    /** How imports know the participant (maybe an email): never a field a certificate states. */
    participantKey?: string;
    name: string;
    category: string | null;
    gender: string | null;
    age: number | null;
    finishTime: string | null;
    rankOverall: number | null;
    rankGender: number | null;
    rankCategory: number | null;
    status: string;
    /** The participant's own language, where it differs from the event's. */
    language: string | null;
    extra: Record<string, string> | null;
  };
}

const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * What a certificate states. `language` (a BCP 47 tag: the record's, else the event's) tells the
 * renderer what script cannot, e.g. that a name in kanji takes Japanese glyph forms.
 */
export function certificateFields({ event, record }: FieldSources): CertificateFields {
  // Leaving the key out also keeps every certificate's fields, image URL and proof as they were.
  const { extra, language: recordLanguage, participantKey: _key, ...own } = record;
  const language = recordLanguage ?? event.language;
  return {
    ...extra,
    ...own,
    event: event.name,
    date: event.date ? longDate.format(new Date(`${event.date}T00:00:00Z`)) : null,
    location: event.location,
    // Only when there is one: the fields of a certificate without a language stay as they were, and
    // so do its image URL and the verify proof printed on it.
    ...(language ? { language } : {}),
  };
}

const englishOrdinal = new Intl.PluralRules('en-GB', { type: 'ordinal' });
const ordinalSuffix: Record<string, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th' };

/** Formatters a placeholder can name after a bar, e.g. `{rankOverall|ordinal}` → "12th". */
export const formatters: Record<string, (value: string) => string> = {
  /** h:mm:ss, whatever the hours were written with: "02:09:37" → "2:09:37". */
  time: (value) => {
    const parts = value.split(':').map(Number);
    if (parts.length < 2 || parts.some((p) => !Number.isFinite(p))) return value;
    const seconds = parts.reduce((total, part) => total * 60 + part, 0);
    const pad = (n: number) => String(Math.floor(n)).padStart(2, '0');
    return `${Math.floor(seconds / 3600)}:${pad((seconds / 60) % 60)}:${pad(seconds % 60)}`;
  },
  ordinal: (value) => {
    const n = Number(value);
    return Number.isInteger(n) ? `${n}${ordinalSuffix[englishOrdinal.select(n)]}` : value;
  },
  upper: (value) => value.toLocaleUpperCase(),
  date: (value) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? longDate.format(new Date(`${value}T00:00:00Z`)) : value),
};

/**
 * Replaces `{field}` with its value, or `{field|formatter}` with its formatted value; an unknown or
 * empty field becomes an empty string, an unknown formatter leaves the value as it is.
 */
export function fillPlaceholders(text: string, fields: CertificateFields): string {
  return text.replace(/\{([\w .-]+)(?:\|(\w+))?\}/g, (_, key: string, formatter: string | undefined) => {
    const value = Object.hasOwn(fields, key.trim()) ? fields[key.trim() as keyof typeof fields] : undefined;
    if (value === null || value === undefined || value === '') return '';
    const format = formatter ? formatters[formatter] : undefined;
    return format ? format(String(value)) : String(value);
  });
}

export function conditionHolds(when: Condition | undefined, fields: CertificateFields): boolean {
  if (!when) return true;
  const value = Object.hasOwn(fields, when.field) ? fields[when.field as keyof typeof fields] : undefined;
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

import { certificateFields, type FieldSources } from '../src/render/fields';

/** A certificate's fields as the app builds them, for a finisher of the Riverside Marathon. */
export const certificateFieldsFor = (name: string, own: Partial<FieldSources['record']> = {}) =>
  certificateFields({
    event: { name: 'Riverside Marathon', date: '2026-04-19', location: 'Hamburg', language: null },
    record: {
      bib: '42',
      name,
      category: 'F40',
      gender: 'F',
      age: 41,
      finishTime: '3:05:09',
      rankOverall: 12,
      rankGender: 3,
      rankCategory: 1,
      status: 'finished',
      language: null,
      extra: null,
      ...own,
    },
  });

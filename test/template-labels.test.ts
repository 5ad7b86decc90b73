import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareImport } from '../src/import';
import type { RecordInput } from '../src/records/rules';
import { designFor } from '../src/render/adapt';
import { certificateTexts } from '../src/render/certificate';
import { certificateFields, fillPlaceholders, type CertificateFields, type FieldSources } from '../src/render/fields';
import type { Design, TextElement } from '../src/render/layout';
import { variantNames } from '../src/render/variants';
import { builtInTemplates } from '../templates';

const event: FieldSources['event'] = { name: 'City Marathon', date: '2024-04-15', location: 'Boston', language: null };
const empty = {
  bib: null,
  name: '',
  category: null,
  gender: null,
  age: null,
  finishTime: null,
  rankOverall: null,
  rankGender: null,
  rankCategory: null,
  status: 'finished',
  language: null,
  extra: null,
};

/** A certificate's fields as the app builds them, with the verify URL every real certificate has. */
const fieldsOf = (record: Partial<RecordInput>): CertificateFields => ({
  ...certificateFields({ event, record: { ...empty, ...record } as unknown as FieldSources['record'] }),
  verifyUrl: 'https://portal.test/verify/c1/p1',
});

const placeholder = /\{([\w .-]+)(?:\|\w+)?\}/g;
const isEmpty = (key: string, fields: CertificateFields) => fillPlaceholders(`{${key}}`, fields) === '';
const words = (text: string) => text.replace(placeholder, '').replace(/[\s·]/g, '');

/**
 * Labels written beside their value in one text, "Bib {bib}" or "{date} · Finish time {finishTime}":
 * a part between separators that has words of its own and a placeholder that is empty here.
 */
function inlineLabelsWithoutValue(element: TextElement, fields: CertificateFields): string[] {
  return element.text
    .split('·')
    .filter((part) => words(part) !== '' && [...part.matchAll(placeholder)].some(([, key]) => isEmpty(key!, fields)));
}

/**
 * Labels set above their value as a text of their own: a smaller text (words, or a single
 * placeholder such as "{category}") in the same column, just above the value's box.
 */
function stackedLabels(design: Design): [label: number, value: number][] {
  const texts = design.elements.flatMap((e, i) => (e.type === 'text' ? [[i, e] as const] : []));
  return texts.flatMap(([l, label]) => {
    const keys = [...label.text.matchAll(placeholder)];
    const isLabel = keys.length === 0 || (keys.length === 1 && words(label.text) === '');
    if (!isLabel) return [];
    const bottom = label.y + label.height;
    return texts
      .filter(
        ([, value]) =>
          Math.abs(value.x - label.x) < 1 &&
          value.font.size > label.font.size &&
          value.y >= bottom - 0.01 * label.height &&
          value.y - bottom <= label.height,
      )
      .map(([v]) => [l, v] as [number, number]);
  });
}

/** Labels a certificate draws without their value, and values without their label, for one record. */
function danglingLabels(design: Design, fields: CertificateFields): string[] {
  const drawn = new Set(certificateTexts(design, fields).map((t) => t.element));
  const text = (i: number) => `"${(design.elements[i] as TextElement).text}"`;
  const problems: string[] = [];
  for (const i of drawn) {
    const parts = inlineLabelsWithoutValue(design.elements[i] as TextElement, fields);
    if (parts.length) problems.push(`${text(i)} drawn without a value for "${parts.join('·').trim()}"`);
  }
  for (const [label, value] of stackedLabels(design)) {
    if (drawn.has(label) && !drawn.has(value)) problems.push(`label ${text(label)} drawn above no ${text(value)}`);
    if (drawn.has(value) && !drawn.has(label)) problems.push(`${text(value)} drawn without its label ${text(label)}`);
  }
  return problems;
}

const recordsOf = (plan: { records: { json: string }[] }): RecordInput[] => plan.records.map((r) => JSON.parse(r.json));

/** A record's status and which fields it has: records of one shape draw the same texts. */
const shapeOf = ({ status = 'finished', extra, ...fields }: Partial<RecordInput>) =>
  `${status}: ${Object.keys(fields)
    .filter(
      (k) => k !== 'status' && fields[k as keyof typeof fields] != null && fields[k as keyof typeof fields] !== '',
    )
    .sort()
    .join(', ')}`;

/** One record of every shape, and a few from across the file. */
function sample(records: RecordInput[]): RecordInput[] {
  const shapes = new Map<string, RecordInput>();
  for (const r of records) if (!shapes.has(shapeOf(r))) shapes.set(shapeOf(r), r);
  const spread = Array.from({ length: 8 }, (_, i) => records[Math.floor((i * records.length) / 8)]!);
  return [...new Set([...shapes.values(), ...spread])];
}

describe('built-in templates draw a label only with its value', () => {
  const files: Record<string, Partial<RecordInput>[]> = {
    // A list of names alone: no bib, no time, no ranks.
    'names only': [{ name: 'Grete Waitz' }, { name: 'Abebe Bikila', status: 'dnf' }],
  };
  beforeAll(async () => {
    for (const [name, bytes] of [
      ['Boston 2017', env.RESULTS_BOSTON_2017],
      ['UTMB 2024', env.RESULTS_UTMB_2024],
      ['Berlin 100 mi 2022', env.RESULTS_BERLIN_100MI_2022],
    ] as const) {
      files[name] = sample(recordsOf(await prepareImport(new Uint8Array(bytes))));
    }
  });

  for (const template of builtInTemplates) {
    it(`${template.name}, in every format`, () => {
      const problems = new Set<string>();
      for (const [file, records] of Object.entries(files)) {
        for (const record of records) {
          const fields = fieldsOf(record);
          for (const variant of variantNames) {
            for (const problem of danglingLabels(designFor(template.layout, variant), fields)) {
              problems.add(`${variant}, ${file} (${shapeOf(record)}): ${problem}`);
            }
          }
        }
      }
      expect([...problems].join('\n')).toBe('');
    });
  }

  it('samples every kind of record the files hold', () => {
    const statuses = (file: string) => new Set(files[file]!.map((r) => r.status));
    expect(statuses('Berlin 100 mi 2022')).toEqual(new Set(['finished', 'dnf', 'dns', 'dsq']));
    expect(statuses('UTMB 2024')).toEqual(new Set(['finished', 'dnf']));
    // Boston has division ranks but no category to head them.
    expect(files['Boston 2017']!.every((r) => r.rankCategory && !r.category)).toBe(true);
    expect(files['Boston 2017']!.length).toBeGreaterThanOrEqual(8);
  });

  it('finds the labels it checks', () => {
    // Guards the geometry above: each template's rank, time and bib labels are found as labels.
    const labels = (slug: string) => {
      const { layout } = builtInTemplates.find((t) => t.slug === slug)!;
      return stackedLabels(layout).map(
        ([l, v]) => `${(layout.elements[l] as TextElement).text} / ${(layout.elements[v] as TextElement).text}`,
      );
    };
    expect(labels('classic-finisher')).toEqual(
      expect.arrayContaining(['Overall / {rankOverall}', 'Gender / {rankGender}', '{category} / {rankCategory}']),
    );
    expect(labels('bold-finisher')).toEqual(
      expect.arrayContaining(['Overall / {rankOverall}', '{category} / {rankCategory}', 'Bib / {bib}']),
    );
    expect(labels('minimal')).toEqual(expect.arrayContaining(['completed the race in / {finishTime}']));
  });
});

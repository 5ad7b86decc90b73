import type { RecordInput } from '../src/records/rules';
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareImport, type ImportPlan } from '../src/import';

/** The records a plan will write, read back from their compact form. */
const recordsOf = (plan: { records: { json: string }[] }): RecordInput[] => plan.records.map((r) => JSON.parse(r.json));

// Each file is parsed once per suite: Boston alone is 4 MB and 26,410 rows.
function importOnce(file: ArrayBuffer) {
  const result = { plan: undefined as unknown as ImportPlan };
  beforeAll(async () => {
    result.plan = await prepareImport(new Uint8Array(file));
  });
  return result;
}

const byBib = (plan: ImportPlan, bib: string) => recordsOf(plan).find((r) => r.bib === bib);
/** The record of the participant with this key, for files without bibs. */
const byKey = (plan: ImportPlan, key: string) => recordsOf({ records: plan.records.filter((r) => r.key === key) })[0];
const statusCounts = (plan: ImportPlan) => {
  const counts: Record<string, number> = {};
  for (const r of recordsOf(plan)) counts[r.status!] = (counts[r.status!] ?? 0) + 1;
  return counts;
};

describe('Boston Marathon 2017 (boston2017.csv)', () => {
  const boston = importOnce(env.RESULTS_BOSTON_2017);

  it('imports all 26,410 rows, read as Windows-1252 because the file is not valid UTF-8', () => {
    const { plan } = boston;
    expect(recordsOf(plan)).toHaveLength(26_410);
    expect(plan.rejected).toEqual([]);
    expect(plan.duplicates).toEqual([]);
    expect(plan.encoding).toBe('windows-1252');
    expect(plan.delimiter).toBe(',');
    // Every byte became a character: nothing was replaced by "�".
    expect(recordsOf(plan).some((r) => r.name.includes('\uFFFD') || JSON.stringify(r.extra).includes('\uFFFD'))).toBe(
      false,
    );
  });

  it('maps "M/F" to gender and the numeric "Gender" and "Division" columns to ranks', () => {
    expect(boston.plan.mapping).toEqual({
      bib: 'Bib',
      name: 'Name',
      age: 'Age',
      gender: 'M/F',
      finishTime: 'Official Time',
      rankOverall: 'Overall',
      rankGender: 'Gender',
      rankCategory: 'Division',
    });
  });

  it('reads the winners as they finished', () => {
    expect(byBib(boston.plan, '11')).toMatchObject({
      name: 'Kirui, Geoffrey',
      age: 24,
      gender: 'M',
      finishTime: '2:09:37',
      rankOverall: 1,
      rankGender: 1,
      rankCategory: 1,
      status: 'finished',
      extra: { City: 'Keringet', Country: 'KEN', Half: '1:04:35' },
    });
    expect(byBib(boston.plan, 'F3')).toMatchObject({
      name: 'Kiplagat, Edna',
      gender: 'F',
      finishTime: '2:21:52',
      rankOverall: 21,
      rankGender: 1,
    });
    expect(boston.plan.preview).toEqual(recordsOf(boston.plan).slice(0, 10));
    expect(boston.plan.preview[0]?.bib).toBe('11');
  });
});

describe('UTMB 2024 (utmb2024.csv)', () => {
  const utmb = importOnce(env.RESULTS_UTMB_2024);

  it('knows runners by the number of their runnerUri, a participant key and not a bib to print', () => {
    const { plan } = utmb;
    expect(plan.mapping).toEqual({
      participantKey: 'runnerUri',
      name: 'fullname',
      finishTime: 'time',
      rankOverall: 'rank',
      category: 'ageGroup',
      gender: 'gender',
    });
    expect(byKey(plan, 'key:864009')).toMatchObject({
      bib: null,
      name: 'Vincent BOUILLARD',
      finishTime: '19:54:23',
      rankOverall: 1,
      gender: 'M',
      category: '20-34',
      status: 'finished',
      extra: { nationality: 'France', nationalityCode: 'FR' },
    });
    expect(plan.encoding).toBe('utf-8');
    expect(plan.delimiter).toBe(',');
  });

  it('keeps finish times beyond 24 hours', () => {
    expect(byKey(utmb.plan, 'key:1208525')).toMatchObject({
      name: 'Ikuko SHIGA',
      finishTime: '46:45:35',
      rankOverall: 1760,
    });
  });

  it('imports runners without a time as DNF, and rejects the 34 anonymous rows that have no id', () => {
    const { plan } = utmb;
    expect(recordsOf(plan)).toHaveLength(2_761 - 34);
    expect(statusCounts(plan)).toEqual({ finished: 1_739, dnf: 988 });
    expect(byKey(plan, 'key:485740')).toMatchObject({
      name: 'Jim WALMSLEY',
      status: 'dnf',
      finishTime: null,
      rankOverall: null,
    });
    expect(plan.rejected).toHaveLength(34);
    expect(plan.rejected[0]).toEqual({ line: 734, reason: 'participant key is empty (column "runnerUri")' });
    expect(plan.duplicates).toEqual([]);
  });
});

describe('100 Meilen Berlin 2022 (berlin100mi_2022.csv)', () => {
  const berlin = importOnce(env.RESULTS_BERLIN_100MI_2022);

  it('imports all 724 rows of the semicolon-separated UTF-8 export', () => {
    const { plan } = berlin;
    expect(recordsOf(plan)).toHaveLength(724);
    expect(plan.rejected).toEqual([]);
    expect(plan.encoding).toBe('utf-8');
    expect(plan.delimiter).toBe(';');
    expect(plan.headers[0]).toBe('Platz');
    expect(plan.headers).toContain('Zeit2220 (2)');
  });

  it('maps the German headers, "Kategorie" (m or w) to gender and the race ("Wettbewerb": 1er, 4er) to category', () => {
    expect(berlin.plan.mapping).toEqual({
      bib: 'Startnr',
      name: 'Name',
      finishTime: 'Laufzeit',
      rankOverall: 'Platz',
      gender: 'Kategorie',
      category: 'Wettbewerb',
    });
  });

  it('reads ranks like "101." and the DNS, DNF and DSQ markers in "Platz"', () => {
    const { plan } = berlin;
    expect(byBib(plan, '1053')).toMatchObject({ name: 'Team X', rankOverall: 1, finishTime: '11:08:09', gender: null });
    expect(byBib(plan, '175')).toMatchObject({
      name: 'MEIER Christoph (M40 1980)',
      rankOverall: 101,
      finishTime: '18:49:50',
      gender: 'M',
    });
    expect(byBib(plan, '5')).toMatchObject({
      name: 'KUHN Enrico (M35 1984)',
      status: 'dns',
      rankOverall: null,
      finishTime: null,
    });
    expect(byBib(plan, '33')).toMatchObject({ name: 'HÜLLEN Matthias (M50 1971)', status: 'dnf', rankOverall: null });
    expect(byBib(plan, '1051')).toMatchObject({ status: 'dsq', rankOverall: null });
    expect(statusCounts(plan)).toEqual({ finished: 440, dnf: 137, dns: 146, dsq: 1 });
  });
});

describe('a large file read in slices', () => {
  // Parsing gives way to other requests every 2,000 rows; the lines it reports must not shift.
  it('names the right line for a bad row deep in Boston', async () => {
    const lines = new TextDecoder().decode(new Uint8Array(env.RESULTS_BOSTON_2017)).split('\n');
    lines[20_000] = lines[20_000]!.replace(/^[^,]*/, '');
    lines[25_001] = lines[25_001]!.replace(/^[^,]*/, '');
    const plan = await prepareImport(new TextEncoder().encode(lines.join('\n')));
    expect(plan.rejected.map((r) => r.line)).toEqual([20_001, 25_002]);
    expect(plan.records).toHaveLength(26_408);
  });
});

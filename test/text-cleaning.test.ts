import { describe, expect, it } from 'vitest';
import { prepareImport } from '../src/import';
import type { RecordInput } from '../src/records/rules';
import { recordFormSchema, recordSchema } from '../src/records/rules';
import { apiEvent, runner, saveRunners } from './fixtures';

const recordsOf = (plan: { records: { json: string }[] }): RecordInput[] => plan.records.map((r) => JSON.parse(r.json));
const prepare = (text: string) => prepareImport(new TextEncoder().encode(text));

// Bidi overrides and isolates reorder what a certificate shows; a line separator breaks a line.
const disguised = 'Ann\u202Ea Sm\u2066ith\u2028';
// A woman running (ZWJ sequence), and Persian "mikhaham" whose ZWNJ keeps two letters apart.
const joined = 'Zoë 🏃\u200D♀️ Ra\u200Cy';
/** A record as the API's rule receives one, every field present. */
const input = (bib: string, name: string) => ({
  age: null,
  rankGender: null,
  rankCategory: null,
  ...runner(bib, name),
});

describe('cleaning text on the way in', () => {
  it('strips bidi controls, line separators and control characters from every imported value, keeping joiners', async () => {
    const plan = await prepare(
      `Bib,Name,Category,Club\u202E\n1\u2069,"${disguised}",M\u202D35\u2029,"\u2066RC\u0007 Nord"\n2,"${joined}",W,"x\u200Dy\u200Cz"\n`,
    );
    expect(plan.headers).toEqual(['Bib', 'Name', 'Category', 'Club']);
    expect(recordsOf(plan)).toMatchObject([
      { bib: '1', name: 'Anna Smith', category: 'M35', extra: { Club: 'RC Nord' } },
      { bib: '2', name: joined, extra: { Club: 'x\u200Dy\u200Cz' } },
    ]);
  });

  it('keeps at most four combining marks on a letter ("zalgo"), and the marks Vietnamese and Thai need', async () => {
    const zalgo = `Z${'\u0336\u0334\u0321\u035C\u0358\u0359'.repeat(5)}oe`;
    const plan = await prepare(`Bib,Name\n1,${zalgo}\n2,Nguyễn Thị\n3,ณัฐพงษ์\n`);
    const [piled, vietnamese, thai] = recordsOf(plan);
    // Composed (NFC) first, which puts the marks in canonical order, then four are kept.
    expect([...piled!.name]).toHaveLength(1 + 4 + 2);
    expect(piled!.name).toMatch(/^Z[\u0300-\u036F]{4}oe$/);
    expect(vietnamese!.name).toBe('Nguyễn Thị');
    expect(thai!.name).toBe('ณัฐพงษ์');
  });

  it('strips them, rather than refusing the record, by the record rule of the Records tab and the API', () => {
    const form = recordFormSchema.parse({ bib: '7\u202E', name: `\u0007${disguised}`, category: 'W\u2067 40' });
    expect(form).toMatchObject({ bib: '7', name: 'Anna Smith', category: 'W 40' });
    const rule = recordSchema.parse({
      ...input('8', joined),
      category: '\u202AM35\u202C',
      extra: { Club: 'RC\u2028Nord\u0000', Team: 'a\u200Db' },
    });
    expect(rule).toMatchObject({ name: joined, category: 'M35', extra: { Club: 'RC Nord', Team: 'a\u200Db' } });
    // What is left after cleaning must still be there.
    expect(recordSchema.safeParse(input('9', '\u202E\u2066\u0007')).success).toBe(false);
  });

  it('cleans a name sent to the API with PATCH, keeping a joined emoji', async () => {
    const { event, api } = await apiEvent('Bidi Run', 'bidi');
    await saveRunners(event.id, [runner('1', 'Placeholder'), runner('2', 'Placeholder')]);
    const patch = (bib: string, body: unknown) =>
      api(`/records/${bib}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const first = await patch('1', { name: disguised, category: 'M\u202E35' });
    expect(first.status, await first.clone().text()).toBe(200);
    expect(await first.json()).toMatchObject({ name: 'Anna Smith', category: 'M35' });
    const second = await patch('2', { name: joined });
    expect(await second.json()).toMatchObject({ name: joined });
  });
});

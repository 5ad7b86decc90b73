import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { apiEvent, runner, saveRunners } from './fixtures';

// Values papaparse's own escapeFormulae let through: its regex stops at a line break.
const formulas = ['=1+1\nx', '@SUM(A1)\u2028', "+cmd|' /C calc'!A0\r\n", '-2+3\u2029'];

async function exported(browser: Awaited<ReturnType<typeof apiEvent>>['browser'], eventId: number) {
  const res = await browser.get(`/admin/events/${eventId}/records.csv`);
  expect(res.status).toBe(200);
  return Papa.parse<string[]>((await res.text()).replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
}

describe('the records CSV export', () => {
  it('quotes every cell a spreadsheet would run as a formula, line breaks and all', async () => {
    const { browser, event } = await apiEvent('Formula Run', 'formula');
    // Stored as older imports could leave them, past today's cleaning.
    await saveRunners(
      event.id,
      formulas.map((name, i) =>
        runner(String(i + 1), name, { extra: { [`=col${i}`]: formulas[(i + 1) % formulas.length]!, Club: '\tTab' } }),
      ),
    );
    const [header, ...rows] = await exported(browser, event.id);
    const cells = rows.flat();
    for (const formula of formulas) expect(cells.filter((c) => c === `'${formula}`)).toHaveLength(2);
    expect(header).toEqual(expect.arrayContaining(formulas.map((_, i) => `'=col${i}`)));
    expect(cells).toContain("'\tTab");
    for (const cell of [...header!, ...cells]) expect(cell, JSON.stringify(cell)).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('keeps fixed columns over imported columns of the same name, and reads no inherited keys', async () => {
    const { browser, event, api } = await apiEvent('Clash Run', 'clash');
    const file =
      'Bib,Name,hidden,certificateUrl,__proto__,constructor,toString\n' +
      '1,Ana,yes,https://evil.example/,{"polluted":1},ctor,str\n';
    const res = await api('/imports', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: file });
    expect(res.status, await res.clone().text()).toBe(200);
    await saveRunners(event.id, [runner('2', 'Ben')]);

    const [header, ...rows] = await exported(browser, event.id);
    const byColumn = rows.map((row) => Object.fromEntries(header!.map((h, i) => [h, row[i]])));
    const ana = byColumn.find((r) => r.bib === '1')!;
    const ben = byColumn.find((r) => r.bib === '2')!;
    expect(ana).toMatchObject({
      name: 'Ana',
      hidden: 'no',
      certificateUrl: expect.stringMatching(new RegExp(`/events/${event.slug}/certificates/`)),
      'hidden (from file)': 'yes',
      'certificateUrl (from file)': 'https://evil.example/',
      __proto__: '{"polluted":1}',
      constructor: 'ctor',
      toString: 'str',
    });
    // A record without those columns exports them empty, not Object.prototype's functions.
    expect(ben).toMatchObject({ hidden: 'no', constructor: '', toString: '', __proto__: '' });
    expect(header!.filter((h) => h === 'hidden')).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { records } from '../src/db/schema';
import { ImportError, prepareImport } from '../src/import';
import { readFinishTime } from '../src/import/values';
import { certificateTexts } from '../src/render/certificate';
import { layoutSchema } from '../src/render/layout';
import { renderSvg } from '../src/render/pipeline';
import { apiEvent, db } from './fixtures';

const utf8 = (text: string) => new TextEncoder().encode(text);
const spaces = ' '.repeat(64 * 1024);

/** How long `run` takes, in ms (the test worker's clock moves during synchronous code). */
function timed(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

const nameOnly = layoutSchema.parse({
  schema: 1,
  page: { width: 1200, height: 200 },
  background: { colour: '#ffffff' },
  elements: [{ type: 'text', x: 0, y: 0, width: 1200, height: 200, text: '{name}', font: { size: 80, weight: 700 } }],
});

async function refusal(text: string): Promise<ImportError> {
  const error = await prepareImport(utf8(text)).catch((e: unknown) => e);
  if (error instanceof ImportError) return error;
  throw new Error(`not refused: ${String(error)}`);
}

describe('imports and renders that cannot run away', () => {
  it('reads a finish time from 64 KB of spaces in linear time', () => {
    for (const value of [`1h1${spaces}x`, `1h1m${spaces}x`, `1h${spaces}1${spaces}x`, `${spaces}x`]) {
      let result: string | null | undefined;
      expect(timed(() => (result = readFinishTime(value)))).toBeLessThan(100);
      expect(result).toBeUndefined();
    }
    expect(readFinishTime("2h 09' 37''")).toBe('2:09:37');
    expect(readFinishTime('2h09')).toBe('2:09:00');
    expect(readFinishTime('2 h 09 min 37 s')).toBe('2:09:37');
  });

  it('drops separators left at the ends of a share image’s text in linear time', () => {
    for (const name of [`${spaces}x`, `x ·${spaces}x`, `${' ·'.repeat(32 * 1024)} x`]) {
      expect(timed(() => certificateTexts(nameOnly, { name }))).toBeLessThan(100);
    }
    const texts = (name: string) => certificateTexts(nameOnly, { name }).map((t) => t.text);
    expect(texts(' · Riverside · Hamburg · ')).toEqual(['Riverside · Hamburg']);
    expect(texts('· ·')).toEqual([]);
  });

  it('sets a 1,000-character name, one word or a thousand, in well under a second', async () => {
    const layout = layoutSchema.parse({
      schema: 1,
      page: { width: 1200, height: 300 },
      background: { colour: '#ffffff' },
      elements: [
        { type: 'text', x: 0, y: 0, width: 1200, height: 300, text: '{name}', font: { size: 80 }, maxLines: 3 },
      ],
    });
    for (const name of ['\u0915\u094D'.repeat(500), 'a '.repeat(500), '山'.repeat(1000), 'ก'.repeat(1000)]) {
      const started = performance.now();
      await renderSvg(layout, { name }, env);
      expect(performance.now() - started, name.slice(0, 10)).toBeLessThan(1000);
    }
  });

  it('rejects a row with a cell over 1,000 characters, naming its column and line', async () => {
    const long = 'x'.repeat(1001);
    const plan = await prepareImport(utf8(`Bib,Name,Club\n1,Ana,${'y'.repeat(1000)}\n2,Ben,${long}\n3,Cy,RC\n`));
    expect(plan.records).toHaveLength(2);
    expect(plan.rejected).toEqual([
      { line: 3, reason: 'the value in column "Club" has 1,001 characters; a value may have at most 1,000' },
    ]);
  });

  it('refuses a header over 1,000 characters, and more than 200 extra columns, with a 400', async () => {
    expect(await refusal(`Bib,Name,${'h'.repeat(1001)}\n1,Ana,x\n`)).toMatchObject({
      status: 400,
      message: expect.stringMatching(/column 3 .*1,001 characters/),
    });
    const headers = (n: number) => ['Bib', 'Name', ...Array.from({ length: n }, (_, i) => `Extra ${i}`)].join(',');
    expect((await prepareImport(utf8(`${headers(200)}\n1,Ana\n`))).records).toHaveLength(1);
    expect(await refusal(`${headers(201)}\n1,Ana\n`)).toMatchObject({
      status: 400,
      message: expect.stringMatching(/201 columns .* at most 200/),
    });
  });

  it('refuses a file with a 5 MB cell with a 413, in a row or the header, writing nothing', async () => {
    const { api, event } = await apiEvent('Huge Cell Run', 'huge');
    const post = (body: string) => api('/imports', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body });
    const huge = 'z'.repeat(5 * 1024 * 1024);
    for (const [body, line] of [
      [`Bib,Name,Club\n1,Ana,RC\n2,Ben,"${huge}"\n`, 3],
      [`Bib,Name,"${huge}"\n1,Ana,RC\n`, 1],
    ] as const) {
      const res = await post(body);
      expect(res.status).toBe(413);
      expect((await res.json<{ error: string }>()).error).toBe(
        `Line ${line} holds one value of 5.0 MB: this is not a results table.`,
      );
    }
    expect(await db.select().from(records).where(eq(records.eventId, event.id))).toEqual([]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyText } from './awkward-text';
import { apiEvent } from './fixtures';

// Property-based: whatever a timing system or a spreadsheet puts in a results file, the organiser
// API's import answers a clean 4xx or a report, never a 500, and in bounded time.

/** A cell as a spreadsheet writes it: quoted when it has to be. */
const quoted = (cell: string) => (/[",;\t\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

const TIME_LIMIT_MS = 15_000;

/** The import's answer, or a failure if it takes longer than a hang would. */
async function imported(upload: () => Promise<Response>): Promise<{ status: number; body: Record<string, unknown> }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${TIME_LIMIT_MS} ms`)), TIME_LIMIT_MS);
  });
  try {
    const res = await Promise.race([upload(), hang]);
    const text = await res.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${res.status}, not JSON: ${text.slice(0, 200)}`);
    }
    return { status: res.status, body };
  } finally {
    clearTimeout(timer);
  }
}

/** A clean refusal with a message, or a report of what was imported and what was not. */
function expectCleanAnswer({ status, body }: { status: number; body: Record<string, unknown> }) {
  expect(status, JSON.stringify(body).slice(0, 300)).toBeLessThan(500);
  if (status >= 400) {
    expect(typeof body.error).toBe('string');
    expect((body.error as string).length).toBeGreaterThan(0);
    return;
  }
  expect(status).toBe(200);
  for (const count of ['added', 'updated', 'unchanged']) expect(Number.isInteger(body[count]), count).toBe(true);
  expect(Array.isArray(body.rejected)).toBe(true);
}

async function importer() {
  const { api } = await apiEvent('Property Run', 'prop');
  return (body: BodyInit) => () => api('/imports', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body });
}

const runs = { numRuns: 30 };

describe('importing any results file', () => {
  it('takes any name or cell content, quoted as a spreadsheet would, with a report or a clean 4xx', async () => {
    const upload = await importer();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(anyText, anyText), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(',', ';', '\t'),
        async (rows, separator) => {
          const lines = rows.map(([name, category], i) => [String(i + 1), name, category, '3:05:09'].map(quoted));
          const csv = [['Bib', 'Name', 'Category', 'Time'], ...lines].map((l) => l.join(separator)).join('\r\n');
          expectCleanAnswer(await imported(upload(csv)));
        },
      ),
      runs,
    );
  });

  it('takes any text pasted raw between separators, header included', async () => {
    const upload = await importer();
    await fc.assert(
      fc.asyncProperty(anyText, anyText, anyText, async (header, name, cell) => {
        const csv = `Bib,Name,${header}\n1,${name},${cell}\n2,Ann,x\n`;
        expectCleanAnswer(await imported(upload(csv)));
      }),
      runs,
    );
  });

  it('takes any bytes', async () => {
    const upload = await importer();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 4096 }),
          // A real header, then bytes: the encoding sniffing and the parser get past the first line.
          fc
            .uint8Array({ minLength: 1, maxLength: 4096 })
            .map((tail) => new Uint8Array([...new TextEncoder().encode('Bib,Name,Time\n1,'), ...tail])),
        ),
        async (bytes) => expectCleanAnswer(await imported(upload(bytes))),
      ),
      runs,
    );
  });
});

import { env } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { records } from '../src/db/schema';
import { apiEvent, db } from './fixtures';

// Results apply in the order they were sent. A timing system posts its full export, and 100 ms
// later a one-line correction; the export's upload takes longer than that, as a file of
// hundreds of kilobytes does over a real network. The correction must stand.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A request body that arrives in two parts, the second `delayMs` after the first. */
function slowUpload(bytes: Uint8Array, delayMs: number): ReadableStream<Uint8Array> {
  const half = Math.floor(bytes.length / 2);
  return new ReadableStream({
    async start(controller) {
      controller.enqueue(bytes.slice(0, half));
      await sleep(delayMs);
      controller.enqueue(bytes.slice(half));
      controller.close();
    },
  });
}

describe('the order imports apply in', () => {
  it('always ends with the correction posted 100 ms after a full export (20 times)', async () => {
    const { event, api } = await apiEvent('Berlin 100 Meilen', 'order');
    const post = (body: BodyInit) => api('/imports', { method: 'POST', body });

    const full = new Uint8Array(env.RESULTS_BERLIN_100MI_2022);
    const [header, first] = new TextDecoder().decode(full).split('\n');
    const cells = first!.split(';');
    const bib = cells[1]!;
    expect((await post(full)).status).toBe(200);

    for (let round = 1; round <= 20; round++) {
      const corrected = [...cells.slice(0, 2), `Corrected Runner${round}`, ...cells.slice(3)].join(';');
      const sentFirst = post(slowUpload(full, 300));
      await sleep(100);
      const correction = post(`${header}\n${corrected}\n`);
      const [a, b] = await Promise.all([sentFirst, correction]);
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      const [row] = await db
        .select({ name: records.name })
        .from(records)
        .where(and(eq(records.eventId, event.id), eq(records.bib, bib)));
      expect(row!.name, `round ${round}`).toBe(`Corrected Runner${round}`);
    }
  }, 120_000);
});

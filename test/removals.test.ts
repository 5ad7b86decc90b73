import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { records } from '../src/db/schema';
import { apiEvent, db } from './fixtures';

// Removals are deliberate and reversible: a broken file removes nobody, and whoever is removed
// can come back with the same certificate link.

const berlin = () => new Uint8Array(env.RESULTS_BERLIN_100MI_2022);

async function berlinEvent() {
  const { event, browser, api } = await apiEvent('Berlin 100 Meilen', 'removals');
  const post = (path: string, body?: BodyInit) => api(path, { method: 'POST', body });
  const importFile = async (body: BodyInit) => {
    const res = await post('/imports?removeMissing=true', body);
    expect(res.status).toBe(200);
    return res.json<{
      importId: number;
      added: number;
      removed: number;
      heldRemovals: { reason: string; bibs: string[]; confirm: string } | null;
    }>();
  };
  const certificateIds = async () =>
    new Map(
      (await db.select().from(records).where(eq(records.eventId, event.id))).map((r) => [r.bib, r.certificateId]),
    );
  return { event, browser, post, importFile, certificateIds };
}

describe('removals', () => {
  it('removes nobody for a file whose rows were all rejected, and says what it kept', async () => {
    const { importFile, certificateIds } = await berlinEvent();
    const first = await importFile(berlin());
    const before = await certificateIds();
    expect(before.size).toBe(first.added);

    // The same header, and rows that all fail (no name): a broken export.
    const header = new TextDecoder().decode(berlin()).split('\n')[0]!;
    const broken = `${header}\n${Array.from({ length: 50 }, (_, i) => `;${i + 1};;GER`).join('\n')}\n`;
    const report = await importFile(broken);
    expect(report.removed).toBe(0);
    expect(report.heldRemovals?.reason).toMatch(/could not be read/);
    expect(report.heldRemovals?.bibs).toHaveLength(before.size);
    expect(await certificateIds()).toEqual(before);
  });

  it('removes nobody for a half-written file until the organiser confirms, and then only restorably', async () => {
    const { event, browser, importFile, certificateIds, post } = await berlinEvent();
    await importFile(berlin());
    const before = await certificateIds();
    const half = berlin().slice(0, Math.floor(berlin().length / 2));
    const report = await importFile(half);
    expect(report.removed).toBe(0);
    const held = report.heldRemovals!;
    expect(held.bibs.length).toBeGreaterThan(before.size / 4);
    expect(await certificateIds()).toEqual(before);

    // The Records tab shows what waits, and the API's confirm step carries it out.
    const tab = await (await browser.get(`/admin/events/${event.id}/records`)).text();
    expect(tab).toContain(`${held.bibs.length} records are no longer in the file`);
    // Named as the organiser knows them: Berlin's runners by their bib.
    expect(tab).toContain(`: bib ${held.bibs[0]}, bib ${held.bibs[1]}`);
    // On the public address, as every absolute link.
    expect(held.confirm).toBe(
      `${env.PUBLIC_URL}/api/v1/events/${event.slug}/imports/${report.importId}/confirm-removals`,
    );
    const confirmed = await post(`/imports/${report.importId}/confirm-removals`);
    expect(await confirmed.json()).toEqual({ removed: held.bibs.length });
    expect((await certificateIds()).size).toBe(before.size - held.bibs.length);
    expect((await post(`/imports/${report.importId}/confirm-removals`)).status).toBe(404);

    // The whole file again: everyone is back, with the certificate id they had.
    const again = await importFile(berlin());
    expect(again.added).toBe(held.bibs.length);
    expect(await certificateIds()).toEqual(before);
  });

  it('lists records removed by hand on the Records tab, and restores them with their link', async () => {
    const { event, browser, importFile, certificateIds } = await berlinEvent();
    await importFile(berlin());
    const before = await certificateIds();
    const [record] = await db.select().from(records).where(eq(records.eventId, event.id)).limit(1);
    expect((await browser.post(`/admin/events/${event.id}/records/${record!.id}/delete`)).status).toBe(303);
    expect((await certificateIds()).has(record!.bib)).toBe(false);

    const tab = await (await browser.get(`/admin/events/${event.id}/records`)).text();
    expect(tab).toContain('Removed records');
    const restore = tab.match(/action="([^"]+\/restore)"/)![1]!;
    expect((await browser.post(restore)).status).toBe(303);
    expect(await certificateIds()).toEqual(before);
    expect(await (await browser.get(`/admin/events/${event.id}/records`)).text()).not.toContain('Removed records');
  });

  it('removes at once what a small, clean change of the file takes out, restorably', async () => {
    const { importFile, certificateIds } = await berlinEvent();
    await importFile(berlin());
    const before = await certificateIds();
    const lines = new TextDecoder().decode(berlin()).split('\n');
    // One runner fewer: well under 5 % of the field.
    const report = await importFile([lines[0], ...lines.slice(2)].join('\n'));
    expect(report).toMatchObject({ removed: 1, heldRemovals: null });
    expect((await certificateIds()).size).toBe(before.size - 1);
    await importFile(berlin());
    expect(await certificateIds()).toEqual(before);
  });
});

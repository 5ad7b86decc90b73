import { createScheduledController, env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { records, sources } from '../src/db/schema';
import { syncSource } from '../src/sources/sync';
import { apiEvent, db } from './fixtures';

const timing = env.TIMING_SYSTEM_URL;
const put = (path: string, body: string) => fetch(`${timing}${path}`, { method: 'PUT', body });

/** An organiser's event with a URL source pulled once from the stand-in timing system (1 record). */
async function pulledEvent() {
  const { event, browser } = await apiEvent('Pulled', 'pulled');
  const path = `/files/${crypto.randomUUID()}.csv`;
  await put(path, 'Bib,Name\n1,Ola Nordmann\n');
  const added = await browser.post(`/admin/events/${event.id}/sources`, {
    kind: 'url',
    name: 'Live',
    url: timing + path,
  });
  expect(added.status).toBe(303);
  const [source] = await db.select().from(sources).where(eq(sources.eventId, event.id));
  const sync = () => browser.post(`/admin/events/${event.id}/sources/${source!.id}/sync`);
  expect((await sync()).status).toBe(200);
  /** Points the stored source elsewhere, as an old row or a changed server could. */
  const pointAt = (url: string) => db.update(sources).set({ url }).where(eq(sources.id, source!.id));
  const names = async () => (await db.select().from(records).where(eq(records.eventId, event.id))).map((r) => r.name);
  const lastError = async () => (await db.select().from(sources).where(eq(sources.id, source!.id)))[0]!.lastSyncError;
  return { event, browser, source: source!, sync, pointAt, names, lastError, path };
}

// Every spelling of an address the portal must not reach, and why.
const refused: [string, RegExp][] = [
  ['http://localhost/results.csv', /not on the public internet/],
  ['http://localhost./results.csv', /not on the public internet/],
  ['http://app.localhost/results.csv', /not on the public internet/],
  ['http://127.0.0.1/results.csv', /not on the public internet/],
  ['http://127.1/results.csv', /not on the public internet/],
  ['http://2130706433/results.csv', /not on the public internet/],
  ['http://0x7f000001/results.csv', /not on the public internet/],
  ['http://0177.0.0.1/results.csv', /not on the public internet/],
  ['http://0.0.0.0/results.csv', /not on the public internet/],
  ['http://10.1.2.3/results.csv', /not on the public internet/],
  ['http://172.16.5.4/results.csv', /not on the public internet/],
  ['http://192.168.178.1/results.csv', /not on the public internet/],
  ['http://169.254.169.254/latest/meta-data/', /not on the public internet/],
  ['http://100.64.0.1/results.csv', /not on the public internet/],
  ['http://198.18.0.1/results.csv', /not on the public internet/],
  ['http://224.0.0.251/results.csv', /not on the public internet/],
  ['http://255.255.255.255/results.csv', /not on the public internet/],
  ['http://[::1]/results.csv', /not on the public internet/],
  ['http://[::]/results.csv', /not on the public internet/],
  ['http://[::ffff:127.0.0.1]/results.csv', /not on the public internet/],
  ['http://[0:0:0:0:0:ffff:a9fe:a9fe]/results.csv', /not on the public internet/],
  ['http://[64:ff9b::169.254.169.254]/results.csv', /not on the public internet/],
  ['http://[fe80::1]/results.csv', /not on the public internet/],
  ['http://[fd00:ec2::254]/results.csv', /not on the public internet/],
  ['http://[ff02::1]/results.csv', /not on the public internet/],
  ['http://[2001:db8::1]/results.csv', /not on the public internet/],
  ['http://[2002:7f00:1::]/results.csv', /not on the public internet/],
  ['http://intranet/results.csv', /not on the public internet/],
  ['http://timing.local/results.csv', /not on the public internet/],
  ['http://metadata.google.internal/computeMetadata/v1/', /not on the public internet/],
  ['https://admin:hunter2@timing.example.com/results.csv', /user name and password/],
  ['https://timing.example.com:8443/results.csv', /standard web ports/],
  ['http://127.0.0.1:1/results.csv', /public internet|standard web ports/],
  ['ftp://timing.example.com/results.csv', /http and https/],
  ['file:///etc/passwd', /http and https/],
  ['not an address', /full address/],
];

describe('where URL sources may pull from', () => {
  it('refuses to save an address on this machine, a private network or with credentials, in every spelling', async () => {
    const { event, browser } = await apiEvent('Addresses', 'addresses');
    for (const [url, reason] of refused) {
      const res = await browser.post(`/admin/events/${event.id}/sources`, { kind: 'url', name: 'Live', url });
      expect([url, res.status]).toEqual([url, 400]);
      expect([url, await res.text()]).toEqual([url, expect.stringMatching(reason)]);
    }
    expect(await db.select().from(sources).where(eq(sources.eventId, event.id))).toEqual([]);
    for (const url of [
      'https://timing.example.com/results.csv',
      'http://93.184.216.34/results.csv',
      'https://[2606:4700:4700::1111]/results.csv',
      'https://timing.example.com:443/results.csv',
    ]) {
      const res = await browser.post(`/admin/events/${event.id}/sources`, { kind: 'url', name: 'Live', url });
      expect([url, res.status]).toEqual([url, 303]);
    }
  });

  it('checks the stored address again at every pull, keeping the records', async () => {
    const { sync, pointAt, names, lastError } = await pulledEvent();
    for (const [url, reason] of refused.slice(0, 14)) {
      await pointAt(url);
      const res = await sync();
      expect([url, res.status]).toEqual([url, 400]);
      expect(await lastError()).toMatch(reason);
      expect(await names()).toEqual(['Ola Nordmann']);
    }
  });

  it('checks every redirect, and follows at most three', async () => {
    const { sync, pointAt, names, lastError, path } = await pulledEvent();
    await put(path, 'Bib,Name\n1,Ola Nordmann\n2,Kari Nordmann\n');
    await pointAt(`${timing}/hops/3${path}`);
    expect((await sync()).status).toBe(200);
    expect((await names()).sort()).toEqual(['Kari Nordmann', 'Ola Nordmann']);

    await put(path, 'Bib,Name\n3,Per Hansen\n');
    for (const [url, reason] of [
      [`${timing}/hops/4${path}`, /redirects more than 3 times/],
      [
        `${timing}/redirect?to=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`,
        /redirects elsewhere.*public internet/,
      ],
      [`${timing}/redirect?to=${encodeURIComponent('http://127.0.0.1:9/results.csv')}`, /redirects elsewhere/],
      [`${timing}/redirect?to=${encodeURIComponent('http://[::ffff:10.0.0.1]/x.csv')}`, /redirects elsewhere/],
    ] as const) {
      await pointAt(url);
      expect((await sync()).status).toBe(400);
      expect([url, await lastError()]).toEqual([url, expect.stringMatching(reason)]);
    }
    expect((await names()).sort()).toEqual(['Kari Nordmann', 'Ola Nordmann']);
  });

  it('stops reading an endless body at 20 MB', async () => {
    const { sync, pointAt, names, lastError } = await pulledEvent();
    await pointAt(`${timing}/endless`);
    const res = await sync();
    expect(res.status).toBe(413);
    expect(await lastError()).toMatch(/larger than 20 MB/);
    // The stand-in stops when the portal hangs up: far less than the 200 MB it would send.
    const sent = Number(await (await fetch(`${timing}/endless-sent`)).text());
    expect(sent).toBeLessThan(60_000_000);
    expect(await names()).toEqual(['Ola Nordmann']);
  });

  it('gives up on a server that trickles, within the time limit', async () => {
    const { event, source, names } = await pulledEvent();
    const [stored] = await db.select().from(sources).where(eq(sources.id, source.id));
    const started = Date.now();
    await expect(
      syncSource(db, event, { ...stored!, url: `${timing}/trickle` }, { localOrigins: timing, timeoutMs: 1500 }),
    ).rejects.toThrow(/took longer than 1.5 s/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await names()).toEqual(['Ola Nordmann']);
  });

  it('never shows what a pulled file held in its error', async () => {
    const { sync, pointAt, names, lastError } = await pulledEvent();
    const secrets = `/files/${crypto.randomUUID()}.env`;
    await put(secrets, 'DB_PASSWORD=hunter2\nAPI_KEY=sk_live_123\n');
    await pointAt(timing + secrets);
    const res = await sync();
    expect(res.status).toBe(400);
    const page = await res.text();
    for (const shown of [page, (await lastError()) ?? '']) {
      expect(shown).not.toMatch(/hunter2|DB_PASSWORD|sk_live/);
    }
    expect(await lastError()).toMatch(/not a results table/);
    expect(await names()).toEqual(['Ola Nordmann']);
  });

  it("pulls organisers' sources side by side on the cron, so one slow server delays no one else", async () => {
    const slow = await pulledEvent();
    const fast = await pulledEvent();
    await put(slow.path, 'Bib,Name\n1,Ola Nordmann\n2,Slow Runner\n');
    await put(fast.path, 'Bib,Name\n1,Ola Nordmann\n2,Fast Runner\n');
    await slow.pointAt(`${timing}/slow/4000${slow.path}`);
    const started = Date.now();
    const cron = worker.scheduled(createScheduledController({ scheduledTime: started, cron: '*/15 * * * *' }), env);
    for (let waited = 0; waited < 3000 && !(await fast.names()).includes('Fast Runner'); waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await fast.names()).toContain('Fast Runner');
    expect(Date.now() - started).toBeLessThan(3000);
    await cron;
    expect(await slow.names()).toContain('Slow Runner');
  });
});

/**
 * The Cron Trigger's pull of URL sources, run by hand in `wrangler dev` as the README says: an
 * organiser's URL source points at a stand-in timing system, `GET /__scheduled` runs the worker's
 * scheduled handler, and the records arrive. No browser: the admin forms are posted with fetch.
 *
 * `/__scheduled` exists only with `wrangler dev --test-scheduled` (which `npm run dev` passes).
 * Wrangler's own `/cdn-cgi/handler/scheduled` answers `500 exception` for a worker with static
 * assets: miniflare sends the event to the assets router, which has no scheduled handler.
 *
 * Runs against its own `wrangler dev` on 127.0.0.1:8789 over a fresh state directory.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTimingSystem } from '../timing-system';
import { prepareState, startServer, statePaths, waitForPortFree, type Server } from './server';

const PORT = 8789;
const ORGANISER = { email: 'cron@example.com', password: 'cron-password-123' };

const work = mkdtempSync(join(tmpdir(), 'certify-cron-'));
const paths = statePaths(work);
let server: Server | undefined;
let failed = false;

/** Signs in through the form; returns fetch helpers that carry the session and, on posts, the CSRF token. */
async function signIn(base: string) {
  const res = await fetch(`${base}/admin/sign-in`, {
    method: 'POST',
    headers: { Origin: base },
    body: new URLSearchParams(ORGANISER),
    redirect: 'manual',
  });
  assert.equal(res.status, 303, 'the organiser signs in');
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const get = (path: string) => fetch(base + path, { headers: { Cookie: cookie }, redirect: 'manual' });
  const csrf = (await (await get('/admin')).text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
  const post = (path: string, form: Record<string, string>) =>
    fetch(base + path, {
      method: 'POST',
      headers: { Cookie: cookie, Origin: base },
      body: new URLSearchParams({ _csrf: csrf, ...form }),
      redirect: 'manual',
    });
  return { get, post };
}

describe('the scheduled pull, triggered by hand in wrangler dev', () => {
  let timing: string;

  before(
    async () => {
      timing = await startTimingSystem();
      prepareState(paths.state, ORGANISER);
      server = await startServer({
        port: PORT,
        stateDir: paths.state,
        logPath: paths.log,
        vars: { LOCAL_SOURCE_ORIGINS: timing },
      });
    },
    { timeout: 150_000 },
  );

  after(
    async () => {
      server?.stop();
      await waitForPortFree(PORT);
      if (server && !failed) rmSync(work, { recursive: true, force: true });
      else console.log(`# server log kept in ${paths.log}`);
    },
    { timeout: 30_000 },
  );

  test('npm run dev lets the cron be run by hand', () => {
    const { scripts } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.match(scripts.dev, /wrangler dev\b.*--test-scheduled/);
  });

  test('GET /__scheduled pulls every URL source', { timeout: 60_000 }, async (t) => {
    try {
      const base = server!.baseUrl;
      const admin = await signIn(base);
      const created = await admin.post('/admin/events', { name: 'Cron Trail', slug: 'cron-trail' });
      assert.equal(created.status, 303, 'the event is created');
      const eventPath = created.headers.get('location')!.replace(/\/setup$/, '');
      const file = `/files/${crypto.randomUUID()}.csv`;
      await fetch(timing + file, { method: 'PUT', body: 'Bib,Name,Time\n11,Aino Virtanen,2:01:00\n' });
      const source = await admin.post(`${eventPath}/sources`, { kind: 'url', name: 'Live', url: timing + file });
      assert.equal(source.status, 303, 'the URL source is saved');

      const ran = await fetch(`${base}/__scheduled?cron=${encodeURIComponent('*/15 * * * *')}`);
      assert.equal(ran.status, 200, `/__scheduled answers ${ran.status}: …${(await ran.text()).slice(-300)}`);
      const records = await (await admin.get(`${eventPath}/records`)).text();
      assert.match(records, /Aino Virtanen/, 'the pulled record is listed');
    } catch (error) {
      failed = true;
      if (server) t.diagnostic(`wrangler dev log tail (${server.logPath}):\n${server.logTail(25)}`);
      throw error;
    }
  });
});

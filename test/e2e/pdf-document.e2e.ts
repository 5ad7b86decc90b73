/**
 * The certificate PDF read by Poppler, as a reader, a search engine or a print shop would: its
 * text (pdftotext) in Latin, Cyrillic, Arabic and Devanagari names, what it says about itself
 * (pdfinfo), and its fonts (pdffonts). No browser: the event is made through the organiser API.
 *
 * Needs poppler-utils (installed by .ci/run where missing). Runs against its own `wrangler dev`
 * on 127.0.0.1:8792 over a fresh state directory.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { prepareState, startServer, statePaths, waitForPortFree, type Server } from './server';

const PORT = 8792;
const ORGANISER = { email: 'pdf@example.com', password: 'pdf-password-123' };
const SLUG = 'lakeside-pdf';

const work = mkdtempSync(join(tmpdir(), 'certify-pdf-'));
const paths = statePaths(work);
let server: Server | undefined;
let failed = false;

const runners = [
  { bib: '101', name: 'Paula Radcliffe', time: '2:15:25' },
  { bib: '102', name: 'Дмитрий Иванов', time: '2:48:03' },
  { bib: '103', name: 'Γιώργος Παπαδόπουλος', time: '3:01:44' },
  { bib: '104', name: 'محمد عبد الله', time: '3:12:09' },
  { bib: '105', name: 'अमित कुमार', time: '3:27:51' },
];

/** Signs in, makes an API token on the tokens page, and returns a caller of the organiser API. */
async function organiserApi(base: string) {
  const signedIn = await fetch(`${base}/admin/sign-in`, {
    method: 'POST',
    headers: { Origin: base },
    body: new URLSearchParams(ORGANISER),
    redirect: 'manual',
  });
  assert.equal(signedIn.status, 303, 'the organiser signs in');
  const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
  const admin = await (await fetch(`${base}/admin`, { headers: { Cookie: cookie } })).text();
  const csrf = admin.match(/name="_csrf" value="([^"]+)"/)![1]!;
  const tokens = await fetch(`${base}/admin/tokens`, {
    method: 'POST',
    headers: { Cookie: cookie, Origin: base },
    body: new URLSearchParams({ _csrf: csrf, name: 'PDF check' }),
  });
  const token = (await tokens.text()).match(/<code data-token[^>]*>([^<]+)<\/code>/)![1]!;
  return async (path: string, init: { method?: string; body?: string; type?: string } = {}) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': init.type ?? 'application/json' },
      body: init.body,
    });
    const text = await res.text();
    assert.ok(res.ok, `${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
    return JSON.parse(text);
  };
}

const poppler = (tool: string, ...args: string[]) => execFileSync(tool, args, { encoding: 'utf8' });

describe('the certificate PDF, read by Poppler', () => {
  /** Each runner's PDF, saved as a file, by bib. */
  const pdfs = new Map<string, string>();

  before(
    async () => {
      prepareState(paths.state, ORGANISER);
      server = await startServer({ port: PORT, stateDir: paths.state, logPath: paths.log });
      const base = server.baseUrl;
      const api = await organiserApi(base);
      await api('/events', {
        method: 'POST',
        body: JSON.stringify({
          name: 'Lakeside Marathon',
          slug: SLUG,
          date: '2026-04-19',
          template: 'classic-finisher',
        }),
      });
      const csv = `Bib,Name,Time\n${runners.map((r) => `${r.bib},${r.name},${r.time}`).join('\n')}\n`;
      await api(`/events/${SLUG}/imports`, { method: 'POST', body: csv, type: 'text/csv' });
      await api(`/events/${SLUG}/publish`, { method: 'POST' });
      for (const { bib } of runners) {
        const { results } = await api(`/events/${SLUG}/search?q=${bib}`);
        // The links name the public address; this server answers on its own.
        const { pathname } = new URL(results[0].formats.pdf);
        const res = await fetch(base + pathname);
        assert.equal(res.status, 200, `the PDF of bib ${bib}`);
        assert.equal(res.headers.get('content-type'), 'application/pdf');
        const file = join(work, `${bib}.pdf`);
        writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
        pdfs.set(bib, file);
      }
    },
    { timeout: 180_000 },
  );

  after(
    async () => {
      server?.stop();
      await waitForPortFree(PORT);
      if (server && !failed) rmSync(work, { recursive: true, force: true });
      else console.log(`# server log and PDFs kept in ${work}`);
    },
    { timeout: 30_000 },
  );

  const check = (name: string, fn: () => void) =>
    test(name, () => {
      try {
        fn();
      } catch (error) {
        failed = true;
        if (server) console.log(server.logTail());
        throw error;
      }
    });

  for (const { bib, name, time } of runners) {
    check(`has the name and time of ${name} as text`, () => {
      const text = poppler('pdftotext', '-enc', 'UTF-8', pdfs.get(bib)!, '-');
      assert.ok(text.includes(name), `the name is in the text:\n${text}`);
      assert.ok(text.includes(time), `the time is in the text:\n${text}`);
      assert.ok(text.includes('Lakeside Marathon'), `the event is in the text:\n${text}`);
    });
  }

  check('says what it is: title, author, subject, keywords, creation date, A4', () => {
    const info = Object.fromEntries(
      poppler('pdfinfo', '-isodates', pdfs.get('102')!)
        .trimEnd()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
    );
    assert.equal(info.Title, 'Дмитрий Иванов · Lakeside Marathon');
    assert.equal(info.Author, 'Lakeside Marathon');
    assert.equal(info.Subject, 'Finisher certificate');
    assert.equal(info.Keywords, 'Lakeside Marathon, Дмитрий Иванов, bib 102');
    // The day the record was issued (imported, here: today), not the start of 1970.
    assert.equal(info.CreationDate, `${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    assert.equal(info.Pages, '1');
    assert.match(info['Page size'] ?? '', /^841\.89 x 595\.28 pts \(A4\)/);
  });

  check('embeds its fonts as subsets, with a map back to the text', () => {
    for (const bib of ['101', '104', '105']) {
      const rows = poppler('pdffonts', pdfs.get(bib)!).trimEnd().split('\n').slice(2);
      assert.ok(rows.length > 0, `bib ${bib} has fonts`);
      for (const row of rows) {
        // name, type (two words), encoding, emb, sub, uni, object, generation
        const [fontName, , , , emb, sub, uni] = row.trim().split(/\s+/);
        assert.match(fontName!, /^[A-Z]{6}\+Noto/, row);
        assert.deepEqual([emb, sub, uni], ['yes', 'yes', 'yes'], row);
      }
    }
  });
});

/**
 * `npx tsx scripts/bench-export.ts [--bibs 1-4000] [--print 1-1000]`: downloads of Boston 2017's
 * certificates (src/publish/exports.ts) against a `wrangler dev` of their own, with state in
 * bench-data/export-state so other local work is left alone. Imports Boston through the organiser
 * API, publishes it without pre-rendering, signs in as its organiser and asks the Downloads form
 * for: ZIPs of PNG for a bib range with nothing in R2 (every certificate rendered by the export),
 * the same again once they are all in R2 (what an export after a publish costs), and a print PDF
 * of another range. Reports, per file, when it was ready and the peak resident memory of this
 * server's workerd while it was written (the whole process: local D1 and R2 too, not one isolate).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, openSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { hashPassword } from '../src/auth/password';
import { newApiToken } from '../src/auth/tokens';
import { builtInTemplates } from '../templates';
import { runD1, sqlText } from './d1-command';

const PORT = Number(process.env.BENCH_PORT ?? 8823);
const BASE = `http://127.0.0.1:${PORT}`;
const STATE = resolve('bench-data/export-state');
// The worker runs from a copy of the tree: wrangler dev reloads on every edit, and a reload loses
// the local queue's messages, so a long run in a tree others are editing would stop half-way.
const WORKER = resolve('bench-data/export-worker');
const BOSTON = new URL('../../shared/data/results/boston2017.csv', import.meta.url);
const SLUG = 'boston-marathon-2017';
const EMAIL = 'export-bench@example.com';
const PASSWORD = 'export bench password';
const EXPORT_LIMIT_MS = 45 * 60_000;

const flags = parseArgs({ options: { bibs: { type: 'string' }, print: { type: 'string' } } }).values;
const range = (text: string) => {
  const [from, to] = text.split('-').map(Number);
  return { bibFrom: String(from), bibTo: String(to) };
};

/**
 * A query of the dev server's local D1 from outside it: while the server writes, SQLite may answer
 * "database is locked", so a read is tried again a few times before the run gives up.
 */
function d1(sql: string): Record<string, unknown>[] {
  for (let attempt = 1; ; attempt++) {
    try {
      return runD1(sql, false, STATE);
    } catch (error) {
      if (attempt >= 10) throw error;
      execFileSync('sleep', ['0.5']);
    }
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resident memory, in MB, of the workerd processes in the dev server's process group. */
function workerdRssMb(group: number): number {
  let pids: string[];
  try {
    pids = execFileSync('pgrep', ['-g', String(group), 'workerd'], { encoding: 'utf8' })
      .trim()
      .split('\n');
  } catch {
    return 0;
  }
  let kb = 0;
  for (const pid of pids.filter(Boolean)) {
    try {
      kb += Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

async function startServer() {
  rmSync(WORKER, { recursive: true, force: true });
  mkdirSync(WORKER, { recursive: true });
  for (const path of ['src', 'templates', 'migrations', '.assets', 'wrangler.toml', 'package.json', 'tsconfig.json']) {
    cpSync(path, `${WORKER}/${path}`, { recursive: true });
  }
  symlinkSync(resolve('node_modules'), `${WORKER}/node_modules`);
  const log = openSync('bench-data/wrangler-dev-export.log', 'a');
  const args = ['wrangler', 'dev', '--port', String(PORT), '--ip', '127.0.0.1', '--persist-to', STATE];
  const server = spawn('npx', [...args, '--var', `PUBLIC_URL:${BASE}`], {
    cwd: WORKER,
    stdio: ['ignore', log, log],
    detached: true,
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(BASE)).ok) return server;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  process.kill(-server.pid!);
  throw new Error('wrangler dev did not start within 60 s');
}

/** A signed-in organiser's cookie and CSRF token, through the real sign-in form. */
async function signIn() {
  const res = await fetch(`${BASE}/admin/sign-in`, {
    method: 'POST',
    headers: { Origin: BASE, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: EMAIL, password: PASSWORD }),
    redirect: 'manual',
  });
  if (res.status !== 303) throw new Error(`sign-in: ${res.status}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const page = await (await fetch(`${BASE}/admin`, { headers: { Cookie: cookie } })).text();
  return { cookie, csrf: page.match(/name="_csrf" value="([^"]+)"/)![1]! };
}

/** Asks the Downloads form for an export and follows it until done, per file. */
async function measureExport(
  label: string,
  eventId: number,
  session: { cookie: string; csrf: string },
  group: number,
  form: Record<string, string>,
) {
  const [{ last }] = d1('SELECT coalesce(max(id), 0) AS last FROM exports') as [{ last: number }];
  const body = new FormData();
  body.set('_csrf', session.csrf);
  for (const [k, v] of Object.entries(form)) body.set(k, v);
  const started = performance.now();
  const res = await fetch(`${BASE}/admin/events/${eventId}/publish/downloads`, {
    method: 'POST',
    headers: { Cookie: session.cookie, Origin: BASE },
    body,
    redirect: 'manual',
  });
  if (res.status !== 303) throw new Error(`${label}: ${res.status} ${await res.text()}`);
  const [exp] = d1(`SELECT id, total FROM exports WHERE id > ${last} ORDER BY id LIMIT 1`) as [
    { id: number; total: number },
  ];
  const peaks = new Map<number, number>();
  const ready = new Map<number, number>();
  let rows: { number: number; total: number; done: number; finished: number }[] = [];
  for (;;) {
    rows = d1(`SELECT number, total, done, finished FROM export_files WHERE export_id = ${exp.id}`) as typeof rows;
    const rss = workerdRssMb(group);
    for (const row of rows) {
      if (row.finished) {
        if (!ready.has(row.number)) ready.set(row.number, (performance.now() - started) / 1000);
      } else peaks.set(row.number, Math.max(peaks.get(row.number) ?? 0, rss));
    }
    const [state] = d1(`SELECT state, failure FROM exports WHERE id = ${exp.id}`) as [
      { state: string; failure: string },
    ];
    if (state.state === 'failed') throw new Error(`${label} failed: ${state.failure}`);
    if (state.state === 'done') break;
    if (performance.now() - started > EXPORT_LIMIT_MS) throw new Error(`${label} did not finish`);
    await sleep(1000);
  }
  const files = d1(`SELECT number, key FROM export_files WHERE export_id = ${exp.id} ORDER BY number`) as {
    number: number;
    key: string;
  }[];
  console.log(
    `${label}: ${exp.total} certificates, ${files.length} file(s), done in ${ready.size ? Math.max(...ready.values()).toFixed(0) : '?'} s`,
  );
  for (const { number } of files) {
    const download = await fetch(`${BASE}/admin/events/${eventId}/publish/downloads/${exp.id}/${number}`, {
      headers: { Cookie: session.cookie },
    });
    const bytes = (await download.arrayBuffer()).byteLength;
    const row = rows.find((r) => r.number === number)!;
    console.log(
      `  file ${number}: ${row.done} certificates, ${(bytes / 1024 / 1024).toFixed(1)} MB, ready after ${ready.get(number)?.toFixed(0)} s, ` +
        `workerd peak ${(peaks.get(number) ?? 0).toFixed(0)} MB RSS`,
    );
  }
}

async function main() {
  mkdirSync('bench-data', { recursive: true });
  rmSync(STATE, { recursive: true, force: true });
  execFileSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', STATE], {
    stdio: 'ignore',
    env: { ...process.env, CI: '1' },
    timeout: 120_000,
  });
  const { token, tokenHash } = await newApiToken();
  d1(
    `INSERT INTO organisers (email, password_hash) VALUES (${sqlText(EMAIL)}, ${sqlText(await hashPassword(PASSWORD))})`,
  );
  d1(`INSERT INTO api_tokens (organiser_id, name, token_hash) VALUES (1, 'bench', ${sqlText(tokenHash)})`);
  const server = await startServer();
  try {
    const headers = { Authorization: `Bearer ${token}` };
    const created = await fetch(`${BASE}/api/v1/events`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Boston Marathon 2017', slug: SLUG, date: '2017-04-17', location: 'Boston' }),
    });
    if (created.status !== 201) throw new Error(`creating the event: ${created.status}`);
    const imported = await fetch(`${BASE}/api/v1/events/${SLUG}/imports`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'text/csv' },
      body: readFileSync(BOSTON),
      signal: AbortSignal.timeout(300_000),
    });
    if (!imported.ok) throw new Error(`import: ${imported.status} ${await imported.text()}`);
    // Published without a publish run: nothing is in R2, so the first export renders every certificate.
    const [{ id: eventId }] = d1(`SELECT id FROM events WHERE slug = ${sqlText(SLUG)}`) as [{ id: number }];
    const template = builtInTemplates[0]!;
    d1(
      `INSERT INTO templates (name, layout, event_id) VALUES (${sqlText(template.name)}, ${sqlText(JSON.stringify(template.layout))}, ${eventId})`,
    );
    d1(
      `UPDATE events SET template_id = (SELECT max(id) FROM templates), published = 1, published_at = ${Date.now()} WHERE id = ${eventId}`,
    );
    const session = await signIn();
    const group = server.pid!;
    const bibs = range(flags.bibs ?? '1-4000');
    await measureExport(`PNG ZIPs, bibs ${flags.bibs ?? '1-4000'}, nothing in R2`, eventId, session, group, {
      kind: 'png',
      ...bibs,
    });
    await measureExport(`PNG ZIPs, bibs ${flags.bibs ?? '1-4000'}, all in R2`, eventId, session, group, {
      kind: 'png',
      ...bibs,
    });
    if (flags.print) {
      await measureExport(`Print PDF, bibs ${flags.print}, nothing in R2`, eventId, session, group, {
        kind: 'print',
        ...range(flags.print),
      });
    }
  } finally {
    process.kill(-server.pid!);
  }
}

await main();

/**
 * `npm run bench`: measures the portal as a participant meets it, against `wrangler dev` on this
 * machine. It prepares local state (migrations, demo seed, the Boston 2017 results as an event of
 * 26,410 records), starts its own `wrangler dev`, times requests over loopback, prints median and
 * p95, and stops the server. Bounded: a fixed number of requests, and a time limit on every step.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import Papa from 'papaparse';
import { getPlatformProxy } from 'wrangler';
import { database } from '../src/db/client';
import { importRecords } from '../src/db/record-import';
import type { RecordInput } from '../src/db/records';
import { events, records } from '../src/db/schema';
import type { Env } from '../src/env';
import { DEMO_SLUG } from './demo-event';

const PORT = 8799;
const BASE = `http://127.0.0.1:${PORT}`;
const BOSTON = new URL('../../shared/data/results/boston2017.csv', import.meta.url);
const BOSTON_SLUG = 'boston-marathon-2017';
const RENDERS = 30;
const SEARCHES = 200;

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: 'inherit', timeout: 120_000 });

/** The Boston export as records; a mapping written for this file until the importer exists. */
function bostonRecords(): RecordInput[] {
  const { data } = Papa.parse<Record<string, string>>(readFileSync(BOSTON, 'utf8'), { header: true, skipEmptyLines: true });
  const rank = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : null);
  return data.map((row) => ({
    bib: row.Bib!,
    name: row.Name!,
    gender: row['M/F'] || null,
    age: rank(row.Age),
    category: row['M/F'] || null,
    finishTime: row['Official Time'] || null,
    status: row['Official Time'] ? 'finished' : 'dnf',
    rankOverall: rank(row.Overall),
    rankGender: rank(row.Gender),
    rankCategory: rank(row.Division),
    extra: { city: row.City ?? '', country: row.Country ?? '' },
  }));
}

async function prepare(): Promise<string[]> {
  run('npm', ['run', '--silent', 'db:migrate']);
  run('npm', ['run', '--silent', 'db:seed']);
  const proxy = await getPlatformProxy<Env>({ persist: true });
  try {
    const db = database(proxy.env.DB);
    const demo = await db.query.events.findFirst({ where: eq(events.slug, DEMO_SLUG) });
    let boston = await db.query.events.findFirst({ where: eq(events.slug, BOSTON_SLUG) });
    if (!boston) {
      [boston] = await db
        .insert(events)
        .values({ slug: BOSTON_SLUG, name: 'Boston Marathon 2017', date: '2017-04-17', location: 'Boston', published: true, templateId: demo!.templateId })
        .returning();
    }
    const rows = bostonRecords();
    const count = await proxy.env.DB.prepare('SELECT count(*) AS n FROM records WHERE event_id = ?').bind(boston!.id).first<number>('n');
    if (count !== rows.length) {
      const started = performance.now();
      await importRecords(db, boston!.id, rows);
      console.log(`Loaded ${rows.length} Boston records in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    // Every run starts with a cold image cache, so "uncached" means uncached.
    for (;;) {
      const { objects } = await proxy.env.FILES.list({ prefix: 'certificates/', limit: 1000 });
      if (objects.length === 0) break;
      await proxy.env.FILES.delete(objects.map((o) => o.key));
    }
    const sample = await db.select({ bib: records.bib }).from(records).where(eq(records.eventId, boston!.id));
    return sample.map((r) => r.bib);
  } finally {
    await proxy.dispose();
  }
}

async function startServer() {
  const server = spawn('npx', ['wrangler', 'dev', '--port', String(PORT), '--ip', '127.0.0.1'], { stdio: 'ignore', detached: true });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(BASE)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  process.kill(-server.pid!);
  throw new Error('wrangler dev did not start within 60 s');
}

async function timed(url: string): Promise<{ ms: number; res: Response }> {
  const started = performance.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer();
  const ms = performance.now() - started;
  if (!res.ok) throw new Error(`${res.status} for ${url}`);
  return { ms, res };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

interface SearchResult {
  name: string;
  imageUrl: string;
  shareImageUrl: string;
}
const searchUrl = (q: string) => `${BASE}/api/v1/events/${BOSTON_SLUG}/search?q=${encodeURIComponent(q)}`;
async function search(q: string): Promise<SearchResult[]> {
  return (await (await fetch(searchUrl(q))).json() as { results: SearchResult[] }).results;
}

async function main() {
  const bibs = await prepare();
  const pick = (i: number) => bibs[(i * 7919) % bibs.length]!;
  const server = await startServer();
  const rows: [string, number[], string][] = [];
  try {
    // Warm the isolate (WASM compile, font parsing) the way any earlier visitor would have.
    for (let i = 0; i < 3; i++) {
      const [hit] = await search(pick(1000 + i));
      await timed(hit!.imageUrl);
      await timed(hit!.shareImageUrl);
    }

    const certificates: string[] = [];
    const shares: string[] = [];
    for (let i = 0; i < RENDERS; i++) {
      const [hit] = await search(pick(i));
      certificates.push(hit!.imageUrl);
      shares.push((await search(pick(i + RENDERS)))[0]!.shareImageUrl);
    }
    const uncached: number[] = [];
    for (const url of certificates) {
      const { ms, res } = await timed(url);
      if (res.headers.get('x-certificate-cache') !== 'miss') throw new Error('expected an uncached render');
      uncached.push(ms);
    }
    rows.push(['uncached certificate PNG (1754×1240)', uncached, '≤ 80 ms']);
    const uncachedShare: number[] = [];
    for (const url of shares) uncachedShare.push((await timed(url)).ms);
    rows.push(['uncached share image PNG (1200×630)', uncachedShare, '≤ 40 ms']);
    const hits: number[] = [];
    for (const url of certificates) {
      const { ms, res } = await timed(url);
      if (res.headers.get('x-certificate-cache') !== 'hit') throw new Error('expected an R2 hit');
      hits.push(ms);
    }
    rows.push(['R2 cache hit (certificate PNG)', hits, '≤ 10 ms']);

    const names = (await Promise.all(Array.from({ length: 20 }, (_, i) => search(pick(i * 31))))).flat().map((r) => r.name);
    const nameQueries = Array.from({ length: SEARCHES }, (_, i) => {
      // Boston names are "Last, First": search as a phone user types, first name then a surname prefix.
      const [last = '', first = ''] = names[i % names.length]!.split(',').map((s) => s.trim());
      return i % 2 ? `${first} ${last.slice(0, 4)}` : last.slice(0, 5);
    });
    const nameTimes: number[] = [];
    for (const q of nameQueries) nameTimes.push((await timed(searchUrl(q))).ms);
    rows.push(['name search, 26,410 records (API)', nameTimes, '≤ 15 ms']);
    const bibTimes: number[] = [];
    for (let i = 0; i < SEARCHES; i++) bibTimes.push((await timed(searchUrl(pick(i * 13)))).ms);
    rows.push(['bib search, 26,410 records (API)', bibTimes, '']);
  } finally {
    process.kill(-server.pid!);
  }

  console.log(`\n| what | n | median | p95 | target |\n|---|---|---|---|---|`);
  for (const [what, times, target] of rows) {
    console.log(`| ${what} | ${times.length} | ${percentile(times, 50).toFixed(1)} ms | ${percentile(times, 95).toFixed(1)} ms | ${target} |`);
  }
}

await main();

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
const PORT = 8797;
const BASE = `http://127.0.0.1:${PORT}`;
const token = process.argv[2]!;
const original = readFileSync(new URL('../../shared/data/results/boston2017.csv', import.meta.url));
const variant = Buffer.from(original.toString('latin1').replaceAll(',-,', ',x,'), 'latin1');
const server = spawn('npx', ['wrangler', 'dev', '--port', String(PORT), '--ip', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
const t0 = performance.now();
server.stdout.on('data', (d) => { for (const l of String(d).split('\n')) if (l.includes('PHASE')) console.log(`[srv ${(performance.now() - t0).toFixed(0)}] ${l.trim()}`); });
for (;;) { try { if ((await fetch(BASE)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 250)); }
const url = (q: string) => `${BASE}/api/v1/events/boston-marathon-2017/search?q=${encodeURIComponent(q)}`;
for (let i = 0; i < 20; i++) await (await fetch(url('smith'))).text();
let going = true;
const post = (async () => {
  for (let i = 0; i < 2; i++) {
    const s = performance.now();
    const res = await fetch(`${BASE}/api/v1/events/boston-marathon-2017/imports`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/csv' }, body: i % 2 ? original : variant });
    console.log(`post ${res.status} ${(performance.now() - s).toFixed(0)} ms (from ${(s - t0).toFixed(0)})`, (await res.text()).slice(0, 80));
  }
  going = false;
})();
const qs = ['smith', 'John Mill', 'garcia', 'Anna Kow'];
for (let i = 0; going && i < 2000; i++) {
  const s = performance.now();
  await (await fetch(url(qs[i % 4]!))).text();
  const ms = performance.now() - s;
  if (ms > 30) console.log(`search at ${(s - t0).toFixed(0)} took ${ms.toFixed(0)}`);
}
await post;
process.kill(-server.pid!);

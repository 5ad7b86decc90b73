import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in timing system on loopback, started by vitest.config.ts: a real HTTP server that
 * serves whatever results file a test has put at a path (`PUT /files/x.csv`, then `GET`), and
 * misbehaves on request as real servers do:
 * - `/slow/<ms>/files/x.csv` answers after a delay;
 * - `/hops/<n>/files/x.csv` redirects n times before the file;
 * - `/redirect?to=<url>` redirects there;
 * - `/endless` sends rows without end, chunked (`/endless-sent` says how many bytes went out);
 * - `/trickle` sends a byte a second, without end.
 */
export async function startTimingSystem(): Promise<string> {
  const files = new Map<string, Buffer>();
  let endlessSent = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://stand-in');
      const serve = (path: string) => {
        const file = files.get(path);
        if (!file) res.writeHead(404).end('not found');
        else res.writeHead(200, { 'Content-Type': 'text/csv' }).end(file);
      };
      if (req.method === 'PUT') {
        files.set(url.pathname, Buffer.concat(chunks));
        res.writeHead(204).end();
        return;
      }
      const slow = url.pathname.match(/^\/slow\/(\d+)(\/.*)$/);
      if (slow) {
        setTimeout(() => serve(slow[2]!), Number(slow[1]));
        return;
      }
      const hops = url.pathname.match(/^\/hops\/(\d+)(\/.*)$/);
      if (hops) {
        const left = Number(hops[1]);
        if (left === 0) serve(hops[2]!);
        else res.writeHead(302, { Location: `/hops/${left - 1}${hops[2]}` }).end();
        return;
      }
      if (url.pathname === '/redirect') {
        res.writeHead(302, { Location: url.searchParams.get('to')! }).end();
        return;
      }
      if (url.pathname === '/endless-sent') {
        res.writeHead(200).end(String(endlessSent));
        return;
      }
      if (url.pathname === '/endless') {
        endlessSent = 0;
        res.writeHead(200, { 'Content-Type': 'text/csv' });
        const row = Buffer.from(`${'1,Endless Runner,3:00:00\n'.repeat(4000)}`);
        const more = () => {
          while (!res.destroyed && endlessSent < 200_000_000) {
            endlessSent += row.length;
            if (!res.write(row)) return void res.once('drain', more);
          }
          res.end();
        };
        res.write('Bib,Name,Time\n');
        more();
        return;
      }
      if (url.pathname === '/trickle') {
        res.writeHead(200, { 'Content-Type': 'text/csv' });
        res.write('Bib,Name\n');
        const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write('1')), 1000);
        return;
      }
      serve(url.pathname);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

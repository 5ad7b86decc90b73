import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in timing system on loopback, started by vitest.config.ts: a real HTTP server that
 * serves whatever results file a test has put at a path (`PUT /files/x.csv`, then `GET`).
 */
export async function startTimingSystem(): Promise<string> {
  const files = new Map<string, Buffer>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'PUT') {
        files.set(req.url!, Buffer.concat(chunks));
        res.writeHead(204).end();
        return;
      }
      const file = files.get(req.url!);
      if (!file) res.writeHead(404).end('not found');
      else res.writeHead(200, { 'Content-Type': 'text/csv' }).end(file);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

import { execFileSync } from 'node:child_process';

/** A string as an SQL literal, for the few statements the CLI scripts send through wrangler. */
export const sqlText = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Runs one SQL statement on the local D1, or on the production one with `remote`, and returns its
 * rows. `persistTo` points the local D1 at another state directory than .wrangler/state.
 */
export function runD1(command: string, remote: boolean, persistTo?: string): Record<string, unknown>[] {
  const target = remote ? ['--remote'] : ['--local', ...(persistTo ? ['--persist-to', persistTo] : [])];
  const out = execFileSync('npx', ['wrangler', 'd1', 'execute', 'DB', ...target, '--json', '--command', command], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const [result] = JSON.parse(out) as { results: Record<string, unknown>[] }[];
  return result?.results ?? [];
}

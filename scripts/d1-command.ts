import { execFileSync } from 'node:child_process';

/** A string as an SQL literal, for the few statements the CLI scripts send through wrangler. */
export const sqlText = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Runs one SQL statement on the local D1, or on the production one with `remote`, and returns its rows. */
export function runD1(command: string, remote: boolean): Record<string, unknown>[] {
  const out = execFileSync(
    'npx',
    ['wrangler', 'd1', 'execute', 'DB', remote ? '--remote' : '--local', '--json', '--command', command],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 120_000 },
  );
  const [result] = JSON.parse(out) as { results: Record<string, unknown>[] }[];
  return result?.results ?? [];
}

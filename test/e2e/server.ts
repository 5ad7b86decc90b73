/**
 * An isolated `wrangler dev` for the browser suite: its own state directory (migrations applied,
 * one organiser created), its own port, a bounded wait for it to answer, and a stop that kills the
 * whole process group (npx → wrangler → workerd). The developer's .wrangler/state is never touched.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 120_000;

export interface Organiser {
  email: string;
  password: string;
}

export interface Server {
  baseUrl: string;
  logPath: string;
  /** The last lines the server wrote, to show next to a failure. */
  logTail(lines?: number): string;
  /** Kills the server's process group; safe to call more than once, and from an exit handler. */
  stop(): void;
}

function run(cmd: string, args: string[]) {
  // Output goes to the test's stderr so a failing step is visible, stdout stays the reporter's.
  execFileSync(cmd, args, {
    cwd: ROOT,
    stdio: ['ignore', 2, 2],
    timeout: STEP_TIMEOUT_MS,
    env: { ...process.env, CI: 'true' },
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    await (await fetch(url, { signal: AbortSignal.timeout(2_000), redirect: 'manual' })).arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/** Migrations and one organiser, in `stateDir` (the directory `wrangler dev --persist-to` reads). */
export function prepareState(stateDir: string, organiser: Organiser) {
  run('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stateDir]);
  run('npx', [
    'tsx',
    'scripts/organiser-create.ts',
    '--email',
    organiser.email,
    '--password',
    organiser.password,
    '--persist-to',
    stateDir,
  ]);
}

/** Starts `wrangler dev` on 127.0.0.1:`port` over `stateDir` and waits (bounded) until it answers. */
export async function startServer({
  port,
  stateDir,
  logPath,
  host = '127.0.0.1',
  vars = {},
}: {
  port: number;
  stateDir: string;
  logPath: string;
  host?: string;
  /** Variables for the worker on top of wrangler.toml's, e.g. LOCAL_SOURCE_ORIGINS. */
  vars?: Record<string, string>;
}): Promise<Server> {
  const probe = `http://127.0.0.1:${port}/`;
  // Never test someone else's server: a leftover dev server on this port would answer for ours.
  if (await answers(probe)) throw new Error(`Something already answers on ${probe}; stop it and run the suite again.`);

  const log = openSync(logPath, 'w');
  let child: ChildProcess;
  try {
    child = spawn(
      'npx',
      [
        'wrangler',
        'dev',
        '--port',
        String(port),
        '--ip',
        '127.0.0.1',
        '--persist-to',
        stateDir,
        '--show-interactive-dev-session=false',
        // As `npm run dev`: GET /__scheduled runs the scheduled handler (the cron's pull).
        '--test-scheduled',
        ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
      ],
      {
        cwd: ROOT,
        detached: true, // its own process group, so stop() reaches workerd too
        stdio: ['ignore', log, log],
        env: { ...process.env, CI: 'true', NO_COLOR: '1' },
      },
    );
  } finally {
    closeSync(log);
  }
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `wrangler dev exited (${signal ?? code})`));

  let stopped = false;
  const server: Server = {
    baseUrl: `http://${host}:${port}`,
    logPath,
    logTail: (lines = 40) => {
      try {
        return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
    stop: () => {
      if (stopped || child.pid === undefined) return;
      stopped = true;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
  // However the test process ends, the server goes with it.
  process.once('exit', server.stop);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      server.stop();
      process.exit(130);
    });
  }

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) break;
    if (await answers(probe)) return server;
    await sleep(250);
  }
  server.stop();
  throw new Error(
    `${exited ?? `wrangler dev did not answer on ${probe} within ${START_TIMEOUT_MS / 1000} s`}. Its log (${logPath}):\n${server.logTail()}`,
  );
}

/** Waits (bounded) until the process group has gone, so the port is free for the next run. */
export async function waitForPortFree(port: number, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && (await answers(`http://127.0.0.1:${port}/`))) await sleep(100);
}

export const statePaths = (dir: string) => ({
  state: join(dir, 'state'),
  screenshots: join(dir, 'screenshots'),
  log: join(dir, 'wrangler-dev.log'),
  csv: join(dir, 'results.csv'),
});

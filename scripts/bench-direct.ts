/**
 * The bench talks to the worker as production does: straight to it. `wrangler dev` answers on its
 * port through a proxy worker in a workerd process of its own, which relays every request and
 * body to the worker's workerd; that hop (about 2.5 ms a request, and stalls of its own while it
 * relays a 5 MB import) does not exist on Cloudflare. Requests to the dev server's port are sent
 * to the worker's own socket instead, with the same URL and Host.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Agent, buildConnector, setGlobalDispatcher } from 'undici';

/** Dev server port → the worker's own port, for every connection this thread opens. */
const routes = new Map<string, string>();
const connect = buildConnector({});
let agent: Agent | undefined;

/** Lets go of every connection kept so far: the next requests open new ones. */
export function renewConnections() {
  const previous = agent;
  agent = new Agent({
    connect: (options, callback) => {
      const port = routes.get(String(options.port));
      connect(port ? { ...options, port } : options, callback);
    },
  });
  setGlobalDispatcher(agent);
  void previous?.close();
}

/**
 * Sends requests for the dev server on `devPort` to its worker, or (with none) through its proxy
 * again, on new connections: one kept from before (the check that the server is up) would go on
 * reaching the proxy.
 */
export function setRoute(devPort: number, workerPort?: number) {
  if (workerPort) routes.set(String(devPort), String(workerPort));
  else routes.delete(String(devPort));
  renewConnections();
}

/** The routes as they stand, for a worker thread to route its own requests the same way. */
export const currentRoutes = () => new Map(routes);

/** Child processes of pid, and theirs. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid …": comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const found: number[] = [];
  for (let next = 0, parents = [pid]; next < parents.length; next++) {
    const those = children.get(parents[next]!) ?? [];
    parents.push(...those);
    found.push(...those);
  }
  return found;
}

/**
 * The loopback ports pids listen on (from /proc/net/tcp and their sockets' inodes), the most
 * recently opened socket first.
 */
function listeningPorts(pids: number[]): number[] {
  const fds = new Map<string, number>();
  for (const pid of pids) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' });
        if (target.startsWith('socket:[')) fds.set(target.slice(8, -1), Number(fd));
      }
    } catch {
      // the process ended meanwhile
    }
  }
  const ports: [port: number, fd: number][] = [];
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
    // 0A is LISTEN; 0100007F is 127.0.0.1.
    const fd = fds.get(inode!);
    if (state === '0A' && local?.startsWith('0100007F:') && fd !== undefined)
      ports.push([Number.parseInt(local.slice(9), 16), fd]);
  }
  return ports.sort(([, a], [, b]) => b - a).map(([port]) => port);
}

/** The debug port `wrangler dev` gave the worker `name` in its dev registry, if it wrote one. */
function debugPort(name: string): number | undefined {
  const registry = process.env.WRANGLER_REGISTRY_PATH ?? join(homedir(), '.config', '.wrangler', 'registry');
  try {
    const { debugPortAddress } = JSON.parse(readFileSync(join(registry, name), 'utf8')) as {
      debugPortAddress?: string;
    };
    return debugPortAddress ? Number(debugPortAddress.split(':').at(-1)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The port of the worker `name` behind the `wrangler dev` started as serverPid and answering on
 * devPort: the first of its processes' other loopback ports whose answer to `probePath` passes
 * `isWorker`. The worker's workerd opens its inspector's socket first, then its own, then its debug
 * port (named in the dev registry), so the newest sockets are tried first and the debug port not
 * at all. A request to the inspector's port made the isolate's first certificate some 25 ms
 * slower (median of 9 fresh servers each way), and the debug port speaks Cap'n Proto, not HTTP.
 */
export async function workerPort(
  name: string,
  serverPid: number,
  devPort: number,
  probePath: string,
  isWorker: (res: Response) => Promise<boolean>,
): Promise<number> {
  const skipped = new Set([devPort, debugPort(name)]);
  for (const port of listeningPorts(descendants(serverPid))) {
    if (skipped.has(port)) continue;
    const answer = await fetch(`http://127.0.0.1:${port}${probePath}`, { signal: AbortSignal.timeout(2000) }).catch(
      () => undefined,
    );
    if (answer && (await isWorker(answer))) return port;
  }
  throw new Error(`found no worker behind the dev server on port ${devPort}`);
}

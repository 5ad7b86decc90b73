/**
 * Where a URL source may be pulled from: a public web server on the standard ports, never this
 * machine, a private network, a cloud metadata address or anything else an organiser should not
 * be able to reach through the portal. Checked when the source is saved and again before every
 * fetch and every redirect, since a stored address or a redirect may point anywhere.
 */

// [first address, prefix length] of IPv4 ranges that are not the public internet (RFC 6890 and
// successors): "this network", private, CGNAT, loopback, link-local (cloud metadata), IETF and
// documentation ranges, 6to4 relay, benchmarking, multicast, reserved and broadcast.
const blockedV4: [number, number][] = (
  [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.88.99.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ] as const
).map(([address, bits]) => [v4Number(address)!, bits]);

/** A dotted IPv4 address as a number; the URL parser has already turned 0x7f.1 or 2130706433 into 127.0.0.1. */
function v4Number(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

const inV4Range = (n: number, [first, bits]: [number, number]) =>
  Math.floor(n / 2 ** (32 - bits)) === Math.floor(first / 2 ** (32 - bits));

const isPublicV4 = (n: number) => !blockedV4.some((range) => inV4Range(n, range));

/** The eight 16-bit groups of an IPv6 address as the URL parser prints it (compressed, lower case). */
function v6Groups(address: string): number[] | undefined {
  const [head = '', tail, extra] = address.split('::');
  if (extra !== undefined) return undefined;
  const groups = (s: string) => (s ? s.split(':') : []);
  const parts = [...groups(head), ...(tail === undefined ? [] : [':', ...groups(tail)])];
  // The parser writes an embedded IPv4 address in hex, so every part is hex.
  if (!parts.every((p) => p === ':' || /^[0-9a-f]{1,4}$/.test(p))) return undefined;
  const known = parts.filter((p) => p !== ':').length;
  const expanded = parts.flatMap((p) => (p === ':' ? Array(8 - known).fill('0') : [p]));
  return expanded.length === 8 ? expanded.map((p) => Number.parseInt(p, 16)) : undefined;
}

/**
 * Only global unicast (2000::/3) reaches the internet; within it, documentation, the IETF's
 * special ranges (Teredo among them) and 6to4 are refused. IPv4 written inside IPv6 (mapped,
 * compatible, NAT64) is judged as that IPv4 address.
 */
function isPublicV6(groups: number[]): boolean {
  const [a = 0, b = 0] = groups;
  const embeddedV4 = groups[6]! * 65536 + groups[7]!;
  const zeros = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zeros(5) && (groups[5] === 0xffff || groups[5] === 0)) return isPublicV4(embeddedV4);
  if (a === 0x64 && b === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) return isPublicV4(embeddedV4);
  if (a < 0x2000 || a > 0x3fff) return false;
  if (a === 0x2001 && (b < 0x200 || b === 0xdb8)) return false;
  return a !== 0x2002;
}

/** Whether a URL's host is this machine: the only kind a local override may allow. */
const isLoopback = (hostname: string) =>
  hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.');

/**
 * Origins on this machine that sources may pull from anyway, from LOCAL_SOURCE_ORIGINS: the tests'
 * stand-in timing system, or one on the organiser's laptop in `wrangler dev` (.dev.vars). Only
 * loopback origins count, so the setting can open nothing else even if it reached production.
 */
export function localSourceOrigins(setting: string | undefined): ReadonlySet<string> {
  const origins = (setting ?? '').split(',').flatMap((entry) => {
    try {
      const url = new URL(entry.trim());
      return isLoopback(url.hostname) ? [url.origin] : [];
    } catch {
      return [];
    }
  });
  return new Set(origins);
}

/** Why the portal will not pull from this address, in the organiser's words, or undefined if it may. */
export function sourceAddressProblem(
  address: string | URL,
  allowed: ReadonlySet<string> = new Set(),
): string | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return 'Give the full address of the results file, starting with https://.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Only http and https addresses can be pulled.';
  if (url.username || url.password) {
    return 'Leave the user name and password out of the address; the results file must be public.';
  }
  if (allowed.has(url.origin)) return undefined;
  if (url.port !== '' && url.port !== '80' && url.port !== '443') {
    return 'Results files are pulled from the standard web ports only (80 and 443); leave the port out of the address.';
  }
  const host = url.hostname.replace(/\.$/, '').toLowerCase();
  const notPublic = 'This address is not on the public internet, so the portal cannot pull from it.';
  if (host.startsWith('[')) {
    const groups = v6Groups(host.slice(1, -1));
    return groups && isPublicV6(groups) ? undefined : notPublic;
  }
  const v4 = v4Number(host);
  if (v4 !== undefined) return isPublicV4(v4) ? undefined : notPublic;
  if (!host.includes('.') || /\.(localhost|local|internal|localdomain|home\.arpa)$/.test(host)) return notPublic;
  return undefined;
}

// The source layout's rules (docs/architecture.md), checked so they stay true: each line names a
// rule and what breaks it. Run by `npm run check`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return filesUnder(path);
    return /\.(ts|tsx|js)$/.test(name) ? [path] : [];
  });
}

const source = filesUnder('src').map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
const importsOf = (text: string) => [...text.matchAll(/(?:from|import)\s+'([^']+)'/g)].map((m) => m[1]!);
/** The src/ folder an import of `file` lands in, or the package name. */
const target = (file: string, specifier: string) =>
  specifier.startsWith('.')
    ? relative(root, join(root, file, '..', specifier))
        .split('/')
        .slice(0, 2)
        .join('/')
    : specifier;
const inFolder = (folders: string[]) => (path: string) => folders.some((f) => path.startsWith(`src/${f}/`));
const frontDoors = ['admin', 'api', 'portal'];

interface Rule {
  rule: string;
  offenders: string[];
}

const importing = (from: (path: string) => boolean, to: (target: string) => boolean): string[] =>
  source
    .filter((f) => from(f.path))
    .flatMap((f) =>
      importsOf(f.text)
        .filter((s) => to(target(f.path, s)))
        .map((s) => `${f.path} imports ${s}`),
    );

const rules: Rule[] = [
  {
    rule: 'admin/, api/ and portal/ only route and render: no drizzle-orm',
    offenders: importing(inFolder(frontDoors), (t) => t.startsWith('drizzle-orm')),
  },
  {
    rule: 'admin/, api/ and portal/ take only types from db/: their queries live in the noun modules',
    offenders: source
      .filter((f) => inFolder(frontDoors)(f.path))
      .flatMap((f) =>
        [...f.text.matchAll(/^import (?!type )[^;]*?from '([^']+)'/gm)]
          .filter((m) => target(f.path, m[1]!) === 'src/db')
          .map((m) => `${f.path} imports ${m[1]}`),
      ),
  },
  {
    rule: 'api/ imports nothing from admin/ or portal/',
    offenders: importing(inFolder(['api']), (t) => t === 'src/admin' || t === 'src/portal'),
  },
  {
    rule: 'import/ is pure: nothing from db/',
    offenders: importing(inFolder(['import']), (t) => t === 'src/db'),
  },
  {
    rule: 'db/, render/ and import/ import no front door',
    offenders: importing(inFolder(['db', 'render', 'import']), (t) => frontDoors.some((d) => t === `src/${d}`)),
  },
  {
    rule: 'render/ reads uploads by key, not through the asset store',
    offenders: importing(inFolder(['render']), (t) => t === 'src/assets').filter(
      (o) => !o.endsWith('/keys') && !o.endsWith('/sniff'),
    ),
  },
  {
    rule: 'ownership is a gate (auth/ownership.ts), never a call in a route',
    offenders: source
      .filter((f) => inFolder(frontDoors)(f.path) && /\bownEvent\w*\(c\)/.test(f.text))
      .map((f) => f.path),
  },
  {
    rule: 'URLs are built in src/paths.ts only',
    offenders: source
      .filter((f) => f.path !== 'src/paths.ts')
      .flatMap((f) => f.text.split('\n').map((line, i) => ({ line, at: `${f.path}:${i + 1}` })))
      .filter(({ line }) => /[`'"]\/(admin\/events|events|certificates|verify)\/\$\{/.test(line))
      .map(({ at }) => at),
  },
];

let failed = 0;
for (const { rule, offenders } of rules) {
  console.log(`${offenders.length === 0 ? 'ok  ' : 'FAIL'} ${rule}${offenders.length ? ` (${offenders.length})` : ''}`);
  for (const offender of offenders) console.log(`       ${offender}`);
  if (offenders.length) failed++;
}
process.exit(failed ? 1 : 0);

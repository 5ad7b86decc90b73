import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { operations } from '../src/api/openapi';
import { app } from '../src/index';
import { apiEvent, ORIGIN } from './fixtures';

// The API is described by an OpenAPI 3.1 document made from the zod schemas its routes validate
// with: every route is in it, and every example in it is accepted by its route.

interface MediaType {
  schema: { $ref?: string };
  example?: unknown;
}
interface DocumentedOperation {
  operationId: string;
  security?: unknown[];
  parameters: { name: string; in: string }[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
interface Document {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, DocumentedOperation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

/** A Hono route path as OpenAPI writes it: `/events/:slug/imports/:importId{[0-9]+}` → `/events/{slug}/imports/{importId}`. */
const openApiPath = (path: string) =>
  path.replace(/:(\w+)(\{(?:[^{}]|\{[^}]*\})*\})?\??/g, '{$1}').replace(/(.)\/$/, '$1');

const document = async () => (await SELF.fetch(`${ORIGIN}/api/v1/openapi.json`)).json<Document>();

const apiRoutes = [
  ...new Set(
    app.routes
      .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/'))
      .map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`),
  ),
];

describe('the OpenAPI document', () => {
  it('is served to anyone as OpenAPI 3.1, with bearer tokens and this server', async () => {
    const res = await SELF.fetch(`${ORIGIN}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const doc = await res.json<Document>();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: env.PUBLIC_URL.replace(/\/$/, '') }]);
    expect(doc.components.securitySchemes).toEqual({ bearerAuth: { type: 'http', scheme: 'bearer' } });
    // Every schema named is there.
    const refs = [...JSON.stringify(doc).matchAll(/"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    for (const name of new Set(refs)) expect(doc.components.schemas, name).toHaveProperty(name);
  });

  it('describes every organiser and public API route, and no route that is not there', async () => {
    const doc = await document();
    expect(apiRoutes.length).toBeGreaterThan(25);
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect(documented.toSorted()).toEqual(apiRoutes.toSorted());
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        // Each path param is a parameter; public routes say they need no token.
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect(
          op.parameters.filter((p) => p.in === 'path').map((p) => p.name),
          `${method} ${path}`,
        ).toEqual(inPath);
        const isPublic = path.endsWith('/search') || path === '/api/v1/openapi.json' || path === '/api/docs';
        expect(op.security, `${method} ${path}`).toEqual(isPublic ? [] : undefined);
      }
    }
  });

  it('has an example for every request body, each accepted by its own schema', async () => {
    const doc = await document();
    for (const op of operations) {
      const body = doc.paths[op.path]![op.method]!.requestBody;
      expect(Boolean(body), op.id).toBe(Boolean(op.body));
      if (!op.body) continue;
      if ('json' in op.body) {
        const example = body!.content['application/json']!.example;
        expect(example, op.id).toBeDefined();
        const parsed = op.body.json[1].safeParse(example);
        expect(parsed.success, `${op.id}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      } else if (op.body.contentType === 'text/csv') {
        expect(body!.content['text/csv']!.example, op.id).toEqual(expect.stringContaining('\n'));
      }
    }
  });

  it('is right: each example sent to its route with a token is accepted, and answered as documented', async () => {
    const doc = await document();
    const { token } = await apiEvent('Example Runner');
    // Ids and names in the examples stand for the ones the examples before them made.
    const made: Record<string, string> = {};
    const filled = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => made[name] ?? `no-${name}`);
    const sameTemplates = (example: unknown): unknown =>
      JSON.parse(JSON.stringify(example), (key, value) =>
        /^(default)?[tT]emplateId$/.test(key) ? Number(made.templateId) : value,
      );
    let sent = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!op.requestBody) continue;
        const [contentType, media] = Object.entries(op.requestBody.content)[0]!;
        const body =
          contentType === 'application/json'
            ? JSON.stringify(sameTemplates(media.example))
            : contentType === 'text/csv'
              ? (media.example as string)
              : // A file upload: a logo as an organiser would send it.
                env.SAMPLE_LOGO_PNG;
        const url = `${ORIGIN}${filled(path)}${contentType === 'application/octet-stream' ? '?name=logo.png' : ''}`;
        const res = await SELF.fetch(url, {
          method: method.toUpperCase(),
          body,
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
        });
        const text = await res.text();
        expect(res.status, `${method} ${path}: ${text.slice(0, 400)}`).toBeGreaterThanOrEqual(200);
        expect(res.status, `${method} ${path}: ${text.slice(0, 400)}`).toBeLessThan(300);
        sent++;

        const answer = operations.find((o) => o.method === method && o.path === path)!.answers[res.status];
        expect(answer, `${method} ${path} answered ${res.status}, which is not documented`).toBeDefined();
        if (answer!.json) {
          const parsed = answer!.json[1].safeParse(JSON.parse(text));
          expect(parsed.success, `${method} ${path}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
        }
        const json = contentType === 'application/json' || answer!.json ? JSON.parse(text) : {};
        if (method === 'post' && path === '/api/v1/events') made.slug = json.slug;
        if (method === 'post' && path.endsWith('/templates')) made.templateId = String(json.id);
        if (method === 'post' && path.endsWith('/records')) made.bib = json.key;
      }
    }
    expect(sent).toBeGreaterThanOrEqual(10);
    expect(made).toMatchObject({ slug: 'city-marathon-2026', bib: '104' });
  });
});

describe('the API reference page', () => {
  it('shows every route, its examples and schemas, with no script and nothing from elsewhere', async () => {
    const res = await SELF.fetch(`${ORIGIN}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const page = await res.text();
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    const doc = await document();
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        expect(page).toContain(`id="${op.operationId}"`);
        expect(page, `${method} ${path}`).toContain(`<code>${path}</code>`);
      }
    }
    expect(page).toContain('id="schema-Layout"');
    expect(page).toContain('city-marathon-2026');
    expect(page).toContain('Bib,Name,Time,Category');
  });
});

import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { app } from '../src/index';
import { createEvent, ORIGIN, runner } from './fixtures';

// Public by design: the portal, its images and search API, the API's description, and the sign-in form itself.
const isPublic = (path: string) =>
  path === '/admin/sign-in' ||
  path.endsWith('/search') ||
  path === '/api/v1/openapi.json' ||
  path === '/api/docs' ||
  !(path.startsWith('/admin') || path.startsWith('/api/'));

describe('every admin page and organiser API route refuses anonymous requests', async () => {
  const { event } = await createEvent([runner('1', 'Anna Anonymous')]);
  const routes = [
    ...new Map(app.routes.filter((r) => r.method !== 'ALL').map((r) => [`${r.method} ${r.path}`, r])).values(),
  ];
  const guarded = routes.filter((r) => !isPublic(r.path));
  const concrete = (path: string) =>
    path
      .replace(/:eventId(\{[^}]+\})?/, String(event.id))
      .replace(':slug', event.slug)
      .replace(/:uploadId\{[^}]+\}/, 'AAAAAAAAAAAAAAAAAAAAAA')
      .replace(/:\w+(\{[^}]+\})?/g, '1');

  it('finds the admin and organiser API routes to check', () => {
    expect(guarded.length).toBeGreaterThan(25);
    expect(guarded.map((r) => r.path)).toContain('/admin/events/:eventId{[0-9]+}/records');
    expect(guarded.map((r) => r.path)).toContain('/api/v1/events/:slug/imports');
  });

  it.each(guarded.map((r) => [r.method, r.path] as const))('%s %s', async (method, path) => {
    const res = await SELF.fetch(ORIGIN + concrete(path), {
      method,
      redirect: 'manual',
      headers: { Origin: ORIGIN, 'Content-Type': 'application/json' },
      body: method === 'GET' || method === 'HEAD' ? undefined : '{}',
    });
    if (path.startsWith('/api/')) {
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: expect.stringContaining('API token') });
    } else if (method === 'GET') {
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toMatch(/^\/admin\/sign-in\?next=/);
    } else {
      expect(res.status).toBe(401);
    }
  });
});

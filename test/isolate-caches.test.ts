import { describe, expect, it } from 'vitest';
import { ISOLATE_CACHE_BYTES, isolateCacheBytes, RecentCache } from '../src/render/recent';

const MB = 1024 * 1024;

describe("the isolate's caches", () => {
  it('hold at most 48 MB together, dropping the least recently used entry of any cache', () => {
    const photos = new RecentCache<string>(40 * MB);
    const fonts = new RecentCache<string>(40 * MB);
    const before = isolateCacheBytes();
    photos.set('finish-line', 'photo', 20 * MB);
    fonts.set('noto-sc', 'font', 20 * MB);
    // Used again, so it is the most recent: the font goes first when room is needed.
    expect(photos.get('finish-line')).toBe('photo');
    photos.set('podium', 'photo', ISOLATE_CACHE_BYTES - before - 30 * MB);
    expect(isolateCacheBytes()).toBeLessThanOrEqual(ISOLATE_CACHE_BYTES);
    expect(fonts.get('noto-sc')).toBeUndefined();
    expect(photos.get('finish-line')).toBe('photo');
    expect(photos.get('podium')).toBe('photo');
  });

  it('keep each cache within its own bound as well', () => {
    const emoji = new RecentCache<string>(2 * MB);
    emoji.set('a', 'x', MB);
    emoji.set('b', 'x', MB);
    emoji.set('c', 'x', MB);
    expect(emoji.get('a')).toBeUndefined();
    expect(emoji.get('c')).toBe('x');
  });

  it('count an entry once when it is stored again', () => {
    const cache = new RecentCache<string>(10 * MB);
    const before = isolateCacheBytes();
    cache.set('same', 'x', MB);
    cache.set('same', 'y', MB);
    expect(isolateCacheBytes() - before).toBe(MB);
    expect(cache.get('same')).toBe('y');
  });
});

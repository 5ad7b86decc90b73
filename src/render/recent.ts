/**
 * All that an isolate's caches may hold together. Each cache has its own bound too, but four
 * caches of 24, 8, 40 and 16 MB could together keep 88 MB of an isolate's 128 MB, leaving a
 * render on a photo (about 36 MB at its peak) no room.
 */
export const ISOLATE_CACHE_BYTES = 48 * 1024 * 1024;

interface Entry {
  cache: RecentCache<unknown>;
  key: string;
  bytes: number;
}

// Every cache's entries, least recently used first, for evicting across caches.
const recency = new Map<object, Entry>();
let held = 0;

/** Bytes the isolate's caches hold now (for tests and the bench). */
export const isolateCacheBytes = () => held;

/**
 * What an isolate keeps between renders (fonts, photos, scaled backdrops), least recently used
 * dropped first once this cache passes `maxBytes`, or all caches together ISOLATE_CACHE_BYTES.
 */
export class RecentCache<V> {
  private readonly entries = new Map<string, { value: V; token: object }>();
  private bytes = 0;

  /** `onDrop` is told of each value the cache lets go, e.g. to free what it holds outside the JS heap. */
  constructor(
    private readonly maxBytes: number,
    private readonly onDrop?: (value: V) => void,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    const shared = recency.get(entry.token)!;
    recency.delete(entry.token);
    recency.set(entry.token, shared);
    return entry.value;
  }

  set(key: string, value: V, bytes: number): V {
    this.drop(key);
    const token = {};
    this.entries.set(key, { value, token });
    recency.set(token, { cache: this as RecentCache<unknown>, key, bytes });
    this.bytes += bytes;
    held += bytes;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes || oldest === key) break;
      this.drop(oldest);
    }
    for (const [, entry] of recency) {
      if (held <= ISOLATE_CACHE_BYTES || (entry.cache === this && entry.key === key)) break;
      entry.cache.drop(entry.key);
    }
    return value;
  }

  /** Lets every entry go, as a fresh isolate starts with none. */
  clear(): void {
    for (const key of [...this.entries.keys()]) this.drop(key);
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    const { bytes } = recency.get(entry.token)!;
    this.entries.delete(key);
    recency.delete(entry.token);
    this.bytes -= bytes;
    held -= bytes;
    this.onDrop?.(entry.value);
  }
}

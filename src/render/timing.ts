/**
 * Where one image's time went, by phase, for the `Server-Timing` header of the image route.
 *
 * Deployed, workerd moves its clocks only when the worker waits on I/O (a Spectre defence): D1, R2
 * and asset fetches are timed truly there, while a CPU-only phase (satori, resvg, png) reads 0 and
 * its time shows up in the next I/O phase. Under `wrangler dev` and the tests the clocks run, so
 * every phase is timed.
 */
export class RenderTiming {
  private readonly phases = new Map<string, number>();
  private readonly started = performance.now();
  private mark = this.started;
  /** How the image was drawn: `fast`, `full: <why not fast>`, `hit` (from R2), or unset. */
  path?: string;

  /** Adds the time since the last mark (or since this timing began) to `phase`. */
  lap(phase: string): void {
    this.add(phase, this.mark);
  }

  /** Runs `step` and adds its time to `phase`; steps may overlap (e.g. fonts load while WASM starts). */
  time<T>(phase: string, step: () => T): T {
    const start = performance.now();
    const result = step();
    if (result instanceof Promise) return result.finally(() => this.add(phase, start)) as T;
    this.add(phase, start);
    return result;
  }

  private add(phase: string, since: number): void {
    const now = performance.now();
    this.phases.set(phase, (this.phases.get(phase) ?? 0) + now - since);
    this.mark = now;
  }

  /** Milliseconds by phase, in the order the phases first ran. */
  get ms(): Record<string, number> {
    return Object.fromEntries(this.phases);
  }

  /**
   * `Server-Timing` as RFC: `satori;dur=12.3, resvg;dur=8.1, total;dur=31.0, path;desc="fast"`,
   * where `total` is the time since this timing began, overlapping phases counted once.
   */
  header(): string {
    const entries = [...this.phases].map(([phase, ms]) => `${phase};dur=${ms.toFixed(1)}`);
    entries.push(`total;dur=${(performance.now() - this.started).toFixed(1)}`);
    if (this.path) entries.push(`path;desc="${this.path.replace(/["\\]/g, '')}"`);
    return entries.join(', ');
  }
}

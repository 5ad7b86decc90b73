import type { Database } from '../db/client';
import { queryTerms } from '../records/terms';
import type { ImageFormat, ImageVariant } from '../render/variants';
import { statDay, writeStats, type StatCount, type StatMetric } from './queries';

/** Something a participant did on an event's public pages that its organiser sees counted. */
export type PortalActivity =
  | { did: 'view' }
  | { did: 'download'; variant: ImageVariant; format: ImageFormat }
  | { did: 'share'; network: string }
  | { did: 'search'; query: string; found: boolean };

/** What counting needs of a request: D1, and a way to write after the response has gone. */
export interface CountingRequest {
  var: { db: Database };
  executionCtx: { waitUntil(promise: Promise<unknown>): void };
}

// A race day's portal answers thousands of page views a minute: each isolate adds them up here
// and writes them in one batch now and then, instead of one D1 write per view.
const FLUSH_AT_COUNTS = 200;
const FLUSH_AFTER_MS = 10_000;
// What a failed write puts back, at most; beyond it counts are dropped rather than piling up in memory.
const MAX_PENDING = 2_000;
// The longest no-result search kept: a name or two, not a paragraph.
const MAX_QUERY_KEY = 100;

const pending = new Map<string, StatCount>();
let pendingCounts = 0;
let lastFlush = 0;

function add(stat: Omit<StatCount, 'count'>, count = 1) {
  const id = JSON.stringify([stat.eventId, stat.day, stat.metric, stat.key]);
  const counted = pending.get(id);
  if (counted) counted.count += count;
  else if (pending.size < MAX_PENDING) pending.set(id, { ...stat, count });
  else return;
  pendingCounts += count;
}

/** The metric and key an activity is counted under; a search that found no one also by its words. */
function statsOf(activity: PortalActivity): [StatMetric, string][] {
  switch (activity.did) {
    case 'view':
      return [['view', '']];
    case 'download':
      return [['download', `${activity.variant}.${activity.format}`]];
    case 'share':
      return [['share', activity.network]];
    case 'search': {
      if (activity.found) return [['search', 'found']];
      // Folded as the search folds names, so "Müeller", "mueller" and " MUELLER " are one line.
      const words = queryTerms(activity.query).join(' ').slice(0, MAX_QUERY_KEY);
      return words
        ? [
            ['search', 'none'],
            ['no-result', words],
          ]
        : [['search', 'none']];
    }
  }
}

/**
 * Counts an activity of an event's public pages, in this isolate. The counts go to D1 after the
 * response, all at once, when 200 are waiting or the last write is 10 s old; the cron writes the
 * rest (src/index.tsx). Nothing about the participant is kept: no cookie, address or browser.
 */
export function countActivity(c: CountingRequest, eventId: number, activity: PortalActivity) {
  const now = Date.now();
  const day = statDay(new Date(now));
  for (const [metric, key] of statsOf(activity)) add({ eventId, day, metric, key });
  if (pendingCounts >= FLUSH_AT_COUNTS || now - lastFlush >= FLUSH_AFTER_MS)
    c.executionCtx.waitUntil(flushStats(c.var.db));
}

/** Writes this isolate's waiting counts to D1 in one batch; counts that fail to go wait for the next. */
export async function flushStats(db: Database): Promise<void> {
  // Taken before the first await: counts added meanwhile wait for the next flush, none twice.
  const counts = [...pending.values()];
  pending.clear();
  pendingCounts = 0;
  lastFlush = Date.now();
  try {
    await writeStats(db, counts);
  } catch (error) {
    console.error('Writing the event stats failed; they wait for the next flush.', error);
    for (const { count, ...stat } of counts) add(stat, count);
  }
}

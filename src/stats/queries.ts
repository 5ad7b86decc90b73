import { and, between, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { eventStats, type Event } from '../db/schema';

/**
 * What is counted on an event's public pages, each with what it is counted by (the stat's key):
 * - `view`: a certificate page shown (no key);
 * - `download`: a file saved, by `<variant>.<format>` (render/variants.ts), e.g. `certificate.pdf`;
 * - `share`: a share link followed, by network (portal/share-links.ts);
 * - `search`: a search, by whether it found someone (`found`, `none`);
 * - `no-result`: a search that found no one, by its words as the search folds them.
 */
export type StatMetric = 'view' | 'download' | 'share' | 'search' | 'no-result';

export interface StatCount {
  eventId: number;
  /** YYYY-MM-DD, UTC. */
  day: string;
  metric: StatMetric;
  key: string;
  count: number;
}

/**
 * Different no-result searches kept per event and day: enough to see every misspelled name of a
 * race day, too few for someone searching nonsense to fill D1. Their total is still counted.
 */
export const MAX_NO_RESULT_QUERIES = 200;

const upsert = `INSERT INTO event_stats (event_id, day, metric, key, count) VALUES (?1, ?2, ?3, ?4, ?5)
  ON CONFLICT (event_id, day, metric, key) DO UPDATE SET count = count + excluded.count`;

// A query already kept is counted on; a new one only while the day has room.
const upsertNoResult = `INSERT INTO event_stats (event_id, day, metric, key, count)
  SELECT ?1, ?2, 'no-result', ?3, ?4
  WHERE EXISTS (SELECT 1 FROM event_stats WHERE event_id = ?1 AND day = ?2 AND metric = 'no-result' AND key = ?3)
    OR (SELECT count(*) FROM event_stats WHERE event_id = ?1 AND day = ?2 AND metric = 'no-result') < ?5
  ON CONFLICT (event_id, day, metric, key) DO UPDATE SET count = count + excluded.count`;

/** Adds counts to the stored ones: one D1 round trip, one transaction, however many counts. */
export async function writeStats(db: Database, counts: StatCount[]): Promise<void> {
  if (counts.length === 0) return;
  const d1 = db.$client;
  const plain = d1.prepare(upsert);
  const noResult = d1.prepare(upsertNoResult);
  await d1.batch(
    counts.map(({ eventId, day, metric, key, count }) =>
      metric === 'no-result'
        ? noResult.bind(eventId, day, key, count, MAX_NO_RESULT_QUERIES)
        : plain.bind(eventId, day, metric, key, count),
    ),
  );
}

/** One day of the first week: what the chart draws. */
export interface ActivityDay {
  day: string;
  views: number;
  downloads: number;
  searches: number;
}

export interface EventActivity {
  views: number;
  /** By `<variant>.<format>`, most first. */
  downloads: { file: string; count: number }[];
  /** By network, most first. */
  shares: { network: string; count: number }[];
  searches: number;
  searchesFoundNoOne: number;
  /** The searches that found no one most often, as the search folded them, most first. */
  noResultQueries: { query: string; count: number }[];
  /** The first 7 days from the event date (or its publishing), each one whether anything happened or not. */
  firstWeek: ActivityDay[];
}

const TOP_NO_RESULT_QUERIES = 10;
export const CHART_DAYS = 7;

/** The day a stat is counted on: the UTC date. */
export const statDay = (at: Date) => at.toISOString().slice(0, 10);

const addDays = (day: string, days: number) => statDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000));

/** Where the first week starts: the event day, else the day it was published, else today. */
const firstDay = (event: Event) => event.date ?? statDay(event.publishedAt ?? new Date());

const total = sql<number>`sum(${eventStats.count})`.mapWith(Number);

/** Everything the Overview tab's "What happened" shows, in one D1 round trip. */
export async function eventActivity(db: Database, event: Event): Promise<EventActivity> {
  const ofEvent = eq(eventStats.eventId, event.id);
  const start = firstDay(event);
  const week = Array.from({ length: CHART_DAYS }, (_, i) => addDays(start, i));
  const [totals, noResults, days] = await db.batch([
    db
      .select({ metric: eventStats.metric, key: eventStats.key, count: total })
      .from(eventStats)
      .where(and(ofEvent, ne(eventStats.metric, 'no-result')))
      .groupBy(eventStats.metric, eventStats.key)
      .orderBy(desc(total), eventStats.key),
    db
      .select({ query: eventStats.key, count: total })
      .from(eventStats)
      .where(and(ofEvent, eq(eventStats.metric, 'no-result')))
      .groupBy(eventStats.key)
      .orderBy(desc(total), eventStats.key)
      .limit(TOP_NO_RESULT_QUERIES),
    db
      .select({ day: eventStats.day, metric: eventStats.metric, count: total })
      .from(eventStats)
      .where(
        and(
          ofEvent,
          between(eventStats.day, week[0]!, week.at(-1)!),
          inArray(eventStats.metric, ['view', 'download', 'search']),
        ),
      )
      .groupBy(eventStats.day, eventStats.metric),
  ]);
  const of = (metric: StatMetric) => totals.filter((t) => t.metric === metric);
  const sumOf = (rows: { count: number }[]) => rows.reduce((n, r) => n + r.count, 0);
  const on = (day: string, metric: StatMetric) => sumOf(days.filter((d) => d.day === day && d.metric === metric));
  return {
    views: sumOf(of('view')),
    downloads: of('download').map(({ key, count }) => ({ file: key, count })),
    shares: of('share').map(({ key, count }) => ({ network: key, count })),
    searches: sumOf(of('search')),
    searchesFoundNoOne: sumOf(of('search').filter((t) => t.key === 'none')),
    noResultQueries: noResults,
    firstWeek: week.map((day) => ({
      day,
      views: on(day, 'view'),
      downloads: on(day, 'download'),
      searches: on(day, 'search'),
    })),
  };
}

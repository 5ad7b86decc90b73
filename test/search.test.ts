import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bibSearchQuery, nameSearchQuery, searchRecords } from '../src/records/queries';
import { nameTerms, queryTerms } from '../src/records/terms';
import { publicEventId } from '../src/certificates/public';
import { records } from '../src/db/schema';
import { prepareImport } from '../src/import';
import { apiEvent, createEvent, db, ORIGIN, runner, saveRunners } from './fixtures';

const names = (rows: { name: string }[]) => rows.map((r) => r.name);

describe('participant search', async () => {
  const { event } = await createEvent([
    runner('11', 'Kirui, Geoffrey'),
    runner('17', 'Rupp, Galen'),
    runner('23', 'José Ñúñez García'),
    runner('24', 'Zoë Øster-Łęcki'),
    runner('25', "Niamh O'Brien"),
    runner('30', 'Дмитрий Иванов'),
    runner('31', 'Γιώργος Παπαδόπουλος'),
    runner('40', 'Geoffrey Hidden', { hidden: true }),
    runner('2400', 'Anna Smith'),
  ]);
  const search = (q: string) => searchRecords(db, event.id, q);

  it('finds an exact bib', async () => {
    expect(names(await search('17'))).toEqual(['Rupp, Galen']);
    expect(names(await search('240'))).toEqual([]);
  });

  it('matches name words by prefix, in any order, ignoring case', async () => {
    expect(names(await search('kirui geof'))).toEqual(['Kirui, Geoffrey']);
    expect(names(await search('GEOFFREY KIRUI'))).toEqual(['Kirui, Geoffrey']);
    expect(names(await search('ki'))).toEqual(['Kirui, Geoffrey']);
    expect(await search('geoffrey smith')).toEqual([]);
  });

  it('ignores accents and folds letters like Ø and Ł', async () => {
    expect(names(await search('nunez'))).toEqual(['José Ñúñez García']);
    expect(names(await search('JOSE garcia'))).toEqual(['José Ñúñez García']);
    expect(names(await search('zoe oster lecki'))).toEqual(['Zoë Øster-Łęcki']);
    expect(names(await search('obrien'))).toEqual(["Niamh O'Brien"]);
    expect(names(await search("o'brien"))).toEqual(["Niamh O'Brien"]);
  });

  it('finds Cyrillic and Greek names, with or without accents', async () => {
    expect(names(await search('иван'))).toEqual(['Дмитрий Иванов']);
    expect(names(await search('ДМИТРИЙ'))).toEqual(['Дмитрий Иванов']);
    expect(names(await search('γιωργος'))).toEqual(['Γιώργος Παπαδόπουλος']);
  });

  it('never returns a hidden record, by name or by bib', async () => {
    expect(names(await search('geoffrey'))).toEqual(['Kirui, Geoffrey']);
    expect(await search('40')).toEqual([]);
  });

  it('returns at most 20 results', async () => {
    const many = await createEvent(Array.from({ length: 45 }, (_, i) => runner(String(i + 1), `Maria Runner${i}`)));
    const found = await searchRecords(db, many.event.id, 'maria');
    expect(found).toHaveLength(20);
    // Best placed first.
    expect(found[0]!.rankOverall).toBe(1);
  });

  it('keeps search terms in step with a renamed record', async () => {
    const [row] = await db.select().from(records).where(eq(records.bib, '2400'));
    await saveRunners(row!.eventId, [runner('2400', 'Anna Schmidt')]);
    expect(names(await search('schmidt'))).toEqual(['Anna Schmidt']);
    expect(await search('smith')).toEqual([]);
  });

  it('is answered from indexes, never a scan of the records table', async () => {
    const plans = [
      nameSearchQuery(db, event.id, queryTerms('kirui geof'))!.toSQL(),
      nameSearchQuery(db, event.id, queryTerms('anna'))!.toSQL(),
      // More words than D1 lets a compound SELECT intersect: the rest are checked per candidate.
      nameSearchQuery(db, event.id, queryTerms('maria del carmen de la concepcion rodriguez'))!.toSQL(),
      bibSearchQuery(db, event.id, '17').toSQL(),
      // The public search finds its event by slug in the same batch.
      nameSearchQuery(db, publicEventId(event.slug), queryTerms('kirui geof'))!.toSQL(),
      bibSearchQuery(db, publicEventId(event.slug), '17').toSQL(),
    ];
    for (const { sql, params } of plans) {
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...params)
        .all<{ detail: string }>();
      const details = results.map((r) => r.detail);
      expect(details.some((d) => /SEARCH (records|record_terms)/.test(d))).toBe(true);
      expect(details.filter((d) => /^SCAN (records|record_terms)\b/.test(d))).toEqual([]);
    }
  });
});

describe('a common word at a large event', async () => {
  // "ma" prefixes a word of one runner in ten; their order comes from an index, their rows are not read.
  const { event } = await createEvent([
    runner('1', 'Maria Lopez', { rankOverall: 3 }),
    runner('2', 'Mark Ma', { rankOverall: 1 }),
    runner('3', 'Emma Marsh', { status: 'dnf', rankOverall: null }),
    runner('4', 'Tomas Mazur', { rankOverall: null }),
    runner('5', 'Anna Lee', { rankOverall: 2 }),
    runner('6', 'Max Hidden', { rankOverall: 4, hidden: true }),
  ]);

  it('lists the best placed first, reading only the rows it answers with', async () => {
    expect(names(await searchRecords(db, event.id, 'ma'))).toEqual([
      'Mark Ma',
      'Maria Lopez',
      'Tomas Mazur',
      'Emma Marsh',
    ]);
    expect(names(await searchRecords(db, event.id, 'ma', { limit: 2 }))).toEqual(['Mark Ma', 'Maria Lopez']);
    const { sql, params } = nameSearchQuery(db, event.id, queryTerms('ma'))!.toSQL();
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...params)
      .all<{ detail: string }>();
    const plan = results.map((r) => r.detail);
    expect(plan.some((d) => /SEARCH records USING COVERING INDEX records_search_order \(id=\?/.test(d))).toBe(true);
  });
});

describe('a word that prefixes thousands of names', async () => {
  // Boston: "m" prefixes a word of 7,165 names, "ma" of 2,375.
  const { event, api } = await apiEvent('Boston Marathon', 'broad-search');
  const posted = await api('/imports', {
    method: 'POST',
    body: new Uint8Array(env.RESULTS_BOSTON_2017),
    headers: { 'Content-Type': 'text/csv' },
  });
  expect(posted.status).toBe(200);
  const everyone = await db.select().from(records).where(eq(records.eventId, event.id));
  // The page a search must answer, worked out from every record: best placed first, then by name.
  const expected = (word: string, includeHidden = false) =>
    everyone
      .filter((r) => (includeHidden || !r.hidden) && nameTerms(r.name).some((w) => w.startsWith(word)))
      .sort(
        (a, b) =>
          Number(a.status !== 'finished') - Number(b.status !== 'finished') ||
          Number(a.rankOverall === null) - Number(b.rankOverall === null) ||
          (a.rankOverall ?? 0) - (b.rankOverall ?? 0) ||
          (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      )
      .slice(0, 20)
      .map((r) => r.name);
  const planOf = async (query: string) => {
    const { sql, params } = nameSearchQuery(db, event.id, queryTerms(query))!.toSQL();
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...params)
      .all<{ detail: string }>();
    return results.map((r) => r.detail);
  };

  it('answers with the best placed of them, from the event read in result order', async () => {
    expect(names(await searchRecords(db, event.id, 'm'))).toEqual(expected('m'));
    expect(names(await searchRecords(db, event.id, 'ma'))).toEqual(expected('ma'));
    // The winner is hidden: the public page moves on to the next, the organiser still sees them.
    const [winner] = await searchRecords(db, event.id, 'm');
    await db.update(records).set({ hidden: true }).where(eq(records.id, winner!.id));
    everyone.find((r) => r.id === winner!.id)!.hidden = true;
    expect(names(await searchRecords(db, event.id, 'm'))).toEqual(expected('m'));
    expect(names(await searchRecords(db, event.id, 'm', { includeHidden: true }))).toEqual(expected('m', true));
    expect(names(await searchRecords(db, event.id, 'm'))[0]).not.toBe(winner!.name);
  });

  it('never sorts all the names a single word prefixes', async () => {
    // The read in result order is in the plan, and needs no sort of its own.
    const plan = await planOf('m');
    expect(plan.some((d) => /SEARCH records USING INDEX records_result_order \(event_id=\?\)/.test(d))).toBe(true);
    expect(plan.filter((d) => d === 'USE TEMP B-TREE FOR ORDER BY')).toHaveLength(2); // the candidates', the page's
  });
});

describe('initials and many words', async () => {
  // Boston's names as the file writes them: "Last, First M."; initials are most of a big event's terms.
  const { event } = await createEvent([
    runner('1', 'Nash, James A.'),
    runner('2', 'Nash, James B.'),
    runner('3', 'Adams, James'),
    runner('4', 'Nash, Anna'),
  ]);
  const planOf = async (query: string) => {
    const { sql, params } = nameSearchQuery(db, event.id, queryTerms(query))!.toSQL();
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...params)
      .all<{ detail: string }>();
    return results.map((r) => r.detail);
  };

  it('finds "James A Nash" by the initial, checked on the runners "james" and "nash" found', async () => {
    expect(names(await searchRecords(db, event.id, 'James A Nash'))).toEqual(['Nash, James A.']);
    expect(names(await searchRecords(db, event.id, 'a'))).toEqual(['Nash, James A.', 'Adams, James', 'Nash, Anna']);
    const plan = await planOf('James A Nash');
    // Two ranges (james, nash); the initial is looked up per candidate, by record.
    expect(plan.filter((d) => /SEARCH record_terms USING COVERING INDEX .*term>\?/.test(d))).toHaveLength(2);
    expect(plan.some((d) => /USING INDEX record_terms_record_idx \(record_id=\?\)/.test(d))).toBe(true);
  });

  it('checks words past the fifth by record, never by a range scanned once per candidate', async () => {
    const plan = await planOf('maria del carmen de la concepcion rodriguez');
    expect(plan.filter((d) => /SEARCH \w+ USING COVERING INDEX .*term>\?/.test(d))).toHaveLength(5);
    expect(plan.some((d) => /record_terms_record_idx/.test(d))).toBe(true);
  });
});

describe('long searches', () => {
  // The longest names runners really have: the real results files' names of the most words.
  const files = [env.RESULTS_BOSTON_2017, env.RESULTS_UTMB_2024, env.RESULTS_BERLIN_100MI_2022];
  const longestNames = async () =>
    (await Promise.all(files.map((file) => prepareImport(new Uint8Array(file)))))
      .flatMap((plan) => plan.records.map((r) => r.name))
      .sort((a, b) => queryTerms(b).length - queryTerms(a).length)
      .slice(0, 5);

  it('finds the runners with the longest names in the real files by their whole name, on the page and the API', async () => {
    const longest = await longestNames();
    expect(queryTerms(longest[0]!).length).toBeGreaterThanOrEqual(6);
    const { event } = await createEvent(longest.map((name, i) => runner(String(i + 1), name)));
    for (const name of longest) {
      expect(names(await searchRecords(db, event.id, name))).toContain(name);
      const api = await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}/search?q=${encodeURIComponent(name)}`);
      expect(api.status).toBe(200);
      expect(names((await api.json<{ results: { name: string }[] }>()).results)).toContain(name);
      const page = await SELF.fetch(`${ORIGIN}/events/${event.slug}?q=${encodeURIComponent(name)}`);
      expect(page.status).toBe(200);
    }
  });

  it('answers a search of 200 characters of many words, and finds only names with all of them', async () => {
    const { event } = await createEvent([runner('1', 'Ana Maria de los Santos Ruiz Garcia Lopez')]);
    const words = 'a b c d e f g h i j k l m n o p q r s t u v w x y z '.repeat(4).slice(0, 200);
    const res = await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}/search?q=${encodeURIComponent(words)}`);
    expect(res.status).toBe(200);
    expect((await res.json<{ results: unknown[] }>()).results).toEqual([]);
    expect(names(await searchRecords(db, event.id, 'ana maria de los santos ruiz garcia lopez'))).toHaveLength(1);
    expect(await searchRecords(db, event.id, 'ana maria de los santos ruiz garcia lopez smith')).toEqual([]);
  });
});

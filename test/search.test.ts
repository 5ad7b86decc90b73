import { createScheduledController, env, SELF } from 'cloudflare:test';
import worker from '../src/index';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bibSearchQuery, nameSearchQuery, searchRecords as findRecords } from '../src/records/search';
import { nameTerms, queryTerms } from '../src/records/terms';
import { publicEventId } from '../src/certificates/public';
import { events, records, templates } from '../src/db/schema';
import { builtInTemplates } from '../templates';
import { prepareImport } from '../src/import';
import { apiEvent, createEvent, db, ORIGIN, runner, saveRunners } from './fixtures';

const names = (rows: { name: string }[]) => rows.map((r) => r.name);
const searchRecords = async (...args: Parameters<typeof findRecords>) => (await findRecords(...args)).records;

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
      nameSearchQuery(db, event.id, queryTerms('kirui geof'))!.page.toSQL(),
      nameSearchQuery(db, event.id, queryTerms('anna'))!.page.toSQL(),
      // More words than D1 lets a compound SELECT intersect: the rest are checked per candidate.
      nameSearchQuery(db, event.id, queryTerms('maria del carmen de la concepcion rodriguez'))!.page.toSQL(),
      bibSearchQuery(db, event.id, '17').toSQL(),
      // The public search finds its event by slug in the same batch.
      nameSearchQuery(db, publicEventId(event.slug), queryTerms('kirui geof'))!.page.toSQL(),
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
    const { sql, params } = nameSearchQuery(db, event.id, queryTerms('ma'))!.page.toSQL();
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
    const { sql, params } = nameSearchQuery(db, event.id, queryTerms(query))!.page.toSQL();
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...params)
      .all<{ detail: string }>();
    return results.map((r) => r.detail);
  };

  it('answers with the best placed of them, from the event read in result order', async () => {
    expect(names(await searchRecords(db, event.id, 'm'))).toEqual(expected('m'));
    expect(names(await searchRecords(db, event.id, 'ma'))).toEqual(expected('ma'));
    // Counted up to a thousand: "more than 1,000 match".
    expect((await findRecords(db, event.id, 'm')).total).toBe(1_001);
    expect((await findRecords(db, event.id, 'kirui')).total).toBe(expected('kirui').length);
    const [template] = await db
      .insert(templates)
      .values({ name: 'Classic', layout: builtInTemplates[0]!.layout, eventId: event.id })
      .returning();
    await db.update(events).set({ published: true, templateId: template!.id }).where(eq(events.id, event.id));
    const page = await (await SELF.fetch(`${ORIGIN}/events/${event.slug}?q=m`)).text();
    expect(page).toContain('More than 1,000 participants match “m”: add a first name or your bib');
    const api = await (await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}/search?q=m`)).json();
    expect(api).toMatchObject({ total: 1_000, more: true });
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
    const { sql, params } = nameSearchQuery(db, event.id, queryTerms(query))!.page.toSQL();
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

describe('a search that forgives', async () => {
  const { event } = await createEvent([
    runner('1', 'Jürgen Müller'),
    runner('2', 'Søren Kierkegård'),
    runner('3', 'Мария Иванова'),
    runner('4', 'Дмитрий Петров'),
    runner('5', 'Алексей Смирнов'),
    runner('6', 'Γιώργος Παπαδόπουλος'),
    runner('7', 'Χρήστος Νικολάου'),
    runner('8', 'Anna Smith'),
    runner('9', 'Anna Smyth'),
    // Words one typo from "smiht" at their start, which come before Smith in the alphabet.
    ...['Smit', 'Smita', 'Smitch', 'Smitek', 'Smitha', 'Smithe', 'Smiti', 'Smitka', 'Smitko'].map((surname, i) =>
      runner(String(20 + i), `Jon ${surname}`),
    ),
    runner('30', 'Jon Smith'),
  ]);
  const search = (q: string) => searchRecords(db, event.id, q);

  it('finds German and Nordic letters spelled out, and as plain letters', async () => {
    expect(names(await search('mueller'))).toEqual(['Jürgen Müller']);
    expect(names(await search('juergen muller'))).toEqual(['Jürgen Müller']);
    expect(names(await search('soeren kierkegaard'))).toEqual(['Søren Kierkegård']);
    expect(names(await search('soren kierkegard'))).toEqual(['Søren Kierkegård']);
  });

  it('finds Cyrillic and Greek names typed in Latin letters, as runners write them', async () => {
    expect(names(await search('maria ivanova'))).toEqual(['Мария Иванова']);
    expect(names(await search('mariya ivanova'))).toEqual(['Мария Иванова']);
    expect(names(await search('dmitry petrov'))).toEqual(['Дмитрий Петров']);
    expect(names(await search('dmitrii'))).toEqual(['Дмитрий Петров']);
    expect(names(await search('alexey smirnov'))).toEqual(['Алексей Смирнов']);
    expect(names(await search('aleksei'))).toEqual(['Алексей Смирнов']);
    expect(names(await search('giorgos papadopoulos'))).toEqual(['Γιώργος Παπαδόπουλος']);
    expect(names(await search('christos nikolaou'))).toEqual(['Χρήστος Νικολάου']);
    expect(names(await search('hristos'))).toEqual(['Χρήστος Νικολάου']);
  });

  it('forgives one typo in a word of five letters or more, when nothing matched as typed', async () => {
    expect(names(await search('mulller'))).toEqual(['Jürgen Müller']);
    expect(names(await search('muler jurgen'))).toEqual(['Jürgen Müller']);
    expect(names(await search('ivnaova'))).toEqual(['Мария Иванова']);
    expect(names(await search('kierkegrd'))).toEqual(['Søren Kierkegård']);
    // A name spelled right finds only the names it begins; shorter words are taken as typed.
    expect(names(await search('smith')).sort()).toEqual(['Anna Smith', 'Jon Smith', 'Jon Smitha', 'Jon Smithe']);
    expect(await search('smiht anne')).toEqual([]);
    expect(names(await search('jon smiht'))).toContain('Jon Smith');
    expect(await search('mxllxr')).toEqual([]);
  });
});

describe('real names with letters spelled out and typos (UTMB 2024)', async () => {
  const { event, api } = await apiEvent('UTMB', 'forgiving-search');
  const posted = await api('/imports', {
    method: 'POST',
    body: new Uint8Array(env.RESULTS_UTMB_2024),
    headers: { 'Content-Type': 'text/csv' },
  });
  expect(posted.status).toBe(200);
  const search = async (q: string) => names(await searchRecords(db, event.id, q)).map((n) => n.toLowerCase());

  it('finds Jürgen Pichler and Günter Triebel as a phone keyboard types them', async () => {
    expect(await search('juergen pichler')).toEqual(['jürgen pichler']);
    expect(await search('jurgen pichlre')).toEqual(['jürgen pichler']);
    expect(await search('guenter triebel')).toEqual(['günter triebel']);
    expect(await search('gunter trriebel')).toEqual(['günter triebel']);
  });
});

describe('terms made by an older rule', async () => {
  const { event } = await createEvent([runner('1', 'Мария Иванова')]);

  it('are made anew by the cron, so names imported before transliteration are found in Latin letters', async () => {
    // As migration 0021 leaves a record imported before: Cyrillic terms only, marked outdated.
    const [record] = await db.select().from(records).where(eq(records.eventId, event.id));
    await env.DB.prepare("DELETE FROM record_terms WHERE record_id = ? AND term GLOB '*[a-z]*'").bind(record!.id).run();
    await db.update(records).set({ termsOutdated: true }).where(eq(records.id, record!.id));
    expect(await searchRecords(db, event.id, 'maria ivanova')).toEqual([]);
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/15 * * * *' }), env);
    expect(names(await searchRecords(db, event.id, 'maria ivanova'))).toEqual(['Мария Иванова']);
    const [after] = await db.select().from(records).where(eq(records.id, record!.id));
    expect(after!.termsOutdated).toBe(false);
  });
});

describe('how many match', async () => {
  const { event } = await createEvent(
    Array.from({ length: 45 }, (_, i) => runner(String(i + 1), `Maria Runner${i}`)),
    { slug: `count-${crypto.randomUUID().slice(0, 8)}` },
  );

  it('says how many participants match when the page shows only the best placed 20', async () => {
    const found = await findRecords(db, event.id, 'maria');
    expect([found.records.length, found.total]).toEqual([20, 45]);
    const res = await SELF.fetch(`${ORIGIN}/api/v1/events/${event.slug}/search?q=maria`);
    const body = await res.json<{ results: unknown[]; total: number; more: boolean }>();
    expect([body.results.length, body.total, body.more]).toEqual([20, 45, false]);
  });
});

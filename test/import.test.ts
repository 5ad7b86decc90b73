import type { RecordInput } from '../src/records/rules';
import { describe, expect, it } from 'vitest';
import { ImportError, MAX_DATA_ROWS, mappingSchema, prepareImport, type Mapping } from '../src/import';
import { suggestMapping } from '../src/import/mapping';

/** The records a plan will write, read back from their compact form. */
const recordsOf = (plan: { records: { json: string }[] }): RecordInput[] => plan.records.map((r) => JSON.parse(r.json));

const utf8 = (text: string) => new TextEncoder().encode(text);
const prepare = (text: string, mapping?: Mapping) => prepareImport(utf8(text), { mapping });

/** The ImportError a file is refused with. */
async function refusal(bytes: Uint8Array): Promise<ImportError> {
  try {
    await prepareImport(bytes);
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('the file was not refused');
}

describe('reading a results file', () => {
  it('strips the byte order mark Excel puts before UTF-8', async () => {
    const plan = await prepareImport(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('Bib,Name\n1,Zoë Øster\n')]));
    expect(plan.encoding).toBe('utf-8');
    expect(plan.headers).toEqual(['Bib', 'Name']);
    expect(recordsOf(plan)[0]).toMatchObject({ bib: '1', name: 'Zoë Øster' });
  });

  it('reads a file that is not UTF-8 as Windows-1252, and says so', async () => {
    // "José", "Müller" and "Šimon" as Excel on Windows saves them.
    const bytes = new Uint8Array([
      ...utf8('Bib;Name\n1;Jos'),
      0xe9,
      ...utf8('\n2;M'),
      0xfc,
      ...utf8('ller\n3;'),
      0x8a,
      ...utf8('imon\n'),
    ]);
    const plan = await prepareImport(bytes);
    expect(plan.encoding).toBe('windows-1252');
    expect(recordsOf(plan).map((r) => r.name)).toEqual(['José', 'Müller', 'Šimon']);
  });

  it('detects semicolons and tabs as delimiters, keeping commas inside values', async () => {
    const semicolons = await prepare('Startnr;Name;Zeit\n7;Müller, Hans;2:09:37\n');
    expect(semicolons.delimiter).toBe(';');
    expect(recordsOf(semicolons)[0]).toMatchObject({ bib: '7', name: 'Müller, Hans', finishTime: '2:09:37' });

    const tabs = await prepare('Bib\tName\tTime\n8\tAnna Schmidt\t3:01:02\n');
    expect(tabs.delimiter).toBe('\t');
    expect(recordsOf(tabs)[0]).toMatchObject({ bib: '8', name: 'Anna Schmidt', finishTime: '3:01:02' });
  });

  it('reads quoted values holding delimiters, quotes and line breaks, and numbers lines as in the file', async () => {
    const plan = await prepare(
      [
        'Bib,Name,Age,Club',
        '1,"Kirui, Geoffrey",24,"Club ""Fast"", Kenya"',
        '2,"Anna',
        'Maria Schmidt",31,"Line one',
        'line two"',
        '',
        '3,Ben,abc,',
      ].join('\n'),
    );
    expect(recordsOf(plan)).toMatchObject([
      { bib: '1', name: 'Kirui, Geoffrey', extra: { Club: 'Club "Fast", Kenya' } },
      { bib: '2', name: 'Anna Maria Schmidt', extra: { Club: 'Line one line two' } },
    ]);
    expect(plan.rejected).toEqual([{ line: 7, reason: 'age "abc" is not an age in years (column "Age")' }]);
  });

  it('reads CRLF line ends, also inside quoted values', async () => {
    const plan = await prepare('Bib,Name,Age\r\n1,"Anna\r\nSchmidt",30\r\n2,Ben,x\r\n3,Cleo,40');
    expect(recordsOf(plan).map((r) => [r.bib, r.name, r.age])).toEqual([
      ['1', 'Anna Schmidt', 30],
      ['3', 'Cleo', 40],
    ]);
    expect(plan.rejected).toEqual([{ line: 4, reason: 'age "x" is not an age in years (column "Age")' }]);
  });

  it('rejects rows with more values than columns, a stray quote, or a quote never closed', async () => {
    const plan = await prepare('Bib,Name\n1,Anna\n2,Ben,extra\n3,"Cleo "CJ" Ng"\n4,Dan\n5,"Eve\n6,Fay\n');
    expect(recordsOf(plan).map((r) => r.bib)).toEqual(['1', '4']);
    expect(plan.rejected).toEqual([
      { line: 3, reason: 'has 3 values but the header row names 2 columns' },
      {
        line: 4,
        reason: 'a quote (") is out of place; a value holding quotes must be quoted itself, with each quote doubled',
      },
      {
        line: 6,
        reason:
          'an unclosed quote (") on this line swallowed the row after it, up to line 7: close or remove it, and upload the file again',
        rows: 2,
      },
    ]);
  });

  it('takes rows with fewer values than columns, and ignores empty lines and trailing separators', async () => {
    const plan = await prepare('Bib;Name;Time;\n\n1;Anna\n;;;\n2;Ben;1:00:00;\n');
    expect(plan.headers).toEqual(['Bib', 'Name', 'Time']);
    expect(recordsOf(plan).map((r) => [r.bib, r.status])).toEqual([
      ['1', 'dnf'],
      ['2', 'finished'],
    ]);
  });
});

describe('refused files', () => {
  it('refuses an empty file', async () => {
    expect((await refusal(new Uint8Array())).message).toBe('The file is empty.');
    expect((await refusal(new Uint8Array([0xef, 0xbb, 0xbf, 0x0a, 0x20]))).message).toBe('The file is empty.');
    expect((await refusal(new Uint8Array())).status).toBe(400);
  });

  it('refuses binary files, naming workbooks and PDFs', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    expect((await refusal(png)).message).toMatch(/^This is not a text file/);
    expect((await refusal(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0]))).message).toMatch(
      /Excel workbook.*CSV UTF-8/,
    );
    expect((await refusal(utf8('%PDF-1.7\n%âãÏÓ\n'))).message).toMatch(/^This is a PDF/);
    expect((await refusal(new Uint8Array([0xff, 0xfe, 0x42, 0, 0x69, 0, 0x62, 0]))).message).toMatch(/UTF-16/);
    expect((await refusal(png)).status).toBe(400);
  });

  it('refuses a web page, as served by a results link that points at a page instead of a file', async () => {
    expect((await refusal(utf8('\n  <!DOCTYPE html>\n<html><body>Results</body></html>'))).message).toMatch(
      /^This is a web page/,
    );
    expect((await refusal(utf8('<HTML><head></head></HTML>'))).message).toMatch(/^This is a web page/);
  });

  it('refuses a file of one column that is not a list of names, or a header with nothing below it', async () => {
    // Another separator than the three it knows: all in one column.
    expect((await refusal(utf8('Bib|Name|Time\n1|Anna|2:00:00\n'))).message).toMatch(/^Found only one column/);
    expect(recordsOf(await prepare('Name\nAnna\nBen\n')).map((r) => r.name)).toEqual(['Anna', 'Ben']);
    expect((await refusal(utf8('Bib,Name,Time\n'))).message).toBe('The file has a header row but no results below it.');
  });

  it('refuses a file whose columns cannot be told, saying the name is missing; a bib is not needed', async () => {
    const neither = await refusal(utf8('11,Kirui Geoffrey,2:09:37\n17,Rupp Galen,2:09:58\n'));
    expect(neither.message).toMatch(
      /^Found no column for the name among the columns "11", "Kirui Geoffrey", "2:09:37"/,
    );
    expect(neither.status).toBe(400);
    expect((await refusal(utf8('Bib,Time\n1,1:00:00\n'))).message).toMatch(/^Found no column for the name among/);
    const noBibs = await prepare('Name,Time\nAnna,1:00:00\n');
    expect(noBibs.records.map((r) => [r.key, r.bib, r.name])).toEqual([['name:anna', null, 'Anna']]);
  });

  it('refuses files over 20 MB with status 413', async () => {
    const error = await refusal(new Uint8Array(20 * 1024 * 1024 + 1).fill(0x61));
    expect(error.status).toBe(413);
    expect(error.message).toBe('The file is 20.0 MB; results files can be at most 20 MB.');
  });

  it('refuses files over 100,000 rows with status 413, and takes 100,000', async () => {
    const rows = (count: number) =>
      ['Bib,Name', ...Array.from({ length: count }, (_, i) => `${i + 1},Runner ${i + 1}`)].join('\n');
    const error = await refusal(utf8(rows(MAX_DATA_ROWS + 1)));
    expect(error.status).toBe(413);
    expect(error.message).toMatch(/more than 100,000 rows/);
    expect(recordsOf(await prepare(rows(MAX_DATA_ROWS)))).toHaveLength(100_000);
  });
});

describe('suggested column mapping', () => {
  const suggest = (header: string, ...rows: string[]) => {
    const split = (line: string) => line.split(';');
    return suggestMapping(split(header), rows.map(split));
  };

  it('knows English headers', async () => {
    expect(suggest('Bib;First name;Last name;Sex;Age;Division;Chip time;Place;Gender place;Division place')).toEqual({
      bib: 'Bib',
      firstName: 'First name',
      lastName: 'Last name',
      gender: 'Sex',
      age: 'Age',
      category: 'Division',
      finishTime: 'Chip time',
      rankOverall: 'Place',
      rankGender: 'Gender place',
      rankCategory: 'Division place',
    });
  });

  it('knows German headers', async () => {
    expect(
      suggest('Platz;Startnummer;Vorname;Nachname;Geschlecht;Alter;AK;AK-Platz;Platz M/W;Nettozeit;Bruttozeit;Status'),
    ).toEqual({
      bib: 'Startnummer',
      firstName: 'Vorname',
      lastName: 'Nachname',
      gender: 'Geschlecht',
      age: 'Alter',
      category: 'AK',
      rankCategory: 'AK-Platz',
      rankGender: 'Platz M/W',
      finishTime: 'Nettozeit',
      rankOverall: 'Platz',
      status: 'Status',
    });
  });

  it('knows French headers, where "Nom" beside "Prénom" is the surname', async () => {
    expect(suggest('Clt;Dossard;Nom;Prénom;Sexe;Catégorie;Clt cat.;Temps')).toEqual({
      rankOverall: 'Clt',
      bib: 'Dossard',
      firstName: 'Prénom',
      lastName: 'Nom',
      gender: 'Sexe',
      category: 'Catégorie',
      rankCategory: 'Clt cat.',
      finishTime: 'Temps',
    });
  });

  it('knows Spanish headers, where "Nombre" beside "Apellidos" is the given name', async () => {
    expect(suggest('Posición;Dorsal;Nombre;Apellidos;Sexo;Edad;Categoría;Tiempo oficial')).toEqual({
      rankOverall: 'Posición',
      bib: 'Dorsal',
      firstName: 'Nombre',
      lastName: 'Apellidos',
      gender: 'Sexo',
      age: 'Edad',
      category: 'Categoría',
      finishTime: 'Tiempo oficial',
    });
  });

  it('ignores case, accents, spaces and punctuation in headers', async () => {
    expect(suggest('ST.-NR.;TEILNEHMER;zeit;CATEGORIA')).toEqual({
      bib: 'ST.-NR.',
      name: 'TEILNEHMER',
      finishTime: 'zeit',
      category: 'CATEGORIA',
    });
    expect(suggest('N° Dossard;full_name;Âge')).toEqual({ bib: 'N° Dossard', name: 'full_name', age: 'Âge' });
  });

  it('prefers a full-name column to first and last names', async () => {
    expect(suggest('Bib;Name;First name;Last name')).toEqual({ bib: 'Bib', name: 'Name' });
  });

  it('reads ambiguous headers by their values', async () => {
    // Boston's "Gender" and "Division" hold ranks; Berlin's "Kategorie" holds m and w.
    expect(suggest('Bib;Name;M/F;Gender;Division', '11;Kirui;M;1;1', '17;Rupp;M;2;2')).toEqual({
      bib: 'Bib',
      name: 'Name',
      gender: 'M/F',
      rankGender: 'Gender',
      rankCategory: 'Division',
    });
    expect(suggest('Startnr;Name;Kategorie', '5;Kuhn;m', '10;Serries;w', '4052;Team;')).toEqual({
      bib: 'Startnr',
      name: 'Name',
      gender: 'Kategorie',
    });
    expect(suggest('Bib;Name;Time;Pace', '1;Anna;Fast;4:09')).toEqual({ bib: 'Bib', name: 'Name' });
  });

  it('maps a column of language tags by its name in any language, but not one of language names', async () => {
    for (const header of ['Language', 'lang', 'Sprache', 'Langue', 'Idioma']) {
      expect(suggest(`Bib;Name;${header}`, '1;山田太郎;ja', '2;王小明;zh-Hant', '3;Ali;')).toEqual({
        bib: 'Bib',
        name: 'Name',
        language: header,
      });
    }
    // Names of languages would reject every row: the column stays an extra one.
    expect(suggest('Startnr;Name;Sprache', '1;Kuhn;Deutsch', '2;Smith;English')).toEqual({
      bib: 'Startnr',
      name: 'Name',
    });
  });

  it('uses an id column as participant key, not bib, when there is no bib column, if each value is unique', async () => {
    expect(
      suggest(
        'runnerUri;fullname;rank',
        '864009.vincent.bouillard;Vincent BOUILLARD;1.0',
        '7829.ludovic.pommeret;Ludovic POMMERET;2.0',
      ),
    ).toEqual({
      participantKey: 'runnerUri',
      name: 'fullname',
      rankOverall: 'rank',
    });
    expect(suggest('id;Name', '1;Anna', '1;Ben')).toEqual({ name: 'Name' });
    // Beside bibs an id column stays an extra column.
    expect(suggest('Bib;id;Name', '7;a1;Anna', '8;b2;Ben')).toEqual({ bib: 'Bib', name: 'Name' });
  });
});

describe('records from rows', () => {
  it('combines first and last name columns into "First Last"', async () => {
    const plan = await prepare('Startnr;Name;Vorname;Zeit\n1;Müller;Hans;2:09:37\n2;;Cher;3:00:00\n');
    expect(plan.mapping).toEqual({ bib: 'Startnr', firstName: 'Vorname', lastName: 'Name', finishTime: 'Zeit' });
    expect(recordsOf(plan).map((r) => r.name)).toEqual(['Hans Müller', 'Cher']);
  });

  it('normalises times to h:mm:ss, keeping hours beyond 24', async () => {
    const times = [
      '2:09:37',
      '02:09:37',
      '9:37',
      '46:12:03',
      '1:02:03:04',
      '2:09:37.2',
      '"2:09:37,0"',
      "2h09'37",
      '19h54m23s',
    ];
    const plan = await prepare(['Bib,Name,Time', ...times.map((time, i) => `${i + 1},Runner,${time}`)].join('\n'));
    expect(recordsOf(plan).map((r) => r.finishTime)).toEqual([
      '2:09:37',
      '2:09:37',
      '0:09:37',
      '46:12:03',
      '26:03:04',
      '2:09:38',
      '2:09:37',
      '2:09:37',
      '19:54:23',
    ]);
  });

  it('reads ranks like "1", "1.0" and "1.", genders in four languages and ages', async () => {
    const plan = await prepare(
      [
        'Bib;Name;Rank;Sex;Age',
        '1;A;1;H;24',
        '2;B;2.0;D;31',
        '3;C;3.;W;45',
        '4;D;4;femme;',
        '5;E;5;x;0',
        '6;F;6;Männlich;19',
      ].join('\n'),
    );
    expect(recordsOf(plan).map((r) => [r.rankOverall, r.gender, r.age])).toEqual([
      [1, 'M', 24],
      [2, 'F', 31],
      [3, 'F', 45],
      [4, 'F', null],
      [5, 'X', null],
      [6, 'M', 19],
    ]);
  });

  it('reads DNF, DNS and DSQ from the time, rank or status column, without time or ranks', async () => {
    const plan = await prepare(
      [
        'Bib,Name,Time,Place,Status',
        '1,Finisher,2:09:37,1,',
        '2,Quit,DNF,,',
        '3,Absent,,DNS,',
        '4,Cheat,2:10:00,2,DSQ',
        '5,Tired,Aufgabe,,',
        '6,Las,abandon,,',
        '7,Missing,,,',
        '8,Late,D.N.F. (km 80),,',
      ].join('\n'),
    );
    expect(recordsOf(plan).map((r) => [r.bib, r.status, r.finishTime, r.rankOverall])).toEqual([
      ['1', 'finished', '2:09:37', 1],
      ['2', 'dnf', null, null],
      ['3', 'dns', null, null],
      ['4', 'dsq', null, null],
      ['5', 'dnf', null, null],
      ['6', 'dnf', null, null],
      ['7', 'dnf', null, null],
      ['8', 'dnf', null, null],
    ]);
    expect(plan.rejected).toEqual([]);
  });

  it('counts everyone as finished in a file without a time column', async () => {
    const plan = await prepare('Bib,Name\n1,Anna\n2,Ben\n');
    expect(recordsOf(plan).map((r) => r.status)).toEqual(['finished', 'finished']);
  });

  it('rejects rows without bib or name, or with unreadable values, naming line, field and column', async () => {
    const plan = await prepare(
      [
        'Startnr;Name;Alter;Zeit;Geschlecht;Platz',
        ';Anna;30;1:00:00;w;1',
        '2;;30;1:00:00;w;2',
        '3;Cleo;abc;1:00:00;w;3',
        '4;Dan;30;fast;m;4',
        '5;Eve;30;1:75:00;w;5',
        '6;Fay;30;1:00:00;?;6',
        '7;Gil;30;1:00:00;m;first',
        `${'8'.repeat(21)};Hal;30;1:00:00;m;8`,
        `9;${'I'.repeat(201)};30;1:00:00;m;9`,
        '10;Jo;30;1:00:00;m;10',
      ].join('\n'),
    );
    expect(recordsOf(plan).map((r) => r.bib)).toEqual(['10']);
    expect(plan.rejected).toEqual([
      { line: 2, reason: 'bib is empty (column "Startnr")' },
      { line: 3, reason: 'name is empty (column "Name")' },
      { line: 4, reason: 'age "abc" is not an age in years (column "Alter")' },
      { line: 5, reason: 'finish time "fast" is not a time like 2:09:37 (column "Zeit")' },
      { line: 6, reason: 'finish time "1:75:00" is not a time like 2:09:37 (column "Zeit")' },
      { line: 7, reason: 'gender "?" is not a gender (M, F or X) (column "Geschlecht")' },
      { line: 8, reason: 'overall rank "first" is not a rank (column "Platz")' },
      { line: 9, reason: `bib "${'8'.repeat(21)}" is longer than 20 characters (column "Startnr")` },
      { line: 10, reason: `name "${'I'.repeat(40)}…" is longer than 200 characters (column "Name")` },
    ]);
  });

  it('reads language tags canonicalised, and rejects a row whose language is no tag, naming the column', async () => {
    const plan = await prepare(
      'Bib,Name,Language\n1,山田太郎,JA\n2,王小明,zh_hant\n3,Anna,\n4,Sara,fa\n5,Imran,ur\n6,Minji,ko\n7,Ana,Spanish\n',
    );
    expect(plan.mapping.language).toBe('Language');
    expect(recordsOf(plan).map((r) => [r.bib, r.language])).toEqual([
      ['1', 'ja'],
      ['2', 'zh-Hant'],
      ['3', null],
      ['4', 'fa'],
      ['5', 'ur'],
      ['6', 'ko'],
    ]);
    expect(plan.rejected).toEqual([
      { line: 8, reason: 'language "Spanish" is not a language tag such as ja, zh-Hant, ur or fa (column "Language")' },
    ]);
  });

  it('names both columns when a combined name is empty', async () => {
    const plan = await prepare('Bib,First name,Last name\n1,,\n2,Ben,Ng\n');
    expect(plan.rejected).toEqual([{ line: 2, reason: 'name is empty (columns "First name", "Last name")' }]);
  });

  it('strips control characters and surrounding spaces from every value', async () => {
    const plan = await prepare('Bib,Name,Club\n 12\u0007 ,\u0001Anna\u200B Schmidt\u001b ,\tRC\u0085 Nord \n');
    expect(recordsOf(plan)[0]).toMatchObject({ bib: '12', name: 'Anna\u200B Schmidt', extra: { Club: 'RC Nord' } });
  });

  it('lists duplicate bibs and keeps only the first row of each', async () => {
    const plan = await prepare('Bib,Name\n7,Anna\n8,Ben\n7,Cleo\n7,Dan\n8,Eve\n9,Fay\n');
    expect(recordsOf(plan).map((r) => [r.bib, r.name])).toEqual([
      ['7', 'Anna'],
      ['8', 'Ben'],
      ['9', 'Fay'],
    ]);
    expect(plan.duplicates).toEqual([
      { key: '7', bib: '7', name: null, lines: [2, 4, 5] },
      { key: '8', bib: '8', name: null, lines: [3, 6] },
    ]);
    expect(plan.rejected).toEqual([
      { line: 4, reason: 'bib 7 is already on line 2' },
      { line: 5, reason: 'bib 7 is already on line 2' },
      { line: 6, reason: 'bib 8 is already on line 3' },
    ]);
  });

  it('keeps unmapped columns in extra, without empty values', async () => {
    const plan = await prepare('Bib,Name,Club,City\n1,Anna,RC Nord,\n2,Ben,,\n');
    expect(recordsOf(plan).map((r) => r.extra)).toEqual([{ Club: 'RC Nord' }, null]);
  });

  it('previews the first ten records as they will be saved', async () => {
    const plan = await prepare(
      ['Bib,Name', ...Array.from({ length: 12 }, (_, i) => `${i + 1},Runner ${i + 1}`)].join('\n'),
    );
    expect(plan.preview).toHaveLength(10);
    expect(plan.preview[0]).toEqual({
      bib: '1',
      name: 'Runner 1',
      category: null,
      gender: null,
      age: null,
      finishTime: null,
      rankOverall: null,
      rankGender: null,
      rankCategory: null,
      status: 'finished',
      language: null,
      extra: null,
    });
  });
});

describe('a mapping chosen by the organiser', () => {
  it('is used as given instead of the suggestion', async () => {
    const plan = await prepare('Nr,Teilnehmer,Verein\n1,Anna,RC Nord\n', { bib: 'Nr', name: 'Verein' });
    expect(plan.mapping).toEqual({ bib: 'Nr', name: 'Verein' });
    expect(recordsOf(plan)[0]).toMatchObject({ bib: '1', name: 'RC Nord', extra: { Teilnehmer: 'Anna' } });
  });

  it('is refused when it names a column the file lacks, but not for leaving out the bib', async () => {
    const missing = await prepare('Bib,Name\n1,Anna\n', { bib: 'Startnr', name: 'Name' }).catch((error) => error);
    expect(missing).toBeInstanceOf(ImportError);
    expect((missing as ImportError).message).toBe(
      'The mapping names a column "Startnr" that is not in the file. Its columns are "Bib", "Name".',
    );
    const unmapped = await prepare('Bib,Name\n1,Anna\n', { name: 'Name' });
    expect(recordsOf(unmapped)).toMatchObject([{ bib: null, name: 'Anna', extra: { Bib: '1' } }]);
  });

  it('is validated from JSON, as the API receives it', async () => {
    expect(mappingSchema.safeParse({ bib: 'Startnr', finishTime: 'Zeit' }).success).toBe(true);
    expect(mappingSchema.safeParse({ bib: 'Startnr', shoeSize: 'Größe' }).success).toBe(false);
    expect(mappingSchema.safeParse({ bib: '' }).success).toBe(false);
    await expect(prepare('Bib,Name\n1,Anna\n', { bib: 'Bib', nickname: 'Name' } as Mapping)).rejects.toThrow(
      ImportError,
    );
  });
});

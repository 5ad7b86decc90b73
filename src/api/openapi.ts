import { z } from 'zod';
import { builtInTemplates } from '../../templates';
import { builtInTemplateSchema, templateChoiceSchema, templateRuleSchema } from '../certificates/rules';
import { searchQuerySchema } from '../certificates/search';
import { eventInputSchema, eventPatchSchema } from '../events/rules';
import { mappingSchema } from '../import/mapping';
import { apiPaths } from '../paths';
import { layoutSchema } from '../render/layout';
import {
  recordPageSchema,
  recordApiFields,
  recordPatchSchema,
  recordSchema,
  recordsPerPageSchema,
  useFileValuesSchema,
} from '../records/rules';

/*
 * The API's contract: which zod schema each route reads and answers, from which the OpenAPI 3.1
 * document (/api/v1/openapi.json) and its reference page (/api/docs) are generated. Request
 * schemas are the noun modules' own rules, the ones the handlers validate with; the answers'
 * schemas type the functions that build them (organiser.ts, templates.ts). test/openapi.test.ts
 * checks that every API route is here and that every example is accepted by its route.
 */

// ---- Requests composed for the API from the nouns' rules ----

/** POST /v1/events: the event rule, and optionally a built-in template to start with (it becomes the default). */
export const newEventSchema = eventInputSchema.extend({ template: builtInTemplateSchema.optional() });

/** POST /v1/events/:slug/templates: a copy of a built-in design. */
export const newTemplateSchema = z.object({ builtIn: builtInTemplateSchema }).strict();

/** POST /v1/events/:slug/templates/:templateId/versions: the layout rule, as the designer saves it. */
export const templateVersionSchema = z.object({ layout: layoutSchema }).strict();

/** GET /v1/events/:slug/records: a page of the list, or a search by bib or name (up to 100 found). */
export const recordListQuerySchema = z.object({
  q: searchQuerySchema.optional(),
  page: recordPageSchema.default(1),
  perPage: recordsPerPageSchema.default(50),
});

/** The most records a search of the list answers. */
export const SEARCH_RESULTS_LIMIT = 100;

/** POST /v1/events/:slug/assets?name=: the file's name (anything unusable is "upload"). */
export const assetQuerySchema = z.object({ name: z.string().trim().min(1).max(120).catch('upload') });

/** POST /v1/events/:slug/imports: how to read the file (see README, API). */
const importQuerySchema = z.object({
  mapping: z.string().optional(),
  removeMissing: z.enum(['true', 'false']).optional(),
});

// ---- Answers ----

const id = z.number().int();
const url = z.string();

export const errorAnswer = z.object({ error: z.string() });

export const eventAnswer = z.object({
  id,
  slug: z.string(),
  name: z.string(),
  date: z.string().nullable(),
  location: z.string().nullable(),
  language: z.string().nullable(),
  published: z.boolean(),
  /** The template every record gets unless a rule picks another; null before one is added. */
  defaultTemplateId: id.nullable(),
});
export type EventAnswer = z.infer<typeof eventAnswer>;

const certificateFormatsAnswer = z.record(z.string(), url);

export const recordAnswer = recordApiFields.extend({
  bib: z.string().nullable(),
  key: z.string(),
  extra: z.record(z.string(), z.string()),
  corrections: z.object({ fields: z.array(z.string()), fileValues: z.record(z.string(), z.unknown()) }),
  certificateUrl: url,
  updatedAt: z.string(),
  formats: certificateFormatsAnswer.nullable(),
  verifyUrl: url.nullable(),
});
export type RecordAnswer = z.infer<typeof recordAnswer>;

const recordPageAnswer = z.object({
  records: z.array(recordAnswer),
  /** Every record of the event, or the number found by a search. */
  total: z.number().int(),
  page: z.number().int(),
  perPage: z.number().int(),
  pages: z.number().int(),
});

export const builtInTemplateAnswer = z.object({
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  width: z.number(),
  height: z.number(),
  previewUrl: url,
});
export type BuiltInTemplateAnswer = z.infer<typeof builtInTemplateAnswer>;

export const templateAnswer = z.object({
  id,
  name: z.string(),
  version: z.number().int(),
  /** Whether it is the event's default template. */
  default: z.boolean(),
  previewUrl: url,
  updatedAt: z.string(),
});
export type TemplateAnswer = z.infer<typeof templateAnswer>;
const templateWithLayoutAnswer = templateAnswer.extend({ layout: layoutSchema });

const rejectedRow = z.object({ line: z.number().int(), reason: z.string(), rows: z.number().int().optional() });
const importReportAnswer = z.object({
  importId: id.nullable().optional(),
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  removed: z.number().int(),
  heldRemovals: z.object({ reason: z.string(), bibs: z.array(z.string()), confirm: url }).nullable(),
  keptCorrections: z.array(z.object({}).loose()),
  rejected: z.array(rejectedRow),
  duplicates: z.array(
    z.object({ key: z.string(), bib: z.string().nullable(), name: z.string().nullable(), lines: z.array(z.number()) }),
  ),
  encoding: z.string(),
  delimiter: z.string(),
  mapping: mappingSchema,
});

const assetAnswer = z.object({
  id,
  hash: z.string(),
  name: z.string(),
  kind: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  originalWidth: z.number().int().nullable(),
  originalHeight: z.number().int().nullable(),
});

const publishProgressAnswer = z.object({
  published: z.boolean(),
  live: z
    .object({
      updatedAt: z.string().nullable(),
      certificates: z.number().int(),
      backlog: z.number().int(),
      stalled: z.boolean(),
    })
    .nullable(),
  run: z
    .object({
      id,
      total: z.number().int(),
      queued: z.number().int(),
      done: z.number().int(),
      failed: z.number().int(),
      placeholders: z.number().int(),
      finished: z.boolean(),
      stalled: z.boolean(),
      startedAt: z.string(),
    })
    .nullable(),
});

const searchAnswer = z.object({
  results: z.array(
    z.object({
      bib: z.string().nullable(),
      name: z.string(),
      category: z.string().nullable(),
      status: z.string(),
      finishTime: z.string().nullable(),
      certificateUrl: url,
      imageUrl: url,
      shareImageUrl: url,
      formats: certificateFormatsAnswer,
    }),
  ),
  /** How many visible records match; past 1,000 it stays 1,000 and `more` is true. */
  total: z.number().int(),
  more: z.boolean(),
});

// ---- The route table ----

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Tag = 'Events' | 'Templates' | 'Results files' | 'Records' | 'Publishing' | 'Public' | 'This reference';

interface Answer {
  description: string;
  /** A JSON answer by this schema, named in the document's components. */
  json?: [name: string, schema: z.ZodType];
  /** Another kind of answer: an image, a page. */
  contentType?: string;
}

type RequestBody =
  | { json: [name: string, schema: z.ZodType]; example: unknown }
  | { contentType: 'text/csv'; example: string }
  | { contentType: 'application/octet-stream'; description: string };

/** One route of the API, as the document describes it. */
export interface Operation {
  id: string;
  method: Method;
  /** The full path, params in braces: `/api/v1/events/{slug}`. */
  path: string;
  tag: Tag;
  summary: string;
  description?: string;
  /** Answers anyone; every other route needs `Authorization: Bearer <token>`. */
  public?: boolean;
  query?: { schema: z.ZodObject; describe: Record<string, string> };
  body?: RequestBody;
  answers: Record<number, Answer>;
  /** Refusals of this route besides 400 (bad input), 401 (no token) and 404 (not one of yours). */
  refusals?: Record<number, string>;
}

const exampleCsv =
  'Bib,Name,Time,Category\n101,Amara Okoye,2:59:01,W35\n102,Bjarne Lund,3:04:17,M40\n103,Chiara Neri,DNF,W30\n';
const exampleLayout = builtInTemplates.find((t) => t.slug === 'minimal')!.layout;

type Named = [name: string, schema: z.ZodType];
const event: Named = ['Event', eventAnswer];
const record: Named = ['Record', recordAnswer];
const template: Named = ['Template', templateAnswer];
const progress: Named = ['PublishProgress', publishProgressAnswer];

/** Every route of the API, in the order a timing system meets them. */
export const operations: Operation[] = [
  {
    id: 'listEvents',
    method: 'get',
    path: '/api/v1/events',
    tag: 'Events',
    summary: "The organiser's events, newest first",
    description: 'A token made for one event lists that event alone.',
    answers: { 200: { description: 'The events.', json: ['EventList', z.object({ events: z.array(eventAnswer) })] } },
  },
  {
    id: 'createEvent',
    method: 'post',
    path: '/api/v1/events',
    tag: 'Events',
    summary: 'Create an event, optionally with a built-in template',
    description:
      "The same rules as the admin's New event form. `template` names a built-in design (see `GET /api/v1/templates`): it is added to the event and becomes its default, so the event can be published once it has records. `language` is the participants' BCP 47 tag (`ja`, `zh-Hant`), for what script alone cannot tell.",
    body: {
      json: ['NewEvent', newEventSchema],
      example: {
        name: 'City Marathon 2026',
        slug: 'city-marathon-2026',
        date: '2026-04-19',
        location: 'Hamburg',
        template: 'classic-finisher',
      },
    },
    answers: { 201: { description: 'The event.', json: event } },
    refusals: {
      403: 'The organiser has 200 events already, or the token is for one event only.',
      409: 'Another event has the slug, or had it and still redirects there.',
    },
  },
  {
    id: 'getEvent',
    method: 'get',
    path: '/api/v1/events/{slug}',
    tag: 'Events',
    summary: 'One event',
    answers: { 200: { description: 'The event.', json: event } },
  },
  {
    id: 'updateEvent',
    method: 'patch',
    path: '/api/v1/events/{slug}',
    tag: 'Events',
    summary: "Change an event's name, slug, date, location or language",
    description:
      'Fields left out keep their values; `null` clears one. The changed event must pass the same rules as a new one. A changed `slug` keeps the old one working: the event page, certificate pages and both APIs at the old address redirect to the new one (301, or 308 for other methods than GET), and no other organiser can take it.',
    body: { json: ['EventChange', eventPatchSchema], example: { name: 'City Marathon', location: 'Hamburg-Altona' } },
    answers: { 200: { description: 'The event as it is now.', json: event } },
    refusals: { 409: 'Another event has the slug, or had it and still redirects there.' },
  },
  {
    id: 'listBuiltInTemplates',
    method: 'get',
    path: '/api/v1/templates',
    tag: 'Templates',
    summary: 'The built-in certificate designs',
    description: 'Each comes with a preview of a sample participant; fetch it with the same token.',
    answers: {
      200: {
        description: 'The designs.',
        json: ['BuiltInTemplateList', z.object({ templates: z.array(builtInTemplateAnswer) })],
      },
    },
  },
  {
    id: 'previewBuiltInTemplate',
    method: 'get',
    path: '/api/v1/templates/{template}/preview.png',
    tag: 'Templates',
    summary: "A built-in design's preview",
    answers: { 200: { description: 'The preview.', contentType: 'image/png' } },
  },
  {
    id: 'listTemplates',
    method: 'get',
    path: '/api/v1/events/{slug}/templates',
    tag: 'Templates',
    summary: "The event's templates, oldest first",
    answers: {
      200: { description: 'The templates.', json: ['TemplateList', z.object({ templates: z.array(templateAnswer) })] },
    },
  },
  {
    id: 'addTemplate',
    method: 'post',
    path: '/api/v1/events/{slug}/templates',
    tag: 'Templates',
    summary: 'Add a built-in design to the event',
    description: "The event's first template becomes its default.",
    body: { json: ['NewTemplate', newTemplateSchema], example: { builtIn: 'participation' } },
    answers: { 201: { description: 'The template, at version 1.', json: template } },
  },
  {
    id: 'getTemplate',
    method: 'get',
    path: '/api/v1/events/{slug}/templates/{templateId}',
    tag: 'Templates',
    summary: 'One template, with its layout',
    answers: { 200: { description: 'The template.', json: ['TemplateWithLayout', templateWithLayoutAnswer] } },
  },
  {
    id: 'addTemplateVersion',
    method: 'post',
    path: '/api/v1/events/{slug}/templates/{templateId}/versions',
    tag: 'Templates',
    summary: 'Upload a layout as the template’s next version',
    description:
      "The layout rule is the designer's: a layout is refused with the path of each bad field, e.g. `layout.elements.3.font.size: Too small: expected number to be >=4`, and may draw only images and fonts uploaded to this event (`POST …/assets`, then their `hash`). Certificates already drawn keep their URLs; publish again to draw them with the new version.",
    body: { json: ['TemplateVersion', templateVersionSchema], example: { layout: exampleLayout } },
    answers: {
      201: { description: 'The template at its new version.', json: ['TemplateWithLayout', templateWithLayoutAnswer] },
    },
  },
  {
    id: 'previewTemplate',
    method: 'get',
    path: '/api/v1/events/{slug}/templates/{templateId}/preview.png',
    tag: 'Templates',
    summary: "A template's preview, with a sample participant of this event",
    answers: { 200: { description: 'The preview.', contentType: 'image/png' } },
  },
  {
    id: 'getTemplateRules',
    method: 'get',
    path: '/api/v1/events/{slug}/template-rules',
    tag: 'Templates',
    summary: 'Which template each record gets',
    answers: { 200: { description: 'The default and the rules.', json: ['TemplateChoice', templateChoiceSchema] } },
  },
  {
    id: 'setTemplateRules',
    method: 'put',
    path: '/api/v1/events/{slug}/template-rules',
    tag: 'Templates',
    summary: 'Choose the default template and the rules before it',
    description:
      'The first rule that matches a record wins, else the default: a rule names a `category` (compared without case), a `status` (`finished`, or `unfinished` for DNF, DNS and DSQ), or both. Every template must be one of this event\'s. The whole choice is replaced: send `"rules": []` for none. Publish again to redraw certificates already prepared.',
    body: {
      json: ['TemplateChoice', templateChoiceSchema],
      example: {
        defaultTemplateId: 1,
        rules: [
          { category: 'W35', templateId: 2 },
          { status: 'unfinished', templateId: 2 },
        ],
      },
    },
    answers: { 200: { description: 'The choice as saved.', json: ['TemplateChoice', templateChoiceSchema] } },
  },
  {
    id: 'importResults',
    method: 'post',
    path: '/api/v1/events/{slug}/imports',
    tag: 'Results files',
    summary: 'Push a results file (CSV)',
    description:
      'The body is the file, up to 20 MB and 100,000 rows. Columns are guessed from the headers, or taken from the mapping saved with the last file, or from `?mapping=`. Records missing from the file are removed only with `removeMissing=true`; removals of more than 5 % of the event, or after unreadable rows, are held for `confirm-removals`. Files sent to one event apply in the order they arrived.',
    query: {
      schema: importQuerySchema,
      describe: {
        mapping:
          'JSON naming the column of each field, e.g. `{"bib":"Startnr","name":"Name","nameStyle":["first-last"]}` (schema: Mapping).',
        removeMissing: '`true` removes records the file no longer has.',
      },
    },
    body: { contentType: 'text/csv', example: exampleCsv },
    answers: { 200: { description: 'What the import did.', json: ['ImportReport', importReportAnswer] } },
    refusals: { 409: 'A newer file was applied already.', 413: 'More than 20 MB.' },
  },
  {
    id: 'confirmRemovals',
    method: 'post',
    path: '/api/v1/events/{slug}/imports/{importId}/confirm-removals',
    tag: 'Results files',
    summary: 'Remove the records an import held back',
    answers: {
      200: { description: 'How many were removed.', json: ['Removed', z.object({ removed: z.number().int() })] },
    },
  },
  {
    id: 'uploadAsset',
    method: 'post',
    path: '/api/v1/events/{slug}/assets',
    tag: 'Templates',
    summary: 'Upload an image or font for layouts',
    description: "A PNG, JPEG, TTF, OTF or WOFF file as the body, at most 10 MB. Use the answer's `hash` in a layout.",
    query: { schema: assetQuerySchema, describe: { name: "The file's name, e.g. `logo.png`." } },
    body: { contentType: 'application/octet-stream', description: 'The file.' },
    answers: { 201: { description: 'The stored file.', json: ['Asset', assetAnswer] } },
    refusals: { 413: 'More than 10 MB.', 415: 'Not a PNG, JPEG, TTF, OTF or WOFF file.' },
  },
  {
    id: 'listRecords',
    method: 'get',
    path: '/api/v1/events/{slug}/records',
    tag: 'Records',
    summary: "The event's records a page at a time, or a search",
    description: `Hidden records included. Best placed first: finishers by overall rank, then everyone else by name. With \`q\`, up to ${SEARCH_RESULTS_LIMIT} records whose bib is \`q\` or whose name has its words.`,
    query: {
      schema: recordListQuerySchema,
      describe: {
        q: 'A bib or words of a name.',
        page: 'The page, from 1.',
        perPage: 'Records a page, 1 to 200.',
      },
    },
    answers: { 200: { description: 'A page of records.', json: ['RecordPage', recordPageAnswer] } },
  },
  {
    id: 'createRecord',
    method: 'post',
    path: '/api/v1/events/{slug}/records',
    tag: 'Records',
    summary: 'Add a record',
    description:
      'By the record rule every way in shares (files, the Records tab): someone who did not finish has no time or finishing ranks. A participant without a bib is known by their name.',
    body: {
      json: ['NewRecord', recordSchema],
      example: {
        bib: '104',
        name: 'Dmitri Volkov',
        category: 'M40',
        gender: 'M',
        age: 44,
        finishTime: '3:15:00',
        status: 'finished',
        rankOverall: 4,
        rankGender: 3,
        rankCategory: 1,
      },
    },
    answers: { 201: { description: 'The record; `Location` is its address.', json: record } },
    refusals: { 409: 'The bib, or the name of someone without one, belongs to another record.' },
  },
  {
    id: 'getRecord',
    method: 'get',
    path: '/api/v1/events/{slug}/records/{bib}',
    tag: 'Records',
    summary: 'One record',
    description: 'The `ETag` is its version, for `If-Match` on `PATCH`.',
    answers: { 200: { description: 'The record.', json: record } },
  },
  {
    id: 'updateRecord',
    method: 'patch',
    path: '/api/v1/events/{slug}/records/{bib}',
    tag: 'Records',
    summary: 'Change a record, or hide it',
    description:
      'Fields left out keep their values; the changed record passes the record rule. Changed fields are hand corrections that imports leave alone. With a stale `If-Match`, 409 with the current record.',
    body: { json: ['RecordChange', recordPatchSchema], example: { finishTime: '3:14:58' } },
    answers: { 200: { description: 'The record as it is now.', json: record } },
    refusals: { 409: 'The record changed since the `If-Match` version; the answer holds it as it is now.' },
  },
  {
    id: 'deleteRecord',
    method: 'delete',
    path: '/api/v1/events/{slug}/records/{bib}',
    tag: 'Records',
    summary: 'Remove a record',
    description:
      'Its certificate link stops working. It can be restored on the Records tab for 30 days, and comes back with its link if a file has it again.',
    answers: { 204: { description: 'Removed.' } },
  },
  {
    id: 'useFileValues',
    method: 'post',
    path: '/api/v1/events/{slug}/records/{bib}/use-file-values',
    tag: 'Records',
    summary: "Take the file's values back for hand-corrected fields",
    body: { json: ['UseFileValues', useFileValuesSchema], example: { fields: ['finishTime'] } },
    answers: { 200: { description: 'The record as it is now.', json: record } },
  },
  {
    id: 'publish',
    method: 'post',
    path: '/api/v1/events/{slug}/publish',
    tag: 'Publishing',
    summary: 'Publish, or publish again',
    description:
      "Makes the event public and prepares every visible record's certificate in the background; follow with `GET`. Publishing again redraws what changed.",
    answers: { 202: { description: 'Progress as it starts.', json: progress } },
    refusals: { 409: 'The event has no template yet.' },
  },
  {
    id: 'publishProgress',
    method: 'get',
    path: '/api/v1/events/{slug}/publish',
    tag: 'Publishing',
    summary: 'Progress of the last publish',
    description:
      '`stalled` is true when nothing moved for two minutes; `placeholders` counts certificates drawn with a box for characters no font has. ' +
      'While the event is published, every import queues the certificates of the records it added or changed at once: `live` gives the last such import (`updatedAt`), how many it queued (`certificates`), and how many queued since the last publish are not ready yet (`backlog`); null while unpublished.',
    answers: { 200: { description: 'Progress.', json: progress } },
  },
  {
    id: 'resumePublish',
    method: 'post',
    path: '/api/v1/events/{slug}/publish/resume',
    tag: 'Publishing',
    summary: 'Start a stalled publish again where it stopped',
    answers: { 202: { description: 'Progress.', json: progress } },
    refusals: { 409: 'No stalled publish.' },
  },
  {
    id: 'unpublish',
    method: 'post',
    path: '/api/v1/events/{slug}/unpublish',
    tag: 'Publishing',
    summary: 'Unpublish: participants no longer find the event',
    description: 'Certificates stay prepared; publishing again shows them at the same addresses.',
    answers: { 200: { description: 'Progress, with `published: false`.', json: progress } },
  },
  {
    id: 'search',
    method: 'get',
    path: '/api/v1/events/{slug}/search',
    tag: 'Public',
    public: true,
    summary: "Search a published event's certificates",
    description:
      'For participants and other sites (CORS allows any origin). Visible records by exact bib or by name words; 60 searches a minute per client.',
    query: {
      schema: z.object({ q: searchQuerySchema }),
      describe: { q: 'A bib or words of a name.' },
    },
    answers: { 200: { description: 'Up to 20 results.', json: ['SearchResults', searchAnswer] } },
    refusals: { 429: 'Too many searches; see `Retry-After`.' },
  },
  {
    id: 'openApiDocument',
    method: 'get',
    path: apiPaths.openApi,
    tag: 'This reference',
    public: true,
    summary: 'This document (OpenAPI 3.1)',
    answers: { 200: { description: 'The document.', contentType: 'application/json' } },
  },
  {
    id: 'reference',
    method: 'get',
    path: apiPaths.reference,
    tag: 'This reference',
    public: true,
    summary: 'This document as a page to read',
    answers: { 200: { description: 'The page.', contentType: 'text/html' } },
  },
];

const pathParams: Record<string, string> = {
  slug: "The event's address, as in `/events/{slug}`. An address it had before redirects to the current one (for another organiser's event, 404).",
  bib: "The record's bib; for someone without one, its `key` (`name:anna muller`, `key:anna@example.com`), URL-encoded.",
  templateId: "One of the event's templates, by id.",
  template: 'A built-in design, by the `slug` that `GET /api/v1/templates` lists.',
  importId: 'The import that held removals back (`heldRemovals.confirm` in its answer).',
};

function refusalsAlways(op: Operation): Record<number, string> {
  const refusals: Record<number, string> = {};
  if (op.body || op.query) refusals[400] = 'The input breaks a rule: `error` names each field and why.';
  if (!op.public) refusals[401] = 'No valid token, or an expired one.';
  if (op.path.includes('{')) refusals[404] = 'Not one of yours, or not there.';
  return refusals;
}

// The document's schema keywords that OpenAPI does not need on a component.
const withoutIds = ({ $schema: _schema, $id: _id, ...schema }: Record<string, unknown>) => schema;

/** The JSON Schema of every named request and answer, as OpenAPI components (built once per isolate). */
function componentSchemas() {
  const named = z.registry<{ id: string }>();
  const add = (name: string, schema: z.ZodType) => {
    if (!named.has(schema)) named.add(schema, { id: name });
  };
  add('Layout', layoutSchema);
  add('Mapping', mappingSchema);
  add('TemplateRule', templateRuleSchema);
  add('Error', errorAnswer);
  add('Event', eventAnswer);
  add('Record', recordAnswer);
  add('Template', templateAnswer);
  add('BuiltInTemplate', builtInTemplateAnswer);
  for (const op of operations) {
    if (op.body && 'json' in op.body) add(...op.body.json);
    for (const answer of Object.values(op.answers)) if (answer.json) add(...answer.json);
  }
  const { schemas } = z.toJSONSchema(named, {
    // What a client sends and what it reads alike: the answers' schemas have no transforms or defaults.
    io: 'input',
    unrepresentable: 'any',
    uri: (name) => `#/components/schemas/${name}`,
  });
  return Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, withoutIds(schema)]));
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function parametersOf(op: Operation) {
  const inPath = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name: name!,
    in: 'path',
    required: true,
    description: pathParams[name!] ?? '',
    schema: { type: 'string' },
  }));
  const inQuery = Object.entries(op.query?.schema.shape ?? {}).map(([name, schema]) => {
    const json = withoutIds(z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }));
    return {
      name,
      in: 'query',
      required: !(schema as z.ZodType).safeParse(undefined).success,
      description: op.query!.describe[name] ?? '',
      schema: json,
    };
  });
  return [...inPath, ...inQuery];
}

function requestBodyOf(body: RequestBody) {
  if ('json' in body)
    return { required: true, content: { 'application/json': { schema: ref(body.json[0]), example: body.example } } };
  if (body.contentType === 'text/csv')
    return { required: true, content: { 'text/csv': { schema: { type: 'string' }, example: body.example } } };
  return {
    required: true,
    description: body.description,
    content: {
      'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } },
    },
  };
}

function responsesOf(op: Operation) {
  const responses: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(op.answers)) {
    responses[status] = {
      description: answer.description,
      ...(answer.json
        ? { content: { 'application/json': { schema: ref(answer.json[0]) } } }
        : answer.contentType
          ? { content: { [answer.contentType]: { schema: { type: 'string' } } } }
          : {}),
    };
  }
  for (const [status, description] of Object.entries({ ...refusalsAlways(op), ...op.refusals })) {
    responses[status] = { description, content: { 'application/json': { schema: ref('Error') } } };
  }
  return responses;
}

let built: { components: Record<string, unknown>; paths: Record<string, Record<string, unknown>> } | undefined;

/** The OpenAPI 3.1 document of the API, with `origin` (from linkOrigin) as its server. */
export function openApiDocument(origin: string) {
  built ??= (() => {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const op of operations) {
      paths[op.path] ??= {};
      paths[op.path]![op.method] = {
        operationId: op.id,
        tags: [op.tag],
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        ...(op.public ? { security: [] } : {}),
        parameters: parametersOf(op),
        ...(op.body ? { requestBody: requestBodyOf(op.body) } : {}),
        responses: responsesOf(op),
      };
    }
    return { components: componentSchemas(), paths };
  })();
  return {
    openapi: '3.1.0',
    info: {
      title: 'Certificate portal API',
      version: '1',
      description:
        'Create events, push results from a timing system, choose certificate templates and publish. Send `Authorization: Bearer <token>` (API tokens are made in the admin, under API tokens). Errors are `{ "error": message }` with a fitting status. POSTs may carry an `Idempotency-Key`: a retry with the same key gets the first answer.',
    },
    servers: [{ url: origin }],
    tags: [...new Set(operations.map((op) => op.tag))].map((name) => ({ name })),
    security: [{ bearerAuth: [] }],
    paths: built.paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas: built.components,
    },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;

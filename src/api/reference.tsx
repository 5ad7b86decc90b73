import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { apiPaths } from '../paths';
import { Page } from '../ui/page';
import type { OpenApiDocument } from './openapi';

/*
 * The API reference as a page of its own, rendered on the server from the OpenAPI document: every
 * route with its parameters, body, example and answers, then every schema. No script, nothing
 * fetched from elsewhere, so it works offline and under the app's CSP.
 */

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description: string;
  schema: Schema;
}
interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security?: unknown[];
  parameters: Parameter[];
  requestBody?: { description?: string; content: Record<string, { schema: Schema; example?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}

const css = `
.reference code, .reference pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.9em; }
.reference pre { background: #f5f5f4; padding: 0.75rem; overflow-x: auto; border-radius: 6px; }
.reference table { width: 100%; border-collapse: collapse; margin: 0.5rem 0; }
.reference th, .reference td { text-align: left; vertical-align: top; padding: 0.3rem 0.5rem; border-bottom: 1px solid #e7e5e4; }
.reference .method { display: inline-block; min-width: 4.5em; font-weight: 700; text-transform: uppercase; }
.reference .schema td table { margin: 0.25rem 0 0; }
.reference nav ul { list-style: none; padding-left: 0; }
`;

const MAX_DEPTH = 6;

/** Backticks in descriptions are code, as in the README; everything else is text. */
function Prose({ text }: { text: string }) {
  return <>{text.split(/(`[^`]+`)/).map((part) => (part.startsWith('`') ? <code>{part.slice(1, -1)}</code> : part))}</>;
}

const refName = (schema: Schema) =>
  typeof schema.$ref === 'string' ? schema.$ref.replace('#/components/schemas/', '') : undefined;

/** What a schema's values may be, in a line: `string, at most 120 characters`, `one of "a", "b"`. */
function constraints(schema: Schema): string[] {
  const notes: string[] = [];
  if (Array.isArray(schema.enum)) notes.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  if (schema.const !== undefined) notes.push(`always ${JSON.stringify(schema.const)}`);
  if (schema.minLength === 1) notes.push('not empty');
  else if (schema.minLength !== undefined) notes.push(`at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined) notes.push(`at most ${schema.maxLength} characters`);
  if (schema.pattern !== undefined) notes.push(`matching ${schema.pattern}`);
  // Zod's safe-integer bounds say nothing a reader needs.
  const min =
    typeof schema.minimum === 'number' && schema.minimum > Number.MIN_SAFE_INTEGER ? schema.minimum : undefined;
  const max =
    typeof schema.maximum === 'number' && schema.maximum < Number.MAX_SAFE_INTEGER ? schema.maximum : undefined;
  if (min !== undefined && max !== undefined) notes.push(`${min} to ${max}`);
  else if (min !== undefined) notes.push(`at least ${min}`);
  else if (max !== undefined) notes.push(`at most ${max}`);
  if (schema.exclusiveMinimum !== undefined) notes.push(`above ${schema.exclusiveMinimum}`);
  if (schema.maxItems !== undefined) notes.push(`at most ${schema.maxItems} items`);
  if (schema.default !== undefined) notes.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.additionalProperties === false) notes.push('no other fields');
  return notes;
}

/** A schema as readable type: a link to a named one, `array of …`, alternatives, or a table of fields. */
function SchemaView({ schema, depth = 0 }: { schema: Schema; depth?: number }): Child {
  const name = refName(schema);
  if (name) return <a href={`#schema-${name}`}>{name}</a>;
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives) {
    const nullable = alternatives.some((s) => s.type === 'null');
    const rest = alternatives.filter((s) => s.type !== 'null');
    if (rest.length === 1)
      return (
        <>
          <SchemaView schema={rest[0]!} depth={depth} />
          {nullable && ' or null'}
        </>
      );
    return (
      <>
        {nullable ? 'null, or one of:' : 'one of:'}
        <ol>
          {rest.map((s) => (
            <li>
              <SchemaView schema={s} depth={depth + 1} />
            </li>
          ))}
        </ol>
      </>
    );
  }
  if (schema.type === 'array' && schema.items)
    return (
      <>
        array of <SchemaView schema={schema.items as Schema} depth={depth} />
        {constraints(schema).length > 0 && <span class="muted"> ({constraints(schema).join(', ')})</span>}
      </>
    );
  const properties = schema.properties as Record<string, Schema> | undefined;
  if (schema.type === 'object' && properties) {
    if (depth >= MAX_DEPTH) return <pre>{JSON.stringify(schema, null, 2)}</pre>;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    return (
      <table class="schema">
        <tbody>
          {Object.entries(properties).map(([field, value]) => (
            <tr>
              <td>
                <code>{field}</code>
                {required.has(field) ? '' : <span class="muted"> optional</span>}
              </td>
              <td>
                <SchemaView schema={value} depth={depth + 1} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  const additional = schema.additionalProperties;
  if (schema.type === 'object' && additional && typeof additional === 'object')
    return (
      <>
        object of <SchemaView schema={additional as Schema} depth={depth} />
      </>
    );
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : String(schema.type ?? 'any value');
  const notes = constraints(schema);
  return (
    <>
      {type}
      {notes.length > 0 && <span class="muted"> ({notes.join(', ')})</span>}
    </>
  );
}

function OperationView({
  path,
  method,
  op,
  schemas,
}: {
  path: string;
  method: string;
  op: Operation;
  schemas: Record<string, unknown>;
}) {
  const body = op.requestBody && Object.entries(op.requestBody.content)[0];
  // A body's own fields are shown here, not behind a link.
  const bodySchema = body && refName(body[1].schema);
  return (
    <section class="card" id={op.operationId}>
      <h3>
        <span class="method">{method}</span> <code>{path}</code>
      </h3>
      <p>
        <strong>{op.summary}</strong>
        {op.security?.length === 0 ? ' · public, no token' : ' · needs a token'}
      </p>
      {op.description && (
        <p>
          <Prose text={op.description} />
        </p>
      )}
      {op.parameters.length > 0 && (
        <>
          <h4>Parameters</h4>
          <table>
            <tbody>
              {op.parameters.map((p) => (
                <tr>
                  <td>
                    <code>{p.name}</code> <span class="muted">{p.in}</span>
                    {!p.required && <span class="muted">, optional</span>}
                  </td>
                  <td>
                    <SchemaView schema={p.schema} />
                  </td>
                  <td>
                    <Prose text={p.description} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {body && (
        <>
          <h4>
            Body <code>{body[0]}</code>
          </h4>
          {op.requestBody?.description && <p>{op.requestBody.description}</p>}
          {bodySchema && (
            <>
              <p class="muted">
                Schema <a href={`#schema-${bodySchema}`}>{bodySchema}</a>
              </p>
              <SchemaView schema={(schemas[bodySchema] as Schema | undefined) ?? body[1].schema} />
            </>
          )}
          {body[1].example !== undefined && (
            <details open={body[0] !== 'application/json' || JSON.stringify(body[1].example).length < 600}>
              <summary>Example</summary>
              <pre>
                {typeof body[1].example === 'string' ? body[1].example : JSON.stringify(body[1].example, null, 2)}
              </pre>
            </details>
          )}
        </>
      )}
      <h4>Answers</h4>
      <table>
        <tbody>
          {Object.entries(op.responses).map(([status, answer]) => {
            const content = answer.content && Object.entries(answer.content)[0];
            return (
              <tr>
                <td>
                  <code>{status}</code>
                </td>
                <td>
                  <Prose text={answer.description} />
                </td>
                <td>
                  {content &&
                    (content[0] === 'application/json' ? <SchemaView schema={content[1].schema} /> : content[0])}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** The reference page for a document made by openApiDocument. */
export function ApiReference({ document }: { document: OpenApiDocument }) {
  const routes = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op: op as Operation })),
  );
  return (
    <Page title={document.info.title} head={<style>{raw(css)}</style>}>
      <div class="reference">
        <h1>{document.info.title}</h1>
        <p>
          <Prose text={document.info.description} />
        </p>
        <p>
          The same as an OpenAPI {document.openapi} document: <a href={apiPaths.openApi}>{apiPaths.openApi}</a>. Server:{' '}
          <code>{document.servers[0]?.url}</code>.
        </p>
        <nav class="card">
          <ul>
            {routes.map(({ path, method, op }) => (
              <li>
                <a href={`#${op.operationId}`}>
                  <span class="method">{method}</span> <code>{path}</code>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {document.tags.map(({ name }) => (
          <>
            <h2>{name}</h2>
            {routes
              .filter(({ op }) => op.tags.includes(name))
              .map((route) => (
                <OperationView {...route} schemas={document.components.schemas} />
              ))}
          </>
        ))}
        <h2>Schemas</h2>
        {Object.entries(document.components.schemas).map(([name, schema]) => (
          <section class="card" id={`schema-${name}`}>
            <h3>{name}</h3>
            <SchemaView schema={schema as Schema} />
          </section>
        ))}
      </div>
    </Page>
  );
}

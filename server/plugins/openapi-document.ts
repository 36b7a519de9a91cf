/**
 * The last steps of `/openapi.json`, applied once to the document generated from the routes' zod schemas:
 *
 *  1. errors are JSON, also on routes that answer SVG, HTML or CSV;
 *  2. every response is described in words: an error by its status (ERROR_DESCRIPTIONS in
 *     schema/contracts/common.ts), a success by its status and what it returns (the schema's own description,
 *     its name, or the operation's summary);
 *  3. only the components the operations use are kept, and request schemas carry their own names.
 *
 * Why step 3: fastify-type-provider-zod emits every registered schema twice, as `X` (how the server writes it)
 * and `XInput` (how a client would send it), whether or not an operation uses it; so `InitiativeInput` (the
 * response `Initiative` read as input: `id`, `createdAt`…) sat next to the real request body. Request bodies
 * register their own ids (`InitiativeCreate`, `InitiativePatch`); here the unused variants are dropped and an
 * `XInput` that no response shares a name with is called `X`.
 *
 * @example
 * // before: InitiativeCreate (unused), InitiativeCreateInput (the body), Initiative, InitiativeInput (unused)
 * // after:  InitiativeCreate (the body), Initiative (the response)
 */
import { STATUS_CODES } from 'node:http';
import { ERROR_DESCRIPTIONS, type ErrorStatus } from '../../schema/contracts/common.ts';

type Json = Record<string, unknown>;
interface Schema extends Json {
  $ref?: string;
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
}
interface MediaType {
  schema?: Schema;
}
interface Response {
  description?: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  summary?: string;
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, Response>;
}
export interface OpenApiDocument extends Json {
  paths?: Record<string, Record<string, Operation>>;
  components?: Json & { schemas?: Record<string, Schema> };
}

const SCHEMA_REF = '#/components/schemas/';
/** What @fastify/swagger writes when a response has no description of its own. */
const DEFAULT_DESCRIPTION = 'Default Response';
/** fastify-type-provider-zod's suffix for the input variant of a registered schema. */
const INPUT_SUFFIX = 'Input';

function* operationsOf(document: OpenApiDocument): Generator<Operation> {
  for (const item of Object.values(document.paths ?? {})) yield* Object.values(item);
}

/** Step 1. Routes that declare `produces` get it on every status; their errors are JSON like everywhere else. */
export function errorsAsJson(document: OpenApiDocument): OpenApiDocument {
  for (const operation of operationsOf(document)) {
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      if (Number(status) < 400 || !response.content || 'application/json' in response.content) continue;
      const [first] = Object.values(response.content);
      response.content = { 'application/json': first! };
    }
  }
  return document;
}

const refName = (schema: Schema | undefined) =>
  schema?.$ref?.startsWith(SCHEMA_REF) ? schema.$ref.slice(SCHEMA_REF.length) : undefined;

/** A description that only repeats a media type (`text/html`) says nothing. */
function isWords(description: string | undefined, response: Response): description is string {
  if (!description || description === DEFAULT_DESCRIPTION) return false;
  return !Object.keys(response.content ?? {}).includes(description);
}

/**
 * What a success answer returns, in words: the named schema with its own description (or the operation's
 * summary), or for an inline schema (whose description @fastify/swagger would already have used) the summary.
 *
 * @example successSubject({ $ref: '#/components/schemas/Partner' }, { Partner: { description: 'An organisation' } })
 * // → 'Partner — An organisation'
 * @example successSubject({ type: 'string' }, {}, 'The chart as SVG') // → 'The chart as SVG'
 */
function successSubject(schema: Schema | undefined, components: Record<string, Schema>, summary?: string): string {
  const name = refName(schema);
  const words = (name && components[name]?.description) ?? summary;
  if (!name) return words ?? 'the answer';
  return words ? `${name} — ${words}` : name;
}

/** Step 2. Fills every response description @fastify/swagger left as "Default Response". */
export function describeResponses(document: OpenApiDocument): OpenApiDocument {
  const components = document.components?.schemas ?? {};
  for (const operation of operationsOf(document)) {
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      const code = Number(status);
      const [media] = Object.values(response.content ?? {});
      const phrase = STATUS_CODES[code] ?? status;
      if (isWords(response.description, response)) {
        // An inline schema's own description, taken as is by @fastify/swagger: say the status too.
        if (code < 400 && response.description === media?.schema?.description)
          response.description = `${phrase}: ${response.description}`;
        continue;
      }
      if (code >= 400) {
        response.description = ERROR_DESCRIPTIONS[code as ErrorStatus] ?? STATUS_CODES[code] ?? 'An error';
        continue;
      }
      response.description = media
        ? `${phrase}: ${successSubject(media.schema, components, operation.summary)}`
        : `${phrase}: ${operation.summary ?? 'done'}`;
    }
  }
  return document;
}

/** Every `$ref` to a component schema inside a value, recursively. */
function* refsIn(value: unknown): Generator<string> {
  if (Array.isArray(value)) {
    for (const item of value) yield* refsIn(item);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(SCHEMA_REF)) {
        yield child.slice(SCHEMA_REF.length);
      } else {
        yield* refsIn(child);
      }
    }
  }
}

/** The component schemas reachable from the operations, following references between components. */
function reachableComponents(document: OpenApiDocument): Set<string> {
  const components = document.components?.schemas ?? {};
  const reached = new Set<string>();
  const pending = [...refsIn(document.paths)];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (reached.has(name) || !(name in components)) continue;
    reached.add(name);
    pending.push(...refsIn(components[name]));
  }
  return reached;
}

function rewriteRefs(value: unknown, renamed: Map<string, string>): void {
  if (Array.isArray(value)) {
    for (const item of value) rewriteRefs(item, renamed);
  } else if (value !== null && typeof value === 'object') {
    const node = value as Json;
    for (const [key, child] of Object.entries(node)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(SCHEMA_REF)) {
        const target = renamed.get(child.slice(SCHEMA_REF.length));
        if (target) node[key] = SCHEMA_REF + target;
      } else {
        rewriteRefs(child, renamed);
      }
    }
  }
}

/** Step 3. Drops unused component schemas and names request-only input variants without the suffix. */
export function keepUsedComponents(document: OpenApiDocument): OpenApiDocument {
  const components = document.components?.schemas;
  if (!components) return document;
  const used = reachableComponents(document);
  const renamed = new Map<string, string>();
  for (const name of used) {
    if (!name.endsWith(INPUT_SUFFIX)) continue;
    const plain = name.slice(0, -INPUT_SUFFIX.length);
    if (!used.has(plain)) renamed.set(name, plain);
  }
  const kept: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(components)) {
    if (used.has(name)) kept[renamed.get(name) ?? name] = schema;
  }
  document.components!.schemas = kept;
  rewriteRefs(document.paths, renamed);
  rewriteRefs(kept, renamed);
  return document;
}

/** Steps 1–3, in order. */
export function finishDocument(document: OpenApiDocument): OpenApiDocument {
  return keepUsedComponents(describeResponses(errorsAsJson(document)));
}

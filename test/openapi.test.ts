/**
 * `/openapi.json` is a valid OpenAPI 3.x document that describes every route of the contract (api.md
 * "Resources" and "Reading"), each with an operationId, tags, a success schema and its error responses;
 * `/docs` serves Swagger UI from this server.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { Validator } from '@seriousme/openapi-schema-validator';
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import t from './helpers/tap.ts';
import { ERROR_DESCRIPTIONS } from '../schema/contracts/common.ts';
import type { Database } from '../schema/database.ts';
import { buildApp } from '../server/app.ts';

// The document is built from the routes alone: a database that is never reached will do.
const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 500 });
pool.on('error', () => undefined);
const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
const app = await buildApp({ config: { bodyLimitBytes: 1_048_576, logLevel: 'silent' }, db, logger: false });
t.teardown(async () => {
  await app.close();
  await db.destroy();
});

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'] as const;

const response = await app.inject({ method: 'GET', url: '/openapi.json' });
const doc: Json = JSON.parse(response.body);

/** api.md "Resources" and the tree of "Reading": each must be documented. */
const CONTRACT: Array<[string, string]> = [
  ['post', '/api/v1/initiatives'],
  ['get', '/api/v1/initiatives'],
  ['get', '/api/v1/initiatives/{initiativeId}'],
  ['patch', '/api/v1/initiatives/{initiativeId}'],
  ['delete', '/api/v1/initiatives/{initiativeId}'],
  ['post', '/api/v1/initiatives/{initiativeId}/partners'],
  ['get', '/api/v1/initiatives/{initiativeId}/partners'],
  ['get', '/api/v1/partners/{partnerId}'],
  ['patch', '/api/v1/partners/{partnerId}'],
  ['delete', '/api/v1/partners/{partnerId}'],
  ['post', '/api/v1/initiatives/{initiativeId}/results'],
  ['get', '/api/v1/initiatives/{initiativeId}/results'],
  ['get', '/api/v1/results/{resultId}'],
  ['patch', '/api/v1/results/{resultId}'],
  ['delete', '/api/v1/results/{resultId}'],
  ['post', '/api/v1/results/{resultId}/outcomes'],
  ['get', '/api/v1/results/{resultId}/outcomes'],
  ['get', '/api/v1/outcomes/{outcomeId}'],
  ['patch', '/api/v1/outcomes/{outcomeId}'],
  ['delete', '/api/v1/outcomes/{outcomeId}'],
  ['post', '/api/v1/results/{resultId}/indicators'],
  ['get', '/api/v1/results/{resultId}/indicators'],
  ['get', '/api/v1/indicators/{indicatorId}'],
  ['patch', '/api/v1/indicators/{indicatorId}'],
  ['delete', '/api/v1/indicators/{indicatorId}'],
  ['put', '/api/v1/indicators/{indicatorId}/data-points'],
  ['get', '/api/v1/indicators/{indicatorId}/data-points'],
  ['get', '/api/v1/data-points/{dataPointId}'],
  ['patch', '/api/v1/data-points/{dataPointId}'],
  ['delete', '/api/v1/data-points/{dataPointId}'],
  ['get', '/api/v1/results/{resultId}/tree'],
];
/** The rest of "Reading": documented as soon as the route exists. */
const READING_LATER: Array<[string, string]> = [
  ['get', '/api/v1/indicators/{indicatorId}/analysis'],
  ['get', '/api/v1/results/{resultId}/scorecard'],
  ['get', '/api/v1/results/{resultId}/smart'],
];

const toFastifyPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');
const routeExists = (method: string, path: string) =>
  app.hasRoute({ method: method.toUpperCase() as 'GET', url: toFastifyPath(path) });

const operations: Array<{ method: string; path: string; op: Json }> = [];
for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
  for (const method of METHODS) if (item[method]) operations.push({ method, path, op: item[method] });
}
const apiOperations = operations.filter((o) => o.path.startsWith('/api/'));

/** Follows a local `$ref` (`#/components/schemas/X`). */
function deref(schema: Json | undefined): Json | undefined {
  if (!schema?.$ref) return schema;
  const target = String(schema.$ref)
    .replace(/^#\//, '')
    .split('/')
    .reduce<Json | undefined>((node, part) => node?.[part], doc);
  return deref(target);
}

t.test('/openapi.json is a valid OpenAPI 3.x document', async (t) => {
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /application\/json/);
  t.match(doc.openapi, /^3\.\d+\.\d+$/);
  const validator = new Validator();
  const result = await validator.validate(doc);
  t.ok(result.valid, 'valid against the OpenAPI schema');
  if (!result.valid) t.comment(JSON.stringify(result.errors, null, 2).slice(0, 4000));
  t.match(validator.version, /^3\./);
  t.ok(doc.info?.title);
  t.ok(doc.info?.version);
  t.doesNotThrow(() => validator.resolveRefs(), 'every $ref resolves');
});

/**
 * The document as served, for the tests below: the validator of the first test resolves the references inside
 * `doc` in place.
 */
const served: Json = JSON.parse(response.body);
const servedOperations: Array<{ method: string; path: string; op: Json }> = [];
for (const [path, item] of Object.entries<Json>(served.paths ?? {})) {
  for (const method of METHODS) if (item[method]) servedOperations.push({ method, path, op: item[method] });
}
const servedById = new Map(servedOperations.map(({ op }) => [op.operationId as string, op]));
const SCHEMAS = '#/components/schemas/';
const component = (schema: Json | undefined): Json | undefined =>
  schema?.$ref ? component(served.components.schemas[String(schema.$ref).replace(SCHEMAS, '')]) : schema;

t.test('/openapi.json is valid OpenAPI 3.1 for swagger-parser as well', async (t) => {
  t.equal(served.openapi, '3.1.0');
  t.same(served.info.license, { name: 'MIT', identifier: 'MIT' }, 'the licence by its SPDX identifier');
  // swagger-parser dereferences the document it validates: give it a copy of its own.
  await t.resolves(SwaggerParser.validate(JSON.parse(response.body)), 'swagger-parser finds it valid');
});

t.test('every response of every operation is described in words', async (t) => {
  let count = 0;
  for (const { method, path, op } of servedOperations) {
    for (const [status, response] of Object.entries<Json>(op.responses ?? {})) {
      const name = `${method.toUpperCase()} ${path} ${status}`;
      const description: unknown = response.description;
      count++;
      t.type(description, 'string', `${name}: described`);
      t.not(description, 'Default Response', `${name}: not the default description`);
      t.notOk(Object.keys(response.content ?? {}).includes(description as string), `${name}: not just a media type`);
      if (Number(status) >= 400) {
        const expected = ERROR_DESCRIPTIONS[Number(status) as keyof typeof ERROR_DESCRIPTIONS];
        t.equal(description, expected, `${name}: the description of its status`);
      }
    }
  }
  t.ok(count > 500, `${count} responses checked`);
  t.equal(new Set(Object.values(ERROR_DESCRIPTIONS)).size, Object.keys(ERROR_DESCRIPTIONS).length, 'one per status');
});

/** Fields the server sets: a request never sends them. */
const READ_ONLY = ['id', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy'];

/** The property names of a schema and of every schema inside it, following references. */
function propertyNames(schema: Json | undefined, seen = new Set<Json>()): string[] {
  const node = component(schema);
  if (!node || seen.has(node)) return [];
  seen.add(node);
  const inner: Json[] = [
    ...Object.values<Json>(node.properties ?? {}),
    ...[node.items, node.additionalProperties].filter((s) => s && typeof s === 'object'),
    ...(node.anyOf ?? []),
    ...(node.oneOf ?? []),
    ...(node.allOf ?? []),
  ];
  return [...Object.keys(node.properties ?? {}), ...inner.flatMap((s) => propertyNames(s, seen))];
}

/** Component schemas referenced (directly or through other components) from a part of the document. */
function componentsUsedBy(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) componentsUsedBy(item, found);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key !== '$ref' || typeof child !== 'string') {
        componentsUsedBy(child, found);
        continue;
      }
      const name = child.replace(SCHEMAS, '');
      if (found.has(name)) continue;
      found.add(name);
      componentsUsedBy(served.components.schemas[name], found);
    }
  }
  return found;
}

t.test('request bodies have schemas of their own, without the fields the server sets', async (t) => {
  const requests = new Set<string>();
  for (const { method, path, op } of servedOperations) {
    const schema = op.requestBody?.content?.['application/json']?.schema;
    if (!schema) continue;
    const name = `${method.toUpperCase()} ${path}`;
    t.match(schema.$ref, /^#\/components\/schemas\/[A-Z]\w+$/, `${name}: a named request schema`);
    const fields = propertyNames(schema);
    t.same(
      fields.filter((f) => READ_ONLY.includes(f)),
      [],
      `${name}: no read-only field among ${fields.length}`,
    );
    for (const used of componentsUsedBy(op.requestBody)) requests.add(used);
  }
  const responses = componentsUsedBy(servedOperations.map(({ op }) => op.responses));
  t.same(
    [...requests].filter((n) => responses.has(n)),
    [],
    'no schema is both a request and a response',
  );
  const names = Object.keys(served.components.schemas);
  t.same(
    names.filter((n) => n.endsWith('Input')),
    [],
    'no input copy of a response schema',
  );
  t.same(
    names.filter((n) => !requests.has(n) && !responses.has(n)),
    [],
    'every component is used',
  );
  t.ok(requests.has('InitiativeCreate') && requests.has('InitiativePatch'), 'e.g. InitiativeCreate, InitiativePatch');
});

t.test('the health routes document the errors they can answer', async (t) => {
  for (const id of ['healthz', 'readyz']) {
    const responses: Json = servedById.get(id)?.responses ?? {};
    t.same(Object.keys(responses).sort(), ['200', '401', '429', '500', '503'], `${id}: its statuses`);
  }
  // A malformed token is refused on every route, /healthz included, before its handler runs.
  const refused = await app.inject({ method: 'GET', url: '/healthz', headers: { authorization: 'Basic abc' } });
  t.equal(refused.statusCode, 401);
  t.match(refused.json(), { error: { code: 'unauthenticated' } });
  // This app's database is unreachable: a token that must be looked up cannot be, so the answer is a 503.
  const unknown = await app.inject({ method: 'GET', url: '/healthz', headers: { authorization: 'Bearer rba_x' } });
  t.equal(unknown.statusCode, 503);
  t.match(unknown.json(), { error: { code: 'database_unavailable' } });
});

t.test('the main operations show examples', async (t) => {
  /** An example on the media type (inline schemas) or on the named schema. */
  const hasExample = (media: Json | undefined, schema = component(media?.schema)) =>
    media?.example !== undefined || Object.keys(media?.examples ?? {}).length > 0 || schema?.examples?.length > 0;
  const request = (id: string, type = 'application/json') => servedById.get(id)?.requestBody?.content?.[type];
  const answer = (id: string, status = '200') => servedById.get(id)?.responses?.[status]?.content?.['application/json'];
  const listItems = component(component(answer('listIndicators')?.schema)?.properties?.items?.items);
  t.ok(hasExample(request('createIndicator')), 'createIndicator: the request');
  t.ok(hasExample(answer('createIndicator', '201')), 'createIndicator: the answer');
  t.ok(hasExample(undefined, listItems), 'listIndicators: the items');
  t.ok(hasExample(request('upsertDataPoints')), 'upsertDataPoints: the request');
  t.ok(hasExample(answer('upsertDataPoints')), 'upsertDataPoints: the answer');
  t.ok(hasExample(answer('analyzeIndicator')), 'analyzeIndicator: the answer');
  t.ok(hasExample(request('importIndicatorCsv', 'text/csv')), 'importIndicatorCsv: the file');
  t.ok(hasExample(answer('importIndicatorCsv')), 'importIndicatorCsv: the answer');
});

t.test('every route of the contract is documented, and every documented route exists', async (t) => {
  const documented = new Set(operations.map((o) => `${o.method} ${o.path}`));
  for (const [method, path] of CONTRACT) {
    t.ok(documented.has(`${method} ${path}`), `${method.toUpperCase()} ${path} is documented`);
    t.ok(routeExists(method, path), `${method.toUpperCase()} ${path} is served`);
  }
  for (const [method, path] of READING_LATER) {
    if (routeExists(method, path))
      t.ok(documented.has(`${method} ${path}`), `${method.toUpperCase()} ${path} is documented`);
  }
  for (const { method, path } of operations)
    t.ok(routeExists(method, path), `documented ${method.toUpperCase()} ${path} is a real route`);
  for (const [method, path] of [
    ['get', '/healthz'],
    ['get', '/readyz'],
  ] as const) {
    t.ok(documented.has(`${method} ${path}`), `${path} is documented`);
  }
});

t.test('each operation has an operationId, tags, a 2xx schema and its error responses', async (t) => {
  const declaredTags = new Set((doc.tags ?? []).map((tag: { name: string }) => tag.name));
  const ids = new Set<string>();
  for (const { method, path, op } of operations) {
    const name = `${method.toUpperCase()} ${path}`;
    t.match(op.operationId, /^[a-z][A-Za-z0-9]+$/, `${name}: operationId`);
    t.notOk(ids.has(op.operationId), `${name}: operationId ${op.operationId} is unique`);
    ids.add(op.operationId);
    t.ok(Array.isArray(op.tags) && op.tags.length > 0, `${name}: tags`);
    for (const tag of op.tags ?? []) t.ok(declaredTags.has(tag), `${name}: tag "${tag}" is declared`);
    t.ok(op.summary, `${name}: summary`);

    const statuses = Object.keys(op.responses ?? {});
    const success = statuses.filter((s) => /^2\d\d$/.test(s));
    t.equal(success.length, 1, `${name}: one success response (${success.join(', ')})`);
    for (const status of success) {
      if (status === '204') {
        t.notOk(op.responses[status].content, `${name}: 204 has no body`);
      } else {
        // JSON for the API; pages and images (HTML, SVG, CSV) name their own media type.
        const content: Json = op.responses[status].content ?? {};
        const mediaTypes = Object.keys(content);
        t.ok(mediaTypes.length > 0, `${name}: ${status} names its media type`);
        for (const mediaType of mediaTypes) {
          const schema = deref(content[mediaType].schema);
          t.ok(
            schema && (schema.type || schema.anyOf || schema.oneOf || schema.allOf || schema.properties),
            `${name}: ${status} ${mediaType} has a schema`,
          );
        }
      }
    }
  }

  for (const { method, path, op } of apiOperations) {
    const name = `${method.toUpperCase()} ${path}`;
    const statuses = Object.keys(op.responses ?? {});
    const expected = ['400', '500', '503'];
    if (path.includes('{')) expected.push('404');
    if (op.requestBody) expected.push('413', '415');
    if ((op.parameters ?? []).some((p: Json) => p.in === 'header' && p.name.toLowerCase() === 'if-match'))
      expected.push('412');
    for (const status of expected) {
      t.ok(statuses.includes(status), `${name}: documents ${status}`);
    }
    for (const status of statuses.filter((s) => /^[45]\d\d$/.test(s))) {
      // Errors are JSON whatever the route's success type: the error handler always answers in JSON.
      t.same(
        Object.keys(op.responses[status].content ?? {}),
        ['application/json'],
        `${name}: ${status} is documented as JSON`,
      );
      const content: Json = op.responses[status].content ?? {};
      const schema = deref((content['application/json'] ?? Object.values(content)[0])?.schema);
      t.same(
        { required: schema?.required, inner: deref(schema?.properties?.error)?.required },
        { required: ['error'], inner: ['code', 'message', 'details'] },
        `${name}: ${status} is the one error shape`,
      );
    }
  }
});

t.test('parameters, bodies and lists are described', async (t) => {
  for (const { method, path, op } of apiOperations) {
    const name = `${method.toUpperCase()} ${path}`;
    const params: Json[] = op.parameters ?? [];
    for (const [, param] of path.matchAll(/\{(\w+)\}/g)) {
      const declared = params.find((p) => p.in === 'path' && p.name === param);
      t.ok(declared?.required, `${name}: path parameter ${param} is declared and required`);
      t.equal(declared?.schema?.format, 'uuid', `${name}: ${param} is a UUID`);
    }
    if (['post', 'put', 'patch'].includes(method)) {
      const content: Json = op.requestBody?.content ?? {};
      t.ok(op.requestBody?.required, `${name}: a required body`);
      t.ok(Object.keys(content).length > 0, `${name}: the body names its media type`);
      for (const [mediaType, media] of Object.entries<Json>(content)) {
        const body = deref(media.schema);
        t.ok(body, `${name}: ${mediaType} body has a schema`);
        if (mediaType !== 'application/json') continue; // CSV imports: a file, described in words
        t.equal(body?.type, 'object', `${name}: the JSON body is an object`);
        t.equal(body?.additionalProperties, false, `${name}: the JSON body accepts no unknown field`);
      }
    }
    const success = deref(op.responses?.['200']?.content?.['application/json']?.schema);
    if (method === 'get' && success?.properties?.items) {
      // The data-quality list also carries its missing periods, as api.md "Data quality" names them.
      const extra = op.operationId?.endsWith('DataQuality') ? ['missingPeriods'] : [];
      t.same(
        Object.keys(success.properties).sort(),
        ['items', ...extra, 'nextCursor'],
        `${name}: a list page is { items, nextCursor }`,
      );
      for (const q of ['limit', 'cursor'])
        t.ok(
          params.some((p) => p.in === 'query' && p.name === q),
          `${name}: takes ${q}`,
        );
    }
  }
  const byOperation = new Map(apiOperations.map((o) => [o.op.operationId, o]));
  const tree = deref(byOperation.get('getResultTree')?.op.responses['200'].content['application/json'].schema);
  t.ok(tree?.properties?.outcomes && tree?.properties?.indicators, 'the tree has outcomes and headline indicators');
  const treeOutcome = deref(tree?.properties?.outcomes?.items);
  t.ok(
    treeOutcome?.properties?.outcomes && treeOutcome?.properties?.indicators,
    'outcomes nest outcomes and indicators',
  );
  const listPoints = byOperation.get('listDataPoints')?.op.parameters ?? [];
  t.same(
    ['from', 'to', 'slice'].filter((q) => listPoints.some((p: Json) => p.in === 'query' && p.name === q)),
    ['from', 'to', 'slice'],
    'data points take from, to and slice',
  );
  const upsert = deref(byOperation.get('upsertDataPoints')?.op.requestBody.content['application/json'].schema);
  t.ok(upsert?.properties?.points, 'the upsert body is { points }');
  const summary = deref(byOperation.get('upsertDataPoints')?.op.responses['200'].content['application/json'].schema);
  t.same(
    ['inserted', 'updated', 'unchanged'].filter((k) => summary?.properties?.[k]),
    ['inserted', 'updated', 'unchanged'],
  );
});

t.test('/docs serves Swagger UI from this server', async (t) => {
  const docs = await app.inject({ method: 'GET', url: '/docs' });
  t.equal(docs.statusCode, 200);
  t.match(docs.headers['content-type'], /text\/html/);
  t.match(docs.body, /swagger/i);
  const scripts = [...docs.body.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
  const styles = [...docs.body.matchAll(/<link[^>]+href="([^"]+)"/g)].map((m) => m[1]!);
  t.ok(scripts.length > 0, 'loads its scripts');
  for (const asset of [...scripts, ...styles]) {
    t.notMatch(asset, /^(https?:)?\/\//, `${asset} is served by this server, not a CDN`);
    const url = asset.startsWith('/') ? asset : `/docs/${asset.replace(/^\.\//, '')}`;
    const res = await app.inject({ method: 'GET', url });
    t.equal(res.statusCode, 200, `${url} is served`);
  }
});

/**
 * Property-based fuzz over every route of the route table (fast-check): random path parameters (ids of
 * existing objects, random UUIDs, junk), random query strings, random JSON bodies (guided by the route's
 * own OpenAPI schema, then bent: wrong types, huge numbers, NaN-ish strings, NUL bytes, deep nesting,
 * unicode) and random principals. Properties:
 *
 * - no response is a 5xx, and every error has the one error shape;
 * - a rejected request (status ≥ 400) changed no stored data;
 * - a request from anonymous, a viewer or a bad token changed no stored data, whatever its status.
 *
 * FUZZ_SEED reproduces a run (printed at the start; fixed under CI so that a failure replays, random elsewhere
 * so that local runs explore); FUZZ_RUNS changes its length (default 4 rounds × 100 requests).
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import t from '../helpers/tap.ts';
import {
  buildTestAppWithRoutes,
  DERIVED_TABLES,
  buildWorld,
  isErrorShape,
  PARAM_KINDS,
  type Kind,
  type RouteEntry,
  type World,
} from './world.ts';

const ROUNDS = 4;
const RUNS_PER_ROUND = Math.ceil(Number(process.env.FUZZ_RUNS ?? 400) / ROUNDS);
const SEED = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED)
  : process.env.CI
    ? 20_261_202
    : Math.floor(Math.random() * 2 ** 31);
t.comment(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} replays this run)`);
const BODY_LIMIT = 65_536;

const { api, routes: allRoutes, serverErrors } = await buildTestAppWithRoutes(t, { bodyLimitBytes: BODY_LIMIT });
const routes = allRoutes.filter(
  (r) => r.url.startsWith('/api/v1/') || ['/healthz', '/readyz', '/openapi.json'].includes(r.url),
);
type JsonSchema = Record<string, any>;
const openapi = (await api.request({ method: 'GET', url: '/openapi.json', as: null })).body as {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

// One query for the whole database: per table, row count and a hash of every row (last_used_at of tokens
// is bookkeeping every authenticated request updates, not stored data).
const { rows: tableRows } = await sql<{ name: string }>`
  select table_name as name from information_schema.tables
  where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely%' order by 1`.execute(
  api.db,
);
const tables = tableRows.map((r) => r.name).filter((name) => !DERIVED_TABLES.includes(name));
/**
 * Audit tables record attempts too (by design: a rejected CSV import keeps its report, so its id can be
 * looked up); only their rows that stand for written data count as stored data.
 */
const DATA_ROWS_OF_AUDIT_TABLES: Record<string, ReturnType<typeof sql>> = {
  imports: sql`where t.status = 'succeeded' and not t.dry_run`,
};
const snapshotQuery = sql.join(
  tables.map(
    (name) =>
      sql`select ${name} as name, count(*)::int as n, md5(coalesce(string_agg((to_jsonb(t) - 'last_used_at')::text, ',' order by (to_jsonb(t) - 'last_used_at')::text), '')) as h from ${sql.table(name)} t ${DATA_ROWS_OF_AUDIT_TABLES[name] ?? sql``}`,
  ),
  sql` union all `,
);
async function snapshot(): Promise<Map<string, string>> {
  const { rows } = await sql<{ name: string; n: number; h: string }>`${snapshotQuery}`.execute(api.db);
  return new Map(rows.map((r) => [r.name, `${r.n} rows, ${r.h}`]));
}
/**
 * The stored data as of the end of the last checked request: most requests are rejected or read-only, so the
 * snapshot taken after one is the "before" of the next (hashing the tables once per request, not twice).
 * Null when unknown: after an accepted write, and whenever the world is rebuilt.
 */
let lastSnapshot: Map<string, string> | null = null;
const changedTables = (a: Map<string, string>, b: Map<string, string>) =>
  tables.filter((name) => a.get(name) !== b.get(name));

// ---------------------------------------------------------------------------------------------------
// Arbitraries

const junkStrings = [
  '',
  ' ',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-0',
  '0x1F',
  '١٢٣',
  "'; drop table data_points; --",
  '" or 1=1 --',
  '../../etc/passwd',
  '%00',
  'nul\u0000byte',
  '\u0000',
  '\ud800',
  '😀👩‍👩‍👧',
  'ּ‏RTL‮',
  '<script>alert(1)</script>',
  '{"__proto__":{"admin":true}}',
  '[]',
  '{}',
  '2024',
  '2024-25',
  '2024-Q3',
  '2024-13',
  '2024-W53',
  '2024-W54',
  '2024-02-30',
  '9999-12-31',
  '0000',
  '2024-07-15T00:00:00Z',
  '1970-01-01T00:00:00.000Z',
  '275760-09-13T00:00:00Z',
  'total',
  'all',
  '{"sex":"female"}',
  '{"sex":["female"]}',
  'true',
  'false',
  'maybe',
  'x'.repeat(3000),
];
/** The string with unpaired surrogates replaced (encodeURIComponent throws on them). */
const wellFormed = (s: string) =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
const junkString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...junkStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);
const hugeNumber = fc.constantFrom(
  1e308,
  -1e308,
  1e101,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31) - 1,
  2 ** 53 + 1,
  32768,
  -32769,
  Number.MAX_SAFE_INTEGER,
  5e-324,
  -0,
  0,
  1,
  -1,
  0.5,
);
const junkNumber = fc.oneof(hugeNumber, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
/** Any JSON value, some deeply nested. */
const deep = fc.nat({ max: 3000 }).map((depth) => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
});
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 2, arbitrary: junkString },
  { weight: 2, arbitrary: junkNumber },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
);

let world: World;
const idsOf = (kind: Kind): string[] =>
  [world.pub, world.priv, world.other].flatMap((w) => [
    w.ids[kind],
    ...(kind === 'indicator' ? [w.flipped.indicator] : kind === 'dataPoint' ? [w.flipped.dataPoint] : []),
    ...(kind === 'partner' ? [w.partnerNonOwner] : []),
  ]);
// chain: the ids are read when a value is generated, from the current round's world.
const anyKnownId = fc
  .constant(null)
  .chain(() =>
    fc.constantFrom(
      ...(['initiative', 'partner', 'result', 'outcome', 'indicator', 'dataPoint', 'action'] as Kind[]).flatMap(idsOf),
    ),
  );
const idFor = (kind: Kind | undefined) =>
  fc.oneof(
    { weight: 5, arbitrary: kind ? fc.constant(null).chain(() => fc.constantFrom(...idsOf(kind))) : anyKnownId },
    { weight: 2, arbitrary: anyKnownId },
    { weight: 2, arbitrary: fc.uuid({ version: [4, 7] }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '00000000-0000-0000-0000-000000000000',
        'ffffffff-ffff-ffff-ffff-ffffffffffff',
        'AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA',
      ),
    },
  );

function resolveRef(schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let i = 0; i < 10 && typeof current?.$ref === 'string'; i++) {
    const name = current.$ref.split('/').pop()!;
    current = openapi.components?.schemas?.[name] ?? {};
  }
  return current;
}

/** Mostly-valid values for a JSON schema, bent now and then (wrong types, junk, extra keys). */
function fromSchema(schemaIn: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolveRef(schemaIn);
  const bent = depth > 4 ? anyJson : fc.oneof(junkString, junkNumber, fc.constantFrom(null, true, [], {}));
  const valid = ((): fc.Arbitrary<unknown> => {
    if (depth > 5) return fc.constant(null);
    const variants = schema.anyOf ?? schema.oneOf;
    if (Array.isArray(variants)) return fc.oneof(...variants.map((s: JsonSchema) => fromSchema(s, depth + 1)));
    if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return fromSchema(schema.allOf[0], depth + 1);
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
    const type = Array.isArray(schema.type) ? schema.type : [schema.type];
    const options: fc.Arbitrary<unknown>[] = [];
    if (type.includes('null')) options.push(fc.constant(null));
    if (type.includes('string')) {
      if (schema.format === 'uuid') options.push(idFor(undefined));
      else if (schema.format === 'date-time')
        options.push(
          fc
            .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
            .map((d) => d.toISOString()),
        );
      else if (typeof schema.pattern === 'string') {
        let matching: fc.Arbitrary<string> | null;
        try {
          matching = fc
            .stringMatching(new RegExp(schema.pattern))
            .filter((v) => v.length <= (schema.maxLength ?? 100) && v.length >= (schema.minLength ?? 0));
        } catch {
          matching = null;
        }
        options.push(
          matching ? fc.oneof({ weight: 4, arbitrary: matching }, { weight: 1, arbitrary: junkString }) : junkString,
        );
      } else {
        options.push(
          fc.oneof(
            {
              weight: 4,
              arbitrary: fc.constantFrom(
                '2019',
                '2020',
                '2021',
                '2022',
                '2024',
                '2024-Q3',
                '2024-07',
                '2024-W05',
                '2024-07-15',
                'Name',
                'public',
                'female',
                'male',
              ),
            },
            { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
            { weight: 1, arbitrary: junkString },
          ),
        );
      }
    }
    if (type.includes('number') || type.includes('integer')) {
      const lo = schema.minimum ?? -10;
      const hi = schema.maximum ?? 10_000;
      options.push(
        type.includes('integer')
          ? fc.integer({ min: Math.max(lo, -1e6), max: Math.min(hi, 1e6) })
          : fc.double({ min: Math.max(lo, -1e6), max: Math.min(hi, 1e6), noNaN: true }),
      );
      options.push(junkNumber);
    }
    if (type.includes('boolean')) options.push(fc.boolean());
    if (type.includes('array'))
      options.push(
        fc.array(schema.items ? fromSchema(schema.items, depth + 1) : anyJson, { maxLength: depth === 1 ? 20 : 4 }),
      );
    if (type.includes('object') || schema.properties) {
      const properties: Record<string, JsonSchema> = schema.properties ?? {};
      const record = fc.record(
        Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, fromSchema(s, depth + 1)])),
        { requiredKeys: (schema.required ?? []).filter((k: string) => k in properties) },
      );
      const extra =
        schema.additionalProperties && typeof schema.additionalProperties === 'object'
          ? fc.dictionary(
              fc.oneof(fc.constantFrom('sex', 'race_ethnicity', 'age'), fc.string({ maxLength: 8 })),
              fromSchema(schema.additionalProperties, depth + 1),
              { maxKeys: 3 },
            )
          : fc.constant({});
      const clean = fc.tuple(record, extra).map(([a, b]) => ({ ...b, ...a }));
      const smuggled = fc
        .tuple(
          record,
          fc.dictionary(
            fc.constantFrom('__proto__', 'constructor', 'id', 'version', 'initiativeId', 'secret', 'x'),
            anyJson,
            { maxKeys: 2 },
          ),
        )
        .map(([a, b]) => ({ ...a, ...b }));
      options.push(fc.oneof({ weight: 6, arbitrary: clean }, { weight: 1, arbitrary: smuggled }));
    }
    return options.length > 0 ? fc.oneof(...options) : anyJson;
  })();
  return fc.oneof({ weight: 24, arbitrary: valid }, { weight: 1, arbitrary: bent });
}

const QUERY_KEYS = ['limit', 'cursor', 'cascade', 'from', 'to', 'slice', 'level', 'asOf', 'dryRun', 'x'];
const queryValue = fc.oneof(
  junkString,
  junkNumber.map(String),
  fc.constantFrom(
    '0.80',
    '0.9',
    '0.95',
    '1',
    '1000',
    '1001',
    '-1',
    'eyJ4IjoxfQ',
    'WyJhIl0',
    'W10',
    'bnVsbA',
    '2024-01-01T00:00:00Z',
  ),
);
const queryArb = fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS), queryValue), { maxLength: 4 }).map((pairs) => {
  const search = new URLSearchParams();
  for (const [key, value] of pairs) search.append(key, value);
  return search.toString();
});

/** secret: null = no token, undefined = the test administrator. */
type Who = { label: string; secret?: string | null };
const principalsOf = (w: World): Who[] => [
  { label: 'anonymous', secret: null },
  { label: 'admin' },
  { label: 'adminToken', secret: w.adminTokenSecret },
  ...(['pub', 'priv', 'other'] as const).flatMap((name) => [
    { label: `${name}.editor`, secret: w[name].tokens.editor },
    { label: `${name}.contributor`, secret: w[name].tokens.contributor },
    { label: `${name}.contributorNonOwner`, secret: w[name].tokens.contributorNonOwner! },
    { label: `${name}.viewer`, secret: w[name].tokens.viewer },
  ]),
  { label: 'bad token', secret: 'rba_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
];
const cannotWrite = (who: Who) => who.secret === null || who.label.endsWith('viewer') || who.label === 'bad token';

function requestArb(route: RouteEntry) {
  const params = fc.tuple(
    ...route.params.map((name) =>
      fc.oneof(
        { weight: 8, arbitrary: idFor(PARAM_KINDS[name]) },
        { weight: 2, arbitrary: junkString.map((s) => encodeURIComponent(wellFormed(s.slice(0, 200))) || 'x') },
        { weight: 1, arbitrary: fc.constantFrom('%zz', '%E0%A4%A', '%00', '..', '.', '%2e%2e', 'a%2Fb') },
      ),
    ),
  );
  const method = route.method;
  const schema = openapi.paths[route.path]?.[method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema;
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(method);
  // A valid body of the route (from templatesFor), with up to two of its leaves replaced.
  const pattern = new RegExp(`^${route.url.replace(/^\/api\/v1/, '').replace(/:[A-Za-z0-9_]+/g, '[^/]+')}$`);
  const hasTemplate = templatesFor(world.pub).some(([m, url]) => m === method && pattern.test(url));
  const leafValue = fc.oneof(
    junkString,
    junkNumber,
    fc.constantFrom(null, true, [], {}),
    fc.string({ maxLength: 10 }),
    fc.uuid({ version: 4 }),
  );
  const fromTemplate = fc.constant(null).chain(() => {
    const template = templatesFor(world.pub).find(([m, url]) => m === method && pattern.test(url))![2];
    const all = leaves(template);
    return fc
      .array(fc.tuple(fc.nat(), leafValue), { maxLength: 2 })
      .map((changes) =>
        changes.reduce<unknown>((body, [i, value]) => withLeaf(body, all[i % all.length]![0], value), template),
      );
  });
  const body = !hasBody
    ? fc.constant(undefined)
    : fc.oneof(
        { weight: hasTemplate ? 6 : 0, arbitrary: fromTemplate },
        { weight: 6, arbitrary: schema ? fromSchema(schema) : anyJson },
        { weight: 2, arbitrary: anyJson },
        { weight: 1, arbitrary: fc.constant('x'.repeat(BODY_LIMIT + 10)) },
      );
  const headers = fc.record(
    {
      'if-match': fc.oneof(
        fc.constantFrom('"1"', '1', '"999"', '*', 'W/"1"', '""', '"-1"', '"1e400"'),
        junkString.map((s) => s.replace(/[^\x20-\x7e]/g, '')),
      ),
      'content-type': fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'text/csv',
        'application/x-www-form-urlencoded',
        'application/json; charset=latin1',
      ),
    },
    { requiredKeys: [] },
  );
  // Half the requests come from principals who may write, so that valid-looking bodies reach the handlers.
  const who = fc.oneof(
    { weight: 1, arbitrary: fc.constant(null).chain(() => fc.constantFrom(...principalsOf(world))) },
    {
      weight: 1,
      arbitrary: fc
        .constant(null)
        .chain(() =>
          fc.constantFrom(
            ...principalsOf(world).filter((p) =>
              ['admin', 'adminToken', 'pub.editor', 'priv.editor', 'pub.contributor'].includes(p.label),
            ),
          ),
        ),
    },
  );
  const writeHeaders = fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: headers });
  return fc.record({ params, query: fc.oneof(fc.constant(''), queryArb), body, headers: writeHeaders, who });
}

/** A valid body for each write route with a JSON body, in an initiative's world (method, url, body). */
function templatesFor(w: World['pub']): Array<[string, string, Record<string, unknown>]> {
  return [
    [
      'POST',
      '/initiatives',
      {
        name: 'Hostile partnership',
        slug: 'hostile-partnership',
        description: 'd',
        geography: 'g',
        formality: 'formal',
        stage: 'forming',
        workLevel: 'both',
        brand: { color: '#112233', logoUrl: 'https://example.org/logo.png' },
        embedOrigins: ['https://example.org'],
      },
    ],
    ['PATCH', `/initiatives/${w.ids.initiative}`, { name: 'Renamed', description: 'd', geography: 'g' }],
    ['POST', `/initiatives/${w.ids.initiative}/partners`, { name: 'Partner', sector: 'public', role: 'r' }],
    ['PATCH', `/partners/${w.ids.partner}`, { name: 'Partner', role: 'r' }],
    [
      'POST',
      `/initiatives/${w.ids.initiative}/results`,
      { statement: 'S', population: 'p', geography: 'g', timeFrame: { start: 2020, end: 2030 }, visibility: 'public' },
    ],
    ['PATCH', `/results/${w.ids.result}`, { statement: 'S', population: 'p', timeFrame: { start: 2020, end: 2030 } }],
    ['POST', `/results/${w.ids.result}/outcomes`, { title: 'T', description: 'd', position: 1 }],
    ['PATCH', `/outcomes/${w.ids.outcome}`, { title: 'T', description: 'd', position: 1 }],
    [
      'POST',
      `/results/${w.ids.result}/indicators`,
      {
        name: 'N',
        code: 'HOSTILE',
        unit: 'percent',
        polarity: 'lower_is_better',
        frequency: 'annual',
        definition: 'd',
        unitLabel: '%',
        decimals: 1,
        baselinePeriod: '2019',
        target: { period: '2030', value: 3 },
        interimTargets: [{ period: '2025', value: 5 }],
        naturalLimit: 0,
        bounds: { min: 0, max: 100 },
        dimensions: [{ name: 'sex', values: ['female', 'male'] }],
        referenceGroup: { sex: 'male' },
        dataSource: 's',
        position: 2,
      },
    ],
    [
      'PATCH',
      `/indicators/${w.ids.indicator}`,
      { name: 'N', definition: 'd', unitLabel: '%', naturalLimit: 0, dataSource: 's' },
    ],
    [
      'PUT',
      `/indicators/${w.ids.indicator}/data-points`,
      { points: [{ period: '2023', value: 4.5, note: 'n', status: 'final', source: 's' }] },
    ],
    ['PATCH', `/data-points/${w.ids.dataPoint}`, { value: 4.5, note: 'n', source: 's' }],
    ['POST', '/tokens', { name: 'Hostile viewer', role: 'viewer', initiativeId: w.ids.initiative }],
  ];
}

/** Every leaf of a JSON value, as a path and its value. */
const leaves = (value: unknown, path: Array<string | number> = []): Array<[Array<string | number>, unknown]> =>
  value !== null && typeof value === 'object'
    ? Object.entries(value).flatMap(([key, v]) => leaves(v, [...path, Array.isArray(value) ? Number(key) : key]))
    : [[path, value]];
const withLeaf = (value: unknown, path: Array<string | number>, leaf: unknown): unknown => {
  if (path.length === 0) return leaf;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  copy[path[0]!] = withLeaf(copy[path[0]!], path.slice(1), leaf);
  return copy;
};

// ---------------------------------------------------------------------------------------------------
// The properties

/**
 * Errors Fastify's router answers itself, before any hook or error handler (server/app.ts gives them the
 * one error shape through `frameworkErrors`; the test at the end checks it).
 */
const FRAMEWORK_ERRORS = ['FST_ERR_MAX_PARAM_LENGTH', 'FST_ERR_BAD_URL'];
const isKnownFrameworkError = (body: unknown) =>
  FRAMEWORK_ERRORS.includes((body as { code?: string } | null)?.code ?? '');

const counts = { requests: 0, byStatus: new Map<number, number>(), routes: new Set<string>() };

async function runOne(
  route: RouteEntry,
  input: { params: string[]; query: string; body: unknown; headers: Record<string, string>; who: Who },
) {
  let url = route.url;
  route.params.forEach((name, i) => (url = url.replace(`:${name}`, input.params[i]!)));
  if (input.query) url += `?${input.query}`;
  const before = lastSnapshot ?? (await snapshot());
  lastSnapshot = null;
  const errorsBefore = serverErrors.length;
  const headers: Record<string, string> = { ...input.headers };
  const payload =
    input.body === undefined
      ? undefined
      : typeof input.body === 'string' && input.body.length > BODY_LIMIT
        ? input.body
        : JSON.stringify(input.body);
  if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await api.request({
    method: route.method as 'GET',
    url,
    headers,
    ...(payload !== undefined && { payload }),
    as: input.who.secret,
  });
  counts.requests++;
  counts.routes.add(`${route.method} ${route.url}`);
  counts.byStatus.set(res.status, (counts.byStatus.get(res.status) ?? 0) + 1);
  const what = `${route.method} ${url.slice(0, 300)} as ${input.who.label} with ${String(payload ?? '').slice(0, 300)} → ${res.status} ${res.raw.slice(0, 300)}`;
  if (res.status >= 500) {
    const cause = serverErrors
      .slice(errorsBefore)
      .map((e) => `${e.name}: ${e.message} ${(e as { code?: string }).code ?? ''}`)
      .join(' | ');
    throw new Error(`5xx: ${what}\ncause: ${cause}`);
  }
  if (res.status >= 400 && route.method !== 'HEAD' && !isErrorShape(res.body) && !isKnownFrameworkError(res.body)) {
    throw new Error(`error without the error shape: ${what}`);
  }
  if (res.status >= 400 || cannotWrite(input.who)) {
    const after = await snapshot();
    const changed = changedTables(before, after);
    if (changed.length === 0) lastSnapshot = after;
    if (changed.length > 0) {
      throw new Error(
        `stored data (${changed.join(', ')}) changed by a ${res.status >= 400 ? 'rejected request' : `request from ${input.who.label}`}: ${what}`,
      );
    }
  }
}

for (let round = 1; round <= ROUNDS; round++) {
  t.test(`round ${round}: ${RUNS_PER_ROUND} random requests over ${routes.length} routes`, async (t) => {
    world = await buildWorld(api); // a fresh world: earlier rounds may have deleted theirs
    lastSnapshot = null;
    const property = fc.asyncProperty(
      fc.constantFrom(...routes).chain((route) => requestArb(route).map((input) => ({ route, input }))),
      async ({ route, input }) => runOne(route, input as Parameters<typeof runOne>[1]),
    );
    const details = await fc.check(property, { numRuns: RUNS_PER_ROUND, seed: SEED + round, endOnFailure: true });
    t.equal(
      details.failed,
      false,
      details.failed
        ? `${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}\n(seed ${SEED + round}, counterexample ${JSON.stringify(details.counterexample)?.slice(0, 1500)})`
        : `seed ${SEED + round}`,
    );
  });
}

t.test('hostile values in every field of valid bodies: never a 5xx, and a rejection writes nothing', async (t) => {
  world = await buildWorld(api);
  lastSnapshot = null;
  const w = world.pub;
  const hostileStrings = [
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff\ud800',
    '\u202e\u0301',
    '😀'.repeat(50),
    'x'.repeat(20_000),
    '',
    '   ',
  ];
  const hostileNumbers = [1e308, -1e308, 1e100, -1e100, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 5e-324, -0, 32768, 1.5];
  const bodies = templatesFor(w);
  const problems: string[] = [];
  const reachedTheDatabase: string[] = [];
  let sent = 0;
  for (const [method, url, body] of bodies) {
    for (const [path, original] of leaves(body)) {
      const hostile =
        typeof original === 'number'
          ? [...hostileNumbers, ...hostileStrings.slice(0, 3)]
          : [...hostileStrings, ...hostileNumbers.slice(0, 3)];
      for (const value of hostile) {
        const before = lastSnapshot ?? (await snapshot());
        lastSnapshot = null;
        const errorsBefore = serverErrors.length;
        const res = await api.request({
          method: method as 'POST',
          url: `/api/v1${url}`,
          payload: withLeaf(body, path, value) as object,
        });
        sent++;
        const label = `${method} ${url.replace(/[0-9a-f-]{36}/g, '{id}')} ${path.join('.')}=${JSON.stringify(value).slice(0, 24)}`;
        if (res.status >= 500) {
          problems.push(
            `${label} → ${res.status}: ${serverErrors
              .slice(errorsBefore)
              .map((e) => `${(e as { code?: string }).code ?? e.name} ${e.message}`)
              .join(' | ')}`,
          );
          continue;
        }
        if (res.body?.error?.code === 'invalid_value') reachedTheDatabase.push(label);
        if (res.status >= 400) {
          if (!isErrorShape(res.body)) problems.push(`${label} → ${res.status} without the error shape`);
          const after = await snapshot();
          const changed = changedTables(before, after);
          if (changed.length === 0) lastSnapshot = after;
          if (changed.length > 0) problems.push(`${label} → ${res.status} but changed ${changed.join(', ')}`);
        }
      }
    }
  }
  t.same(problems, [], `${sent} requests with hostile values`);
  t.same(
    reachedTheDatabase,
    [],
    "validation refuses NUL characters and unpaired surrogates itself, naming the field (not the error handler's safety net)",
  );
});

t.test('forged list cursors: a 4xx, never a 5xx', async (t) => {
  world = await buildWorld(api);
  const forged = [['a'], [1], [null], [], {}, ['2024', 'x'], [1e308], 'x'].map((v) =>
    Buffer.from(JSON.stringify(v)).toString('base64url'),
  );
  forged.push('%%%', 'AAAA', 'eyJ4Ijp7fX0');
  const listRoutes = routes.filter(
    (r) =>
      r.method === 'GET' &&
      openapi.paths[r.path]?.get &&
      JSON.stringify(openapi.paths[r.path]!.get).includes('"cursor"'),
  );
  const problems: string[] = [];
  const notNamed: string[] = [];
  for (const route of listRoutes) {
    let url = route.url;
    for (const param of route.params)
      url = url.replace(
        `:${param}`,
        PARAM_KINDS[param] ? world.pub.ids[PARAM_KINDS[param]!] : world.pub.ids.initiative,
      );
    for (const cursor of forged) {
      const errorsBefore = serverErrors.length;
      const res = await api.request({ method: 'GET', url: `${url}?cursor=${encodeURIComponent(cursor)}` });
      const cause = serverErrors
        .slice(errorsBefore)
        .map((e) => `${(e as { code?: string }).code ?? e.name} ${e.message}`)
        .join(' | ');
      if (res.status >= 500 || res.status < 400)
        problems.push(`${route.url} cursor=${cursor} → ${res.status} ${cause || res.raw.slice(0, 100)}`);
      else if (res.body?.error?.code !== 'invalid_cursor')
        notNamed.push(`${route.url} cursor=${cursor} → ${res.status} ${res.body?.error?.code}`);
    }
  }
  t.ok(listRoutes.length >= 5, `${listRoutes.length} list routes take a cursor`);
  t.same(problems, [], 'every forged cursor is refused with a 4xx');
  t.same(notNamed, [], 'as invalid_cursor');
});

t.test('errors raised by the router itself have the one error shape', async (t) => {
  const known = {};
  const tooLong = await api.request({ method: 'GET', url: `/api/v1/results/${'x'.repeat(200)}`, as: null });
  t.ok(tooLong.status >= 400 && tooLong.status < 500, `an over-long path parameter is a 4xx (${tooLong.status})`);
  t.ok(
    isErrorShape(tooLong.body),
    `an over-long path parameter: ${tooLong.status} ${tooLong.raw.slice(0, 120)}`,
    known,
  );
  t.ok(tooLong.headers['content-security-policy'], 'with the security headers', known);
  const badUrl = await api.request({ method: 'GET', url: '/api/v1/results/%E0%A4%A', as: null });
  t.ok(badUrl.status >= 400 && badUrl.status < 500, `a malformed percent-encoding is a 4xx (${badUrl.status})`);
  t.ok(isErrorShape(badUrl.body), `a malformed percent-encoding: ${badUrl.status} ${badUrl.raw.slice(0, 120)}`, known);
});

t.test('summary', async (t) => {
  const statuses = [...counts.byStatus.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  t.comment(
    `fuzz: ${counts.requests} requests on ${counts.routes.size} of ${routes.length} routes (seed ${SEED}); statuses ${statuses}`,
  );
  t.ok(counts.requests >= RUNS_PER_ROUND * ROUNDS * 0.9, `${counts.requests} requests`);
});

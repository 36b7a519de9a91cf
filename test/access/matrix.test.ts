/**
 * The authorisation matrix, generated from the app's route table: every API route × every kind of
 * principal × public and private objects, against a hand-written table of what each role may do (the
 * README's access table; NOT derived from server/auth/policy.ts, so a wrong policy fails here).
 *
 * An allowed request must get past access control and stop at a predictable later status without
 * changing anything: access is checked in preValidation, so an allowed write with an invalid body is a
 * 400, an allowed DELETE with `?cascade=maybe` a 400, an allowed data-point DELETE with a stale
 * `If-Match` a 412, and an allowed read a 200 (a DELETE with neither, e.g. of a partner, deletes an object
 * made for that cell). At the end, no stored row has changed.
 */
import { randomUUID } from 'node:crypto';
import t from '../helpers/tap.ts';
import {
  apiRoutes,
  buildTestAppWithRoutes,
  buildWorld,
  call,
  isErrorShape,
  PARAM_KINDS,
  PRINCIPALS,
  secretOf,
  snapshot,
  type InitiativeWorld,
  type Kind,
  type PrincipalName,
  type RouteEntry,
} from './world.ts';

const { api, routes: allRoutes, serverErrors } = await buildTestAppWithRoutes(t);
const routes = apiRoutes(allRoutes, { head: true });
const openapi = (await api.request({ method: 'GET', url: '/openapi.json', as: null })).body as {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{ in: string; name: string; schema?: { format?: string } }>;
        requestBody?: { content?: Record<string, unknown> };
      }
    >
  >;
};

// Everything is set up before the first subtest: tap ends the root test (and tears the app down) once
// its queue of subtests drains.
const world = await buildWorld(api).catch((error: Error) => {
  throw Object.assign(error, { serverErrors });
});
const before = await snapshot(api.db);

// ---------------------------------------------------------------------------------------------------
// What each role may do: `ok` = allowed; otherwise the status the request must get. "Own" means a token
// of the object's initiative, "Other" a token of another initiative. `none` = a route on no object.
const EXPECTATIONS = `
  action           visibility  anonymous admin adminToken editorOwn editorOther contribOwner contribNonOwner contribOther viewerOwn viewerOther
  read             none        ok        ok    ok         ok        ok          ok           ok              ok           ok        ok
  read             public      ok        ok    ok         ok        ok          ok           ok              ok           ok        ok
  read             private     404       ok    ok         ok        404         ok           ok              404          ok        404
  read_internal    public      401       ok    ok         ok        403         ok           ok              403          ok        403
  read_internal    private     401       ok    ok         ok        404         ok           ok              404          ok        404
  write_structure  public      401       ok    ok         ok        403         403          403             403          403       403
  write_structure  private     401       ok    ok         ok        404         403          403             404          403       404
  write_data       public      401       ok    ok         ok        403         ok           403             403          403       403
  write_data       private     401       ok    ok         ok        404         ok           403             404          403       404
  admin            none        401       ok    ok         403       403         403          403             403          403       403
  admin            public      401       ok    ok         403       403         403          403             403          403       403
  admin            private     401       ok    ok         403       404         403          403             404          403       404
`;

/**
 * Where an allowed read stops somewhere else than 200 by design, after access control (route as
 * `METHOD url`, HEAD going as GET; by the variant's visibility row).
 */
const ALLOWED_ELSEWHERE: Record<string, Partial<Record<'public' | 'private', number>>> = {
  // Embedding is for public objects: a private one the caller may see is a 422 `not_public`.
  'GET /api/v1/indicators/:indicatorId/embed': { private: 422 },
  'GET /api/v1/results/:resultId/embed': { private: 422 },
};

/**
 * Routes whose effective rule is not the one they declare. The result-level CSV import declares `read`
 * on the result (for visibility) and checks `write_data` itself, letting in contributors whose partner
 * owns one of the result's indicators (routes/imports.ts); it is held to the `write_data` row here.
 */
const EFFECTIVE_ACTION: Record<string, string> = {
  'POST /api/v1/results/:resultId/import': 'write_data',
};

type Expected = 'ok' | 401 | 403 | 404;
const table = new Map<string, Record<PrincipalName, Expected>>();
{
  const lines = EXPECTATIONS.trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
  const header = lines[0]!.slice(2) as PrincipalName[];
  if (header.join() !== PRINCIPALS.join()) throw new Error('the expectation table must list every principal, in order');
  for (const [action, visibility, ...cells] of lines.slice(1)) {
    table.set(
      `${action}/${visibility}`,
      Object.fromEntries(
        header.map((who, i) => [who, cells[i] === 'ok' ? 'ok' : (Number(cells[i]) as Expected)]),
      ) as Record<PrincipalName, Expected>,
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// The route table itself

t.test('the route table', async (t) => {
  const withoutHead = routes.filter((r) => r.method !== 'HEAD');
  t.ok(withoutHead.length >= 30, `${withoutHead.length} API routes recorded`);
  t.same(
    withoutHead.filter((r) => r.url.startsWith('/api/v1/') && !r.access).map((r) => `${r.method} ${r.url}`),
    [],
    'every /api/v1 route declares config.access (a route without one would be open to anonymous writes)',
  );
  const documented = new Set(
    Object.entries(openapi.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
  const registered = new Set(
    withoutHead.filter((r) => r.url.startsWith('/api/v1/')).map((r) => `${r.method} ${r.path}`),
  );
  t.same(
    [...registered].filter((r) => !documented.has(r)),
    [],
    'every API route is in /openapi.json',
  );
  t.same(
    [...documented].filter((d) => d.includes('/api/v1') && !registered.has(d)),
    [],
    'every API operation of /openapi.json is a route',
  );
  // access.ts leaves a malformed anchor id to validation (400): that is only safe if validation rejects
  // anything that is not a UUID. A route whose anchor parameter were a plain string would skip the check.
  const looseAnchors = withoutHead
    .filter((r) => r.access?.anchor)
    .filter((r) => {
      const parameter = openapi.paths[r.path]?.[r.method.toLowerCase()]?.parameters?.find(
        (p) => p.in === 'path' && p.name === r.access!.anchor!.param,
      );
      return parameter?.schema?.format !== 'uuid';
    })
    .map((r) => `${r.method} ${r.url}`);
  t.same(looseAnchors, [], 'every anchor parameter is validated as a UUID');
  t.same(
    withoutHead
      .filter((r) => r.access?.anchor && !r.params.includes(r.access.anchor.param))
      .map((r) => `${r.method} ${r.url}`),
    [],
    'every anchor names a parameter of its path',
  );
});

// ---------------------------------------------------------------------------------------------------
// The matrix

interface Variant {
  name: string;
  /** The row of the expectation table. */
  visibility: 'none' | 'public' | 'private';
  own: InitiativeWorld;
  ids: Record<Kind, string>;
}

function variantsOf(route: RouteEntry): Variant[] {
  const anchor = route.access?.anchor;
  if (!anchor) return [{ name: 'no object', visibility: 'none', own: world.pub, ids: world.pub.ids }];
  const variants: Variant[] = [
    { name: 'public', visibility: 'public', own: world.pub, ids: world.pub.ids },
    { name: 'private', visibility: 'private', own: world.priv, ids: world.priv.ids },
  ];
  if (anchor.kind === 'indicator' || anchor.kind === 'dataPoint') {
    // An indicator's own visibility wins over its result's; its data points follow it.
    variants.push(
      {
        name: 'private indicator of a public result',
        visibility: 'private',
        own: world.pub,
        ids: { ...world.pub.ids, ...world.pub.flipped },
      },
      {
        name: 'public indicator of a private result',
        visibility: 'public',
        own: world.priv,
        ids: { ...world.priv.ids, ...world.priv.flipped },
      },
    );
  }
  return variants;
}

interface Probe {
  url: string;
  payload?: object;
  headers: Record<string, string>;
  /** The status an allowed request stops at. */
  allowed: number;
  /** No harmless request exists: each cell gets a fresh object of this kind (see SACRIFICE). */
  sacrifice?: { kind: Kind; param: string };
}

/**
 * Deletes that take no `cascade` and no `If-Match` cannot be stopped after access control: each cell
 * deletes a fresh object made for it, in the same initiative (so with the same visibility).
 */
const SACRIFICE: Partial<Record<Kind, (own: InitiativeWorld) => Promise<string>>> = {
  partner: async (own) =>
    (
      await call(api, 'POST', `/initiatives/${own.ids.initiative}/partners`, {
        name: 'Sacrificial partner',
        sector: 'other',
      })
    ).id,
};
const sacrificed: Array<{ kind: Kind; id: string }> = [];
const READ_URL: Record<Kind, string> = {
  initiative: '/initiatives/',
  partner: '/partners/',
  result: '/results/',
  outcome: '/outcomes/',
  indicator: '/indicators/',
  dataPoint: '/data-points/',
  action: '/actions/',
};

/** A request that passes access control when allowed, then stops without changing anything. */
function probeOf(route: RouteEntry, ids: Record<Kind, string>): Probe {
  let url = route.url;
  let unknownParam = false;
  for (const param of route.params) {
    const kind = param === route.access?.anchor?.param ? (route.access.anchor.kind as Kind) : PARAM_KINDS[param];
    if (!kind) unknownParam = true;
    if (kind && !ids[kind]) throw new Error(`the world has no ${kind}: add one to test/access/world.ts`);
    url = url.replace(`:${param}`, kind ? ids[kind] : randomUUID());
  }
  const operation = openapi.paths[route.path]?.[route.method === 'HEAD' ? 'get' : route.method.toLowerCase()];
  const parameters = operation?.parameters ?? [];
  switch (route.method) {
    case 'GET':
    case 'HEAD':
      return { url, headers: {}, allowed: unknownParam ? 404 : 200 };
    case 'POST':
    case 'PUT':
    case 'PATCH': {
      // JSON routes: an unknown field is a 400. Routes that take another media type (CSV imports) answer a
      // JSON body 415, after access control.
      const media = Object.keys(operation?.requestBody?.content ?? { 'application/json': {} });
      return { url, payload: { __: 1 }, headers: {}, allowed: media.includes('application/json') ? 400 : 415 };
    }
    case 'DELETE':
      if (parameters.some((p) => p.in === 'query' && p.name === 'cascade'))
        return { url: `${url}?cascade=maybe`, headers: {}, allowed: 400 };
      if (parameters.some((p) => p.in === 'header' && p.name === 'if-match'))
        return { url, headers: { 'if-match': '"999"' }, allowed: 412 };
      if (unknownParam) return { url, headers: {}, allowed: 404 }; // e.g. a token id nobody has
      if (route.access?.anchor && SACRIFICE[route.access.anchor.kind as Kind])
        return {
          url,
          headers: {},
          allowed: 204,
          sacrifice: { kind: route.access.anchor.kind as Kind, param: route.access.anchor.param },
        };
  }
  throw new Error(`no harmless probe for ${route.method} ${route.url}: teach test/access/matrix.test.ts one`);
}

let cells = 0;
const dimensions = { routes: new Set<string>(), principals: PRINCIPALS.length, variants: new Set<string>() };

for (const route of routes) {
  t.test(`${route.method} ${route.url}`, async (t) => {
    const action = EFFECTIVE_ACTION[`${route.method} ${route.url}`] ?? route.access?.action;
    if (!action) return t.fail('no config.access');
    const mismatches: string[] = [];
    for (const variant of variantsOf(route)) {
      const expectations = table.get(`${action}/${variant.visibility}`);
      if (!expectations) {
        t.fail(`no expectation for ${action} on ${variant.visibility} objects: add a row to the table`);
        continue;
      }
      const probe = probeOf(route, variant.ids);
      for (const who of PRINCIPALS) {
        const expected = expectations[who];
        const elsewhere =
          ALLOWED_ELSEWHERE[`${route.method === 'HEAD' ? 'GET' : route.method} ${route.url}`]?.[
            variant.visibility as 'public'
          ];
        const want = expected === 'ok' ? (elsewhere ?? probe.allowed) : expected;
        let url = probe.url;
        let victim: string | null = null;
        if (probe.sacrifice) {
          victim = await SACRIFICE[probe.sacrifice.kind]!(variant.own);
          sacrificed.push({ kind: probe.sacrifice.kind, id: victim });
          url = url.replace(variant.ids[probe.sacrifice.kind], victim);
        }
        const res = await api.request({
          method: route.method as 'GET',
          url,
          headers: probe.headers,
          ...(probe.payload && { payload: probe.payload }),
          as: secretOf(world, variant.own, who),
        });
        cells++;
        dimensions.routes.add(`${route.method} ${route.url}`);
        dimensions.variants.add(variant.name);
        const where = `${variant.name} × ${who}`;
        if (victim) {
          const still = await api.request({ method: 'GET', url: `/api/v1${READ_URL[probe.sacrifice!.kind]}${victim}` });
          if ((still.status === 200) !== (expected !== 'ok'))
            mismatches.push(
              `${where}: after ${res.status} the object is ${still.status === 200 ? 'still there' : 'gone'}`,
            );
        }
        if (res.status !== want) {
          mismatches.push(
            `${where}: expected ${want}${expected === 'ok' ? ' (allowed)' : ''}, got ${res.status} ${res.raw.slice(0, 160)}`,
          );
          continue;
        }
        const isJson = route.method !== 'HEAD' && String(res.headers['content-type'] ?? '').includes('json');
        if (res.status >= 400 && isJson && !isErrorShape(res.body))
          mismatches.push(`${where}: ${res.status} without the error shape: ${res.raw.slice(0, 160)}`);
        if (res.status === 401 && !res.headers['www-authenticate'])
          mismatches.push(`${where}: 401 without WWW-Authenticate`);
        if (isJson && res.status === 403 && res.body?.error?.code !== 'forbidden')
          mismatches.push(`${where}: 403 with code ${res.body?.error?.code}`);
        if (isJson && expected === 404 && res.body?.error?.code !== 'not_found')
          mismatches.push(`${where}: 404 with code ${res.body?.error?.code}`);
      }
    }
    t.same(mismatches, [], `${route.method} ${route.url}: every cell as the table says`);
  });
}

t.test('the matrix changed nothing', async (t) => {
  // The objects made to be deleted, where they survived a denied delete, go now.
  for (const { kind, id } of sacrificed) await call(api, 'DELETE', `${READ_URL[kind]}${id}`, undefined, [204, 404]);
  t.same(await snapshot(api.db), before, 'every table as it was');
  const size = `${dimensions.routes.size} routes (HEAD included) × ${dimensions.principals} principals × up to ${dimensions.variants.size} object variants (${[...dimensions.variants].join(', ')}) = ${cells} requests`;
  t.comment(`authorisation matrix: ${size}`);
  t.ok(cells > 500, size);
});

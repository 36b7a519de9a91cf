/**
 * Body limits on every route that takes a body, listed from the route table (not by hand, so a new route is
 * covered the day it is added): a JSON body over BODY_LIMIT_BYTES is a 413, a body of a media type the route
 * does not take is a 415, both with the error shape and both writing nothing.
 */
import { randomUUID } from 'node:crypto';
import t from '../helpers/tap.ts';
import {
  apiRoutes,
  buildTestAppWithRoutes,
  buildWorld,
  isErrorShape,
  PARAM_KINDS,
  snapshot,
  type Kind,
} from '../access/world.ts';

const LIMIT = 4_096;
const { api, routes } = await buildTestAppWithRoutes(t, { bodyLimitBytes: LIMIT });
const world = await buildWorld(api);
const openapi = (await api.request({ method: 'GET', url: '/openapi.json', as: null })).body as {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
};

const writeRoutes = apiRoutes(routes).filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method));
/** The route's URL with the public initiative's objects for its parameters (a random id where none fits). */
const urlOf = (route: (typeof writeRoutes)[number]) =>
  route.params.reduce((url, param) => {
    const kind: Kind | undefined =
      param === route.access?.anchor?.param ? (route.access.anchor.kind as Kind) : PARAM_KINDS[param];
    return url.replace(`:${param}`, kind ? world.pub.ids[kind] : randomUUID());
  }, route.url);
const mediaTypesOf = (route: (typeof writeRoutes)[number]) =>
  Object.keys(openapi.paths[route.path]?.[route.method.toLowerCase()]?.requestBody?.content ?? {});

t.ok(writeRoutes.length >= 20, `${writeRoutes.length} routes take a body`);

t.test('a JSON body over the limit: 413 with the error shape, nothing written', async (t) => {
  const before = await snapshot(api.db);
  const oversized = JSON.stringify({ name: 'x'.repeat(LIMIT + 100) });
  for (const route of writeRoutes.filter((r) => mediaTypesOf(r).includes('application/json'))) {
    const res = await api.request({
      method: route.method as 'POST',
      url: urlOf(route),
      headers: { 'content-type': 'application/json' },
      payload: oversized,
    });
    t.equal(res.status, 413, `${route.method} ${route.url}`);
    t.ok(isErrorShape(res.body), `${route.method} ${route.url}: the error shape`);
  }
  t.same(await snapshot(api.db), before, 'nothing was written');
});

t.test('a body of a media type the route does not take: 415 with the error shape, nothing written', async (t) => {
  const before = await snapshot(api.db);
  for (const route of writeRoutes) {
    const media = mediaTypesOf(route);
    if (media.length === 0) continue; // a route without a body (e.g. an action on an object)
    const res = await api.request({
      method: route.method as 'POST',
      url: urlOf(route),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'a=1',
    });
    t.equal(res.status, 415, `${route.method} ${route.url} (takes ${media.join(', ')})`);
    t.ok(isErrorShape(res.body), `${route.method} ${route.url}: the error shape`);
  }
  t.same(await snapshot(api.db), before, 'nothing was written');
});

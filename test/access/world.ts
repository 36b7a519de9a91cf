/**
 * Shared by the access tests: the app's route table (read from the routes themselves), a small world of
 * initiatives with public and private objects and a token of every kind, and a snapshot of every table.
 *
 * The route table: Fastify publishes every new instance on the `fastify.initialization` diagnostics
 * channel before any plugin runs, so an `onRoute` hook added there sees each route with its `config`
 * (Fastify 5's `findRoute` and `printRoutes` do not expose `config`).
 */
import diagnostics from 'node:diagnostics_channel';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../schema/database.ts';
import { DomainError } from '../../server/errors.ts';
import type { AccessRule } from '../../server/plugins/access.ts';
import { buildTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../helpers/test-app.ts';

export interface RouteEntry {
  method: string;
  /** Fastify's form, e.g. `/api/v1/results/:resultId`. */
  url: string;
  /** OpenAPI's form, e.g. `/api/v1/results/{resultId}`. */
  path: string;
  params: string[];
  access: AccessRule | undefined;
}

/** Builds a test app and records every route it registers, with its `config.access`. */
export async function buildTestAppWithRoutes(
  t: Parameters<typeof buildTestApp>[0],
  config: Parameters<typeof buildTestApp>[1] = {},
): Promise<{ api: TestApp; routes: RouteEntry[]; serverErrors: Error[] }> {
  const routes: RouteEntry[] = [];
  const serverErrors: Error[] = [];
  const channel = diagnostics.channel('fastify.initialization');
  let seen: FastifyInstance | null = null;
  const onInit = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    if (seen) return; // only the app's own instance
    seen = fastify;
    // The cause of every 5xx (the response body rightly hides it), and of any error nobody anticipated (neither
    // a domain error nor one with a status), for the tests' failure messages.
    fastify.addHook('onError', async (_request, reply, error) => {
      const anticipated = error instanceof DomainError || Boolean((error as { statusCode?: number }).statusCode);
      if (reply.statusCode >= 500 || !anticipated) serverErrors.push(error);
    });
    fastify.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) {
        const url = route.url;
        routes.push({
          method: String(method).toUpperCase(),
          url,
          path: url.replace(/:([A-Za-z0-9_]+)/g, '{$1}'),
          params: [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!),
          access: (route.config as { access?: AccessRule } | undefined)?.access,
        });
      }
    });
  };
  channel.subscribe(onInit);
  let api: TestApp;
  try {
    api = await buildTestApp(t, config);
  } finally {
    channel.unsubscribe(onInit);
  }
  if (routes.length === 0) throw new Error('no route recorded: did Fastify stop publishing fastify.initialization?');
  return { api, routes, serverErrors };
}

/**
 * The routes under access control: every route under /api/v1 and any other route declaring
 * `config.access` (e.g. embed pages), without Fastify's automatic HEAD twins unless asked.
 */
export function apiRoutes(routes: RouteEntry[], { head = false } = {}): RouteEntry[] {
  return routes
    .filter((r) => r.url.startsWith('/api/v1/') || r.access !== undefined)
    .filter((r) => head || r.method !== 'HEAD');
}

// ---------------------------------------------------------------------------------------------------
// The world

export type Kind = 'initiative' | 'partner' | 'result' | 'outcome' | 'indicator' | 'dataPoint' | 'action';

/** Which kind of object a path parameter names, by its name. */
export const PARAM_KINDS: Record<string, Kind> = {
  initiativeId: 'initiative',
  partnerId: 'partner',
  resultId: 'result',
  outcomeId: 'outcome',
  indicatorId: 'indicator',
  dataPointId: 'dataPoint',
  actionId: 'action',
};

export interface Tokens {
  editor: string;
  contributor: string;
  viewer: string;
  /** A contributor of a partner of the same initiative that owns none of its indicators (absent for `other`). */
  contributorNonOwner?: string;
}

export interface InitiativeWorld {
  ids: Record<Kind, string>;
  /** A second indicator (and its data point) whose own visibility is the opposite of its result's. */
  flipped: { indicator: string; dataPoint: string };
  partnerNonOwner: string;
  tokens: Tokens;
}

export interface World {
  /** An initiative with a public result: everything in it is public, except `flipped` (private). */
  pub: InitiativeWorld;
  /** An initiative whose only result is private: everything in it is private, except `flipped` (public). */
  priv: InitiativeWorld;
  /** A third initiative whose tokens are the "other initiative" principals. */
  other: InitiativeWorld;
  adminTokenSecret: string;
}

export async function call(api: TestApp, method: string, url: string, payload?: unknown, expected = [200, 201]) {
  const res = await api.request({
    method: method as 'POST',
    url: `/api/v1${url}`,
    ...(payload !== undefined && { payload: payload as object }),
  });
  if (!expected.includes(res.status)) throw new Error(`${method} ${url} → ${res.status}: ${res.raw}`);
  return res.body;
}

export async function createToken(api: TestApp, input: Record<string, unknown>): Promise<string> {
  const body = await call(api, 'POST', '/tokens', input, [201]);
  return body.secret as string;
}

async function buildInitiative(
  api: TestApp,
  label: string,
  visibility: 'public' | 'private',
): Promise<InitiativeWorld> {
  const suffix = randomBytes(3).toString('hex');
  const initiative = await call(api, 'POST', '/initiatives', { name: `${label} partnership ${suffix}` });
  const owner = await call(api, 'POST', `/initiatives/${initiative.id}/partners`, {
    name: `${label} owner`,
    sector: 'public',
  });
  const nonOwner = await call(api, 'POST', `/initiatives/${initiative.id}/partners`, {
    name: `${label} bystander`,
    sector: 'nonprofit',
  });
  const result = await call(api, 'POST', `/initiatives/${initiative.id}/results`, {
    statement: `${label}: fewer residents are unemployed`,
    timeFrame: { start: 2018, end: 2030 },
    visibility,
  });
  const outcome = await call(api, 'POST', `/results/${result.id}/outcomes`, { title: `${label} outcome` });
  const indicatorInput = {
    unit: 'percent',
    polarity: 'lower_is_better',
    frequency: 'annual',
    ownerPartnerId: owner.id,
    baselinePeriod: '2018',
    target: { period: '2030', value: 4 },
  };
  const indicator = await call(api, 'POST', `/results/${result.id}/indicators`, {
    name: `${label} rate`,
    outcomeId: outcome.id,
    ...indicatorInput,
  });
  const flipped = await call(api, 'POST', `/results/${result.id}/indicators`, {
    name: `${label} flipped rate`,
    ...indicatorInput,
    visibility: visibility === 'public' ? 'private' : 'public',
  });
  const points = [2018, 2019, 2020, 2021, 2022].map((year, i) => ({ period: String(year), value: 9 - i * 0.5 }));
  const put = await call(api, 'PUT', `/indicators/${indicator.id}/data-points`, { points });
  const putFlipped = await call(api, 'PUT', `/indicators/${flipped.id}/data-points`, { points });
  // An action of the owner partner on the indicator: public exactly when the initiative and the indicator are.
  const action = await call(api, 'POST', `/initiatives/${initiative.id}/actions`, {
    title: `${label} action`,
    start: '2024-01-01',
    due: '2024-12-31',
    ownerPartnerId: owner.id,
    indicatorIds: [indicator.id],
  });
  const tokens: Tokens = {
    editor: await createToken(api, { name: `${label} editor`, role: 'editor', initiativeId: initiative.id }),
    contributor: await createToken(api, {
      name: `${label} contributor`,
      role: 'contributor',
      initiativeId: initiative.id,
      partnerId: owner.id,
    }),
    contributorNonOwner: await createToken(api, {
      name: `${label} bystander`,
      role: 'contributor',
      initiativeId: initiative.id,
      partnerId: nonOwner.id,
    }),
    viewer: await createToken(api, { name: `${label} viewer`, role: 'viewer', initiativeId: initiative.id }),
  };
  return {
    ids: {
      initiative: initiative.id,
      partner: owner.id,
      result: result.id,
      outcome: outcome.id,
      indicator: indicator.id,
      dataPoint: put.points[0].id,
      action: action.id,
    },
    flipped: { indicator: flipped.id, dataPoint: putFlipped.points[0].id },
    partnerNonOwner: nonOwner.id,
    tokens,
  };
}

export async function buildWorld(api: TestApp): Promise<World> {
  const pub = await buildInitiative(api, 'Public', 'public');
  const priv = await buildInitiative(api, 'Private', 'private');
  const other = await buildInitiative(api, 'Other', 'private');
  const adminTokenSecret = await createToken(api, { name: 'a stored admin token', role: 'admin' });
  return { pub, priv, other, adminTokenSecret };
}

// ---------------------------------------------------------------------------------------------------
// Principals

export const PRINCIPALS = [
  'anonymous',
  'admin',
  'adminToken',
  'editorOwn',
  'editorOther',
  'contribOwner',
  'contribNonOwner',
  'contribOther',
  'viewerOwn',
  'viewerOther',
] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

/** The secret each principal sends (null = no Authorization header), "own" being `own`'s initiative. */
export function secretOf(world: World, own: InitiativeWorld, who: PrincipalName): string | null {
  switch (who) {
    case 'anonymous':
      return null;
    case 'admin':
      return TEST_ADMIN_TOKEN;
    case 'adminToken':
      return world.adminTokenSecret;
    case 'editorOwn':
      return own.tokens.editor;
    case 'editorOther':
      return world.other.tokens.editor;
    case 'contribOwner':
      return own.tokens.contributor;
    case 'contribNonOwner':
      return own.tokens.contributorNonOwner!;
    case 'contribOther':
      return world.other.tokens.contributor;
    case 'viewerOwn':
      return own.tokens.viewer;
    case 'viewerOther':
      return world.other.tokens.viewer;
  }
}

// ---------------------------------------------------------------------------------------------------
// Snapshots

/**
 * Tables of derived data a read may fill: stored baseline fits are a cache of the engine's work
 * (server/services/stored-fits.ts), refitted from the data whenever missing — not stored data.
 */
export const DERIVED_TABLES = ['baseline_fits'];

/** Every table of the current schema (Kysely's bookkeeping and derived data aside): row count and a hash of its rows. */
export async function snapshot(db: Kysely<Database>): Promise<Record<string, string>> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely%'
    order by table_name`.execute(db);
  const stored = tables.filter(({ name }) => !DERIVED_TABLES.includes(name));
  const out: Record<string, string> = {};
  for (const { name } of stored) {
    // last_used_at is bookkeeping every authenticated request updates; it is not "stored data".
    const { rows } = await sql<{ n: number; h: string }>`
      select count(*)::int as n,
             md5(coalesce(string_agg((to_jsonb(t) - 'last_used_at')::text, ',' order by (to_jsonb(t) - 'last_used_at')::text), '')) as h
      from ${sql.table(name)} t`.execute(db);
    out[name] = `${rows[0]!.n}:${rows[0]!.h}`;
  }
  return out;
}

/** The shape every error has (README, "Mistakes come back as one error shape"). */
export function isErrorShape(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const keys = Object.keys(body);
  const error = (body as { error?: Record<string, unknown> }).error;
  return (
    keys.length === 1 &&
    keys[0] === 'error' &&
    typeof error === 'object' &&
    error !== null &&
    typeof error.code === 'string' &&
    /^[a-z0-9_]+$/.test(error.code) &&
    typeof error.message === 'string' &&
    Array.isArray(error.details)
  );
}

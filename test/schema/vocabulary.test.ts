/**
 * One vocabulary (server/engine/vocabulary.ts, schema/vocabulary.ts): the contracts, the database column types
 * and the seeds take their enumerated values from it. This file checks the two places that cannot import it:
 * the migrations' `check (column in (…))` lists, and the engine's output types that still spell a union out.
 */
import { sql } from 'kysely';
import t from '../helpers/tap.ts';
import { IndicatorAnalysis } from '../../schema/contracts/analysis.ts';
import {
  ACTION_STATUSES,
  ACTION_UPDATE_KINDS,
  IMPORT_FORMATS,
  IMPORT_STATUSES,
  IMPORT_TARGET_KINDS,
  MEMBER_ROLES,
  OBS_STATUSES,
  PUBLICATION_STATES,
  QUADRANTS,
  ROLES,
  VISIBILITIES,
} from '../../schema/vocabulary.ts';
import type { Progress } from '../../server/engine/progress.ts';
import type { Attainability } from '../../server/engine/smart-check.ts';
import type { CurveResult, ForecastPoint, ResolvedBounds } from '../../server/engine/types.ts';
import * as engineVocabulary from '../../server/engine/vocabulary.ts';
import type {
  AttainabilityWindowRule,
  BoundsSource,
  ForecastComparison,
  ForecastPointSource,
  ProgressMethod,
  ProjectionMethod,
} from '../../server/engine/vocabulary.ts';
import * as vocabulary from '../../schema/vocabulary.ts';
import { openTestDatabase } from '../helpers/test-app.ts';

/** The columns a migration checks against a list, and the vocabulary each list must equal. */
const CHECKED_COLUMNS: Record<string, readonly string[]> = {
  'api_tokens.role': ROLES,
  'memberships.role': MEMBER_ROLES,
  'invitations.role': ROLES,
  'imports.target_kind': IMPORT_TARGET_KINDS,
  'imports.format': IMPORT_FORMATS,
  'imports.status': IMPORT_STATUSES,
  'indicators.quadrant': QUADRANTS,
  'actions.status': ACTION_STATUSES,
  'actions.visibility': VISIBILITIES,
  'action_updates.kind': ACTION_UPDATE_KINDS,
  'data_points.obs_status': OBS_STATUSES,
  'period_publications.state': PUBLICATION_STATES,
};

t.test("the database's checked lists are the vocabulary's", async (t) => {
  const { db } = await openTestDatabase(t);
  const { rows } = await sql<{ table: string; definition: string }>`
    select cl.relname as "table", pg_get_constraintdef(c.oid) as definition
    from pg_constraint c
    join pg_class cl on cl.oid = c.conrelid
    where c.contype = 'c' and c.connamespace = current_schema()::regnamespace`.execute(db);
  // PostgreSQL prints `check (role in ('a', 'b'))` as CHECK ((role = ANY (ARRAY['a'::text, 'b'::text]))).
  const lists = new Map<string, string[]>();
  for (const { table, definition } of rows) {
    for (const [, column, array] of definition.matchAll(/\((\w+) = ANY \(\(?ARRAY\[([^\]]*)\]/g)) {
      const values = [...array!.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
      lists.set(`${table}.${column}`, values);
    }
  }
  t.same([...lists.keys()].sort(), Object.keys(CHECKED_COLUMNS).sort(), 'every checked list is known here');
  for (const [column, expected] of Object.entries(CHECKED_COLUMNS)) {
    t.same([...(lists.get(column) ?? [])].sort(), [...expected].sort(), `${column}: the vocabulary's values`);
  }
});

/**
 * Lists that keep a published notation instead of snake_case: ETS models are named as in Hyndman et al. and R's
 * `forecast::ets` (error, trend with `d` for damped, season: `AAdN`), so a user can compare with R directly; SDMX
 * observation statuses keep their one-letter codes; comparison operators are symbols.
 */
const PUBLISHED_NOTATIONS: Record<string, RegExp> = {
  ETS_MODELS: /^[AM](?:N|A|Ad|M|Md)[NAM]$/,
  // SDMX's OBS_STATUS codes, as SDMX and Open SDG files write them.
  OBS_STATUSES: /^[A-Z]$/,
  // SDMX's CONF_STATUS codes (F free, C confidential), as SDMX files write them.
  CONF_STATUSES: /^[FC]$/,
  // Comparison operators, as DHIS2's validation rules and every spreadsheet write them.
  COMPARE_OPERATORS: /^(?:<|<=|=|>=|>)$/,
};

t.test('each vocabulary list names each value once, in snake_case or its published notation', async (t) => {
  for (const [name, values] of Object.entries({ ...engineVocabulary, ...vocabulary })) {
    t.ok(Array.isArray(values), `${name} is a list`);
    const list = values as readonly (string | number)[];
    t.equal(new Set(list).size, list.length, `${name}: no value twice`);
    for (const value of list) {
      if (typeof value === 'string')
        t.match(value, PUBLISHED_NOTATIONS[name] ?? /^[a-z][a-z0-9_]*$/, `${name}: ${value}`);
    }
  }
});

/** True only when A and B are the same union (checked by the compiler: `npx tsc --noEmit`). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

t.test("the engine's output types use the vocabulary's values", async (t) => {
  // Until the engine's modules name these types, the compiler holds them equal to the vocabulary.
  const checks: boolean[] = [
    true satisfies Same<ForecastPoint['source'], ForecastPointSource>,
    true satisfies Same<ResolvedBounds['source'], BoundsSource>,
    true satisfies Same<NonNullable<CurveResult['latestVsForecast']>, ForecastComparison>,
    true satisfies Same<Progress['method'], ProgressMethod>,
    true satisfies Same<NonNullable<Progress['projectionMethod']>, ProjectionMethod>,
    true satisfies Same<NonNullable<Attainability['windowRule']>, AttainabilityWindowRule>,
  ];
  t.ok(checks.every(Boolean));
  // The contract lists them in the vocabulary's order, which is the order of the OpenAPI enums.
  const forecast = IndicatorAnalysis.shape.total.shape.forecast;
  t.same(forecast.shape.points.element.shape.source.options, engineVocabulary.FORECAST_POINT_SOURCES);
});

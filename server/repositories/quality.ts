/**
 * The reads of the data-quality gate and view (services/quality-gate.ts, services/data-quality.ts): the
 * points a planned merge changes, the indicators' rules and settings, their current series, and the history
 * of an indicator's rules.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, FlagJson, IndicatorRow } from '../../schema/database.ts';
import type { ObsStatus } from '../../schema/vocabulary.ts';
import { NotFoundError } from '../errors.ts';

/** A planned version the gate must look at: its value or status changes, or it acknowledges warnings. */
/** A point of an indicator's slice as the checks read it, stored or planned. */
export interface PointOfSlice {
  indicatorId: string;
  period: string;
  periodIndex: number;
  disaggregation: Record<string, string>;
  /** The slice's canonical disaggregation key. */
  key: string;
  value: number | null;
  obsStatus: ObsStatus | null;
}

export interface GatedPlanRow extends PointOfSlice {
  ordinal: number;
  recheck: boolean;
  isNew: boolean;
  oldValue: number | null;
  acknowledge: Array<{ code: string; comment: string }> | null;
  oldFlags: FlagJson[];
}

/** How many gated planned points each slice of each indicator has, in (indicator, slice) order. */
export async function gatedSlices(
  trx: Transaction<Database>,
): Promise<Array<{ indicatorId: string; key: string; rows: number }>> {
  const { rows } = await sql<{ indicatorId: string; key: string; rows: number }>`
    select indicator_id as "indicatorId", disaggregation_key as key, count(*)::int as rows
    from point_plan where gated group by 1, 2 order by 1, 2`.execute(trx);
  return rows;
}

/**
 * The gated planned points of an indicator (of some of its slices, or all when `keys` is null), in slice and
 * period order. The slice's disaggregation is parsed once per slice from its canonical key.
 */
export async function readGatedPlan(
  trx: Transaction<Database>,
  indicatorId: string,
  keys: readonly string[] | null,
): Promise<GatedPlanRow[]> {
  const { rows } = await sql<Omit<GatedPlanRow, 'disaggregation'>>`
    select ordinal, indicator_id as "indicatorId", period, period_index as "periodIndex",
      disaggregation_key as key, value, obs_status as "obsStatus", recheck, is_new as "isNew",
      old_value as "oldValue", acknowledge, case when recheck then '[]'::jsonb else old_flags end as "oldFlags"
    from point_plan
    where gated and indicator_id = ${indicatorId}
      ${keys === null ? sql`` : sql`and disaggregation_key = any(${keys as string[]}::text[])`}
    order by disaggregation_key, period_index`.execute(trx);
  const parsed = new Map<string, Record<string, string>>();
  return rows.map((row) => {
    let disaggregation = parsed.get(row.key);
    if (!disaggregation) parsed.set(row.key, (disaggregation = JSON.parse(row.key) as Record<string, string>));
    return { ...row, disaggregation };
  });
}

/** The planned changes of stored values (a dry run lists them: old → new), the first `limit` in input order. */
export async function plannedValueChanges(trx: Transaction<Database>, limit: number) {
  const { rows } = await sql<{
    ordinal: number;
    period: string;
    disaggregation: Record<string, string>;
    old: number | null;
    new: number | null;
  }>`
    select ordinal, period, coalesce(disaggregation, disaggregation_key::jsonb) as disaggregation, old_value as old,
      value as new
    from point_plan where not is_new and not unchanged and value is distinct from old_value
    order by ordinal limit ${limit}`.execute(trx);
  return rows;
}

/** The indicators with the setting of their initiative (`quality.warnings`). */
export async function indicatorsWithQuality(
  db: Kysely<Database> | Transaction<Database>,
  ids: readonly string[],
): Promise<Array<IndicatorRow & { warningMode: 'record' | 'block' }>> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('indicators')
    .innerJoin('initiatives', 'initiatives.id', 'indicators.initiativeId')
    .selectAll('indicators')
    .select('initiatives.quality as initiativeQuality')
    .where('indicators.id', 'in', [...new Set(ids)])
    .execute();
  return rows.map(({ initiativeQuality, ...row }) => ({ ...row, warningMode: initiativeQuality.warnings }));
}

/** One current point, as the checks read it. */
export interface StateRow extends PointOfSlice {
  status: string | null;
  flags: FlagJson[];
  validFrom: Date;
}

/** Every current point (all slices) of the indicators, or the points valid at `asOf`. */
export async function currentPointsOf(
  db: Kysely<Database> | Transaction<Database>,
  indicatorIds: readonly string[],
  asOf?: Date,
  /** Only these slices (canonical keys); all when absent. */
  keys?: readonly string[],
): Promise<StateRow[]> {
  if (indicatorIds.length === 0) return [];
  let query = db
    .selectFrom('dataPoints')
    .select([
      'indicatorId',
      'period',
      'periodIndex',
      'disaggregation',
      'disaggregationKey as key',
      'value',
      'obsStatus',
      'status',
      'flags',
      'validFrom',
    ])
    .where('indicatorId', 'in', [...new Set(indicatorIds)]);
  if (keys) query = query.where('disaggregationKey', 'in', keys.length > 0 ? [...keys] : ['']);
  query = asOf
    ? query.where('validFrom', '<=', asOf).where((eb) => eb.or([eb('validTo', 'is', null), eb('validTo', '>', asOf)]))
    : query.where('validTo', 'is', null);
  return query.orderBy('indicatorId').orderBy('disaggregationKey').orderBy('periodIndex').execute();
}

/** The versions of an indicator's rules, oldest first (NotFoundError when the indicator does not exist). */
export async function ruleVersionsOf(db: Kysely<Database>, indicatorId: string) {
  const versions = await db
    .selectFrom('indicatorRuleVersions')
    .select(['version', 'rules', 'validFrom', 'validTo'])
    .where('indicatorId', '=', indicatorId)
    .orderBy('version')
    .execute();
  if (versions.length === 0) throw new NotFoundError('indicator', indicatorId);
  return versions;
}

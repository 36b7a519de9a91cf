/**
 * Indicators: the SMART measures hanging on a result (headline) or on one of its outcomes.
 * Every write checks the definition rules (server/domain/indicator-rules.ts) against the merged
 * definition, so a PATCH can never leave an indicator whose periods do not fit its frequency.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database, IndicatorRow } from '../../schema/database.ts';
import type { Indicator, IndicatorCreate, IndicatorPatch } from '../../schema/contracts/indicators.ts';
import { ConflictError, NotFoundError, UnprocessableError, type FieldProblem } from '../errors.ts';
import {
  definitionProblems,
  ruleProblems,
  disaggregationProblems,
  performanceFieldProblems,
  type IndicatorDefinition,
} from '../domain/indicator-rules.ts';
import { assertNoDependents } from './dependents.ts';
import { assertOutcomeInResult } from './outcomes.ts';
import { decodeCursor, toPage } from './pagination.ts';
import { assertVersion, isUniqueViolation } from './versioning.ts';

export type IndicatorWithVisibility = IndicatorRow & { resultVisibility: string };

export function toIndicator(row: IndicatorWithVisibility): Indicator {
  return {
    id: row.id,
    initiativeId: row.initiativeId,
    resultId: row.resultId,
    outcomeId: row.outcomeId,
    name: row.name,
    code: row.code,
    unit: row.unit as Indicator['unit'],
    polarity: row.polarity as Indicator['polarity'],
    frequency: row.frequency as Indicator['frequency'],
    definition: row.definition,
    unitLabel: row.unitLabel,
    decimals: row.decimals,
    yearStartMonth: row.yearStartMonth,
    baselinePeriod: row.baselinePeriod,
    target: row.target ?? null,
    interimTargets: row.interimTargets,
    naturalLimit: row.naturalLimit,
    bounds: row.bounds ?? null,
    forecastOverride: row.forecastOverride,
    forecast: row.forecast ?? { method: 'auto' },
    dimensions: row.dimensions,
    referenceGroup: row.referenceGroup ?? null,
    dataSource: row.dataSource,
    ownerPartnerId: row.ownerPartnerId,
    level: row.level as Indicator['level'],
    quadrant: row.quadrant as Indicator['quadrant'],
    programName: row.programName,
    reportingLag: row.reportingLag ?? null,
    rules: row.rules as Indicator['rules'],
    suppression: row.suppression ?? null,
    visibility: (row.visibility ?? row.resultVisibility) as Indicator['visibility'],
    visibilityInherited: row.visibility === null,
    position: row.position,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Indicators with their result's visibility (for the effective visibility). */
export function selectIndicators(db: Kysely<Database>) {
  return db
    .selectFrom('indicators')
    .innerJoin('results', 'results.id', 'indicators.resultId')
    .selectAll('indicators')
    .select('results.visibility as resultVisibility');
}

/** Keeps only indicators whose effective visibility is public, unless `includePrivate`. */
export function onlyVisible<Q extends ReturnType<typeof selectIndicators>>(query: Q, includePrivate: boolean): Q {
  if (includePrivate) return query;
  return query.where(sql<string>`coalesce(indicators.visibility, results.visibility)`, '=', 'public') as Q;
}

function rejectIfProblems(problems: FieldProblem[]): void {
  if (problems.length > 0) {
    throw new UnprocessableError(problems[0]!.code, 'The indicator definition cannot be used:', problems, {
      listProblems: Infinity,
    });
  }
}

async function assertOwnerInInitiative(db: Kysely<Database>, partnerId: string, initiativeId: string): Promise<void> {
  const partner = await db.selectFrom('partners').select('initiativeId').where('id', '=', partnerId).executeTakeFirst();
  if (partner?.initiativeId === initiativeId) return;
  throw new UnprocessableError(
    'partner_not_in_initiative',
    `Partner ${partnerId} is not a partner of this initiative.`,
    [
      {
        field: 'ownerPartnerId',
        code: 'partner_not_in_initiative',
        message: 'is not a partner of this initiative',
      },
    ],
  );
}

function duplicateCode(code: string): ConflictError {
  return new ConflictError('duplicate_code', `Another indicator of this result already has the code "${code}".`, [
    { field: 'code', code: 'duplicate_code', message: `"${code}" is taken in this result` },
  ]);
}

async function checkReferences(
  trx: Transaction<Database>,
  resultId: string,
  initiativeId: string,
  input: IndicatorPatch,
) {
  if (input.outcomeId) await assertOutcomeInResult(trx, input.outcomeId, resultId, 'outcomeId');
  if (input.ownerPartnerId) await assertOwnerInInitiative(trx, input.ownerPartnerId, initiativeId);
  if (input.rules) await assertComparedInResult(trx, input.rules, resultId);
}

/** A `compare` rule names another indicator of the same result (domain/quality-checks.ts). */
async function assertComparedInResult(
  trx: Transaction<Database>,
  rules: NonNullable<IndicatorPatch['rules']>,
  resultId: string,
): Promise<void> {
  const named = rules.flatMap((rule, i) => (rule.kind === 'compare' ? [{ i, id: rule.otherIndicatorId }] : []));
  if (named.length === 0) return;
  const found = await trx
    .selectFrom('indicators')
    .select('id')
    .where('resultId', '=', resultId)
    .where(
      'id',
      'in',
      named.map((n) => n.id),
    )
    .execute();
  const inResult = new Set(found.map((row) => row.id));
  const problems = named
    .filter((n) => !inResult.has(n.id))
    .map((n) => ({
      field: `rules.${n.i}.otherIndicatorId`,
      code: 'indicator_not_in_result',
      message: 'names no indicator of this result',
    }));
  if (problems.length > 0)
    throw new UnprocessableError(
      'indicator_not_in_result',
      'A compare rule must name another indicator of the same result.',
      problems,
    );
}

export async function createIndicator(
  db: Kysely<Database>,
  resultId: string,
  input: IndicatorCreate,
): Promise<Indicator> {
  const definition: IndicatorDefinition = {
    frequency: input.frequency,
    yearStartMonth: input.yearStartMonth ?? 1,
    baselinePeriod: input.baselinePeriod ?? null,
    target: input.target ?? null,
    interimTargets: input.interimTargets ?? [],
    forecastOverride: input.forecastOverride ?? [],
    dimensions: input.dimensions ?? [],
    referenceGroup: input.referenceGroup ?? null,
    unit: input.unit,
    bounds: input.bounds ?? null,
  };
  rejectIfProblems([
    ...ruleProblems(input.rules ?? [], definition.dimensions, null),
    ...definitionProblems(definition),
    ...performanceFieldProblems({
      level: input.level ?? 'population',
      quadrant: input.quadrant ?? null,
      programName: input.programName ?? null,
    }),
  ]);
  return db.transaction().execute(async (trx) => {
    // Locking the result serialises additions to its tree, so two indicators added at once get distinct positions.
    const result = await trx
      .selectFrom('results')
      .select(['initiativeId'])
      .where('id', '=', resultId)
      .forUpdate()
      .executeTakeFirst();
    if (!result) throw new NotFoundError('result', resultId);
    await checkReferences(trx, resultId, result.initiativeId, input);
    const id = uuidv7();
    const position =
      input.position ??
      Number(
        (
          await trx
            .selectFrom('indicators')
            .select((eb) => eb.fn.coalesce(eb.fn.max('position'), sql<number>`-1`).as('last'))
            .where('resultId', '=', resultId)
            .where('outcomeId', input.outcomeId ? '=' : 'is', input.outcomeId ?? null)
            .executeTakeFirstOrThrow()
        ).last,
      ) + 1;
    try {
      await trx
        .insertInto('indicators')
        .values({
          id,
          initiativeId: result.initiativeId,
          resultId,
          outcomeId: input.outcomeId ?? null,
          name: input.name,
          code: input.code ?? null,
          unit: input.unit,
          polarity: input.polarity,
          frequency: input.frequency,
          definition: input.definition ?? null,
          unitLabel: input.unitLabel ?? null,
          decimals: input.decimals ?? null,
          yearStartMonth: definition.yearStartMonth,
          baselinePeriod: definition.baselinePeriod,
          target: JSON.stringify(definition.target),
          interimTargets: JSON.stringify(definition.interimTargets),
          naturalLimit: input.naturalLimit ?? null,
          bounds: JSON.stringify(definition.bounds),
          forecastOverride: JSON.stringify(definition.forecastOverride),
          forecast: JSON.stringify(input.forecast ?? { method: 'auto' }),
          dimensions: JSON.stringify(definition.dimensions),
          referenceGroup: JSON.stringify(definition.referenceGroup),
          dataSource: input.dataSource ?? null,
          ownerPartnerId: input.ownerPartnerId ?? null,
          level: input.level ?? 'population',
          quadrant: input.quadrant ?? null,
          programName: input.programName ?? null,
          reportingLag: JSON.stringify(input.reportingLag ?? null),
          rules: JSON.stringify(input.rules ?? []),
          suppression: input.suppression ? JSON.stringify(input.suppression) : null,
          visibility: input.visibility ?? null,
          position,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error) && input.code) throw duplicateCode(input.code);
      throw error;
    }
    return toIndicator(await selectIndicators(trx).where('indicators.id', '=', id).executeTakeFirstOrThrow());
  });
}

export async function findIndicatorOrThrow(db: Kysely<Database>, id: string): Promise<Indicator> {
  const row = await selectIndicators(db).where('indicators.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('indicator', id);
  return toIndicator(row);
}

/** Every indicator of a result; only the public ones unless `includePrivate`. */
export async function listIndicators(
  db: Kysely<Database>,
  resultId: string,
  page: { limit: number; cursor?: string | undefined },
  includePrivate: boolean,
) {
  let query = onlyVisible(selectIndicators(db), includePrivate)
    .where('indicators.resultId', '=', resultId)
    .orderBy('indicators.position')
    .orderBy('indicators.id')
    .limit(page.limit + 1);
  if (page.cursor) {
    const [position, id] = decodeCursor(page.cursor, ['number', 'uuid']);
    query = query.where((eb) =>
      eb(eb.refTuple('indicators.position', 'indicators.id'), '>', eb.tuple(Number(position), String(id))),
    );
  }
  return toPage(await query.execute(), page.limit, toIndicator, (row) => [row.position, row.id]);
}

/** Stored data points that a new calendar or new dimensions would no longer accept: a ConflictError lists them. */
async function assertDataStillFits(
  trx: Transaction<Database>,
  current: IndicatorRow,
  next: IndicatorDefinition,
): Promise<void> {
  const calendarChanges = next.frequency !== current.frequency || next.yearStartMonth !== current.yearStartMonth;
  const dimensionsChange = JSON.stringify(next.dimensions) !== JSON.stringify(current.dimensions);
  if (!calendarChanges && !dimensionsChange) return;
  const points = await trx
    .selectFrom('dataPoints')
    .select(['disaggregationKey', 'disaggregation'])
    .where('indicatorId', '=', current.id)
    .groupBy(['disaggregationKey', 'disaggregation'])
    .execute();
  if (points.length === 0) return;
  if (calendarChanges) {
    throw new ConflictError(
      'indicator_has_data',
      'The frequency or year start of an indicator with data points cannot change: its periods would no longer fit. Create a new indicator, or delete the data first.',
      [{ field: 'frequency', code: 'indicator_has_data', message: 'the indicator has data points' }],
    );
  }
  const orphaned = points.flatMap((p) =>
    disaggregationProblems(next.dimensions, p.disaggregation, `data.${p.disaggregationKey}`),
  );
  if (orphaned.length > 0) {
    throw new ConflictError(
      'dimension_in_use',
      'Stored data points use dimension values this change would remove. Delete or move those points first.',
      orphaned,
    );
  }
}

export async function updateIndicator(
  db: Kysely<Database>,
  id: string,
  patch: IndicatorPatch,
  ifMatch: string | undefined,
): Promise<Indicator> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('indicators').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new NotFoundError('indicator', id);
    assertVersion(current.version, ifMatch);
    const next: IndicatorDefinition = {
      frequency: patch.frequency ?? (current.frequency as IndicatorDefinition['frequency']),
      yearStartMonth:
        patch.yearStartMonth ?? (patch.frequency && patch.frequency !== 'annual' ? 1 : current.yearStartMonth),
      baselinePeriod: patch.baselinePeriod !== undefined ? patch.baselinePeriod : current.baselinePeriod,
      target: patch.target !== undefined ? patch.target : (current.target ?? null),
      interimTargets: patch.interimTargets ?? current.interimTargets,
      forecastOverride: patch.forecastOverride ?? current.forecastOverride,
      dimensions: patch.dimensions ?? current.dimensions,
      referenceGroup: patch.referenceGroup !== undefined ? patch.referenceGroup : (current.referenceGroup ?? null),
      unit: patch.unit ?? current.unit,
      bounds: patch.bounds !== undefined ? patch.bounds : (current.bounds ?? null),
    };
    rejectIfProblems([
      ...ruleProblems(patch.rules ?? current.rules, next.dimensions, id),
      ...definitionProblems(next),
      ...performanceFieldProblems({
        level: patch.level ?? current.level,
        quadrant: patch.quadrant !== undefined ? patch.quadrant : current.quadrant,
        programName: patch.programName !== undefined ? patch.programName : current.programName,
      }),
    ]);
    await checkReferences(trx, current.resultId, current.initiativeId, patch);
    await assertDataStillFits(trx, current, next);
    try {
      await trx
        .updateTable('indicators')
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.code !== undefined && { code: patch.code }),
          ...(patch.unit !== undefined && { unit: patch.unit }),
          ...(patch.polarity !== undefined && { polarity: patch.polarity }),
          ...(patch.outcomeId !== undefined && { outcomeId: patch.outcomeId }),
          ...(patch.definition !== undefined && { definition: patch.definition }),
          ...(patch.unitLabel !== undefined && { unitLabel: patch.unitLabel }),
          ...(patch.decimals !== undefined && { decimals: patch.decimals }),
          ...(patch.naturalLimit !== undefined && { naturalLimit: patch.naturalLimit }),
          ...(patch.dataSource !== undefined && { dataSource: patch.dataSource }),
          ...(patch.ownerPartnerId !== undefined && { ownerPartnerId: patch.ownerPartnerId }),
          ...(patch.level !== undefined && { level: patch.level }),
          ...(patch.quadrant !== undefined && { quadrant: patch.quadrant }),
          ...(patch.programName !== undefined && { programName: patch.programName }),
          ...(patch.reportingLag !== undefined && { reportingLag: JSON.stringify(patch.reportingLag) }),
          ...(patch.forecast !== undefined && { forecast: JSON.stringify(patch.forecast) }),
          ...(patch.rules !== undefined && { rules: JSON.stringify(patch.rules) }),
          ...(patch.suppression !== undefined && {
            suppression: patch.suppression === null ? null : JSON.stringify(patch.suppression),
          }),
          ...(patch.visibility !== undefined && { visibility: patch.visibility }),
          ...(patch.position !== undefined && { position: patch.position }),
          frequency: next.frequency,
          yearStartMonth: next.yearStartMonth,
          baselinePeriod: next.baselinePeriod,
          target: JSON.stringify(next.target),
          interimTargets: JSON.stringify(next.interimTargets),
          forecastOverride: JSON.stringify(next.forecastOverride),
          dimensions: JSON.stringify(next.dimensions),
          referenceGroup: JSON.stringify(next.referenceGroup),
          bounds: JSON.stringify(next.bounds),
          version: sql<number>`version + 1`,
          updatedAt: sql<Date>`now()`,
        })
        .where('id', '=', id)
        .execute();
    } catch (error) {
      if (isUniqueViolation(error) && patch.code) throw duplicateCode(patch.code);
      throw error;
    }
    return toIndicator(await selectIndicators(trx).where('indicators.id', '=', id).executeTakeFirstOrThrow());
  });
}

/** Deletes an indicator; when it has data points, only with `cascade` (they go with it), else a ConflictError. */
export async function deleteIndicator(db: Kysely<Database>, id: string, cascade: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('indicators').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new NotFoundError('indicator', id);
    // A compare rule of another indicator that names this one would judge every later write against nothing.
    const comparing = await trx
      .selectFrom('indicators')
      .select(['id', 'code', 'name'])
      .where(sql<boolean>`rules @> ${JSON.stringify([{ otherIndicatorId: id }])}::jsonb`)
      .where('id', '<>', id)
      .execute();
    if (comparing.length > 0)
      throw new ConflictError(
        'indicator_compared',
        `Other indicators' data-quality rules compare with this one (${comparing.map((c) => c.code ?? c.name).join(', ')}): remove those rules first.`,
        comparing.map((c) => ({
          field: `indicators.${c.id}.rules`,
          code: 'indicator_compared',
          message: 'compares with this indicator',
        })),
      );
    if (!cascade) {
      const { n } = await trx
        .selectFrom('dataPoints')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('indicatorId', '=', id)
        .where('validTo', 'is', null)
        .executeTakeFirstOrThrow();
      const report = await trx
        .selectFrom('curveReports')
        .select('version')
        .where('indicatorId', '=', id)
        .where('validTo', 'is', null)
        .executeTakeFirst();
      assertNoDependents(
        'indicator',
        { 'data points': n, 'turn-the-curve reports': report ? 1 : 0 },
        'with its data points and its turn-the-curve report',
      );
    }
    await trx.deleteFrom('indicators').where('id', '=', id).execute();
  });
}

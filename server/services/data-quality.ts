/**
 * The data-quality view (`GET /results/{id}/data-quality`, `GET /indicators/{id}/data-quality`) and the history
 * of an indicator's rules (`GET /indicators/{id}/rules`): read the indicators, the rules in force (at asOf),
 * the stored points with their flags, and list what a data workgroup should look at (domain/quality-review.ts).
 */
import type { DataQualityReport } from '../../schema/contracts/data-quality.ts';
import type { IndicatorRow } from '../../schema/database.ts';
import { qualityIndicatorOf, stateOf, type IndicatorState } from '../domain/quality-checks.ts';
import { reviewIndicator, type ReviewedPoint } from '../domain/quality-review.ts';
import { utcToday } from '../domain/period-timing.ts';
import type { Db } from '../dependencies.ts';
import { findIndicatorRowOrThrow } from '../repositories/data-points.ts';
import { onlyVisible, selectIndicators } from '../repositories/indicators.ts';
import { BadRequestError } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../repositories/pagination.ts';
import { currentPointsOf, ruleVersionsOf, type StateRow } from '../repositories/quality.ts';
import { findResultOrThrow } from '../repositories/results.ts';

/** The version in force at `asOf` (the current one when absent). */
function versionAt<V extends { validFrom: Date; validTo: Date | null }>(
  versions: readonly V[],
  asOf: Date | undefined,
): V | undefined {
  return versions.find((v) =>
    asOf === undefined ? v.validTo === null : v.validFrom <= asOf && (v.validTo === null || v.validTo > asOf),
  );
}

/** An indicator's rules now or at asOf (none before it existed), with every kept version. */
export async function indicatorRules(db: Db, indicatorId: string, asOf?: Date) {
  const versions = await ruleVersionsOf(db, indicatorId);
  const inForce = versionAt(versions, asOf);
  return {
    indicatorId,
    rules: inForce?.rules ?? [],
    version: inForce?.version ?? 0,
    validFrom: (inForce?.validFrom ?? versions[0]!.validFrom).toISOString(),
    versions: versions.map((v) => ({
      version: v.version,
      rules: v.rules,
      validFrom: v.validFrom.toISOString(),
      validTo: v.validTo?.toISOString() ?? null,
    })),
  };
}

function toState(rows: readonly StateRow[]): IndicatorState {
  return stateOf(rows.filter((r) => r.value !== null || r.obsStatus === 'M'));
}

/** The data-quality list of the indicators (all of `rows` are listed; `all` also serves `compare` rules). */
async function review(
  db: Db,
  rows: readonly IndicatorRow[],
  all: readonly IndicatorRow[],
  asOf: Date | undefined,
): Promise<DataQualityReport> {
  const points = await currentPointsOf(
    db,
    all.map((r) => r.id),
    asOf,
  );
  const byIndicator = new Map<string, StateRow[]>();
  for (const p of points) {
    const list = byIndicator.get(p.indicatorId) ?? [];
    list.push(p);
    byIndicator.set(p.indicatorId, list);
  }
  const others = new Map(
    all.map((row) => [row.id, { label: row.code ?? row.name, state: toState(byIndicator.get(row.id) ?? []) }]),
  );
  const today = asOf ? asOf.toISOString().slice(0, 10) : utcToday();
  const report: DataQualityReport = { items: [], nextCursor: null, missingPeriods: [] };
  for (const row of rows) {
    const rules = asOf ? (versionAt(await ruleVersionsOf(db, row.id), asOf)?.rules ?? []) : row.rules;
    const stored = byIndicator.get(row.id) ?? [];
    const reviewed: ReviewedPoint[] = stored.map((p) => ({ ...p }));
    const { items, missingPeriods } = reviewIndicator(
      {
        ...qualityIndicatorOf({ ...row, rules }),
        calendar: { frequency: row.frequency, yearStartMonth: row.yearStartMonth },
        reportingLag: row.reportingLag ?? null,
      },
      reviewed,
      others.get(row.id)!.state,
      { others },
      today,
    );
    report.items.push(...items);
    report.missingPeriods.push(
      ...missingPeriods.map((period) => ({ indicatorId: row.id, period, disaggregation: {} })),
    );
  }
  // Unacknowledged first, errors before warnings; then by indicator and period as listed.
  const rank = (i: DataQualityReport['items'][number]) => (i.acknowledged ? 2 : 0) + (i.severity === 'error' ? 0 : 1);
  report.items.sort((a, b) => rank(a) - rank(b));
  return report;
}

/** Marks the cursors of the data-quality list (a position in the list, which is computed whole). */
const CURSOR_TAG = 'data-quality';

/** One page of the items (the list is computed whole, then cut: the cursor is the position of the next item). */
export function pageOf<R extends { items: unknown[] }>(
  report: R,
  page: { limit: number; cursor?: string | undefined },
  cursorTag = CURSOR_TAG,
): R & { nextCursor: string | null } {
  let start = 0;
  if (page.cursor) {
    const [tag, position] = decodeCursor(page.cursor, ['string', 'number']);
    start = Number(position);
    // Only a cursor this list gave out: its tag, and a position within the list.
    if (tag !== cursorTag || !Number.isInteger(start) || start < 1 || start > report.items.length)
      throw new BadRequestError('invalid_cursor', 'The cursor is not one this list gave out.', [
        { field: 'cursor', code: 'invalid_cursor', message: 'pass back the nextCursor of a previous page' },
      ]);
  }
  const end = start + page.limit;
  return {
    ...report,
    items: report.items.slice(start, end),
    nextCursor: end < report.items.length ? encodeCursor([cursorTag, end]) : null,
  };
}

export async function indicatorDataQuality(db: Db, indicatorId: string, asOf?: Date): Promise<DataQualityReport> {
  const row = await findIndicatorRowOrThrow(db, indicatorId);
  const compared = row.rules.flatMap((r) => (r.kind === 'compare' ? [r.otherIndicatorId] : []));
  const others =
    compared.length > 0 ? await db.selectFrom('indicators').selectAll().where('id', 'in', compared).execute() : [];
  return review(db, [row], [row, ...others], asOf);
}

/** The list for every indicator of a result the caller may see (private ones only for members). */
export async function resultDataQuality(
  db: Db,
  resultId: string,
  includePrivate: boolean,
  asOf?: Date,
): Promise<DataQualityReport> {
  await findResultOrThrow(db, resultId);
  const visible = await onlyVisible(selectIndicators(db), includePrivate)
    .where('indicators.resultId', '=', resultId)
    .orderBy('indicators.position')
    .execute();
  const all = await db.selectFrom('indicators').selectAll().where('resultId', '=', resultId).execute();
  return review(db, visible, all, asOf);
}

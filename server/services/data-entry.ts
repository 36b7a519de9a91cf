/**
 * Entering data by hand or by script: the JSON batch (`PUT …/data-points`, the workspace's grid) and the
 * single-point PATCH, each through the data-quality gate (services/quality-gate.ts) inside its transaction.
 * CSV imports pass the same gate in services/csv-import.ts.
 */
import type { DataPointInput, DataPointPatch } from '../../schema/contracts/data-points.ts';
import type { QualityWarning } from '../../schema/contracts/data-quality.ts';
import type { Db } from '../dependencies.ts';
import { updateDataPoint, upsertDataPoints, type UpsertOutcome } from '../repositories/data-points.ts';
import { findIndicatorOrThrow } from '../repositories/indicators.ts';
import { withPublicationStates } from './data-point-list.ts';
import { runQualityGate } from './quality-gate.ts';

/**
 * Writes a batch (all or none) and answers what it did, with the warnings recorded with the points. A broken
 * error rule, or an unacknowledged warning where the initiative blocks them, refuses the batch (422).
 */
export async function enterDataPoints(
  db: Db,
  indicatorId: string,
  points: DataPointInput[],
  actor: string,
  /** If-Match per point (the workspace's grid): see `upsertDataPoints`. */
  expectedVersions?: ReadonlyArray<number | undefined>,
): Promise<UpsertOutcome & { warnings: QualityWarning[] }> {
  let warnings: QualityWarning[] = [];
  const gate = async (trx: Parameters<typeof runQualityGate>[0]) => {
    const report = await runQualityGate(trx, { actor, pathOf: (ordinal) => `points.${ordinal}` });
    warnings = report.warnings.map(({ ordinal: _ordinal, ...warning }) => warning);
  };
  const outcome = await upsertDataPoints(db, indicatorId, points, { actor, gate }, expectedVersions);
  const indicator = await findIndicatorOrThrow(db, indicatorId);
  return { ...outcome, points: await withPublicationStates(db, indicator, outcome.points), warnings };
}

/** Changes one point (a new version), through the same gate; acknowledging its flags is such a change. */
export async function patchDataPoint(
  db: Db,
  id: string,
  patch: DataPointPatch,
  ifMatch: string | undefined,
  actor: string,
) {
  const gate = async (trx: Parameters<typeof runQualityGate>[0]) => {
    await runQualityGate(trx, { actor, pathOf: () => 'value' });
  };
  const point = await updateDataPoint(db, id, patch, ifMatch, { actor, gate });
  const [shown] = await withPublicationStates(db, await findIndicatorOrThrow(db, point.indicatorId), [point]);
  return shown!;
}

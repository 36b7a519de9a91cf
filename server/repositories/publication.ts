/**
 * Publication states of an indicator's periods (docs/publication.md), versioned like data points: every
 * transition closes the current version and opens the next, with who, when, why and which action.
 *
 * The public's view of the data reads each point as it stood when its period was published
 * (`whereVisible`); writes refuse the values of approved and published periods (`lockedPlanRows`, under the
 * indicator's lock) and send an edited submitted period back to draft (`returnEditedToDraft`).
 */
import { sql, type Kysely } from 'kysely';
import type { Database, PeriodPublicationRow } from '../../schema/database.ts';
import type { PeriodPublication, PublicationTransition } from '../../schema/contracts/publication.ts';
import type { PublicationAction, PublicationState } from '../../schema/vocabulary.ts';
import type { Unit } from '../engine/vocabulary.ts';
import {
  DRAFT,
  isRefusal,
  nextPublication,
  type PublicationActor,
  type PublicationRecord,
  type TransitionRefusal,
} from '../domain/publication-rules.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError, type FieldProblem } from '../errors.ts';
import { lockIndicator } from './data-points.ts';
import { versionTimestamp } from './versions.ts';

/** What decides what the public sees of an indicator's data. */
export interface Disclosure {
  initiativeId: string;
  required: boolean;
  fourEyes: boolean;
  /** The indicator's minimum cell size (its own, else its initiative's); null = no suppression. */
  minCellSize: number | null;
  unit: Unit;
  dimensions: Array<{ name: string; values: string[] }>;
}

/** The publication and suppression settings that apply to each of the indicators (one query). */
export async function disclosuresOf(db: Kysely<Database>, indicatorIds: string[]): Promise<Map<string, Disclosure>> {
  const found = new Map<string, Disclosure>();
  if (indicatorIds.length === 0) return found;
  const rows = await db
    .selectFrom('indicators')
    .innerJoin('initiatives', 'initiatives.id', 'indicators.initiativeId')
    .select([
      'indicators.id',
      'indicators.initiativeId',
      'indicators.unit',
      'indicators.dimensions',
      'indicators.suppression as own',
      'initiatives.suppression as inherited',
      'initiatives.publication',
    ])
    .where('indicators.id', 'in', indicatorIds)
    .execute();
  for (const row of rows)
    found.set(row.id, {
      initiativeId: row.initiativeId,
      required: row.publication.required === true,
      fourEyes: row.publication.fourEyes === true,
      minCellSize: (row.own ?? row.inherited).minCellSize ?? null,
      unit: row.unit,
      dimensions: row.dimensions,
    });
  return found;
}

/** The settings of one indicator, or a NotFoundError. */
export async function disclosureOf(db: Kysely<Database>, indicatorId: string): Promise<Disclosure> {
  const found = (await disclosuresOf(db, [indicatorId])).get(indicatorId);
  if (!found) throw new NotFoundError('indicator', indicatorId);
  return found;
}

function toRecord(row: PeriodPublicationRow | undefined): PublicationRecord {
  if (!row) return DRAFT;
  return {
    state: row.state,
    submittedBy: row.submittedBy,
    submittedByKey: row.submittedByKey,
    approvedBy: row.approvedBy,
    approvedByKey: row.approvedByKey,
    publishedAt: row.publishedAt,
  };
}

function toPeriodPublication(period: string, row: PeriodPublicationRow | undefined): PeriodPublication {
  const record = toRecord(row);
  return {
    period,
    state: record.state,
    submittedBy: record.submittedBy,
    approvedBy: record.approvedBy,
    publishedAt: record.publishedAt?.toISOString() ?? null,
    reason: row?.reason ?? null,
    updatedAt: row?.validFrom.toISOString() ?? null,
    updatedBy: row?.actor ?? null,
  };
}

/** The periods that hold current data points, in order. */
async function periodsWithData(db: Kysely<Database>, indicatorId: string) {
  return db
    .selectFrom('dataPoints')
    .select(['period', 'periodIndex'])
    .distinct()
    .where('indicatorId', '=', indicatorId)
    .where('validTo', 'is', null)
    .orderBy('periodIndex')
    .execute();
}

/** Current publication records of an indicator, by period index. */
async function currentRecords(db: Kysely<Database>, indicatorId: string, periodIndexes?: number[]) {
  let query = db
    .selectFrom('periodPublications')
    .selectAll()
    .where('indicatorId', '=', indicatorId)
    .where('validTo', 'is', null);
  if (periodIndexes) query = query.where('periodIndex', 'in', periodIndexes.length > 0 ? periodIndexes : [-1]);
  const rows = await query.execute();
  return new Map(rows.map((row) => [row.periodIndex, row]));
}

/** The publication state of every period with data or a record, in period order. */
export async function listPeriodPublications(db: Kysely<Database>, indicatorId: string): Promise<PeriodPublication[]> {
  const [periods, records] = await Promise.all([periodsWithData(db, indicatorId), currentRecords(db, indicatorId)]);
  const byIndex = new Map<number, string>(periods.map((p) => [p.periodIndex, p.period]));
  for (const row of records.values()) byIndex.set(row.periodIndex, row.period);
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, period]) => toPeriodPublication(period, records.get(index)));
}

/** The latest 500 transitions of an indicator's periods, newest first, each with the state it moved from. */
export async function listPublicationTransitions(
  db: Kysely<Database>,
  indicatorId: string,
): Promise<PublicationTransition[]> {
  const history = await db
    .selectFrom('periodPublications')
    .selectAll()
    .where('indicatorId', '=', indicatorId)
    .orderBy('validFrom', 'desc')
    .orderBy('periodIndex')
    .limit(500)
    .execute();
  const previous = await previousStates(db, history);
  return history.map((row) => ({
    period: row.period,
    action: row.action,
    from: previous.get(`${row.periodIndex} ${row.version}`) ?? null,
    to: row.state,
    by: row.actor,
    at: row.validFrom.toISOString(),
    reason: row.reason,
  }));
}

/** The state each listed version moved from (version 1 moved from an implicit draft). */
async function previousStates(db: Kysely<Database>, rows: PeriodPublicationRow[]) {
  const found = new Map<string, PublicationState>();
  const wanted = rows.filter((row) => row.version > 1);
  for (const row of rows) if (row.version === 1) found.set(`${row.periodIndex} 1`, 'draft');
  if (wanted.length === 0) return found;
  const earlier = await db
    .selectFrom('periodPublications')
    .select(['periodIndex', 'version', 'state'])
    .where('indicatorId', '=', rows[0]!.indicatorId)
    .where((eb) =>
      eb(
        eb.refTuple('periodIndex', 'version'),
        'in',
        wanted.map((row) => eb.tuple(row.periodIndex, row.version - 1)),
      ),
    )
    .execute();
  for (const row of earlier) found.set(`${row.periodIndex} ${row.version + 1}`, row.state);
  return found;
}

/** One period a transition names: its label as given, where it came in the request, and its index. */
export interface NamedPeriod {
  period: string;
  periodIndex: number;
  /** Its place in the request's `periods`, for error paths. */
  position: number;
}

/**
 * Applies one action to periods of an indicator, all or none, under the indicator's lock (so no write of its
 * values slips between an approval's check and its lock). Every period must hold data to be submitted. A
 * refusal of any period refuses the whole request: 403 when the actor may not (four eyes), 409 when a period's
 * state does not allow it, 422 without a required reason.
 */
export async function changePublication(
  db: Kysely<Database>,
  indicatorId: string,
  periods: NamedPeriod[],
  action: PublicationAction,
  actor: PublicationActor,
  options: { fourEyes: boolean; reason?: string | undefined },
): Promise<PeriodPublication[]> {
  return db.transaction().execute(async (trx) => {
    const indicator = await lockIndicator(trx, indicatorId);
    const indexes = periods.map((p) => p.periodIndex);
    const records = await currentRecords(trx, indicatorId, indexes);
    const withData = new Set(
      (
        await trx
          .selectFrom('dataPoints')
          .select('periodIndex')
          .distinct()
          .where('indicatorId', '=', indicatorId)
          .where('validTo', 'is', null)
          .where('periodIndex', 'in', indexes)
          .execute()
      ).map((row) => row.periodIndex),
    );
    // The moment, to the microsecond as the database keeps it: the public reads each point as it stood then, so
    // a value written a few microseconds before a publication must count as published.
    const at = await versionTimestamp(trx);
    const now = new Date(at);
    const refusals: Array<TransitionRefusal & { position: number }> = [];
    const next: Array<{ named: NamedPeriod; record: PublicationRecord }> = [];
    for (const named of periods) {
      if (action === 'submit' && !withData.has(named.periodIndex)) {
        refusals.push({
          kind: 'unprocessable',
          code: 'no_data',
          message: `${named.period} has no data to submit`,
          position: named.position,
        });
        continue;
      }
      const record = nextPublication(toRecord(records.get(named.periodIndex)), action, actor, {
        fourEyes: options.fourEyes,
        now,
        reason: options.reason,
      });
      if (isRefusal(record)) refusals.push({ ...record, position: named.position });
      else next.push({ named, record });
    }
    if (refusals.length > 0) throw refusalError(refusals);
    const moment = sql<Date>`${at}::timestamptz`;
    await trx
      .updateTable('periodPublications')
      .set({ validTo: moment })
      .where('indicatorId', '=', indicatorId)
      .where('periodIndex', 'in', indexes)
      .where('validTo', 'is', null)
      .execute();
    await trx
      .insertInto('periodPublications')
      .values(
        next.map(({ named, record }) => ({
          indicatorId,
          initiativeId: indicator.initiativeId,
          period: named.period,
          periodIndex: named.periodIndex,
          version: (records.get(named.periodIndex)?.version ?? 0) + 1,
          ...record,
          publishedAt: record.publishedAt === now ? moment : record.publishedAt,
          reason: options.reason ?? null,
          action,
          actor: actor.name,
          validFrom: moment,
        })),
      )
      .execute();
    const written = await currentRecords(trx, indicatorId, indexes);
    return next.map(({ named }) => toPeriodPublication(named.period, written.get(named.periodIndex)));
  });
}

/** One error for all refused periods: the most fundamental kind wins (who, then what is missing, then state). */
function refusalError(refusals: Array<TransitionRefusal & { position: number }>) {
  const problems = (kind: TransitionRefusal['kind']): FieldProblem[] =>
    refusals
      .filter((r) => r.kind === kind)
      .map((r) => ({ field: `periods.${r.position}`, code: r.code, message: r.message }));
  const forbidden = problems('forbidden');
  if (forbidden.length > 0) return new ForbiddenError(forbidden[0]!.message, forbidden);
  const unprocessable = problems('unprocessable');
  if (unprocessable.length > 0)
    return new UnprocessableError(unprocessable[0]!.code, unprocessable[0]!.message, unprocessable);
  const conflicts = problems('conflict');
  return new ConflictError(
    'invalid_transition',
    conflicts.length === 1 ? conflicts[0]!.message : `${conflicts.length} periods are not in a state that allows this.`,
    conflicts,
  );
}

/** Every moment a period of the indicator was published: the versions of its points the public has seen. */
export async function publicationMomentsOf(
  db: Kysely<Database>,
  indicatorId: string,
  periodIndex: number,
): Promise<Date[]> {
  const rows = await db
    .selectFrom('periodPublications')
    .select('publishedAt')
    .distinct()
    .where('indicatorId', '=', indicatorId)
    .where('periodIndex', '=', periodIndex)
    .where('publishedAt', 'is not', null)
    .execute();
  return rows.map((row) => row.publishedAt!);
}

/** A period waiting in the review queue (`/app/review`): submitted (to approve) or approved (to publish). */
export interface QueuedPeriod {
  indicatorId: string;
  indicatorName: string;
  initiativeId: string;
  initiativeName: string;
  ownerPartnerId: string | null;
  visibility: 'public' | 'private';
  period: string;
  periodIndex: number;
  state: 'submitted' | 'approved';
  submittedBy: string | null;
  approvedBy: string | null;
  /** When the period entered its state (the submission or the approval). */
  since: Date;
}

/**
 * The submitted and approved periods of the indicators of one initiative (a member's), or of every initiative
 * (`initiativeId: null`, administrators), by initiative, indicator and period; at most `limit` rows.
 */
export async function listReviewQueue(
  db: Kysely<Database>,
  /** Every initiative, or these (a member's). */
  scope: { initiativeIds: 'all' | string[] },
  limit = 1000,
): Promise<QueuedPeriod[]> {
  let query = db
    .selectFrom('periodPublications')
    .innerJoin('indicators', 'indicators.id', 'periodPublications.indicatorId')
    .innerJoin('results', 'results.id', 'indicators.resultId')
    .innerJoin('initiatives', 'initiatives.id', 'indicators.initiativeId')
    .select([
      'periodPublications.indicatorId',
      'indicators.name as indicatorName',
      'indicators.initiativeId',
      'initiatives.name as initiativeName',
      'indicators.ownerPartnerId',
      'indicators.visibility as ownVisibility',
      'results.visibility as resultVisibility',
      'periodPublications.period',
      'periodPublications.periodIndex',
      'periodPublications.state',
      'periodPublications.submittedBy',
      'periodPublications.approvedBy',
      'periodPublications.validFrom',
    ])
    .where('periodPublications.validTo', 'is', null)
    .where('periodPublications.state', 'in', ['submitted', 'approved']);
  if (scope.initiativeIds !== 'all') {
    if (scope.initiativeIds.length === 0) return [];
    query = query.where('indicators.initiativeId', 'in', scope.initiativeIds);
  }
  const rows = await query
    .orderBy('initiatives.name')
    .orderBy('indicators.name')
    .orderBy('indicators.id')
    .orderBy('periodPublications.periodIndex')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    indicatorId: row.indicatorId,
    indicatorName: row.indicatorName,
    initiativeId: row.initiativeId,
    initiativeName: row.initiativeName,
    ownerPartnerId: row.ownerPartnerId,
    visibility: (row.ownVisibility ?? row.resultVisibility) === 'public' ? 'public' : 'private',
    period: row.period,
    periodIndex: row.periodIndex,
    state: row.state as 'submitted' | 'approved',
    submittedBy: row.submittedBy,
    approvedBy: row.approvedBy,
    since: new Date(row.validFrom),
  }));
}

/** The current publication state of each period of an indicator that has a record (others are drafts). */
export async function periodStatesOf(
  db: Kysely<Database>,
  indicatorId: string,
): Promise<Map<number, PublicationState>> {
  const rows = await db
    .selectFrom('periodPublications')
    .select(['periodIndex', 'state'])
    .where('indicatorId', '=', indicatorId)
    .where('validTo', 'is', null)
    .execute();
  return new Map(rows.map((row) => [row.periodIndex, row.state]));
}

/** The current publication state of each period with a record, by indicator and period label (others are drafts). */
export async function periodStatesOfIndicators(
  db: Kysely<Database>,
  indicatorIds: string[],
): Promise<Map<string, Map<string, PublicationState>>> {
  const found = new Map<string, Map<string, PublicationState>>();
  if (indicatorIds.length === 0) return found;
  const rows = await db
    .selectFrom('periodPublications')
    .select(['indicatorId', 'period', 'state'])
    .where('indicatorId', 'in', indicatorIds)
    .where('validTo', 'is', null)
    .execute();
  for (const row of rows) {
    const states = found.get(row.indicatorId) ?? new Map<string, PublicationState>();
    states.set(row.period, row.state);
    found.set(row.indicatorId, states);
  }
  return found;
}

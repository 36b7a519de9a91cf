/**
 * Turn-the-curve reports: one per indicator, every version kept (valid_from/valid_to), like data points.
 * The current report is the version with no valid_to; an edit closes it and adds the next version; a delete
 * closes it with who and how. Writers of one indicator are serialised by its row lock.
 */
import { sql, type Kysely } from 'kysely';
import type { CurveReportRow, Database } from '../../schema/database.ts';
import type { CurveReport, CurveReportHistory, CurveReportInput } from '../../schema/contracts/curve-reports.ts';
import { NotFoundError, UnprocessableError, type FieldProblem } from '../errors.ts';
import { findIndicatorRowOrThrow, lockIndicator } from './data-points.ts';
import { assertVersion } from './versioning.ts';
import { validAt, versionTimestamp } from './versions.ts';

type Content = Pick<CurveReportRow, 'story' | 'forces' | 'partners' | 'whatWorks' | 'actionPlan'>;
const CONTENT_FIELDS = ['story', 'forces', 'partners', 'whatWorks', 'actionPlan'] as const;
const EMPTY: Content = { story: null, forces: [], partners: [], whatWorks: [], actionPlan: null };

function contentOf(row: Content): Content {
  return {
    story: row.story,
    forces: row.forces,
    partners: row.partners,
    whatWorks: row.whatWorks,
    actionPlan: row.actionPlan,
  };
}

export function toCurveReport(row: CurveReportRow): CurveReport {
  return {
    indicatorId: row.indicatorId,
    initiativeId: row.initiativeId,
    version: row.version,
    ...contentOf(row),
    updatedAt: row.validFrom.toISOString(),
    updatedBy: row.recordedBy,
  };
}

/** The report as it stands (or stood at `asOf`); null when there is none. */
export async function findCurveReport(
  db: Kysely<Database>,
  indicatorId: string,
  asOf?: Date,
): Promise<CurveReport | null> {
  const row = await validAt(db.selectFrom('curveReports').selectAll(), 'curveReports', asOf)
    .where('indicatorId', '=', indicatorId)
    .executeTakeFirst();
  return row ? toCurveReport(row) : null;
}

/** The report, or an empty one at version 0 when nothing has been written (NotFoundError only for an unknown indicator). */
export async function readCurveReport(db: Kysely<Database>, indicatorId: string, asOf?: Date): Promise<CurveReport> {
  const found = await findCurveReport(db, indicatorId, asOf);
  if (found) return found;
  const indicator = await findIndicatorRowOrThrow(db, indicatorId);
  return { indicatorId, initiativeId: indicator.initiativeId, version: 0, ...EMPTY, updatedAt: null, updatedBy: null };
}

/** Ids of the given indicators that have a current report. */
export async function indicatorsWithReport(db: Kysely<Database>, indicatorIds: string[]): Promise<Set<string>> {
  if (indicatorIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('curveReports')
    .select('indicatorId')
    .where('indicatorId', 'in', indicatorIds)
    .where('validTo', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.indicatorId));
}

/** JSON with object keys sorted at every level: jsonb does not keep key order, so compare this way. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const blankToNull = (text: string | null | undefined) =>
  text === undefined || text === null || text.trim() === '' ? null : text;

/**
 * PUT (`mode: replace`: omitted fields are empty) or PATCH (`mode: merge`: omitted fields keep their value).
 * Partners named by id must be partners of the indicator's initiative (UnprocessableError); their name is recorded with the
 * report so the history stays readable if the partner is later removed. Re-sending the same content records
 * nothing.
 */
export async function writeCurveReport(
  db: Kysely<Database>,
  indicatorId: string,
  input: CurveReportInput,
  mode: 'replace' | 'merge',
  ifMatch: string | undefined,
  actor: string,
): Promise<CurveReport> {
  return db.transaction().execute(async (trx) => {
    const indicator = await lockIndicator(trx, indicatorId);
    const current = await trx
      .selectFrom('curveReports')
      .selectAll()
      .where('indicatorId', '=', indicatorId)
      .where('validTo', 'is', null)
      .executeTakeFirst();
    assertVersion(current?.version ?? 0, ifMatch);

    const partnerIds = (input.partners ?? [])
      .map((p) => p.partnerId)
      .filter((id): id is string => typeof id === 'string');
    const known = partnerIds.length
      ? await trx.selectFrom('partners').select(['id', 'name', 'initiativeId']).where('id', 'in', partnerIds).execute()
      : [];
    const byId = new Map(known.map((p) => [p.id, p]));
    const problems: FieldProblem[] = [];
    const partners = (input.partners ?? []).map((p, i) => {
      const partner = p.partnerId ? byId.get(p.partnerId) : undefined;
      if (p.partnerId && partner?.initiativeId !== indicator.initiativeId) {
        problems.push({
          field: `partners.${i}.partnerId`,
          code: 'partner_not_in_initiative',
          message: 'is not a partner of this initiative',
        });
      }
      return { partnerId: p.partnerId ?? null, name: p.name ?? partner?.name ?? '', role: p.role };
    });
    if (problems.length > 0) {
      throw new UnprocessableError(problems[0]!.code, 'The report names partners outside this initiative:', problems, {
        listProblems: Infinity,
        fieldsOnly: true,
      });
    }

    const base = mode === 'merge' && current ? contentOf(current) : EMPTY;
    const next: Content = {
      story: input.story !== undefined ? blankToNull(input.story) : base.story,
      forces: input.forces ?? base.forces,
      partners: input.partners !== undefined ? partners : base.partners,
      whatWorks: input.whatWorks
        ? input.whatWorks.map((w) => ({ idea: w.idea, evidence: blankToNull(w.evidence), cost: w.cost ?? null }))
        : base.whatWorks,
      actionPlan: input.actionPlan !== undefined ? blankToNull(input.actionPlan) : base.actionPlan,
    };
    if (current && canonical(contentOf(current)) === canonical(next)) return toCurveReport(current);

    const { last } = await trx
      .selectFrom('curveReports')
      .select((eb) => eb.fn.coalesce(eb.fn.max('version'), sql<number>`0`).as('last'))
      .where('indicatorId', '=', indicatorId)
      .executeTakeFirstOrThrow();
    const at = await versionTimestamp(trx);
    if (current) {
      await trx
        .updateTable('curveReports')
        .set({ validTo: sql<Date>`${at}::timestamptz` })
        .where('indicatorId', '=', indicatorId)
        .where('validTo', 'is', null)
        .execute();
    }
    const row = await trx
      .insertInto('curveReports')
      .values({
        indicatorId,
        version: Number(last) + 1,
        initiativeId: indicator.initiativeId,
        story: next.story,
        forces: JSON.stringify(next.forces),
        partners: JSON.stringify(next.partners),
        whatWorks: JSON.stringify(next.whatWorks),
        actionPlan: next.actionPlan,
        validFrom: sql<Date>`${at}::timestamptz`,
        recordedBy: actor,
        recordedHow: 'api',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCurveReport(row);
  });
}

/** Removes the report: its current version is closed with who and how; the history stays. */
export async function deleteCurveReport(
  db: Kysely<Database>,
  indicatorId: string,
  ifMatch: string | undefined,
  actor: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockIndicator(trx, indicatorId);
    const current = await trx
      .selectFrom('curveReports')
      .select('version')
      .where('indicatorId', '=', indicatorId)
      .where('validTo', 'is', null)
      .executeTakeFirst();
    assertVersion(current?.version ?? 0, ifMatch);
    if (!current) throw new NotFoundError('curveReport', indicatorId);
    await trx
      .updateTable('curveReports')
      .set({ validTo: sql<Date>`${await versionTimestamp(trx)}::timestamptz`, closedBy: actor, closedHow: 'api' })
      .where('indicatorId', '=', indicatorId)
      .where('validTo', 'is', null)
      .execute();
  });
}

/**
 * Every revision of the report, oldest first: each write (insert after nothing or after a delete, update
 * otherwise) with the fields it changed and the report it left, and each delete, with who, when and how.
 */
export async function readCurveReportHistory(db: Kysely<Database>, indicatorId: string): Promise<CurveReportHistory> {
  const versions = await db
    .selectFrom('curveReports')
    .selectAll()
    .where('indicatorId', '=', indicatorId)
    .orderBy('version')
    .execute();
  if (versions.length === 0) await findIndicatorRowOrThrow(db, indicatorId);
  const revisions: CurveReportHistory['revisions'] = [];
  let previous: Content | null = null;
  for (const row of versions) {
    const content = contentOf(row);
    const compareWith = previous ?? EMPTY;
    revisions.push({
      action: previous === null ? 'insert' : 'update',
      version: row.version,
      at: row.validFrom.toISOString(),
      by: row.recordedBy,
      how: row.recordedHow,
      changedFields: CONTENT_FIELDS.filter((f) => canonical(content[f]) !== canonical(compareWith[f])),
      report: content,
    });
    previous = content;
    if (row.validTo !== null && row.closedBy !== null) {
      revisions.push({
        action: 'delete',
        version: row.version,
        at: row.validTo.toISOString(),
        by: row.closedBy,
        how: row.closedHow ?? 'unknown',
        changedFields: [...CONTENT_FIELDS],
        report: null,
      });
      previous = null;
    }
  }
  const last = versions.at(-1);
  return { indicatorId, deleted: last !== undefined && last.validTo !== null, revisions };
}

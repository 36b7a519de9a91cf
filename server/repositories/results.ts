/** Shared results: the population-level conditions an initiative works on. */
import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database, ResultRow } from '../../schema/database.ts';
import type { Result, ResultCreate, ResultPatch } from '../../schema/contracts/results.ts';
import { NotFoundError } from '../errors.ts';
import { assertNoDependents } from './dependents.ts';
import { decodeCursor, toPage } from './pagination.ts';
import { assertVersion } from './versioning.ts';

export function toResult(row: ResultRow): Result {
  return {
    id: row.id,
    initiativeId: row.initiativeId,
    statement: row.statement,
    population: row.population,
    geography: row.geography,
    timeFrame:
      row.timeFrameStart !== null && row.timeFrameEnd !== null
        ? { start: row.timeFrameStart, end: row.timeFrameEnd }
        : null,
    visibility: row.visibility as Result['visibility'],
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function createResult(db: Kysely<Database>, initiativeId: string, input: ResultCreate): Promise<Result> {
  const row = await db
    .insertInto('results')
    .values({
      id: uuidv7(),
      initiativeId,
      statement: input.statement,
      population: input.population ?? null,
      geography: input.geography ?? null,
      timeFrameStart: input.timeFrame?.start ?? null,
      timeFrameEnd: input.timeFrame?.end ?? null,
      visibility: input.visibility ?? 'private',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toResult(row);
}

export async function findResultOrThrow(db: Kysely<Database>, id: string): Promise<Result> {
  const row = await db.selectFrom('results').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('result', id);
  return toResult(row);
}

/** The results of an initiative; only the public ones unless `includePrivate`. */
export async function listResults(
  db: Kysely<Database>,
  initiativeId: string,
  page: { limit: number; cursor?: string | undefined },
  includePrivate: boolean,
) {
  let query = db
    .selectFrom('results')
    .selectAll()
    .where('initiativeId', '=', initiativeId)
    .orderBy('id')
    .limit(page.limit + 1);
  if (!includePrivate) query = query.where('visibility', '=', 'public');
  if (page.cursor) query = query.where('id', '>', String(decodeCursor(page.cursor, ['uuid'])[0]));
  return toPage(await query.execute(), page.limit, toResult, (row) => [row.id]);
}

export async function updateResult(
  db: Kysely<Database>,
  id: string,
  patch: ResultPatch,
  ifMatch: string | undefined,
): Promise<Result> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('results')
      .select('version')
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new NotFoundError('result', id);
    assertVersion(current.version, ifMatch);
    const row = await trx
      .updateTable('results')
      .set({
        ...(patch.statement !== undefined && { statement: patch.statement }),
        ...(patch.population !== undefined && { population: patch.population }),
        ...(patch.geography !== undefined && { geography: patch.geography }),
        ...(patch.timeFrame !== undefined && {
          timeFrameStart: patch.timeFrame?.start ?? null,
          timeFrameEnd: patch.timeFrame?.end ?? null,
        }),
        ...(patch.visibility !== undefined && { visibility: patch.visibility }),
        version: sql<number>`version + 1`,
        updatedAt: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toResult(row);
  });
}

/**
 * Deletes a result. When outcomes or indicators hang below it, only with `cascade` (then its whole
 * tree, indicators and data points go with it, in one transaction); otherwise a ConflictError that counts them.
 */
export async function deleteResult(db: Kysely<Database>, id: string, cascade: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('results').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new NotFoundError('result', id);
    if (!cascade) {
      const counts = await trx
        .selectNoFrom((eb) => [
          eb.selectFrom('outcomes').select(eb.fn.countAll<number>().as('n')).where('resultId', '=', id).as('outcomes'),
          eb
            .selectFrom('indicators')
            .select(eb.fn.countAll<number>().as('n'))
            .where('resultId', '=', id)
            .as('indicators'),
        ])
        .executeTakeFirstOrThrow();
      assertNoDependents('result', counts, 'with its whole tree and data');
    }
    await trx.deleteFrom('results').where('id', '=', id).execute();
  });
}

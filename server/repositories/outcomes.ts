/**
 * Outcomes: a tree of any depth under a result, ordered among siblings by `position`. Never a cycle,
 * never across results. Edits to one result's tree are serialised by locking the result row, so two
 * concurrent moves cannot build a cycle together.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database, OutcomeRow } from '../../schema/database.ts';
import type { Outcome, OutcomeCreate, OutcomePatch } from '../../schema/contracts/outcomes.ts';
import { NotFoundError, UnprocessableError } from '../errors.ts';
import { assertNoDependents } from './dependents.ts';
import { decodeCursor, toPage } from './pagination.ts';
import { assertVersion } from './versioning.ts';

export function toOutcome(row: OutcomeRow): Outcome {
  return {
    id: row.id,
    initiativeId: row.initiativeId,
    resultId: row.resultId,
    parentOutcomeId: row.parentOutcomeId,
    title: row.title,
    description: row.description,
    position: row.position,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function lockResult(trx: Transaction<Database>, resultId: string) {
  const result = await trx
    .selectFrom('results')
    .select(['id', 'initiativeId'])
    .where('id', '=', resultId)
    .forUpdate()
    .executeTakeFirst();
  if (!result) throw new NotFoundError('result', resultId);
  return result;
}

/** UnprocessableError unless `outcomeId` is an outcome of `resultId`. */
export async function assertOutcomeInResult(
  db: Kysely<Database>,
  outcomeId: string,
  resultId: string,
  field: string,
): Promise<void> {
  const row = await db.selectFrom('outcomes').select('resultId').where('id', '=', outcomeId).executeTakeFirst();
  if (row?.resultId === resultId) return;
  // The same answer whether the outcome is elsewhere or nowhere: another initiative's ids are not revealed.
  throw new UnprocessableError('outcome_not_in_result', `Outcome ${outcomeId} is not an outcome of this result.`, [
    { field: `${field}`, code: 'outcome_not_in_result', message: 'is not an outcome of this result' },
  ]);
}

async function nextPosition(
  trx: Transaction<Database>,
  resultId: string,
  parentOutcomeId: string | null,
): Promise<number> {
  const row = await trx
    .selectFrom('outcomes')
    .select((eb) => eb.fn.coalesce(eb.fn.max('position'), sql<number>`-1`).as('last'))
    .where('resultId', '=', resultId)
    .where('parentOutcomeId', parentOutcomeId === null ? 'is' : '=', parentOutcomeId)
    .executeTakeFirstOrThrow();
  return Number(row.last) + 1;
}

export async function createOutcome(db: Kysely<Database>, resultId: string, input: OutcomeCreate): Promise<Outcome> {
  return db.transaction().execute(async (trx) => {
    const result = await lockResult(trx, resultId);
    const parentOutcomeId = input.parentOutcomeId ?? null;
    if (parentOutcomeId) await assertOutcomeInResult(trx, parentOutcomeId, resultId, 'parentOutcomeId');
    const row = await trx
      .insertInto('outcomes')
      .values({
        id: uuidv7(),
        initiativeId: result.initiativeId,
        resultId,
        parentOutcomeId,
        title: input.title,
        description: input.description ?? null,
        position: input.position ?? (await nextPosition(trx, resultId, parentOutcomeId)),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toOutcome(row);
  });
}

export async function findOutcomeOrThrow(db: Kysely<Database>, id: string): Promise<Outcome> {
  const row = await db.selectFrom('outcomes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('outcome', id);
  return toOutcome(row);
}

/** All outcomes of a result, flat, in tree order keys (parent, position). */
export async function listOutcomes(
  db: Kysely<Database>,
  resultId: string,
  page: { limit: number; cursor?: string | undefined },
) {
  let query = db
    .selectFrom('outcomes')
    .selectAll()
    .where('resultId', '=', resultId)
    .orderBy('position')
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.cursor) {
    const [position, id] = decodeCursor(page.cursor, ['number', 'uuid']);
    query = query.where((eb) => eb(eb.refTuple('position', 'id'), '>', eb.tuple(Number(position), String(id))));
  }
  return toPage(await query.execute(), page.limit, toOutcome, (row) => [row.position, row.id]);
}

/** True when `candidateAncestor` is `outcomeId` itself or one of its descendants. */
async function isInSubtree(trx: Transaction<Database>, outcomeId: string, candidate: string): Promise<boolean> {
  const found = await trx
    .withRecursive('subtree(id)', (qb) =>
      qb
        .selectFrom('outcomes')
        .select('id')
        .where('id', '=', outcomeId)
        .unionAll((sub) =>
          sub.selectFrom('outcomes as o').innerJoin('subtree', 'subtree.id', 'o.parentOutcomeId').select('o.id'),
        ),
    )
    .selectFrom('subtree')
    .select('id')
    .where('id', '=', candidate)
    .executeTakeFirst();
  return found !== undefined;
}

export async function updateOutcome(
  db: Kysely<Database>,
  id: string,
  patch: OutcomePatch,
  ifMatch: string | undefined,
): Promise<Outcome> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('outcomes').select(['resultId']).where('id', '=', id).executeTakeFirst();
    if (!existing) throw new NotFoundError('outcome', id);
    await lockResult(trx, existing.resultId);
    const current = await trx
      .selectFrom('outcomes')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    assertVersion(current.version, ifMatch);
    if (patch.parentOutcomeId) {
      await assertOutcomeInResult(trx, patch.parentOutcomeId, current.resultId, 'parentOutcomeId');
      if (await isInSubtree(trx, id, patch.parentOutcomeId)) {
        throw new UnprocessableError(
          'outcome_cycle',
          'An outcome cannot be moved under itself or one of its own sub-outcomes.',
          [{ field: 'parentOutcomeId', code: 'outcome_cycle', message: 'would make a cycle' }],
        );
      }
    }
    const parentChanges = patch.parentOutcomeId !== undefined && patch.parentOutcomeId !== current.parentOutcomeId;
    const position =
      patch.position ??
      (parentChanges ? await nextPosition(trx, current.resultId, patch.parentOutcomeId ?? null) : undefined);
    const row = await trx
      .updateTable('outcomes')
      .set({
        ...(patch.title !== undefined && { title: patch.title }),
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.parentOutcomeId !== undefined && { parentOutcomeId: patch.parentOutcomeId }),
        ...(position !== undefined && { position }),
        version: sql<number>`version + 1`,
        updatedAt: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toOutcome(row);
  });
}

/**
 * Deletes an outcome. With sub-outcomes or indicators below it, only with `cascade`: then the whole
 * subtree, its indicators and their data points go, in one transaction. Otherwise a ConflictError that counts them.
 */
export async function deleteOutcome(db: Kysely<Database>, id: string, cascade: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('outcomes').select(['resultId']).where('id', '=', id).executeTakeFirst();
    if (!existing) throw new NotFoundError('outcome', id);
    await lockResult(trx, existing.resultId);
    if (!cascade) {
      const counts = await trx
        .selectNoFrom((eb) => [
          eb
            .selectFrom('outcomes')
            .select(eb.fn.countAll<number>().as('n'))
            .where('parentOutcomeId', '=', id)
            .as('outcomes'),
          eb
            .selectFrom('indicators')
            .select(eb.fn.countAll<number>().as('n'))
            .where('outcomeId', '=', id)
            .as('indicators'),
        ])
        .executeTakeFirstOrThrow();
      assertNoDependents('outcome', counts, 'with its sub-outcomes, their indicators and data');
    }
    await trx.deleteFrom('outcomes').where('id', '=', id).execute();
  });
}

/**
 * Actions: the partnership's commitments, linked to the indicators whose curves they are meant to turn, and
 * their append-only record of updates (`action_updates`): the commitment as first made, every edit (field →
 * from/to, by whom) and progress notes. That record is "who committed to what".
 *
 * Visibility: an action is public when it is not marked private, its initiative is public (has a public
 * result) and every indicator it is linked to is public; otherwise only the partnership sees it.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { ActionUpdateRow, Database } from '../../schema/database.ts';
import type {
  Action,
  ActionCreate,
  ActionPatch,
  ActionUpdate,
  ActionUpdateCreate,
} from '../../schema/contracts/actions.ts';
import { rejectIfProblems, stateProblems, unprocessable, type ActionState } from '../domain/action-rules.ts';
import { actionOn, type StoredAction } from '../domain/actions.ts';
import { utcDate, type ActionStatus } from '../domain/freshness.ts';
import { NotFoundError, UnprocessableError, type FieldProblem } from '../errors.ts';
import { decodeCursor, toPage } from './pagination.ts';
import { assertVersion } from './versioning.ts';

/** True when anyone may see the action (see the module comment). Raw SQL: `actions` must be in scope. */
export const actionIsPublic = sql<boolean>`(
  actions.visibility = 'public'
  and exists (select 1 from results pr where pr.initiative_id = actions.initiative_id and pr.visibility = 'public')
  and not exists (
    select 1 from action_indicators ai
    join indicators i on i.id = ai.indicator_id
    join results r on r.id = i.result_id
    where ai.action_id = actions.id and coalesce(i.visibility, r.visibility) <> 'public'))`;

/** Actions with their owner's name, their indicator ids and whether they are public. */
export function selectActions(db: Kysely<Database>) {
  return db
    .selectFrom('actions')
    .leftJoin('partners', 'partners.id', 'actions.ownerPartnerId')
    .selectAll('actions')
    .select([
      'partners.name as ownerPartnerName',
      sql<
        string[]
      >`coalesce((select json_agg(ai.indicator_id order by ai.indicator_id) from action_indicators ai where ai.action_id = actions.id), '[]'::json)`.as(
        'indicatorIds',
      ),
      actionIsPublic.as('publiclyVisible'),
    ]);
}

type ActionRow = Awaited<ReturnType<ReturnType<typeof selectActions>['executeTakeFirstOrThrow']>>;

/** The stored action (the API object without what depends on the day it is read). */
export function toStoredAction(row: ActionRow): StoredAction {
  return {
    id: row.id,
    initiativeId: row.initiativeId,
    title: row.title,
    description: row.description,
    ownerPartnerId: row.ownerPartnerId,
    ownerPartnerName: row.ownerPartnerName,
    indicatorIds: row.indicatorIds,
    start: row.startDate,
    due: row.dueDate,
    status: row.status as ActionStatus,
    completedOn: row.completedOn,
    visibility: row.visibility as StoredAction['visibility'],
    publiclyVisible: row.publiclyVisible === true,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
  };
}

/** The API object; `today` (YYYY-MM-DD) judges whether it is overdue. */
export function toAction(row: ActionRow, today: string): Action {
  return actionOn(toStoredAction(row), today);
}

/** The owner must be a partner of the initiative, and every linked indicator an indicator of it. */
async function checkReferences(
  trx: Transaction<Database>,
  initiativeId: string,
  ownerPartnerId: string | null | undefined,
  indicatorIds: string[] | undefined,
) {
  const problems: FieldProblem[] = [];
  if (ownerPartnerId) {
    const partner = await trx
      .selectFrom('partners')
      .select('initiativeId')
      .where('id', '=', ownerPartnerId)
      .executeTakeFirst();
    if (partner?.initiativeId !== initiativeId) {
      problems.push({
        field: 'ownerPartnerId',
        code: 'partner_not_in_initiative',
        message: 'is not a partner of this initiative',
      });
    }
  }
  if (indicatorIds && indicatorIds.length > 0) {
    const found = await trx
      .selectFrom('indicators')
      .select(['id', 'initiativeId'])
      .where('id', 'in', indicatorIds)
      .execute();
    const initiativeOf = new Map(found.map((row) => [row.id, row.initiativeId]));
    indicatorIds.forEach((id, i) => {
      const owner = initiativeOf.get(id);
      if (owner !== initiativeId) {
        problems.push({
          field: `indicatorIds.${i}`,
          code: 'indicator_not_in_initiative',
          message: 'is not an indicator of this initiative',
        });
      }
    });
  }
  if (problems.length > 0) {
    throw new UnprocessableError(problems[0]!.code, 'The action names objects outside its initiative:', problems, {
      listProblems: Infinity,
    });
  }
}

async function findRow(db: Kysely<Database>, id: string): Promise<ActionRow> {
  const row = await selectActions(db).where('actions.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('action', id);
  return row;
}

async function record(
  trx: Transaction<Database>,
  action: { id: string; initiativeId: string },
  kind: 'created' | 'edited' | 'progress',
  note: string | null,
  changes: Record<string, { from: unknown; to: unknown }>,
  actor: string,
): Promise<ActionUpdate> {
  const row = await trx
    .insertInto('actionUpdates')
    .values({
      id: uuidv7(),
      initiativeId: action.initiativeId,
      actionId: action.id,
      kind,
      note,
      changes: JSON.stringify(changes),
      recordedBy: actor,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toActionUpdate(row);
}

export function toActionUpdate(row: ActionUpdateRow): ActionUpdate {
  return {
    id: row.id,
    actionId: row.actionId,
    kind: row.kind as ActionUpdate['kind'],
    note: row.note,
    changes: row.changes,
    at: row.recordedAt.toISOString(),
    by: row.recordedBy,
  };
}

/** Creates an action, links its indicators and records the commitment (who committed to what). */
export async function createAction(
  db: Kysely<Database>,
  initiativeId: string,
  input: ActionCreate,
  actor: string,
  now: Date,
): Promise<Action> {
  const today = utcDate(now);
  const status = input.status ?? 'planned';
  const state: ActionState = {
    title: input.title,
    description: input.description ?? null,
    ownerPartnerId: input.ownerPartnerId ?? null,
    indicatorIds: input.indicatorIds ?? [],
    start: input.start,
    due: input.due,
    status,
    completedOn: input.completedOn ?? (status === 'done' ? today : null),
    visibility: input.visibility ?? 'public',
  };
  rejectIfProblems(stateProblems(state, input.quickWin, today));
  const id = uuidv7();
  await db.transaction().execute(async (trx) => {
    const initiative = await trx
      .selectFrom('initiatives')
      .select('id')
      .where('id', '=', initiativeId)
      .executeTakeFirst();
    if (!initiative) throw new NotFoundError('initiative', initiativeId);
    await checkReferences(trx, initiativeId, state.ownerPartnerId, state.indicatorIds);
    await trx
      .insertInto('actions')
      .values({
        id,
        initiativeId,
        title: state.title,
        description: state.description,
        ownerPartnerId: state.ownerPartnerId,
        startDate: state.start,
        dueDate: state.due,
        status: state.status,
        completedOn: state.completedOn,
        visibility: state.visibility,
        createdBy: actor,
        updatedBy: actor,
      })
      .execute();
    if (state.indicatorIds.length > 0) {
      await trx
        .insertInto('actionIndicators')
        .values(state.indicatorIds.map((indicatorId) => ({ initiativeId, actionId: id, indicatorId })))
        .execute();
    }
    const commitment = Object.fromEntries(
      Object.entries(state)
        .filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0))
        .map(([field, value]): [string, { from: null; to: unknown }] => [field, { from: null, to: value }]),
    );
    await record(trx, { id, initiativeId }, 'created', null, commitment, actor);
  });
  return toAction(await findRow(db, id), today);
}

export async function findActionOrThrow(db: Kysely<Database>, id: string, now: Date): Promise<Action> {
  return toAction(await findRow(db, id), utcDate(now));
}

/** The actions of an initiative by start date; only the public ones unless `includePrivate`. */
export async function listActions(
  db: Kysely<Database>,
  filter: { initiativeId?: string; indicatorId?: string; status?: ActionStatus | undefined },
  page: { limit: number; cursor?: string | undefined },
  includePrivate: boolean,
  now: Date,
) {
  let query = selectActions(db)
    .orderBy('actions.startDate')
    .orderBy('actions.id')
    .limit(page.limit + 1);
  if (filter.initiativeId) query = query.where('actions.initiativeId', '=', filter.initiativeId);
  if (filter.indicatorId) {
    const indicatorId = filter.indicatorId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('actionIndicators')
          .select('actionIndicators.actionId')
          .whereRef('actionIndicators.actionId', '=', 'actions.id')
          .where('actionIndicators.indicatorId', '=', indicatorId),
      ),
    );
  }
  if (filter.status) query = query.where('actions.status', '=', filter.status);
  if (!includePrivate) query = query.where(actionIsPublic);
  if (page.cursor) {
    const [start, id] = decodeCursor(page.cursor, ['date', 'uuid']);
    query = query.where((eb) =>
      eb(eb.refTuple('actions.startDate', 'actions.id'), '>', eb.tuple(String(start), String(id))),
    );
  }
  const today = utcDate(now);
  return toPage(
    await query.execute(),
    page.limit,
    (row) => toAction(row, today),
    (row) => [row.startDate, row.id],
  );
}

/** Every action linked to any of the indicators (for the scorecard and the analysis), by start date. */
export async function actionsOfIndicators(
  db: Kysely<Database>,
  indicatorIds: string[],
  includePrivate: boolean,
): Promise<StoredAction[]> {
  if (indicatorIds.length === 0) return [];
  let query = selectActions(db)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('actionIndicators')
          .select('actionIndicators.actionId')
          .whereRef('actionIndicators.actionId', '=', 'actions.id')
          .where('actionIndicators.indicatorId', 'in', indicatorIds),
      ),
    )
    .orderBy('actions.startDate')
    .orderBy('actions.id');
  if (!includePrivate) query = query.where(actionIsPublic);
  return (await query.execute()).map(toStoredAction);
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Changes an action. Every change is recorded (field → from/to, by whom); a patch that changes nothing
 * records nothing and keeps the version.
 */
export async function updateAction(
  db: Kysely<Database>,
  id: string,
  patch: ActionPatch,
  ifMatch: string | undefined,
  actor: string,
  now: Date,
): Promise<Action> {
  const today = utcDate(now);
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('actions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new NotFoundError('action', id);
    assertVersion(current.version, ifMatch);
    const links = await trx
      .selectFrom('actionIndicators')
      .select('indicatorId')
      .where('actionId', '=', id)
      .orderBy('indicatorId')
      .execute();
    const before: ActionState = {
      title: current.title,
      description: current.description,
      ownerPartnerId: current.ownerPartnerId,
      indicatorIds: links.map((l) => l.indicatorId),
      start: current.startDate,
      due: current.dueDate,
      status: current.status as ActionStatus,
      completedOn: current.completedOn,
      visibility: current.visibility,
    };
    const status = patch.status ?? before.status;
    const after: ActionState = {
      title: patch.title ?? before.title,
      description: patch.description !== undefined ? patch.description : before.description,
      ownerPartnerId: patch.ownerPartnerId !== undefined ? patch.ownerPartnerId : before.ownerPartnerId,
      indicatorIds: patch.indicatorIds ? [...patch.indicatorIds].sort() : before.indicatorIds,
      start: patch.start ?? before.start,
      due: patch.due ?? before.due,
      status,
      completedOn:
        patch.completedOn !== undefined
          ? patch.completedOn
          : status !== 'done'
            ? null
            : before.status === 'done'
              ? before.completedOn
              : today,
      visibility: patch.visibility ?? before.visibility,
    };
    // A done action reopened keeps no completion date; a newly done one without a date is done today.
    if (after.status === 'done' && after.completedOn === null) after.completedOn = today;
    rejectIfProblems(stateProblems(after, patch.quickWin, today));
    await checkReferences(trx, current.initiativeId, patch.ownerPartnerId, patch.indicatorIds);
    const changes = Object.fromEntries(
      (Object.keys(after) as Array<keyof ActionState>)
        .filter((k) => !sameJson(before[k], after[k]))
        .map((k) => [k, { from: before[k], to: after[k] }]),
    );
    if (Object.keys(changes).length === 0) return;
    await trx
      .updateTable('actions')
      .set({
        title: after.title,
        description: after.description,
        ownerPartnerId: after.ownerPartnerId,
        startDate: after.start,
        dueDate: after.due,
        status: after.status,
        completedOn: after.completedOn,
        visibility: after.visibility,
        updatedBy: actor,
        version: sql<number>`version + 1`,
        updatedAt: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .execute();
    if (changes.indicatorIds) {
      await trx.deleteFrom('actionIndicators').where('actionId', '=', id).execute();
      if (after.indicatorIds.length > 0) {
        await trx
          .insertInto('actionIndicators')
          .values(
            after.indicatorIds.map((indicatorId) => ({
              initiativeId: current.initiativeId,
              actionId: id,
              indicatorId,
            })),
          )
          .execute();
      }
    }
    await record(trx, current, 'edited', null, changes, actor);
  });
  return toAction(await findRow(db, id), today);
}

/** Deletes an action with its links and its record (to give up on one and keep the record, set status dropped). */
export async function deleteAction(db: Kysely<Database>, id: string, ifMatch: string | undefined): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('actions')
      .select('version')
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new NotFoundError('action', id);
    assertVersion(current.version, ifMatch);
    await trx.deleteFrom('actions').where('id', '=', id).execute();
  });
}

/**
 * A progress update: a note, and optionally a new status (done: with its completion date, default today).
 * The status change is applied to the action and recorded with the note.
 */
export async function addActionUpdate(
  db: Kysely<Database>,
  id: string,
  input: ActionUpdateCreate,
  actor: string,
  now: Date,
): Promise<ActionUpdate> {
  const today = utcDate(now);
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('actions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new NotFoundError('action', id);
    const status = input.status ?? (current.status as ActionStatus);
    if (input.completedOn !== undefined && status !== 'done') {
      throw unprocessable('completedOn', 'completed_on_not_done', 'completedOn goes with status done');
    }
    const completedOn =
      status !== 'done' ? null : (input.completedOn ?? (current.status === 'done' ? current.completedOn : today));
    rejectIfProblems(
      stateProblems(
        {
          title: current.title,
          description: null,
          ownerPartnerId: null,
          indicatorIds: [],
          start: current.startDate,
          due: current.dueDate,
          status,
          completedOn,
          visibility: current.visibility,
        },
        undefined,
        today,
      ),
    );
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (status !== current.status) changes.status = { from: current.status, to: status };
    if (completedOn !== current.completedOn) changes.completedOn = { from: current.completedOn, to: completedOn };
    if (Object.keys(changes).length > 0) {
      await trx
        .updateTable('actions')
        .set({ status, completedOn, updatedBy: actor, version: sql<number>`version + 1`, updatedAt: sql<Date>`now()` })
        .where('id', '=', id)
        .execute();
    }
    return record(trx, current, 'progress', input.note, changes, actor);
  });
}

/** The record of an action, oldest first (ids are UUIDv7: they sort in the order they were made). */
export async function listActionUpdates(
  db: Kysely<Database>,
  id: string,
  page: { limit: number; cursor?: string | undefined },
) {
  let query = db
    .selectFrom('actionUpdates')
    .selectAll()
    .where('actionId', '=', id)
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.cursor) query = query.where('id', '>', String(decodeCursor(page.cursor, ['uuid'])[0]));
  return toPage(await query.execute(), page.limit, toActionUpdate, (row) => [row.id]);
}

/**
 * Initiatives (the partnerships). Rows become `Initiative` objects here and nowhere else.
 */
import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database, InitiativeRow } from '../../schema/database.ts';
import type { Initiative, InitiativeCreate, InitiativePatch } from '../../schema/contracts/initiatives.ts';
import type { PrivateScope } from '../auth/visibility.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { assertNoDependents } from './dependents.ts';
import { decodeCursor, toPage } from './pagination.ts';
import { assertVersion, isUniqueViolation } from './versioning.ts';

export function toInitiative(row: InitiativeRow): Initiative {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    geography: row.geography,
    formality: row.formality as Initiative['formality'],
    stage: row.stage as Initiative['stage'],
    workLevel: row.workLevel as Initiative['workLevel'],
    brand: { color: row.brand?.color ?? null, logoUrl: row.brand?.logoUrl ?? null },
    embedOrigins: row.embedOrigins,
    quality: row.quality ?? { warnings: 'record' },
    publication: row.publication ?? { required: false, fourEyes: false },
    suppression: row.suppression ?? { minCellSize: null },
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** `Detroit Jobs Partnership!` → `detroit-jobs-partnership` */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'initiative';
}

function slugTaken(slug: string): ConflictError {
  return new ConflictError('duplicate_slug', `The slug "${slug}" is already used by another initiative.`, [
    { field: 'slug', code: 'duplicate_slug', message: `"${slug}" is taken; choose another` },
  ]);
}

export async function createInitiative(db: Kysely<Database>, input: InitiativeCreate): Promise<Initiative> {
  const explicitSlug = input.slug !== undefined;
  const base = input.slug ?? slugify(input.name);
  // A derived slug gets a numeric suffix when taken; an explicit one is the client's choice: a conflict.
  for (let attempt = 0; attempt < 20; attempt++) {
    const slug = attempt === 0 ? base : `${base}-${attempt + 1}`;
    try {
      const row = await db
        .insertInto('initiatives')
        .values({
          id: uuidv7(),
          slug,
          name: input.name,
          description: input.description ?? null,
          geography: input.geography ?? null,
          formality: input.formality ?? null,
          stage: input.stage ?? null,
          workLevel: input.workLevel ?? null,
          brand: JSON.stringify(input.brand ?? null),
          embedOrigins: JSON.stringify(input.embedOrigins ?? []),
          quality: JSON.stringify(input.quality ?? { warnings: 'record' }),
          publication: JSON.stringify(input.publication ?? { required: false, fourEyes: false }),
          suppression: JSON.stringify(input.suppression ?? { minCellSize: null }),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toInitiative(row);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (explicitSlug) throw slugTaken(slug);
    }
  }
  throw slugTaken(base);
}

export async function findInitiativeOrThrow(db: Kysely<Database>, id: string): Promise<Initiative> {
  const row = await db.selectFrom('initiatives').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('initiative', id);
  return toInitiative(row);
}

/**
 * Lists the initiatives a principal may see: all for administrators; otherwise the public ones (with at
 * least one public result) and those whose private objects the caller sees (`scope`, auth/visibility.ts).
 */
export async function listInitiatives(
  db: Kysely<Database>,
  page: { limit: number; cursor?: string | undefined },
  scope: PrivateScope,
) {
  let query = db
    .selectFrom('initiatives')
    .selectAll()
    .orderBy('id')
    .limit(page.limit + 1);
  if (scope !== 'all') {
    const own = scope;
    query = query.where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('results')
            .select('results.id')
            .whereRef('results.initiativeId', '=', 'initiatives.id')
            .where('results.visibility', '=', 'public'),
        ),
        ...(own.length > 0 ? [eb('initiatives.id', 'in', own)] : []),
      ]),
    );
  }
  if (page.cursor) {
    const [afterId] = decodeCursor(page.cursor, ['uuid']);
    query = query.where('id', '>', String(afterId));
  }
  const rows = await query.execute();
  return toPage(rows, page.limit, toInitiative, (row) => [row.id]);
}

export async function updateInitiative(
  db: Kysely<Database>,
  id: string,
  patch: InitiativePatch,
  ifMatch: string | undefined,
): Promise<Initiative> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('initiatives').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new NotFoundError('initiative', id);
    assertVersion(current.version, ifMatch);
    try {
      const row = await trx
        .updateTable('initiatives')
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.slug !== undefined && { slug: patch.slug }),
          ...(patch.description !== undefined && { description: patch.description }),
          ...(patch.geography !== undefined && { geography: patch.geography }),
          ...(patch.formality !== undefined && { formality: patch.formality }),
          ...(patch.stage !== undefined && { stage: patch.stage }),
          ...(patch.workLevel !== undefined && { workLevel: patch.workLevel }),
          ...(patch.brand !== undefined && {
            brand: JSON.stringify(patch.brand === null ? null : { ...current.brand, ...patch.brand }),
          }),
          ...(patch.embedOrigins !== undefined && { embedOrigins: JSON.stringify(patch.embedOrigins) }),
          ...(patch.quality !== undefined && { quality: JSON.stringify(patch.quality) }),
          ...(patch.publication !== undefined && { publication: JSON.stringify(patch.publication) }),
          ...(patch.suppression !== undefined && { suppression: JSON.stringify(patch.suppression) }),
          version: sql<number>`version + 1`,
          updatedAt: sql<Date>`now()`,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toInitiative(row);
    } catch (error) {
      if (isUniqueViolation(error) && patch.slug) throw slugTaken(patch.slug);
      throw error;
    }
  });
}

/** Deletes an initiative; with dependents (partners, results) only when `cascade` is set. */
export async function deleteInitiative(db: Kysely<Database>, id: string, cascade: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('initiatives')
      .select('id')
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new NotFoundError('initiative', id);
    if (!cascade) {
      const counts = await trx
        .selectNoFrom((eb) => [
          eb
            .selectFrom('partners')
            .select(eb.fn.countAll<number>().as('n'))
            .where('initiativeId', '=', id)
            .as('partners'),
          eb
            .selectFrom('results')
            .select(eb.fn.countAll<number>().as('n'))
            .where('initiativeId', '=', id)
            .as('results'),
        ])
        .executeTakeFirstOrThrow();
      assertNoDependents('initiative', counts, 'with everything in it');
    }
    await trx.deleteFrom('initiatives').where('id', '=', id).execute();
  });
}

/** The names of these initiatives, by id (unknown ids are left out). */
export async function initiativeNames(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('initiatives').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

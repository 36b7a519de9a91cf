/** Partners: the organisations of an initiative. Deleting one clears it as owner of indicators. */
import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database, PartnerRow } from '../../schema/database.ts';
import type { Partner, PartnerCreate, PartnerPatch } from '../../schema/contracts/partners.ts';
import { NotFoundError } from '../errors.ts';
import { decodeCursor, toPage } from './pagination.ts';
import { assertVersion } from './versioning.ts';

export function toPartner(row: PartnerRow): Partner {
  return {
    id: row.id,
    initiativeId: row.initiativeId,
    name: row.name,
    sector: row.sector as Partner['sector'],
    role: row.role,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function createPartner(
  db: Kysely<Database>,
  initiativeId: string,
  input: PartnerCreate,
): Promise<Partner> {
  const row = await db
    .insertInto('partners')
    .values({ id: uuidv7(), initiativeId, name: input.name, sector: input.sector, role: input.role ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPartner(row);
}

export async function findPartnerOrThrow(db: Kysely<Database>, id: string): Promise<Partner> {
  const row = await db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('partner', id);
  return toPartner(row);
}

export async function listPartners(
  db: Kysely<Database>,
  initiativeId: string,
  page: { limit: number; cursor?: string | undefined },
) {
  let query = db
    .selectFrom('partners')
    .selectAll()
    .where('initiativeId', '=', initiativeId)
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.cursor) query = query.where('id', '>', String(decodeCursor(page.cursor, ['uuid'])[0]));
  return toPage(await query.execute(), page.limit, toPartner, (row) => [row.id]);
}

export async function updatePartner(
  db: Kysely<Database>,
  id: string,
  patch: PartnerPatch,
  ifMatch: string | undefined,
): Promise<Partner> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('partners')
      .select('version')
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new NotFoundError('partner', id);
    assertVersion(current.version, ifMatch);
    const row = await trx
      .updateTable('partners')
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.sector !== undefined && { sector: patch.sector }),
        ...(patch.role !== undefined && { role: patch.role }),
        version: sql<number>`version + 1`,
        updatedAt: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toPartner(row);
  });
}

export async function deletePartner(db: Kysely<Database>, id: string): Promise<void> {
  const deleted = await db.deleteFrom('partners').where('id', '=', id).executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) throw new NotFoundError('partner', id);
}

/** API tokens: created by administrators, listed without secrets, expiring, revocable. */
import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { ApiTokenRow, Database } from '../../schema/database.ts';
import type { ApiToken, TokenCreate } from '../../schema/contracts/tokens.ts';
import type { Role } from '../auth/policy.ts';
import { hashTokenSecret, newTokenSecret } from '../auth/token-secret.ts';
import { NotFoundError, UnprocessableError } from '../errors.ts';
import { decodeCursor, toPage } from './pagination.ts';

export function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    initiativeId: row.initiativeId,
    partnerId: row.partnerId,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

/** Whether any administrator token is usable now (not revoked, not expired): else only RBA_ADMIN_TOKEN can write. */
export async function hasActiveAdminToken(db: Kysely<Database>): Promise<boolean> {
  const row = await db
    .selectFrom('apiTokens')
    .select('id')
    .where('role', '=', 'admin')
    .where('revokedAt', 'is', null)
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', sql<Date>`now()`)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The initiative and partner a role is scoped to (tokens, invitations): none for admin, an existing initiative
 * otherwise, and for contributors a partner of that initiative. Names the field at fault.
 */
export async function checkRoleScope(
  db: Kysely<Database>,
  input: { role: Role; initiativeId?: string | undefined; partnerId?: string | undefined },
  what: string,
): Promise<{ initiativeId: string | null; partnerId: string | null }> {
  const initiativeId = input.role === 'admin' ? null : (input.initiativeId ?? null);
  const partnerId = input.role === 'contributor' ? (input.partnerId ?? null) : null;
  if (input.role !== 'admin' && !initiativeId) {
    throw new UnprocessableError('initiative_required', `A ${input.role} ${what} needs an initiativeId.`, [
      { field: 'initiativeId', code: 'initiative_required', message: 'required for this role' },
    ]);
  }
  if (input.role === 'contributor' && !partnerId) {
    throw new UnprocessableError(
      'partner_required',
      `A contributor ${what} needs the partnerId whose indicators it may enter data for.`,
      [{ field: 'partnerId', code: 'partner_required', message: 'required for contributors' }],
    );
  }
  if (initiativeId) {
    const initiative = await db
      .selectFrom('initiatives')
      .select('id')
      .where('id', '=', initiativeId)
      .executeTakeFirst();
    if (!initiative) {
      throw new UnprocessableError('unknown_initiative', `No initiative ${initiativeId}.`, [
        { field: 'initiativeId', code: 'unknown_initiative', message: 'does not exist' },
      ]);
    }
  }
  if (partnerId) {
    const partner = await db
      .selectFrom('partners')
      .select('initiativeId')
      .where('id', '=', partnerId)
      .executeTakeFirst();
    if (partner?.initiativeId !== initiativeId) {
      throw new UnprocessableError('partner_not_in_initiative', 'The partner is not a partner of that initiative.', [
        {
          field: 'partnerId',
          code: 'partner_not_in_initiative',
          message: 'is not a partner of this initiative',
        },
      ]);
    }
  }
  return { initiativeId, partnerId };
}

/** Creates a token; the secret is returned this once and never stored. */
export async function createToken(
  db: Kysely<Database>,
  input: TokenCreate,
  createdBy: string,
  personId: string | null = null,
): Promise<ApiToken & { secret: string }> {
  const { initiativeId, partnerId } = await checkRoleScope(db, input, 'token');
  const secret = newTokenSecret();
  const row = await db
    .insertInto('apiTokens')
    .values({
      id: uuidv7(),
      initiativeId,
      partnerId,
      name: input.name,
      role: input.role,
      secretHash: hashTokenSecret(secret),
      createdBy,
      personId,
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...toApiToken(row), secret };
}

export async function listTokens(db: Kysely<Database>, page: { limit: number; cursor?: string | undefined }) {
  let query = db
    .selectFrom('apiTokens')
    .selectAll()
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.cursor) query = query.where('id', '>', String(decodeCursor(page.cursor, ['uuid'])[0]));
  return toPage(await query.execute(), page.limit, toApiToken, (row) => [row.id]);
}

/** A person's own tokens (the workspace's token page), newest first, revoked ones left out. */
export async function listPersonTokens(db: Kysely<Database>, personId: string): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('apiTokens')
    .selectAll()
    .where('personId', '=', personId)
    .where('revokedAt', 'is', null)
    .orderBy('createdAt', 'desc')
    .execute();
  return rows.map(toApiToken);
}

/** Revokes a token of this person; NotFoundError for anyone else's. */
export async function revokePersonToken(db: Kysely<Database>, personId: string, id: string): Promise<void> {
  const updated = await db
    .updateTable('apiTokens')
    .set({ revokedAt: sql<Date>`coalesce(revoked_at, now())` })
    .where('id', '=', id)
    .where('personId', '=', personId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw new NotFoundError('token', id);
}

export async function revokeToken(db: Kysely<Database>, id: string): Promise<void> {
  const updated = await db
    .updateTable('apiTokens')
    .set({ revokedAt: sql<Date>`coalesce(revoked_at, now())` })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw new NotFoundError('token', id);
}

/** How stale `lastUsedAt` may be: a token used all day costs one bookkeeping write a minute. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** What a presented token secret stands for (the policy makes it a principal), or null when unknown, revoked or expired. */
export async function tokenForSecret(
  db: Kysely<Database>,
  secret: string,
): Promise<{
  tokenId: string;
  name: string;
  role: Role;
  initiativeId: string | null;
  partnerId: string | null;
  personId: string | null;
} | null> {
  const row = await db
    .selectFrom('apiTokens')
    .selectAll()
    .where('secretHash', '=', hashTokenSecret(secret))
    .where('revokedAt', 'is', null)
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', sql<Date>`now()`)]))
    .executeTakeFirst();
  if (!row) return null;
  // Best effort, not awaited: a failed bookkeeping write must not fail the request. At most once a
  // minute per token: `lastUsedAt` tells an administrator whether a token is in use, not every request.
  if (row.lastUsedAt === null || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    void db
      .updateTable('apiTokens')
      .set({ lastUsedAt: sql<Date>`now()` })
      .where('id', '=', row.id)
      .execute()
      .catch(() => undefined);
  }
  return {
    tokenId: row.id,
    name: row.name,
    role: row.role,
    initiativeId: row.initiativeId,
    partnerId: row.partnerId,
    personId: row.personId,
  };
}

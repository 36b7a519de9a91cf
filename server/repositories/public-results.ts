/** The public results the home page links to (their embed pages), oldest first: the demo's come first. */
import type { Kysely } from 'kysely';
import type { Database } from '../../schema/database.ts';

export interface PublicResultLink {
  id: string;
  statement: string;
  initiativeName: string;
}

export async function listPublicResults(db: Kysely<Database>, limit: number): Promise<PublicResultLink[]> {
  return db
    .selectFrom('results')
    .innerJoin('initiatives', 'initiatives.id', 'results.initiativeId')
    .select(['results.id', 'results.statement', 'initiatives.name as initiativeName'])
    .where('results.visibility', '=', 'public')
    .orderBy('results.createdAt')
    .orderBy('results.id')
    .limit(limit)
    .execute();
}

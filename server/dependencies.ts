/**
 * What `buildApp` hands every route plugin: the database and the response cache. In its own module so that
 * routes need not import `app.ts`, which imports them (no import circle).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema/database.ts';
import type { ResponseCache } from './cache/response-cache.ts';

/** The database handle services and repositories receive. */
export type Db = Kysely<Database>;

export interface AppDependencies {
  db: Db;
  /** Pre-serialised dashboard responses, valid until the change generation moves. */
  cache: ResponseCache;
}

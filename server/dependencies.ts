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
  /**
   * The configured base of absolute links (PUBLIC_URL), or null: links made for people (invitations, the
   * workspace's embed code) then follow the address the request came to.
   */
  publicUrl?: string | null;
}

/** The base of absolute links: the configured public URL, else the request's own origin. */
export function linkBase(publicUrl: string | null | undefined, request: { protocol: string; host: string }): string {
  return (publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/$/, '');
}

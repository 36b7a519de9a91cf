/**
 * One process per embedded database directory: PGlite is a single-process database, and a second server on
 * the same `PGLITE_DIR` would corrupt or block the first. The lock is taken before the database is opened
 * (proper-lockfile: an `mkdir` lock refreshed every few seconds, so a crashed server's lock goes stale and a
 * new start takes it over).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

/** Locks `dataDir` for this process; resolves to the release function. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  mkdirSync(dataDir, { recursive: true });
  try {
    return await lockfile.lock(dataDir, {
      lockfilePath: path.join(dataDir, '.rba-server.lock'),
      stale: 15_000,
      update: 5_000,
      // A lock that cannot be refreshed (the directory vanished) is reported, not thrown at random later.
      onCompromised: (error) => console.error(`The lock on ${dataDir} was lost: ${error.message}`),
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED')
      throw new DataDirLockedError(
        `Another process (a running server, or npm run token) is using the embedded database in ${dataDir}. ` +
          'Stop it first, or set PGLITE_DIR to another directory.',
      );
    throw error;
  }
}

/** Locks the embedded database's directory (nothing to lock for PostgreSQL or an in-memory PGlite). */
export async function lockEmbeddedDatabase(
  database: { kind: 'postgres' } | { kind: 'pglite'; dataDir: string },
): Promise<() => Promise<void>> {
  if (database.kind !== 'pglite' || database.dataDir.startsWith('memory://')) return async () => undefined;
  return lockDataDir(database.dataDir);
}

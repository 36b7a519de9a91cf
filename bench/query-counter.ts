/**
 * Counts the SQL statements the app sends, at the driver: every `pg.Client#query` call (Kysely's
 * PostgresDialect runs each statement, BEGIN and COMMIT included, through a pooled client's `query`; the
 * PGlite node-postgres adapter uses the same `pg.Client`). Counting is on only inside `count()`, so the
 * benchmark's own queries and the setup are not counted.
 */
import pg from 'pg';

let active = false;
let statements = 0;
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (
    this: pg.Client,
    ...args: unknown[]
  ) {
    if (active) statements++;
    return original.apply(this, args);
  };
}

/** Runs `fn` and returns how many SQL statements were sent while it ran (run nothing else meanwhile). */
export async function countStatements<T>(fn: () => Promise<T>): Promise<{ value: T; statements: number }> {
  install();
  statements = 0;
  active = true;
  try {
    const value = await fn();
    return { value, statements };
  } finally {
    active = false;
  }
}

install();

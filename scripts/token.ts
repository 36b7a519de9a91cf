/**
 * `npm run token -- --role admin [--name <who>] [--initiative <id>] [--partner <id>] [--expires <ISO date>]`:
 * creates an API token directly in the configured database (the same environment as `npm start`: DATABASE_URL
 * or PGLITE_DIR) and prints its secret — the way to a first administrator token without RBA_ADMIN_TOKEN. On the
 * embedded database, run it while the server is stopped (one process at a time may open it).
 *
 * Exit code: 0 with the secret on stdout (the details on stderr), 1 when the token cannot be made, 2 for a
 * usage error.
 */
import { parseArgs } from 'node:util';
import { TokenCreate } from '../schema/contracts/tokens.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { DataDirLockedError, lockEmbeddedDatabase } from '../server/data-dir-lock.ts';
import { migrateDatabase, openDatabase } from '../server/database.ts';
import { DomainError } from '../server/errors.ts';
import { createToken } from '../server/repositories/tokens.ts';

const USAGE = `Usage: npm run token -- --role admin|editor|contributor|viewer [--name <who>] [--initiative <id>] [--partner <id>] [--expires <ISO 8601>]`;

export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  let input;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        role: { type: 'string' },
        name: { type: 'string' },
        initiative: { type: 'string' },
        partner: { type: 'string' },
        expires: { type: 'string' },
      },
    });
    const parsed = TokenCreate.safeParse({
      name: values.name ?? `${values.role ?? 'token'} (npm run token)`,
      role: values.role,
      ...(values.initiative !== undefined && { initiativeId: values.initiative }),
      ...(values.partner !== undefined && { partnerId: values.partner }),
      ...(values.expires !== undefined && { expiresAt: values.expires }),
    });
    if (!parsed.success)
      throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    input = parsed.data;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  let release: (() => Promise<void>) | null = null;
  try {
    const config = loadConfig(env);
    release = await lockEmbeddedDatabase(config.database);
    const database = await openDatabase(config.database);
    try {
      await migrateDatabase(config.database, database.db);
      const token = await createToken(database.db, input, 'npm run token');
      console.error(`Created ${token.role} token "${token.name}" (id ${token.id}). Keep the secret: it is shown once.`);
      console.log(token.secret);
      return 0;
    } finally {
      await database.close();
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof DomainError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await release?.();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2), process.env);
}

/**
 * The server: loadConfig → open database → migrate → seed the demo (if asked and empty) → buildApp →
 * listen. On SIGTERM/SIGINT: stop accepting, finish in-flight requests, close the database last.
 */
import net from 'node:net';
import { buildApp } from './app.ts';
import { ChangeGeneration } from './cache/change-generation.ts';
import { startPostgresChangeFeed } from './cache/postgres-change-feed.ts';
import { newTokenSecret } from './auth/token-secret.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError, lockEmbeddedDatabase } from './data-dir-lock.ts';
import { currentSchema, migrateDatabase, openDatabase } from './database.ts';
import { openReadReplicas } from './database-replicas.ts';
import { hasActiveAdminToken } from './repositories/tokens.ts';
import { seedDemoIfEmpty } from '../seeds/seed-demo.ts';
import { startOffLoop } from './services/off-loop.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  // Before the database is touched: a taken port, or a second server on the same embedded directory, stops here.
  const portProblem = await listenProblem(config.host, config.port);
  if (portProblem) {
    console.error(portProblem);
    process.exit(1);
  }
  let release: () => Promise<void>;
  try {
    release = await lockEmbeddedDatabase(config.database);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const database = await openDatabase(config.database);
  await migrateDatabase(config.database, database.db);
  // The demo is loaded through the API itself, with a one-off administrator secret nobody else knows.
  const seedSecret = newTokenSecret();
  const generation = new ChangeGeneration();
  // DATABASE_READ_URL: anonymous reads from hot standbys once they have replayed what this instance knows of.
  let logReplicas: (message: string) => void = (message) => console.warn(message);
  const replicas =
    config.database.kind === 'postgres' && config.database.readUrls
      ? openReadReplicas({
          primary: database.pool,
          urls: config.database.readUrls,
          generation,
          log: (message) => logReplicas(message),
        })
      : null;
  const app = await buildApp({
    config: { ...config, publicUrl: config.publicUrl ?? localUrl(config.host, config.port) },
    db: database.db,
    internalAdminSecret: seedSecret,
    generation,
    databaseProbe: database.probe,
    poolUse: database.poolUse,
    replicas,
  });
  logReplicas = (message) => app.log.warn(message);
  // Other instances on the same PostgreSQL database invalidate this one's chart cache, and back. LISTEN needs a
  // session of its own: DATABASE_LISTEN_URL when DATABASE_URL goes through a pooler in transaction mode.
  const changeFeed =
    config.database.kind === 'postgres'
      ? startPostgresChangeFeed(config.database.listenUrl ?? config.database.url, generation, (m) => app.log.warn(m), {
          schema: await currentSchema(database.db),
        })
      : null;
  if (config.seedDemo) {
    const seeded = await seedDemoIfEmpty(app, `Bearer ${seedSecret}`);
    if (seeded)
      app.log.info({ initiativeId: seeded.initiativeId, resultId: seeded.resultIds[0] }, 'loaded the demo initiative');
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    try {
      await app.close();
      await changeFeed?.close();
      await replicas?.close();
    } finally {
      await database.close();
      await release();
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  startOffLoop(); // the worker thread of heavy reads loads its modules now, not on the first chart
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    // Taken meanwhile (after the check at start).
    const problem = portMessage(error, config.host, config.port);
    if (!problem) throw error;
    console.error(problem);
    await app.close();
    await changeFeed?.close();
    await replicas?.close();
    await database.close();
    await release();
    process.exit(1);
  }
  const where = localUrl(config.host, config.port);
  app.log.info(
    `API docs at ${where}/docs · database: ${database.kind}` +
      (replicas ? ` · read replicas: ${replicas.states.map((r) => r.name).join(', ')}` : ''),
  );
  if (!config.adminToken && !(await hasActiveAdminToken(database.db)))
    app.log.warn(
      'READ-ONLY: no RBA_ADMIN_TOKEN and no administrator token in the database, so nobody can write yet. ' +
        (config.database.kind === 'pglite'
          ? 'Stop the server and run `npm run token -- --role admin` for a first token, '
          : 'Run `npm run token -- --role admin` for a first token, ') +
        'or start with RBA_ADMIN_TOKEN=<a secret of 16+ characters>.',
    );
}

/** One clear line for a port that cannot be listened on; null for any other error. */
function portMessage(error: unknown, host: string, port: number): string | null {
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE')
    return `Port ${port} on ${host} is already in use (another server?). Stop it, or start with PORT=<another port>.`;
  if (code === 'EACCES')
    return `Not allowed to listen on port ${port} on ${host}. Start with PORT=<a port above 1023>.`;
  return null;
}

/** Tries the address before anything else starts: the message for a port that cannot be used, else null. */
async function listenProblem(host: string, port: number): Promise<string | null> {
  if (port === 0) return null;
  const probe = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, host, resolve));
    return null;
  } catch (error) {
    const message = portMessage(error, host, port);
    if (message) return message;
    throw error;
  } finally {
    await new Promise((resolve) => probe.close(resolve));
  }
}

/** This server's address from the configured HOST and PORT (a wildcard address becomes localhost). */
function localUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${name.includes(':') ? `[${name}]` : name}:${port}`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

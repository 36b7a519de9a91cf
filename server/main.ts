/**
 * The server: loadConfig → open database → migrate → seed the demo (if asked and empty) → buildApp →
 * listen. On SIGTERM/SIGINT: stop accepting, finish in-flight requests, close the database last.
 */
import { buildApp } from './app.ts';
import { ChangeGeneration } from './cache/change-generation.ts';
import { startPostgresChangeFeed } from './cache/postgres-change-feed.ts';
import { newTokenSecret } from './auth/token-secret.ts';
import { ConfigError, loadConfig } from './config.ts';
import { currentSchema, migrateToLatest, openDatabase } from './database.ts';
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
  const database = await openDatabase(config.database);
  await migrateToLatest(database.db);
  // The demo is loaded through the API itself, with a one-off administrator secret nobody else knows.
  const seedSecret = newTokenSecret();
  const generation = new ChangeGeneration();
  const app = await buildApp({
    config,
    db: database.db,
    internalAdminSecret: seedSecret,
    generation,
    databaseProbe: database.probe,
  });
  // Other instances on the same PostgreSQL database invalidate this one's chart cache, and back.
  const changeFeed =
    config.database.kind === 'postgres'
      ? startPostgresChangeFeed(config.database.url, generation, (m) => app.log.warn(m), {
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
    } finally {
      await database.close();
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  startOffLoop(); // the worker thread of heavy reads loads its modules now, not on the first chart
  await app.listen({ port: config.port, host: config.host });
  const where = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  app.log.info(`API docs at ${where}/docs · database: ${database.kind}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

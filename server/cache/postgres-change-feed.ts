/**
 * Hears the database's change notifications (schema/migrations/2026120303-change-notify.ts: every write of
 * any instance, sent by its own transaction and delivered at commit) and moves this instance's change
 * generation, so its caches drop what another instance's write made stale.
 *
 * While the listening connection is down, notifications are missed: the generation is marked untrusted
 * (caches answer nothing from memory) until the connection listens again, and then every cache is flushed.
 * A connection that dies silently is found by TCP keep-alive and a periodic `select 1`.
 */
import pg from 'pg';
import type { ChangeGeneration } from './change-generation.ts';

const CHANNEL = 'rba_changes';
const RECONNECT_MS = 500;
/** How often the listening connection proves it is alive (a dead one would silently stop notifications). */
const HEARTBEAT_MS = 5_000;

export interface ChangeFeed {
  /** Resolves once the connection listens (tests wait for it). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface ChangeFeedOptions {
  /** The schema this instance's tables live in: notifications of other schemas on the database are ignored. */
  schema: string;
  /** How the listening connection shows in pg_stat_activity (default `rba-change-feed`). */
  applicationName?: string;
}

/** `schema:token` as the trigger sends it; null for anything else. */
function parsePayload(payload: string | undefined): { schema: string; token: number } | null {
  const match = /^(.*):(\d+)$/.exec(payload ?? '');
  return match ? { schema: match[1]!, token: Number(match[2]) } : null;
}

export function startPostgresChangeFeed(
  url: string,
  generation: ChangeGeneration,
  log: (message: string) => void,
  options: ChangeFeedOptions,
): ChangeFeed {
  let client: pg.Client | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let listening: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (listening = resolve));

  const scheduleReconnect = () => {
    if (closed || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, RECONNECT_MS);
  };

  const lost = (which: pg.Client) => {
    if (client === which) client = null;
    generation.setTrusted(false);
    which.end().catch(() => undefined);
    scheduleReconnect();
  };

  const connect = async () => {
    if (closed) return;
    const next = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: 2_000,
      keepAlive: true,
      application_name: options.applicationName ?? 'rba-change-feed',
    });
    next.on('error', () => lost(next));
    next.on('end', () => lost(next));
    next.on('notification', (message) => {
      const change = parsePayload(message.payload);
      if (message.channel === CHANNEL && change?.schema === options.schema) generation.heard(change.token);
    });
    try {
      await next.connect();
      await next.query(`listen ${CHANNEL}`);
      if (closed) {
        await next.end();
        return;
      }
      client = next;
      generation.setTrusted(true); // flushes: changes may have been missed while not listening
      listening();
    } catch (error) {
      log(`change feed: cannot listen yet (${(error as Error).message}); retrying`);
      lost(next);
    }
  };

  const heartbeat = setInterval(() => {
    const current = client;
    current?.query('select 1').catch(() => lost(current));
  }, HEARTBEAT_MS);
  heartbeat.unref();
  // Until the first connection listens, other instances' writes go unheard.
  generation.setTrusted(false);
  void connect();

  return {
    ready: () => ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(heartbeat);
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}

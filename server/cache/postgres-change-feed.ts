/**
 * Shares change generations between server instances on one PostgreSQL database: a local bump sends
 * `NOTIFY rba_changes`, and a notification from another instance bumps this one. The listening connection
 * reconnects by itself after an outage; while it is down, the caches' maximum age bounds any staleness.
 */
import pg from 'pg';
import type { ChangeGeneration } from './change-generation.ts';

const CHANNEL = 'rba_changes';
const RECONNECT_MS = 2_000;

export interface ChangeFeed {
  close(): Promise<void>;
}

export function startPostgresChangeFeed(
  url: string,
  generation: ChangeGeneration,
  log: (message: string) => void,
): ChangeFeed {
  let client: pg.Client | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const scheduleReconnect = () => {
    if (closed || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, RECONNECT_MS);
  };

  const connect = async () => {
    if (closed) return;
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    next.on('error', () => undefined);
    next.on('end', () => {
      if (client === next) client = null;
      scheduleReconnect();
    });
    next.on('notification', (message) => {
      if (message.channel === CHANNEL && message.processId !== (next as unknown as { processID: number }).processID)
        generation.bump(false);
    });
    try {
      await next.connect();
      await next.query(`listen ${CHANNEL}`);
      client = next;
      generation.bump(false); // we may have missed changes while disconnected
    } catch (error) {
      log(`change feed: cannot listen yet (${(error as Error).message}); retrying`);
      await next.end().catch(() => undefined);
      scheduleReconnect();
    }
  };

  const unsubscribe = generation.onLocalBump(() => {
    client?.query(`notify ${CHANNEL}`).catch(() => undefined);
  });
  void connect();

  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      unsubscribe();
      await client?.end().catch(() => undefined);
    },
  };
}

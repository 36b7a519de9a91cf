/**
 * Metrics for operators: `GET /metrics` in Prometheus text format (prom-client), served only with METRICS=1;
 * with METRICS_TOKEN set, only to `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time). Each app
 * has a registry of its own (tests build many apps in one process). What is measured:
 *
 * - `http_request_duration_seconds{method, route, status_class}`: every answer, by route pattern
 *   (`/api/v1/indicators/:indicatorId/analysis`, never the URL: the label's values stay few), `unmatched` for
 *   a URL no route serves, and `2xx`…`5xx`;
 * - `rba_response_cache_lookups_total{result}`: the pre-serialised answers (cache/response-cache.ts) found fresh
 *   (`hit`, the public fast path included) or computed (`miss`);
 * - `rba_db_pool_connections`, `rba_db_pool_idle_connections`, `rba_db_pool_waiting_requests`: the database
 *   pool as it is at the scrape (PGlite's pool too: its one connection, and statements queued for it);
 * - `rba_import_rows_total` (rows of written imports) and `rba_import_duration_seconds{status, dry_run}`, from
 *   the import service (services/csv-import.ts) on this app's database;
 * - `rba_engine_task_duration_seconds{task, outcome}`: the worker thread's time on each heavy task (analysis,
 *   charts, SVG, embed pages; services/off-loop.ts) — the worker is the process's, so every app of a process
 *   counts every task;
 * - Node's process metrics (`process_*`, `nodejs_*`: CPU, memory, event-loop lag, GC).
 *
 * Two plugins: `metricsTiming` goes first (its hook must see every route), `metricsRoute` with the routes (the
 * hooks of access, the rate limit and the security headers apply to it).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import { ErrorResponse } from '../../schema/contracts/common.ts';
import { secretsEqual } from '../auth/token-secret.ts';
import type { ResponseCache } from '../cache/response-cache.ts';
import type { ReadReplicas } from '../database-replicas.ts';
import type { Db } from '../dependencies.ts';
import { UnauthenticatedError } from '../errors.ts';
import { engineTaskFinished, importFinished } from '../instrumentation.ts';

export interface MetricsOptions {
  db: Db;
  cache: ResponseCache;
  /** METRICS_TOKEN: null lets anyone who can reach the server read the metrics. */
  token: string | null;
  /** The database pool's counts now (OpenDatabase.poolUse); none: no pool gauges. */
  poolUse?: (() => { total: number; idle: number; waiting: number }) | null;
  /** DATABASE_READ_URL's standbys (database-replicas.ts); none: no replica metrics. */
  replicas?: Pick<ReadReplicas, 'counts' | 'states'> | null;
}

/** One app's registry and the metrics its hooks feed. */
export interface AppMetrics {
  registry: Registry;
  requestDuration: Histogram<'method' | 'route' | 'status_class'>;
}

const SECONDS_FAST = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const SECONDS_SLOW = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** Makes the registry and its metrics, and subscribes to the services' reports until `close`. */
export function createMetrics(options: MetricsOptions): AppMetrics & { close(): void } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram<L>({ name, help, labelNames, buckets, registers: [registry] });
  const requestDuration = histogram(
    'http_request_duration_seconds',
    'Time to answer a request, by method, route pattern and status class',
    ['method', 'route', 'status_class'],
    SECONDS_FAST,
  );
  const { cache } = options;
  // Counts kept elsewhere (the cache, the replicas' router), copied at each scrape.
  const mirroredCounter = (name: string, help: string, label: string, read: () => Record<string, number>) =>
    new Counter({
      name,
      help,
      labelNames: [label],
      registers: [registry],
      collect() {
        this.reset();
        for (const [value, count] of Object.entries(read())) this.inc({ [label]: value }, count);
      },
    });
  mirroredCounter(
    'rba_response_cache_lookups_total',
    'Look-ups of pre-serialised answers (charts, embeds, workspace views): hit = served from memory, miss = computed',
    'result',
    () => ({ hit: cache.counts.hits, miss: cache.counts.misses }),
  );
  const { poolUse } = options;
  if (poolUse) {
    const poolGauge = (
      name: string,
      help: string,
      read: (use: { total: number; idle: number; waiting: number }) => number,
    ) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(read(poolUse()));
        },
      });
    poolGauge('rba_db_pool_connections', 'Database connections open in the pool', (use) => use.total);
    poolGauge('rba_db_pool_idle_connections', 'Open database connections not in use', (use) => use.idle);
    poolGauge('rba_db_pool_waiting_requests', 'Queries waiting for a database connection', (use) => use.waiting);
  }
  const { replicas } = options;
  if (replicas) {
    mirroredCounter(
      'rba_db_routed_statements_total',
      "Statements of the routes' database handle, by where they ran: a read replica, or the primary",
      'target',
      () => ({ replica: replicas.counts.replica, primary: replicas.counts.primary }),
    );
    new Gauge({
      name: 'rba_db_replica_up',
      help: 'Each read replica: 1 while it is used, 0 while it is left out (failing; tried again every second)',
      labelNames: ['replica'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const state of replicas.states) this.set({ replica: state.name }, state.up ? 1 : 0);
      },
    });
  }
  const importRows = new Counter({
    name: 'rba_import_rows_total',
    help: 'Rows of CSV imports written (succeeded, not dry runs)',
    registers: [registry],
  });
  const importDuration = histogram(
    'rba_import_duration_seconds',
    'Time of a CSV import, from the upload to the report, by outcome and whether it was a dry run',
    ['status', 'dry_run'],
    SECONDS_SLOW,
  );
  const engineDuration = histogram(
    'rba_engine_task_duration_seconds',
    "The worker thread's time on a heavy task (analysis, chart spec, SVG, embed page), by task and outcome",
    ['task', 'outcome'],
    SECONDS_FAST,
  );
  const stopImports = importFinished.subscribe((report) => {
    if (report.db !== options.db) return; // another app's database (tests run several in one process)
    importDuration.observe({ status: report.status, dry_run: String(report.dryRun) }, report.seconds);
    if (report.status === 'succeeded' && !report.dryRun) importRows.inc(report.rows);
  });
  const stopEngine = engineTaskFinished.subscribe((task) =>
    engineDuration.observe({ task: task.task, outcome: task.ok ? 'ok' : 'error' }, task.seconds),
  );
  return {
    registry,
    requestDuration,
    close() {
      stopImports();
      stopEngine();
      registry.clear();
    },
  };
}

/** Times every answer; register it before any route. */
async function metricsTimingPlugin(app: FastifyInstance, { metrics }: { metrics: AppMetrics }): Promise<void> {
  app.addHook('onResponse', async (request, reply) => {
    metrics.requestDuration.observe(
      {
        method: request.method,
        // The pattern the router matched; none for a URL no route serves (its 404).
        route: request.routeOptions.url ?? 'unmatched',
        status_class: `${Math.floor(reply.statusCode / 100)}xx`,
      },
      reply.elapsedTime / 1000,
    );
  });
}

export const metricsTiming = fp(metricsTimingPlugin, { name: 'metrics-timing' });

/** `GET /metrics`. */
export const metricsRoute: FastifyPluginAsyncZod<{ metrics: AppMetrics; token: string | null }> = async (
  app,
  { metrics, token },
) => {
  app.get('/metrics', {
    // Not an API token: the access plugin leaves this route's Authorization header to the handler.
    config: { ownCredential: true },
    schema: {
      operationId: 'getMetrics',
      summary: 'Metrics for operators, in Prometheus text format (served when METRICS=1)',
      description:
        'Request durations by route, response-cache hits, database pool use, imports, engine time and process ' +
        'metrics. With METRICS_TOKEN set, send `Authorization: Bearer <METRICS_TOKEN>`.',
      tags: ['operations'],
      produces: ['text/plain'],
      response: {
        200: z.string().meta({ description: 'Prometheus text exposition format 0.0.4' }),
        401: ErrorResponse,
        429: ErrorResponse,
        500: ErrorResponse,
      },
    },
    handler: async (request, reply) => {
      if (token !== null) {
        const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
        if (!match || !secretsEqual(match[1]!, token))
          throw new UnauthenticatedError('The metrics need Authorization: Bearer <METRICS_TOKEN>.');
      }
      return reply
        .header('Cache-Control', 'no-store')
        .type(metrics.registry.contentType)
        .send(await metrics.registry.metrics());
    },
  });
};

/**
 * Scorecard benchmark: `GET /api/v1/results/{id}/scorecard` of a result with 500 monthly indicators ×
 * 120 points, through the whole app (Fastify routing, zod serialization, Kysely, the driver, the engine),
 * with `app.inject` (no socket). Target on PostgreSQL: ≤ 300 ms, from a number of SQL statements that does
 * not grow with the number of indicators — counted for a result of 50 and one of 500.
 *
 * Reference measured in the same run: a plain select of the same 60,000 point rows through the same pool
 * (the data-transfer floor) plus the engine on those 500 series alone, reading their stored baseline fits
 * (server/services/stored-fits.ts; the scorecard's first request fits and stores them, later ones reuse them). Scorecard and reference rounds are
 * interleaved so machine noise hits both alike; medians are reported.
 *
 * Everything is created through the API, in a schema of its own (PostgreSQL, dropped at the end) or an
 * in-memory PGlite.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { safeEncode } from 'zod/v4/core';
import { ResultScorecard } from '../schema/contracts/scorecard.ts';
import { buildApp } from '../server/app.ts';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../server/database.ts';
import { buildScorecard } from '../server/domain/scorecard.ts';
import { toEngineIndicator, toObservedPoints } from '../server/domain/engine-input.ts';
import { analyzeIndicator, analyzeIndicatorWithFits } from '../server/engine/analyze-indicator.ts';
import type { BaselineModelResult } from '../server/engine/forecast-model.ts';
import { loadResultForAnalysis } from '../server/repositories/result-analysis.ts';
import { visibleTotals } from '../server/services/reader-view.ts';
import { benchSeries, type BenchSeries } from './data.ts';
import { countStatements } from './query-counter.ts';
import { median, ms, ratio, type BenchFigure } from './timing.ts';

export const SCORECARD_TARGET_MS = 300;
const BIG = 500;
const SMALL = 50;

export interface ScorecardBenchOptions {
  kind: 'postgres' | 'pglite';
  /** PostgreSQL URL (kind postgres). */
  url?: string;
  rounds?: number;
  log?: (line: string) => void;
}

export interface ScorecardBenchResult {
  scorecardMs: number;
  selectMs: number;
  engineMs: number;
  statementsSmall: number;
  statementsBig: number;
  figures: BenchFigure[];
}

/** Every request is made as the administrator (writes need a token; the admin sees private indicators). */
const ADMIN_TOKEN = randomBytes(24).toString('hex');

async function inject(app: FastifyInstance, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  const response = await app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  if (response.statusCode >= 300) {
    throw new Error(`${method} ${url} → ${response.statusCode}: ${response.body.slice(0, 500)}`);
  }
  return response;
}

/** Runs `worker` over `items`, `concurrency` at a time. */
async function eachLimit<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<void>,
) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await worker(items[index]!, index);
    }
  });
  await Promise.all(lanes);
}

/**
 * A result with `count` indicators, created through the API: 4 outcomes (one nested under another),
 * indicators spread over the outcomes with every fifth a headline indicator, 120 points each.
 */
async function createResult(
  app: FastifyInstance,
  initiativeId: string,
  label: string,
  series: readonly BenchSeries[],
  concurrency: number,
): Promise<string> {
  const result = (
    await inject(app, 'POST', `/api/v1/initiatives/${initiativeId}/results`, {
      statement: `${label}: more residents in good jobs`,
      population: 'Working-age residents',
      geography: 'Benchmark City',
      timeFrame: { start: 2011, end: 2025 },
    })
  ).json();
  const outcomeIds: string[] = [];
  for (let i = 0; i < 4; i++) {
    const outcome = (
      await inject(app, 'POST', `/api/v1/results/${result.id}/outcomes`, {
        title: `Outcome ${i + 1}`,
        ...(i === 3 ? { parentOutcomeId: outcomeIds[0] } : {}),
      })
    ).json();
    outcomeIds.push(outcome.id);
  }
  await eachLimit(series, concurrency, async ({ indicator, points }, i) => {
    const created = (
      await inject(app, 'POST', `/api/v1/results/${result.id}/indicators`, {
        name: `Indicator ${i + 1}`,
        code: `IND_${i + 1}`,
        unit: indicator.unit,
        polarity: indicator.polarity,
        frequency: indicator.frequency,
        outcomeId: i % 5 === 0 ? null : outcomeIds[i % 4],
        definition: 'Benchmark indicator',
        baselinePeriod: indicator.baselinePeriod,
        target: indicator.target,
        naturalLimit: indicator.naturalLimit,
        level: 'population',
        position: i,
      })
    ).json();
    await inject(app, 'PUT', `/api/v1/indicators/${created.id}/data-points`, {
      points: points.map((p) => ({ period: p.period, value: p.value })),
    });
  });
  return result.id;
}

export async function benchScorecard(options: ScorecardBenchOptions): Promise<ScorecardBenchResult> {
  const log = options.log ?? console.log;
  const rounds = options.rounds ?? 10;
  const dbName = options.kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
  const schema = options.kind === 'postgres' ? `bench_${randomBytes(5).toString('hex')}` : null;

  let opened: OpenDatabase | null = null;
  let app: FastifyInstance | null = null;
  try {
    let start = performance.now();
    opened =
      options.kind === 'postgres'
        ? await openDatabase({ kind: 'postgres', url: options.url! }, { searchPath: schema! })
        : await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    await migrateToLatest(opened.db);
    const db = opened.db;
    app = await buildApp({
      config: { bodyLimitBytes: 50_000_000, logLevel: 'silent', adminToken: ADMIN_TOKEN },
      db,
      logger: false,
    });
    await app.ready();
    const openMs = performance.now() - start;

    start = performance.now();
    const initiative = (
      await inject(app, 'POST', '/api/v1/initiatives', { name: `Benchmark ${randomBytes(3).toString('hex')}` })
    ).json();
    const bigSeries = Array.from({ length: BIG }, (_, i) => benchSeries(i));
    const smallSeries = Array.from({ length: SMALL }, (_, i) => benchSeries(BIG + i));
    const concurrency = options.kind === 'postgres' ? 4 : 1;
    const bigId = await createResult(app, initiative.id, 'Large result', bigSeries, concurrency);
    const smallId = await createResult(app, initiative.id, 'Small result', smallSeries, concurrency);
    // Fresh statistics, as autovacuum would soon have them, so that the plan cannot change mid-measurement.
    await sql`analyze`.execute(db);
    const setupMs = performance.now() - start;
    log(
      `scorecard (${dbName}${schema ? `, schema ${schema}` : ', in memory'}): open + migrate ${ms(openMs)} ms; ` +
        `created through the API ${BIG + SMALL} indicators × 120 points in ${(setupMs / 1000).toFixed(1)} s`,
    );

    const scorecard = async (id: string) => {
      const response = await inject(app!, 'GET', `/api/v1/results/${id}/scorecard`);
      return response.body;
    };

    // Check the answer once, and count statements per request (after one warm-up request each).
    await scorecard(bigId);
    await scorecard(smallId);
    const small = await countStatements(() => scorecard(smallId));
    const big = await countStatements(() => scorecard(bigId));
    const body = JSON.parse(big.value) as {
      indicators: unknown[];
      outcomes: Array<{ indicators: unknown[]; outcomes: Array<{ indicators: unknown[] }> }>;
    };
    const countIndicators = (node: { indicators: unknown[]; outcomes?: unknown[] }): number =>
      node.indicators.length +
      ((node.outcomes ?? []) as Array<{ indicators: unknown[]; outcomes?: unknown[] }>).reduce(
        (s, o) => s + countIndicators(o),
        0,
      );
    const shown = countIndicators(body);
    if (shown !== BIG) throw new Error(`the scorecard shows ${shown} indicators, expected ${BIG}`);
    const sizeKb = Buffer.byteLength(big.value) / 1024;

    // The reference: the same point rows, plainly selected through the same pool, with the columns the
    // analysis needs (indicator, period, value) — the data-transfer floor …
    const selectPoints = () =>
      sql`select dp.indicator_id, dp.period, dp.value from data_points dp join indicators i on i.id = dp.indicator_id
          where i.result_id = ${bigId} and dp.disaggregation_key = '{}' and dp.valid_to is null
          order by dp.indicator_id, dp.period_index`.execute(db);
    const rowCount = (await selectPoints()).rows.length;
    if (rowCount !== BIG * 120)
      throw new Error(`the reference select returned ${rowCount} rows, expected ${BIG * 120}`);
    // … and, for the diagnosis only, the same rows with every column (what the repository selects today).
    const selectAllColumns = () =>
      sql`select dp.* from data_points dp join indicators i on i.id = dp.indicator_id
          where i.result_id = ${bigId} and dp.disaggregation_key = '{}' and dp.valid_to is null
          order by dp.indicator_id, dp.period_index`.execute(db);
    const allColumns = Object.keys((await selectAllColumns()).rows[0] as object).length;
    // … and the engine on the 500 series alone (inputs already built), reading their stored fits as the
    // scorecard does (the first scorecard request above fitted and stored them; the forecast is frozen).
    const storedFitOf = (fits: Map<string, BaselineModelResult | null>) =>
      new Map([...fits].filter((e): e is [string, BaselineModelResult] => e[1] !== null));
    const bigFits = bigSeries.map(({ indicator, points }) =>
      storedFitOf(analyzeIndicatorWithFits(indicator, points).fits),
    );
    const engineOnly = () => {
      let sink = 0;
      bigSeries.forEach(({ indicator, points }, i) => {
        sink += analyzeIndicator(indicator, points, { baselineModels: bigFits[i]! }).total.pointCount;
      });
      return sink;
    };
    const loadedOnce = await loadResultForAnalysis(db, bigId, true, (ids) =>
      visibleTotals(db, ids, () => 'members', undefined),
    );
    const fitsById = new Map(
      loadedOnce.indicators.map(({ indicator, totalPoints }) => [
        indicator.id,
        storedFitOf(analyzeIndicatorWithFits(toEngineIndicator(indicator), toObservedPoints(totalPoints)).fits),
      ]),
    );

    // Warm-up, then interleaved measured rounds.
    for (let i = 0; i < 3; i++) {
      await scorecard(bigId);
      await selectPoints();
      engineOnly();
    }
    const scorecardRuns: number[] = [];
    const selectRuns: number[] = [];
    const engineRuns: number[] = [];
    const loadRuns: number[] = [];
    const buildRuns: number[] = [];
    const serializeRuns: number[] = [];
    const selectAllRuns: number[] = [];
    for (let i = 0; i < rounds; i++) {
      let t = performance.now();
      await scorecard(bigId);
      scorecardRuns.push(performance.now() - t);
      t = performance.now();
      await selectPoints();
      selectRuns.push(performance.now() - t);
      t = performance.now();
      engineOnly();
      engineRuns.push(performance.now() - t);
      // Where the scorecard's time goes: the repository load, then the pure build (engine + roll-ups).
      t = performance.now();
      const loaded = await loadResultForAnalysis(db, bigId, true, (ids) =>
        visibleTotals(db, ids, () => 'members', undefined),
      );
      loadRuns.push(performance.now() - t);
      t = performance.now();
      const totals = new Map(
        loaded.indicators.map(({ indicator, totalPoints }) => [
          indicator.id,
          analyzeIndicator(toEngineIndicator(indicator), toObservedPoints(totalPoints), {
            baselineModels: fitsById.get(indicator.id)!,
          }).total,
        ]),
      );
      const card = buildScorecard(loaded, 0.9, null, { now: new Date(), totals });
      buildRuns.push(performance.now() - t);
      // What the route's serializer does (fastify-type-provider-zod: zod encode, then JSON.stringify).
      t = performance.now();
      const encoded = safeEncode(ResultScorecard, card);
      if (!encoded.success) throw new Error('the scorecard does not match its response schema');
      JSON.stringify(encoded.data);
      serializeRuns.push(performance.now() - t);
      t = performance.now();
      await selectAllColumns();
      selectAllRuns.push(performance.now() - t);
    }
    const scorecardMs = median(scorecardRuns);
    const selectMs = median(selectRuns);
    const engineMs = median(engineRuns);
    const loadMs = median(loadRuns);
    const buildMs = median(buildRuns);
    const serializeMs = median(serializeRuns);
    const referenceMs = selectMs + engineMs;
    const constant = small.statements === big.statements;

    log(`  scorecard runs (ms): ${scorecardRuns.map(ms).join(', ')}; response ${sizeKb.toFixed(0)} KiB`);
    log(
      `  breakdown (medians, measured separately): loadResultForAnalysis ${ms(loadMs)} ms + buildScorecard (engine + roll-ups) ${ms(buildMs)} ms ` +
        `+ zod encode and JSON.stringify ${ms(serializeMs)} ms = ${ms(loadMs + buildMs + serializeMs)} ms`,
    );
    log(
      `  the same ${rowCount.toLocaleString('en')} rows selected with all ${allColumns} columns (as loadResultForAnalysis does): ` +
        `${ms(median(selectAllRuns))} ms, against ${ms(selectMs)} ms for the 3 needed columns`,
    );
    log(
      `  SQL statements per scorecard request: ${SMALL} indicators → ${small.statements}, ${BIG} indicators → ${big.statements}` +
        (constant ? ' (constant)' : ' (GROWS with the number of indicators)'),
    );
    const met = scorecardMs <= SCORECARD_TARGET_MS && constant;
    const verdict = options.kind === 'postgres' ? (met ? 'MET' : 'MISSED') : '(information, no target)';
    log(
      `scorecard (${dbName}): ${ms(scorecardMs)} ms for ${BIG} indicators × 120 points` +
        (options.kind === 'postgres'
          ? ` (target ≤ ${SCORECARD_TARGET_MS} ms, constant statement count) ${verdict}`
          : ` ${verdict}`) +
        `; reference: plain select of the ${rowCount.toLocaleString('en')} rows (indicator, period, value) ${ms(selectMs)} ms + engine on the ${BIG} series ${ms(engineMs)} ms = ${ms(referenceMs)} ms; ` +
        `ratio ${ratio(scorecardMs, referenceMs)}`,
    );

    const figures: BenchFigure[] = [
      {
        name: `scorecard ${dbName}, ${BIG} × 120`,
        value: `${ms(scorecardMs)} ms`,
        target: options.kind === 'postgres' ? `≤ ${SCORECARD_TARGET_MS} ms` : '—',
        reference: `select ${ms(selectMs)} + engine ${ms(engineMs)} ms`,
        ratio: ratio(scorecardMs, referenceMs),
        verdict: options.kind === 'postgres' ? (scorecardMs <= SCORECARD_TARGET_MS ? 'MET' : 'MISSED') : 'info',
      },
      {
        name: `SQL statements ${dbName}, ${SMALL} / ${BIG} ind.`,
        value: `${small.statements} / ${big.statements}`,
        target: options.kind === 'postgres' ? 'equal' : '—',
        reference: '—',
        ratio: '—',
        verdict: options.kind === 'postgres' ? (constant ? 'MET' : 'MISSED') : 'info',
      },
    ];
    return {
      scorecardMs,
      selectMs,
      engineMs,
      statementsSmall: small.statements,
      statementsBig: big.statements,
      figures,
    };
  } finally {
    if (app) await app.close();
    if (opened) await opened.close();
    if (schema) {
      const client = new pg.Client({ connectionString: options.url });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    }
  }
}

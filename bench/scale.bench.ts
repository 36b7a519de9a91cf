/**
 * Scale benchmark (issue 17 item 5): 1,000 indicators × 10,000 points (10,000,000 data-point rows) on
 * PostgreSQL, and the same operations on a small database in the same run, so that what grows with the data
 * shows apart from what does not.
 *
 * For each size, in a schema of its own (dropped at the end):
 *
 * 1. Through the API (`buildApp` + `app.inject`, as the administrator): an initiative, a result of up to 500
 *    indicators (the scorecard's) and a second result with the rest, 4 outcomes each, every indicator
 *    monthly, with a dimension `group` when it has more points than periods (10,000 points = 100 months ×
 *    (the total + 99 groups)). Four template indicators get their points by `PUT …/data-points` — the app
 *    writes them, data-quality flags and all.
 * 2. The other indicators' points by SQL, copied from their template's rows (same definition, same values,
 *    same flags, a fresh uuid v7 id each, version 1, current): **one `insert … select` per month**, every
 *    indicator's slices of that month together, so each indicator's series lies scattered over the table as
 *    in a database fed by monthly updates (not clustered by indicator, which would flatter the reads). Then
 *    `vacuum analyze`, as autovacuum would have done.
 * 3. A check that the copies are what the app would have written: two copied indicators' points listed
 *    through the API (`GET …/data-points`, every page) equal their template's, field for field (id,
 *    indicator and time aside).
 * 4. Measured, each with a **fresh app** (no response cache, nothing remembered: the first request after a
 *    start; the code is loaded and PostgreSQL's files are in the OS cache): the scorecard of the 500-indicator
 *    result with no stored baseline fits (the first read ever: it fits and stores them), then again cold with
 *    the fits stored (a restart); a chart of one copied indicator (`chart.vl.json`, `chart.svg`, and the
 *    groups view when it has groups); an import of 100,000 rows (`POST …/data-points/import`: a new indicator,
 *    500 groups × 200 months) into the loaded database. Each with its SQL statements (query-counter.ts), wall
 *    time, this process's CPU time (main thread and the worker) and the CPU time of the database's backends
 *    serving the app's pool (/proc, by application_name).
 * 5. The database's size, and the scorecard's statements by time with the EXPLAIN (ANALYZE, BUFFERS) of its
 *    slowest read.
 *
 * `npm run bench:scale` (BENCH_DATABASE_URL; BENCH_SCALE_INDICATORS, BENCH_SCALE_POINTS, BENCH_SCALE_PERIODS
 * for the large size, default 1,000 × 10,000 over 100 months; BENCH_SCALE_SMALL_INDICATORS,
 * BENCH_SCALE_SMALL_POINTS for the small one, default 500 × 100: the same scorecard, the same total series,
 * 200 times fewer rows; BENCH_SCALE_IMPORT_ROWS, default 100,000; BENCH_SCALE_KEEP=1 keeps the schemas for a look).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../server/app.ts';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../server/database.ts';
import { prng } from './data.ts';
import { countStatements } from './query-counter.ts';

const ADMIN_TOKEN = randomBytes(24).toString('hex');
const LAST_MONTH = 2024 * 12 + 11; // 2024-12
const TEMPLATES = 4;
const SCORECARD_INDICATORS = 500;
const IMPORT_GROUPS = 500;
const UNITS = ['percent', 'count', 'rate', 'index'] as const;

const envInt = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, not ${raw}`);
  return n;
};

export interface ScaleSize {
  indicators: number;
  /** Points per indicator: periods × (1 + groups). */
  points: number;
  /** Monthly periods per indicator, ending 2024-12. */
  periods: number;
}

const month = (index: number): string => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
const monthsEnding = (count: number): string[] =>
  Array.from({ length: count }, (_, t) => month(LAST_MONTH - (count - 1) + t));
const groupName = (g: number): string => `g${String(g + 1).padStart(3, '0')}`;

// ---------- measurement ----------

/** What the statements of one request cost: text, parameters and time, in the order sent. */
interface Captured {
  text: string;
  values: unknown[] | undefined;
  ms: number;
}
let capture: Captured[] | null = null;
{
  // Wraps the query counter's wrapper: times each statement while `capture` is set.
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (
    this: pg.Client,
    ...args: unknown[]
  ) {
    const result = original.apply(this, args);
    const sink = capture;
    if (sink && typeof args[0] === 'string' && result instanceof Promise) {
      const start = performance.now();
      const entry: Captured = { text: args[0], values: args[1] as unknown[] | undefined, ms: 0 };
      sink.push(entry);
      result.then(
        () => (entry.ms = performance.now() - start),
        () => (entry.ms = performance.now() - start),
      );
    }
    return result;
  };
}

const TICK_MS = 1000 / 100; // /proc times are in clock ticks of 1/100 s on Linux

/** CPU time (ms) of each PostgreSQL backend whose application_name is `appName`. */
async function backendTimes(admin: pg.Client, appName: string): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [
    appName,
  ]);
  const times = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      times.set(pid, (Number(fields[11]) + Number(fields[12])) * TICK_MS);
    } catch {
      // the backend ended meanwhile
    }
  }
  return times;
}

export interface Measured<T> {
  value: T;
  statements: number;
  wallMs: number;
  /** This process (main thread + worker). */
  cpuMs: number;
  /** The app's PostgreSQL backends (approximate: a backend that ended meanwhile is not counted). */
  dbCpuMs: number;
}

async function measure<T>(
  admin: pg.Client,
  appName: string,
  fn: () => Promise<T>,
  captured?: Captured[],
): Promise<Measured<T>> {
  const dbBefore = await backendTimes(admin, appName);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  capture = captured ?? null;
  let counted: { value: T; statements: number };
  try {
    counted = await countStatements(fn);
  } finally {
    capture = null;
  }
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const dbAfter = await backendTimes(admin, appName);
  let dbCpuMs = 0;
  for (const [pid, t] of dbAfter) dbCpuMs += t - (dbBefore.get(pid) ?? 0);
  return { ...counted, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, dbCpuMs };
}

// ---------- the app ----------

interface Api {
  app: FastifyInstance;
  opened: OpenDatabase;
  request(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, contentType?: string): Promise<string>;
  json<T = any>(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown): Promise<T>;
  close(): Promise<void>;
}

async function openApp(url: string, schema: string): Promise<Api> {
  const opened = await openDatabase({ kind: 'postgres', url }, { searchPath: schema, queryTimeoutMs: 600_000 });
  const app = await buildApp({
    config: { bodyLimitBytes: 50_000_000, logLevel: 'silent', adminToken: ADMIN_TOKEN },
    db: opened.db,
    logger: false,
  });
  await app.ready();
  const request = async (method: 'GET' | 'POST' | 'PUT', path: string, payload?: unknown, contentType?: string) => {
    const response = await app.inject({
      method,
      url: path,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(contentType && { 'content-type': contentType }) },
      ...(payload === undefined ? {} : { payload: payload as string }),
    });
    if (response.statusCode >= 300) {
      throw new Error(`${method} ${path} → ${response.statusCode}: ${response.body.slice(0, 500)}`);
    }
    return response.body;
  };
  return {
    app,
    opened,
    request,
    json: async (method, path, payload) => JSON.parse(await request(method, path, payload)),
    async close() {
      await app.close();
      await opened.close();
    },
  };
}

/** Runs `worker` over `items`, `concurrency` at a time. */
async function eachLimit<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await worker(items[index]!, index);
      }
    }),
  );
}

// ---------- data ----------

interface TemplateDefinition {
  unit: (typeof UNITS)[number];
  polarity: 'higher_is_better' | 'lower_is_better';
  baselinePeriod: string;
  target: { period: string; value: number };
  naturalLimit: number | null;
  level: number;
}

/** Template `k`: its definition (shared by every indicator copied from it) and a seeded generator. */
function templateDefinition(k: number, months: readonly string[]): TemplateDefinition {
  const rand = prng(0x5ca1e + k * 7919);
  const unit = UNITS[k % UNITS.length]!;
  const polarity = k % 2 === 0 ? 'higher_is_better' : 'lower_is_better';
  const level = unit === 'percent' ? 20 + rand() * 60 : unit === 'count' ? 200 + rand() * 5000 : 5 + rand() * 95;
  const direction = polarity === 'higher_is_better' ? 1 : -1;
  let targetValue = level * (1 + direction * (0.05 + rand() * 0.2));
  if (unit === 'percent') targetValue = Math.min(100, targetValue);
  return {
    unit,
    polarity,
    baselinePeriod: months[Math.max(0, Math.floor(months.length * 0.6) - 1)]!,
    target: { period: '2026-12', value: Math.round(targetValue * 100) / 100 },
    naturalLimit: unit === 'percent' && polarity === 'higher_is_better' ? 100 : null,
    level,
  };
}

/** One slice's values: a level, a slope that changes after the baseline, noise; as benchSeries (data.ts). */
function sliceValues(definition: TemplateDefinition, seed: number, count: number, baselineAt: number): number[] {
  const rand = prng(seed);
  const level = definition.level * (0.6 + rand() * 0.8);
  const slope = (rand() - 0.5) * level * 0.01;
  const slopeAfter = slope + (rand() - 0.5) * level * 0.02;
  const noise = level * (0.01 + rand() * 0.04);
  const values: number[] = [];
  let value = level;
  for (let t = 0; t < count; t++) {
    value += t <= baselineAt ? slope : slopeAfter;
    let v = value + (rand() + rand() + rand() - 1.5) * 2 * noise;
    if (definition.unit === 'percent') v = Math.min(100, Math.max(0, v));
    v = definition.unit === 'count' ? Math.max(0, Math.round(v)) : Math.round(v * 1000) / 1000;
    values.push(v);
  }
  return values;
}

/** The CSV of the import: 500 groups × (rows / 500) months, `period,group,value`. */
function importCsv(rows: number): { csv: string; rows: number } {
  const months = monthsEnding(Math.ceil(rows / IMPORT_GROUPS));
  const lines = ['period,group,value'];
  const rand = prng(0x1a7e);
  for (let g = 0; g < IMPORT_GROUPS; g++) {
    let value = 20 + rand() * 60;
    for (const period of months) {
      if (lines.length > rows) break;
      value += (rand() - 0.5) * 0.4;
      lines.push(`${period},${groupName(g)},${(value + (rand() - 0.5)).toFixed(2)}`);
    }
  }
  return { csv: `${lines.join('\n')}\n`, rows: lines.length - 1 };
}

// ---------- one size ----------

export interface SizeReport {
  size: ScaleSize;
  groups: number;
  rows: number;
  setup: { apiS: number; templatePutS: number; copyS: number; copyCpuS: number; vacuumS: number };
  scorecardIndicators: number;
  scorecardFirst: Measured<number>;
  scorecardCold: Measured<number>;
  /** The cold scorecard (fits stored) three times in a row, each on a fresh app. */
  scorecardAgain: Measured<number>[];
  chartSpec: Measured<number>;
  chartSvg: Measured<number>;
  chartGroups: Measured<number> | null;
  importRows: number;
  importMeasured: Measured<number>;
  sizes: { table: number; indexes: number; database: number };
  slowest: Captured[];
  explain: string;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function runSize(
  url: string,
  size: ScaleSize,
  importRows: number,
  log: (line: string) => void,
): Promise<SizeReport> {
  if (size.points % size.periods !== 0)
    throw new Error(`points (${size.points}) must be a multiple of periods (${size.periods})`);
  const groups = size.points / size.periods - 1;
  if (groups > 500) throw new Error(`${groups} groups: a dimension holds at most 500 values (raise the periods)`);
  const months = monthsEnding(size.periods);
  const schema = `bench_scale_${randomBytes(4).toString('hex')}`;
  const appName = `rba_scale_${randomBytes(4).toString('hex')}`;
  const appUrl = `${url}${url.includes('?') ? '&' : '?'}application_name=${appName}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const loader = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  let api: Api | null = null;
  const label = `${size.indicators.toLocaleString('en')} × ${size.points.toLocaleString('en')}`;
  try {
    // ---- 1. through the API ----
    let t0 = performance.now();
    api = await openApp(appUrl, schema);
    await migrateToLatest(api.opened.db);
    await loader.connect();
    const initiative = await api.json('POST', '/api/v1/initiatives', { name: `Scale ${schema}` });
    const scorecardCount = Math.min(SCORECARD_INDICATORS, size.indicators);
    const resultSizes = [scorecardCount, size.indicators - scorecardCount].filter((n) => n > 0);
    const definitions = Array.from({ length: TEMPLATES }, (_, k) => templateDefinition(k, months));
    const indicators: Array<{ id: string; template: number }> = [];
    const resultIds: string[] = [];
    for (const [r, count] of resultSizes.entries()) {
      const result = await api.json('POST', `/api/v1/initiatives/${initiative.id}/results`, {
        statement: `Result ${r + 1}: more residents in good jobs`,
        population: 'Working-age residents',
        geography: 'Benchmark City',
        timeFrame: { start: 2016, end: 2026 },
      });
      resultIds.push(result.id);
      const outcomeIds: string[] = [];
      for (let i = 0; i < 4; i++) {
        const outcome = await api.json('POST', `/api/v1/results/${result.id}/outcomes`, {
          title: `Outcome ${i + 1}`,
          ...(i === 3 ? { parentOutcomeId: outcomeIds[0] } : {}),
        });
        outcomeIds.push(outcome.id);
      }
      const first = indicators.length;
      const numbers = Array.from({ length: count }, (_, i) => first + i);
      const created = new Array<{ id: string; template: number }>(count);
      await eachLimit(numbers, 4, async (n, i) => {
        const template = n % TEMPLATES;
        const d = definitions[template]!;
        const indicator = await api!.json('POST', `/api/v1/results/${result.id}/indicators`, {
          name: `Indicator ${n + 1}`,
          code: `IND_${n + 1}`,
          unit: d.unit,
          polarity: d.polarity,
          frequency: 'monthly',
          outcomeId: i % 5 === 0 ? null : outcomeIds[i % 4],
          definition: 'Scale benchmark indicator',
          baselinePeriod: d.baselinePeriod,
          target: d.target,
          naturalLimit: d.naturalLimit,
          level: 'population',
          position: i,
          ...(groups > 0 && {
            dimensions: [{ name: 'group', values: Array.from({ length: groups }, (_, g) => groupName(g)) }],
          }),
        });
        created[i] = { id: indicator.id, template };
      });
      indicators.push(...created);
    }
    const apiS = (performance.now() - t0) / 1000;

    // The templates' points, written by the app (PUT, data-quality gate and all).
    t0 = performance.now();
    const baselineAt = months.indexOf(definitions[0]!.baselinePeriod);
    const templateIds = indicators.slice(0, TEMPLATES).map((i) => i.id);
    for (const [k, id] of templateIds.entries()) {
      const d = definitions[k]!;
      const points: Array<{ period: string; value: number; disaggregation?: Record<string, string> }> = [];
      for (let s = 0; s <= groups; s++) {
        const values = sliceValues(d, 0x5eed + k * 1_000 + s, months.length, baselineAt);
        months.forEach((period, t) =>
          points.push({ period, value: values[t]!, ...(s > 0 && { disaggregation: { group: groupName(s - 1) } }) }),
        );
      }
      await api.request('PUT', `/api/v1/indicators/${id}/data-points`, { points });
    }
    const templatePutS = (performance.now() - t0) / 1000;
    log(
      `  ${label}: ${indicators.length} indicators created through the API in ${apiS.toFixed(1)} s; ` +
        `${TEMPLATES} templates' ${size.points.toLocaleString('en')} points each by PUT in ${templatePutS.toFixed(1)} s`,
    );

    // ---- 2. the other indicators' points by SQL, one month at a time ----
    t0 = performance.now();
    await loader.query('create temp table scale_map (indicator_id uuid primary key, template_id uuid not null)');
    await loader.query('insert into scale_map select * from unnest($1::uuid[], $2::uuid[])', [
      indicators.slice(TEMPLATES).map((i) => i.id),
      indicators.slice(TEMPLATES).map((i) => templateIds[i.template]!),
    ]);
    const loaderPid = (await loader.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    const loaderTime = () => {
      const fields = fs.readFileSync(`/proc/${loaderPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    };
    const loaderCpu0 = loaderTime();
    let copied = 0;
    for (const [t, period] of months.entries()) {
      // Each month is one write, as a monthly update would be: its own moment, ids in time order (uuid v7).
      const { rowCount } = await loader.query(
        `insert into data_points (
           id, version, initiative_id, indicator_id, period, period_index, disaggregation, disaggregation_key,
           value, note, status, source, obs_status, footnote, flags, valid_from, recorded_by, recorded_how)
         select
           encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing
             substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6),
             52, 1), 53, 1), 'hex')::uuid,
           1, i.initiative_id, m.indicator_id, d.period, d.period_index, d.disaggregation, d.disaggregation_key,
           d.value, d.note, d.status, d.source, d.obs_status, d.footnote, d.flags, clock_timestamp(), d.recorded_by, d.recorded_how
         from scale_map m
         join indicators i on i.id = m.indicator_id
         join data_points d on d.indicator_id = m.template_id and d.valid_to is null and d.period = $1
         order by m.indicator_id, d.disaggregation_key`,
        [period],
      );
      copied += rowCount ?? 0;
      if (t % 10 === 9 || t === months.length - 1)
        log(
          `    copied ${copied.toLocaleString('en')} rows (${period}), ${((performance.now() - t0) / 1000).toFixed(0)} s`,
        );
    }
    const copyS = (performance.now() - t0) / 1000;
    const copyCpuS = (loaderTime() - loaderCpu0) / 1000;
    t0 = performance.now();
    await loader.query('vacuum analyze');
    const vacuumS = (performance.now() - t0) / 1000;
    const rows = Number(
      (await loader.query<{ n: string }>('select count(*) as n from data_points where valid_to is null')).rows[0]!.n,
    );
    if (rows !== size.indicators * size.points)
      throw new Error(`${rows} current points, expected ${size.indicators * size.points}`);
    log(
      `  ${label}: ${copied.toLocaleString('en')} rows copied by SQL in ${copyS.toFixed(1)} s (backend CPU ${copyCpuS.toFixed(1)} s); ` +
        `vacuum analyze ${vacuumS.toFixed(1)} s; ${rows.toLocaleString('en')} current points`,
    );

    // ---- 3. the copies read through the API as their templates ----
    const pointsOf = async (id: string) => {
      const all: Array<Record<string, unknown>> = [];
      let cursor: string | null = null;
      do {
        const page: { items: Array<Record<string, unknown>>; nextCursor: string | null } = await api!.json(
          'GET',
          `/api/v1/indicators/${id}/data-points?slice=all&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return all.map(({ id: _id, indicatorId: _indicator, updatedAt: _at, ...rest }) => JSON.stringify(rest)).sort();
    };
    const copies = indicators.slice(TEMPLATES);
    for (const copy of [copies[0], copies[copies.length - 1]].filter((c) => c !== undefined)) {
      const [mine, theirs] = [await pointsOf(copy.id), await pointsOf(templateIds[copy.template]!)];
      if (mine.length !== size.points || mine.join('\n') !== theirs.join('\n'))
        throw new Error(`indicator ${copy.id} does not read as its template (${mine.length} points)`);
    }
    const flagged = Number(
      (await loader.query<{ n: string }>(`select count(*) as n from data_points where flags <> '[]'`)).rows[0]!.n,
    );
    log(
      `  checked: 2 copied indicators list the same ${size.points.toLocaleString('en')} points as their templates through the API ` +
        `(${((flagged / rows) * 100).toFixed(1)} % of all points carry data-quality flags, as the gate wrote them)`,
    );
    // Load what a running server would have loaded (Vega, fonts) before anything is measured.
    await api.request('GET', `/api/v1/indicators/${templateIds[0]}/chart.svg`);
    await api.close();
    api = null;

    // ---- 4. measured, each on a fresh app ----
    const scorecardId = resultIds[0]!;
    const fresh = async <T>(fn: (a: Api) => Promise<T>, captured?: Captured[]) => {
      const a = await openApp(appUrl, schema);
      try {
        return await measure(admin, appName, () => fn(a), captured);
      } finally {
        await a.close();
      }
    };
    const fits0 = Number((await loader.query<{ n: string }>('select count(*) as n from baseline_fits')).rows[0]!.n);
    const scorecard = (a: Api) => a.request('GET', `/api/v1/results/${scorecardId}/scorecard`).then((b) => b.length);
    const scorecardFirst = await fresh(scorecard);
    const fits1 = Number((await loader.query<{ n: string }>('select count(*) as n from baseline_fits')).rows[0]!.n);
    const captured: Captured[] = [];
    const scorecardCold = await fresh(scorecard, captured);
    // Twice more, each on a fresh app: the spread, and the same read once PostgreSQL's files were just read.
    const scorecardAgain = [scorecardCold, await fresh(scorecard), await fresh(scorecard)];
    // A copied indicator of the scorecard's result: its total's fit is stored, as the scorecard left it.
    const chartId = indicators[Math.min(TEMPLATES + 1, scorecardCount - 1)]!.id;
    const chartSpec = await fresh((a) =>
      a.request('GET', `/api/v1/indicators/${chartId}/chart.vl.json`).then((b) => b.length),
    );
    const chartSvg = await fresh((a) =>
      a.request('GET', `/api/v1/indicators/${chartId}/chart.svg`).then((b) => b.length),
    );
    const chartGroups =
      groups > 0
        ? await fresh((a) =>
            a.request('GET', `/api/v1/indicators/${chartId}/chart.vl.json?view=groups`).then((b) => b.length),
          )
        : null;
    log(
      `  ${label}: scorecard of ${scorecardCount} indicators — first read ever ${scorecardFirst.statements} statements ` +
        `(baseline fits stored ${fits0} → ${fits1}), cold with fits stored ${scorecardCold.statements} statements; ` +
        `chart.vl.json ${chartSpec.statements}, chart.svg ${chartSvg.statements}` +
        (chartGroups ? `, groups view ${chartGroups.statements}` : ''),
    );

    const { csv, rows: importedRows } = importCsv(importRows);
    const importApp = await openApp(appUrl, schema);
    let importMeasured: Measured<number>;
    try {
      const target = await importApp.json('POST', `/api/v1/results/${resultIds[resultIds.length - 1]}/indicators`, {
        name: 'Imported indicator',
        code: 'IMPORTED',
        unit: 'percent',
        polarity: 'higher_is_better',
        frequency: 'monthly',
        outcomeId: null,
        level: 'population',
        dimensions: [{ name: 'group', values: Array.from({ length: IMPORT_GROUPS }, (_, g) => groupName(g)) }],
      });
      importMeasured = await measure(admin, appName, async () => {
        const report = JSON.parse(
          await importApp.request('POST', `/api/v1/indicators/${target.id}/data-points/import`, csv, 'text/csv'),
        ) as { inserted: number };
        if (report.inserted !== importedRows) throw new Error(`imported ${report.inserted} of ${importedRows} rows`);
        return report.inserted;
      });
    } finally {
      await importApp.close();
    }

    // ---- 5. size, and the scorecard's slowest read ----
    const sizeRow = (
      await loader.query<{ table: string; indexes: string; database: string }>(
        `select pg_table_size('data_points') as table, pg_indexes_size('data_points') as indexes,
           (select sum(pg_total_relation_size(c.oid)) from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = $1 and c.relkind in ('r', 'm')) as database`,
        [schema],
      )
    ).rows[0]!;
    const sizes = {
      table: Number(sizeRow.table),
      indexes: Number(sizeRow.indexes),
      database: Number(sizeRow.database),
    };
    const slowest = [...captured].sort((a, b) => b.ms - a.ms);
    const read = slowest.find((s) => /^\s*(select|with)\b/i.test(s.text));
    const explain = read
      ? (
          await loader.query<{ 'QUERY PLAN': string }>(
            `explain (analyze, buffers, costs off) ${read.text}`,
            read.values as unknown[],
          )
        ).rows
          .map((r) =>
            r['QUERY PLAN'].replace(
              /'\{[0-9a-f-]{36}(,[0-9a-f-]{36})*\}'/g,
              (ids) => `'{${ids.split(',').length} ids}'`,
            ),
          )
          .join('\n')
      : '(no read captured)';
    return {
      size,
      groups,
      rows,
      setup: { apiS, templatePutS, copyS, copyCpuS, vacuumS },
      scorecardIndicators: scorecardCount,
      scorecardFirst,
      scorecardCold,
      scorecardAgain,
      chartSpec,
      chartSvg,
      chartGroups,
      importRows: importedRows,
      importMeasured,
      sizes,
      slowest,
      explain,
    };
  } finally {
    if (api) await api.close().catch(() => undefined);
    await loader.end().catch(() => undefined);
    if (process.env.BENCH_SCALE_KEEP === '1') log(`  kept schema ${schema} (BENCH_SCALE_KEEP=1): drop it when done`);
    else await admin.query(`drop schema if exists "${schema}" cascade`);
    await admin.end();
  }
}

// ---------- report ----------

const s = (ms: number) =>
  ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;

function table(small: SizeReport, large: SizeReport): string {
  const head = (r: SizeReport) =>
    `${r.size.indicators.toLocaleString('en')} × ${r.size.points.toLocaleString('en')} (${r.rows.toLocaleString('en')} rows)`;
  const cell = (m: Measured<unknown>) =>
    `${m.statements} stmts; ${s(m.wallMs)} wall, ${s(m.cpuMs)} app CPU, ${s(m.dbCpuMs)} db CPU`;
  const runs = (ms: Measured<unknown>[]) =>
    ms.map((m) => `${s(m.wallMs)} (CPU ${s(m.cpuMs)} + db ${s(m.dbCpuMs)})`).join(', ');
  const lines: Array<[string, string, string]> = [
    ['', head(small), head(large)],
    [`scorecard, first read (fits made)`, cell(small.scorecardFirst), cell(large.scorecardFirst)],
    [`scorecard, cold (fits stored)`, cell(small.scorecardCold), cell(large.scorecardCold)],
    [`  the same, 3 fresh apps: wall`, runs(small.scorecardAgain), runs(large.scorecardAgain)],
    ['chart.vl.json', cell(small.chartSpec), cell(large.chartSpec)],
    ['chart.svg', cell(small.chartSvg), cell(large.chartSvg)],
    [
      'chart.vl.json?view=groups',
      small.chartGroups ? cell(small.chartGroups) : '—',
      large.chartGroups ? cell(large.chartGroups) : '—',
    ],
    [`import ${large.importRows.toLocaleString('en')} rows`, cell(small.importMeasured), cell(large.importMeasured)],
    [
      'data_points: table + indexes',
      `${mb(small.sizes.table)} + ${mb(small.sizes.indexes)}`,
      `${mb(large.sizes.table)} + ${mb(large.sizes.indexes)}`,
    ],
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...lines.map((l) => l[c]!.length)));
  return lines
    .map((l, i) => {
      const text = l.map((c, j) => c.padEnd(widths[j]!)).join(' │ ');
      return i === 0 ? `${text}\n${widths.map((w) => '─'.repeat(w)).join('─┼─')}` : text;
    })
    .join('\n');
}

export async function benchScale(options: { url: string; log?: (line: string) => void }) {
  const log = options.log ?? console.log;
  const large: ScaleSize = {
    indicators: envInt('BENCH_SCALE_INDICATORS', 1_000),
    points: envInt('BENCH_SCALE_POINTS', 10_000),
    periods: envInt('BENCH_SCALE_PERIODS', 100),
  };
  const smallPoints = envInt('BENCH_SCALE_SMALL_POINTS', 100);
  const small: ScaleSize = {
    indicators: envInt('BENCH_SCALE_SMALL_INDICATORS', SCORECARD_INDICATORS),
    points: smallPoints,
    periods: Math.min(large.periods, smallPoints),
  };
  const importRows = envInt('BENCH_SCALE_IMPORT_ROWS', 100_000);
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  log(
    `scale: Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
  const reports: SizeReport[] = [];
  for (const size of [small, large]) {
    log(`scale: ${size.indicators.toLocaleString('en')} indicators × ${size.points.toLocaleString('en')} points`);
    reports.push(await runSize(options.url, size, importRows, log));
  }
  const [smallReport, largeReport] = reports as [SizeReport, SizeReport];
  log('');
  log(table(smallReport, largeReport));
  log('');
  log(
    `scorecard statements (cold, fits stored), slowest first: ` +
      largeReport.slowest
        .slice(0, 6)
        .map((c) => `${c.ms.toFixed(0)} ms ${c.text.replace(/\s+/g, ' ').slice(0, 70)}`)
        .join(' | '),
  );
  log(`EXPLAIN (ANALYZE, BUFFERS) of the scorecard's slowest read, large size:\n${largeReport.explain}`);
  const constant = (pick: (r: SizeReport) => Measured<unknown> | null) =>
    pick(smallReport)?.statements === pick(largeReport)?.statements;
  log('');
  log(
    `statement counts equal at both sizes: scorecard ${constant((r) => r.scorecardFirst) && constant((r) => r.scorecardCold)}, ` +
      `charts ${constant((r) => r.chartSpec) && constant((r) => r.chartSvg)}, import ${constant((r) => r.importMeasured)}`,
  );
  const cpu = process.cpuUsage(cpu0);
  log(
    `total ${((performance.now() - started) / 1000).toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU of this process; ` +
      `load average now ${os.loadavg()[0]!.toFixed(1)}`,
  );
  return reports;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchScale({ url: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' }).then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

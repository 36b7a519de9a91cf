/**
 * Stored baseline fits (docs/methodology.md §3). The baseline forecast is frozen at the baseline period, so
 * its fitted model depends only on: the engine version, the forecast method, the bounds, the calendar, the
 * baseline period and the history up to it (from the latest break in series on). Those inputs are hashed into a fit key per slice (a slice's key
 * also covers the total's, whose model it follows); a stored model whose key still matches is reused, any
 * other is refitted. Refits of the current data are stored; a read `asOf` an earlier moment never writes
 * (its vintage of the history may differ — then it is refitted, and the stored fit stays the current one).
 */
import { createHash } from 'node:crypto';
import { latestBreakAtOrBefore, resolveBounds } from '../engine/baseline-forecast.ts';
import { analyzeIndicatorWithFits, sliceKey } from '../engine/analyze-indicator.ts';
import type { BaselineModelResult } from '../engine/forecast-model.ts';
import { indexSeries, resolveBaselinePeriod } from '../engine/level-change.ts';
import { periodIndex } from '../engine/periods.ts';
import type { EngineIndicator, IntervalLevel, ObservedPoint } from '../engine/series.ts';
import type { IndicatorAnalysis, Slice } from '../engine/types.ts';
import { ENGINE_VERSION } from '../engine/version.ts';
import type { Db } from '../dependencies.ts';
import { saveFits, storedFitsOf, type FitToStore, type StoredFit } from '../repositories/baseline-fits.ts';

export interface FitSubject {
  initiativeId: string;
  indicatorId: string;
  indicator: EngineIndicator;
  points: ObservedPoint[];
}

/** The engine step: analyse one indicator given the fits that still apply; answers the analysis and every fit. */
export type AnalyzeWithFits = (
  subject: FitSubject,
  options: { level: IntervalLevel; baselineModels: Map<string, BaselineModelResult> },
) => Promise<{ analysis: IndicatorAnalysis; fits: Map<string, BaselineModelResult | null> }>;

/** On this thread: right for many small series (a scorecard), where a worker's copying would cost more. */
export const analyzeHere: AnalyzeWithFits = async (s, options) =>
  analyzeIndicatorWithFits(s.indicator, s.points, options);

/**
 * Analyses each indicator with its stored fits where they still apply, and stores the fits it had to redo
 * (two queries in all, whatever the number of indicators: one read, at most one write). `engine` runs the
 * analysis: here (default) or in the worker thread (off-loop.ts) for one indicator's possibly heavy series.
 */
export async function analyzeWithStoredFits(
  db: Db,
  subjects: readonly FitSubject[],
  { level, asOf }: { level: IntervalLevel; asOf: Date | null },
  engine: AnalyzeWithFits = analyzeHere,
): Promise<IndicatorAnalysis[]> {
  return withFitsOf(db, subjects, asOf, async (stored, keep) => {
    const analyses: IndicatorAnalysis[] = [];
    for (const s of subjects) {
      const { keys, reusable } = reusableFits(s.indicator, s.points, stored.get(s.indicatorId));
      const { analysis, fits } = await engine(s, { level, baselineModels: reusable });
      keep(s, refitsOf(fits, keys, reusable));
      analyses.push(analysis);
    }
    return analyses;
  });
}

/**
 * Reads the subjects' stored fits (one query), runs `analyse` with them and stores the refits it `keep`s
 * (one query at most; only for the current data: a read `asOf` an earlier moment never writes).
 */
async function withFitsOf<T>(
  db: Db,
  subjects: readonly FitSubject[],
  asOf: Date | null,
  analyse: (
    stored: Map<string, Map<string, StoredFit>>,
    keep: (subject: FitSubject, refits: readonly Refit[]) => void,
  ) => Promise<T>,
): Promise<T> {
  const stored = await storedFitsOf(
    db,
    subjects.map((s) => s.indicatorId),
  );
  const toStore: FitToStore[] = [];
  const done = await analyse(stored, ({ initiativeId, indicatorId }, refits) => {
    if (asOf === null) for (const refit of refits) toStore.push({ initiativeId, indicatorId, ...refit });
  });
  await saveFits(db, toStore);
  return done;
}

/** A fit the analysis had to redo, to store: its slice, its fit key and the model. */
export type Refit = Pick<FitToStore, 'sliceKey' | 'fitKey' | 'model'>;

/** The fit key of each slice, and the stored fits whose key still matches (reused, not refitted). */
function reusableFits(
  indicator: EngineIndicator,
  points: readonly ObservedPoint[],
  stored: ReadonlyMap<string, StoredFit> | undefined,
): { keys: Map<string, string>; reusable: Map<string, BaselineModelResult> } {
  const keys = fitKeys(indicator, points);
  const reusable = new Map<string, BaselineModelResult>();
  for (const [slice, key] of keys) {
    const row = stored?.get(slice);
    if (row && row.fitKey === key) reusable.set(slice, row.model as BaselineModelResult);
  }
  return { keys, reusable };
}

function refitsOf(
  fits: ReadonlyMap<string, BaselineModelResult | null>,
  keys: ReadonlyMap<string, string>,
  reusable: ReadonlyMap<string, BaselineModelResult>,
): Refit[] {
  const refits: Refit[] = [];
  for (const [slice, fit] of fits)
    if (fit !== null && !reusable.has(slice)) refits.push({ sliceKey: slice, fitKey: keys.get(slice)!, model: fit });
  return refits;
}

/**
 * One indicator's analysis with its stored fits (those whose key still matches), and the fits it had to
 * redo: all of `analyzeWithStoredFits` but the database, for the worker thread (off-loop-tasks.ts).
 */
export function analyzeWithFitsGiven(
  indicator: EngineIndicator,
  points: ObservedPoint[],
  stored: ReadonlyMap<string, StoredFit> | undefined,
  level: IntervalLevel,
): { analysis: IndicatorAnalysis; refits: Refit[] } {
  const { keys, reusable } = reusableFits(indicator, points, stored);
  const { analysis, fits } = analyzeIndicatorWithFits(indicator, points, { level, baselineModels: reusable });
  return { analysis, refits: refitsOf(fits, keys, reusable) };
}

/**
 * Runs `task` — which analyses one indicator elsewhere (the worker thread) with the stored fits it is given
 * and answers the fits it redid — between the read of those fits and the store of its refits (only for
 * the current data: a read `asOf` an earlier moment never writes). Two queries at most, as above.
 */
export async function withStoredFits<T extends { refits: Refit[] }>(
  db: Db,
  subject: { initiativeId: string; indicatorId: string },
  asOf: Date | null,
  task: (stored: Array<[string, StoredFit]>) => Promise<T>,
): Promise<T> {
  const stored = (await storedFitsOf(db, [subject.indicatorId])).get(subject.indicatorId);
  const done = await task([...(stored ?? [])]);
  if (asOf === null)
    await saveFits(
      db,
      done.refits.map((refit) => ({ ...subject, ...refit })),
    );
  return done;
}

/** One indicator's series with its stored fits given (read on the main thread), to analyse elsewhere. */
export interface GivenFitsSubject {
  indicator: EngineIndicator;
  points: ObservedPoint[];
  storedFits: Array<[string, StoredFit]>;
}

/** An indicator's total slice and the fits its analysis had to redo. */
export interface TotalWithRefits {
  total: Slice;
  refits: Refit[];
}

/** The total slice of each subject (a scorecard's line), analysed with its stored fits given: here or in the worker. */
export function totalsWithFitsGiven(subjects: readonly GivenFitsSubject[], level: IntervalLevel): TotalWithRefits[] {
  return subjects.map(({ indicator, points, storedFits }) => {
    const { analysis, refits } = analyzeWithFitsGiven(indicator, points, new Map(storedFits), level);
    return { total: analysis.total, refits };
  });
}

/**
 * The total slices of many indicators (a scorecard), as `analyzeWithStoredFits` would answer them — the
 * same two queries at most, whatever the number of indicators — with the analyses made by `analyse`, a batch
 * of at most `batchPoints` points at a time (the worker thread: the event loop turns between batches, and
 * no single copy between the threads is large).
 */
export async function totalsWithStoredFits(
  db: Db,
  subjects: readonly FitSubject[],
  { asOf, batchPoints }: { asOf: Date | null; batchPoints: number },
  analyse: (batch: GivenFitsSubject[]) => Promise<TotalWithRefits[]>,
): Promise<Slice[]> {
  return withFitsOf(db, subjects, asOf, async (stored, keep) => {
    const totals: Slice[] = [];
    for (const batch of batchesOf(subjects, batchPoints)) {
      const given = batch.map((s) => ({
        indicator: s.indicator,
        points: s.points,
        storedFits: [...(stored.get(s.indicatorId) ?? [])],
      }));
      for (const [i, { total, refits }] of (await analyse(given)).entries()) {
        keep(batch[i]!, refits);
        totals.push(total);
      }
    }
    return totals;
  });
}

/** Consecutive runs of subjects of at most `points` points in all (one alone may have more). */
function* batchesOf(subjects: readonly FitSubject[], points: number): Generator<FitSubject[]> {
  let batch: FitSubject[] = [];
  let size = 0;
  for (const s of subjects) {
    if (batch.length > 0 && size + s.points.length > points) {
      yield batch;
      batch = [];
      size = 0;
    }
    batch.push(s);
    size += s.points.length;
  }
  if (batch.length > 0) yield batch;
}

/**
 * The fit key of every slice of the points: SHA-256 of the JSON of what the fit depends on.
 *
 * @example fitKeys(indicator, points) // Map { '[]' => 'e3b0…', '[["sex","F"]]' => '9f86…' }
 */
export function fitKeys(indicator: EngineIndicator, points: readonly ObservedPoint[]): Map<string, string> {
  const bySlice = new Map<string, ObservedPoint[]>();
  for (const p of points) {
    const key = sliceKey(p.disaggregation);
    const list = bySlice.get(key);
    if (list) list.push(p);
    else bySlice.set(key, [p]);
  }
  const totalKey = sliceKey({});
  const total = indexSeries(bySlice.get(totalKey) ?? [], indicator);
  const baseline = resolveBaselinePeriod(indicator.baselinePeriod, total).period;
  const xb = baseline === null ? null : periodIndex(baseline, indicator);
  // The history a slice's model is fitted on: its points up to b, from its latest break in series on
  // (baseline-forecast.ts), and that break: adding or removing a break changes the key.
  const historyOf = (list: readonly ObservedPoint[]): { breakAt: number | null; points: Array<[string, number]> } => {
    if (xb === null) return { breakAt: null, points: [] };
    const indexed = indexSeries(
      list.map((p) => ({ period: p.period, value: p.value })),
      indicator,
    );
    const breakAt = latestBreakAtOrBefore(
      list.filter((p) => p.obsStatus === 'B').map((p) => periodIndex(p.period, indicator)),
      xb,
    );
    return {
      breakAt,
      points: indexed.filter((p) => p.x <= xb && (breakAt === null || p.x >= breakAt)).map((p) => [p.period, p.value]),
    };
  };
  const common = {
    engine: ENGINE_VERSION,
    forecast: indicator.forecast ?? null,
    bounds: resolveBounds(indicator.unit, indicator.bounds),
    frequency: indicator.frequency,
    yearStartMonth: indicator.yearStartMonth ?? null,
    baseline,
  };
  const totalFit = hash({ ...common, history: historyOf(bySlice.get(totalKey) ?? []) });
  const out = new Map<string, string>([[totalKey, totalFit]]);
  for (const [key, list] of bySlice) {
    if (key !== totalKey) out.set(key, hash({ total: totalFit, slice: key, history: historyOf(list) }));
  }
  return out;
}

const hash = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * The data-quality gate (docs/data-quality.md): the one place where every write of data points — the JSON
 * batch, a single-point PATCH, a CSV import and its dry run — is checked against the indicators' rules and
 * the built-in checks. It runs inside the write's transaction, between the merge's plan and its writes
 * (repositories/point-merge.ts `mergeStage`):
 *
 *  1. reads the planned versions whose value or observation status changes, or that acknowledge warnings;
 *  2. builds each indicator's series as it would stand after the write (and those of indicators its `compare`
 *     rules name), and the baseline forecast's 95 % band where a written period lies after the baseline;
 *  3. checks each changed value (domain/quality-checks.ts): a broken `error` refuses the whole write (422
 *     `rule_violation`, nothing written); warnings become the version's flags, acknowledged where the write
 *     acknowledges their code with a comment; with the initiative's `quality.warnings = "block"` an
 *     unacknowledged warning refuses the write too (422 `needs_acknowledgement`);
 *  4. sets the flags in the plan. A version whose value does not change keeps its stored flags, with any newly
 *     acknowledged ones marked (acknowledging later writes a new version, so the history shows who and when).
 */
import type { FlagJson, IndicatorRow } from '../../schema/database.ts';
import type { QualityWarning } from '../../schema/contracts/data-quality.ts';
import {
  acknowledgeFlags,
  checkSums,
  checkValue,
  qualityIndicatorOf,
  stateOf,
  toFlags,
  type Candidate,
  type Finding,
  type ForecastBand,
  type IndicatorState,
} from '../domain/quality-checks.ts';
import { toEngineIndicator } from '../domain/engine-input.ts';
import { periodIndex } from '../engine/periods.ts';
import { disaggregationKey } from '../domain/indicator-rules.ts';
import { UnprocessableError, type FieldProblem } from '../errors.ts';
import { setPlannedFlags, type MergeGate } from '../repositories/point-merge.ts';
import {
  currentPointsOf,
  gatedSlices,
  indicatorsWithQuality,
  readGatedPlan,
  type GatedPlanRow,
  type StateRow,
} from '../repositories/quality.ts';
import { analyzeWithStoredFits } from './stored-fits.ts';

/** The write's transaction, as the merge hands it to its gate. */
type Transaction = Parameters<MergeGate>[0];

/** The level of the band `outside_forecast` checks against. */
const BAND_LEVEL = 0.95;

export interface GateOptions {
  actor: string;
  /** Names a planned point in the caller's input: `points.3`, `rows.12`. */
  pathOf: (ordinal: number) => string;
  /** A dry run: problems are reported (in `GateReport`), never thrown. */
  dryRun?: boolean;
}

/** One finding of the gate, on the planned point `ordinal`. */
export type GateFinding = QualityWarning & { ordinal: number };

/** What the gate found, one entry per point and check. */
export interface GateReport {
  /** The first 10,000 of each; `errorCount` and `warningCount` count them all. */
  errors: GateFinding[];
  warnings: GateFinding[];
  /** Warnings the write acknowledged (in `warnings` too). */
  acknowledged: number;
  errorCount: number;
  warningCount: number;
  /** Unacknowledged warnings that refuse the write (the initiative blocks them): the first 10,000, and all counted. */
  blocking: GateFinding[];
  blockingCount: number;
}

function toStateInput(
  row: Pick<StateRow, 'key' | 'disaggregation' | 'periodIndex' | 'period' | 'value' | 'obsStatus'>,
) {
  return {
    key: row.key,
    disaggregation: row.disaggregation,
    periodIndex: row.periodIndex,
    period: row.period,
    value: row.value,
    obsStatus: row.obsStatus,
  };
}

/**
 * The baseline forecast's 95 % band by slice and period, for an indicator whose written periods lie after
 * its baseline period (the only periods the baseline forecasts); empty otherwise, at no cost.
 */
async function bandsOf(
  trx: Transaction,
  indicator: IndicatorRow,
  state: IndicatorState,
  candidates: readonly Candidate[],
): Promise<Map<string, Map<string, ForecastBand>>> {
  const bands = new Map<string, Map<string, ForecastBand>>();
  const engineIndicator = toEngineIndicator(indicator);
  const total = state.slices.get('{}')?.points ?? [];
  const baseline = indicator.baselinePeriod ?? total.find((p) => p.value !== null)?.period;
  if (!baseline) return bands;
  const calendar = { frequency: indicator.frequency, yearStartMonth: indicator.yearStartMonth };
  let baselineIndex: number;
  try {
    baselineIndex = periodIndex(baseline, calendar);
  } catch {
    return bands;
  }
  if (!candidates.some((c) => c.value !== null && c.periodIndex > baselineIndex)) return bands;
  const points = [...state.slices.values()].flatMap((slice) =>
    slice.points
      .filter((p) => p.value !== null)
      .map((p) => ({
        period: p.period,
        value: p.value!,
        disaggregation: slice.disaggregation,
        obsStatus: p.obsStatus,
      })),
  );
  const [analysis] = await analyzeWithStoredFits(
    trx,
    [{ initiativeId: indicator.initiativeId, indicatorId: indicator.id, indicator: engineIndicator, points }],
    { level: BAND_LEVEL, asOf: null },
  );
  if (!analysis) return bands;
  const slices = [
    { key: '{}', forecast: analysis.total.forecast },
    ...analysis.slices.map((s) => ({ key: disaggregationKey(s.disaggregation), forecast: s.forecast })),
  ];
  for (const { key, forecast } of slices) {
    const byPeriod = new Map<string, ForecastBand>();
    for (const p of forecast.points)
      if (p.lower !== null && p.upper !== null)
        byPeriod.set(p.period, { value: p.value, lower: p.lower, upper: p.upper });
    if (byPeriod.size > 0) bands.set(key, byPeriod);
  }
  return bands;
}

/** Planned points checked together: whole slices, about this many (a slice is never split: it is one history). */
const BATCH_ROWS = 20_000;
/**
 * Up to this many checked points of an indicator, its written slices and its total are checked in one batch,
 * with the baseline forecast's band (`outside_forecast`; the analysis reads those slices). A larger write (a bulk
 * load of history) is checked in batches of whole slices in bounded memory, without `outside_forecast`: the
 * other checks judge a history. An indicator with `sum` rules is read whole (the rule compares its slices).
 */
const WHOLE_INDICATOR_ROWS = 50_000;
/** What a write with nothing to check gets. */
export const EMPTY_REPORT: GateReport = {
  errors: [],
  warnings: [],
  acknowledged: 0,
  errorCount: 0,
  warningCount: 0,
  blocking: [],
  blockingCount: 0,
};

/** Findings listed in an answer; the rest are counted. */
const MAX_LISTED = 10_000;

/** The slices of an indicator's gated points, in batches of whole slices of about `BATCH_ROWS` points. */
function batchesOf(slices: ReadonlyArray<{ key: string; rows: number }>): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  let size = 0;
  for (const slice of slices) {
    if (batch.length > 0 && size + slice.rows > BATCH_ROWS) {
      batches.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(slice.key);
    size += slice.rows;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** An indicator's series after the write (of some slices, or all when `keys` is null): stored, then planned. */
async function stateAfterWrite(
  trx: Transaction,
  indicatorId: string,
  keys: readonly string[] | null,
  planned: readonly GatedPlanRow[] | null,
): Promise<IndicatorState> {
  const stored = await currentPointsOf(trx, [indicatorId], undefined, keys ?? undefined);
  const rows = planned ?? (await readGatedPlan(trx, indicatorId, keys));
  const points = stored.map(toStateInput);
  for (const row of rows) if (row.recheck) points.push(toStateInput(row));
  return stateOf(points);
}

/** Collects findings: every one counted, the first `MAX_LISTED` of each kind kept. */
class Findings {
  readonly errors: FieldProblem[] = [];
  readonly errorFindings: GateFinding[] = [];
  readonly warnings: GateFinding[] = [];
  readonly blocking: FieldProblem[] = [];
  readonly blockingFindings: GateFinding[] = [];
  errorCount = 0;
  warningCount = 0;
  blockingCount = 0;
  acknowledged = 0;

  error(finding: GateFinding): void {
    this.errorCount++;
    if (this.errors.length >= MAX_LISTED) return;
    this.errors.push({ field: finding.path, code: finding.code, message: finding.message, severity: 'error' });
    this.errorFindings.push(finding);
  }

  warning(finding: GateFinding, blocks: boolean): void {
    this.warningCount++;
    if (finding.acknowledged) this.acknowledged++;
    if (this.warnings.length < MAX_LISTED) this.warnings.push(finding);
    if (!blocks || finding.acknowledged) return;
    this.blockingCount++;
    if (this.blocking.length >= MAX_LISTED) return;
    this.blocking.push({ field: finding.path, code: finding.code, message: finding.message, severity: 'warning' });
    this.blockingFindings.push(finding);
  }
}

/** " (and N more not listed)" when a list was cut. */
function more(listed: number, count: number): string {
  return count > listed ? ` (${count - listed} more not listed)` : '';
}

/**
 * Checks the planned merge and sets each version's flags (see the module comment), indicator by indicator, in
 * batches of whole slices. Throws UnprocessableError `rule_violation` / `needs_acknowledgement` unless
 * `dryRun`; answers what it found.
 */
export async function runQualityGate(trx: Transaction, options: GateOptions): Promise<GateReport> {
  const slices = await gatedSlices(trx);
  if (slices.length === 0) return EMPTY_REPORT;
  const slicesOf = new Map<string, Array<{ key: string; rows: number }>>();
  for (const { indicatorId, key, rows } of slices) {
    const list = slicesOf.get(indicatorId) ?? [];
    list.push({ key, rows });
    slicesOf.set(indicatorId, list);
  }
  const indicators = await indicatorsWithQuality(trx, [...slicesOf.keys()]);
  const compared = [
    ...new Set(indicators.flatMap((i) => i.rules.flatMap((r) => (r.kind === 'compare' ? [r.otherIndicatorId] : [])))),
  ];
  const labels = new Map((await indicatorsWithQuality(trx, compared)).map((o) => [o.id, o.code ?? o.name]));
  const findings = new Findings();
  let flagging: Promise<void> = Promise.resolve();

  for (const indicator of indicators) {
    const mine = slicesOf.get(indicator.id)!;
    const gated = mine.reduce((sum, s) => sum + s.rows, 0);
    const hasSums = indicator.rules.some((r) => r.kind === 'sum');
    const small = gated <= WHOLE_INDICATOR_ROWS;
    const checks = qualityIndicatorOf(indicator);
    // Only the written slices (and the total, whose history sets the baseline), unless sum rules need them all.
    const batches = hasSums ? [null] : small ? [[...new Set([...mine.map((m) => m.key), '{}'])]] : batchesOf(mine);
    const load = async (keys: string[] | null) => {
      const rows = await readGatedPlan(trx, indicator.id, keys);
      const state = await stateAfterWrite(trx, indicator.id, keys, rows);
      // Other indicators of `compare` rules: the same slices, as they stand after this write.
      const others = new Map<string, { label: string; state: IndicatorState }>();
      for (const id of compared)
        if (indicator.rules.some((r) => r.kind === 'compare' && r.otherIndicatorId === id))
          others.set(id, { label: labels.get(id) ?? id, state: await stateAfterWrite(trx, id, keys, null) });
      return { rows, state, others };
    };
    let next: ReturnType<typeof load> | null = load(batches[0] ?? null);
    for (let b = 0; b < batches.length; b++) {
      const { rows, state, others } = await next!;
      // The next batch is read while this one is checked: the database works while JavaScript checks.
      next = b + 1 < batches.length ? load(batches[b + 1] ?? null) : null;
      next?.catch(() => undefined); // awaited in the next turn; an early failure is not "unhandled"
      const candidates = rows.filter((r) => r.recheck);
      const bands = small ? await bandsOf(trx, indicator, state, candidates) : undefined;
      const sums = hasSums ? checkSums(checks, candidates, state) : new Map<number, Finding[]>();
      const flagsToSet: Array<{ ordinal: number; flags: FlagJson[] }> = [];
      for (const row of rows) {
        const path = options.pathOf(row.ordinal);
        const acks = row.acknowledge ?? [];
        let flags: FlagJson[];
        if (row.recheck) {
          const found: Finding[] = [
            ...checkValue(checks, row, state, { others, ...(bands && { bands }) }),
            ...(sums.get(row.ordinal) ?? []),
          ];
          for (const f of found)
            if (f.severity === 'error') findings.error({ ordinal: row.ordinal, path, ...f, acknowledged: false });
          flags = toFlags(
            found.filter((f) => f.severity === 'warning'),
            acks,
            options.actor,
          );
        } else {
          flags = acknowledgeFlags(row.oldFlags, acks, options.actor);
        }
        for (const { code, message, acknowledged } of flags)
          findings.warning(
            { ordinal: row.ordinal, path, code, severity: 'warning', message, acknowledged },
            // Flags a value already had were accepted when it was written: acknowledging one of them alone is fine.
            indicator.warningMode === 'block' && row.recheck,
          );
        if (flags.length > 0 || !row.recheck) flagsToSet.push({ ordinal: row.ordinal, flags });
      }
      if (!options.dryRun && findings.errorCount === 0 && findings.blockingCount === 0) {
        // Sent while the next batch is checked; at most one in flight.
        await flagging;
        flagging = setPlannedFlags(trx, flagsToSet);
        flagging.catch(() => undefined);
      }
    }
  }
  await flagging;

  const report: GateReport = {
    errors: findings.errorFindings,
    // Unacknowledged warnings first: they are the ones someone still has to look at (the sort is stable).
    warnings: findings.warnings.sort((a, b) => Number(a.acknowledged) - Number(b.acknowledged)),
    acknowledged: findings.acknowledged,
    errorCount: findings.errorCount,
    warningCount: findings.warningCount,
    blocking: findings.blockingFindings,
    blockingCount: findings.blockingCount,
  };
  if (options.dryRun) return report;
  if (findings.errorCount > 0) {
    const n = findings.errorCount;
    throw new UnprocessableError(
      'rule_violation',
      `${n} value${n === 1 ? ' breaks a rule' : 's break rules'} of the indicator${more(findings.errors.length, n)}; nothing was written.`,
      findings.errors,
      { listProblems: 5 },
    );
  }
  if (findings.blockingCount > 0) {
    const n = findings.blockingCount;
    throw new UnprocessableError(
      'needs_acknowledgement',
      `${n} warning${n === 1 ? '' : 's'} must be acknowledged with a comment before these values are saved (this initiative blocks unacknowledged warnings)${more(findings.blocking.length, n)}; nothing was written.`,
      findings.blocking,
      { listProblems: 5 },
    );
  }
  return report;
}

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
  errors: GateFinding[];
  warnings: GateFinding[];
  /** Warnings the write acknowledged (in `warnings` too). */
  acknowledged: number;
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

/**
 * Checks the planned merge and sets each version's flags (see the module comment). Throws UnprocessableError
 * `rule_violation` / `needs_acknowledgement` unless `dryRun`; answers what it found.
 */
export async function runQualityGate(trx: Transaction, options: GateOptions): Promise<GateReport> {
  const report: GateReport = { errors: [], warnings: [], acknowledged: 0 };
  const planned = await readGatedPlan(trx);
  if (planned.length === 0) return report;

  const byIndicator = new Map<string, GatedPlanRow[]>();
  for (const row of planned) {
    const list = byIndicator.get(row.indicatorId) ?? [];
    list.push(row);
    byIndicator.set(row.indicatorId, list);
  }
  const indicators = await indicatorsWithQuality(trx, [...byIndicator.keys()]);
  const otherIds = indicators.flatMap((i) =>
    i.rules.flatMap((r) => (r.kind === 'compare' && !byIndicator.has(r.otherIndicatorId) ? [r.otherIndicatorId] : [])),
  );
  const others = await indicatorsWithQuality(trx, otherIds);
  const stored = await currentPointsOf(trx, [...byIndicator.keys(), ...others.map((o) => o.id)]);
  const storedBy = new Map<string, StateRow[]>();
  for (const row of stored) {
    const list = storedBy.get(row.indicatorId) ?? [];
    list.push(row);
    storedBy.set(row.indicatorId, list);
  }
  // Each indicator's series after the write: stored points, overlaid with the planned ones.
  const states = new Map<string, { label: string; state: IndicatorState }>();
  for (const indicator of [...indicators, ...others]) {
    const points = (storedBy.get(indicator.id) ?? []).map(toStateInput);
    for (const row of byIndicator.get(indicator.id) ?? []) if (row.recheck) points.push(toStateInput(row));
    states.set(indicator.id, { label: indicator.code ?? indicator.name, state: stateOf(points) });
  }

  const flagsToSet: Array<{ ordinal: number; flags: FlagJson[] }> = [];
  const found: GateFinding[] = [];
  const errorFindings: GateFinding[] = [];
  const blocking: FieldProblem[] = [];
  const errors: FieldProblem[] = [];
  for (const indicator of indicators) {
    const rows = byIndicator.get(indicator.id)!;
    const { state } = states.get(indicator.id)!;
    const checks = qualityIndicatorOf(indicator);
    const candidates = rows.filter((r) => r.recheck);
    const bands = await bandsOf(trx, indicator, state, candidates);
    const sums = checkSums(checks, candidates, state);
    for (const row of rows) {
      const path = options.pathOf(row.ordinal);
      const acks = row.acknowledge ?? [];
      let flags: FlagJson[];
      if (row.recheck) {
        const findings: Finding[] = [
          ...checkValue(checks, row, state, { others: states, bands }),
          ...(sums.get(row.ordinal) ?? []),
        ];
        for (const f of findings.filter((f) => f.severity === 'error')) {
          errors.push({ field: path, code: f.code, message: f.message, severity: 'error' });
          errorFindings.push({ ordinal: row.ordinal, path, ...f, acknowledged: false });
        }
        flags = toFlags(
          findings.filter((f) => f.severity === 'warning'),
          acks,
          options.actor,
        );
      } else {
        flags = acknowledgeFlags(row.oldFlags, acks, options.actor);
      }
      for (const flag of flags) {
        const { code, message, acknowledged } = flag;
        found.push({ ordinal: row.ordinal, path, code, severity: 'warning', message, acknowledged });
        if (acknowledged) report.acknowledged++;
        else if (indicator.warningMode === 'block') blocking.push({ field: path, code, message, severity: 'warning' });
      }
      if (flags.length > 0 || !row.recheck) flagsToSet.push({ ordinal: row.ordinal, flags });
    }
  }
  report.errors = errorFindings;
  // Unacknowledged warnings first: they are the ones someone still has to look at (the sort is stable).
  report.warnings = found.sort((a, b) => Number(a.acknowledged) - Number(b.acknowledged));
  if (options.dryRun) return report;
  if (errors.length > 0) {
    throw new UnprocessableError(
      'rule_violation',
      `${errors.length} value${errors.length === 1 ? ' breaks a rule' : 's break rules'} of the indicator; nothing was written.`,
      errors,
      { listProblems: 5 },
    );
  }
  if (blocking.length > 0) {
    throw new UnprocessableError(
      'needs_acknowledgement',
      `${blocking.length} warning${blocking.length === 1 ? '' : 's'} must be acknowledged with a comment before these values are saved (this initiative blocks unacknowledged warnings); nothing was written.`,
      blocking,
      { listProblems: 5 },
    );
  }
  await setPlannedFlags(trx, flagsToSet);
  return report;
}

/**
 * Anhøj's longest-run rule (docs/methodology.md §4) against the qicharts2 author's stored reference outputs
 * (anhoej/qicharts2 v0.8.1, commit 1b9487ecb3938d25a8a04578464f960d3a064f64: tests/testthat/hai_*.rds and
 * ex_6.5_3.rds, data hospital_infections and Montgomery Example 6.5), read from
 * test/fixtures/reference/anhoej-runs-qicharts2.json (the shared reference set's file, copied unchanged:
 * test/reference-fixtures.test.ts checks the copy), never retyped.
 *
 * qicharts2 compares each point with a centre line CL; the engine compares each post-baseline point with
 * its forecast. The run logic is the same: residuals y − CL, zeros dropped, runs of equal sign. The
 * crossings rule is not part of engine.md; its counts are still checked, as `runs − 1`, because they test
 * the run segmentation.
 */
import { round12 } from '../../server/engine/rounding.ts';
import { readFileSync } from 'node:fs';
import t from '../helpers/tap.ts';
import { anhoejLongestRunLimit, curveStatus, currentRunLength, runLengths } from '../../server/engine/curve-status.ts';
import type { ForecastPoint } from '../../server/engine/types.ts';

interface RunsCase {
  name: string;
  centreLine: number;
  y: number[];
  /** qicharts2's stored outputs. */
  nUseful: number;
  longestRun: number;
  longestRunMax: number;
  nCrossings: number;
  nCrossingsMin: number;
  runsSignal: boolean;
}

/** The qicharts2 reference set, loaded as published (test/fixtures/reference, a copy of the shared set). */
const reference = JSON.parse(
  readFileSync(new URL('../fixtures/reference/anhoej-runs-qicharts2.json', import.meta.url), 'utf8'),
) as {
  runs_cases: Array<{
    case: string;
    inputs: { y: number[]; centre_line: number };
    expected: {
      n_useful: number;
      longest_run: number;
      longest_run_max: number;
      n_crossings: number;
      n_crossings_min: number;
      runs_signal: boolean;
    };
  }>;
  ichart_freeze_case: {
    inputs: { y: number[]; freeze: number };
    expected: {
      cl: number;
      lcl: number;
      ucl: number;
      n_useful: number;
      longest_run: number;
      longest_run_max: number;
      n_crossings: number;
      sigma_signal_points_1based: number[];
    };
  };
  critical_values_table_SELF_COMPUTED: Array<{ n_useful: number; longest_run_max: number }>;
};

const cases: RunsCase[] = reference.runs_cases.map(({ case: name, inputs, expected }) => ({
  name,
  centreLine: inputs.centre_line,
  y: inputs.y,
  nUseful: expected.n_useful,
  longestRun: expected.longest_run,
  longestRunMax: expected.longest_run_max,
  nCrossings: expected.n_crossings,
  nCrossingsMin: expected.n_crossings_min,
  runsSignal: expected.runs_signal,
}));

/** Montgomery Example 6.5 (weekly cost), I chart frozen on the first 20 points: qicharts2's ex_6.5_3.rds. */
const montgomery = (() => {
  const { inputs, expected } = reference.ichart_freeze_case;
  return {
    y: inputs.y,
    freeze: inputs.freeze,
    cl: expected.cl,
    lcl: expected.lcl,
    ucl: expected.ucl,
    nUseful: expected.n_useful,
    longestRun: expected.longest_run,
    longestRunMax: expected.longest_run_max,
    nCrossings: expected.n_crossings,
    sigmaSignalPoints1Based: expected.sigma_signal_points_1based,
  };
})();

/** longest_run_max by n_useful (10…100), SELF-COMPUTED by a researcher from the qicharts2 formula. */
const longestRunMaxTable = reference.critical_values_table_SELF_COMPUTED;

/** A flat "forecast" at the centre line, with optional limits, for feeding qicharts2 data to curveStatus. */
function centreLine(value: number, lower: number | null = null, upper: number | null = null) {
  return (period: string): ForecastPoint => ({ period, value, lower, upper, source: 'computed' });
}
/** Monthly periods 2015-01 … for the 24 hai months. */
function months(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${2015 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
}

t.test('longest-run limit: round(log2(m)) + 3 for m = 10…100 (qicharts2 formula table)', (t) => {
  for (const { n_useful: m, longest_run_max: expected } of longestRunMaxTable)
    t.equal(anhoejLongestRunLimit(m), expected, `m = ${m}`);
  t.equal(anhoejLongestRunLimit(0), null, 'no useful residual, no limit');
  t.equal(anhoejLongestRunLimit(1), 3, 'log2 1 = 0');
  t.equal(anhoejLongestRunLimit(6), 6, 'log2 6 = 2.58 → 3');
  t.equal(anhoejLongestRunLimit(7), 6, 'log2 7 = 2.81 → 3');
  t.equal(anhoejLongestRunLimit(8), 6, 'log2 8 = 3 exactly');
  t.equal(anhoejLongestRunLimit(45), 8, 'log2 45 = 5.49 → 5');
  t.equal(anhoejLongestRunLimit(46), 9, 'log2 46 = 5.52 → 6');
  t.end();
});

t.test('qicharts2 hai cases: useful points, longest run, limit and crossings', (t) => {
  t.equal(cases.length, 22);
  for (const c of cases) {
    const residuals = c.y.map((y) => y - c.centreLine);
    const runs = runLengths(residuals);
    const m = runs.reduce((a, b) => a + b, 0);
    const longest = Math.max(...runs);
    const limit = anhoejLongestRunLimit(m)!;
    t.equal(m, c.nUseful, `${c.name}: n_useful`);
    t.equal(longest, c.longestRun, `${c.name}: longest run`);
    t.equal(limit, c.longestRunMax, `${c.name}: longest-run limit`);
    t.equal(runs.length - 1, c.nCrossings, `${c.name}: crossings = runs − 1`);
    t.equal(longest > limit || runs.length - 1 < c.nCrossingsMin, c.runsSignal, `${c.name}: runs signal`);
  }
  t.end();
});

t.test('the longest-run part of the signal fires only for NOH/UTI (run of 10 > 8)', (t) => {
  const fired = cases.filter((c) => Math.max(...runLengths(c.y.map((y) => y - c.centreLine))) > c.longestRunMax);
  t.same(
    fired.map((c) => c.name),
    ['hai_3:NOH/UTI'],
  );
  // BOH/UTI signals through its crossings only (7 < 8), which engine.md does not use.
  const boh = cases.find((c) => c.name === 'hai_3:BOH/UTI')!;
  const bohRuns = runLengths(boh.y.map((y) => y - boh.centreLine));
  t.equal(boh.runsSignal, true, 'qicharts2 signals BOH/UTI');
  t.ok(Math.max(...bohRuns) <= anhoejLongestRunLimit(bohRuns.reduce((a, b) => a + b, 0))!, 'not by its longest run');
  t.end();
});

t.test('run-length logic on small hand cases', (t) => {
  t.same(runLengths([1, 2, -1, 0, -3, 4]), [2, 2, 1], 'zeros are skipped, not run breakers');
  t.same(runLengths([0, 0, 0]), []);
  t.same(runLengths([]), []);
  t.same(runLengths([-1, 0, -1, 0, -1]), [3]);
  t.equal(currentRunLength([-1, 2, 0, 3, 1]), 3);
  t.equal(currentRunLength([2, 3, 0]), 0, 'a last residual of zero ends no run');
  t.equal(currentRunLength([]), 0);
  t.end();
});

t.test('current run at the end of the hai series (self-computed from the stored data)', (t) => {
  // Run lengths of each series were listed by a short Python script (signs of y − CL); the last run is:
  const expectedLastRun: Record<string, number> = {
    'hai_3:AHH/BAC': 4,
    'hai_3:NOH/UTI': 1,
    'hai_3:BOH/UTI': 3,
    'hai_2:CDI (all hospitals summed by month)': 1,
  };
  for (const [name, run] of Object.entries(expectedLastRun)) {
    const c = cases.find((k) => k.name === name)!;
    t.equal(currentRunLength(c.y.map((y) => y - c.centreLine)), run, name);
  }
  t.end();
});

t.test('curveStatus applies the rule to the run that ends at the latest point (NOH/UTI)', (t) => {
  const c = cases.find((k) => k.name === 'hai_3:NOH/UTI')!;
  const periods = months(24);
  const points = c.y.map((value, i) => ({ period: periods[i]!, value }));
  // Whole series: the run of 10 is in the middle; the current run is 1 → no run signal.
  const all = curveStatus({
    polarity: 'lower_is_better',
    forecastMethod: 'flat',
    postBaseline: points,
    forecastAt: centreLine(c.centreLine),
  });
  t.same(all.run, { usefulResiduals: 24, currentRun: 1, limit: 8 });
  t.same(all.signals, []);
  t.equal(all.status, 'not_turned');
  // Cut after the 14th month: 4 months above, then 10 below the CL; m = 14, limit round(3.81) + 3 = 7 < 10.
  const cut = curveStatus({
    polarity: 'lower_is_better',
    forecastMethod: 'flat',
    postBaseline: points.slice(0, 14),
    forecastAt: centreLine(c.centreLine),
  });
  t.same(cut.run, { usefulResiduals: 14, currentRun: 10, limit: 7 });
  t.same(cut.signals, ['run']);
  t.equal(cut.latestVsForecast, 'better', 'infections below the centre line are better');
  t.equal(cut.status, 'turned');
  t.end();
});

t.test('Montgomery 6.5: frozen limits, last point above the UCL (interval signal)', (t) => {
  const y = montgomery.y;
  // qicharts2 runs analysis over all 40 points against the frozen CL.
  const runs = runLengths(y.map((v) => v - montgomery.cl));
  t.equal(
    runs.reduce((a, b) => a + b, 0),
    montgomery.nUseful,
  );
  t.equal(Math.max(...runs), montgomery.longestRun);
  t.equal(anhoejLongestRunLimit(montgomery.nUseful), montgomery.longestRunMax);
  t.equal(runs.length - 1, montgomery.nCrossings);
  // The I-chart limits play the part of the forecast interval: points 39 and 40 lie above the UCL.
  const outside = y.flatMap((v, i) => (v < montgomery.lcl || v > montgomery.ucl ? [i + 1] : []));
  t.same(outside, montgomery.sigmaSignalPoints1Based);
  // The weeks after the freeze (21…40) as post-baseline points; cost: lower is better.
  const post = y
    .slice(montgomery.freeze)
    .map((value, i) => ({ period: `2024-W${String(i + 1).padStart(2, '0')}`, value }));
  const curve = curveStatus({
    polarity: 'lower_is_better',
    forecastMethod: 'ols',
    postBaseline: post,
    forecastAt: centreLine(montgomery.cl, montgomery.lcl, montgomery.ucl),
  });
  // Residual signs over weeks 21…40 end in a run of 6 above the CL; m = 20, limit round(4.32) + 3 = 7.
  t.same(curve.run, { usefulResiduals: 20, currentRun: 6, limit: 7 });
  t.same(curve.signals, ['interval']);
  t.equal(curve.latestVsForecast, 'worse');
  t.equal(curve.gap, 27.5, '328 − 300.5');
  t.equal(curve.gapPercent, round12((100 * 27.5) / 300.5), 'to 12 significant digits (engine 2.0)');
  t.equal(curve.status, 'worsened');
  t.end();
});

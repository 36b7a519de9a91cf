/**
 * The golden cases: each golden file and the builder call that produces it, from the fixed fixtures. Used by
 * `regenerate.ts` (`npm run golden`) to write the files and by `test/dashboards/golden.test.ts` to compare.
 */
import type { TopLevelSpec } from 'vega-lite';
import { buildDisaggregatedChart } from '../../../dashboards/disaggregated-chart.ts';
import { buildScorecardDashboard } from '../../../dashboards/scorecard-dashboard.ts';
import { buildTurnTheCurveChart } from '../../../dashboards/turn-the-curve-chart.ts';
import type { Brand } from '../../../dashboards/types.ts';
import * as F from './fixtures.ts';

export interface GoldenCase {
  /** File name in `test/dashboards/golden/`. */
  file: string;
  build: () => TopLevelSpec;
}

const turnTheCurve = (fixture: F.Fixture, brand: Brand | null) =>
  buildTurnTheCurveChart({ indicator: fixture.indicator, analysis: fixture.analysis, points: fixture.points, brand });

export const GOLDEN_CASES: readonly GoldenCase[] = [
  { file: 'turn-the-curve-annual.vl.json', build: () => turnTheCurve(F.unemployment(), F.BRAND) },
  { file: 'turn-the-curve-school-year.vl.json', build: () => turnTheCurve(F.readiness(), F.NO_BRAND) },
  { file: 'turn-the-curve-quarterly.vl.json', build: () => turnTheCurve(F.erVisits(), null) },
  { file: 'turn-the-curve-monthly.vl.json', build: () => turnTheCurve(F.placements(), F.BRAND) },
  { file: 'turn-the-curve-no-data.vl.json', build: () => turnTheCurve(F.newIndicator(), F.BRAND) },
  {
    file: 'disaggregated.vl.json',
    build: () => {
      const f = F.unemployment();
      return buildDisaggregatedChart({ indicator: f.indicator, analysis: f.analysis, points: f.points, brand: F.BRAND });
    },
  },
  {
    file: 'scorecard.vl.json',
    build: () =>
      buildScorecardDashboard({
        scorecard: F.scorecard(),
        seriesByIndicatorId: F.seriesByIndicatorId(),
        brand: F.BRAND,
        initiativeName: F.INITIATIVE_NAME,
      }),
  },
];

/** The exact text of a golden file: two-space JSON and a final newline. */
export function goldenText(spec: TopLevelSpec): string {
  return `${JSON.stringify(spec, null, 2)}\n`;
}

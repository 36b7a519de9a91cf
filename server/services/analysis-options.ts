/** How an analysis reads an indicator's or a result's data (the `asOf` and `level` of the query). */
import type { IntervalLevel } from '../engine/series.ts';

export interface AnalysisOptions {
  /** The data as they stood then (and deadlines judged then); now when absent. */
  asOf?: Date | undefined;
  /** Prediction-interval level of the baseline forecast. */
  level: IntervalLevel;
}

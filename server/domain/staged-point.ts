/**
 * A data point on its way into the bulk merge (repositories/point-merge.ts): checked, with its period index
 * and canonical slice key, and whether each optional field was given at all (an omitted note keeps the
 * stored one; null clears it). Both `PUT …/data-points` (data-point-batch.ts) and CSV imports (csv-rows.ts)
 * produce these.
 */
export interface StagedPoint {
  /** Position in the caller's input: answers come back in this order. */
  ordinal: number;
  /** A fresh id, used only when the point is new. */
  id: string;
  initiativeId: string;
  indicatorId: string;
  period: string;
  periodIndex: number;
  disaggregation: Record<string, string>;
  disaggregationKey: string;
  /** null only for a point marked M (missing). */
  value: number | null;
  note: string | null;
  noteGiven: boolean;
  status: string | null;
  statusGiven: boolean;
  source: string | null;
  sourceGiven: boolean;
  obsStatus: string | null;
  obsStatusGiven: boolean;
  footnote: string | null;
  footnoteGiven: boolean;
  /** Warnings this write acknowledges, each with a comment (docs/data-quality.md); null = none. */
  acknowledge: Array<{ code: string; comment: string }> | null;
}

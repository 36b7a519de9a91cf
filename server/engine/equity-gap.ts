/**
 * Equity gaps between a disaggregation slice and its reference (docs/methodology.md §6).
 *
 * `gap_t = v_slice(t) − v_ref(t)` for every period both series have (gaps in either series are never filled).
 * The reference is the indicator's `referenceGroup` slice when set, else the total slice; choosing it is the
 * caller's job.
 *
 * Choices where engine.md is silent (also in docs/methodology.md):
 * - **Baseline gap.** The gap at the baseline period b. When the two series have no common period at b, the
 *   gap at the first common period after b is used — the same rule as the base point of §0 — and
 *   `baselineGapShifted` is true. With no common period at or after b there is no baseline gap (null).
 *   When b is not given, it is the first common period.
 * - **Latest gap.** The gap at the last common period, which can be earlier than either series' latest point.
 * - **Narrowing** is `|latestGap| < |baselineGap|`; it is null when either is missing or when the baseline and
 *   latest gaps are the same period (one common point shows no change). A gap that changes sign but shrinks in
 *   size counts as narrowing: the distance between the groups is what matters.
 * - **Slope.** Theil–Sen slope of `|gap_t|` against the period index, over the common periods strictly after b
 *   (engine.md's post-baseline points P), times the periods per year f; null with fewer than 3 such periods.
 *   A negative slope means the distance between the groups is shrinking.
 * - Each series has at most one point per period (the API's upsert guarantees it); if a series repeats a
 *   period, its last point wins.
 *
 * Pure functions, no I/O.
 */
import { type PeriodCalendar, periodIndex, periodsPerYear } from './periods.ts';
import type { SeriesPoint } from './series.ts';
import { theilSen } from './theil-sen.ts';

export interface EquityGapInput {
  slice: SeriesPoint[];
  reference: SeriesPoint[];
  /** The baseline period b (docs/methodology.md §0); null = the first period both series have. */
  baselinePeriod: string | null;
  calendar: PeriodCalendar;
  /** Which slice the reference is, echoed in the output; null or absent = the total slice. */
  referenceGroup?: Record<string, string> | null;
}

/** The gap at one period both series have. */
export interface GapPoint {
  period: string;
  /** v_slice − v_ref. */
  gap: number;
}

export type EquityGapField = 'baselineGap' | 'latestGap' | 'narrowing' | 'slopePerYear';

export interface EquityGap {
  method: 'difference_from_reference';
  /** The reference slice (`null` = the total slice). */
  reference: Record<string, string> | null;
  /** The baseline period the gap was measured from (b, or the first common period when b was not given). */
  baselinePeriod: string | null;
  baselineGap: number | null;
  /** The period of `baselineGap`: b, or the first common period after b. */
  baselineGapPeriod: string | null;
  /** True when the series have no common period at b and the first common period after b was used. */
  baselineGapShifted: boolean;
  latestGap: number | null;
  latestGapPeriod: string | null;
  /** `|latestGap| < |baselineGap|`. */
  narrowing: boolean | null;
  /** Theil–Sen slope of |gap| per year over the common periods after b; null with fewer than 3. */
  slopePerYear: number | null;
  slopeMethod: 'theil_sen' | null;
  /** How many post-baseline common periods the slope was computed over. */
  slopeN: number;
  /** Every common period, in order. */
  points: GapPoint[];
  /** Why each null quantity is null (only the null ones appear). */
  reasons: Partial<Record<EquityGapField, string>>;
}

/**
 * The equity gap of a slice against its reference (docs/methodology.md §6).
 *
 * @example Black residents' unemployment rate against the total, baseline 2019:
 * equityGap({
 *   slice:     [{ period: '2018', value: 9 }, { period: '2019', value: 10 }, { period: '2020', value: 12 },
 *               { period: '2021', value: 9 },  { period: '2022', value: 8 },  { period: '2023', value: 7.5 }],
 *   reference: [{ period: '2018', value: 4 }, { period: '2019', value: 5 },  { period: '2020', value: 8 },
 *               { period: '2021', value: 5.5 }, { period: '2022', value: 5 }, { period: '2023', value: 5 }],
 *   baselinePeriod: '2019', calendar: { frequency: 'annual' },
 * })
 * // points: 2018: 5, 2019: 5, 2020: 4, 2021: 3.5, 2022: 3, 2023: 2.5
 * // baselineGap 5 (2019), latestGap 2.5 (2023), narrowing true,
 * // slopePerYear: Theil–Sen of |gap| 4, 3.5, 3, 2.5 over 2020–2023 = −0.5 per year
 */
export function equityGap(input: EquityGapInput): EquityGap {
  const { calendar } = input;
  const reasons: Partial<Record<EquityGapField, string>> = {};
  const ref = new Map<number, SeriesPoint>();
  for (const p of input.reference) ref.set(periodIndex(p.period, calendar), p);
  const own = new Map<number, SeriesPoint>();
  for (const p of input.slice) own.set(periodIndex(p.period, calendar), p);

  const common: { x: number; period: string; gap: number }[] = [];
  for (const [x, p] of own) {
    const r = ref.get(x);
    if (!r) continue;
    const gap = p.value - r.value;
    if (Number.isFinite(gap)) common.push({ x, period: p.period, gap: gap === 0 ? 0 : gap });
  }
  common.sort((a, b) => a.x - b.x);
  const points: GapPoint[] = common.map(({ period, gap }) => ({ period, gap }));

  const result: EquityGap = {
    method: 'difference_from_reference',
    reference: input.referenceGroup ?? null,
    baselinePeriod: input.baselinePeriod,
    baselineGap: null,
    baselineGapPeriod: null,
    baselineGapShifted: false,
    latestGap: null,
    latestGapPeriod: null,
    narrowing: null,
    slopePerYear: null,
    slopeMethod: null,
    slopeN: 0,
    points,
    reasons,
  };

  if (common.length === 0) {
    const why = 'The slice and its reference have no period in common.';
    return { ...result, reasons: { baselineGap: why, latestGap: why, narrowing: why, slopePerYear: why } };
  }

  const b = input.baselinePeriod === null ? common[0]!.x : periodIndex(input.baselinePeriod, calendar);
  if (input.baselinePeriod === null) result.baselinePeriod = common[0]!.period;

  const latest = common[common.length - 1]!;
  result.latestGap = latest.gap;
  result.latestGapPeriod = latest.period;

  const atOrAfter = common.find((c) => c.x >= b);
  if (atOrAfter) {
    result.baselineGap = atOrAfter.gap;
    result.baselineGapPeriod = atOrAfter.period;
    result.baselineGapShifted = atOrAfter.x !== b;
  } else {
    reasons.baselineGap = 'The slice and its reference have no period in common at or after the baseline period.';
  }

  if (result.baselineGap === null) {
    reasons.narrowing = 'There is no baseline gap to compare with.';
  } else if (result.baselineGapPeriod === result.latestGapPeriod) {
    reasons.narrowing = 'The baseline gap is also the latest gap: there is no later common period to compare.';
  } else {
    result.narrowing = Math.abs(result.latestGap) < Math.abs(result.baselineGap);
  }

  const post = common.filter((c) => c.x > b);
  result.slopeN = post.length;
  if (post.length < 3) {
    reasons.slopePerYear = `The slope needs at least 3 common periods after the baseline period; there ${
      post.length === 1 ? 'is' : 'are'
    } ${post.length}.`;
  } else {
    const fit = theilSen(
      post.map((c) => c.x),
      post.map((c) => Math.abs(c.gap)),
    );
    const perYear = fit ? fit.slope * periodsPerYear(calendar.frequency) : Number.NaN;
    if (Number.isFinite(perYear)) {
      result.slopePerYear = perYear === 0 ? 0 : perYear;
      result.slopeMethod = 'theil_sen';
    } else {
      reasons.slopePerYear = 'The slope could not be computed.';
    }
  }
  return result;
}

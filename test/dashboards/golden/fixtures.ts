/**
 * Fixed, hand-made fixtures for the dashboards' golden files and tests. Every analysis comes from the engine
 * itself (`analyzeIndicator`), so the fixtures stay true to it; the indicators are `Indicator`s as the API returns
 * them, with fixed ids and timestamps so the golden files never change by themselves.
 *
 * The situations, each chosen to exercise one part of the charts:
 * - `unemployment`: annual, lower is better, %, baseline 2019, target 2030 and an interim target, a provisional
 *   latest value with a note, disaggregated by race/ethnicity with a reference group → curve turned, moderate
 *   progress, falling 3 years in a row;
 * - `readiness`: school years (July–June), higher is better, target → curve not turned, flat-ish;
 * - `erVisits`: quarterly, lower is better, no target, OLS band → curve worsened, rising;
 * - `placements`: monthly count, no baseline after the data → insufficient data for the curve;
 * - `newIndicator`: weekly, target, no data at all.
 */
import { analyzeIndicator } from '../../../server/engine/analyze-indicator.ts';
import { summarise } from '../../../server/domain/scorecard.ts';
import { rollUpTree, type RollUpItem, type RollUpTreeNode, type RollUpTreeResult } from '../../../server/engine/rollup.ts';
import type { EngineIndicator } from '../../../server/engine/series.ts';
import type { IndicatorAnalysis } from '../../../server/engine/types.ts';
import { ENGINE_VERSION } from '../../../server/engine/version.ts';
import type { Indicator } from '../../../schema/contracts/indicators.ts';
import type { IndicatorSummary, ResultScorecard, ScorecardOutcome } from '../../../schema/contracts/scorecard.ts';
import type { Brand, ChartPoint } from '../../../dashboards/types.ts';

const CREATED = '2026-01-15T09:00:00.000Z';
const INITIATIVE_ID = '0196f0a2-0000-7000-8000-000000000001';
const RESULT_ID = '0196f0a2-0000-7000-8000-000000000002';
const OUTCOME_JOBS = '0196f0a2-0000-7000-8000-0000000000a1';
const OUTCOME_SKILLS = '0196f0a2-0000-7000-8000-0000000000a2';
const OUTCOME_HEALTH = '0196f0a2-0000-7000-8000-0000000000a3';

export const BRAND: Brand = { color: '#1f6feb', logoUrl: 'https://partners.example.org/logo.svg' };
export const NO_BRAND: Brand = { color: null, logoUrl: null };
export const INITIATIVE_NAME = 'Detroit Jobs Partnership';

/** An `Indicator` as the API returns it, with fixed ids and timestamps. */
export function indicatorFixture(id: string, over: Partial<Indicator>): Indicator {
  return {
    id,
    initiativeId: INITIATIVE_ID,
    resultId: RESULT_ID,
    outcomeId: null,
    name: 'Indicator',
    code: null,
    unit: 'rate',
    polarity: 'higher_is_better',
    frequency: 'annual',
    definition: null,
    unitLabel: null,
    decimals: null,
    yearStartMonth: 1,
    baselinePeriod: null,
    target: null,
    interimTargets: [],
    naturalLimit: null,
    bounds: null,
    forecastOverride: [],
    // The chart fixtures keep a least-squares baseline: they test how charts draw a forecast, not which one.
    forecast: { method: 'linear' },
    dimensions: [],
    referenceGroup: null,
    dataSource: null,
    ownerPartnerId: null,
    level: 'population',
    visibility: 'public',
    visibilityInherited: true,
    position: 0,
    version: 1,
    createdAt: CREATED,
    updatedAt: CREATED,
    ...over,
  };
}

/** The engine's view of an API indicator (what `server/domain/engine-input.ts` does with a stored row). */
export function toEngineIndicator(indicator: Indicator): EngineIndicator {
  return {
    polarity: indicator.polarity,
    unit: indicator.unit,
    frequency: indicator.frequency,
    yearStartMonth: indicator.yearStartMonth,
    baselinePeriod: indicator.baselinePeriod,
    target: indicator.target,
    interimTargets: indicator.interimTargets,
    naturalLimit: indicator.naturalLimit,
    bounds: indicator.bounds,
    forecastOverride: indicator.forecastOverride,
    referenceGroup: indicator.referenceGroup,
    forecast: (indicator.forecast ?? { method: 'auto' }) as EngineIndicator['forecast'],
    decimals: indicator.decimals,
  };
}

/** Points of one slice from a first period label and values; `extra` adds notes and statuses by period. */
export function series(
  periods: readonly string[],
  values: readonly number[],
  disaggregation: Record<string, string> = {},
  extra: Record<string, Partial<Pick<ChartPoint, 'note' | 'status'>>> = {},
): ChartPoint[] {
  return values.map((value, i) => {
    const period = periods[i]!;
    return { period, value, disaggregation, note: null, status: 'final' as const, ...extra[period] };
  });
}

/** `count` consecutive labels from `first` using `next`. */
export function labels(first: string, count: number, next: (label: string) => string): string[] {
  const out = [first];
  while (out.length < count) out.push(next(out[out.length - 1]!));
  return out;
}

const years = (first: number, count: number) => labels(String(first), count, (y) => String(Number(y) + 1));
const quarters = (first: string, count: number) =>
  labels(first, count, (q) => {
    const [y, n] = [Number(q.slice(0, 4)), Number(q.slice(6))];
    return n === 4 ? `${y + 1}-Q1` : `${y}-Q${n + 1}`;
  });
const months = (first: string, count: number) =>
  labels(first, count, (m) => {
    const [y, n] = [Number(m.slice(0, 4)), Number(m.slice(5))];
    return n === 12 ? `${y + 1}-01` : `${y}-${String(n + 1).padStart(2, '0')}`;
  });
const schoolYears = (first: number, count: number) =>
  years(first, count).map((y) => `${y}-${String((Number(y) + 1) % 100).padStart(2, '0')}`);

/** One indicator with its points and the engine's analysis of them. */
export interface Fixture {
  indicator: Indicator;
  points: ChartPoint[];
  analysis: IndicatorAnalysis;
}

function fixture(indicator: Indicator, points: ChartPoint[]): Fixture {
  return { indicator, points, analysis: analyzeIndicator(toEngineIndicator(indicator), points) };
}

const UNEMPLOYMENT_YEARS = years(2014, 10);
const RACE = 'race_ethnicity';

/** Annual unemployment rate: curve turned, moderate progress, provisional latest value, three groups. */
export function unemployment(): Fixture {
  const indicator = indicatorFixture('0196f0a2-0000-7000-8000-000000000101', {
    name: 'Unemployment rate',
    code: 'UNEMP_RATE',
    unit: 'percent',
    unitLabel: '%',
    decimals: 1,
    polarity: 'lower_is_better',
    outcomeId: OUTCOME_JOBS,
    baselinePeriod: '2019',
    target: { period: '2030', value: 4 },
    interimTargets: [{ period: '2023', value: 7 }],
    dimensions: [{ name: RACE, values: ['Black', 'Hispanic', 'White'] }],
    referenceGroup: { [RACE]: 'White' },
  });
  const total = series(UNEMPLOYMENT_YEARS, [9.8, 9.4, 9.3, 9.0, 8.9, 8.7, 11.5, 9.2, 7.6, 6.9], {}, {
    '2020': { note: 'Pandemic lay-offs: a one-off jump.' },
    '2023': { status: 'provisional', note: 'Preliminary estimate; final figure due in June.' },
  });
  const groups = [
    series(UNEMPLOYMENT_YEARS, [14.9, 14.2, 14.0, 13.6, 13.1, 12.8, 16.4, 13.9, 11.2, 9.9], { [RACE]: 'Black' }),
    series(UNEMPLOYMENT_YEARS, [10.2, 9.9, 9.7, 9.3, 9.2, 9.0, 12.1, 9.5, 8.0, 7.4], { [RACE]: 'Hispanic' }),
    series(UNEMPLOYMENT_YEARS, [6.1, 5.8, 5.8, 5.6, 5.5, 5.4, 8.0, 6.2, 5.1, 4.8], { [RACE]: 'White' }),
  ];
  return fixture(indicator, [...total, ...groups.flat()]);
}

/** Kindergarten readiness by school year (July–June): higher is better, curve not turned. */
export function readiness(): Fixture {
  const indicator = indicatorFixture('0196f0a2-0000-7000-8000-000000000102', {
    name: 'Children ready for kindergarten',
    unit: 'percent',
    unitLabel: '%',
    decimals: 0,
    polarity: 'higher_is_better',
    outcomeId: OUTCOME_SKILLS,
    yearStartMonth: 7,
    baselinePeriod: '2019-20',
    target: { period: '2027-28', value: 70 },
    position: 0,
  });
  const periods = schoolYears(2016, 8);
  return fixture(indicator, series(periods, [52, 54, 53, 55, 55, 57, 58, 57]));
}

/** Emergency-room visits for asthma per 10,000, quarterly: lower is better, no target, curve worsened. */
export function erVisits(): Fixture {
  const indicator = indicatorFixture('0196f0a2-0000-7000-8000-000000000103', {
    name: 'Asthma ER visits',
    unit: 'rate',
    unitLabel: 'per 10,000',
    decimals: 1,
    polarity: 'lower_is_better',
    frequency: 'quarterly',
    outcomeId: OUTCOME_HEALTH,
    baselinePeriod: '2021-Q4',
  });
  const periods = quarters('2020-Q1', 14);
  return fixture(
    indicator,
    series(periods, [14.1, 13.9, 13.6, 13.5, 13.2, 13.1, 12.8, 12.6, 12.9, 13.4, 13.8, 14.2, 14.6, 15.1], {}, {
      '2023-Q2': { note: 'Wildfire smoke in June.' },
    }),
  );
}

/** Job placements per month (a count): the baseline is the latest month, so the curve cannot be judged yet. */
export function placements(): Fixture {
  const indicator = indicatorFixture('0196f0a2-0000-7000-8000-000000000104', {
    name: 'Job placements',
    unit: 'count',
    unitLabel: 'people',
    decimals: 0,
    polarity: 'higher_is_better',
    frequency: 'monthly',
    outcomeId: OUTCOME_JOBS,
    baselinePeriod: '2024-06',
    target: { period: '2025-06', value: 400 },
    level: 'performance',
    position: 1,
  });
  return fixture(indicator, series(months('2024-01', 6), [210, 225, 240, 236, 251, 260]));
}

/** A weekly indicator defined with a target but no data yet. */
export function newIndicator(): Fixture {
  const indicator = indicatorFixture('0196f0a2-0000-7000-8000-000000000105', {
    name: 'Residents using the job portal',
    unit: 'count',
    unitLabel: 'residents',
    decimals: 0,
    frequency: 'weekly',
    outcomeId: OUTCOME_SKILLS,
    target: { period: '2025-W52', value: 1500 },
    position: 1,
  });
  return fixture(indicator, []);
}

/** The headline indicator of the result: median household income (currency), annual, no target. */
export function income(): Fixture {
  const indicator = indicatorFixture('0196f0a2-0000-7000-8000-000000000106', {
    name: 'Median household income',
    unit: 'currency',
    unitLabel: '$',
    decimals: 0,
    polarity: 'higher_is_better',
    baselinePeriod: '2018',
  });
  return fixture(indicator, series(years(2015, 9), [30900, 31300, 31800, 32100, 32600, 33900, 34400, 35100, 36300]));
}

// ---------------------------------------------------------------------------------------------------------
// The scorecard of the result, built the way `server/domain/scorecard.ts` builds it
// ---------------------------------------------------------------------------------------------------------

/** Every fixture of the scorecard, by indicator id. */
export function scorecardFixtures(): Fixture[] {
  return [income(), unemployment(), placements(), readiness(), newIndicator(), erVisits()];
}


interface OutcomeDef {
  id: string;
  parentOutcomeId: string | null;
  title: string;
  position: number;
}

const OUTCOMES: OutcomeDef[] = [
  { id: OUTCOME_JOBS, parentOutcomeId: null, title: 'Residents find and keep good jobs', position: 0 },
  { id: OUTCOME_SKILLS, parentOutcomeId: OUTCOME_JOBS, title: 'Children and adults gain the skills employers need', position: 0 },
  { id: OUTCOME_HEALTH, parentOutcomeId: null, title: 'Residents are healthy enough to work', position: 1 },
];

/** The result's scorecard over {@link scorecardFixtures}: headline income; jobs ⊃ skills; health. */
export function scorecard(): ResultScorecard {
  const fixtures = scorecardFixtures();
  type Meta = { outcome: OutcomeDef | null; summaries: IndicatorSummary[] };
  const node = (outcome: OutcomeDef | null): RollUpTreeNode<Meta> => {
    const own = fixtures
      .filter((f) => f.indicator.outcomeId === (outcome?.id ?? null))
      .sort((a, b) => a.indicator.position - b.indicator.position);
    return {
      meta: { outcome, summaries: own.map((f) => summarise(f.indicator, f.analysis.total)) },
      items: own.map((f): RollUpItem => ({
        progressStatus: f.analysis.total.progress.status,
        score: f.analysis.total.progress.score,
        curveStatus: f.analysis.total.curve.status,
        trendGood: f.analysis.total.trend.good,
      })),
      children: OUTCOMES.filter((o) => o.parentOutcomeId === (outcome?.id ?? null))
        .sort((a, b) => a.position - b.position)
        .map(node),
    };
  };
  const rolled = rollUpTree(node(null));
  const toOutcome = (r: RollUpTreeResult<Meta>): ScorecardOutcome => {
    const o = r.meta!.outcome!;
    return {
      id: o.id,
      initiativeId: INITIATIVE_ID,
      resultId: RESULT_ID,
      parentOutcomeId: o.parentOutcomeId,
      title: o.title,
      description: null,
      position: o.position,
      version: 1,
      createdAt: CREATED,
      updatedAt: CREATED,
      rollUp: r.rollUp,
      indicators: r.meta!.summaries,
      outcomes: r.children.map(toOutcome),
    };
  };
  return {
    engineVersion: ENGINE_VERSION,
    level: 0.9,
    asOf: null,
    result: {
      id: RESULT_ID,
      initiativeId: INITIATIVE_ID,
      statement: 'A 5 percentage point decrease in the unemployment rate in Detroit by 2030',
      population: 'Working-age residents of Detroit',
      geography: 'City of Detroit',
      timeFrame: { start: 2019, end: 2030 },
      visibility: 'public',
      version: 1,
      createdAt: CREATED,
      updatedAt: CREATED,
    },
    rollUp: rolled.rollUp,
    indicators: rolled.meta!.summaries,
    outcomes: rolled.children.map(toOutcome),
  };
}

/** The data points of every scorecard indicator, by id (what the dashboard route passes). */
export function seriesByIndicatorId(): Record<string, ChartPoint[]> {
  return Object.fromEntries(scorecardFixtures().map((f) => [f.indicator.id, f.points]));
}

/**
 * The demo initiative: a fictional regional jobs partnership whose indicators carry REAL public data.
 *
 * Pipeline of {@link buildDemoInitiative}:
 *   1. locate the installed `vega-datasets` package (no network) and read two of its files:
 *      `unemployment-across-industries.json` (BLS, Current Population Survey, Table A-31, monthly 2000-01 to
 *      2010-02, not seasonally adjusted) and `us-employment.csv` (BLS, Current Employment Statistics, monthly
 *      2006-01 to 2015-12, seasonally adjusted, thousands of jobs);
 *   2. turn them into series, deriving only what the data allow and saying how (the all-industry unemployment
 *      rate, quarterly and program-year averages);
 *   3. wrap the series in request bodies of the HTTP API (the API's field names, schema/contracts/), ready for the lead's seeder to
 *      POST/PUT in tree order: initiative → partners → result → outcomes → indicators → data points;
 *   4. add the partnership's accountability: performance measures of two partners' programs (one in each
 *      quadrant: how much, how well, better off), the turn-the-curve report of the headline indicator, and
 *      the action plan (two quick wins, one action overdue).
 *
 * The partnership, its partners and its region are invented; the numbers are U.S. national statistics standing
 * in for the region's own (a partnership would use its local area figures). The performance measures'
 * figures are ILLUSTRATIVE, invented for the demo, and say so in their definition, data source and points. The attribution and licence notes
 * are in `seeds/README.md` and in {@link DEMO_ATTRIBUTION}.
 *
 * Pure apart from reading those two files: same output on every call, no clock, no randomness.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { QualityRule } from '../schema/contracts/data-quality.ts';
import type { Frequency, IndicatorLevel, Polarity, Unit } from '../server/engine/vocabulary.ts';
import type {
  ActionStatus,
  DataPointStatus,
  ForceDirection,
  Formality,
  IdeaCost,
  LagUnit,
  Quadrant,
  Sector,
  Stage,
  Visibility,
  WorkLevel,
} from '../schema/vocabulary.ts';

// ---------------------------------------------------------------------------------------------------------
// Request bodies, mirroring the API (kept loose on purpose: the zod contracts in schema/contracts are the law;
// the enumerated values come from the one vocabulary they are built from)
// ---------------------------------------------------------------------------------------------------------

export interface PeriodValue {
  period: string;
  value: number;
}

/** `POST /initiatives` body. */
export interface InitiativeBody {
  name: string;
  slug?: string;
  description?: string;
  geography?: string;
  formality?: Formality;
  stage?: Stage;
  workLevel?: WorkLevel;
  brand?: { color?: string; logoUrl?: string };
  embedOrigins?: string[];
  /** docs/publication.md: with `required`, the public sees only published periods. */
  publication?: { required: boolean; fourEyes: boolean };
}

/** `POST /initiatives/{initiativeId}/partners` body. */
export interface PartnerBody {
  name: string;
  sector: Sector;
  role?: string;
}

/** `POST /initiatives/{initiativeId}/results` body. */
export interface ResultBody {
  statement: string;
  population?: string;
  geography?: string;
  timeFrame?: { start: number; end: number };
  visibility?: Visibility;
}

/** `POST /results/{resultId}/outcomes` body (parentOutcomeId and position are set by the seeder from the tree). */
export interface OutcomeBody {
  title: string;
  description?: string;
  parentOutcomeId?: string | null;
  position?: number;
}

/**
 * `POST /results/{resultId}/indicators` body without `outcomeId` (the tree says where it hangs) and without
 * `ownerPartnerId` (see {@link DemoIndicator.ownerPartnerName}).
 */
export interface IndicatorBody {
  name: string;
  code?: string;
  unit: Unit;
  polarity: Polarity;
  frequency: Frequency;
  definition?: string;
  unitLabel?: string;
  decimals?: number;
  yearStartMonth?: number;
  baselinePeriod?: string;
  target?: PeriodValue;
  interimTargets?: PeriodValue[];
  naturalLimit?: number;
  bounds?: { min: number | null; max: number | null };
  forecastOverride?: PeriodValue[];
  dimensions?: Array<{ name: string; values: string[] }>;
  referenceGroup?: Record<string, string>;
  dataSource?: string;
  level?: IndicatorLevel;
  /** Performance measures only (RBA performance accountability). */
  quadrant?: Quadrant;
  programName?: string;
  /** How long after a period ends its data are due. */
  reportingLag?: { amount: number; unit: LagUnit };
  /** Data-quality rules (docs/data-quality.md). */
  rules?: QualityRule[];
  /** Small-cell suppression of its counts in public outputs (docs/publication.md). */
  suppression?: { minCellSize: number | null };
  visibility?: Visibility;
}

/** One item of `PUT /indicators/{indicatorId}/data-points` `{ points: [...] }`. */
export interface DataPointBody {
  period: string;
  value: number;
  disaggregation?: Record<string, string>;
  note?: string;
  status?: DataPointStatus;
  source?: string;
}

export interface DemoIndicator {
  body: IndicatorBody;
  /** The partner (by its `name` in {@link DemoInitiative.partners}) whose id becomes `ownerPartnerId`. */
  ownerPartnerName?: string;
  points: DataPointBody[];
}

export interface DemoOutcome {
  title: string;
  description?: string;
  children: DemoOutcome[];
  indicators: DemoIndicator[];
}

/**
 * A performance measure of a partner's program, hung under the outcome it contributes to (by title). Kept
 * apart from the population indicators of the tree: its figures are ILLUSTRATIVE (invented), not BLS data.
 */
export interface DemoPerformanceMeasure {
  outcomeTitle: string;
  measure: DemoIndicator;
}

/** `PUT /indicators/{indicatorId}/curve-report` body for the indicator with this code. */
export interface DemoCurveReport {
  indicatorCode: string;
  body: {
    story: string;
    forces: Array<{ description: string; direction: ForceDirection }>;
    /** A partner of the initiative by name (its id is filled in by the seeder), or another organisation. */
    partners: Array<{ partnerName?: string; name?: string; role: string }>;
    whatWorks: Array<{ idea: string; evidence?: string; cost?: IdeaCost }>;
    actionPlan: string;
  };
}

/** `POST /initiatives/{initiativeId}/actions` body, with the owner by partner name and indicators by code. */
export interface DemoAction {
  title: string;
  description: string;
  ownerPartnerName: string;
  indicatorCodes: string[];
  start: string;
  due: string;
  status: ActionStatus;
  completedOn?: string;
  /** Progress notes posted after it is created (`POST /actions/{id}/updates`). */
  updates?: string[];
}

export interface DemoInitiative {
  attribution: string;
  initiative: InitiativeBody;
  partners: PartnerBody[];
  results: Array<{
    result: ResultBody;
    indicators: DemoIndicator[];
    outcomes: DemoOutcome[];
    /** Partners' program measures (illustrative figures), seeded under their outcomes. */
    performanceMeasures?: DemoPerformanceMeasure[];
    curveReports?: DemoCurveReport[];
    actions?: DemoAction[];
    /** Data-quality flags the partnership has checked: acknowledged with a comment after the data are in. */
    acknowledgements?: DemoAcknowledgement[];
  }>;
  /**
   * Publication (docs/publication.md): every period is submitted, approved and published, except these, which
   * stay submitted — waiting for an editor's approval, so a newcomer sees the review queue and a draft marked.
   */
  awaitingApproval: Array<{ indicatorCode: string; period: string }>;
}

export interface DemoAcknowledgement {
  indicatorCode: string;
  period: string;
  code: string;
  comment: string;
}

// ---------------------------------------------------------------------------------------------------------
// The data files
// ---------------------------------------------------------------------------------------------------------

const UNEMPLOYMENT_FILE = 'unemployment-across-industries.json';
const EMPLOYMENT_FILE = 'us-employment.csv';

export const DEMO_ATTRIBUTION =
  'Demo data: U.S. Bureau of Labor Statistics (BLS) — Current Population Survey, "Unemployed persons by ' +
  'industry and class of worker" (Table A-31, not seasonally adjusted, January 2000 – February 2010) and ' +
  'Current Employment Statistics (payroll employment by supersector, seasonally adjusted, January 2006 – ' +
  'December 2015; downloaded 11 November 2018) — as redistributed in the vega-datasets package 3.2.1 ' +
  '(files unemployment-across-industries.json and us-employment.csv; https://github.com/vega/vega-datasets). ' +
  'U.S. Government works (public domain). BLS.gov cannot vouch for the data or analyses derived from these ' +
  'data after the data have been retrieved from BLS.gov. The Tri-River Jobs Compact, its partners and its ' +
  'region are fictional: national figures stand in for regional ones. All-industry unemployment rates, ' +
  "quarterly and program-year averages are derived by this project (see each indicator's definition). " +
  "The performance measures of the partners' programs carry ILLUSTRATIVE figures invented for the demo: no " +
  'real program reported them.';

/** Directory of the installed vega-datasets package (its `exports` map hides subpaths, so walk up from main). */
function vegaDatasetsDir(): string {
  const main = createRequire(import.meta.url).resolve('vega-datasets');
  let dir = dirname(main);
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'vega-datasets') return dir;
    } catch {
      // no package.json here: keep walking up
    }
    dir = dirname(dir);
  }
  throw new Error(`cannot locate the vega-datasets package root from ${main}`);
}

function readDataFile(name: string): string {
  return readFileSync(join(vegaDatasetsDir(), 'data', name), 'utf8');
}

interface IndustryRow {
  series: string;
  year: number;
  month: number;
  count: number;
  rate: number;
}

function readUnemploymentByIndustry(): IndustryRow[] {
  const rows = JSON.parse(readDataFile(UNEMPLOYMENT_FILE)) as IndustryRow[];
  for (const r of rows) {
    if (
      typeof r.series !== 'string' ||
      !Number.isInteger(r.year) ||
      !Number.isInteger(r.month) ||
      !Number.isFinite(r.count) ||
      !Number.isFinite(r.rate)
    ) {
      throw new Error(`${UNEMPLOYMENT_FILE}: unexpected row ${JSON.stringify(r)}`);
    }
  }
  return rows;
}

/** `us-employment.csv` as rows keyed by column; the file has no quoted fields. */
function readEmployment(): Array<Record<string, string>> {
  const [header, ...lines] = readDataFile(EMPLOYMENT_FILE).trim().split(/\r?\n/);
  const columns = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    if (cells.length !== columns.length) throw new Error(`${EMPLOYMENT_FILE}: bad line ${line}`);
    return Object.fromEntries(columns.map((c, i) => [c, cells[i]!]));
  });
}

/** A monthly series `YYYY-MM → value` from one column of us-employment.csv. */
function employmentSeries(rows: Array<Record<string, string>>, column: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const row of rows) {
    const value = Number(row[column]);
    if (row[column] === undefined || !Number.isFinite(value)) {
      throw new Error(`${EMPLOYMENT_FILE}: no number in column ${column} for ${row.month}`);
    }
    series.set(row.month!.slice(0, 7), value);
  }
  return series;
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------------

function monthLabel(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** The entry with the highest value (the first one on ties). */
function highest(entries: Array<[string, number]>): [string, number] {
  return entries.reduce((a, b) => (b[1] > a[1] ? b : a));
}

/** The entry with the lowest value (the first one on ties). */
function lowestOf(entries: Array<[string, number]>): [string, number] {
  return entries.reduce((a, b) => (b[1] < a[1] ? b : a));
}

/** Quarterly means of a monthly series; only quarters with all three months. */
function quarterlyMeans(monthly: Map<string, number>): Map<string, number> {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const [label, value] of monthly) {
    const q = `${label.slice(0, 4)}-Q${Math.floor((Number(label.slice(5, 7)) - 1) / 3) + 1}`;
    const acc = sums.get(q) ?? { sum: 0, n: 0 };
    acc.sum += value;
    acc.n += 1;
    sums.set(q, acc);
  }
  const out = new Map<string, number>();
  for (const [q, { sum, n }] of sums) if (n === 3) out.set(q, round(sum / 3, 1));
  return out;
}

/** Means over program years July–June (label `2008-09`); only years with all twelve months. */
function programYearMeans(monthly: Map<string, number>): Map<string, number> {
  const sums = new Map<number, { sum: number; n: number }>();
  for (const [label, value] of monthly) {
    const year = Number(label.slice(0, 4));
    const start = Number(label.slice(5, 7)) >= 7 ? year : year - 1;
    const acc = sums.get(start) ?? { sum: 0, n: 0 };
    acc.sum += value;
    acc.n += 1;
    sums.set(start, acc);
  }
  const out = new Map<string, number>();
  for (const [start, { sum, n }] of [...sums].sort((a, b) => a[0] - b[0])) {
    if (n === 12) out.set(`${start}-${String((start + 1) % 100).padStart(2, '0')}`, round(sum / 12, 1));
  }
  return out;
}

function toPoints(
  series: Map<string, number>,
  source: string,
  notes: Record<string, string> = {},
  disaggregation: Record<string, string> = {},
): DataPointBody[] {
  return [...series]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([period, value]) => {
      const point: DataPointBody = { period, value, disaggregation, status: 'final', source };
      const note = notes[period];
      if (note) point.note = note;
      return point;
    });
}

// ---------------------------------------------------------------------------------------------------------
// The partnership
// ---------------------------------------------------------------------------------------------------------

const WORKFORCE_OFFICE = 'City of Tri-River Office of Workforce Development';
const COLLEGE = 'Tri-River Community College';
const EMPLOYERS = 'Tri-River Employers Association';
const FOUNDATION = 'Confluence Community Foundation';
const NEIGHBOURS = 'Eastside Neighbors United';

const PARTNERS: PartnerBody[] = [
  {
    name: WORKFORCE_OFFICE,
    sector: 'public',
    role: 'Backbone organisation: runs the American Job Centers, staffs the data & evaluation workgroup and owns the labour-market indicators.',
  },
  {
    name: COLLEGE,
    sector: 'academic',
    role: 'Short-term credentials in health care, advanced manufacturing and the construction trades; reports training outcomes.',
  },
  {
    name: EMPLOYERS,
    sector: 'private',
    role: 'Convenes employers in construction, manufacturing and hospitality; brokers hiring commitments and work-based learning.',
  },
  {
    name: FOUNDATION,
    sector: 'philanthropy',
    role: 'Funds the backbone and the data & evaluation workgroup; publishes the public dashboard on its website.',
  },
  {
    name: NEIGHBOURS,
    sector: 'community',
    role: 'Outreach to residents of the hardest-hit neighbourhoods; hosts the quarterly community data walks.',
  },
];

// Business-cycle dates are the NBER's (peaks March 2001 and December 2007; troughs November 2001 and June 2009).
const RECESSION_NOTES = {
  '2001-03': 'Business-cycle peak (NBER): the 2001 recession begins.',
  '2001-11': 'Business-cycle trough (NBER): the 2001 recession ends, but unemployment keeps rising into 2003.',
  '2007-12': 'Business-cycle peak (NBER): the Great Recession begins.',
  '2009-06':
    'Business-cycle trough (NBER): the Great Recession officially ends. The Compact forms in July 2009 and takes June 2009 as its baseline.',
} as const;

// ---------------------------------------------------------------------------------------------------------
// The indicators
// ---------------------------------------------------------------------------------------------------------

const CPS_SOURCE = 'BLS Current Population Survey, Table A-31 (via vega-datasets)';
const CES_SOURCE = 'BLS Current Employment Statistics (via vega-datasets)';

/**
 * UNEMP_RATE: unemployment rate of experienced workers, by industry of last job, with an all-industry total.
 *
 * The file has no total, so the total slice is derived: each group's labour force is implied by its published
 * count and rate (LF = unemployed ÷ rate), and total rate = Σ unemployed ÷ Σ LF × 100, rounded to 0.1.
 * Because the published rates are rounded to 0.1 point, the derived total can differ slightly from BLS's own
 * figure; it leaves out unemployed people with no previous work experience, so it runs below the headline rate.
 */
function unemploymentRate(rows: IndustryRow[]): DemoIndicator {
  const industries = [...new Set(rows.map((r) => r.series))];
  const byMonth = new Map<string, IndustryRow[]>();
  for (const r of rows) {
    const label = monthLabel(r.year, r.month);
    byMonth.set(label, [...(byMonth.get(label) ?? []), r]);
  }
  const total = new Map<string, number>();
  for (const [label, group] of byMonth) {
    if (group.length !== industries.length || group.some((r) => r.rate <= 0)) continue; // no honest total
    const unemployed = group.reduce((s, r) => s + r.count, 0);
    const labourForce = group.reduce((s, r) => s + r.count / (r.rate / 100), 0);
    total.set(label, round((100 * unemployed) / labourForce, 1));
  }
  const afterRecession = highest([...total].filter(([p]) => p > '2001-11' && p < '2007-12'));
  const highestTotal = highest([...total]);
  const totalNotes: Record<string, string> = {
    ...RECESSION_NOTES,
    [afterRecession[0]]:
      'The highest rate after the 2001 recession, more than a year after it officially ended (not seasonally adjusted: winter months run high).',
    [highestTotal[0]]:
      `Highest rate in the series: ${highestTotal[1]}% (not seasonally adjusted). ` +
      `${round((byMonth.get(highestTotal[0]) ?? []).reduce((s, r) => s + r.count, 0) / 1000, 1)} million experienced workers unemployed.`,
  };
  const sliceNotes: Record<string, Record<string, string>> = {
    Construction: {
      '2010-02':
        'More than one construction worker in four is unemployed after the housing bust: the worst rate of any industry.',
    },
    'Education and Health': {
      '2009-06': `Unemployment in education and health stays well below the all-industry rate (${total.get('2009-06')}%): the sector kept hiring through the recession.`,
    },
  };
  const slices = industries.flatMap((industry) =>
    toPoints(
      new Map(rows.filter((r) => r.series === industry).map((r) => [monthLabel(r.year, r.month), r.rate] as const)),
      CPS_SOURCE,
      sliceNotes[industry] ?? {},
      { industry },
    ),
  );
  return {
    ownerPartnerName: WORKFORCE_OFFICE,
    body: {
      name: 'Unemployment rate of experienced workers',
      code: 'UNEMP_RATE',
      unit: 'percent',
      unitLabel: '% of the labour force',
      polarity: 'lower_is_better',
      frequency: 'monthly',
      decimals: 1,
      definition:
        'Unemployed persons 16 and over whose last job was in the industry (or class of worker), as a percentage ' +
        'of the labour force in that industry; not seasonally adjusted. The total slice is computed by the ' +
        "Compact, not published by BLS: each group's labour force is implied by its count and rate " +
        '(unemployed ÷ rate), and the total rate is the sum of the unemployed over the sum of those labour ' +
        'forces. It covers experienced workers only (no new entrants), so it runs below the headline ' +
        'unemployment rate, and rounding of the published rates can move it by about 0.1 point.',
      dataSource:
        'U.S. Bureau of Labor Statistics, Current Population Survey, Table A-31 "Unemployed persons by industry ' +
        'and class of worker"; file unemployment-across-industries.json of vega-datasets 3.2.1.',
      baselinePeriod: '2009-06',
      target: { period: '2014-12', value: 6 },
      interimTargets: [
        { period: '2009-09', value: 9 },
        { period: '2009-12', value: 9 },
        { period: '2010-03', value: 9.5 },
        { period: '2011-12', value: 8 },
        { period: '2012-12', value: 7 },
      ],
      dimensions: [{ name: 'industry', values: industries }],
      referenceGroup: { industry: 'Education and Health' },
      // BLS publishes a month's figures early the next month; the Compact's own averages follow within weeks.
      reportingLag: { amount: 1, unit: 'months' },
      rules: [
        {
          code: 'share_of_labour_force',
          kind: 'range',
          severity: 'error',
          min: 0,
          max: 100,
          description: 'a rate of the labour force lies between 0 and 100 %',
        },
        {
          code: 'total_within_industries',
          kind: 'sum',
          severity: 'warning',
          dimension: 'industry',
          tolerance: 0.1,
          description: 'the total rate is a weighted mean of the industries, so it lies within their range',
        },
        {
          code: 'monthly_move',
          kind: 'change',
          severity: 'warning',
          maxAbs: 3,
          description: 'a rate seldom moves more than 3 points in a month; check the release',
        },
      ],
      level: 'population',
    },
    points: [...toPoints(total, `Computed by the Compact from ${CPS_SOURCE}`, totalNotes), ...slices],
  };
}

function unemployedConstruction(rows: IndustryRow[]): DemoIndicator {
  const series = new Map(
    rows.filter((r) => r.series === 'Construction').map((r) => [monthLabel(r.year, r.month), r.count] as const),
  );
  const lowest = lowestOf([...series]);
  const most = highest([...series]);
  return {
    ownerPartnerName: EMPLOYERS,
    body: {
      name: 'Unemployed construction workers',
      code: 'UNEMP_CONSTR',
      unit: 'count',
      unitLabel: 'thousand people',
      polarity: 'lower_is_better',
      frequency: 'monthly',
      decimals: 0,
      definition:
        'Unemployed persons 16 and over whose last job was in construction, in thousands; not seasonally ' +
        'adjusted (winter months run high).',
      dataSource:
        'U.S. Bureau of Labor Statistics, Current Population Survey, Table A-31; file ' +
        'unemployment-across-industries.json of vega-datasets 3.2.1.',
      baselinePeriod: '2009-06',
      target: { period: '2013-12', value: 1000 },
      interimTargets: [
        { period: '2009-12', value: 1700 },
        { period: '2011-12', value: 1500 },
      ],
      naturalLimit: 0,
      // BLS publishes a month's figures early the next month; the Compact's own averages follow within weeks.
      reportingLag: { amount: 1, unit: 'months' },
      rules: [{ code: 'not_negative', kind: 'range', severity: 'error', min: 0, description: 'a count of people' }],
      level: 'population',
    },
    points: toPoints(series, CPS_SOURCE, {
      [lowest[0]]: 'Lowest count in the series, in the summer of 2000.',
      [most[0]]: `${round(most[1] / 1000, 1)} million construction workers out of work after the housing bust, the most in the series.`,
    }),
  };
}

function nonfarmJobs(employment: Array<Record<string, string>>): DemoIndicator {
  const series = employmentSeries(employment, 'nonfarm');
  const peak = highest([...series].filter(([p]) => p <= '2009-12'));
  const trough = lowestOf([...series].filter(([p]) => p >= peak[0]));
  const recovered = [...series].find(([p, v]) => p > trough[0] && v > peak[1]);
  const notes: Record<string, string> = {
    [peak[0]]: `Pre-recession peak: ${peak[1].toLocaleString('en-US')} thousand payroll jobs.`,
    [trough[0]]: `Trough: ${round((peak[1] - trough[1]) / 1000, 1)} million jobs below the ${peak[0]} peak.`,
    '2009-06': RECESSION_NOTES['2009-06'],
  };
  if (recovered) notes[recovered[0]] = 'Payroll employment passes its pre-recession peak for the first time.';
  return {
    ownerPartnerName: WORKFORCE_OFFICE,
    body: {
      name: 'Payroll jobs',
      code: 'JOBS_TOTAL',
      unit: 'count',
      unitLabel: 'thousand jobs',
      polarity: 'higher_is_better',
      frequency: 'monthly',
      decimals: 0,
      definition: 'Total nonfarm payroll employment, in thousands of jobs, seasonally adjusted (establishment survey).',
      dataSource:
        'U.S. Bureau of Labor Statistics, Current Employment Statistics (downloaded 11 November 2018); file ' +
        'us-employment.csv of vega-datasets 3.2.1, column nonfarm.',
      baselinePeriod: '2009-06',
      // Regain the pre-recession peak by the end of 2015.
      target: { period: '2015-12', value: peak[1] },
      interimTargets: [
        { period: '2010-06', value: 131000 },
        { period: '2011-12', value: 133000 },
        { period: '2012-12', value: 135000 },
        { period: '2013-12', value: 137000 },
      ],
      // BLS publishes a month's figures early the next month; the Compact's own averages follow within weeks.
      reportingLag: { amount: 1, unit: 'months' },
      level: 'population',
    },
    points: toPoints(series, CES_SOURCE, notes),
  };
}

function constructionJobs(employment: Array<Record<string, string>>): DemoIndicator {
  const series = employmentSeries(employment, 'construction');
  const high = highest([...series]);
  const low = lowestOf([...series]);
  return {
    ownerPartnerName: EMPLOYERS,
    body: {
      name: 'Construction jobs',
      code: 'JOBS_CONSTR',
      unit: 'count',
      unitLabel: 'thousand jobs',
      polarity: 'higher_is_better',
      frequency: 'monthly',
      decimals: 0,
      definition: 'Payroll employment in construction, in thousands of jobs, seasonally adjusted.',
      dataSource:
        'U.S. Bureau of Labor Statistics, Current Employment Statistics; file us-employment.csv of ' +
        'vega-datasets 3.2.1, column construction.',
      baselinePeriod: '2009-06',
      target: { period: '2016-12', value: 6800 },
      interimTargets: [
        { period: '2012-12', value: 5800 },
        { period: '2014-12', value: 6300 },
      ],
      // BLS publishes a month's figures early the next month; the Compact's own averages follow within weeks.
      reportingLag: { amount: 1, unit: 'months' },
      level: 'population',
    },
    points: toPoints(series, CES_SOURCE, {
      [high[0]]: 'Construction employment at its housing-boom high.',
      [low[0]]: `Low point: ${round((high[1] - low[1]) / 1000, 1)} million construction jobs lost since the ${high[0]} high.`,
    }),
  };
}

function manufacturingJobsQuarterly(employment: Array<Record<string, string>>): DemoIndicator {
  const series = quarterlyMeans(employmentSeries(employment, 'manufacturing'));
  const high = highest([...series]);
  const low = lowestOf([...series]);
  const last = [...series].at(-1)!;
  return {
    ownerPartnerName: EMPLOYERS,
    body: {
      name: 'Manufacturing jobs (quarterly average)',
      code: 'JOBS_MFG',
      unit: 'count',
      unitLabel: 'thousand jobs',
      polarity: 'higher_is_better',
      frequency: 'quarterly',
      decimals: 0,
      definition:
        'Payroll employment in manufacturing, in thousands of jobs, seasonally adjusted; the quarterly value ' +
        'is the mean of the three monthly figures, computed by the Compact and rounded to 0.1.',
      dataSource:
        'U.S. Bureau of Labor Statistics, Current Employment Statistics; file us-employment.csv of ' +
        'vega-datasets 3.2.1, column manufacturing (monthly, averaged to quarters).',
      baselinePeriod: '2009-Q2',
      target: { period: '2016-Q4', value: 12600 },
      interimTargets: [
        { period: '2011-Q4', value: 11800 },
        { period: '2013-Q4', value: 12200 },
      ],
      // BLS publishes a month's figures early the next month; the Compact's own averages follow within weeks.
      reportingLag: { amount: 1, unit: 'months' },
      level: 'population',
    },
    points: toPoints(series, `${CES_SOURCE}; quarterly mean computed by the Compact`, {
      [high[0]]: 'Manufacturing employment at its highest in the series.',
      [low[0]]: `Manufacturing employment bottoms out, ${round((high[1] - low[1]) / 1000, 1)} million jobs below ${high[0]}.`,
      [last[0]]: `${Math.round(last[1] - low[1])} thousand factory jobs have come back since the low: about ${Math.round((100 * (last[1] - low[1])) / (high[1] - low[1]))}% of those lost.`,
    }),
  };
}

function educationHealthJobsProgramYear(employment: Array<Record<string, string>>): DemoIndicator {
  const series = programYearMeans(employmentSeries(employment, 'education_and_health_services'));
  return {
    ownerPartnerName: COLLEGE,
    body: {
      name: 'Education and health services jobs (program-year average)',
      code: 'JOBS_EDHEALTH',
      unit: 'count',
      unitLabel: 'thousand jobs',
      polarity: 'higher_is_better',
      frequency: 'annual',
      yearStartMonth: 7,
      decimals: 0,
      definition:
        'Payroll employment in private education and health services, in thousands of jobs, seasonally ' +
        'adjusted, averaged over the workforce program year July–June (the WIOA/WIA program year; label ' +
        '2008-09 = July 2008 – June 2009); computed by the Compact from the monthly figures, rounded to 0.1.',
      dataSource:
        'U.S. Bureau of Labor Statistics, Current Employment Statistics; file us-employment.csv of ' +
        'vega-datasets 3.2.1, column education_and_health_services (monthly, averaged to program years).',
      baselinePeriod: '2008-09',
      target: { period: '2016-17', value: 23000 },
      interimTargets: [{ period: '2012-13', value: 21000 }],
      // The program-year average is computed once June's figures are out.
      reportingLag: { amount: 2, unit: 'months' },
      level: 'population',
    },
    points: toPoints(series, `${CES_SOURCE}; program-year mean computed by the Compact`, {
      '2008-09':
        'The recession year: education and health services kept adding jobs while total payroll employment fell.',
    }),
  };
}

function leisureHospitalityJobs(employment: Array<Record<string, string>>): DemoIndicator {
  const series = employmentSeries(employment, 'leisure_and_hospitality');
  const peak = highest([...series].filter(([p]) => p < '2009-01'));
  const low = lowestOf([...series].filter(([p]) => p > peak[0]));
  const back = [...series].find(([p, v]) => p > low[0] && v > peak[1]);
  const notes: Record<string, string> = {
    [peak[0]]: 'Pre-recession peak of leisure and hospitality employment.',
    [low[0]]: `Low point: ${Math.round(peak[1] - low[1])} thousand jobs below the ${peak[0]} peak.`,
  };
  if (back)
    notes[back[0]] = 'Back above its pre-recession peak, more than two years before payroll employment as a whole.';
  return {
    ownerPartnerName: NEIGHBOURS,
    body: {
      name: 'Leisure and hospitality jobs',
      code: 'JOBS_HOSP',
      unit: 'count',
      unitLabel: 'thousand jobs',
      polarity: 'higher_is_better',
      frequency: 'monthly',
      decimals: 0,
      definition:
        'Payroll employment in leisure and hospitality (arts, entertainment, recreation, accommodation and ' +
        'food services), in thousands of jobs, seasonally adjusted.',
      dataSource:
        'U.S. Bureau of Labor Statistics, Current Employment Statistics; file us-employment.csv of ' +
        'vega-datasets 3.2.1, column leisure_and_hospitality.',
      baselinePeriod: '2009-06',
      target: { period: '2015-12', value: 15000 },
      interimTargets: [
        { period: '2010-09', value: 13100 },
        { period: '2012-12', value: 13900 },
      ],
      // BLS publishes a month's figures early the next month; the Compact's own averages follow within weeks.
      reportingLag: { amount: 1, unit: 'months' },
      level: 'population',
    },
    points: toPoints(series, CES_SOURCE, notes),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Accountability: partners' performance measures (ILLUSTRATIVE figures), turn-the-curve reports, actions
// ---------------------------------------------------------------------------------------------------------

const CONSTRUCTION_OUTCOME = 'Construction jobs return as building picks up';
const HOSPITALITY_OUTCOME = 'Hospitality jobs come back to neighbourhood main streets';
const PRE_APPRENTICESHIP = 'Construction pre-apprenticeship';
const OUTREACH = 'Neighbourhood job outreach';
const ILLUSTRATIVE_SOURCE = 'ILLUSTRATIVE: figures invented for the demo; no real program reported them.';
const ILLUSTRATIVE_NOTE =
  ' ILLUSTRATIVE: the figures are invented for this demo (the partnership and its programs are fictional); unlike ' +
  'the population indicators, they are not public statistics.';

/** Quarterly points from 2009-Q4 on, one per value, all marked illustrative. */
function illustrativeQuarters(first: string, values: number[]): DataPointBody[] {
  const [year, quarter] = [Number(first.slice(0, 4)), Number(first.slice(6))];
  return values.map((value, i) => {
    const index = year * 4 + quarter - 1 + i;
    return {
      period: `${Math.floor(index / 4)}-Q${(index % 4) + 1}`,
      value,
      status: 'provisional',
      source: ILLUSTRATIVE_SOURCE,
    };
  });
}

/** The pre-apprenticeship's neighbourhoods and the share of its enrolees each sends (illustrative). */
const NEIGHBOURHOODS = [
  { name: 'Riverside', share: 0.5 },
  { name: 'Northgate', share: 0.3 },
  { name: 'Eastbank', share: 0.2 },
];

/**
 * The measure's quarterly total split by neighbourhood (whole residents; the groups add up to the total), so
 * the demo holds a disaggregated count with cells small enough to be suppressed in public.
 */
function byNeighbourhood(demo: DemoPerformanceMeasure): DemoPerformanceMeasure {
  const groups = demo.measure.points.flatMap((total) => {
    const counts = NEIGHBOURHOODS.slice(0, -1).map((n) => Math.round(total.value * n.share));
    counts.push(total.value - counts.reduce((a, b) => a + b, 0));
    return NEIGHBOURHOODS.map((n, i) => ({ ...total, value: counts[i]!, disaggregation: { neighbourhood: n.name } }));
  });
  return { ...demo, measure: { ...demo.measure, points: [...demo.measure.points, ...groups] } };
}

/** A performance measure of a program: quarterly, illustrative figures, due 45 days after the quarter. */
function measure(
  outcomeTitle: string,
  ownerPartnerName: string,
  body: Omit<IndicatorBody, 'frequency' | 'level' | 'dataSource' | 'reportingLag' | 'decimals'> & { decimals?: number },
  first: string,
  values: number[],
): DemoPerformanceMeasure {
  return {
    outcomeTitle,
    measure: {
      ownerPartnerName,
      body: {
        ...body,
        definition: `${body.definition ?? ''}${ILLUSTRATIVE_NOTE}`,
        frequency: 'quarterly',
        decimals: body.decimals ?? 0,
        level: 'performance',
        dataSource: `${ILLUSTRATIVE_SOURCE} Would come from the program's own records (${ownerPartnerName}).`,
        reportingLag: { amount: 45, unit: 'days' },
      },
      points: illustrativeQuarters(first, values),
    },
  };
}

/**
 * One measure in each quadrant of RBA performance accountability for the college's pre-apprenticeship (how
 * much, how well, is anyone better off), and a "how much" measure for the neighbourhood group's outreach, so
 * two partners' contributions show next to the population curves they are meant to move.
 */
function performanceMeasures(): DemoPerformanceMeasure[] {
  return [
    byNeighbourhood(
      measure(
        CONSTRUCTION_OUTCOME,
        COLLEGE,
        {
          name: 'Residents enrolled in the construction pre-apprenticeship',
          code: 'PM_PREAPP_ENROLLED',
          unit: 'count',
          unitLabel: 'residents',
          polarity: 'higher_is_better',
          quadrant: 'how_much',
          programName: PRE_APPRENTICESHIP,
          definition: 'How much did we do: residents who started the 12-week pre-apprenticeship in the quarter.',
          baselinePeriod: '2009-Q4',
          target: { period: '2011-Q4', value: 80 },
          interimTargets: [{ period: '2010-Q4', value: 55 }],
          dimensions: [{ name: 'neighbourhood', values: NEIGHBOURHOODS.map((n) => n.name) }],
          // Enrolment counts by neighbourhood are small: below 11, a cell (and the one that would reveal it) is
          // withheld from public outputs (docs/publication.md).
          suppression: { minCellSize: 11 },
        },
        '2009-Q4',
        [24, 38, 45, 52, 60, 58, 66, 71, 75],
      ),
    ),
    measure(
      CONSTRUCTION_OUTCOME,
      COLLEGE,
      {
        name: 'Enrollees completing the pre-apprenticeship',
        code: 'PM_PREAPP_COMPLETED',
        unit: 'percent',
        unitLabel: '% of enrollees',
        polarity: 'higher_is_better',
        quadrant: 'how_well',
        programName: PRE_APPRENTICESHIP,
        definition:
          'How well did we do it: share of the residents who started the program in the quarter and completed it.',
        baselinePeriod: '2009-Q4',
        target: { period: '2011-Q4', value: 85 },
        interimTargets: [{ period: '2010-Q4', value: 80 }],
      },
      '2009-Q4',
      [71, 74, 78, 76, 80, 82, 81, 84, 85],
    ),
    measure(
      CONSTRUCTION_OUTCOME,
      COLLEGE,
      {
        name: 'Graduates employed in construction six months after completing',
        code: 'PM_PREAPP_EMPLOYED',
        unit: 'percent',
        unitLabel: '% of graduates',
        polarity: 'higher_is_better',
        quadrant: 'better_off',
        programName: PRE_APPRENTICESHIP,
        definition:
          "Is anyone better off: share of the quarter's graduates working in construction (a registered apprenticeship or a trades job) six months after completing.",
        baselinePeriod: '2010-Q2',
        target: { period: '2011-Q4', value: 70 },
        interimTargets: [{ period: '2010-Q4', value: 58 }],
      },
      '2010-Q2',
      [48, 52, 55, 61, 63, 66, 68],
    ),
    measure(
      HOSPITALITY_OUTCOME,
      NEIGHBOURS,
      {
        name: 'Residents reached by neighbourhood job outreach',
        code: 'PM_OUTREACH_REACHED',
        unit: 'count',
        unitLabel: 'residents',
        polarity: 'higher_is_better',
        quadrant: 'how_much',
        programName: OUTREACH,
        definition: 'How much did we do: residents met at neighbourhood job fairs and door-knocking in the quarter.',
        baselinePeriod: '2009-Q4',
        target: { period: '2011-Q4', value: 650 },
        interimTargets: [{ period: '2010-Q4', value: 500 }],
      },
      '2009-Q4',
      [310, 420, 380, 450, 520, 490, 560, 600, 640],
    ),
  ];
}

/**
 * The turn-the-curve report of the headline indicator. The history it tells is the real one (national
 * figures); the partnership's analysis and plan are fictional.
 */
function curveReports(): DemoCurveReport[] {
  return [
    {
      indicatorCode: 'UNEMP_RATE',
      body: {
        story:
          'The rate of experienced workers out of work more than doubled between 2007 and 2009 as the housing bust and the ' +
          'financial crisis went through the economy. Construction and manufacturing lost the most jobs and carry the ' +
          'highest rates; education and health kept hiring. The baseline forecast, drawn from the years before June 2009, ' +
          'says the curve would keep climbing if nothing changed: employers were still shedding workers, and those who ' +
          'lost construction and factory jobs did not have the credentials the growing sectors ask for.',
        forces: [
          {
            description:
              'Construction and manufacturing employment collapsed with the housing bust and the auto crisis.',
            direction: 'hindering',
          },
          {
            description: 'Displaced workers lack the credentials the hiring sectors (health care, education) require.',
            direction: 'hindering',
          },
          { description: 'Long spells of unemployment make it harder to get hired again.', direction: 'hindering' },
          {
            description: 'Education and health services kept adding jobs through the recession.',
            direction: 'helping',
          },
          {
            description: 'Federal recovery funds for training and infrastructure reach the region in 2009–2010.',
            direction: 'helping',
          },
        ],
        partners: [
          {
            partnerName: WORKFORCE_OFFICE,
            role: 'Runs the American Job Centers; refers displaced workers to training and employers.',
          },
          {
            partnerName: COLLEGE,
            role: "Short credentials in the construction trades and health care, timed to employers' hiring.",
          },
          { partnerName: EMPLOYERS, role: 'Hiring pledges and work-based learning; work-sharing instead of layoffs.' },
          {
            partnerName: NEIGHBOURS,
            role: 'Reaches residents the job centers do not see; hosts community data walks.',
          },
          {
            name: 'State unemployment insurance agency (not a Compact partner)',
            role: 'Approves work-sharing plans; shares claims data.',
          },
        ],
        whatWorks: [
          {
            idea: 'Sector-focused training designed with employers',
            evidence:
              "Public/Private Ventures' Sectoral Employment Impact Study (2010): participants in sector-focused programs earned more and worked more than a randomised control group.",
            cost: 'higher_cost',
          },
          {
            idea: 'Work-sharing (short-time compensation) instead of layoffs',
            evidence:
              "Widely used in the 2008–2009 recession (e.g. Germany's Kurzarbeit) to keep workers attached to their employers.",
            cost: 'low_cost',
          },
          { idea: 'Employers post openings with the American Job Centers before advertising them', cost: 'no_cost' },
          { idea: 'Quarterly community data walks in the hardest-hit neighbourhoods', cost: 'low_cost' },
        ],
        actionPlan:
          'Within 90 days: an employer hiring pledge for pre-apprenticeship graduates (quick win). Within a year: launch ' +
          'the construction pre-apprenticeship and promote work-sharing to manufacturers. Systems change: one intake and ' +
          'referral record shared by the job centers and the college. Each action has an owner partner and a due date; ' +
          'progress is reviewed every 90-day reporting cycle.',
      },
    },
  ];
}

/** The Compact's action plan: two quick wins, done work (one late), an overdue systems change, a dropped idea. */
function actions(): DemoAction[] {
  return [
    {
      title: 'Employer hiring pledge for pre-apprenticeship graduates',
      description: 'Employers commit to interview every graduate of the construction pre-apprenticeship.',
      ownerPartnerName: EMPLOYERS,
      indicatorCodes: ['UNEMP_CONSTR', 'JOBS_CONSTR'],
      start: '2009-07-15',
      due: '2009-10-01',
      status: 'done',
      completedOn: '2009-09-24',
    },
    {
      title: 'Launch the construction pre-apprenticeship',
      description:
        'A 12-week program in the trades, with math and safety credentials, designed with the employers association.',
      ownerPartnerName: COLLEGE,
      indicatorCodes: ['UNEMP_CONSTR', 'JOBS_CONSTR', 'PM_PREAPP_ENROLLED'],
      start: '2009-08-01',
      due: '2010-01-31',
      status: 'done',
      completedOn: '2010-01-15',
    },
    {
      title: 'Neighbourhood job fairs with reopening restaurants and hotels',
      description: 'Three job fairs on the Eastside main streets, with employers hiring on the spot.',
      ownerPartnerName: NEIGHBOURS,
      indicatorCodes: ['JOBS_HOSP', 'PM_OUTREACH_REACHED'],
      start: '2009-09-01',
      due: '2009-11-20',
      status: 'done',
      completedOn: '2009-12-05',
      updates: [
        'The third fair moved to early December so that the hotels reopening for the holidays could take part.',
      ],
    },
    {
      title: 'Work-sharing outreach to manufacturers',
      description:
        'Visit every manufacturer with 50 or more workers to explain work-sharing (short-time compensation).',
      ownerPartnerName: WORKFORCE_OFFICE,
      indicatorCodes: ['JOBS_MFG'],
      start: '2009-07-01',
      due: '2010-06-30',
      status: 'done',
      completedOn: '2010-06-15',
    },
    {
      title: 'One intake and referral record for the job centers and the college',
      description:
        'Systems change: a shared record so a resident tells their story once and referrals can be followed up.',
      ownerPartnerName: WORKFORCE_OFFICE,
      indicatorCodes: ['UNEMP_RATE', 'JOBS_TOTAL'],
      start: '2010-01-04',
      due: '2011-06-30',
      status: 'in_progress',
      updates: [
        "Data-sharing agreement signed by three of the five partners; the college's student records system needs a new interface.",
      ],
    },
    {
      title: 'Regional wage subsidy for the long-term unemployed',
      description: 'A foundation-funded wage subsidy for employers hiring residents out of work for more than a year.',
      ownerPartnerName: FOUNDATION,
      indicatorCodes: ['UNEMP_RATE'],
      start: '2010-03-01',
      due: '2010-12-31',
      status: 'dropped',
      updates: ['Dropped: the federal subsidized-employment fund covered the same employers.'],
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------
// The whole initiative
// ---------------------------------------------------------------------------------------------------------

/**
 * The demo initiative, as request bodies in tree order.
 *
 * @example
 * const demo = buildDemoInitiative();
 * demo.initiative.name;                    // 'Tri-River Jobs Compact'
 * demo.results[0].indicators[0].body.code; // 'UNEMP_RATE'
 */
export function buildDemoInitiative(): DemoInitiative {
  const unemployment = readUnemploymentByIndustry();
  const employment = readEmployment();

  return {
    attribution: DEMO_ATTRIBUTION,
    initiative: {
      name: 'Tri-River Jobs Compact',
      slug: 'tri-river-jobs-compact',
      description:
        'A regional jobs partnership formed in July 2009, as the Great Recession ended, by the city workforce ' +
        'office, the community college, the employers association, a community foundation and a neighbourhood ' +
        'group, to get residents who lost work back into good jobs. Demo: the partnership is fictional; its ' +
        'indicators carry real U.S. national statistics from the Bureau of Labor Statistics.',
      geography: 'Tri-River region (demo: U.S. national figures stand in for regional data)',
      formality: 'formal',
      stage: 'performing',
      workLevel: 'both',
      brand: { color: '#1b6e8a' },
      embedOrigins: [],
      publication: { required: true, fourEyes: false },
    },
    awaitingApproval: [{ indicatorCode: 'PM_OUTREACH_REACHED', period: '2011-Q4' }],
    partners: PARTNERS.map((p) => ({ ...p })),
    results: [
      {
        result: {
          statement:
            'Working-age residents of the Tri-River region who want a job have one: the unemployment rate of ' +
            'experienced workers falls from 8.8% in June 2009 to 6% by December 2014, and payroll employment ' +
            'regains its pre-recession peak by December 2015.',
          population:
            'Residents aged 16 and over in the labour force, with a focus on workers displaced by the recession',
          geography: 'Tri-River region (demo: U.S. national figures)',
          timeFrame: { start: 2009, end: 2016 },
          visibility: 'public',
        },
        indicators: [unemploymentRate(unemployment), nonfarmJobs(employment)],
        outcomes: [
          {
            title: 'Workers displaced from construction and manufacturing find new work',
            description:
              'The housing bust and the auto crisis hit these industries hardest; the Compact retrains and ' +
              're-employs their workers.',
            indicators: [unemployedConstruction(unemployment)],
            children: [
              {
                title: CONSTRUCTION_OUTCOME,
                description: "Employers commit to hire apprentices from the college's pre-apprenticeship program.",
                indicators: [constructionJobs(employment)],
                children: [],
              },
              {
                title: 'Manufacturers retain and rebuild their workforce',
                description: 'Work-sharing and incumbent-worker training keep skilled workers attached to plants.',
                indicators: [manufacturingJobsQuarterly(employment)],
                children: [],
              },
            ],
          },
          {
            title: 'Growing sectors hire and train local residents',
            description: 'Point job seekers to the sectors that are hiring, with credentials employers recognise.',
            indicators: [],
            children: [
              {
                title: 'Health-care and education employers fill openings with local graduates',
                description: "The college's health-care credentials are matched to hospital and school openings.",
                indicators: [educationHealthJobsProgramYear(employment)],
                children: [],
              },
              {
                title: HOSPITALITY_OUTCOME,
                description: 'Neighbourhood outreach connects residents to restaurants and hotels as they reopen.',
                indicators: [leisureHospitalityJobs(employment)],
                children: [],
              },
            ],
          },
        ],
        performanceMeasures: performanceMeasures(),
        curveReports: curveReports(),
        actions: actions(),
        acknowledgements: [
          {
            indicatorCode: 'UNEMP_CONSTR',
            period: '2009-02',
            code: 'outlier_history',
            comment:
              'Checked against the BLS release: the housing bust, not a typo. Construction unemployment doubled in a year.',
          },
        ],
      },
    ],
  };
}

/**
 * The SMART check (docs/methodology.md §8). Expected rates computed independently (Python, float64).
 */
import t from '../helpers/tap.ts';
import {
  bestImprovementRate,
  type SmartIndicatorInput,
  type SmartResultInput,
  smartCheck,
} from '../../server/engine/smart-check.ts';

const annual = { frequency: 'annual' } as const;
const pts = (rows: [string | number, number][]) => rows.map(([period, value]) => ({ period: String(period), value }));
const near = (a: number | null | undefined, b: number, eps = 1e-12) => typeof a === 'number' && Math.abs(a - b) <= eps;

function unemployment(over: Partial<SmartIndicatorInput> = {}): SmartIndicatorInput {
  return {
    id: 'ind-1',
    name: 'Unemployment rate',
    definition: 'Share of the labour force without a job and looking for one (ACS 1-year).',
    unit: 'percent',
    level: 'population',
    isHeadline: true,
    hasBasePoint: true,
    basePoint: { period: '2020', value: 8 },
    target: { period: '2025', value: 6 },
    polarity: 'lower_is_better',
    calendar: annual,
    history: pts([
      [2016, 9.5],
      [2017, 9.0],
      [2018, 8.0],
      [2019, 7.8],
      [2020, 8.0],
    ]),
    ...over,
  };
}

function result(over: Partial<SmartResultInput> = {}): SmartResultInput {
  return {
    population: 'Working-age residents',
    geography: 'Detroit',
    timeFrame: { start: 2020, end: 2030 },
    indicators: [unemployment()],
    ...over,
  };
}

t.test('the documented example: a stretch target makes the result general', async (t) => {
  const s = smartCheck(result());
  const ind = s.indicators[0]!;
  t.equal(ind.id, 'ind-1');
  t.equal(ind.criteria.attainable.status, 'warn');
  t.match(
    ind.criteria.attainable.reasons[0],
    /^Stretch: the target needs a 5\.59 % improvement a year over 5 years; the best the history shows is a 4\.21 % improvement a year \(2016–2020\)/,
  );
  t.equal(ind.attainability.horizonYears, 5);
  t.ok(near(ind.attainability.requiredImprovement, 0.05591248870509802), 'required −((6/8)^(1/5) − 1)');
  t.ok(near(ind.attainability.requiredRate, -0.05591248870509802), 'the §5 required CAGR');
  t.ok(near(ind.attainability.bestImprovement, 0.04205274911285062), 'best −((8/9.5)^(1/4) − 1)');
  t.ok(near(ind.attainability.ratio, 1.329579870154365), 'ratio');
  t.equal(ind.attainability.windowRule, 'whole_history', 'the 4-year history is shorter than the 5-year horizon');
  t.same(ind.attainability.bestWindow?.from, '2016');
  for (const c of ['specific', 'measurable', 'relevant', 'timeBound'] as const) {
    t.equal(ind.criteria[c].status, 'pass', `indicator ${c}`);
    t.equal(s.result[c].status, 'pass', `result ${c}`);
  }
  t.equal(s.result.attainable.status, 'warn', 'the result takes its headline indicators’ worst grade');
  t.match(s.result.attainable.reasons[0], /^"Unemployment rate": Stretch/);
  t.equal(s.reading, 'general');
  t.match(s.readingReason, /some criteria do not pass/);
  t.equal(s.method, 'living_cities_smart');
  t.same(JSON.parse(JSON.stringify(s)), s, 'JSON round trip');
});

t.test('everything passes: specific', async (t) => {
  const s = smartCheck(result({ indicators: [unemployment({ target: { period: '2025', value: 6.5 } })] }));
  const a = s.indicators[0]!.attainability;
  t.ok(near(a.requiredImprovement, 0.04067740418734689), 'required 4.07 % < best 4.21 %');
  t.equal(s.indicators[0]!.criteria.attainable.status, 'pass');
  t.equal(s.reading, 'specific');
  t.match(s.readingReason, /Every criterion passes/);
});

t.test('unprecedented: more than twice the best pace', async (t) => {
  const s = smartCheck(result({ indicators: [unemployment({ target: { period: '2025', value: 4 } })] }));
  const ind = s.indicators[0]!;
  t.equal(ind.criteria.attainable.status, 'fail');
  t.match(ind.criteria.attainable.reasons[0], /^Unprecedented: .*12\.9 % improvement/);
  t.ok(near(ind.attainability.ratio, 0.12944943670387588 / 0.04205274911285062, 1e-12));
  t.equal(s.result.attainable.status, 'fail');
});

t.test('a history that never improved: any required improvement is unprecedented', async (t) => {
  const s = smartCheck(
    result({
      indicators: [
        unemployment({
          history: pts([
            [2018, 7],
            [2019, 7.5],
            [2020, 8],
          ]),
          target: { period: '2025', value: 7.9 },
        }),
      ],
    }),
  );
  const ind = s.indicators[0]!;
  t.ok(ind.attainability.bestImprovement! < 0, 'best is a worsening');
  t.equal(ind.attainability.ratio, null);
  t.equal(ind.criteria.attainable.status, 'fail');
  t.match(
    ind.criteria.attainable.reasons[0],
    /worsening a year \(2018–2020\), the history never improved over such a window\.$/,
  );
});

t.test('no history, no target, no base point', async (t) => {
  const oneHistoricalPoint = smartCheck(result({ indicators: [unemployment({ history: pts([[2020, 8]]) })] }));
  t.equal(oneHistoricalPoint.indicators[0]!.criteria.attainable.status, 'warn');
  t.match(oneHistoricalPoint.indicators[0]!.criteria.attainable.reasons[0], /^No history/);

  const noTarget = smartCheck(result({ indicators: [unemployment({ target: null })] }));
  const ind = noTarget.indicators[0]!;
  t.equal(ind.criteria.timeBound.status, 'fail');
  t.equal(ind.criteria.attainable.status, 'warn');
  t.match(ind.criteria.attainable.reasons[0], /no target/);
  t.equal(noTarget.reading, 'general');
  t.match(noTarget.readingReason, /no target is set for "Unemployment rate"/);

  const noData = smartCheck(
    result({ indicators: [unemployment({ hasBasePoint: false, basePoint: null, history: [] })] }),
  );
  t.equal(noData.indicators[0]!.criteria.measurable.status, 'fail');
  t.equal(noData.indicators[0]!.criteria.attainable.status, 'warn');
  t.equal(noData.result.measurable.status, 'warn', 'a headline indicator without baseline data');
  t.match(noData.result.measurable.reasons[1], /No baseline data yet for "Unemployment rate"/);

  const shifted = smartCheck(
    result({ indicators: [unemployment({ hasBasePoint: false, basePoint: { period: '2021', value: 7.9 } })] }),
  );
  t.equal(shifted.indicators[0]!.criteria.measurable.status, 'warn');
  t.match(shifted.indicators[0]!.criteria.measurable.reasons[0], /first later point \(2021\)/);
});

t.test('a target that asks for no improvement passes', async (t) => {
  const s = smartCheck(result({ indicators: [unemployment({ target: { period: '2025', value: 8.5 } })] }));
  t.equal(s.indicators[0]!.criteria.attainable.status, 'pass');
  t.match(s.indicators[0]!.criteria.attainable.reasons[0], /no improvement is required/);
});

t.test('Specific: population, geography, definition, unit', async (t) => {
  const one = smartCheck(result({ geography: '  ' }));
  t.equal(one.result.specific.status, 'warn');
  t.match(one.result.specific.reasons[1], /does not name a geography/);
  const none = smartCheck(result({ geography: null, population: null }));
  t.equal(none.result.specific.status, 'fail');
  const vague = smartCheck(result({ indicators: [unemployment({ definition: '' })] }));
  t.equal(vague.indicators[0]!.criteria.specific.status, 'warn');
  const bare = smartCheck(result({ indicators: [unemployment({ definition: null, unit: null })] }));
  t.equal(bare.indicators[0]!.criteria.specific.status, 'fail');
});

t.test('Relevant: headline indicators must be population-level', async (t) => {
  const referrals = unemployment({ id: 'ind-2', name: 'Job referrals through our program', level: 'performance' });
  const only = smartCheck(result({ indicators: [referrals] }));
  t.equal(only.indicators[0]!.criteria.relevant.status, 'fail');
  t.match(only.indicators[0]!.criteria.relevant.reasons[0], /not a population-level result/);
  t.equal(only.result.relevant.status, 'fail');
  const mixed = smartCheck(result({ indicators: [unemployment(), referrals] }));
  t.equal(mixed.result.relevant.status, 'warn');
  t.match(
    mixed.result.relevant.reasons[0],
    /^"Job referrals through our program" is a program's performance measure, not a population-level indicator/,
  );
  const underOutcome = smartCheck(result({ indicators: [unemployment(), { ...referrals, isHeadline: false }] }));
  t.equal(underOutcome.indicators[1]!.criteria.relevant.status, 'pass');
  t.equal(underOutcome.result.relevant.status, 'pass');
});

t.test('Time-bound: time frame and target periods', async (t) => {
  const noFrame = smartCheck(
    result({ timeFrame: null, indicators: [unemployment({ target: { period: '2025', value: 6.5 } })] }),
  );
  t.equal(noFrame.result.timeBound.status, 'fail');
  t.equal(noFrame.reading, 'general');
  t.match(noFrame.readingReason, /no usable time frame/);
  const startOnly = smartCheck(result({ timeFrame: { start: 2020, end: null } }));
  t.equal(startOnly.result.timeBound.status, 'fail');
  const backwards = smartCheck(result({ timeFrame: { start: 2030, end: 2020 } }));
  t.equal(backwards.result.timeBound.status, 'fail');
  t.match(backwards.result.timeBound.reasons[0], /ends \(2020\) before it starts \(2030\)/);

  const late = smartCheck(result({ timeFrame: { start: 2020, end: 2024 } }));
  t.equal(late.indicators[0]!.criteria.timeBound.status, 'warn');
  t.match(late.indicators[0]!.criteria.timeBound.reasons[1], /starts after the result's time frame ends \(2024\)/);

  const early = smartCheck(result({ indicators: [unemployment({ target: { period: '2019', value: 6 } })] }));
  t.equal(early.indicators[0]!.criteria.timeBound.status, 'fail');
  t.equal(early.indicators[0]!.criteria.attainable.status, 'warn');
  t.equal(early.indicators[0]!.attainability.horizonYears, -1);
});

t.test('no headline indicator: unsure', async (t) => {
  const s = smartCheck(result({ indicators: [unemployment({ isHeadline: false })] }));
  t.equal(s.reading, 'unsure');
  t.equal(s.result.measurable.status, 'fail');
  t.equal(s.result.attainable.status, 'warn');
  t.equal(s.result.relevant.status, 'warn');
  const empty = smartCheck(result({ indicators: [] }));
  t.equal(empty.reading, 'unsure');
  t.same(empty.indicators, []);
});

t.test('bestImprovementRate: windows of the horizon length across gaps', async (t) => {
  // Annual, with gaps; horizon 3 years, higher is better. For each start, the first point at least 3 years later.
  const history = pts([
    [2005, 50],
    [2006, 52],
    [2008, 55],
    [2009, 54],
    [2012, 60],
    [2013, 61],
    [2014, 63],
    [2016, 62],
    [2020, 70],
  ]);
  const r = bestImprovementRate(history, 3, 'higher_is_better', annual);
  t.equal(r.windowRule, 'horizon');
  t.equal(r.windowsConsidered, 8, 'every start except the last has a window');
  t.same([r.best?.from, r.best?.to, r.best?.years], ['2009', '2012', 3]);
  t.ok(near(r.best?.improvementRate, 0.03574416865128627), `(60/54)^(1/3) − 1 = ${r.best?.improvementRate}`);

  // The documented example.
  const doc = bestImprovementRate(
    pts([
      [2010, 100],
      [2011, 90],
      [2012, 85],
      [2013, 88],
    ]),
    2,
    'lower_is_better',
    annual,
  );
  t.same([doc.best?.from, doc.best?.to], ['2010', '2012']);
  t.ok(near(doc.best?.improvementRate, 1 - Math.sqrt(0.85)));
  t.equal(doc.windowsConsidered, 2);

  // Quarterly, horizon 3 quarters.
  const q = bestImprovementRate(
    pts([
      ['2019-Q1', 10],
      ['2019-Q2', 10.5],
      ['2019-Q3', 10.2],
      ['2019-Q4', 11],
      ['2020-Q1', 11.4],
    ]),
    0.75,
    'higher_is_better',
    { frequency: 'quarterly' },
  );
  t.equal(q.windowsConsidered, 2);
  t.ok(near(q.best?.improvementRate, 0.135508127002004), `1.1^(4/3) − 1 = ${q.best?.improvementRate}`);

  // Negative values, higher is better: −20 → −15 is an improvement.
  const neg = bestImprovementRate(
    pts([
      [2000, -20],
      [2001, -18],
      [2002, -15],
      [2003, -14],
    ]),
    2,
    'higher_is_better',
    annual,
  );
  t.ok(near(neg.best?.improvementRate, 0.1339745962155614), `${neg.best?.improvementRate}`);

  // Crossing zero: no usable window.
  const cross = bestImprovementRate(
    pts([
      [2000, -2],
      [2001, 3],
    ]),
    1,
    'higher_is_better',
    annual,
  );
  t.equal(cross.best, null);
  t.equal(cross.windowsConsidered, 0);
  t.equal(bestImprovementRate(pts([[2000, 1]]), 1, 'higher_is_better', annual).best, null);
});

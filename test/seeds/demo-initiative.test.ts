import t from '../helpers/tap.ts';
import { IndicatorCreate } from '../../schema/contracts/indicators.ts';
import { DataPointsUpsert } from '../../schema/contracts/data-points.ts';
import { InitiativeCreate } from '../../schema/contracts/initiatives.ts';
import { OutcomeCreate } from '../../schema/contracts/outcomes.ts';
import { PartnerCreate } from '../../schema/contracts/partners.ts';
import { ResultCreate } from '../../schema/contracts/results.ts';
import { parsePeriod, type PeriodCalendar } from '../../server/engine/periods.ts';
import {
  buildDemoInitiative,
  DEMO_ATTRIBUTION,
  type DemoIndicator,
  type DemoOutcome,
} from '../../seeds/demo-initiative.ts';

const demo = buildDemoInitiative();
const [entry] = demo.results;

/** Every indicator of a result, with the outcome depth it hangs at (0 = headline). */
function allIndicators(): Array<{ indicator: DemoIndicator; depth: number }> {
  const out: Array<{ indicator: DemoIndicator; depth: number }> = [];
  for (const indicator of entry!.indicators) out.push({ indicator, depth: 0 });
  const walk = (outcome: DemoOutcome, depth: number): void => {
    for (const indicator of outcome.indicators) out.push({ indicator, depth });
    for (const child of outcome.children) walk(child, depth + 1);
  };
  for (const outcome of entry!.outcomes) walk(outcome, 1);
  return out;
}

function maxDepth(outcomes: DemoOutcome[]): number {
  return outcomes.reduce((d, o) => Math.max(d, 1 + maxDepth(o.children)), 0);
}

function calendarOf(indicator: DemoIndicator): PeriodCalendar {
  return { frequency: indicator.body.frequency, yearStartMonth: indicator.body.yearStartMonth ?? 1 };
}

const isTotal = (p: { disaggregation?: Record<string, string> }) => Object.keys(p.disaggregation ?? {}).length === 0;

const indicators = allIndicators();

t.test('the builder is pure: two calls give the same initiative', async (t) => {
  t.same(buildDemoInitiative(), demo);
});

t.test('the initiative is a believable cross-sector partnership', async (t) => {
  const { initiative, partners } = demo;
  t.ok(initiative.name);
  t.match(initiative.brand?.color, /^#[0-9a-f]{6}$/i);
  t.same(initiative.embedOrigins, []);
  t.ok(initiative.formality);
  t.ok(initiative.stage);
  t.ok(initiative.workLevel);
  t.ok(partners.length >= 4, 'several partners');
  t.ok(new Set(partners.map((p) => p.sector)).size >= 4, 'from different sectors');
  t.equal(new Set(partners.map((p) => p.name)).size, partners.length, 'partner names are unique');
  t.ok(
    partners.every((p) => p.role),
    'every partner has a role',
  );
});

t.test('one public, SMART-shaped shared result', async (t) => {
  t.equal(demo.results.length, 1);
  const { result } = entry!;
  t.equal(result.visibility, 'public');
  t.ok(result.statement);
  t.ok(result.population);
  t.ok(result.geography);
  t.ok(result.timeFrame && result.timeFrame.end >= result.timeFrame.start);
  t.ok(entry!.indicators.length >= 1, 'has headline indicators');
});

t.test('outcomes are at least two levels deep and every outcome has a title', async (t) => {
  t.ok(maxDepth(entry!.outcomes) >= 2);
  const titles: string[] = [];
  const walk = (o: DemoOutcome): void => {
    titles.push(o.title);
    o.children.forEach(walk);
  };
  entry!.outcomes.forEach(walk);
  t.ok(titles.every((title) => title.trim().length > 0));
});

t.test('5 to 8 indicators with unique codes, under ~3,000 points in all', async (t) => {
  t.ok(indicators.length >= 5 && indicators.length <= 8, `${indicators.length} indicators`);
  const codes = indicators.map(({ indicator }) => indicator.body.code);
  t.ok(
    codes.every((c) => typeof c === 'string' && c.length > 0),
    'every indicator has a code',
  );
  t.equal(new Set(codes).size, codes.length, 'codes are unique within the result');
  const total = indicators.reduce((s, { indicator }) => s + indicator.points.length, 0);
  t.ok(total > 0 && total < 3000, `${total} points`);
  t.ok(
    indicators.some(({ depth }) => depth >= 2),
    'some indicator hangs on a second-level outcome',
  );
  const frequencies = new Set(indicators.map(({ indicator }) => indicator.body.frequency));
  t.ok(frequencies.size >= 3, `several frequencies: ${[...frequencies].join(', ')}`);
});

t.test('every indicator is complete', async (t) => {
  const partnerNames = new Set(demo.partners.map((p) => p.name));
  for (const { indicator } of indicators) {
    const { body, points } = indicator;
    t.test(body.code!, async (t) => {
      const calendar = calendarOf(indicator);
      for (const field of ['name', 'unit', 'polarity', 'frequency', 'definition', 'dataSource', 'unitLabel'] as const) {
        t.ok(body[field], `has ${field}`);
      }
      t.ok(Number.isInteger(body.decimals), 'has decimals');
      t.equal(body.level, 'population');
      if (indicator.ownerPartnerName !== undefined)
        t.ok(partnerNames.has(indicator.ownerPartnerName), 'owner is a partner');
      t.ok(points.length > 0, 'has points');

      // Periods: baseline, target, interim targets and every point fit the indicator's frequency.
      t.ok(body.baselinePeriod, 'has a baseline period');
      t.ok(body.target, 'has a target');
      t.ok(body.interimTargets && body.interimTargets.length > 0, 'has interim targets');
      const labels = [
        body.baselinePeriod!,
        body.target!.period,
        ...(body.interimTargets ?? []).map((x) => x.period),
        ...points.map((p) => p.period),
      ];
      const bad = labels.filter((label) => !parsePeriod(label, calendar).ok);
      t.same(bad, [], 'every period label is valid for the frequency');
      const index = (label: string) => {
        const parsed = parsePeriod(label, calendar);
        return parsed.ok ? parsed.index : NaN;
      };

      // Values are finite numbers.
      const values = [
        body.target!.value,
        ...(body.interimTargets ?? []).map((x) => x.value),
        ...points.map((p) => p.value),
      ];
      t.ok(
        values.every((v) => typeof v === 'number' && Number.isFinite(v)),
        'every value is finite',
      );

      // The total slice exists, holds the base point, and the target lies at or after the data's end.
      const total = points.filter(isTotal);
      t.ok(total.length > 0, 'has a total slice');
      t.ok(
        total.some((p) => p.period === body.baselinePeriod),
        'the baseline period has a total point',
      );
      const lastIndex = Math.max(...points.map((p) => index(p.period)));
      t.ok(index(body.target!.period) >= lastIndex, 'target period at or after the last data point');
      for (const it of body.interimTargets ?? []) {
        t.ok(index(it.period) > index(body.baselinePeriod!), `interim target ${it.period} after the baseline`);
        t.ok(index(it.period) <= index(body.target!.period), `interim target ${it.period} not after the target`);
      }

      // One point per (period, slice).
      const keys = points.map((p) => `${p.period}|${JSON.stringify(p.disaggregation ?? {})}`);
      t.equal(new Set(keys).size, keys.length, 'no duplicate (period, disaggregation)');

      // Disaggregations use only declared dimensions and values; every declared value has data.
      const dims = new Map((body.dimensions ?? []).map((d) => [d.name, new Set(d.values)]));
      const undeclared = points.filter((p) =>
        Object.entries(p.disaggregation ?? {}).some(([k, v]) => !dims.get(k)?.has(v)),
      );
      t.same(undeclared, [], 'no undeclared dimension or value');
      for (const [name, declared] of dims) {
        for (const value of declared) {
          t.ok(
            points.some((p) => p.disaggregation?.[name] === value),
            `slice ${name}=${value} has points`,
          );
        }
      }
      if (body.referenceGroup) {
        for (const [k, v] of Object.entries(body.referenceGroup))
          t.ok(dims.get(k)?.has(v), `reference group ${k}=${v} is declared`);
      }
    });
  }
});

t.test('the disaggregated indicator has an industry dimension with a reference group and a total', async (t) => {
  const disaggregated = indicators.filter(({ indicator }) => (indicator.body.dimensions ?? []).length > 0);
  t.ok(disaggregated.length >= 1);
  const unemp = disaggregated.find(({ indicator }) => indicator.body.code === 'UNEMP_RATE')!.indicator;
  t.same(
    unemp.body.dimensions!.map((d) => d.name),
    ['industry'],
  );
  t.equal(unemp.body.dimensions![0]!.values.length, 14);
  t.ok(unemp.body.referenceGroup);
  t.match(unemp.body.definition, /computed/i, 'the definition says the total is computed');
  // Every month has the total and all 14 groups.
  const periods = new Set(unemp.points.map((p) => p.period));
  for (const period of periods) {
    const n = unemp.points.filter((p) => p.period === period).length;
    if (n !== 15) t.fail(`${period} has ${n} slices`);
  }
});

t.test('figures match the published data and the derivations', async (t) => {
  const byCode = new Map(indicators.map(({ indicator }) => [indicator.body.code, indicator]));
  const value = (code: string, period: string, disaggregation: Record<string, string> = {}) =>
    byCode
      .get(code)!
      .points.find(
        (p) => p.period === period && JSON.stringify(p.disaggregation ?? {}) === JSON.stringify(disaggregation),
      )?.value;
  // Published values (BLS via vega-datasets).
  t.equal(value('UNEMP_RATE', '2010-02', { industry: 'Construction' }), 27.1);
  t.equal(value('UNEMP_CONSTR', '2010-02'), 2440);
  t.equal(value('JOBS_TOTAL', '2008-01'), 138419);
  t.equal(value('JOBS_TOTAL', '2010-02'), 129726);
  // Derived: the all-industry rate (Σ unemployed ÷ Σ implied labour force), June 2009 = 8.8 (the result statement).
  t.equal(value('UNEMP_RATE', '2009-06'), 8.8);
  t.match(entry!.result.statement, /8\.8%/);
  // Derived: quarterly mean of manufacturing, Apr–Jun 2009 = (12,030 + 11,862 + 11,726) / 3 = 11,872.67 → 11,872.7.
  t.equal(value('JOBS_MFG', '2009-Q2'), 11872.7);
  const mfg = byCode.get('JOBS_MFG')!;
  t.equal(mfg.points.length, 40, '40 complete quarters 2006-Q1..2015-Q4');
  t.equal(mfg.points[0]!.period, '2006-Q1');
  // Derived: program years July–June, complete years only.
  // Derived: program-year mean of education & health, July 2008 – June 2009 = 19,448.42 → 19,448.4.
  t.equal(value('JOBS_EDHEALTH', '2008-09'), 19448.4);
  const ed = byCode.get('JOBS_EDHEALTH')!;
  t.equal(ed.body.yearStartMonth, 7);
  t.same(
    ed.points.map((p) => p.period),
    ['2006-07', '2007-08', '2008-09', '2009-10', '2010-11', '2011-12', '2012-13', '2013-14', '2014-15'],
  );
});

t.test('some points carry the story behind the number', async (t) => {
  const noted = indicators.flatMap(({ indicator }) => indicator.points.filter((p) => p.note));
  t.ok(noted.length >= 5, `${noted.length} notes`);
  t.ok(noted.some((p) => /recession/i.test(p.note!)));
});

t.test('attribution names the publisher and the package', async (t) => {
  t.equal(demo.attribution, DEMO_ATTRIBUTION);
  t.match(demo.attribution, /Bureau of Labor Statistics/);
  t.match(demo.attribution, /vega-datasets/);
  t.match(demo.attribution, /fictional/);
});

t.test('every body is accepted by the API contracts', async (t) => {
  const check = (what: string, result: { success: boolean; error?: unknown }) => {
    if (result.success) t.pass(what);
    else t.fail(what, { found: result.error });
  };
  check('initiative', InitiativeCreate.safeParse(demo.initiative));
  for (const partner of demo.partners) check(`partner ${partner.name}`, PartnerCreate.safeParse(partner));
  check('result', ResultCreate.safeParse(entry!.result));
  const walk = (o: DemoOutcome): void => {
    check(`outcome ${o.title}`, OutcomeCreate.safeParse({ title: o.title, description: o.description }));
    o.children.forEach(walk);
  };
  entry!.outcomes.forEach(walk);
  for (const { indicator } of indicators) {
    check(`indicator ${indicator.body.code}`, IndicatorCreate.safeParse(indicator.body));
    check(`points of ${indicator.body.code}`, DataPointsUpsert.safeParse({ points: indicator.points }));
  }
});

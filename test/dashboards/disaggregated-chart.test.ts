/**
 * The disaggregated chart: one line per group with the reference emphasised, and each group's equity gap in a
 * panel below on the same time axis.
 */
import t from '../helpers/tap.ts';
import { analyzeIndicator } from '../../server/engine/analyze-indicator.ts';
import type { Indicator } from '../../schema/contracts/indicators.ts';
import { buildDisaggregatedChart, groupLabel } from '../../dashboards/disaggregated-chart.ts';
import * as F from './golden/fixtures.ts';
import { describeEquityGaps } from '../../dashboards/summary-text.ts';
import { GROUP_PALETTE } from '../../dashboards/theme.ts';
import type { Brand, ChartPoint } from '../../dashboards/types.ts';
import { ariaLabels, checkSpec, points, texts } from './helpers.ts';

function chart(indicator: Indicator, data: ChartPoint[], brand: Brand | null = F.BRAND) {
  const analysis = analyzeIndicator(F.toEngineIndicator(indicator), data);
  return { analysis, spec: buildDisaggregatedChart({ indicator, analysis, points: data, brand }) };
}

/** Every `<path>` of a line mark, with its stroke colour and width. */
function lines(svg: string): { stroke: string; width: string }[] {
  return [...svg.matchAll(/<g class="mark-line role-mark [^"]*"[^>]*>(.*?)<\/g>/g)].flatMap((g) =>
    [...g[1]!.matchAll(/<path[^>]*stroke="([^"]*)" stroke-width="([^"]*)"/g)].map((m) => ({
      stroke: m[1]!,
      width: m[2]!,
    })),
  );
}

t.test('by race/ethnicity against White: values above, gaps below', async (t) => {
  const f = F.unemployment();
  const spec = buildDisaggregatedChart({
    indicator: f.indicator,
    analysis: f.analysis,
    points: f.points,
    brand: F.BRAND,
  });
  const svg = await checkSpec(t, spec, 'unemployment by race');
  const words = texts(svg);

  t.ok(words.includes('Unemployment rate by race ethnicity'), 'title');
  t.ok(
    words.some((w) => w.startsWith('Compared with White; best off now: Hispanic; worst off: Black')),
    'subtitle: the reference, the best- and worst-off groups',
  );
  t.same(
    ariaLabels(svg).filter((l) => l.startsWith('Symbol legend')),
    ['Symbol legend for fill color and stroke color with 3 values: White (reference), Black, Hispanic'],
    'one legend for both panels, the reference first, then the declared order',
  );

  // The reference: near-black, thicker, named in the legend; the best- and worst-off groups in two palette colours.
  const drawn = lines(svg);
  t.same(
    drawn.filter((l) => l.width === '4.5'),
    [{ stroke: '#1f2933', width: '4.5' }],
    'one thick line: the reference',
  );
  t.same(
    drawn.filter((l) => l.width === '2').map((l) => l.stroke),
    ['#d55e00', '#0072b2', '#d55e00', '#0072b2'],
    'Black (worst off) in vermillion, Hispanic (best off) in blue; the same two colours in the gap panel',
  );
  t.ok(words.includes('White (reference)'), 'the legend names the reference');
  t.ok(words.includes('Baseline 2019'));

  // Points: 3 groups × 10 years of values; 2 groups × 10 years of gaps.
  const all = points(svg);
  const values = all.filter((p) => p.label.startsWith('Group: ') && p.label.includes('; Value: '));
  const gaps = all.filter((p) => p.label.includes('; Gap from the reference: '));
  t.equal(values.length, 30);
  t.equal(gaps.length, 20);
  t.equal(
    values.find((p) => p.label.startsWith('Group: White (reference); Period: 2023'))!.label,
    'Group: White (reference); Period: 2023; Value: 4.8%; Status: Final',
  );
  t.equal(
    gaps.find((p) => p.label.startsWith('Group: Black; Period: 2023'))!.label,
    'Group: Black; Period: 2023; Gap from the reference: +5.1 percentage points; Since the baseline: Narrower than at the 2019 baseline (+7.4 percentage points)',
  );

  // The gap panel: the reference as the 0 line, a title that says how to read it (no text on the lines).
  t.ok(words.includes('Gap from White'));
  t.ok(words.includes('Each group minus White (the 0 line); lower is better for this indicator'));
  t.equal(words.filter((w) => w === 'White (reference)').length, 1, 'the reference named once, in the legend');
  t.ok(words.includes('Gap (% points)'));
  t.match(
    svg,
    /<line transform="translate\(548,[\d.]+\)" x2="-548" y2="0" stroke="#1f2933" stroke-width="2.5"\/>/,
    'the 0 line spans the panel',
  );

  t.equal(
    spec.description,
    describeEquityGaps(f.indicator, f.analysis, (d) => groupLabel(d, f.indicator)),
  );
  t.end();
});

t.test('without a reference group the total is the reference, in the brand colour', async (t) => {
  const f = F.unemployment();
  const indicator = { ...f.indicator, referenceGroup: null };
  const { spec } = chart(indicator, f.points, F.BRAND);
  const svg = await checkSpec(t, spec, 'against the total');
  const words = texts(svg);
  t.ok(words.includes('Total (reference)'));
  t.ok(words.includes('Gap from the total'));
  t.ok(words.some((w) => w.startsWith('Compared with the total')));
  t.same(
    lines(svg).find((l) => l.width === '4.5'),
    { stroke: '#1f6feb', width: '4.5' },
    'the total in the brand colour',
  );
  const groupStrokes = new Set(
    lines(svg)
      .filter((l) => l.width === '2')
      .map((l) => l.stroke),
  );
  t.notOk(groupStrokes.has('#0072b2'), 'the palette blue, too close to the brand blue, is skipped');
  const coloured = [...groupStrokes].filter((c) => c !== '#b3bbc4');
  t.equal(coloured.length, 2, 'the best- and worst-off groups in colour, the third grey');
  t.ok(coloured.every((c) => (GROUP_PALETTE as readonly string[]).includes(c)));
  const gapPoints = points(svg).filter((p) => p.label.includes('; Gap from the reference: '));
  t.equal(gapPoints.length, 30, 'three groups compared with the total');
  t.end();
});

t.test('two sets of dimensions are never mixed: one section each', async (t) => {
  const years = ['2020', '2021', '2022', '2023'];
  const indicator = F.indicatorFixture('0196f0a2-0000-7000-8000-0000000000fd', {
    name: 'Third-grade reading proficiency',
    unit: 'percent',
    unitLabel: '%',
    decimals: 0,
    baselinePeriod: '2020',
    dimensions: [
      { name: 'neighbourhood', values: ['Eastside', 'Westside'] },
      { name: 'sex', values: ['Girls', 'Boys'] },
    ],
    referenceGroup: { sex: 'Girls' },
  });
  const data = [
    ...F.series(years, [40, 42, 43, 45]),
    ...F.series(years, [35, 36, 38, 41], { neighbourhood: 'Eastside' }),
    ...F.series(
      years,
      [46, 47, 48, 49],
      { neighbourhood: 'Westside' },
      { '2023': { status: 'provisional', note: 'Late data.' } },
    ),
    ...F.series(years, [44, 45, 47, 48], { sex: 'Girls' }),
    ...F.series(years, [36, 38, 40, 42], { sex: 'Boys' }),
  ];
  const { spec } = chart(indicator, data, null);
  const svg = await checkSpec(t, spec, 'two sections');
  const words = texts(svg);
  t.ok(words.includes('Third-grade reading proficiency'), 'a plain title over several sections');
  t.ok(words.includes('By neighbourhood, compared with the total'));
  t.ok(words.includes('By sex, compared with Girls'));
  t.ok(words.includes('Gap from the total') && words.includes('Gap from Girls'));
  t.ok(words.includes('Girls (reference)') && words.includes('Total (reference)'));
  const westside2023 = points(svg).find((p) => p.label.startsWith('Group: Westside; Period: 2023; Value'))!;
  t.equal(
    westside2023.label,
    'Group: Westside; Period: 2023; Value: 49%; Status: Provisional (may be revised); Note: Late data.',
  );
  t.equal(westside2023.fillOpacity, '0', 'a provisional group value is hollow');
  t.end();
});

t.test('groups over two dimensions are named in the declared order', (t) => {
  const indicator = {
    dimensions: [
      { name: 'race', values: ['Black'] },
      { name: 'sex', values: ['Female'] },
    ],
  };
  t.equal(groupLabel({ sex: 'Female', race: 'Black' }, indicator), 'Black · Female');
  t.equal(groupLabel({ zone: 'B', area: 'A' }, { dimensions: [] }), 'A · B', 'undeclared: by name');
  t.end();
});

t.test('no groups yet: a chart that says so', async (t) => {
  const f = F.readiness();
  const spec = buildDisaggregatedChart({ indicator: f.indicator, analysis: f.analysis, points: f.points, brand: null });
  const svg = await checkSpec(t, spec, 'no groups');
  t.ok(texts(svg).includes('No data by group yet'));
  t.equal(spec.description, 'No data by group yet for Children ready for kindergarten.');
  t.end();
});

t.test('groups: an estimated, unverified value is hollow and says so, with its footnote', async (t) => {
  const f = F.unemployment();
  const data = f.points.map((p) =>
    p.disaggregation.race_ethnicity === 'Black' && p.period === '2022'
      ? { ...p, obsStatus: 'E' as const, unverified: true, footnote: 'Estimated from a smaller sample.' }
      : p,
  );
  const svg = await checkSpec(t, chart(f.indicator, data).spec, 'groups with statuses');
  const label = ariaLabels(svg).find((l) => l.includes('Black') && l.includes('2022') && l.includes('Value'));
  t.match(label, /Status: Estimated; Unverified/, 'the status and "Unverified" in the description');
  t.match(label, /Footnote: Estimated from a smaller sample\./);
  const point = points(svg).find((p) => p.label === label);
  t.equal(point?.fillOpacity, '0', 'hollow');
});

/**
 * The turn-the-curve chart: valid, warning-free, and showing what it should — actual points (provisional ones
 * hollow), the dashed forecast and its band, the baseline rule, the targets with their labels, the plain-words
 * subtitle and description, and a time axis labelled like the periods of every frequency.
 */
import t from '../helpers/tap.ts';
import type { TopLevelSpec } from 'vega-lite';
import { analyzeIndicator } from '../../server/engine/analyze-indicator.ts';
import type { Indicator } from '../../schema/contracts/indicators.ts';
import * as F from './golden/fixtures.ts';
import { describeIndicator } from '../../dashboards/summary-text.ts';
import { accessibleSvg } from '../../dashboards/svg.ts';
import { contrastRatio, RESPONSIVE_AUTOSIZE } from '../../dashboards/theme.ts';
import { buildTurnTheCurveChart } from '../../dashboards/turn-the-curve-chart.ts';
import type { Brand, ChartPoint } from '../../dashboards/types.ts';
import { ariaLabels, checkSpec, compileRecording, points, renderRecording, texts } from './helpers.ts';

function chart(
  f: F.Fixture,
  brand: Brand | null = F.BRAND,
  over: Partial<Parameters<typeof buildTurnTheCurveChart>[0]> = {},
) {
  return buildTurnTheCurveChart({ indicator: f.indicator, analysis: f.analysis, points: f.points, brand, ...over });
}
const actualPoints = (svg: string) =>
  points(svg).filter((p) => p.label.startsWith('Period: ') && p.label.includes('; Value: '));
const targetPoints = (svg: string) => points(svg).filter((p) => p.label.startsWith('Kind: '));
/** The layers of a spec, by mark type. */
const marks = (spec: TopLevelSpec) =>
  ((spec as { layer: { mark: { type: string } }[] }).layer ?? []).map((l) => l.mark.type);

t.test('annual: every part of the chart', async (t) => {
  const f = F.unemployment();
  const spec = chart(f);
  const svg = await checkSpec(t, spec, 'unemployment');

  t.same(
    marks(spec),
    ['area', 'line', 'rule', 'line', 'point', 'point', 'text', 'text', 'point'],
    'band, forecast, baseline, actual, targets, the target and baseline labels, the legend',
  );
  t.notOk('encoding' in spec, 'no top-level encoding: every layer has its own x (no rule inherits one)');

  // Actual values: one symbol per total-slice point, the provisional one hollow, all in the brand colour.
  const actual = actualPoints(svg);
  t.equal(actual.length, 10, 'ten actual points (the group slices are not drawn)');
  t.ok(
    actual.every((p) => p.stroke === '#1f6feb'),
    'outlined in the brand colour',
  );
  const hollow = actual.filter((p) => p.fill === '#ffffff');
  t.equal(hollow.length, 1, 'one hollow point');
  t.match(
    hollow[0]!.label,
    /^Period: 2023; Value: 6\.9%; Status: Provisional \(may be revised\); Baseline forecast: 7\.8%; Note: Preliminary estimate/,
  );
  t.ok(actual.filter((p) => p.fill === '#1f6feb').length === 9, 'the nine final points filled');

  // Tooltips and ARIA labels skip the fields a point does not have, and carry the notes.
  t.equal(actual[0]!.label, 'Period: 2014; Value: 9.8%; Status: Final');
  t.equal(
    actual[6]!.label,
    'Period: 2020; Value: 11.5%; Status: Final; Baseline forecast: 8.5%; Note: Pandemic lay-offs: a one-off jump.',
  );
  t.notMatch(svg, /undefined|NaN/, 'no "undefined" or "NaN" anywhere');

  // The forecast: a dashed line and a band, over the 11 forecast periods 2020–2030.
  t.match(
    svg,
    /aria-roledescription="line mark" d="M[^"]*" stroke="#616e7c" stroke-width="2" stroke-dasharray="6,4"/,
    'a dashed grey line',
  );
  t.match(
    svg,
    /class="mark-area role-mark layer_0_marks" aria-hidden="true"><path d="M[^"]*" fill="#616e7c" opacity="0.18"\/>/,
    'a low-opacity band, hidden from screen readers',
  );
  t.match(
    ariaLabels(svg).find((l) => l.startsWith('Period: 2020; Baseline forecast')),
    /Expected range: 8\.2% to 8\.7% \(90% prediction interval\); Method: Straight-line trend/,
  );

  // The baseline: a full-height dashed rule at 2019, labelled.
  t.match(
    svg,
    /aria-label="Baseline period: 2019" role="graphics-symbol" aria-roledescription="rule mark" transform="translate\([\d.]+,0\)" x2="0" y2="320"/,
    'a vertical rule across the plot',
  );
  const words = texts(svg);
  t.ok(words.includes('Baseline 2019'), 'labelled');

  // Targets: a filled diamond for 2030, a hollow one for the 2023 interim target, both labelled.
  const targets = targetPoints(svg);
  t.same(
    targets.map((p) => [p.label, p.fill]),
    [
      ['Kind: Interim target; Period: 2023; Value: 7.0%', '#ffffff'],
      ['Kind: Target; Period: 2030; Value: 4.0%', '#1f2933'],
    ],
  );
  // Label economy: the final target is labelled; the 2023 interim target is past (2023 is the latest value), so
  // it is in the legend, its tooltip and the data table, not on the plot.
  t.ok(words.includes('Target 2030: 4.0%'), 'the final target labelled');
  t.notOk(words.includes('Interim 2023: 7.0%'), 'a past interim target is not labelled');

  // Title, subtitle in plain words, legends, axes.
  t.ok(words.includes('Unemployment rate'), 'title');
  t.ok(words.includes('Curve turned: better than the baseline forecast'));
  t.ok(words.includes('Progress made but acceleration needed to reach the 2030 target (4.0%)'));
  // One legend explains every kind of mark drawn.
  for (const entry of [
    'Actual',
    'Provisional (may be revised)',
    'Baseline forecast',
    'Expected range (90%)',
    'Baseline period',
    'Interim target',
    'Target',
  ])
    t.ok(words.includes(entry), `legend: ${entry}`);
  for (const label of ['2015', '2020', '2025', '2030']) t.ok(words.includes(label), `x axis: ${label}`);
  t.ok(words.includes('Percent'), 'y axis title: the unit (the title names the indicator)');
  t.ok(words.includes('8.0') && words.includes('10.0'), 'y axis labels with one decimal');

  // The description is the plain-language summary. In a browser Vega makes it the chart element's aria-label;
  // a server-side SVG gets it from accessibleSvg.
  t.equal(spec.description, describeIndicator(f.indicator, f.analysis));
  const described = accessibleSvg(svg, { title: 'Unemployment rate', description: spec.description });
  t.match(
    described,
    /^<svg role="img" aria-label="Unemployment rate" [^>]*><title>Unemployment rate<\/title><desc>Unemployment rate fell for 3 years in a row, to 6\.9% in 2023/,
  );
  t.equal(
    described.slice(described.indexOf('</desc>') + 7),
    svg.slice(svg.indexOf('>') + 1),
    'the rest of the SVG untouched',
  );
  t.match(
    accessibleSvg('<svg role="x" width="1"></svg>', { title: 'A < B & "C"' }),
    /^<svg role="img" aria-label="A &lt; B &amp; &quot;C&quot;" width="1"><title>A &lt; B &amp; &quot;C&quot;<\/title><\/svg>$/,
  );
  t.throws(() => accessibleSvg('<html>', { title: 'x' }), TypeError);
  t.end();
});

t.test('school years: fiscal labels on the axis, no brand, no provisional data', async (t) => {
  const f = F.readiness();
  const spec = chart(f, F.NO_BRAND);
  const svg = await checkSpec(t, spec, 'readiness');
  const words = texts(svg);
  for (const label of ['2016-17', '2018-19', '2020-21', '2022-23', '2024-25', '2026-27'])
    t.ok(words.includes(label), `x axis: ${label}`);
  t.ok(words.includes('Target 2027-28: 70%'));
  t.ok(words.includes('Baseline 2019-20'));
  t.ok(words.includes('Curve not turned yet: worse than the baseline forecast, but not clearly'));
  t.ok(words.includes('Limited progress toward the 2027-28 target (70%)'));
  t.notOk(words.includes('Provisional'), 'no "Data" legend when nothing is provisional');
  t.ok(
    actualPoints(svg).every((p) => p.fill === '#0072b2'),
    'the default series colour',
  );
  t.end();
});

t.test('quarterly: worsened, no target, no target layer', async (t) => {
  const f = F.erVisits();
  const spec = chart(f, null);
  const svg = await checkSpec(t, spec, 'erVisits');
  const words = texts(svg);
  t.same(
    words.filter((w) => /^\d{4}-Q\d$/.test(w)),
    ['2020-Q1', '2020-Q3', '2021-Q1', '2021-Q3', '2022-Q1', '2022-Q3', '2023-Q1'],
  );
  t.ok(words.includes('Curve worsened: worse than the baseline forecast'));
  t.ok(words.includes('No target set; progress since the baseline: deterioration'));
  t.ok(words.includes('per 10,000'), 'the unit on the y axis');
  t.equal(targetPoints(svg).length, 0);
  t.notOk(words.includes('Target'), 'no target in the legend');
  t.equal(actualPoints(svg).length, 14);
  t.match(
    actualPoints(svg)[13]!.label,
    /^Period: 2023-Q2; Value: 15\.1 per 10,000; Status: Final; Baseline forecast: 11\.3 per 10,000; Note: Wildfire smoke in June\.$/,
  );
  t.end();
});

t.test('monthly: too early to tell, the forecast runs to the target', async (t) => {
  const f = F.placements();
  const svg = await checkSpec(t, chart(f), 'placements');
  const words = texts(svg);
  t.ok(words.includes('Too early to tell whether the curve has turned'));
  t.ok(words.includes('Jan 2024') && words.includes('Jul 2024') && words.includes('Jan 2025'));
  t.ok(words.includes('Target 2025-06: 400'), 'the target labelled (the unit is on the axis)');
  t.end();
});

t.test('no data yet: the target alone, "No data yet", no actual layer', async (t) => {
  const f = F.newIndicator();
  const spec = chart(f);
  const svg = await checkSpec(t, spec, 'newIndicator');
  t.same(marks(spec), ['point', 'text', 'text']);
  const words = texts(svg);
  t.ok(words.includes('No data yet'));
  t.ok(words.includes('Target 2025-W52: 1,500'));
  t.ok(words.includes('2025-W52'), 'ISO week label on the axis');
  t.notOk(words.includes('Actual'), 'no "Actual" legend entry without actual values');
  t.equal(actualPoints(svg).length, 0);
  t.match(spec.description, /^No data yet for Residents using the job portal\./);
  t.end();
});

t.test('nothing at all: no data and no target still renders', async (t) => {
  const indicator = F.indicatorFixture('0196f0a2-0000-7000-8000-0000000000ff', { name: 'Empty', frequency: 'daily' });
  const analysis = analyzeIndicator(F.toEngineIndicator(indicator), []);
  const spec = buildTurnTheCurveChart({ indicator, analysis, points: [], brand: null });
  const svg = await checkSpec(t, spec, 'empty');
  t.same(marks(spec), ['text']);
  t.ok(texts(svg).includes('No data yet'));
  t.end();
});

t.test('no value published yet but a baseline period: no baseline mark over "No data yet"', async (t) => {
  const indicator = F.indicatorFixture('0196f0a2-0000-7000-8000-0000000000fe', {
    name: 'Households reporting food insecurity',
    frequency: 'annual',
    baselinePeriod: '2018',
  });
  const analysis = analyzeIndicator(F.toEngineIndicator(indicator), []);
  const spec = buildTurnTheCurveChart({ indicator, analysis, points: [], brand: null });
  const svg = await checkSpec(t, spec, 'unpublished');
  t.ok(texts(svg).includes('No data yet'));
  t.notOk(
    texts(svg).some((text) => text.startsWith('Baseline')),
    'no baseline label (it sat on "No data yet")',
  );
  t.end();
});

function weeklyAndDaily(frequency: 'weekly' | 'daily'): { indicator: Indicator; points: ChartPoint[] } {
  const labels =
    frequency === 'weekly'
      ? ['2024-W50', '2024-W51', '2024-W52', '2025-W01', '2025-W02', '2025-W03']
      : ['2024-02-26', '2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02'];
  const indicator = F.indicatorFixture('0196f0a2-0000-7000-8000-0000000000fe', {
    name: 'Shelter beds occupied',
    unit: 'count',
    unitLabel: 'beds',
    decimals: 0,
    polarity: 'lower_is_better',
    frequency,
    baselinePeriod: labels[2]!,
  });
  return {
    indicator,
    points: F.series(labels, [410, 402, 398, 380, 371, 366], {}, { [labels[5]!]: { status: 'provisional' } }),
  };
}

for (const frequency of ['weekly', 'daily'] as const) {
  t.test(`${frequency}: period labels across a year end, a provisional point`, async (t) => {
    const { indicator, points: data } = weeklyAndDaily(frequency);
    const analysis = analyzeIndicator(F.toEngineIndicator(indicator), data);
    const svg = await checkSpec(
      t,
      buildTurnTheCurveChart({ indicator, analysis, points: data, brand: null }),
      frequency,
    );
    const words = texts(svg);
    if (frequency === 'weekly') {
      t.ok(words.includes('2024-W50') && words.includes('2025-W01'), 'ISO weeks, the year turning at week 1');
    } else {
      t.ok(words.includes('2024-02-29') && words.includes('2024-03-01'), 'a leap day');
    }
    t.equal(actualPoints(svg).filter((p) => p.fill === '#ffffff').length, 1);
    t.end();
  });
}

t.test('a light brand colour is darkened to 3:1', async (t) => {
  const f = F.readiness();
  const svg = await checkSpec(t, chart(f, { color: '#ffd500', logoUrl: null }), 'yellow brand');
  const stroke = actualPoints(svg)[0]!.stroke!;
  t.not(stroke, '#ffd500');
  t.ok(contrastRatio(stroke, '#ffffff') >= 3, `${stroke} is visible on white`);
  t.end();
});

t.test('options: title, size, and a container width for browser pages', async (t) => {
  const f = F.unemployment();
  const spec = chart(f, F.BRAND, { title: 'Unemployment in Detroit', width: 400, height: 200 });
  const svg = await checkSpec(t, spec, 'options');
  t.ok(texts(svg).includes('Unemployment in Detroit'));
  t.match(svg, /^<svg [^>]*width="400"/, 'fit-x: the whole chart is 400 px wide');

  const responsive = chart(f, F.BRAND, { width: 'container' });
  t.equal((responsive as { width: unknown }).width, 'container');
  t.same(responsive.autosize, RESPONSIVE_AUTOSIZE);
  const { vg, warnings } = compileRecording(responsive);
  t.same(warnings, [], 'a container width compiles without warning');
  // In Node there is no window to follow: Vega says so, which is why the default width is a number.
  const rendered = await renderRecording(vg);
  t.match(rendered.warnings, [/window/]);
  t.end();
});

t.test('the checks catch the Vega-Lite trap: a rule layer that inherits a top-level x', async (t) => {
  const values = [
    { date: '2019-01-01', value: 3 },
    { date: '2020-01-01', value: 5 },
  ];
  const trap = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    encoding: { x: { field: 'date', type: 'temporal' } },
    layer: [
      { data: { values }, mark: 'line', encoding: { y: { field: 'value', type: 'quantitative' } } },
      // Meant as a horizontal rule at 4: it inherits x = date, its datum has no date, and it draws nothing.
      { data: { values: [{ level: 4 }] }, mark: 'rule', encoding: { y: { field: 'level', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
  const { vg } = compileRecording(trap);
  const { svg, warnings } = await renderRecording(vg);
  t.match(warnings, [/Infinite extent for field "date"/], 'a warning, which checkSpec turns into a failure');
  t.match(svg, /aria-roledescription="rule mark container"\/>/, 'and an empty rule layer');
  t.end();
});

t.test(
  'actions on the timeline: a lane of bars from start to due, named "Actions", details in the tooltip',
  async (t) => {
    const f = F.unemployment();
    const actions = [
      {
        title: 'Evening job fair',
        start: '2021-01-15',
        due: '2021-03-31',
        status: 'done',
        quickWin: true,
        overdue: false,
        ownerPartnerName: 'Workforce agency',
      },
      {
        title: 'Shared intake record',
        start: '2021-02-01',
        due: '2022-06-30',
        status: 'in_progress',
        quickWin: false,
        overdue: true,
        ownerPartnerName: null,
      },
    ];
    const spec = chart(f, F.BRAND, { actions });
    const svg = await checkSpec(t, spec, 'unemployment with actions');
    t.same(marks(spec).slice(6, 8), ['rule', 'text'], 'the timeline layers come after the data: bars and their name');
    t.ok(texts(svg).includes('Actions'), 'the lane is labelled');
    t.ok(texts(svg).includes('Action (start to due)'), 'and explained in the legend');
    const bars = [
      ...svg.matchAll(/aria-label="(Action: [^"]*)" role="graphics-symbol" aria-roledescription="rule mark"/g),
    ].map((m) => ({ label: m[1]! }));
    t.equal(bars.length, 2, 'one bar per action');
    const ticks = bars;
    t.ok(
      ticks.some((p) => p.label.includes('Evening job fair (quick win)')),
      'quick wins are named as such',
    );
    t.ok(
      ticks.some((p) => p.label.includes('in progress, overdue')),
      'overdue actions say so',
    );
    t.same(
      marks(chart(f)),
      ['area', 'line', 'rule', 'line', 'point', 'point', 'text', 'text', 'point'],
      'no actions, no timeline',
    );
  },
);

t.test('observation status: a mark and a legend entry for each status present, and only those', async (t) => {
  const f = F.unemployment();
  const total = F.series(
    ['2014', '2015', '2016', '2017', '2018', '2019', '2020', '2021', '2022', '2023'],
    [9.8, 9.4, 9.3, 9.0, 8.9, 8.7, 11.5, 9.2, 7.6, 6.9],
  );
  const marked: ChartPoint[] = total
    .filter((p) => p.period !== '2021')
    .map((p) => {
      if (p.period === '2017') return { ...p, obsStatus: 'B', footnote: 'New survey from 2017.' };
      if (p.period === '2022') return { ...p, obsStatus: 'E', footnote: 'Estimated from partial returns.' };
      if (p.period === '2023') return { ...p, status: 'provisional', unverified: true };
      return p;
    });
  const analysis = analyzeIndicator(
    F.toEngineIndicator(f.indicator),
    marked.map((p) => ({ ...p, obsStatus: p.obsStatus ?? null })),
  );
  t.equal(analysis.total.forecast.fittedOn.breakAt, '2017', 'the forecast is fitted from the break');
  const missing = [{ period: '2021', disaggregation: {}, footnote: 'No survey in 2021.' }];
  const build = (points: ChartPoint[], width: number | 'container' = 640) =>
    buildTurnTheCurveChart({ indicator: f.indicator, analysis, points, missing, brand: F.BRAND, width });

  for (const width of [375, 640]) {
    const svg = await checkSpec(t, build(marked, width), `statuses at ${width} px`);
    const words = texts(svg);
    for (const label of [
      'Provisional (may be revised)',
      'Estimated',
      'Break in series',
      'Missing period',
      'Unverified value',
    ])
      t.ok(words.includes(label), `${width} px: the legend names "${label}"`);
    const labels = ariaLabels(svg);
    t.ok(
      labels.some((l) => l.startsWith('Period: 2023;') && l.includes('Unverified')),
      'the unverified value says so to a screen reader',
    );
    t.ok(
      labels.some((l) => l.startsWith('Period: 2022;') && l.includes('Footnote: Estimated from partial returns.')),
      'the footnote is in the description',
    );
    t.ok(
      labels.some((l) => l.startsWith('Period: 2021;') && l.includes('Missing')),
      'the missing period has a mark with its description',
    );
    t.ok(
      labels.some((l) => l.startsWith('Period: 2017;') && l.includes('Break in series')),
      'the break has a rule with its description',
    );
  }

  // In a page, following its container's width: compiles without warning (Node has no window to render it in).
  t.same(compileRecording(build(marked, 'container')).warnings, [], 'statuses in a container: no warning');

  // Acknowledged (no longer unverified), without estimate, break or gap: no such legend entries.
  const words = texts(
    await checkSpec(
      t,
      buildTurnTheCurveChart({
        indicator: f.indicator,
        analysis,
        points: marked.map((p) => ({ ...p, obsStatus: null, unverified: false })),
        brand: F.BRAND,
      }),
      'no statuses but provisional',
    ),
  );
  for (const label of ['Estimated', 'Break in series', 'Missing period', 'Unverified value'])
    t.notOk(words.includes(label), `no "${label}" in the legend`);
  t.ok(words.includes('Provisional (may be revised)'), 'the provisional value is still hollow and named');
});

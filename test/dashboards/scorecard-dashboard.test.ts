/**
 * The scorecard dashboard: the result's tree as rows of small multiples, each with its latest value, trend
 * arrow, sparkline, curve status and progress status.
 */
import t from '../helpers/tap.ts';
import * as F from './golden/fixtures.ts';
import {
  asOfText,
  buildScorecardDashboard,
  describeScorecard,
  rollUpSentence,
  trendArrow,
} from '../../dashboards/scorecard-dashboard.ts';
import { COLORS } from '../../dashboards/theme.ts';
import type { ResultScorecard } from '../../schema/contracts/scorecard.ts';
import { ariaLabels, checkSpec, texts } from './helpers.ts';

const build = (scorecard: ResultScorecard, series = F.seriesByIndicatorId()) =>
  buildScorecardDashboard({
    scorecard,
    seriesByIndicatorId: series,
    brand: F.BRAND,
    initiativeName: F.INITIATIVE_NAME,
  });

/** The `<text>` elements with their fill colour. */
function coloured(svg: string): { text: string; fill: string }[] {
  return [...svg.matchAll(/<text[^>]*fill="([^"]*)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({ fill: m[1]!, text: m[2]! }));
}

t.test('the fixture tree: headline indicator, two outcomes, one nested', async (t) => {
  const scorecard = F.scorecard();
  const spec = build(scorecard);
  const svg = await checkSpec(t, spec, 'scorecard');
  const words = texts(svg);

  t.ok(words.includes('Detroit Jobs Partnership'), 'the initiative as the title');
  t.ok(words.includes('A 5 percentage point decrease in the unemployment rate in Detroit by 2030'), 'the result');
  t.ok(words.includes('Overall: Progress made but acceleration needed'));
  t.ok(words.includes('4 of 6 indicators scored, 3 of 6 trending the right way'));
  for (const heading of ['Indicator · latest value', 'Trend', 'History', 'Curve · progress to target'])
    t.ok(words.includes(heading), heading);

  // The tree, depth first, by position.
  const headings = [
    'Headline indicators',
    'Residents find and keep good jobs',
    'Children and adults gain the skills employers need',
    'Residents are healthy enough to work',
  ];
  const at = headings.map((h) => words.indexOf(h));
  t.ok(
    at.every((i) => i >= 0),
    'every section heading',
  );
  t.same(
    [...at].sort((a, b) => a - b),
    at,
    'in tree order',
  );
  t.ok(words.includes('Part of: Residents find and keep good jobs'), 'the nested outcome names its parent');
  t.ok(words.includes('Roll-up: Limited progress'));
  t.match(
    svg,
    /aria-label="Title text 'Children and adults gain the skills employers need'"[^>]*><text[^>]*transform="translate\(16,/,
    'and is indented',
  );

  // One row per indicator, described in one sentence for screen readers; its tooltip lists the same.
  const rows = ariaLabels(svg).filter((l) => l.includes('; progress: '));
  t.same(rows, [
    'Median household income: latest $36,300 in 2023; rising for 8 years (an improvement); curve turned; progress: On track; no target',
    'Unemployment rate: latest 6.9% in 2023; falling for 3 years (an improvement); curve turned; ' +
      'progress: Progress made but acceleration needed; target 4.0% by 2030',
    'Job placements: latest 260 people in 2024-06; rising for 2 months (an improvement); too early to tell; ' +
      'progress: Unable to assess; target 400 people by 2025-06',
    'Children ready for kindergarten: latest 57% in 2023-24; down from the previous year (a worsening); curve not turned yet; ' +
      'progress: Limited progress; target 70% by 2027-28',
    'Residents using the job portal: no data yet; no trend yet; too early to tell; progress: Unable to assess; target 1,500 residents by 2025-W52',
    'Asthma ER visits: latest 15.1 per 10,000 in 2023-Q2; rising for 6 quarters (a worsening); curve worsened; progress: Deterioration; no target',
  ]);
  const tooltip = (
    spec as { vconcat: { vconcat: { layer: { transform: { calculate: string; as: string }[] }[] }[] }[] }
  ).vconcat[1]!.vconcat[0]!.layer[0]!.transform[0]!;
  t.same(tooltip, {
    calculate:
      '{"Indicator": datum["name"], "Latest": datum["latestText"], "Trend": datum["trendText"], "Curve": datum["curveText"], "Progress": datum["progressText"], "Target": datum["targetText"]}',
    as: 'tooltip',
  });

  // Trend arrows coloured by whether the direction is the better one.
  const arrows = coloured(svg).filter((c) => ['↑', '↓', '→', '–'].includes(c.text));
  t.same(arrows, [
    { text: '↑', fill: COLORS.good }, // income rising
    { text: '↓', fill: COLORS.good }, // unemployment falling
    { text: '↑', fill: COLORS.good }, // placements rising
    { text: '↓', fill: COLORS.bad }, // readiness falling
    { text: '–', fill: COLORS.neutral }, // no data
    { text: '↑', fill: COLORS.bad }, // ER visits rising
  ]);
  const status = coloured(svg);
  t.same(
    status.find((c) => c.text === 'Curve worsened'),
    { text: 'Curve worsened', fill: COLORS.bad },
  );
  t.same(
    status.filter((c) => c.text === 'Curve turned').map((c) => c.fill),
    [COLORS.good, COLORS.good],
  );
  t.same(
    status.find((c) => c.text === 'Deterioration'),
    { text: 'Deterioration', fill: COLORS.bad },
  );

  // Sparklines for the five indicators with data, in the brand colour; none for the one without.
  const sparklines = [
    ...svg.matchAll(/<g class="mark-line role-mark [^"]*"[^>]*><path d="M[^"]*" stroke="([^"]*)"/g),
  ].map((m) => m[1]);
  t.same(sparklines, ['#1f6feb', '#1f6feb', '#1f6feb', '#1f6feb', '#1f6feb']);

  t.same(
    (spec as { usermeta: unknown }).usermeta,
    {
      engineVersion: scorecard.engineVersion,
      brand: { color: '#1f6feb', logoUrl: 'https://partners.example.org/logo.svg' },
    },
    'the logo travels in usermeta for the embed page; the spec never fetches it',
  );
  t.equal(spec.description, describeScorecard(F.INITIATIVE_NAME, scorecard));
  t.match(
    spec.description,
    /^Scorecard of Detroit Jobs Partnership\. Result: A 5 percentage point decrease .*\. Overall: Progress made but acceleration needed; 4 of 6 indicators scored, 3 of 6 trending the right way\. Residents find and keep good jobs: /,
  );
  t.end();
});

t.test('an indicator without a series gets no sparkline, and no warning', async (t) => {
  const series = F.seriesByIndicatorId();
  const ids = Object.keys(series);
  const svg = await checkSpec(t, build(F.scorecard(), { [ids[0]!]: series[ids[0]!]! }), 'one series');
  t.equal([...svg.matchAll(/<g class="mark-line role-mark /g)].length, 1);
  t.end();
});

t.test('an outcome with only sub-outcomes, and an empty result', async (t) => {
  const scorecard = F.scorecard();
  const jobs = scorecard.outcomes[0]!;
  const onlyChildren: ResultScorecard = { ...scorecard, indicators: [], outcomes: [{ ...jobs, indicators: [] }] };
  const svg = await checkSpec(t, build(onlyChildren), 'only sub-outcomes');
  const words = texts(svg);
  t.ok(words.includes('No indicators directly under this outcome; see the outcomes below.'));
  t.notOk(words.includes('Headline indicators'), 'no headline section without headline indicators');

  const empty: ResultScorecard = {
    ...scorecard,
    indicators: [],
    outcomes: [],
    rollUp: {
      ...scorecard.rollUp,
      indicatorCount: 0,
      scoredCount: 0,
      status: 'not_available',
      label: 'Unable to assess',
      score: null,
    },
  };
  const emptySvg = await checkSpec(t, build(empty), 'empty');
  t.ok(texts(emptySvg).includes('No indicators yet.'));
  t.ok(texts(emptySvg).includes('Overall: no indicators yet'));
  t.end();
});

t.test('figures as of a past moment say so', async (t) => {
  const svg = await checkSpec(t, build({ ...F.scorecard(), asOf: '2026-03-01T09:30:00.000Z' }), 'asOf');
  t.ok(texts(svg).includes('Figures as they stood on 2026-03-01 at 09:30 UTC'));
  t.equal(asOfText('yesterday'), 'Figures as they stood on yesterday');
  t.end();
});

t.test('words of the rows and roll-ups', (t) => {
  t.equal(trendArrow('up'), '↑');
  t.equal(trendArrow('down'), '↓');
  t.equal(trendArrow('flat'), '→');
  t.equal(trendArrow(null), '–');
  const rollUp = F.scorecard().rollUp;
  t.equal(
    rollUpSentence(rollUp, 'Overall'),
    'Overall: Progress made but acceleration needed; 4 of 6 indicators scored, 3 of 6 trending the right way',
  );
  t.equal(
    rollUpSentence(
      {
        ...rollUp,
        status: 'not_available',
        indicatorCount: 1,
        scoredCount: 0,
        counts: { ...rollUp.counts, trend: { good: 0, bad: 0, unknown: 1 } },
      },
      'Health',
    ),
    'Health: progress cannot be assessed yet; 0 of 1 indicator scored, 0 of 1 trending the right way',
  );
  t.end();
});

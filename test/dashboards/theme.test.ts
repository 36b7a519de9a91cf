/**
 * The shared theme: contrast of every colour against the white background, the brand colour, number and unit
 * formatting, and the period time axis.
 */
import t from '../helpers/tap.ts';
import {
  accessibleColor,
  BACKGROUND,
  COLORS,
  contrastRatio,
  dashboardConfig,
  formatDifference,
  formatNumber,
  formatValue,
  GROUP_PALETTE,
  MIN_GRAPHIC_CONTRAST,
  MIN_TEXT_CONTRAST,
  numberFormat,
  seriesColor,
  unitTitle,
} from '../../dashboards/theme.ts';
import { periodStart, tickDates, timeEncoding } from '../../dashboards/time-axis.ts';

t.test('contrast ratio follows WCAG 2.2', (t) => {
  t.equal(contrastRatio('#000000', '#ffffff'), 21);
  t.equal(contrastRatio('#ffffff', '#ffffff'), 1);
  t.equal(contrastRatio('#ffffff', '#000000'), 21, 'symmetric');
  t.ok(Math.abs(contrastRatio('#0072b2', '#ffffff') - 5.19) < 0.01, 'Okabe–Ito blue 5.19:1');
  t.end();
});

t.test('every text colour has 4.5:1 and every graphic colour 3:1 against the background', (t) => {
  for (const name of ['text', 'mutedText', 'good', 'bad', 'neutral'] as const) {
    t.ok(contrastRatio(COLORS[name], BACKGROUND) >= MIN_TEXT_CONTRAST, `${name} ${COLORS[name]} is readable text`);
  }
  for (const name of ['actual', 'forecast', 'target', 'baselineRule'] as const) {
    t.ok(
      contrastRatio(COLORS[name], BACKGROUND) >= MIN_GRAPHIC_CONTRAST,
      `${name} ${COLORS[name]} is a visible graphic`,
    );
  }
  for (const color of GROUP_PALETTE) {
    t.ok(contrastRatio(color, BACKGROUND) >= MIN_GRAPHIC_CONTRAST, `group colour ${color} reaches 3:1`);
  }
  t.equal(new Set(GROUP_PALETTE).size, GROUP_PALETTE.length, 'no colour twice');
  t.same(dashboardConfig().range, { category: [...GROUP_PALETTE] }, 'the palette is the default category range');
  t.end();
});

t.test('the brand colour becomes the series colour, darkened only when too light', (t) => {
  t.equal(seriesColor({ color: '#1f6feb', logoUrl: null }), '#1f6feb', 'dark enough already');
  t.equal(seriesColor({ color: '#1F6FEB', logoUrl: null }), '#1f6feb', 'normalised to lower case');
  t.equal(seriesColor(null), COLORS.actual);
  t.equal(seriesColor({ color: null, logoUrl: 'https://example.org/logo.svg' }), COLORS.actual);
  t.equal(seriesColor({ color: 'teal', logoUrl: null }), COLORS.actual, 'not a #rrggbb colour: the default');
  const yellow = seriesColor({ color: '#ffd500', logoUrl: null });
  t.not(yellow, '#ffd500');
  t.ok(contrastRatio(yellow, BACKGROUND) >= 3, `${yellow} reaches 3:1`);
  t.ok(contrastRatio(yellow, BACKGROUND) < 3.2, 'and is darkened no more than needed');
  t.equal(accessibleColor('#e69f00', 3), '#c38600', 'the palette orange is Okabe–Ito orange darkened this way');
  t.equal(accessibleColor('#56b4e9', 3), '#4a9dcd', 'and the sky blue');
  t.end();
});

t.test('numbers: decimals, thousands separators, units', (t) => {
  t.equal(numberFormat(1), ',.1f');
  t.equal(numberFormat(0), ',.0f');
  t.equal(numberFormat(null), ',.2~f');
  t.equal(formatNumber(1234.5, 0), '1,235');
  t.equal(formatNumber(6.9, 1), '6.9');
  t.equal(formatNumber(7, 1), '7.0');
  t.equal(formatNumber(0.125, null), '0.13');
  t.equal(formatNumber(12, null), '12');
  t.equal(formatNumber(-0.01, 1), '0.0', 'no negative zero');
  const pct = { unit: 'percent' as const, unitLabel: '%', decimals: 1 };
  t.equal(formatValue(6.9, pct), '6.9%');
  t.equal(formatValue(6.9, { ...pct, unitLabel: null }), '6.9%', 'a percent indicator without a label still gets %');
  t.equal(formatValue(-1200, { unit: 'currency', unitLabel: '$', decimals: 0 }), '-$1,200');
  t.equal(formatValue(12.5, { unit: 'rate', unitLabel: 'per 1,000 births', decimals: 1 }), '12.5 per 1,000 births');
  t.equal(formatValue(3, { unit: 'index', unitLabel: null, decimals: null }), '3');
  t.equal(formatDifference(-0.44, pct), '0.4 percentage points');
  t.equal(formatDifference(1, { ...pct, decimals: 0 }), '1 percentage point');
  t.equal(formatDifference(-250, { unit: 'count', unitLabel: 'people', decimals: 0 }), '250 people');
  t.equal(unitTitle('Value', { unit: 'percent', unitLabel: '%' }), 'Value (%)');
  t.equal(unitTitle('Value', { unit: 'index', unitLabel: null }), 'Value');
  t.end();
});

t.test('period start dates for every frequency', (t) => {
  t.equal(periodStart('2024', { frequency: 'annual' }), '2024-01-01');
  t.equal(periodStart('2024-25', { frequency: 'annual', yearStartMonth: 7 }), '2024-07-01');
  t.equal(periodStart('2024-Q3', { frequency: 'quarterly' }), '2024-07-01');
  t.equal(periodStart('2024-07', { frequency: 'monthly' }), '2024-07-01');
  t.equal(periodStart('2024-W01', { frequency: 'weekly' }), '2024-01-01');
  t.equal(periodStart('2025-W01', { frequency: 'weekly' }), '2024-12-30', 'ISO week 1 can start in December');
  t.equal(periodStart('2024-07-15', { frequency: 'daily' }), '2024-07-15');
  t.end();
});

t.test('ticks sit on period starts, at most 8, aligned on the calendar', (t) => {
  t.same(tickDates(['2019', '2021', '2020'], { frequency: 'annual' }), ['2019-01-01', '2020-01-01', '2021-01-01']);
  t.same(
    tickDates(['2014', '2030'], { frequency: 'annual' }),
    ['2015-01-01', '2020-01-01', '2025-01-01', '2030-01-01'],
    '17 years: every 5th year',
  );
  t.equal(tickDates(['2020-Q1', '2021-Q4'], { frequency: 'quarterly' }).length, 8, '8 quarters: every quarter');
  t.same(
    tickDates(['2020-Q1', '2022-Q2'], { frequency: 'quarterly' }),
    ['2020-01-01', '2020-07-01', '2021-01-01', '2021-07-01', '2022-01-01'],
    '10 quarters: every other quarter, from Q1',
  );
  t.same(tickDates(['2016-17', '2027-28'], { frequency: 'annual', yearStartMonth: 7 }), [
    '2016-07-01',
    '2018-07-01',
    '2020-07-01',
    '2022-07-01',
    '2024-07-01',
    '2026-07-01',
  ]);
  t.same(
    tickDates(['2024-01', '2025-06'], { frequency: 'monthly' }),
    ['2024-01-01', '2024-04-01', '2024-07-01', '2024-10-01', '2025-01-01', '2025-04-01'],
    'every quarter of a year',
  );
  t.same(tickDates(['2024-03'], { frequency: 'monthly' }), ['2024-03-01'], 'one period: one tick');
  t.same(tickDates([], { frequency: 'monthly' }), []);
  for (const [first, last, frequency] of [
    ['2020-W01', '2024-W30', 'weekly'],
    ['2024-01-01', '2024-12-31', 'daily'],
    ['1990', '2030', 'annual'],
  ] as const) {
    const ticks = tickDates([first, last], { frequency });
    t.ok(ticks.length >= 2 && ticks.length <= 8, `${frequency} ${first}…${last}: ${ticks.length} ticks`);
  }
  t.end();
});

t.test('the x encoding: a UTC time scale labelled like the periods', (t) => {
  const x = timeEncoding(['2019', '2020'], { frequency: 'annual' });
  t.match(x, {
    field: 'date',
    type: 'temporal',
    scale: { type: 'utc' },
    axis: { labelExpr: "utcFormat(datum.value, '%Y')", labelFlush: false },
  });
  t.match(timeEncoding(['2020-Q1'], { frequency: 'quarterly' }).axis, {
    labelExpr: "utcFormat(datum.value, '%Y-Q%q')",
  });
  t.match(timeEncoding(['2020-01'], { frequency: 'monthly' }).axis, { labelExpr: "utcFormat(datum.value, '%b %Y')" });
  t.match(timeEncoding(['2020-W01'], { frequency: 'weekly' }).axis, { labelExpr: "utcFormat(datum.value, '%G-W%V')" });
  t.match(timeEncoding(['2020-01-01'], { frequency: 'daily' }).axis, {
    labelExpr: "utcFormat(datum.value, '%Y-%m-%d')",
  });
  // Narrow charts: fewer ticks, and just the year when ticks are a year or more apart.
  const months = Array.from(
    { length: 120 },
    (_, i) => `${2011 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
  );
  const phone = timeEncoding(months, { frequency: 'monthly' }, { width: 375 }).axis!;
  t.ok((phone.values as number[]).length <= 4, 'at most 4 ticks on a phone');
  t.equal(phone.labelExpr, "utcFormat(datum.value, '%Y')", 'years only');
  const page = timeEncoding(months, { frequency: 'monthly' }, { width: 'container' }).axis!;
  t.match(page.values, { expr: /^width < 420 \? \[/ }, 'a page picks its ticks by its width');
  t.match(timeEncoding(['2020-21'], { frequency: 'annual', yearStartMonth: 7 }).axis, { labelExpr: /utcyear/ });
  t.equal(timeEncoding(['2020'], { frequency: 'annual' }, { axis: false }).axis, null);
  t.end();
});

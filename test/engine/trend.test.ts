/**
 * The current trend (docs/methodology.md §2), on cases worked by hand.
 */
import t from '../helpers/tap.ts';
import { currentTrend, SUSTAINED_TREND_CHANGES } from '../../server/engine/trend.ts';
import type { SeriesPoint } from '../../server/engine/series.ts';

/** Annual series starting in 2015. */
function series(...values: number[]): SeriesPoint[] {
  return values.map((value, i) => ({ period: String(2015 + i), value }));
}

t.test('engine.md examples', (t) => {
  const up = currentTrend(series(3, 4, 6, 9), 'higher_is_better');
  t.same(up, {
    method: 'consecutive_changes',
    direction: 'up',
    periods: 3,
    since: '2015',
    lastChange: 3,
    good: true,
    sustained: false,
    reason: null,
  });
  const flat = currentTrend(series(5, 4, 4), 'higher_is_better');
  t.equal(flat.direction, 'flat');
  t.equal(flat.periods, 1, 'only the last change is flat; 5 → 4 is a fall');
  t.equal(flat.since, '2016');
  t.equal(flat.lastChange, 0);
  t.equal(flat.good, null, 'flat is neither good nor bad');
  t.equal(flat.sustained, false);
  t.end();
});

t.test('polarity decides good', (t) => {
  t.equal(currentTrend(series(3, 4, 6, 9), 'lower_is_better').good, false, 'rising is bad when lower is better');
  t.equal(currentTrend(series(9, 8), 'lower_is_better').good, true);
  t.equal(currentTrend(series(9, 8), 'higher_is_better').good, false);
  t.end();
});

t.test('counting stops at the first change of another sign, flat included', (t) => {
  // changes: +1, −2, −1, −3 → down, 3 (since 2016)
  const r = currentTrend(series(10, 11, 9, 8, 5), 'lower_is_better');
  t.equal(r.direction, 'down');
  t.equal(r.periods, 3);
  t.equal(r.since, '2016');
  t.equal(r.lastChange, -3);
  // changes: +2, 0, +1, +1 → up, 2: the equal value breaks the run
  const broken = currentTrend(series(1, 3, 3, 4, 5), 'higher_is_better');
  t.equal(broken.periods, 2);
  t.equal(broken.sustained, false);
  // changes: 0, 0, 0 → flat, 3
  const flat = currentTrend(series(2, 2, 2, 2), 'higher_is_better');
  t.equal(flat.direction, 'flat');
  t.equal(flat.periods, 3);
  t.equal(flat.sustained, false, 'a flat run is never a sustained trend');
  t.end();
});

t.test('sustained: 4 or more same-sign changes (5 points), the IHI trend rule', (t) => {
  t.equal(SUSTAINED_TREND_CHANGES, 4);
  const five = currentTrend(series(20, 18, 15, 11, 10), 'lower_is_better');
  t.equal(five.periods, 4);
  t.equal(five.sustained, true);
  t.equal(five.good, true);
  const four = currentTrend(series(18, 15, 11, 10), 'lower_is_better');
  t.equal(four.periods, 3);
  t.equal(four.sustained, false);
  const six = currentTrend(series(1, 2, 3, 4, 5, 6), 'lower_is_better');
  t.equal(six.periods, 5);
  t.equal(six.sustained, true, 'sustained whatever the polarity');
  t.equal(six.good, false);
  t.end();
});

t.test('gaps in periods do not break anything: consecutive points are compared', (t) => {
  const r = currentTrend(
    [
      { period: '2010', value: 1 },
      { period: '2014', value: 2 },
      { period: '2015', value: 4 },
      { period: '2020', value: 7 },
    ],
    'higher_is_better',
  );
  t.equal(r.direction, 'up');
  t.equal(r.periods, 3);
  t.equal(r.since, '2010');
  t.end();
});

t.test('fewer than 2 points: unknown', (t) => {
  for (const s of [series(), series(4)]) {
    const r = currentTrend(s, 'higher_is_better');
    t.equal(r.direction, null);
    t.equal(r.periods, null);
    t.equal(r.good, null);
    t.equal(r.sustained, false);
    t.equal(r.lastChange, null);
    t.match(r.reason, /at least 2 points/);
  }
  t.end();
});

t.test('small decimals: changes are exact differences of the stored values', (t) => {
  // 0.3 − 0.2 and 0.2 − 0.1 are both positive in binary floating point.
  const r = currentTrend(series(0.1, 0.2, 0.3), 'higher_is_better');
  t.equal(r.direction, 'up');
  t.equal(r.periods, 2);
  t.end();
});

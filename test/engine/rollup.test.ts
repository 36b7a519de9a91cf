/**
 * Roll-ups (docs/methodology.md §7). Expected numbers worked by hand.
 */
import fc from 'fast-check';
import t from '../helpers/tap.ts';
import { type CurveStatus, type RollUpItem, rollUp, rollUpTree, statusFromScore } from '../../server/engine/rollup.ts';
import { PROGRESS_STATUSES, type ProgressStatus } from '../../server/engine/progress.ts';

const item = (
  progressStatus: ProgressStatus,
  score: number | null,
  curveStatus: CurveStatus = 'not_turned',
  trendGood: boolean | null = null,
): RollUpItem => ({ progressStatus, score, curveStatus, trendGood });

t.test('the documented example', async (t) => {
  const r = rollUp([
    item('substantial_progress', 5, 'turned', true),
    item('limited_progress', -1.6, 'not_turned', false),
    item('target_achieved', 5, 'turned', null),
    item('not_available', null, 'insufficient_data', null),
  ]);
  t.ok(Math.abs(r.score! - 2.8) < 1e-12, `score ${r.score}`);
  t.equal(r.status, 'substantial_progress');
  t.equal(r.label, 'On track');
  t.equal(r.indicatorCount, 4);
  t.equal(r.scoredCount, 3);
  t.same(r.counts.progress, {
    target_achieved: 1,
    substantial_progress: 1,
    moderate_progress: 0,
    limited_progress: 1,
    deterioration: 0,
    not_available: 1,
  });
  t.same(r.counts.curve, { turned: 2, not_turned: 1, worsened: 0, insufficient_data: 1 });
  t.same(r.counts.trend, { good: 1, bad: 1, unknown: 2 });
  t.equal(r.shareTrendingGood, 0.25);
  t.equal(r.method, 'mean_score');
});

t.test('status bands of the mean score', async (t) => {
  t.equal(statusFromScore(5), 'substantial_progress');
  t.equal(statusFromScore(2.5), 'substantial_progress');
  t.equal(statusFromScore(2.4999), 'moderate_progress');
  t.equal(statusFromScore(0), 'moderate_progress');
  t.equal(statusFromScore(-0.0001), 'limited_progress');
  t.equal(statusFromScore(-2.5), 'limited_progress');
  t.equal(statusFromScore(-2.5001), 'deterioration');
  t.equal(statusFromScore(-5), 'deterioration');
  // StatCan 11-6-1 (−1.6015) and 12-1-1 (2.5030): mean 0.45075 → moderate
  const r = rollUp([item('limited_progress', -1.601539480333006), item('substantial_progress', 2.502962076738248)]);
  t.ok(Math.abs(r.score! - 0.450711298202621) < 1e-12, `score ${r.score}`);
  t.equal(r.status, 'moderate_progress');
  // mean exactly −2.5 → limited; a little below → deterioration
  t.equal(rollUp([item('deterioration', -5), item('moderate_progress', 0)]).status, 'limited_progress');
  t.equal(rollUp([item('deterioration', -5), item('limited_progress', -0.5)]).status, 'deterioration');
});

t.test('target_achieved only when every scored indicator achieved its target', async (t) => {
  const all = rollUp([item('target_achieved', 5), item('target_achieved', 5), item('not_available', null)]);
  t.equal(all.status, 'target_achieved', 'not_available items are skipped');
  t.equal(all.score, 5);
  t.equal(all.label, 'Target achieved');
  const most = rollUp([item('target_achieved', 5), item('target_achieved', 5), item('substantial_progress', 4)]);
  t.ok(Math.abs(most.score! - 14 / 3) < 1e-12);
  t.equal(most.status, 'substantial_progress');
});

t.test('nothing scored', async (t) => {
  const empty = rollUp([]);
  t.equal(empty.status, 'not_available');
  t.equal(empty.label, 'Unable to assess');
  t.equal(empty.score, null);
  t.equal(empty.indicatorCount, 0);
  t.equal(empty.shareTrendingGood, null);
  const unscored = rollUp([item('not_available', null, 'insufficient_data', true)]);
  t.equal(unscored.status, 'not_available');
  t.equal(unscored.scoredCount, 0);
  t.equal(unscored.shareTrendingGood, 1, 'the trend is counted even without a progress score');
});

t.test('rollUpTree: each indicator counts once, at every level above it', async (t) => {
  const tree = rollUpTree({
    meta: { id: 'result' },
    items: [item('substantial_progress', 4, 'turned', true)],
    children: [
      {
        meta: { id: 'o1' },
        items: [item('deterioration', -5, 'worsened', false)],
        children: [
          { meta: { id: 'o1.1' }, items: [item('moderate_progress', 1), item('moderate_progress', 2)], children: [] },
        ],
      },
      { meta: { id: 'o2' }, items: [], children: [] },
    ],
  });
  t.same(tree.meta, { id: 'result' });
  t.equal(tree.rollUp.indicatorCount, 4);
  t.equal(tree.rollUp.score, 0.5, '(4 − 5 + 1 + 2) / 4, not the mean of the children’s means');
  t.equal(tree.rollUp.status, 'moderate_progress');
  const [o1, o2] = tree.children;
  t.equal(o1!.rollUp.score, (-5 + 1 + 2) / 3);
  t.equal(o1!.rollUp.status, 'limited_progress');
  t.equal(o1!.children[0]!.rollUp.score, 1.5);
  t.same(o1!.children[0]!.meta, { id: 'o1.1' });
  t.equal(o2!.rollUp.status, 'not_available');
  t.equal(o2!.rollUp.indicatorCount, 0);
  t.same(tree.rollUp.counts.curve, { turned: 1, not_turned: 2, worsened: 1, insufficient_data: 0 });
  const noMeta = rollUpTree({ items: [], children: [] });
  t.notOk('meta' in noMeta, 'no meta key when none was given');
});

const scoredStatus = fc.constantFrom(...PROGRESS_STATUSES.filter((s) => s !== 'not_available'));
const arbItem: fc.Arbitrary<RollUpItem> = fc.oneof(
  fc.record({
    progressStatus: scoredStatus,
    score: fc.double({ min: -5, max: 5, noNaN: true }),
    curveStatus: fc.constantFrom<CurveStatus>('turned', 'not_turned', 'worsened', 'insufficient_data'),
    trendGood: fc.option(fc.boolean(), { nil: null }),
  }),
  fc.record({
    progressStatus: fc.constant<ProgressStatus>('not_available'),
    score: fc.constant(null),
    curveStatus: fc.constantFrom<CurveStatus>('turned', 'not_turned', 'worsened', 'insufficient_data'),
    trendGood: fc.option(fc.boolean(), { nil: null }),
  }),
);

t.test('property: the order of the items does not matter', async (t) => {
  fc.assert(
    fc.property(
      fc
        .array(arbItem, { maxLength: 30 })
        .chain((items) => fc.tuple(fc.constant(items), fc.shuffledSubarray(items, { minLength: items.length }))),
      ([a, b]) => {
        return JSON.stringify(rollUp(a)) === JSON.stringify(rollUp(b));
      },
    ),
  );
  t.pass();
});

t.test('property: score in [−5, 5], counts add up, status agrees with the score', async (t) => {
  fc.assert(
    fc.property(fc.array(arbItem, { maxLength: 30 }), (items) => {
      const r = rollUp(items);
      const sum = (o: Record<string, number>) => Object.values(o).reduce((x, y) => x + y, 0);
      const countsOk =
        sum(r.counts.progress) === items.length &&
        sum(r.counts.curve) === items.length &&
        sum(r.counts.trend) === items.length;
      if (r.score === null) return countsOk && r.status === 'not_available' && r.scoredCount === 0;
      const statusOk = r.status === 'target_achieved' || r.status === statusFromScore(r.score);
      return countsOk && statusOk && r.score >= -5 && r.score <= 5;
    }),
  );
  t.pass();
});

/**
 * The pure data-quality checks (server/engine/modified-z-score.ts, server/domain/quality-checks.ts,
 * server/domain/quality-review.ts): Iglewicz & Hoaglin's worked example, each rule kind at its edges, and laws
 * that hold for any input (property tests).
 */
import fc from 'fast-check';
import t from '../helpers/tap.ts';
import { median, modifiedZScore, OUTLIER_Z } from '../../server/engine/modified-z-score.ts';
import {
  checkSum,
  changesBefore,
  checkValue,
  historyBefore,
  OUTLIER_MIN_HISTORY,
  stateOf,
  toFlags,
  acknowledgeFlags,
  type QualityIndicator,
} from '../../server/domain/quality-checks.ts';
import { missingPeriods } from '../../server/domain/quality-review.ts';

const series = (values: Array<number | null>, from = 2000, key = '{}', disaggregation = {}) =>
  values.map((value, i) => ({
    key,
    disaggregation,
    periodIndex: from + i,
    period: String(from + i),
    value,
    obsStatus: null,
  }));
const indicator = (over: Partial<QualityIndicator> = {}): QualityIndicator => ({
  id: 'i',
  label: 'IND',
  unit: 'rate',
  bounds: null,
  dimensions: [],
  rules: [],
  season: 1,
  ...over,
});
const candidate = (period: number, value: number | null, obsStatus: 'B' | null = null) => ({
  period: String(period),
  periodIndex: period,
  key: '{}',
  disaggregation: {},
  value,
  obsStatus,
});
const none = { others: new Map() };

t.test('modified z-score (Iglewicz & Hoaglin), worked by hand', async (t) => {
  // Median 2.45; absolute deviations 0.05 0.05 0.15 0.15 0.15 0.15 0.35 0.35 5.75 5.85 → MAD 0.15.
  const sample = [2.1, 2.6, 2.4, 2.5, 2.3, 2.1, 2.3, 2.6, 8.2, 8.3];
  const z = modifiedZScore(8.3, sample);
  t.equal(z.median, 2.45);
  t.ok(Math.abs(z.mad - 0.15) < 1e-12);
  t.equal(Number(z.z!.toFixed(4)), Number(((0.6745 * 5.85) / 0.15).toFixed(4)));
  t.equal(Number(z.z!.toFixed(2)), 26.31);
  t.equal(Number(modifiedZScore(2.1, sample).z!.toFixed(2)), -1.57);
  t.equal(median([4, 1, 3, 2]), 2.5);
  const flat = modifiedZScore(11, [10, 10, 10, 10, 12]);
  t.equal(flat.scale, 'mean_ad', 'MAD 0: the mean absolute deviation scales');
  t.equal(Number(flat.z!.toFixed(4)), Number((1 / (1.253314 * 0.4)).toFixed(4)));
  t.equal(modifiedZScore(1, [0, 0, 0, 0, 0]).z, null, 'no spread, no score');
});

t.test('outlier_history: at least 6 earlier values, since the latest break, the latest 24', async (t) => {
  const history = [10, 11, 10.5, 10.8, 11.2, 10.4];
  const state = stateOf([...series(history), ...series([110], 2006)]);
  t.same(
    checkValue(indicator(), candidate(2006, 110), state, none).map((f) => f.code),
    ['outlier_history'],
  );
  const short = stateOf([...series(history.slice(0, 5)), ...series([110], 2005)]);
  t.same(
    checkValue(indicator(), candidate(2005, 110), short, none),
    [],
    `fewer than ${OUTLIER_MIN_HISTORY}: no judgement`,
  );
  const withBreak = stateOf([
    ...series([1, 1.1, 0.9, 1, 1.05, 0.95]),
    { ...series([50], 2006)[0]!, obsStatus: 'B' as const },
    ...series([51, 52], 2007),
  ]);
  t.same(historyBefore(withBreak, '{}', 2009), [50, 51, 52], 'the history starts at the break');
  const long = stateOf(series(Array.from({ length: 40 }, (_, i) => i)));
  t.equal(historyBefore(long, '{}', 2040).length, 24);
});

t.test('rules at their edges', async (t) => {
  const state = stateOf(series([100, 150]));
  const range = indicator({ rules: [{ code: 'r', kind: 'range', severity: 'error', min: 0, max: 150 }] });
  t.same(checkValue(range, candidate(2001, 150), state, none), [], 'max is inclusive');
  t.equal(checkValue(range, candidate(2001, 150.0001), stateOf(series([100, 150.0001])), none)[0]?.code, 'r');
  const change = indicator({ rules: [{ code: 'c', kind: 'change', severity: 'warning', maxAbs: 50 }] });
  t.same(checkValue(change, candidate(2001, 150), state, none), [], 'a change of exactly maxAbs passes');
  const relative = indicator({ rules: [{ code: 'c', kind: 'change', severity: 'warning', maxRelative: 0.2 }] });
  t.match(checkValue(relative, candidate(2001, 150), state, none)[0]?.message, /\+50 %\) is larger than 20 %/);
  const fromZero = stateOf(series([0, 5]));
  t.same(checkValue(relative, candidate(2001, 5), fromZero, none), [], 'no relative change from zero');
  const sum = indicator({
    unit: 'count',
    dimensions: [{ name: 'sex', values: ['f', 'm'] }],
    rules: [{ code: 's', kind: 'sum', severity: 'error', dimension: 'sex', tolerance: 0 }],
  });
  const summed = stateOf([
    ...series([10]),
    ...series([4], 2000, '{"sex":"f"}', { sex: 'f' }),
    ...series([6], 2000, '{"sex":"m"}', { sex: 'm' }),
  ]);
  t.equal(checkSum(sum.rules[0] as never, sum, 2000, summed), null);
  const missingGroup = stateOf([...series([10]), ...series([4], 2000, '{"sex":"f"}', { sex: 'f' })]);
  t.equal(checkSum(sum.rules[0] as never, sum, 2000, missingGroup), null, 'not judged until every group is in');
});

t.test('acknowledgements', async (t) => {
  const flags = toFlags(
    [
      { code: 'a', severity: 'warning', message: 'A' },
      { code: 'b', severity: 'warning', message: 'B' },
    ],
    [{ code: 'b', comment: 'ok' }],
    'ana',
  );
  t.same(
    flags.map((f) => [f.code, f.acknowledged, f.comment, f.acknowledgedBy]),
    [
      ['a', false, null, null],
      ['b', true, 'ok', 'ana'],
    ],
  );
  const later = acknowledgeFlags(
    flags,
    [
      { code: 'b', comment: 'changed' },
      { code: 'a', comment: 'fine' },
    ],
    'bo',
  );
  t.same(
    later.map((f) => [f.code, f.comment, f.acknowledgedBy]),
    [
      ['a', 'fine', 'bo'],
      ['b', 'ok', 'ana'],
    ],
    'an acknowledged flag keeps its first comment',
  );
});

t.test('missing periods: from the first value to the latest due', async (t) => {
  const reviewed = (periods: number[]) => periods.map((p) => ({ ...series([1], p)[0]!, status: null, flags: [] }));
  const base = { ...indicator(), calendar: { frequency: 'annual' as const, yearStartMonth: 1 } };
  t.same(missingPeriods({ ...base, reportingLag: null }, reviewed([2018, 2021]), '2025-01-01'), ['2019', '2020']);
  t.same(
    missingPeriods({ ...base, reportingLag: { amount: 6, unit: 'months' } }, reviewed([2018, 2021]), '2024-07-01'),
    ['2019', '2020', '2022', '2023'],
    '2023 was due on 2024-06-30',
  );
});

t.test('laws', async (t) => {
  // A value equal to the median of its history is never an outlier; scaling a series scales nothing.
  fc.assert(
    fc.property(
      // Values as data have them (hundredths): subnormal doubles such as 5e-324 underflow when scaled, which
      // says nothing about the score.
      fc.array(
        fc.integer({ min: -100_000_000, max: 100_000_000 }).map((v) => v / 100),
        { minLength: 6, maxLength: 30 },
      ),
      fc.double({ min: 0.001, max: 1000, noNaN: true }),
      (history, scale) => {
        const m = median(history);
        const z = modifiedZScore(m, history).z;
        if (z !== null && Math.abs(z) > 1e-9) return false;
        const x = history[0]! * 3 + 1;
        const a = modifiedZScore(x, history).z;
        const b = modifiedZScore(
          x * scale,
          history.map((v) => v * scale),
        ).z;
        return a === null
          ? b === null || Math.abs(b) < 1e-6
          : b !== null && Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a));
      },
    ),
  );
  // A range rule flags exactly the values outside [min, max].
  fc.assert(
    fc.property(
      fc.double({ min: -1e3, max: 1e3, noNaN: true }),
      fc.double({ min: -1e3, max: 1e3, noNaN: true }),
      (value, bound) => {
        const rule = indicator({ rules: [{ code: 'r', kind: 'range', severity: 'error', max: bound }] });
        const flagged = checkValue(rule, candidate(2000, value), stateOf(series([value])), none).some(
          (f) => f.code === 'r',
        );
        return flagged === value > bound;
      },
    ),
  );
  t.pass(`laws hold (outlier cut-off ${OUTLIER_Z})`);
});

t.test('outlier_history scores changes over one seasonal cycle: a winter peak or a trend is no outlier', async (t) => {
  // Four years of a monthly series with a winter peak (January 200, other months ~100) and a growing trend.
  const months = Array.from({ length: 48 }, (_, i) => (i % 12 === 0 ? 200 : 100) + i * 2 + (i % 5) * 0.5);
  const monthly = (values: number[]) =>
    values.map((value, i) => ({
      key: '{}',
      disaggregation: {},
      periodIndex: i,
      period: `m${i}`,
      value,
      obsStatus: null,
    }));
  const seasonal = indicator({ season: 12 });
  const nextJanuary = 200 + 48 * 2;
  const state = stateOf(monthly([...months, nextJanuary]));
  t.same(
    checkValue(seasonal, { ...candidate(48, nextJanuary), periodIndex: 48, period: 'm48' }, state, none),
    [],
    'a January like the others',
  );
  t.same(
    checkValue(
      indicator({ season: 1 }),
      { ...candidate(48, nextJanuary), periodIndex: 48, period: 'm48' },
      state,
      none,
    ).map((f) => f.code),
    ['outlier_history'],
    'scored without the season, the same January looks wild',
  );
  const typo = stateOf(monthly([...months, nextJanuary * 10]));
  t.equal(
    checkValue(seasonal, { ...candidate(48, nextJanuary * 10), periodIndex: 48, period: 'm48' }, typo, none)[0]?.code,
    'outlier_history',
    'a typo is still caught',
  );
  t.same(changesBefore(stateOf(series([10, 12, 14, 16, 40])), '{}', 2004, 40, 1), { history: [2, 2, 2], change: 24 });
});

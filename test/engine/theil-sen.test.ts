/**
 * Theil–Sen slope and intercepts (docs/methodology.md §6).
 *
 * 1. `theil-sen-sen1968.json` (shared reference set): Sen (1968)'s worked example and two small cases, as in
 *    scipy's tests (scipy 1.17.1, test_stats.py::test_theilslopes / test_mstats_basic.py), loaded as published.
 * 2. Three random vectors with tied x values, expected values SELF-RUN with scipy 1.17.1
 *    `theilslopes(y, x, method='separate' | 'joint')` (weaker evidence than 1.).
 * 3. Property tests: exact on straight lines, order invariance, equivariance under y → a + b·x + c·y.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import t from '../helpers/tap.ts';
import { median, theilSen } from '../../server/engine/theil-sen.ts';

/** The shared reference set's vectors, loaded as published (a copy checked unchanged by reference-fixtures.test.ts). */
const SEN1968 = (
  JSON.parse(readFileSync(new URL('../fixtures/reference/theil-sen-sen1968.json', import.meta.url), 'utf8')) as {
    vectors: {
      id: string;
      inputs: { x: number[]; y: number[] };
      expected: { slope: number; intercept_separate: number; intercept_joint: number };
    }[];
  }
).vectors.map(({ id, inputs, expected }) => ({
  id,
  x: inputs.x,
  y: inputs.y,
  slope: expected.slope,
  separate: expected.intercept_separate,
  joint: expected.intercept_joint,
}));

// SELF-RUN with scipy 1.17.1 (x has ties: the pairs with equal x are skipped, as scipy does).
const SCIPY_TIES = [
  {
    x: [5, 6, 6, 7, 8, 9],
    y: [3.05, 6.73, 4.04, 10.8, 18.7, 11.04],
    slope: 3.7775000000000007,
    separate: -15.788750000000004,
    joint: -15.886250000000004,
  },
  {
    x: [1, 2, 2, 3, 3, 4, 7, 8, 9],
    y: [1.35, 6.48, -3.72, 2.21, -5.01, -0.45, 1.29, 10.82, 7.16],
    slope: 0.775625,
    separate: -0.9768750000000002,
    joint: -0.11687500000000028,
  },
  {
    x: [0, 0, 1, 1, 4, 4, 4, 5, 8, 8, 9, 9],
    y: [0.57, -7.65, -0.89, -3.39, 1.96, 11.3, 1.96, 7.34, 16.42, 9.08, 12.94, 14.05],
    slope: 2.04125,
    separate: -3.514999999999999,
    joint: -4.876249999999996,
  },
];

t.test('Sen (1968) and scipy reference vectors', async (t) => {
  for (const v of SEN1968) {
    const fit = theilSen(v.x, v.y);
    t.ok(fit, v.id);
    t.ok(Math.abs(fit!.slope - v.slope) < 1e-12, `${v.id} slope ${fit!.slope}`);
    t.ok(Math.abs(fit!.interceptSeparate - v.separate) < 1e-12, `${v.id} separate intercept ${fit!.interceptSeparate}`);
    t.ok(Math.abs(fit!.interceptJoint - v.joint) < 1e-12, `${v.id} joint intercept ${fit!.interceptJoint}`);
    t.equal(fit!.n, v.x.length);
    t.equal(fit!.pairs, (v.x.length * (v.x.length - 1)) / 2, 'all pairs used when x are distinct');
    t.equal(fit!.method, 'theil_sen');
  }
});

t.test('tied x values (scipy 1.17.1, self-run)', async (t) => {
  for (const [i, v] of SCIPY_TIES.entries()) {
    const fit = theilSen(v.x, v.y)!;
    t.ok(Math.abs(fit.slope - v.slope) < 1e-12, `#${i} slope ${fit.slope} vs ${v.slope}`);
    t.ok(Math.abs(fit.interceptSeparate - v.separate) < 1e-12, `#${i} separate ${fit.interceptSeparate}`);
    t.ok(Math.abs(fit.interceptJoint - v.joint) < 1e-12, `#${i} joint ${fit.interceptJoint}`);
  }
  t.equal(theilSen([5, 6, 6, 7, 8, 9], SCIPY_TIES[0]!.y)!.pairs, 14, '15 pairs minus the one with equal x');
});

t.test('robust to a wild point', async (t) => {
  // y = 2x + 1 with one point replaced by 1000: the median slope ignores it.
  const x = [0, 1, 2, 3, 4, 5, 6];
  const y = [1, 3, 5, 1000, 9, 11, 13];
  const fit = theilSen(x, y)!;
  t.equal(fit.slope, 2);
  t.equal(fit.interceptJoint, 1);
});

t.test('undefined cases return null', async (t) => {
  t.equal(theilSen([], []), null);
  t.equal(theilSen([1], [2]), null);
  t.equal(theilSen([1, 1, 1], [2, 3, 4]), null, 'all x equal');
  t.equal(theilSen([1, 2], [2]), null, 'lengths differ');
  t.equal(theilSen([1, 2, 3], [2, Number.NaN, 4]), null, 'NaN input');
  t.equal(median([]), null);
  t.equal(median([3, 1, 2]), 2);
  t.equal(median([4, 1, 3, 2]), 2.5);
});

const xs = fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 25 });
const small = fc.integer({ min: -50, max: 50 });

t.test('property: exact on a straight line with integer coefficients', async (t) => {
  fc.assert(
    fc.property(xs, small, small, (x, a, b) => {
      const fit = theilSen(
        x,
        x.map((xi) => a + b * xi),
      )!;
      return fit.slope === b && fit.interceptSeparate === a && fit.interceptJoint === a;
    }),
  );
  t.pass();
});

t.test('property: the order of the points does not matter', async (t) => {
  fc.assert(
    fc.property(
      xs.chain((x) => fc.tuple(fc.constant(x), fc.array(small, { minLength: x.length, maxLength: x.length }))),
      fc.integer(),
      ([x, y], seed) => {
        const order = x.map((_, i) => i).sort((i, j) => ((i * 7919 + seed) % 101) - ((j * 7919 + seed) % 101));
        const a = theilSen(x, y)!;
        const b = theilSen(
          order.map((i) => x[i]!),
          order.map((i) => y[i]!),
        )!;
        return (
          a.slope === b.slope && a.interceptSeparate === b.interceptSeparate && a.interceptJoint === b.interceptJoint
        );
      },
    ),
  );
  t.pass();
});

t.test('property: slope(x, a + b·x + c·y) = b + c·slope(x, y)', async (t) => {
  fc.assert(
    fc.property(
      xs.chain((x) => fc.tuple(fc.constant(x), fc.array(small, { minLength: x.length, maxLength: x.length }))),
      small,
      small,
      fc.integer({ min: 1, max: 5 }),
      ([x, y], a, b, c) => {
        const base = theilSen(x, y)!;
        const moved = theilSen(
          x,
          y.map((yi, i) => a + b * x[i]! + c * yi),
        )!;
        return Math.abs(moved.slope - (b + c * base.slope)) <= 1e-9 * (1 + Math.abs(moved.slope));
      },
    ),
  );
  t.pass();
});

t.test('long series: the O(n log n) slope selection gives exactly the all-pairs median', async (t) => {
  const { default: fc } = await import('fast-check');
  const bruteForce = (x: number[], y: number[]): number => {
    const s: number[] = [];
    for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) s.push((y[j]! - y[i]!) / (x[j]! - x[i]!));
    s.sort((a, b) => a - b);
    const n = s.length;
    return n % 2 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  };
  fc.assert(
    fc.property(
      fc.integer({ min: 210, max: 420 }),
      fc.constantFrom('noise', 'ties', 'line'),
      fc.integer({ min: 1, max: 1e9 }),
      (n, kind, seed) => {
        let s = seed;
        const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
        const x = Array.from({ length: n }, (_, i) => 24000 + i);
        const y = x.map((_, i) =>
          kind === 'noise' ? rand() * 10 : kind === 'ties' ? Math.round(rand() * 4) : 0.5 * i + (rand() < 0.1 ? 40 : 0),
        );
        return theilSen(x, y)!.slope === bruteForce(x, y);
      },
    ),
    { numRuns: 25 },
  );
  t.end();
});

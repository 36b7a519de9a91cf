/**
 * The scorecard of a large result (issue 13: no request holds the event loop for long): beyond 2,000 points
 * its indicators are analysed in the worker thread, in batches (services/result-scorecard.ts). Through HTTP:
 * the answer is byte for byte the one the scorecard's rules give on this thread (`buildScorecard` analysing
 * every indicator itself, no stored fit, no worker), and the number of SQL statements is that of a
 * one-indicator result (analysed on the main thread).
 */
import t from '../helpers/tap.ts';
import { safeEncode } from 'zod/v4/core';
import { ResultScorecard } from '../../schema/contracts/scorecard.ts';
import { audienceOf } from '../../server/domain/disclosure.ts';
import { buildScorecard } from '../../server/domain/scorecard.ts';
import { loadResultForAnalysis } from '../../server/repositories/result-analysis.ts';
import { visibleTotals } from '../../server/services/reader-view.ts';
import { countStatements } from '../../bench/query-counter.ts';
import { benchSeries } from '../../bench/data.ts';
import { buildTestApp, createFixture } from '../helpers/test-app.ts';

const api = await buildTestApp(t);

/** 55 indicators × 120 monthly points: 6,600 points, two batches of the worker thread. */
const INDICATORS = 55;

async function indicatorWithData(resultId: string, i: number): Promise<void> {
  const { indicator, points } = benchSeries(i);
  const created = await api.request({
    method: 'POST',
    url: `/api/v1/results/${resultId}/indicators`,
    payload: {
      name: `Indicator ${i + 1}`,
      unit: indicator.unit,
      polarity: indicator.polarity,
      frequency: indicator.frequency,
      baselinePeriod: indicator.baselinePeriod,
      target: indicator.target,
    },
  });
  if (created.status !== 201) throw new Error(created.raw);
  const put = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${created.body.id}/data-points`,
    payload: { points: points.map((p) => ({ period: p.period, value: p.value })) },
  });
  if (put.status !== 200) throw new Error(put.raw);
}

const small = await createFixture(api, { frequency: 'monthly', baselinePeriod: '2015-12' });
await indicatorWithData(small.result.id, INDICATORS); // one indicator (the fixture's has no data)
const large = await createFixture(api);
for (let i = 0; i < INDICATORS; i++) await indicatorWithData(large.result.id, i);

const scorecard =
  (resultId: string, query = '') =>
  () =>
    api.request({ method: 'GET', url: `/api/v1/results/${resultId}/scorecard${query}` });

t.test('a large result: as many SQL statements as a one-indicator result', async (t) => {
  // A first read of each stores the fits the writes' quality gate did not (which ones depends on the data).
  t.equal((await scorecard(small.result.id)()).status, 200);
  t.equal((await scorecard(large.result.id)()).status, 200);
  for (const query of ['', '?asOf=2030-01-01T00:00:00.000Z']) {
    const one = await countStatements(scorecard(small.result.id, query));
    const many = await countStatements(scorecard(large.result.id, query));
    t.equal(many.value.status, 200, many.value.raw.slice(0, 200));
    t.equal(many.value.body.indicators.length, INDICATORS + 1);
    t.equal(many.statements, one.statements, `${query || 'now'}: ${one.statements} statements`);
  }
});

t.test('a large result: the answer is byte for byte the one analysed on this thread', async (t) => {
  // asOf: the data as they stand now (all entered), judged now or later; the default level and another.
  for (const [asOf, level] of [
    [new Date().toISOString(), undefined],
    ['2030-01-01T00:00:00.000Z', '0.95'],
  ] as const) {
    const query = `?asOf=${encodeURIComponent(asOf)}${level ? `&level=${level}` : ''}`;
    const answer = await scorecard(large.result.id, query)();
    t.equal(answer.status, 200, answer.raw.slice(0, 200));
    const at = new Date(asOf);
    const loaded = await loadResultForAnalysis(api.db, large.result.id, true, (ids) =>
      visibleTotals(api.db, ids, () => audienceOf(true), at),
    );
    const expected = safeEncode(
      ResultScorecard,
      buildScorecard(loaded, (level ? Number(level) : 0.9) as 0.9 | 0.95, at, { now: at, actions: [] }),
    );
    t.notOk(expected.error);
    t.equal(answer.raw, JSON.stringify(expected.data), `asOf ${asOf}, level ${level ?? 'default'}`);
  }
});

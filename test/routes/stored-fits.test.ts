/**
 * Stored baseline fits (server/services/stored-fits.ts), through HTTP: the first analysis stores the fitted
 * model; later reads reuse it (proved by marking the stored copy) until the history up to the baseline, the
 * method or the bounds change; data after the baseline never refit; a read asOf an earlier vintage refits
 * that vintage without replacing the stored fit; a scorecard reads and writes fits in a constant number of
 * SQL statements.
 */
import { sql } from 'kysely';
import t from '../helpers/tap.ts';
import { countStatements } from '../../bench/query-counter.ts';
import { buildTestApp, createFixture, databaseNow } from '../helpers/test-app.ts';

const api = await buildTestApp(t);

const annual = (values: Record<string, number>) => Object.entries(values).map(([period, value]) => ({ period, value }));
const HISTORY = { 2012: 10.2, 2013: 10.9, 2014: 11.3, 2015: 12.1, 2016: 12.4, 2017: 13.2, 2018: 13.5, 2019: 13.9 };

async function storedRows(indicatorId: string) {
  // Kysely's CamelCasePlugin names the columns of the answer.
  const { rows } = await sql<{ sliceKey: string; fitKey: string; explanation: string }>`
    select slice_key, fit_key, model->>'explanation' as explanation from baseline_fits
    where indicator_id = ${indicatorId} order by slice_key`.execute(api.db);
  return rows;
}

/** Marks the stored total fit, so a reused fit is visible in the answer. */
async function mark(indicatorId: string) {
  await sql`update baseline_fits set model = jsonb_set(model, '{explanation}', '"stored fit reused"')
    where indicator_id = ${indicatorId}`.execute(api.db);
}

const analysis = async (id: string, query = '') => {
  const res = await api.request({ method: 'GET', url: `/api/v1/indicators/${id}/analysis${query}` });
  t.equal(res.status, 200, res.raw.slice(0, 200));
  return res.body;
};

t.test('a fit is stored, reused, and refitted only when what it depends on changes', async (t) => {
  const { indicator } = await createFixture(api, {
    polarity: 'higher_is_better',
    unit: 'percent',
    baselinePeriod: '2019',
    dimensions: [{ name: 'sex', values: ['female', 'male'] }],
  });
  const put = (points: Array<Record<string, unknown>>) =>
    api.request({ method: 'PUT', url: `/api/v1/indicators/${indicator.id}/data-points`, payload: { points } });
  t.equal(
    (
      await put([
        ...annual(HISTORY),
        ...annual({ 2016: 12, 2017: 12.8, 2018: 13.1, 2019: 13.6 }).map((p) => ({
          ...p,
          disaggregation: { sex: 'female' },
        })),
      ])
    ).status,
    200,
  );
  t.same(await storedRows(indicator.id), [], 'nothing stored before the first analysis');

  const first = await analysis(indicator.id);
  const rows = await storedRows(indicator.id);
  t.same(
    rows.map((r) => r.sliceKey),
    ['[["sex","female"]]', '[]'],
    'the total and the slice are stored',
  );
  t.equal(rows[1]!.explanation, first.total.forecast.explanation);

  const again = await analysis(indicator.id);
  t.same(again.total, first.total, 'the reused fit answers exactly as the fresh one');

  await mark(indicator.id);
  t.equal((await analysis(indicator.id)).total.forecast.explanation, 'stored fit reused', 'the stored fit is used');

  // Data after the baseline never move the frozen forecast.
  await put(annual({ 2020: 14.5, 2021: 15.2 }));
  const later = await analysis(indicator.id);
  t.equal(later.total.forecast.explanation, 'stored fit reused', 'later data: no refit');
  t.same(later.total.forecast.model, first.total.forecast.model, 'the model is unchanged');
  const beforeRevision = await databaseNow(api.db);

  // A revised value up to the baseline: refit.
  await put(annual({ 2018: 13.8 }));
  const revised = await analysis(indicator.id);
  t.not(revised.total.forecast.explanation, 'stored fit reused', 'history revised: refitted');
  t.notSame(revised.total.forecast.model, first.total.forecast.model, 'a new model');
  const revisedRows = await storedRows(indicator.id);
  t.not(revisedRows[1]!.fitKey, rows[1]!.fitKey, 'the stored fit is replaced');

  // asOf an earlier vintage: that vintage's forecast, and the stored (current) fit stays.
  await mark(indicator.id);
  const past = await analysis(indicator.id, `?asOf=${beforeRevision}`);
  t.same(past.total.forecast.model, first.total.forecast.model, 'the earlier vintage is refitted');
  t.same(
    await storedRows(indicator.id),
    revisedRows.map((r) => ({ ...r, explanation: 'stored fit reused' })),
    'not stored',
  );
  t.equal((await analysis(indicator.id)).total.forecast.explanation, 'stored fit reused');

  // The method changes: refit.
  const patched = await api.request({
    method: 'PATCH',
    url: `/api/v1/indicators/${indicator.id}`,
    payload: { forecast: { method: 'ets', model: 'ANN' } },
  });
  t.equal(patched.status, 200, patched.raw.slice(0, 200));
  const byMethod = await analysis(indicator.id);
  t.equal(byMethod.total.forecast.model.model, 'ANN');
  t.match(byMethod.total.forecast.explanation, /the model asked for/);

  // The bounds change: refit.
  await mark(indicator.id);
  const bounded = await api.request({
    method: 'PATCH',
    url: `/api/v1/indicators/${indicator.id}`,
    payload: { bounds: { min: 0, max: 50 } },
  });
  t.equal(bounded.status, 200, bounded.raw.slice(0, 200));
  t.not((await analysis(indicator.id)).total.forecast.explanation, 'stored fit reused', 'bounds changed: refitted');

  // The fits go with their indicator.
  t.equal(
    (await api.request({ method: 'DELETE', url: `/api/v1/indicators/${indicator.id}?cascade=true` })).status,
    204,
  );
  t.same(await storedRows(indicator.id), []);
});

t.test(
  'a break in series marked or unmarked before the baseline refits; its history starts at the break',
  async (t) => {
    const { indicator } = await createFixture(api, {
      polarity: 'higher_is_better',
      unit: 'percent',
      baselinePeriod: '2019',
    });
    const put = (points: Array<Record<string, unknown>>) =>
      api.request({ method: 'PUT', url: `/api/v1/indicators/${indicator.id}/data-points`, payload: { points } });
    t.equal((await put(annual(HISTORY))).status, 200);
    const first = await analysis(indicator.id);
    t.same(first.total.forecast.fittedOn, { from: '2012', to: '2019', n: 8, breakAt: null });
    const [before] = await storedRows(indicator.id);

    // 2016 marked B (a new survey): the history is 2016–2019, a new fit key, a new model.
    await mark(indicator.id);
    const marked = await put([{ period: '2016', value: 12.4, obsStatus: 'B' }]);
    t.equal(marked.status, 200, marked.raw.slice(0, 300));
    const broken = await analysis(indicator.id);
    t.same(broken.total.forecast.fittedOn, { from: '2016', to: '2019', n: 4, breakAt: '2016' });
    t.not(broken.total.forecast.explanation, 'stored fit reused', 'break added: refitted');
    const [withBreak] = await storedRows(indicator.id);
    t.not(withBreak!.fitKey, before!.fitKey, 'the fit key covers the break');

    // Unmarked again (A): the whole history, the first key again.
    await mark(indicator.id);
    t.equal((await put([{ period: '2016', value: 12.4, obsStatus: 'A' }])).status, 200);
    const unbroken = await analysis(indicator.id);
    t.same(unbroken.total.forecast.fittedOn, { from: '2012', to: '2019', n: 8, breakAt: null });
    t.not(unbroken.total.forecast.explanation, 'stored fit reused', 'break removed: refitted');
    t.same(unbroken.total.forecast.model, first.total.forecast.model, 'the model fitted before the break');
    t.equal((await storedRows(indicator.id))[0]!.fitKey, before!.fitKey);

    // A break after the baseline leaves the frozen forecast and its key alone.
    await mark(indicator.id);
    t.equal((await put([{ period: '2020', value: 14.5, obsStatus: 'B' }])).status, 200);
    t.equal(
      (await analysis(indicator.id)).total.forecast.explanation,
      'stored fit reused',
      'a break after b: no refit',
    );
  },
);

t.test('scorecard: stored fits read and written in a constant number of SQL statements', async (t) => {
  const { result, indicator } = await createFixture(api, { polarity: 'higher_is_better', baselinePeriod: '2019' });
  const add = async (id: string) =>
    api.request({
      method: 'PUT',
      url: `/api/v1/indicators/${id}/data-points`,
      payload: { points: annual(HISTORY) },
    });
  await add(indicator.id);
  const scorecard = () => api.request({ method: 'GET', url: `/api/v1/results/${result.id}/scorecard` });
  const one = await countStatements(scorecard);
  t.equal(one.value.status, 200, one.value.raw.slice(0, 200));
  t.equal((await storedRows(indicator.id)).length, 1, 'the scorecard stores the total fit');
  const oneAgain = await countStatements(scorecard);
  for (let i = 0; i < 3; i++) {
    const more = await api.request({
      method: 'POST',
      url: `/api/v1/results/${result.id}/indicators`,
      payload: {
        name: `Indicator ${i}`,
        unit: 'percent',
        polarity: 'higher_is_better',
        frequency: 'annual',
        baselinePeriod: '2019',
      },
    });
    t.equal(more.status, 201, more.raw.slice(0, 200));
    await add(more.body.id);
  }
  const four = await countStatements(scorecard);
  t.equal(four.value.status, 200);
  t.equal(four.statements, one.statements, `refitting 1 or 4 indicators: ${one.statements} statements`);
  const fourAgain = await countStatements(scorecard);
  t.equal(fourAgain.statements, oneAgain.statements, `reusing 1 or 4 fits: ${oneAgain.statements} statements`);
  const { judgedAt: _a, ...reused } = fourAgain.value.body;
  const { judgedAt: _b, ...fresh } = four.value.body;
  t.same(reused, fresh, 'reused fits answer as fresh ones');
});

import t from '../helpers/tap.ts';
import { buildTestApp, createFixture } from '../helpers/test-app.ts';

const api = await buildTestApp(t);

const annual = (values: Record<string, number>, disaggregation?: Record<string, string>) =>
  Object.entries(values).map(([period, value]) => ({ period, value, ...(disaggregation ? { disaggregation } : {}) }));

t.test('analysis of an indicator: numbers reproducible by hand (docs/methodology.md)', async (t) => {
  const { indicator } = await createFixture(api, {
    polarity: 'higher_is_better',
    unit: 'percent',
    baselinePeriod: '2019',
    target: { period: '2022', value: 20 },
    dimensions: [{ name: 'sex', values: ['female', 'male'] }],
    // This case reproduces the OLS numbers of engine.md §3 (method `linear`); `auto` is tested below.
    forecast: { method: 'linear' },
  });
  await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: {
      points: [
        ...annual({ 2016: 10, 2017: 12, 2018: 13, 2019: 16, 2020: 15, 2021: 14 }),
        ...annual({ 2019: 15, 2020: 15.5, 2021: 16 }, { sex: 'female' }),
      ],
    },
  });
  const { status, body } = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/analysis` });
  t.equal(status, 200);
  t.equal(body.indicatorId, indicator.id);
  t.match(body.engineVersion, /^\d+\.\d+\.\d+$/);
  t.equal(body.inputs.baselinePeriod, '2019');
  t.equal(body.inputs.level, 0.9);
  t.same(body.inputs.bounds, { min: 0, max: 100, source: 'unit' }, 'percent clamps to [0, 100]');

  const total = body.total;
  t.same(total.latest, { period: '2021', value: 14 });
  t.same(total.previous, { period: '2020', value: 15 });
  t.equal(total.base.value, 16);
  t.equal(total.changeFromPrevious, -1);
  t.same(total.changeFromBaseline, { absolute: -2, percent: -12.5, basePeriod: '2019' });
  t.equal(total.percentOfTarget, 70);
  t.ok(Math.abs(total.varianceFromTarget - -0.3) < 1e-12);
  t.equal(total.trend.direction, 'down');
  t.equal(total.trend.periods, 2);
  t.equal(total.trend.good, false);

  // OLS on 2016–2019 (x = year, y = 10, 12, 13, 16): slope 1.9, forecast 2020 = 17.5, 2021 = 19.4, 2022 = 21.3
  t.equal(total.forecast.method, 'ols');
  t.same(total.forecast.fittedOn, { from: '2016', to: '2019', n: 4, breakAt: null });
  t.ok(Math.abs(total.forecast.slopePerYear - 1.9) < 1e-9);
  t.same(
    total.forecast.points.map((p: { period: string }) => p.period),
    ['2020', '2021', '2022'],
  );
  t.ok(Math.abs(total.forecast.points[1].value - 19.4) < 1e-9);
  // 14 is below its interval but 2020 (15) was inside: a single point outside is not a signal (engine 2.0).
  t.equal(total.curve.status, 'not_turned');
  t.same(total.curve.signals, []);
  t.ok(Math.abs(total.curve.gap - -5.4) < 1e-9);

  t.equal(body.slices.length, 1);
  const female = body.slices[0];
  t.same(female.disaggregation, { sex: 'female' });
  t.same(female.latest, { period: '2021', value: 16 });
  t.equal(female.gap.baselineGap, -1, 'female 15 vs total 16 at the baseline');
  t.equal(female.gap.latestGap, 2);
  t.equal(female.gap.narrowing, false);

  t.notOk(JSON.stringify(body).includes('NaN'), 'no NaN reaches JSON');
});

t.test('the level query chooses the interval; other levels are a 400', async (t) => {
  const { indicator } = await createFixture(api, { baselinePeriod: '2019' });
  await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: annual({ 2016: 9, 2017: 8.5, 2018: 8.7, 2019: 8, 2020: 7.5 }) },
  });
  const at80 = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/analysis?level=0.80` });
  const at95 = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/analysis?level=0.95` });
  t.equal(at80.body.total.forecast.level, 0.8);
  t.equal(at95.body.total.forecast.level, 0.95);
  const width = (b: { total: { forecast: { points: Array<{ lower: number; upper: number }> } } }) =>
    b.total.forecast.points[0]!.upper - b.total.forecast.points[0]!.lower;
  t.ok(width(at95.body) > width(at80.body), 'a 95 % interval is wider than an 80 % one');
  const bad = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/analysis?level=0.85` });
  t.equal(bad.status, 400);
  t.equal(bad.body.error.details[0].path, 'querystring.level');
});

t.test('an indicator without data is analysed as insufficient, not an error', async (t) => {
  const { indicator } = await createFixture(api);
  const { status, body } = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/analysis` });
  t.equal(status, 200);
  t.equal(body.total.latest, null);
  t.equal(body.total.curve.status, 'insufficient_data');
  t.equal(body.total.progress.status, 'not_available');
  t.equal(body.total.forecast.method, null);
});

t.test('unknown ids are 404s', async (t) => {
  const missing = '01a1fd4c-0000-7000-8000-000000000000';
  for (const url of [
    `/api/v1/indicators/${missing}/analysis`,
    `/api/v1/results/${missing}/scorecard`,
    `/api/v1/results/${missing}/smart`,
  ]) {
    const response = await api.request({ method: 'GET', url });
    t.equal(response.status, 404, url);
    t.equal(response.body.error.code, 'not_found');
  }
});

t.test('scorecard: each indicator summarised and every outcome rolled up (docs/methodology.md §7)', async (t) => {
  const { result, indicator: headline } = await createFixture(api, {
    code: 'HEAD',
    baselinePeriod: '2018',
    target: { period: '2024', value: 5 },
  });
  const outcome = await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.id}/outcomes`,
    payload: { title: 'Skills' },
  });
  const sub = await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.id}/outcomes`,
    payload: { title: 'Credentials', parentOutcomeId: outcome.body.id },
  });
  const addIndicator = async (code: string, outcomeId: string, polarity: string, target: number) =>
    (
      await api.request({
        method: 'POST',
        url: `/api/v1/results/${result.id}/indicators`,
        payload: {
          name: code,
          code,
          unit: 'count',
          polarity,
          frequency: 'annual',
          outcomeId,
          baselinePeriod: '2018',
          target: { period: '2024', value: target },
        },
      })
    ).body;
  const a = await addIndicator('A', outcome.body.id, 'higher_is_better', 200);
  const b = await addIndicator('B', sub.body.id, 'higher_is_better', 150);
  const _empty = await addIndicator('EMPTY', sub.body.id, 'higher_is_better', 10);
  const put = (id: string, values: Record<string, number>) =>
    api.request({ method: 'PUT', url: `/api/v1/indicators/${id}/data-points`, payload: { points: annual(values) } });
  await put(headline.id, { 2016: 9, 2017: 8.5, 2018: 8, 2019: 7, 2020: 6.5, 2021: 6 });
  await put(a.id, { 2016: 90, 2017: 95, 2018: 100, 2019: 110, 2020: 125 });
  await put(b.id, { 2017: 120, 2018: 110, 2019: 100, 2020: 95 });

  const { status, body } = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/scorecard` });
  t.equal(status, 200);
  t.equal(body.result.id, result.id);
  t.same(
    body.indicators.map((i: { code: string }) => i.code),
    ['HEAD'],
  );
  const skills = body.outcomes[0];
  t.equal(skills.title, 'Skills');
  t.same(
    skills.indicators.map((i: { code: string }) => i.code),
    ['A'],
  );
  const credentials = skills.outcomes[0];
  t.same(
    credentials.indicators.map((i: { code: string }) => i.code),
    ['B', 'EMPTY'],
  );

  const summaryA = skills.indicators[0];
  t.same(summaryA.latest, { period: '2020', value: 125 });
  t.equal(summaryA.trend.direction, 'up');
  t.equal(summaryA.trend.good, true);
  const summaryB = credentials.indicators[0];
  t.equal(summaryB.trend.good, false);
  t.equal(credentials.indicators[1].progress.status, 'not_available');

  // roll-ups: the mean of the scores of every indicator below, not_available skipped
  const scoreOf = (s: { progress: { score: number | null } }) => s.progress.score!;
  t.ok(Math.abs(credentials.rollUp.score - scoreOf(summaryB)) < 1e-9, 'only B is scored under Credentials');
  t.equal(credentials.rollUp.indicatorCount, 2);
  t.equal(credentials.rollUp.scoredCount, 1);
  t.ok(Math.abs(skills.rollUp.score - (scoreOf(summaryA) + scoreOf(summaryB)) / 2) < 1e-9, 'Skills = mean of A and B');
  const all = [body.indicators[0], summaryA, summaryB];
  t.ok(
    Math.abs(body.rollUp.score - all.reduce((s, i) => s + scoreOf(i), 0) / 3) < 1e-9,
    'the result rolls up all its indicators',
  );
  t.equal(body.rollUp.indicatorCount, 4);
  t.equal(body.rollUp.counts.progress.not_available, 1);
  t.equal(body.rollUp.counts.trend.good, 2, 'HEAD (down, lower is better) and A (up) trend the right way');
});

t.test('SMART check: the reading follows the result and its indicators (docs/methodology.md §8)', async (t) => {
  const initiative = await api.request({ method: 'POST', url: '/api/v1/initiatives', payload: { name: 'SMART test' } });
  const vague = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.body.id}/results`,
    payload: { statement: 'Better jobs' },
  });
  const unsure = await api.request({ method: 'GET', url: `/api/v1/results/${vague.body.id}/smart` });
  t.equal(unsure.status, 200);
  t.equal(unsure.body.reading, 'unsure', 'no headline indicator');
  t.equal(unsure.body.result.specific.status, 'fail');
  t.equal(unsure.body.result.timeBound.status, 'fail');

  const { result, indicator } = await createFixture(api, {
    definition: 'Unemployed as a share of the labour force',
    baselinePeriod: '2019',
  });
  await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: annual({ 2015: 10, 2016: 9.5, 2017: 9, 2018: 8.6, 2019: 8.2 }) },
  });
  const general = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/smart` });
  t.equal(general.body.reading, 'general', 'no target yet');
  t.equal(general.body.indicators[0].criteria.timeBound.status, 'fail');

  await api.request({
    method: 'PATCH',
    url: `/api/v1/indicators/${indicator.id}`,
    payload: { target: { period: '2023', value: 7.5 } },
  });
  const specific = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/smart` });
  t.equal(
    specific.body.indicators[0].criteria.attainable.status,
    'pass',
    'the history improved faster than the target asks',
  );
  t.equal(specific.body.reading, 'specific');
});

t.test(
  'forecast method end to end: auto by default, ets / linear / manual on request, bad options refused',
  async (t) => {
    const { indicator, result } = await createFixture(api, {
      polarity: 'higher_is_better',
      unit: 'rate',
      baselinePeriod: '2019',
    });
    t.same(indicator.forecast, { method: 'auto' }, 'a new indicator forecasts with auto');
    const values = [10.2, 10.9, 11.3, 12.1, 12.4, 13.2, 13.5, 13.9, 14.4, 14.6, 14.9, 15.1, 15.9, 16.8];
    await api.request({
      method: 'PUT',
      url: `/api/v1/indicators/${indicator.id}/data-points`,
      payload: { points: values.map((value, i) => ({ period: String(2008 + i), value })) },
    });
    const auto = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/analysis` });
    t.equal(auto.status, 200);
    const f = auto.body.total.forecast;
    t.equal(f.method, 'ets');
    t.same(f.options, { method: 'auto', model: null, window: null });
    t.equal(f.model.model, 'MAdN', 'lowest AICc of ANN, AAdN, AAN, MNN, MAdN, MAN (as R ets())');
    t.equal(f.model.candidates.length, 6);
    t.match(f.explanation, /damped trend/);
    t.equal(f.points[0].period, '2020');
    t.ok(Math.abs(f.points[0].value - 15.4693076517) < 1e-9, 'ℓ + φb of the fitted model');
    t.equal(auto.body.total.curve.status, 'turned', '15.9 and 16.8 both above their intervals');

    const patched = await api.request({
      method: 'PATCH',
      url: `/api/v1/indicators/${indicator.id}`,
      headers: { 'if-match': `"${indicator.version}"` },
      payload: { forecast: { method: 'ets', model: 'AAdN' } },
    });
    t.equal(patched.status, 200);
    t.same(patched.body.forecast, { method: 'ets', model: 'AAdN' });
    const damped = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/analysis` });
    t.equal(damped.body.total.forecast.model.model, 'AAdN');
    t.equal(damped.body.total.forecast.model.selection, 'requested');

    for (const bad of [
      { method: 'ets' },
      { method: 'ets', model: 'MMN' },
      { method: 'linear', window: 1 },
      { method: 'holt' },
      { method: 'auto', model: 'ANN' },
      'auto',
    ]) {
      const r = await api.request({
        method: 'PATCH',
        url: `/api/v1/indicators/${indicator.id}`,
        headers: { 'if-match': `"${patched.body.version}"` },
        payload: { forecast: bad },
      });
      t.equal(r.status, 400, `forecast ${JSON.stringify(bad)} is refused`);
    }
    const unchanged = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}` });
    t.same(unchanged.body.forecast, { method: 'ets', model: 'AAdN' }, 'nothing half-saved');

    const created = await api.request({
      method: 'POST',
      url: `/api/v1/results/${result.id}/indicators`,
      payload: {
        name: 'Hand-drawn',
        unit: 'rate',
        polarity: 'higher_is_better',
        frequency: 'annual',
        forecast: { method: 'linear', window: 5 },
      },
    });
    t.equal(created.status, 201);
    t.same(created.body.forecast, { method: 'linear', window: 5 });
  },
);

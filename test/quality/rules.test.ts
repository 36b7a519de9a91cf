/**
 * Data quality through HTTP (docs/data-quality.md): every rule kind and severity through the JSON batch, the
 * single-point PATCH and the CSV import (and its dry run); the initiative's choice of what a warning does;
 * acknowledgements stored with the version and seen in its history; SDMX observation status; the rules' own
 * history (asOf); and the data-quality list.
 */
import fc from 'fast-check';
import t from '../helpers/tap.ts';
import { buildTestApp, createFixture, type TestApp } from '../helpers/test-app.ts';
import { addIndicator, allPoints, postCsv } from '../imports/helpers.ts';

const put = (api: TestApp, indicatorId: string, points: unknown[]) =>
  api.request({ method: 'PUT', url: `/api/v1/indicators/${indicatorId}/data-points`, payload: { points } });
const patchIndicator = (api: TestApp, indicatorId: string, payload: Record<string, unknown>) =>
  api.request({ method: 'PATCH', url: `/api/v1/indicators/${indicatorId}`, payload });
const annual = (from: number, values: number[]) => values.map((value, i) => ({ period: String(from + i), value }));

t.test('rules through the JSON batch', async (t) => {
  const api = await buildTestApp(t);

  t.test('range: an error refuses the whole batch, naming the point; a warning is recorded', async (t) => {
    const { indicator } = await createFixture(api, {
      unit: 'rate',
      rules: [
        { code: 'at_most_50', kind: 'range', severity: 'error', max: 50, description: 'a rate per 1,000' },
        { code: 'usually_above_2', kind: 'range', severity: 'warning', min: 2 },
      ],
    });
    const refused = await put(api, indicator.id, [
      { period: '2020', value: 10 },
      { period: '2021', value: 51 },
    ]);
    t.equal(refused.status, 422);
    t.equal(refused.body.error.code, 'rule_violation');
    t.same(
      refused.body.error.details.map((d: { path: string; code: string; severity: string }) => [
        d.path,
        d.code,
        d.severity,
      ]),
      [['body.points.1', 'at_most_50', 'error']],
    );
    t.match(refused.body.error.details[0].message, /51 is above the maximum 50 \(rule at_most_50: a rate per 1,000\)/);
    t.same(await allPoints(api, indicator.id), [], 'nothing written');

    const saved = await put(api, indicator.id, [
      { period: '2020', value: 10 },
      { period: '2021', value: 1.5 },
    ]);
    t.equal(saved.status, 200);
    t.same(saved.body.warnings, [
      {
        path: 'points.1',
        code: 'usually_above_2',
        severity: 'warning',
        message: '1.5 is below the minimum 2 (rule usually_above_2)',
        acknowledged: false,
      },
    ]);
    const stored = await allPoints(api, indicator.id);
    t.same(
      stored.map((p: any) => [p.period, p.flags.map((f: any) => [f.code, f.acknowledged])]),
      [
        ['2020', []],
        ['2021', [['usually_above_2', false]]],
      ],
    );
  });

  t.test('change: absolute and relative limits against the previous period of the same group', async (t) => {
    const { indicator } = await createFixture(api, {
      unit: 'count',
      rules: [
        { code: 'no_jump', kind: 'change', severity: 'error', maxRelative: 0.5 },
        { code: 'small_steps', kind: 'change', severity: 'warning', maxAbs: 100 },
      ],
    });
    t.equal((await put(api, indicator.id, annual(2018, [1000, 1050]))).status, 200);
    const jump = await put(api, indicator.id, [{ period: '2020', value: 1600 }]);
    t.equal(jump.status, 422);
    t.match(jump.body.error.details[0].message, /from 1050 in 2019 to 1600 \(\+52\.381 %\) is larger than 50 %/);
    const step = await put(api, indicator.id, [{ period: '2020', value: 1200 }]);
    t.equal(step.status, 200);
    t.same(
      step.body.warnings.map((w: any) => w.code),
      ['small_steps'],
    );
    t.match(step.body.warnings[0].message, /\(\+150\) is larger than 100/);
    const broken = await put(api, indicator.id, [{ period: '2021', value: 1250, obsStatus: 'B' }]);
    t.same(broken.body.warnings, [], 'a break in series is not compared with what came before');
  });

  t.test('sum: the groups add up to the total (counts); a rate total lies within its groups', async (t) => {
    const dimensions = [{ name: 'sex', values: ['female', 'male'] }];
    const { indicator, result } = await createFixture(api, {
      unit: 'count',
      dimensions,
      rules: [{ code: 'groups_add_up', kind: 'sum', severity: 'error', dimension: 'sex', tolerance: 1 }],
    });
    const bad = await put(api, indicator.id, [
      { period: '2020', value: 100 },
      { period: '2020', value: 60, disaggregation: { sex: 'female' } },
      { period: '2020', value: 45, disaggregation: { sex: 'male' } },
    ]);
    t.equal(bad.status, 422);
    t.match(bad.body.error.details[0].message, /groups add up to 105, not the total 100 \(tolerance 1\)/);
    const ok = await put(api, indicator.id, [
      { period: '2020', value: 100 },
      { period: '2020', value: 60, disaggregation: { sex: 'female' } },
      { period: '2020', value: 41, disaggregation: { sex: 'male' } },
    ]);
    t.equal(ok.status, 200, 'within the tolerance');
    const partial = await put(api, indicator.id, [{ period: '2021', value: 90, disaggregation: { sex: 'female' } }]);
    t.equal(partial.status, 200, 'not checked until the total and every group are in');

    const rate = await addIndicator(api, result.id, {
      unit: 'rate',
      dimensions,
      rules: [{ code: 'total_between_groups', kind: 'sum', severity: 'error', dimension: 'sex', tolerance: 0 }],
    });
    const outside = await put(api, rate.id, [
      { period: '2020', value: 9 },
      { period: '2020', value: 5, disaggregation: { sex: 'female' } },
      { period: '2020', value: 7, disaggregation: { sex: 'male' } },
    ]);
    t.equal(outside.status, 422);
    t.match(outside.body.error.details[0].message, /total 9 lies outside the range of the sex groups, 5 to 7/);
  });

  t.test('compare: a numerator is at most its denominator, at the same period', async (t) => {
    const { result, indicator: denominator } = await createFixture(api, { unit: 'count', code: 'ENROLLED' });
    const numerator = await addIndicator(api, result.id, {
      unit: 'count',
      code: 'GRADUATED',
      rules: [
        {
          code: 'at_most_enrolled',
          kind: 'compare',
          severity: 'error',
          operator: '<=',
          otherIndicatorId: denominator.id,
        },
      ],
    });
    t.equal((await put(api, denominator.id, annual(2020, [500, 520]))).status, 200);
    const bad = await put(api, numerator.id, annual(2020, [450, 530]));
    t.equal(bad.status, 422);
    t.same(
      bad.body.error.details.map((d: any) => d.path),
      ['body.points.1'],
    );
    t.match(bad.body.error.details[0].message, /530 should be at most 520, the value of ENROLLED for 2021/);
    t.equal(
      (await put(api, numerator.id, annual(2020, [450, 500, 400]))).status,
      200,
      'skip when the other is missing',
    );

    const elsewhere = await createFixture(api, { unit: 'count' });
    const foreign = await patchIndicator(api, numerator.id, {
      rules: [
        { code: 'x', kind: 'compare', severity: 'error', operator: '<=', otherIndicatorId: elsewhere.indicator.id },
      ],
    });
    t.equal(foreign.status, 422);
    t.equal(foreign.body.error.code, 'indicator_not_in_result');
  });

  t.test('rule definitions are checked', async (t) => {
    const { indicator } = await createFixture(api, { unit: 'count' });
    const cases: Array<[unknown, number, string]> = [
      [[{ code: 'a', kind: 'range', severity: 'error' }], 400, 'give min, max or both'],
      [[{ code: 'Bad Code', kind: 'range', severity: 'error', max: 1 }], 400, 'snake_case'],
      [[{ code: 'outlier_history', kind: 'range', severity: 'error', max: 1 }], 400, 'built-in'],
      [
        [
          { code: 'a', kind: 'range', severity: 'error', max: 1 },
          { code: 'a', kind: 'range', severity: 'error', max: 2 },
        ],
        400,
        'unique',
      ],
      [[{ code: 'a', kind: 'sum', severity: 'error', dimension: 'age' }], 422, 'not a declared dimension'],
      [
        [{ code: 'a', kind: 'compare', severity: 'error', operator: '<', otherIndicatorId: indicator.id }],
        422,
        'another indicator',
      ],
      [[{ code: 'a', kind: 'ratio', severity: 'error' }], 400, 'Invalid discriminator'],
    ];
    for (const [rules, status, message] of cases) {
      const res = await patchIndicator(api, indicator.id, { rules });
      t.equal(res.status, status, JSON.stringify(rules));
      t.match(res.raw, message);
    }
  });
});

t.test('built-in checks', async (t) => {
  const api = await buildTestApp(t);

  t.test('outlier_history: a value far from its history (modified z-score > 3.5)', async (t) => {
    const { indicator } = await createFixture(api, { unit: 'rate' });
    t.equal((await put(api, indicator.id, annual(2010, [10, 11, 10.5, 10.8, 11.2, 10.4, 10.9, 11.1]))).status, 200);
    const typo = await put(api, indicator.id, [{ period: '2018', value: 110 }]);
    t.equal(typo.status, 200, 'recorded: warnings do not refuse by default');
    t.same(
      typo.body.warnings.map((w: any) => w.code),
      ['outlier_history'],
    );
    t.match(
      typo.body.warnings[0].message,
      /110 is unlike this series' history: its change from the previous period \(\+98\.9\) has a modified z-score of [\d.]+ \(more than 3\.5 counts as an outlier\) against the median change 0\.3 of the previous 7/,
    );
    const fine = await put(api, indicator.id, [{ period: '2018', value: 11.3 }]);
    t.same(fine.body.warnings, [], 'corrected: no flag');
    t.same(((await allPoints(api, indicator.id)).at(-1) as any).flags, [], 'the corrected version has no flag');
    const afterBreak = await put(api, indicator.id, [{ period: '2019', value: 55, obsStatus: 'B' }]);
    t.same(afterBreak.body.warnings, [], 'a break in series starts a new history');
  });

  t.test('outside_forecast: outside the baseline forecast 95 % interval', async (t) => {
    const { indicator } = await createFixture(api, { unit: 'rate', baselinePeriod: '2017' });
    const history = [20, 20.5, 21, 21.4, 22, 22.6, 23, 23.5];
    t.equal((await put(api, indicator.id, annual(2010, history))).status, 200);
    const far = await put(api, indicator.id, [{ period: '2018', value: 40 }]);
    t.ok(
      far.body.warnings.some((w: any) => w.code === 'outside_forecast'),
      JSON.stringify(far.body.warnings),
    );
    t.match(
      far.body.warnings.find((w: any) => w.code === 'outside_forecast').message,
      /40 is outside the baseline forecast's 95 % interval for 2018, [\d.]+ to [\d.]+ \(forecast [\d.]+\)/,
    );
    const near = await put(api, indicator.id, [{ period: '2018', value: 24 }]);
    t.same(near.body.warnings, [], 'inside the interval');
  });

  t.test('out_of_bounds: outside the unit’s or the indicator’s bounds is a warning', async (t) => {
    const { indicator } = await createFixture(api, { unit: 'percent' });
    const share = await put(api, indicator.id, [{ period: '2020', value: 120 }]);
    t.equal(share.status, 200);
    t.match(share.body.warnings[0], { code: 'out_of_bounds', message: /120 is above 100/ });
    const bounded = await createFixture(api, { unit: 'rate', bounds: { min: 0, max: 1000 } });
    const below = await put(api, bounded.indicator.id, [{ period: '2020', value: -1 }]);
    t.equal(below.status, 200, 'recorded: a range rule of severity error is what refuses');
    t.match(below.body.warnings[0], {
      code: 'out_of_bounds',
      message: /-1 is below 0, the smallest value the indicator’s bounds allow/,
    });
  });
});

t.test('warnings that block, acknowledgements, and the history', async (t) => {
  const api = await buildTestApp(t);
  const { initiative, indicator } = await createFixture(api, {
    unit: 'rate',
    rules: [{ code: 'at_most_10', kind: 'range', severity: 'warning', max: 10 }],
  });
  const block = await api.request({
    method: 'PATCH',
    url: `/api/v1/initiatives/${initiative.id}`,
    payload: { quality: { warnings: 'block' } },
  });
  t.equal(block.status, 200);
  t.same(block.body.quality, { warnings: 'block' });

  const refused = await put(api, indicator.id, [
    { period: '2020', value: 5 },
    { period: '2021', value: 12 },
  ]);
  t.equal(refused.status, 422);
  t.equal(refused.body.error.code, 'needs_acknowledgement');
  t.same(
    refused.body.error.details.map((d: any) => [d.path, d.code, d.severity]),
    [['body.points.1', 'at_most_10', 'warning']],
  );
  t.same(await allPoints(api, indicator.id), [], 'nothing written');

  const noComment = await put(api, indicator.id, [
    { period: '2021', value: 12, acknowledge: [{ code: 'at_most_10' }] },
  ]);
  t.equal(noComment.status, 400, 'an acknowledgement needs a comment');

  const acknowledged = await put(api, indicator.id, [
    { period: '2020', value: 5 },
    { period: '2021', value: 12, acknowledge: [{ code: 'at_most_10', comment: 'A plant closed in March.' }] },
  ]);
  t.equal(acknowledged.status, 200);
  t.same(
    acknowledged.body.warnings.map((w: any) => [w.code, w.acknowledged]),
    [['at_most_10', true]],
  );
  const point = acknowledged.body.points[1];
  t.same(point.flags, [
    {
      code: 'at_most_10',
      severity: 'warning',
      message: '12 is above the maximum 10 (rule at_most_10)',
      acknowledged: true,
      comment: 'A plant closed in March.',
      acknowledgedBy: 'admin (RBA_ADMIN_TOKEN)',
    },
  ]);

  // Recorded first, acknowledged later: a new version, and the history shows both.
  await api.request({
    method: 'PATCH',
    url: `/api/v1/initiatives/${initiative.id}`,
    payload: { quality: { warnings: 'record' } },
  });
  const recorded = await put(api, indicator.id, [{ period: '2022', value: 13 }]);
  t.equal(recorded.status, 200);
  const flagged = recorded.body.points[0];
  t.equal(flagged.flags[0].acknowledged, false);
  const later = await api.request({
    method: 'PATCH',
    url: `/api/v1/data-points/${flagged.id}`,
    headers: { 'if-match': `"${flagged.version}"` },
    payload: { acknowledge: [{ code: 'at_most_10', comment: 'Checked with the county.' }] },
  });
  t.equal(later.status, 200);
  t.equal(later.body.version, flagged.version + 1);
  t.equal(later.body.value, 13);
  t.match(later.body.flags[0], { acknowledged: true, comment: 'Checked with the county.' });
  const history = await api.request({ method: 'GET', url: `/api/v1/data-points/${flagged.id}/history` });
  t.same(
    history.body.revisions.map((r: any) => r.new.flags.map((f: any) => [f.code, f.acknowledged, f.comment])),
    [[['at_most_10', false, null]], [['at_most_10', true, 'Checked with the county.']]],
  );
  const again = await api.request({
    method: 'PATCH',
    url: `/api/v1/data-points/${flagged.id}`,
    payload: { acknowledge: [{ code: 'at_most_10', comment: 'Checked with the county.' }] },
  });
  t.equal(again.body.version, flagged.version + 1, 'acknowledging again changes nothing');
});

t.test('observation status', async (t) => {
  const api = await buildTestApp(t);
  const { indicator } = await createFixture(api, { unit: 'rate' });
  const saved = await put(api, indicator.id, [
    { period: '2019', value: 4 },
    { period: '2020', value: null, obsStatus: 'M', footnote: 'No survey in 2020 (pandemic).' },
    { period: '2021', value: 5, obsStatus: 'E' },
    { period: '2022', value: 5.5, obsStatus: 'P' },
    { period: '2023', value: 6, status: 'provisional' },
  ]);
  t.equal(saved.status, 200, saved.raw);
  t.same(
    saved.body.points.map((p: any) => [p.period, p.value, p.obsStatus, p.status, p.footnote]),
    [
      ['2019', 4, 'A', null, null],
      ['2020', null, 'M', null, 'No survey in 2020 (pandemic).'],
      ['2021', 5, 'E', null, null],
      ['2022', 5.5, 'P', 'provisional', null],
      ['2023', 6, 'P', 'provisional', null],
    ],
  );
  const forecast = await put(api, indicator.id, [{ period: '2024', value: 7, obsStatus: 'F' }]);
  t.equal(forecast.status, 400);
  t.match(forecast.raw, /F \(forecast\) is not data/);
  const noValue = await put(api, indicator.id, [{ period: '2018', value: null }]);
  t.equal(noValue.status, 400);
  t.match(noValue.raw, /a value is required unless obsStatus is M/);
  const conflict = await put(api, indicator.id, [{ period: '2018', value: 3, obsStatus: 'P', status: 'final' }]);
  t.equal(conflict.status, 422);
  t.equal(conflict.body.error.code, 'status_conflict');

  const analysis = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/analysis` });
  t.equal(analysis.status, 200);
  t.equal(analysis.body.total.pointCount, 4, 'a missing (M) point is no observation');

  const csv = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/data.csv` });
  t.match(csv.raw, /^period,value,note,status,source,OBS_STATUS,COMMENT_OBS\n/);
  t.match(csv.raw, /\n2020,,,,,M,No survey in 2020 \(pandemic\)\.\n/);
  const again = await postCsv(api, indicator.id, csv.raw);
  t.equal(again.status, 200, again.raw);
  t.match(again.body, { inserted: 0, updated: 0, unchanged: 5 }, 'exporting and importing again changes nothing');
});

t.test('CSV imports pass the same checks', async (t) => {
  const api = await buildTestApp(t);
  const { indicator, initiative } = await createFixture(api, {
    unit: 'rate',
    rules: [
      { code: 'at_most_50', kind: 'range', severity: 'error', max: 50 },
      { code: 'usually_below_20', kind: 'range', severity: 'warning', max: 20 },
    ],
  });
  const refused = await postCsv(api, indicator.id, 'period,value\n2019,10\n2020,60\n');
  t.equal(refused.status, 422);
  t.equal(refused.body.error.code, 'rule_violation');
  t.same(
    refused.body.error.details.map((d: any) => [d.path, d.code]),
    [['rows.3', 'at_most_50']],
  );
  t.same(await allPoints(api, indicator.id), []);

  t.equal((await postCsv(api, indicator.id, 'period,value\n2019,10\n2020,12\n')).status, 200);
  const dry = await postCsv(
    api,
    indicator.id,
    'period,value,OBS_STATUS,COMMENT_OBS\n2019,11,E,Estimated\n2020,25,,\n2021,70,,\n',
    {
      query: 'dryRun=true',
    },
  );
  t.equal(dry.status, 200);
  t.equal(dry.body.status, 'rejected');
  t.same(
    dry.body.errors.map((e: any) => [e.row, e.code]),
    [[4, 'at_most_50']],
  );
  t.same(
    dry.body.warnings.map((w: any) => [w.row, w.code, w.acknowledged]),
    [
      [3, 'usually_below_20', false],
      [4, 'usually_below_20', false],
    ],
  );
  t.same(dry.body.changes, [
    { row: 2, period: '2019', disaggregation: {}, old: 10, new: 11 },
    { row: 3, period: '2020', disaggregation: {}, old: 12, new: 25 },
  ]);
  t.same(
    (await allPoints(api, indicator.id)).map((p) => p.value),
    [10, 12],
    'a dry run writes nothing',
  );

  await api.request({
    method: 'PATCH',
    url: `/api/v1/initiatives/${initiative.id}`,
    payload: { quality: { warnings: 'block' } },
  });
  const blocked = await postCsv(api, indicator.id, 'period,value\n2020,25\n');
  t.equal(blocked.status, 422);
  t.equal(blocked.body.error.code, 'needs_acknowledgement');
  const missingComment = await postCsv(api, indicator.id, 'period,value,ACKNOWLEDGE\n2020,25,usually_below_20\n');
  t.equal(missingComment.status, 422);
  t.equal(missingComment.body.error.details[0].code, 'comment_required');
  const acknowledged = await postCsv(
    api,
    indicator.id,
    'period,value,ACKNOWLEDGE,COMMENT\n2020,25,usually_below_20|outlier_history,"New definition, see note"\n',
  );
  t.equal(acknowledged.status, 200, acknowledged.raw);
  t.same(
    acknowledged.body.warnings.map((w: any) => [w.row, w.code, w.acknowledged]),
    [[2, 'usually_below_20', true]],
  );
  const stored = (await allPoints(api, indicator.id)).find((p) => p.period === '2020') as any;
  t.match(stored.flags, [{ code: 'usually_below_20', acknowledged: true, comment: 'New definition, see note' }]);

  const forecast = await postCsv(api, indicator.id, 'period,value,OBS_STATUS\n2021,5,F\n');
  t.equal(forecast.status, 422);
  t.match(forecast.raw, /F \(forecast\): a forecast is not data/);
});

t.test('the rules are versioned: asOf shows the rules then in force', async (t) => {
  const api = await buildTestApp(t);
  const { indicator } = await createFixture(api, { unit: 'rate' });
  const before = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/rules` });
  t.equal(before.status, 200);
  t.same(before.body.rules, []);
  t.equal(before.body.version, 1);
  const beforeChange = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 5));
  const rules = [{ code: 'at_most_50', kind: 'range', severity: 'error', max: 50 }];
  t.equal((await patchIndicator(api, indicator.id, { rules })).status, 200);
  t.equal((await patchIndicator(api, indicator.id, { name: 'Renamed' })).status, 200, 'other changes keep the version');
  const now = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/rules` });
  t.equal(now.body.version, 2);
  t.same(
    now.body.rules,
    [{ ...rules[0], min: undefined }].map(({ min: _m, ...r }) => r),
  );
  t.equal(now.body.versions.length, 2);
  const then = await api.request({
    method: 'GET',
    url: `/api/v1/indicators/${indicator.id}/rules?asOf=${encodeURIComponent(beforeChange)}`,
  });
  t.same(then.body.rules, [], 'as of before the change: no rules');
  t.equal(then.body.version, 1);
  const indicatorRead = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}` });
  t.same(indicatorRead.body.rules, now.body.rules);
});

t.test('the data-quality list', async (t) => {
  const api = await buildTestApp(t);
  const { indicator, result } = await createFixture(api, {
    unit: 'rate',
    reportingLag: { amount: 6, unit: 'months' },
  });
  t.equal(
    (
      await put(api, indicator.id, [
        ...annual(2010, [10, 11, 10.5, 10.8, 11.2, 10.4, 10.9, 11.1]),
        { period: '2018', value: 110 },
        { period: '2020', value: 11, status: 'provisional' },
        { period: '2021', value: null, obsStatus: 'M' },
      ])
    ).status,
    200,
  );
  // A rule added after the data: the list shows the values that break it now.
  await patchIndicator(api, indicator.id, {
    rules: [{ code: 'at_most_11', kind: 'range', severity: 'error', max: 11 }],
  });
  const list = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/data-quality` });
  t.equal(list.status, 200, list.raw);
  const items = list.body.items.map((i: any) => [i.period, i.code, i.source, i.acknowledged]);
  t.same(items.slice(0, 3), [
    ['2014', 'at_most_11', 'rule', false],
    ['2017', 'at_most_11', 'rule', false],
    ['2018', 'at_most_11', 'rule', false],
  ]);
  t.ok(items.some((i: any) => i[1] === 'outlier_history' && i[2] === 'flag'));
  t.ok(items.some((i: any) => i[0] === '2020' && i[1] === 'provisional_overdue'));
  const missing = list.body.missingPeriods.map((m: any) => m.period);
  t.ok(missing.includes('2019'), 'a gap is listed');
  t.notOk(missing.includes('2021'), 'a period marked M is not missing');
  t.ok(missing.includes('2022'), 'a period already due is missing');

  const one = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.id}/data-quality` });
  t.same(one.body, list.body, 'the indicator list is the same for a one-indicator result');

  const anonymous = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/data-quality`, as: null });
  t.equal(anonymous.status, 401, 'a token is needed (the same answer whether the result exists or not)');
  await api.request({ method: 'PATCH', url: `/api/v1/results/${result.id}`, payload: { visibility: 'public' } });
  const publicAnonymous = await api.request({
    method: 'GET',
    url: `/api/v1/results/${result.id}/data-quality`,
    as: null,
  });
  t.equal(publicAnonymous.status, 401, 'members only, even for a public result');
});

t.test('property: a batch refused by a rule writes nothing, whatever else it holds', async (t) => {
  const api = await buildTestApp(t);
  const { indicator } = await createFixture(api, {
    unit: 'rate',
    dimensions: [{ name: 'sex', values: ['female', 'male'] }],
    rules: [{ code: 'at_most_100', kind: 'range', severity: 'error', max: 100 }],
  });
  t.equal((await put(api, indicator.id, annual(2000, [10, 20, 30]))).status, 200);
  const before = await allPoints(api, indicator.id);
  const point = fc.record({
    period: fc.integer({ min: 1990, max: 2020 }).map(String),
    value: fc.double({ min: 0, max: 100, noNaN: true }),
    disaggregation: fc.constantFrom({}, { sex: 'female' }, { sex: 'male' }),
  });
  await fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(point, {
        minLength: 1,
        maxLength: 20,
        selector: (p) => `${p.period} ${JSON.stringify(p.disaggregation)}`,
      }),
      fc.nat(),
      fc.double({ min: 100.001, max: 1e6, noNaN: true }),
      async (points, at, bad) => {
        const batch = points.map((p) => ({ ...p }));
        batch[at % batch.length]!.value = bad;
        const res = await put(api, indicator.id, batch);
        if (res.status !== 422 || res.body.error.code !== 'rule_violation') return false;
        return JSON.stringify(await allPoints(api, indicator.id)) === JSON.stringify(before);
      },
    ),
    { numRuns: 25 },
  );
  t.pass('25 random refused batches left the data as they were');
});

t.test(
  'from a review: privacy, a value ending an M mark, one acknowledgement at a time, comments required',
  async (t) => {
    const api = await buildTestApp(t);
    const { result, indicator: hidden, initiative } = await createFixture(api, { unit: 'count', code: 'PRIV' });
    await api.request({ method: 'PATCH', url: `/api/v1/results/${result.id}`, payload: { visibility: 'public' } });
    await patchIndicator(api, hidden.id, { visibility: 'private' });
    const shown = await addIndicator(api, result.id, {
      unit: 'count',
      rules: [
        { code: 'below_priv', kind: 'compare', severity: 'warning', operator: '<=', otherIndicatorId: hidden.id },
      ],
    });
    t.equal((await put(api, hidden.id, [{ period: '2020', value: 12 }])).status, 200);
    const flagged = await put(api, shown.id, [{ period: '2020', value: 13 }]);
    t.match(flagged.body.warnings[0].message, /the value of PRIV for 2020/, 'members see the message');
    const anonymous = await api.request({ method: 'GET', url: `/api/v1/indicators/${shown.id}/data-points`, as: null });
    t.equal(anonymous.status, 200);
    t.same(anonymous.body.items[0].flags, [
      {
        code: 'below_priv',
        severity: 'warning',
        message: 'Flagged by a data-quality check (below_priv); not yet confirmed by the partnership.',
        acknowledged: false,
        comment: null,
        acknowledgedBy: null,
      },
    ]);
    t.notMatch(anonymous.raw, /PRIV/, "the private indicator's code and value do not reach the public");
    const history = await api.request({
      method: 'GET',
      url: `/api/v1/data-points/${anonymous.body.items[0].id}/history`,
      as: null,
    });
    t.notMatch(history.raw, /PRIV for/, 'nor through the history');

    const deleted = await api.request({ method: 'DELETE', url: `/api/v1/indicators/${hidden.id}?cascade=true` });
    t.equal(deleted.status, 409, 'an indicator another rule compares with is not deleted from under it');
    t.equal(deleted.body.error.code, 'indicator_compared');

    // A value given for a point marked M ends the mark, by batch and by PATCH.
    const missing = await put(api, hidden.id, [{ period: '2021', value: null, obsStatus: 'M' }]);
    const byBatch = await put(api, hidden.id, [{ period: '2021', value: 14 }]);
    t.match(byBatch.body.points[0], { value: 14, obsStatus: 'A' });
    await put(api, hidden.id, [{ period: '2022', value: null, obsStatus: 'M' }]);
    const m = (await allPoints(api, hidden.id)).find((p) => p.period === '2022')!;
    const byPatch = await api.request({ method: 'PATCH', url: `/api/v1/data-points/${m.id}`, payload: { value: 15 } });
    t.equal(byPatch.status, 200, byPatch.raw);
    t.match(byPatch.body, { value: 15, obsStatus: 'A' });
    t.equal(missing.status, 200);

    // Block mode: a value with two recorded flags can be acknowledged one flag at a time.
    const two = await addIndicator(api, result.id, {
      unit: 'rate',
      rules: [
        { code: 'first', kind: 'range', severity: 'warning', max: 1 },
        { code: 'second', kind: 'range', severity: 'warning', max: 2 },
      ],
    });
    const recorded = await put(api, two.id, [{ period: '2020', value: 3 }]);
    t.equal(recorded.body.warnings.length, 2);
    await api.request({
      method: 'PATCH',
      url: `/api/v1/initiatives/${initiative.id}`,
      payload: { quality: { warnings: 'block' } },
    });
    const one = await api.request({
      method: 'PATCH',
      url: `/api/v1/data-points/${recorded.body.points[0].id}`,
      payload: { acknowledge: [{ code: 'first', comment: 'Checked.' }] },
    });
    t.equal(one.status, 200, one.raw);
    t.same(
      one.body.flags.map((f: { code: string; acknowledged: boolean }) => [f.code, f.acknowledged]),
      [
        ['first', true],
        ['second', false],
      ],
    );
    const blank = await api.request({
      method: 'PATCH',
      url: `/api/v1/data-points/${recorded.body.points[0].id}`,
      payload: { acknowledge: [{ code: 'second', comment: '   ' }] },
    });
    t.equal(blank.status, 400, 'a blank comment acknowledges nothing');
  },
);

t.test('the data-quality list pages with cursors it gave out', async (t) => {
  const api = await buildTestApp(t);
  const { indicator, result } = await createFixture(api, {
    unit: 'rate',
    rules: [{ code: 'at_most_1', kind: 'range', severity: 'warning', max: 1 }],
  });
  await put(api, indicator.id, annual(2010, [2, 3, 4, 5, 6]));
  const url = `/api/v1/results/${result.id}/data-quality?limit=2`;
  const first = await api.request({ method: 'GET', url });
  t.equal(first.body.items.length, 2);
  const second = await api.request({ method: 'GET', url: `${url}&cursor=${first.body.nextCursor}` });
  const third = await api.request({ method: 'GET', url: `${url}&cursor=${second.body.nextCursor}` });
  t.same(
    [...first.body.items, ...second.body.items, ...third.body.items].map((i: { period: string }) => i.period),
    ['2010', '2011', '2012', '2013', '2014'],
  );
  t.equal(third.body.nextCursor, null);
  const forged = Buffer.from(JSON.stringify([1])).toString('base64url');
  const refused = await api.request({ method: 'GET', url: `${url}&cursor=${forged}` });
  t.equal(refused.status, 400);
  t.equal(refused.body.error.code, 'invalid_cursor');
});

import { randomUUID } from 'node:crypto';
import t from '../helpers/tap.ts';
import { buildTestApp } from '../helpers/test-app.ts';

const api = await buildTestApp(t);

const paths = (body: { error: { details: Array<{ path: string }> } }) => body.error.details.map((d) => d.path).sort();
const codes = (body: { error: { details: Array<{ code: string }> } }) =>
  [...new Set(body.error.details.map((d) => d.code))].sort();

const base = { name: 'Unemployment rate', unit: 'percent', polarity: 'lower_is_better', frequency: 'annual' };

async function newResult(visibility: 'public' | 'private' = 'private') {
  const initiative = await api.request({
    method: 'POST',
    url: '/api/v1/initiatives',
    payload: { name: `Partnership ${randomUUID().slice(0, 8)}` },
  });
  const result = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.body.id}/results`,
    payload: { statement: 'Residents are employed', visibility },
  });
  if (result.status !== 201) throw new Error(`result not created: ${result.raw}`);
  return result.body as { id: string; initiativeId: string };
}

const create = (resultId: string, payload: Record<string, unknown>) =>
  api.request({ method: 'POST', url: `/api/v1/results/${resultId}/indicators`, payload });
const patch = (id: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api.request({ method: 'PATCH', url: `/api/v1/indicators/${id}`, payload, headers });
const putPoints = (id: string, points: Array<Record<string, unknown>>) =>
  api.request({ method: 'PUT', url: `/api/v1/indicators/${id}/data-points`, payload: { points } });

t.test('create, read, list, change and delete an indicator', async (t) => {
  const result = await newResult();
  const partner = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${result.initiativeId}/partners`,
    payload: { name: 'DESC', sector: 'public' },
  });
  const outcome = await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.id}/outcomes`,
    payload: { title: 'Skills' },
  });
  const full = {
    name: 'Unemployment rate',
    code: 'UNEMP_RATE',
    unit: 'percent',
    polarity: 'lower_is_better',
    frequency: 'quarterly',
    outcomeId: outcome.body.id,
    definition: 'Share of the labour force without a job',
    unitLabel: '%',
    decimals: 1,
    yearStartMonth: 1,
    baselinePeriod: '2019-Q4',
    target: { period: '2030-Q4', value: 6.5 },
    interimTargets: [
      { period: '2025-Q4', value: 8 },
      { period: '2027-Q4', value: 7.25 },
    ],
    naturalLimit: 3,
    bounds: { min: 0, max: 100 },
    forecastOverride: [{ period: '2026-Q1', value: 8.1 }],
    dimensions: [
      { name: 'sex', values: ['female', 'male'] },
      { name: 'race_ethnicity', values: ['Black', 'White', 'Hispanic'] },
    ],
    referenceGroup: { race_ethnicity: 'White' },
    dataSource: 'BLS LAUS',
    ownerPartnerId: partner.body.id,
    level: 'performance',
    visibility: 'public',
    position: 7,
  };
  const created = await create(result.id, full);
  t.equal(created.status, 201);
  t.strictSame(
    Object.fromEntries(Object.keys(full).map((key) => [key, created.body[key]])),
    full,
    'every field reads back as sent',
  );
  t.match(created.body, {
    initiativeId: result.initiativeId,
    resultId: result.id,
    visibilityInherited: false,
    version: 1,
  });
  t.match(created.body.id, /^[0-9a-f-]{36}$/);

  const minimal = await create(result.id, base);
  t.equal(minimal.status, 201);
  t.match(minimal.body, {
    code: null,
    outcomeId: null,
    definition: null,
    unitLabel: null,
    decimals: null,
    yearStartMonth: 1,
    baselinePeriod: null,
    target: null,
    naturalLimit: null,
    bounds: null,
    referenceGroup: null,
    dataSource: null,
    ownerPartnerId: null,
    level: 'population',
    visibility: 'private',
    visibilityInherited: true,
    position: 0,
    version: 1,
  });
  t.same(minimal.body.interimTargets, []);
  t.same(minimal.body.forecastOverride, []);
  t.same(minimal.body.dimensions, []);

  const read = await api.request({ method: 'GET', url: `/api/v1/indicators/${created.body.id}` });
  t.equal(read.status, 200);
  t.strictSame(read.body, created.body);

  const list = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/indicators` });
  t.equal(list.status, 200);
  t.same(
    list.body.items.map((i: { id: string }) => i.id),
    [minimal.body.id, created.body.id],
    'ordered by position',
  );
  const page = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/indicators?limit=1` });
  t.equal(page.body.items.length, 1);
  const page2 = await api.request({
    method: 'GET',
    url: `/api/v1/results/${result.id}/indicators?limit=1&cursor=${page.body.nextCursor}`,
  });
  t.same(
    page2.body.items.map((i: { id: string }) => i.id),
    [created.body.id],
  );
  t.equal(page2.body.nextCursor, null);

  const patched = await patch(
    created.body.id,
    {
      name: 'Unemployment rate (16+)',
      target: { period: '2030-Q4', value: 6 },
      interimTargets: [],
      referenceGroup: null,
      outcomeId: null,
      decimals: null,
    },
    { 'if-match': '"1"' },
  );
  t.equal(patched.status, 200);
  t.match(patched.body, {
    name: 'Unemployment rate (16+)',
    target: { period: '2030-Q4', value: 6 },
    referenceGroup: null,
    outcomeId: null,
    decimals: null,
    version: 2,
  });
  t.same(patched.body.interimTargets, []);
  t.same(patched.body.dimensions, full.dimensions, 'unsent fields keep their value');
  t.equal(patched.body.code, 'UNEMP_RATE');

  const stale = await patch(created.body.id, { name: 'Stale' }, { 'if-match': '"1"' });
  t.equal(stale.status, 412);
  t.equal(stale.body.error.code, 'version_mismatch');
  t.match(stale.body.error.details[0].message, /current version is 2/);
  const matching = await patch(created.body.id, { dataSource: null }, { 'if-match': '"2"' });
  t.equal(matching.status, 200);
  t.equal(matching.body.version, 3);
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/indicators/${created.body.id}` })).body.name,
    'Unemployment rate (16+)',
  );

  const deleted = await api.request({ method: 'DELETE', url: `/api/v1/indicators/${minimal.body.id}` });
  t.equal(deleted.status, 204);
  t.equal((await api.request({ method: 'GET', url: `/api/v1/indicators/${minimal.body.id}` })).status, 404);
});

t.test('unknown ids are 404s', async (t) => {
  const missing = randomUUID();
  const cases = [
    { method: 'POST' as const, url: `/api/v1/results/${missing}/indicators`, payload: base },
    { method: 'GET' as const, url: `/api/v1/results/${missing}/indicators` },
    { method: 'GET' as const, url: `/api/v1/indicators/${missing}` },
    { method: 'PATCH' as const, url: `/api/v1/indicators/${missing}`, payload: { name: 'X' } },
    { method: 'DELETE' as const, url: `/api/v1/indicators/${missing}` },
    { method: 'DELETE' as const, url: `/api/v1/indicators/${missing}?cascade=true` },
  ];
  for (const c of cases) {
    const res = await api.request(c);
    t.equal(res.status, 404, `${c.method} ${c.url}`);
    t.equal(res.body.error.code, 'not_found');
  }
});

t.test('bad input is a 400 naming each field', async (t) => {
  const result = await newResult();
  const bad = await create(result.id, {
    name: 'X',
    unit: 'dollars',
    polarity: 'up',
    frequency: 4,
    decimals: 2.5,
    colour: 'red',
    baselinePeriod: '2024-Q5',
    target: { period: '2023-W54', value: 'high' },
    interimTargets: [{ period: '2024-13', value: 1 }],
    forecastOverride: [{ period: '2024-02-30', value: 1 }],
  });
  t.equal(bad.status, 400);
  t.equal(bad.body.error.code, 'invalid_input');
  t.same(paths(bad.body), [
    'body.baselinePeriod',
    'body.colour',
    'body.decimals',
    'body.forecastOverride.0.period',
    'body.frequency',
    'body.interimTargets.0.period',
    'body.polarity',
    'body.target.period',
    'body.target.value',
    'body.unit',
  ]);

  const missing = await create(result.id, { name: 'X' });
  t.equal(missing.status, 400);
  t.same(paths(missing.body), ['body.frequency', 'body.polarity', 'body.unit']);

  const nested = await create(result.id, {
    ...base,
    dimensions: [
      { name: 'sex', values: ['f', 'f'], label: 'Sex' },
      { name: '9lives', values: [] },
    ],
    bounds: { min: 10, max: 5 },
    target: { period: '2030', value: 1, note: 'x' },
  });
  t.equal(nested.status, 400);
  t.same(paths(nested.body), [
    'body.bounds.max',
    'body.dimensions.0.label',
    'body.dimensions.0.values',
    'body.dimensions.1.name',
    'body.dimensions.1.values',
    'body.target.note',
  ]);

  const good = await create(result.id, base);
  const badPatch = await patch(good.body.id, { frequency: 'yearly', level: 'program', visibility: 'secret', extra: 1 });
  t.equal(badPatch.status, 400);
  t.same(paths(badPatch.body), ['body.extra', 'body.frequency', 'body.level', 'body.visibility']);

  const notJson = await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.id}/indicators`,
    payload: 'name,unit',
    headers: { 'content-type': 'text/csv' },
  });
  t.equal(notJson.status, 415);
  t.equal(notJson.body.error.code, 'unsupported_media_type');
  const notJsonPatch = await api.request({
    method: 'PATCH',
    url: `/api/v1/indicators/${good.body.id}`,
    payload: 'x',
    headers: { 'content-type': 'text/plain' },
  });
  t.equal(notJsonPatch.status, 415);

  const list = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/indicators` });
  t.same(
    list.body.items.map((i: { id: string }) => i.id),
    [good.body.id],
    'nothing else was written',
  );
  t.equal(list.body.items[0].version, 1);
});

t.test('periods of another frequency are 422 period_frequency_mismatch, naming each', async (t) => {
  const result = await newResult();
  const mismatched = await create(result.id, {
    ...base,
    frequency: 'quarterly',
    baselinePeriod: '2019',
    target: { period: '2030-07', value: 5 },
    interimTargets: [
      { period: '2025-Q4', value: 7 },
      { period: '2026-W10', value: 6 },
    ],
    forecastOverride: [{ period: '2026-03-31', value: 6 }],
  });
  t.equal(mismatched.status, 422);
  t.equal(mismatched.body.error.code, 'period_frequency_mismatch');
  t.same(codes(mismatched.body), ['period_frequency_mismatch']);
  t.same(paths(mismatched.body), [
    'body.baselinePeriod',
    'body.forecastOverride.0.period',
    'body.interimTargets.1.period',
    'body.target.period',
  ]);

  for (const [frequency, good, wrong] of [
    ['annual', '2024', '2024-Q1'],
    ['quarterly', '2024-Q1', '2024'],
    ['monthly', '2024-01', '2024-Q1'],
    ['weekly', '2024-W01', '2024-01'],
    ['daily', '2024-01-01', '2024-W01'],
  ] as const) {
    const ok = await create(result.id, {
      ...base,
      frequency,
      baselinePeriod: good,
      target: { period: good, value: 1 },
    });
    t.equal(ok.status, 201, `${frequency} accepts ${good}`);
    const no = await create(result.id, { ...base, frequency, baselinePeriod: wrong });
    t.equal(no.status, 422, `${frequency} rejects ${wrong}`);
    t.equal(no.body.error.code, 'period_frequency_mismatch');
  }

  // A PATCH is checked against the merged definition: changing the frequency strands the baseline.
  const annual = await create(result.id, { ...base, baselinePeriod: '2019', target: { period: '2030', value: 5 } });
  const strands = await patch(annual.body.id, { frequency: 'monthly' });
  t.equal(strands.status, 422);
  t.same(paths(strands.body), ['body.baselinePeriod', 'body.target.period']);
  const moves = await patch(annual.body.id, {
    frequency: 'monthly',
    baselinePeriod: '2019-12',
    target: { period: '2030-12', value: 5 },
  });
  t.equal(moves.status, 200);
  t.equal(moves.body.frequency, 'monthly');
  const badPeriodPatch = await patch(annual.body.id, { interimTargets: [{ period: '2025', value: 6 }] });
  t.equal(badPeriodPatch.status, 422);
  t.same(paths(badPeriodPatch.body), ['body.interimTargets.0.period']);
  t.equal((await api.request({ method: 'GET', url: `/api/v1/indicators/${annual.body.id}` })).body.version, 2);
});

t.test('fiscal years: annual with yearStartMonth labels periods YYYY-YY', async (t) => {
  const result = await newResult();
  const fiscal = await create(result.id, {
    ...base,
    yearStartMonth: 7,
    baselinePeriod: '2019-20',
    target: { period: '2029-30', value: 5 },
  });
  t.equal(fiscal.status, 201);
  t.equal(fiscal.body.yearStartMonth, 7);
  t.equal(fiscal.body.baselinePeriod, '2019-20');

  const calendarLabel = await create(result.id, { ...base, yearStartMonth: 7, baselinePeriod: '2024' });
  t.equal(calendarLabel.status, 422);
  t.equal(calendarLabel.body.error.code, 'period_frequency_mismatch');
  t.same(paths(calendarLabel.body), ['body.baselinePeriod']);
  const fiscalOnCalendar = await create(result.id, { ...base, baselinePeriod: '2024-25' });
  t.equal(fiscalOnCalendar.status, 422, 'a calendar-year indicator rejects 2024-25');

  const points = await putPoints(fiscal.body.id, [{ period: '2024-25', value: 8 }]);
  t.equal(points.status, 200);
  const calendarPoint = await putPoints(fiscal.body.id, [{ period: '2024', value: 8 }]);
  t.equal(calendarPoint.status, 422);
  t.equal(calendarPoint.body.error.code, 'period_frequency_mismatch');

  for (const frequency of ['quarterly', 'monthly', 'weekly', 'daily']) {
    const notAnnual = await create(result.id, { ...base, frequency, yearStartMonth: 7 });
    t.equal(notAnnual.status, 422, `yearStartMonth on ${frequency}`);
    t.equal(notAnnual.body.error.code, 'year_start_month_not_annual');
    t.same(paths(notAnnual.body), ['body.yearStartMonth']);
  }
  const january = await create(result.id, { ...base, frequency: 'monthly', yearStartMonth: 1 });
  t.equal(january.status, 201, 'yearStartMonth 1 is the calendar year: fine anywhere');
  const patchNotAnnual = await patch(january.body.id, { yearStartMonth: 10 });
  t.equal(patchNotAnnual.status, 422);
  t.equal(patchNotAnnual.body.error.code, 'year_start_month_not_annual');
  const outOfRange = await create(result.id, { ...base, yearStartMonth: 13 });
  t.equal(outOfRange.status, 400);
  t.same(paths(outOfRange.body), ['body.yearStartMonth']);

  const changeYearStart = await patch(fiscal.body.id, { yearStartMonth: 10 });
  t.equal(changeYearStart.status, 409, 'the year start of an indicator with data cannot change');
  t.equal(changeYearStart.body.error.code, 'indicator_has_data');
});

t.test('codes are unique within a result', async (t) => {
  const result = await newResult();
  const other = await newResult();
  const first = await create(result.id, { ...base, code: 'UNEMP' });
  t.equal(first.status, 201);
  const dup = await create(result.id, { ...base, name: 'Another', code: 'UNEMP' });
  t.equal(dup.status, 409);
  t.equal(dup.body.error.code, 'duplicate_code');
  t.same(paths(dup.body), ['body.code']);
  const elsewhere = await create(other.id, { ...base, code: 'UNEMP' });
  t.equal(elsewhere.status, 201, 'the same code in another result is fine');
  const second = await create(result.id, { ...base, code: 'EMP' });
  const dupPatch = await patch(second.body.id, { code: 'UNEMP' });
  t.equal(dupPatch.status, 409);
  t.equal(dupPatch.body.error.code, 'duplicate_code');
  t.equal((await api.request({ method: 'GET', url: `/api/v1/indicators/${second.body.id}` })).body.code, 'EMP');
  const uncoded = [await create(result.id, base), await create(result.id, base)];
  t.same(
    uncoded.map((r) => r.status),
    [201, 201],
    'many indicators may have no code',
  );
  const badCode = await create(result.id, { ...base, code: 'has space' });
  t.equal(badCode.status, 400);
  t.same(paths(badCode.body), ['body.code']);
  const list = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/indicators` });
  t.equal(list.body.items.length, 4);
});

t.test('references must stay inside the result and the initiative', async (t) => {
  const result = await newResult();
  const other = await newResult();
  const ownOutcome = await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.id}/outcomes`,
    payload: { title: 'Mine' },
  });
  const foreignOutcome = await api.request({
    method: 'POST',
    url: `/api/v1/results/${other.id}/outcomes`,
    payload: { title: 'Theirs' },
  });
  const ownPartner = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${result.initiativeId}/partners`,
    payload: { name: 'Mine', sector: 'public' },
  });
  const foreignPartner = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${other.initiativeId}/partners`,
    payload: { name: 'Theirs', sector: 'public' },
  });

  const crossOutcome = await create(result.id, { ...base, outcomeId: foreignOutcome.body.id });
  t.equal(crossOutcome.status, 422);
  t.equal(crossOutcome.body.error.code, 'outcome_not_in_result');
  t.same(paths(crossOutcome.body), ['body.outcomeId']);
  const unknownOutcome = await create(result.id, { ...base, outcomeId: randomUUID() });
  t.equal(unknownOutcome.status, 422);

  const crossPartner = await create(result.id, { ...base, ownerPartnerId: foreignPartner.body.id });
  t.equal(crossPartner.status, 422);
  t.equal(crossPartner.body.error.code, 'partner_not_in_initiative');
  t.same(paths(crossPartner.body), ['body.ownerPartnerId']);

  const good = await create(result.id, { ...base, outcomeId: ownOutcome.body.id, ownerPartnerId: ownPartner.body.id });
  t.equal(good.status, 201);
  const movedAway = await patch(good.body.id, { outcomeId: foreignOutcome.body.id });
  t.equal(movedAway.status, 422);
  t.equal(movedAway.body.error.code, 'outcome_not_in_result');
  const ownerAway = await patch(good.body.id, { ownerPartnerId: foreignPartner.body.id });
  t.equal(ownerAway.status, 422);
  t.equal(ownerAway.body.error.code, 'partner_not_in_initiative');
  const read = await api.request({ method: 'GET', url: `/api/v1/indicators/${good.body.id}` });
  t.match(read.body, { outcomeId: ownOutcome.body.id, ownerPartnerId: ownPartner.body.id, version: 1 });
  const list = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/indicators` });
  t.equal(list.body.items.length, 1);
});

t.test('referenceGroup must use declared dimensions and values', async (t) => {
  const result = await newResult();
  const dimensions = [{ name: 'race_ethnicity', values: ['Black', 'White'] }];
  const undeclaredDimension = await create(result.id, { ...base, dimensions, referenceGroup: { sex: 'female' } });
  t.equal(undeclaredDimension.status, 422);
  t.equal(undeclaredDimension.body.error.code, 'undeclared_dimension');
  t.same(paths(undeclaredDimension.body), ['body.referenceGroup.sex']);
  const undeclaredValue = await create(result.id, { ...base, dimensions, referenceGroup: { race_ethnicity: 'Asian' } });
  t.equal(undeclaredValue.status, 422);
  t.equal(undeclaredValue.body.error.code, 'undeclared_dimension_value');
  t.same(paths(undeclaredValue.body), ['body.referenceGroup.race_ethnicity']);
  const noDimensions = await create(result.id, { ...base, referenceGroup: { race_ethnicity: 'White' } });
  t.equal(noDimensions.status, 422);

  const good = await create(result.id, { ...base, dimensions, referenceGroup: { race_ethnicity: 'White' } });
  t.equal(good.status, 201);
  t.same(good.body.referenceGroup, { race_ethnicity: 'White' });
  const dropValue = await patch(good.body.id, {
    dimensions: [{ name: 'race_ethnicity', values: ['Black', 'Hispanic'] }],
  });
  t.equal(dropValue.status, 422, 'dimensions cannot drop the reference group');
  t.same(paths(dropValue.body), ['body.referenceGroup.race_ethnicity']);
  t.equal((await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/indicators` })).body.items.length, 1);
});

t.test("visibility inherits the result's until set", async (t) => {
  const result = await newResult('private');
  const inherited = await create(result.id, base);
  t.match(inherited.body, { visibility: 'private', visibilityInherited: true });
  const own = await create(result.id, { ...base, visibility: 'private' });
  t.match(own.body, { visibility: 'private', visibilityInherited: false });

  const published = await api.request({
    method: 'PATCH',
    url: `/api/v1/results/${result.id}`,
    payload: { visibility: 'public' },
  });
  t.equal(published.status, 200);
  const afterPublish = await api.request({ method: 'GET', url: `/api/v1/indicators/${inherited.body.id}` });
  t.match(afterPublish.body, { visibility: 'public', visibilityInherited: true }, 'follows the result');
  const ownAfter = await api.request({ method: 'GET', url: `/api/v1/indicators/${own.body.id}` });
  t.match(ownAfter.body, { visibility: 'private', visibilityInherited: false }, 'its own setting wins');
  const tree = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/tree` });
  t.same(
    tree.body.indicators.map((i: { visibility: string; visibilityInherited: boolean }) => [
      i.visibility,
      i.visibilityInherited,
    ]),
    [
      ['public', true],
      ['private', false],
    ],
  );
  const listed = await api.request({ method: 'GET', url: `/api/v1/results/${result.id}/indicators` });
  t.same(
    listed.body.items.map((i: { visibility: string }) => i.visibility),
    ['public', 'private'],
  );

  const reset = await patch(own.body.id, { visibility: null });
  t.match(reset.body, { visibility: 'public', visibilityInherited: true }, 'null goes back to inheriting');
});

t.test('definitions that existing data would no longer fit are 409s', async (t) => {
  const result = await newResult();
  const indicator = await create(result.id, {
    ...base,
    dimensions: [
      { name: 'sex', values: ['female', 'male', 'other'] },
      { name: 'age', values: ['16-24', '25+'] },
    ],
  });
  const put = await putPoints(indicator.body.id, [
    { period: '2023', value: 9 },
    { period: '2023', value: 10, disaggregation: { sex: 'female' } },
    { period: '2023', value: 11, disaggregation: { age: '16-24' } },
  ]);
  t.equal(put.status, 200);

  const frequency = await patch(indicator.body.id, { frequency: 'quarterly' });
  t.equal(frequency.status, 409);
  t.equal(frequency.body.error.code, 'indicator_has_data');
  t.same(paths(frequency.body), ['body.frequency']);

  const removeUsedValue = await patch(indicator.body.id, {
    dimensions: [
      { name: 'sex', values: ['male', 'other'] },
      { name: 'age', values: ['16-24', '25+'] },
    ],
  });
  t.equal(removeUsedValue.status, 409);
  t.equal(removeUsedValue.body.error.code, 'dimension_in_use');
  const removeUsedDimension = await patch(indicator.body.id, {
    dimensions: [{ name: 'sex', values: ['female', 'male', 'other'] }],
  });
  t.equal(removeUsedDimension.status, 409);
  t.equal(removeUsedDimension.body.error.code, 'dimension_in_use');
  const read = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.body.id}` });
  t.equal(read.body.version, 1, 'refused changes change nothing');
  t.equal(read.body.frequency, 'annual');
  t.equal(read.body.dimensions[0].values.length, 3);

  const removeUnusedValue = await patch(indicator.body.id, {
    dimensions: [
      { name: 'sex', values: ['female', 'male'] },
      { name: 'age', values: ['16-24', '25+', '65+'] },
    ],
  });
  t.equal(removeUnusedValue.status, 200, 'unused values may go, new ones may come');
  t.same(removeUnusedValue.body.dimensions[1].values, ['16-24', '25+', '65+']);

  const empty = await create(result.id, base);
  const emptyFrequency = await patch(empty.body.id, { frequency: 'weekly' });
  t.equal(emptyFrequency.status, 200, 'an indicator without data may change frequency');
  t.equal(emptyFrequency.body.frequency, 'weekly');
});

t.test('deleting an indicator with data needs cascade', async (t) => {
  const result = await newResult();
  const indicator = await create(result.id, base);
  const put = await putPoints(indicator.body.id, [
    { period: '2022', value: 1 },
    { period: '2023', value: 2 },
  ]);
  const refused = await api.request({ method: 'DELETE', url: `/api/v1/indicators/${indicator.body.id}` });
  t.equal(refused.status, 409);
  t.equal(refused.body.error.code, 'has_dependents');
  t.match(refused.body.error.message, /2 data points/);
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.body.id}/data-points` })).body.items
      .length,
    2,
    'nothing deleted',
  );
  const cascaded = await api.request({ method: 'DELETE', url: `/api/v1/indicators/${indicator.body.id}?cascade=true` });
  t.equal(cascaded.status, 204);
  t.equal((await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.body.id}` })).status, 404);
  t.equal(
    (await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator.body.id}/data-points` })).status,
    404,
  );
  for (const p of put.body.points)
    t.equal((await api.request({ method: 'GET', url: `/api/v1/data-points/${p.id}` })).status, 404);
});

/**
 * Data are observations of periods that have happened (server/domain/period-timing.ts): a value for a period
 * that has not begun is refused with 422 `period_not_begun` (a forecast is not data), and a period still in
 * progress takes only a provisional value (422 `period_in_progress` otherwise) — through the JSON batch, the
 * single-point PATCH and the CSV import, with nothing written when refused. Labels are computed from today,
 * so the test holds on any date.
 */
import t from '../helpers/tap.ts';
import { periodTimingProblem } from '../../server/domain/period-timing.ts';
import { buildTestApp, createFixture } from '../helpers/test-app.ts';
import { allPoints, postCsv } from '../imports/helpers.ts';

const now = new Date();
const year = now.getUTCFullYear();
const quarter = Math.floor(now.getUTCMonth() / 3) + 1;
const thisQuarter = `${year}-Q${quarter}`;
const nextQuarter = quarter === 4 ? `${year + 1}-Q1` : `${year}-Q${quarter + 1}`;
const fiscal = (startYear: number) => `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`;
const fiscalStart = now.getUTCMonth() + 1 >= 7 ? year : year - 1; // fiscal years starting in July

t.test('the rule, at the edges of a period', async (t) => {
  const annual = { frequency: 'annual' } as const;
  t.equal(periodTimingProblem('2026', annual, null, '2025-12-31')?.code, 'period_not_begun', 'the day before');
  t.equal(periodTimingProblem('2026', annual, null, '2026-01-01')?.code, 'period_in_progress', 'its first day');
  t.equal(periodTimingProblem('2026', annual, 'provisional', '2026-12-31'), null, 'provisional on its last day');
  t.equal(periodTimingProblem('2026', annual, 'final', '2026-12-31')?.code, 'period_in_progress');
  t.equal(periodTimingProblem('2026', annual, null, '2027-01-01'), null, 'the day after it ended: any status');
  t.equal(
    periodTimingProblem('2026-27', { frequency: 'annual', yearStartMonth: 7 }, 'provisional', '2026-06-30')?.code,
    'period_not_begun',
    'a fiscal year begins on its first month',
  );
  t.match(periodTimingProblem('2026-Q4', { frequency: 'quarterly' }, null, '2026-12-02')?.message, /2026-12-31/);
});

t.test('through HTTP', async (t) => {
  const api = await buildTestApp(t);

  t.test('the JSON batch', async (t) => {
    const { indicator } = await createFixture(api);
    const put = (points: object[]) =>
      api.request({ method: 'PUT', url: `/api/v1/indicators/${indicator.id}/data-points`, payload: { points } });

    const future = await put([
      { period: String(year - 1), value: 5 },
      { period: String(year + 1), value: 4 },
    ]);
    t.equal(future.status, 422);
    t.equal(future.body.error.code, 'period_not_begun');
    t.match(future.body.error.details, [{ path: 'body.points.1.period', code: 'period_not_begun' }]);
    t.same(await allPoints(api, indicator.id), [], 'nothing was written, not even the good point');

    const running = await put([{ period: String(year), value: 4.5 }]);
    t.equal(running.status, 422);
    t.match(running.body.error.details, [{ path: 'body.points.0.period', code: 'period_in_progress' }]);

    const provisional = await put([{ period: String(year), value: 4.5, status: 'provisional' }]);
    t.equal(provisional.status, 200, 'a provisional value for the year in progress is accepted');
    const past = await put([{ period: String(year - 1), value: 5 }]);
    t.equal(past.status, 200, 'a past year takes any value');

    const id = provisional.body.points[0].id;
    const final = await api.request({
      method: 'PATCH',
      url: `/api/v1/data-points/${id}`,
      headers: { 'if-match': '"1"' },
      payload: { status: 'final' },
    });
    t.equal(final.status, 422, 'nor can it be marked final before the year ends');
    t.equal(final.body.error.code, 'period_in_progress');
    const value = await api.request({
      method: 'PATCH',
      url: `/api/v1/data-points/${id}`,
      headers: { 'if-match': '"1"' },
      payload: { value: 4.6 },
    });
    t.equal(value.status, 200, 'its value can be revised while it stays provisional');
  });

  t.test('quarters and fiscal years follow the indicator’s calendar', async (t) => {
    const { indicator: quarterly } = await createFixture(api, { frequency: 'quarterly' });
    const next = await api.request({
      method: 'PUT',
      url: `/api/v1/indicators/${quarterly.id}/data-points`,
      payload: { points: [{ period: nextQuarter, value: 1, status: 'provisional' }] },
    });
    t.equal(next.body.error?.code, 'period_not_begun', `${nextQuarter} has not begun`);
    const current = await api.request({
      method: 'PUT',
      url: `/api/v1/indicators/${quarterly.id}/data-points`,
      payload: { points: [{ period: thisQuarter, value: 1, status: 'provisional' }] },
    });
    t.equal(current.status, 200, `${thisQuarter} in progress, provisional`);

    const { indicator: fiscalYears } = await createFixture(api, { yearStartMonth: 7 });
    const nextFiscal = await api.request({
      method: 'PUT',
      url: `/api/v1/indicators/${fiscalYears.id}/data-points`,
      payload: { points: [{ period: fiscal(fiscalStart + 1), value: 1 }] },
    });
    t.equal(nextFiscal.body.error?.code, 'period_not_begun', `fiscal year ${fiscal(fiscalStart + 1)} has not begun`);
    const lastFiscal = await api.request({
      method: 'PUT',
      url: `/api/v1/indicators/${fiscalYears.id}/data-points`,
      payload: { points: [{ period: fiscal(fiscalStart - 1), value: 1 }] },
    });
    t.equal(lastFiscal.status, 200, `fiscal year ${fiscal(fiscalStart - 1)} has ended`);
  });

  t.test('the CSV import and its dry run', async (t) => {
    const { indicator } = await createFixture(api);
    const file = ['period,value,status', `${year - 1},5,final`, `${year},4.5,`, `${year + 1},4,provisional`].join('\n');
    const dry = await postCsv(api, indicator.id, file, { query: 'dryRun=true' });
    t.equal(dry.status, 200);
    t.match(dry.body, { status: 'rejected', rejected: 2 });
    t.match(
      dry.body.errors.map((e: { row: number; code: string }) => [e.row, e.code]),
      [
        [3, 'period_in_progress'],
        [4, 'period_not_begun'],
      ],
    );
    const real = await postCsv(api, indicator.id, file);
    t.equal(real.status, 422, 'the import is refused as a whole');
    t.same(await allPoints(api, indicator.id), [], 'nothing was written');

    const fixed = ['period,value,status', `${year - 1},5,final`, `${year},4.5,Provisional`].join('\n');
    const imported = await postCsv(api, indicator.id, fixed);
    t.match(imported.body, { status: 'succeeded', inserted: 2 }, 'with the year in progress marked provisional');
  });
});

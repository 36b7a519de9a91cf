/**
 * asOf on the public views: a chart, a dashboard or an embed asked "as of" a moment shows the figures as they
 * stood then — the same figures a reader saw at that moment — whatever was revised or added since.
 */
import t from '../helpers/tap.ts';
import { buildTestApp, createFixture, databaseNow } from '../helpers/test-app.ts';

t.test('views asked asOf a moment show the figures of that moment', async (t) => {
  const api = await buildTestApp(t);
  const { result, indicator } = await createFixture(api, { decimals: 1 });
  const history = [9.8, 9.1, 8.7, 8.3, 7.9, 7.4, 7.2, 6.9, 6.6, 6.4];
  const put = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: history.map((value, i) => ({ period: String(2012 + i), value })) },
  });
  t.equal(put.status, 200, 'the first release is written');
  const published = await api.request({
    method: 'PATCH',
    url: `/api/v1/results/${result.id}`,
    payload: { visibility: 'public' },
  });
  t.equal(published.status, 200, 'the result is public, so its views can be read anonymously');

  const views = {
    'chart.vl.json': `/api/v1/indicators/${indicator.id}/chart.vl.json`,
    'chart.svg': `/api/v1/indicators/${indicator.id}/chart.svg`,
    'dashboard.vl.json': `/api/v1/results/${result.id}/dashboard.vl.json`,
    'indicator embed': `/embed/indicators/${indicator.id}`,
    'result embed': `/embed/results/${result.id}`,
  };
  const read = async (url: string) => {
    const answer = await api.request({ method: 'GET', url, as: null });
    t.equal(answer.status, 200, `${url} answers`);
    return answer.raw;
  };

  const seenThen: Record<string, string> = {};
  for (const [name, url] of Object.entries(views)) seenThen[name] = await read(url);
  const then = await databaseNow(api.db);

  const revision = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: {
      points: [
        { period: '2021', value: 8.8, note: 'revised: the agency re-weighted the survey' },
        { period: '2022', value: 9.4 },
      ],
    },
  });
  t.equal(revision.body.updated + revision.body.inserted, 2, 'one revision and one new year are written');

  for (const [name, url] of Object.entries(views)) {
    t.test(name, async (t) => {
      const now = await read(url);
      t.not(now, seenThen[name], 'today the view shows the revised figures');
      t.match(now, /8\.8|9\.4/, 'the revised or new values are in it');
      const asOf = await read(`${url}?asOf=${encodeURIComponent(then)}`);
      if (name === 'dashboard.vl.json') {
        t.match(
          asOf,
          /Figures as they stood on \d{4}-\d\d-\d\d at \d\d:\d\d UTC/,
          'the scorecard says it is a past view',
        );
      }
      t.equal(
        withoutAsOfLinks(asOf),
        withoutAsOfLinks(seenThen[name]!),
        'asOf the moment before the revision gives what a reader saw then',
      );
    });
  }

  t.test('a moment before the indicator had data gives an empty view, not an error', async (t) => {
    const before = await api.request({
      method: 'GET',
      url: `${views['chart.vl.json']}?asOf=2000-01-01T00:00:00Z`,
      as: null,
    });
    t.equal(before.status, 200);
    t.notMatch(before.raw, /9\.8|6\.4/, 'no value written later appears');
  });
});

/**
 * Embed pages link their own data with the asOf they were asked for, and the scorecard names the moment in its
 * subtitle; the figures are what must be the same.
 */
function withoutAsOfLinks(body: string): string {
  return body.replace(/([?&]|&amp;)asOf=[^"'&\s]*/g, '').replace(/,"Figures as they stood on [^"]*"/g, '');
}

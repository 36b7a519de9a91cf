/**
 * Concurrent writers on one indicator. On PostgreSQL the requests below really run at the same time on a pool
 * of connections (PGlite has one connection, so there they are serialised and the test only shows the same
 * end state). What must hold whatever the interleaving: every request ends (no deadlock, no 500), each
 * period has exactly one current value, versions of a point count up by one without gaps, the current value
 * is the last one in its history, and If-Match lets exactly one of two racing editors win.
 */
import type { Test } from 'tap';
import t from '../helpers/tap.ts';
import { buildTestApp, createFixture, type TestApp } from '../helpers/test-app.ts';
import { allPoints, postCsv } from '../imports/helpers.ts';

const api = await buildTestApp(t);
const WRITERS = 8;
const PERIODS = Array.from({ length: 12 }, (_, i) => String(2010 + i));

if (api.kind === 'pglite') t.comment('PGlite serialises these requests: the end state is checked, not a race');

t.test('parallel batches on overlapping periods end in one consistent history', async (t) => {
  const { indicator } = await createFixture(api);
  const writes = Array.from({ length: WRITERS }, (_, writer) =>
    api.request({
      method: 'PUT',
      url: `/api/v1/indicators/${indicator.id}/data-points`,
      // Writers overlap: each writes 8 of the 12 periods, starting at its own offset, with its own values.
      payload: {
        points: PERIODS.filter((_, i) => (i + writer) % 12 < 8).map((period) => ({
          period,
          value: 100 + writer,
          note: `writer ${writer}`,
        })),
      },
    }),
  );
  const answers = await Promise.all(writes);
  t.same(
    answers.map((a) => a.status),
    answers.map(() => 200),
    'every writer is answered 200',
  );
  await expectConsistentHistories(t, api, indicator.id);
});

t.test('two editors racing with the same If-Match: one wins, the other gets 412', async (t) => {
  const { indicator } = await createFixture(api);
  const created = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator.id}/data-points`,
    payload: { points: [{ period: '2020', value: 5 }] },
  });
  const id = created.body.points[0].id;
  for (let round = 0; round < 5; round += 1) {
    const current = await api.request({ method: 'GET', url: `/api/v1/data-points/${id}` });
    const etag = `"${current.body.version}"`;
    const [a, b] = await Promise.all(
      [6 + round, 60 + round].map((value) =>
        api.request({
          method: 'PATCH',
          url: `/api/v1/data-points/${id}`,
          headers: { 'if-match': etag },
          payload: { value },
        }),
      ),
    );
    t.same([a!.status, b!.status].sort(), [200, 412], `round ${round}: exactly one editor wins`);
    const winner = a!.status === 200 ? a! : b!;
    const after = await api.request({ method: 'GET', url: `/api/v1/data-points/${id}` });
    t.equal(after.body.value, winner.body.value, 'the stored value is the winner’s');
    t.equal(after.body.version, current.body.version + 1, 'and only one version was added');
  }
});

t.test('concurrent CSV imports to one indicator are serialised, none lost', async (t) => {
  const { indicator } = await createFixture(api);
  const files = Array.from({ length: 4 }, (_, writer) =>
    ['period,value,note', ...PERIODS.map((period) => `${period},${200 + writer},import ${writer}`)].join('\n'),
  );
  const answers = await Promise.all(files.map((file) => postCsv(api, indicator.id, file)));
  t.same(
    answers.map((a) => [a.status, a.body.status]),
    answers.map(() => [200, 'succeeded']),
    'every import succeeds',
  );
  const points = await allPoints(api, indicator.id);
  t.equal(points.length, PERIODS.length, 'one current point per period, none duplicated');
  const values = new Set(points.map((p) => p.value));
  t.equal(values.size, 1, 'all periods carry the values of one whole file: the last import to commit');
  t.equal(points[0]!.version, 4, 'four imports, four versions: none was lost');
  await expectConsistentHistories(t, api, indicator.id);
});

t.test('writes to different indicators run side by side', async (t) => {
  const fixtures = await Promise.all(Array.from({ length: 4 }, () => createFixture(api)));
  const answers = await Promise.all(
    fixtures.map(({ indicator }, i) =>
      api.request({
        method: 'PUT',
        url: `/api/v1/indicators/${indicator.id}/data-points`,
        payload: { points: PERIODS.map((period) => ({ period, value: i })) },
      }),
    ),
  );
  t.same(
    answers.map((a) => [a.status, a.body.inserted]),
    answers.map(() => [200, PERIODS.length]),
  );
  for (const [i, { indicator }] of fixtures.entries()) {
    const points = await allPoints(api, indicator.id);
    t.same(new Set(points.map((p) => p.value)), new Set([i]), `indicator ${i} holds only its own values`);
  }
});

/** Every point: versions 1..n without gaps in its history, the current value equal to the last revision. */
async function expectConsistentHistories(t: Test, api: TestApp, indicatorId: string) {
  const points = await allPoints(api, indicatorId);
  t.equal(new Set(points.map((p) => p.period)).size, points.length, 'one current point per period');
  for (const point of points) {
    const history = await api.request({ method: 'GET', url: `/api/v1/data-points/${point.id}/history` });
    const revisions = history.body.revisions as { version: number; new: { value: number } | null }[];
    t.same(
      revisions.map((r) => r.version),
      revisions.map((_, i) => i + 1),
      `${point.period}: versions count up without gaps`,
    );
    t.equal(revisions.at(-1)!.new?.value, point.value, `${point.period}: the current value is the last revision`);
    t.equal(point.version, revisions.length, `${point.period}: the current version is the last one`);
  }
}

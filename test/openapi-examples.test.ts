/**
 * The examples of the OpenAPI document (schema/contracts/examples.ts) are what this server answers: the story
 * they tell is replayed over HTTP and every answer is compared with its example, ids and timestamps aside.
 * When an engine or contract change alters an answer, the diff below shows the new one to paste there.
 */
import t from 'tap';
import {
  CSV_IMPORT_EXAMPLE,
  DATA_POINTS_UPSERT_EXAMPLE,
  IMPORT_REPORT_EXAMPLE,
  INDICATOR_ANALYSIS_EXAMPLE,
  INDICATOR_CREATE_EXAMPLE,
  INDICATOR_EXAMPLE,
  UPSERT_SUMMARY_EXAMPLE,
} from '../schema/contracts/examples.ts';
import { buildTestApp } from './helpers/test-app.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/**
 * Replaces each id by its rank of first appearance (shared across one story's answers, so that the indicator
 * of the analysis is the one created) and each timestamp by a placeholder.
 *
 * @example normalize({ id: 'a1…', of: 'a1…', at: '2026-11-21T09:30:00.000Z' }, new Map())
 * // → { id: 'id#1', of: 'id#1', at: 'timestamp' }
 */
function normalize(value: unknown, ids: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => normalize(item, ids));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalize(item, ids)]));
  if (typeof value !== 'string') return value;
  if (TIMESTAMP.test(value)) return 'timestamp';
  if (!UUID.test(value)) return value;
  if (!ids.has(value)) ids.set(value, `id#${ids.size + 1}`);
  return ids.get(value);
}

t.test('the examples are the answers of the story they tell', async (t) => {
  const api = await buildTestApp(t);
  const initiative = await api.request({
    method: 'POST',
    url: '/api/v1/initiatives',
    payload: { name: 'Detroit Jobs Partnership' },
  });
  const result = await api.request({
    method: 'POST',
    url: `/api/v1/initiatives/${initiative.body.id}/results`,
    payload: {
      statement: 'A 5 percentage point decrease in the unemployment rate in Detroit by 2030',
      visibility: 'public',
    },
  });
  // The data team's token: its name is the `updatedBy` of the points.
  const token = await api.request({
    method: 'POST',
    url: '/api/v1/tokens',
    payload: { name: 'Data team at Detroit Employment Solutions', role: 'editor', initiativeId: initiative.body.id },
  });
  const as = token.body.secret as string;

  const created = await api.request({
    method: 'POST',
    url: `/api/v1/results/${result.body.id}/indicators`,
    payload: INDICATOR_CREATE_EXAMPLE,
    as,
  });
  t.equal(created.status, 201);
  const indicator = created.body.id as string;
  const upserted = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${indicator}/data-points`,
    payload: DATA_POINTS_UPSERT_EXAMPLE,
    as,
  });
  t.equal(upserted.status, 200);
  const analysis = await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator}/analysis`, as });
  t.equal(analysis.status, 200);
  const imported = await api.request({
    method: 'POST',
    url: `/api/v1/indicators/${indicator}/data-points/import`,
    headers: { 'content-type': 'text/csv' },
    payload: CSV_IMPORT_EXAMPLE,
    as,
  });
  t.equal(imported.status, 200);
  const listed = await api.request({ method: 'GET', url: `/api/v1/results/${result.body.id}/indicators`, as });

  const actual = new Map<string, string>();
  const example = new Map<string, string>();
  const compare = (answer: unknown, expected: unknown, name: string) =>
    t.same(normalize(answer, actual), normalize(expected, example), name);
  compare(created.body, INDICATOR_EXAMPLE, 'POST /results/{resultId}/indicators answers INDICATOR_EXAMPLE');
  compare(
    upserted.body,
    UPSERT_SUMMARY_EXAMPLE,
    'PUT /indicators/{indicatorId}/data-points answers UPSERT_SUMMARY_EXAMPLE',
  );
  compare(
    analysis.body,
    INDICATOR_ANALYSIS_EXAMPLE,
    'GET /indicators/{indicatorId}/analysis answers the analysis example',
  );
  compare(imported.body, IMPORT_REPORT_EXAMPLE, 'the CSV import answers IMPORT_REPORT_EXAMPLE');
  compare(listed.body.items, [INDICATOR_EXAMPLE], 'the list holds the indicator of the example');
  t.equal(INDICATOR_ANALYSIS_EXAMPLE.total.curve.status, 'turned', 'the story: the curve has turned');
});

/**
 * The story the OpenAPI examples tell (schema/contracts/examples.ts): an unemployment-rate indicator is defined,
 * its history entered in one batch, analysed, and the next year arrives as a CSV file. Replayed over HTTP by the
 * test (which compares each answer with its example) and by `npm run examples` (which writes the answers).
 */
import {
  CSV_IMPORT_EXAMPLE,
  DATA_POINTS_UPSERT_EXAMPLE,
  INDICATOR_CREATE_EXAMPLE,
} from '../../schema/contracts/examples.ts';
import type { TestApp } from '../helpers/test-app.ts';

export interface ExampleAnswers {
  indicator: unknown;
  upsertSummary: unknown;
  analysis: unknown;
  importReport: unknown;
  /** The items of `GET /results/{resultId}/indicators` after the story: the indicator alone. */
  listed: unknown[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/**
 * Replaces each id by the id of its rank of first appearance (shared across one story's answers, so that the
 * indicator of the analysis is the one created) and each timestamp by one fixed instant.
 *
 * @example normalize({ id: 'a1…', of: 'a1…', at: '2026-12-02T18:30:00.000Z' }, new Map())
 * // → { id: '0196f0a2-7c1e-7000-8000-000000000001', of: (the same), at: '2026-11-21T09:30:00.000Z' }
 */
export function normalize(value: unknown, ids: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => normalize(item, ids));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalize(item, ids)]));
  if (typeof value !== 'string') return value;
  if (TIMESTAMP.test(value)) return '2026-11-21T09:30:00.000Z';
  if (!UUID.test(value)) return value;
  if (!ids.has(value)) ids.set(value, `0196f0a2-7c1e-7000-8000-${String(ids.size + 1).padStart(12, '0')}`);
  return ids.get(value);
}

/** Plays the story on a fresh app; throws when a step does not answer as the story expects. */
export async function playExampleStory(api: TestApp): Promise<ExampleAnswers> {
  const expect = <T extends { status: number; raw: string }>(answer: T, status: number, step: string): T => {
    if (answer.status !== status) throw new Error(`${step}: expected ${status}, got ${answer.status} ${answer.raw}`);
    return answer;
  };
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
  const created = expect(
    await api.request({
      method: 'POST',
      url: `/api/v1/results/${result.body.id}/indicators`,
      payload: INDICATOR_CREATE_EXAMPLE,
      as,
    }),
    201,
    'create the indicator',
  );
  const indicator = created.body.id as string;
  const upserted = expect(
    await api.request({
      method: 'PUT',
      url: `/api/v1/indicators/${indicator}/data-points`,
      payload: DATA_POINTS_UPSERT_EXAMPLE,
      as,
    }),
    200,
    'enter the history',
  );
  const analysis = expect(
    await api.request({ method: 'GET', url: `/api/v1/indicators/${indicator}/analysis`, as }),
    200,
    'analyse',
  );
  const imported = expect(
    await api.request({
      method: 'POST',
      url: `/api/v1/indicators/${indicator}/data-points/import`,
      headers: { 'content-type': 'text/csv' },
      payload: CSV_IMPORT_EXAMPLE,
      as,
    }),
    200,
    'import the next year',
  );
  const listed = await api.request({ method: 'GET', url: `/api/v1/results/${result.body.id}/indicators`, as });
  return {
    indicator: created.body,
    upsertSummary: upserted.body,
    analysis: analysis.body,
    importReport: imported.body,
    listed: listed.body.items,
  };
}

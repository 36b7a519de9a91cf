/**
 * Shared by the import tests: posting a CSV file, reading an indicator's points, making indicators.
 */
import { randomBytes } from 'node:crypto';
import { createFixture, type TestApp } from '../helpers/test-app.ts';

export interface CsvPost {
  /** `indicator` (default) or `result`. */
  level?: 'indicator' | 'result';
  query?: string;
  as?: string | null;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Posts a CSV body (a string or bytes) to an indicator's or a result's import. */
export async function postCsv(api: TestApp, targetId: string, body: string | Buffer, options: CsvPost = {}) {
  const path =
    options.level === 'result'
      ? `/api/v1/results/${targetId}/import`
      : `/api/v1/indicators/${targetId}/data-points/import`;
  return api.request({
    method: 'POST',
    url: `${path}${options.query ? `?${options.query}` : ''}`,
    payload: body,
    headers: { 'content-type': options.contentType ?? 'text/csv', ...(options.headers ?? {}) },
    ...(options.as !== undefined && { as: options.as }),
  });
}

export type StoredPoint = {
  id: string;
  period: string;
  value: number;
  disaggregation: Record<string, string>;
  note: string | null;
  status: string | null;
  source: string | null;
  version: number;
  updatedBy: string;
};

/** Every current point of an indicator (all slices), ordered by slice then period. */
export async function allPoints(api: TestApp, indicatorId: string): Promise<StoredPoint[]> {
  const items: StoredPoint[] = [];
  let cursor: string | null = null;
  do {
    const res = await api.request({
      method: 'GET',
      url: `/api/v1/indicators/${indicatorId}/data-points?slice=all&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    });
    if (res.status !== 200) throw new Error(`list failed: ${res.raw}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

/** [period, disaggregation, value, note, status, source] of each point, sorted: compares stored data. */
export function summarize(points: StoredPoint[]) {
  return points
    .map(
      (p) =>
        [
          p.period,
          JSON.stringify(Object.fromEntries(Object.entries(p.disaggregation).sort())),
          p.value,
          p.note,
          p.status,
          p.source,
        ] as const,
    )
    .sort((a, b) => (a.join('|') < b.join('|') ? -1 : 1));
}

export const SEX_AGE = [
  { name: 'sex', values: ['female', 'male'] },
  { name: 'age_group', values: ['15-24', '25-54', '55+'] },
];

/** A second indicator in the same result. */
export async function addIndicator(api: TestApp, resultId: string, input: Record<string, unknown> = {}) {
  const res = await api.request({
    method: 'POST',
    url: `/api/v1/results/${resultId}/indicators`,
    payload: {
      name: `Indicator ${randomBytes(2).toString('hex')}`,
      unit: 'percent',
      polarity: 'lower_is_better',
      frequency: 'annual',
      ...input,
    },
  });
  if (res.status !== 201) throw new Error(`indicator not created: ${res.raw}`);
  return res.body as { id: string; code: string | null; resultId: string };
}

export { createFixture };

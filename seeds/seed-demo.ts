/**
 * Loads the demo initiative into an empty database through the HTTP API itself (Fastify's inject), so
 * the demo goes through exactly the validation a user's data does. Idempotent: a database with any
 * initiative in it is left alone.
 */
import type { FastifyInstance } from 'fastify';
import { buildDemoInitiative, type DemoIndicator, type DemoOutcome } from './demo-initiative.ts';

export interface SeededDemo {
  initiativeId: string;
  resultIds: string[];
  indicatorCount: number;
  pointCount: number;
}

async function call<T>(app: FastifyInstance, authorization: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown): Promise<T> {
  const response = await app.inject({
    method,
    url,
    headers: { authorization },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  if (response.statusCode >= 300) {
    throw new Error(`Seeding the demo failed at ${method} ${url}: ${response.statusCode} ${response.body}`);
  }
  return response.json() as T;
}

/** Seeds the demo when the database has no initiative yet; returns what it created, or null. */
export async function seedDemoIfEmpty(app: FastifyInstance, authorization: string): Promise<SeededDemo | null> {
  const existing = await call<{ items: unknown[] }>(app, authorization, 'GET', '/api/v1/initiatives?limit=1');
  if (existing.items.length > 0) return null;
  return seedDemo(app, authorization);
}

/** `authorization`: an administrator's `Bearer …` header value. */
export async function seedDemo(app: FastifyInstance, authorization: string): Promise<SeededDemo> {
  const demo = buildDemoInitiative();
  const initiative = await call<{ id: string }>(app, authorization, 'POST', '/api/v1/initiatives', demo.initiative);
  const partnerIds = new Map<string, string>();
  for (const partner of demo.partners) {
    const created = await call<{ id: string }>(app, authorization, 'POST', `/api/v1/initiatives/${initiative.id}/partners`, partner);
    partnerIds.set(partner.name, created.id);
  }
  const seeded: SeededDemo = { initiativeId: initiative.id, resultIds: [], indicatorCount: 0, pointCount: 0 };

  for (const { result, indicators, outcomes } of demo.results) {
    const createdResult = await call<{ id: string }>(app, authorization, 'POST', `/api/v1/initiatives/${initiative.id}/results`, result);
    seeded.resultIds.push(createdResult.id);

    const addIndicator = async (indicator: DemoIndicator, outcomeId: string | null) => {
      const ownerPartnerId = indicator.ownerPartnerName ? partnerIds.get(indicator.ownerPartnerName) : undefined;
      if (indicator.ownerPartnerName && !ownerPartnerId) throw new Error(`Demo partner ${indicator.ownerPartnerName} is missing`);
      const created = await call<{ id: string }>(app, authorization, 'POST', `/api/v1/results/${createdResult.id}/indicators`, {
        ...indicator.body,
        outcomeId,
        ...(ownerPartnerId ? { ownerPartnerId } : {}),
      });
      await call(app, authorization, 'PUT', `/api/v1/indicators/${created.id}/data-points`, { points: indicator.points });
      seeded.indicatorCount += 1;
      seeded.pointCount += indicator.points.length;
    };

    const addOutcome = async (outcome: DemoOutcome, parentOutcomeId: string | null, position: number) => {
      const created = await call<{ id: string }>(app, authorization, 'POST', `/api/v1/results/${createdResult.id}/outcomes`, {
        title: outcome.title,
        ...(outcome.description ? { description: outcome.description } : {}),
        parentOutcomeId,
        position,
      });
      for (const indicator of outcome.indicators) await addIndicator(indicator, created.id);
      for (const [i, child] of outcome.children.entries()) await addOutcome(child, created.id, i);
    };

    for (const indicator of indicators) await addIndicator(indicator, null);
    for (const [i, outcome] of outcomes.entries()) await addOutcome(outcome, null, i);
  }
  return seeded;
}

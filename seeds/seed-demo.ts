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
  /** Of indicatorCount, the partners' performance measures (illustrative figures). */
  performanceMeasureCount: number;
  curveReportCount: number;
  /** Data-quality flags acknowledged with a comment. */
  acknowledgementCount: number;
  /** Periods published (docs/publication.md), and those left submitted, waiting for approval. */
  publishedPeriodCount: number;
  awaitingApproval: Array<{ indicatorId: string; period: string }>;
  actionIds: string[];
}

async function call<T>(
  app: FastifyInstance,
  authorization: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  payload?: unknown,
): Promise<T> {
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
    const created = await call<{ id: string }>(
      app,
      authorization,
      'POST',
      `/api/v1/initiatives/${initiative.id}/partners`,
      partner,
    );
    partnerIds.set(partner.name, created.id);
  }
  const seeded: SeededDemo = {
    initiativeId: initiative.id,
    resultIds: [],
    indicatorCount: 0,
    pointCount: 0,
    performanceMeasureCount: 0,
    curveReportCount: 0,
    acknowledgementCount: 0,
    publishedPeriodCount: 0,
    awaitingApproval: [],
    actionIds: [],
  };

  for (const {
    result,
    indicators,
    outcomes,
    performanceMeasures = [],
    curveReports = [],
    actions = [],
    acknowledgements = [],
  } of demo.results) {
    const indicatorIds = new Map<string, string>();
    const outcomeIds = new Map<string, string>();
    const createdResult = await call<{ id: string }>(
      app,
      authorization,
      'POST',
      `/api/v1/initiatives/${initiative.id}/results`,
      result,
    );
    seeded.resultIds.push(createdResult.id);

    const addIndicator = async (indicator: DemoIndicator, outcomeId: string | null) => {
      const ownerPartnerId = indicator.ownerPartnerName ? partnerIds.get(indicator.ownerPartnerName) : undefined;
      if (indicator.ownerPartnerName && !ownerPartnerId)
        throw new Error(`Demo partner ${indicator.ownerPartnerName} is missing`);
      const created = await call<{ id: string }>(
        app,
        authorization,
        'POST',
        `/api/v1/results/${createdResult.id}/indicators`,
        {
          ...indicator.body,
          outcomeId,
          ...(ownerPartnerId ? { ownerPartnerId } : {}),
        },
      );
      await call(app, authorization, 'PUT', `/api/v1/indicators/${created.id}/data-points`, {
        points: indicator.points,
      });
      if (indicator.body.code) indicatorIds.set(indicator.body.code, created.id);
      seeded.indicatorCount += 1;
      seeded.pointCount += indicator.points.length;
    };

    const addOutcome = async (outcome: DemoOutcome, parentOutcomeId: string | null, position: number) => {
      const created = await call<{ id: string }>(
        app,
        authorization,
        'POST',
        `/api/v1/results/${createdResult.id}/outcomes`,
        {
          title: outcome.title,
          ...(outcome.description ? { description: outcome.description } : {}),
          parentOutcomeId,
          position,
        },
      );
      outcomeIds.set(outcome.title, created.id);
      for (const indicator of outcome.indicators) await addIndicator(indicator, created.id);
      for (const [i, child] of outcome.children.entries()) await addOutcome(child, created.id, i);
    };

    for (const indicator of indicators) await addIndicator(indicator, null);
    for (const [i, outcome] of outcomes.entries()) await addOutcome(outcome, null, i);

    // Accountability: performance measures under their outcomes, turn-the-curve reports, the action plan.
    const byName = <T>(map: Map<string, T>, key: string, what: string): T => {
      const found = map.get(key);
      if (found === undefined) throw new Error(`Demo ${what} ${key} is missing`);
      return found;
    };
    for (const { outcomeTitle, measure } of performanceMeasures) {
      await addIndicator(measure, byName(outcomeIds, outcomeTitle, 'outcome'));
      seeded.performanceMeasureCount += 1;
    }
    for (const { indicatorCode, body } of curveReports) {
      const partners = body.partners.map(({ partnerName, name, role }) => ({
        ...(partnerName ? { partnerId: byName(partnerIds, partnerName, 'partner') } : {}),
        ...(name ? { name } : {}),
        role,
      }));
      await call(
        app,
        authorization,
        'PUT',
        `/api/v1/indicators/${byName(indicatorIds, indicatorCode, 'indicator')}/curve-report`,
        { ...body, partners },
      );
      seeded.curveReportCount += 1;
    }
    // Flags the partnership has checked: each acknowledged on its point with a comment (a new version).
    for (const { indicatorCode, period, code, comment } of acknowledgements) {
      const indicatorId = byName(indicatorIds, indicatorCode, 'indicator');
      const { items } = await call<{ items: Array<{ id: string; version: number }> }>(
        app,
        authorization,
        'GET',
        `/api/v1/indicators/${indicatorId}/data-points?from=${period}&to=${period}`,
      );
      const point = items[0];
      if (!point) throw new Error(`Demo point ${indicatorCode} ${period} is missing`);
      await call(app, authorization, 'PATCH', `/api/v1/data-points/${point.id}`, { acknowledge: [{ code, comment }] });
      seeded.acknowledgementCount += 1;
    }
    for (const { ownerPartnerName, indicatorCodes, updates = [], ...action } of actions) {
      const created = await call<{ id: string }>(
        app,
        authorization,
        'POST',
        `/api/v1/initiatives/${initiative.id}/actions`,
        {
          ...action,
          ownerPartnerId: byName(partnerIds, ownerPartnerName, 'partner'),
          indicatorIds: indicatorCodes.map((code) => byName(indicatorIds, code, 'indicator')),
        },
      );
      for (const note of updates)
        await call(app, authorization, 'POST', `/api/v1/actions/${created.id}/updates`, { note });
      seeded.actionIds.push(created.id);
    }
    // Publication: every period goes through review and out, but those the demo leaves awaiting approval.
    for (const [code, indicatorId] of indicatorIds) {
      const url = `/api/v1/indicators/${indicatorId}/publication`;
      const { items } = await call<{ items: Array<{ period: string }> }>(
        app,
        authorization,
        'GET',
        `${url}?limit=1000`,
      );
      const periods = items.map((item) => item.period);
      const held = new Set(demo.awaitingApproval.filter((a) => a.indicatorCode === code).map((a) => a.period));
      const approved = periods.filter((period) => !held.has(period));
      await call(app, authorization, 'POST', url, { periods, action: 'submit' });
      await call(app, authorization, 'POST', url, { periods: approved, action: 'approve' });
      await call(app, authorization, 'POST', url, { periods: approved, action: 'publish' });
      seeded.publishedPeriodCount += approved.length;
      for (const period of held) seeded.awaitingApproval.push({ indicatorId, period });
    }
  }
  return seeded;
}

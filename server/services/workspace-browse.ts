/**
 * What the workspace's browse pages show (/app): each function reads through the same repositories and
 * services as the API and returns the view's data (server/pages/ renders it).
 *  - initiatives the person can see;
 *  - an initiative: its visible results, what is late and what is due next (the scorecards' freshness);
 *  - a result: the scorecard (the public embed's view, linking to the workspace) and the tree;
 *  - an indicator: the chart (server SVG), the summary in words, the data table with its flagged values
 *    (data-quality warnings stored with the points: unverified or checked), the embed snippet;
 *  - an indicator's latest revisions (with the flags of each version);
 *  - a result's data-quality list (services/data-quality.ts) with the names of its indicators.
 */
import { asAudience, type Audience } from '../domain/disclosure.ts';
import { accessibleSvg, describeIndicator, summarizeIndicator } from '../../dashboards/index.ts';
import type { Principal } from '../auth/policy.ts';
import { indicatorChartSpec, resultScorecardHtml } from '../domain/dashboard-views.ts';
import { disaggregationKey } from '../domain/indicator-rules.ts';
import { renderSvg } from '../domain/render-svg.ts';
import type { Db } from '../dependencies.ts';
import { actionOn } from '../domain/actions.ts';
import { utcToday } from '../domain/period-timing.ts';
import { actionsOfIndicators } from '../repositories/actions.ts';
import { findCurveReport } from '../repositories/curve-reports.ts';
import { disclosuresOf, periodStatesOfIndicators } from '../repositories/publication.ts';
import type { IndicatorSummary, ResultScorecard } from '../../schema/contracts/scorecard.ts';
import { currentPointVersions, indicatorRevisions } from '../repositories/data-points.ts';
import { findIndicatorOrThrow } from '../repositories/indicators.ts';
import { findInitiativeOrThrow, listInitiatives } from '../repositories/initiatives.ts';
import { findResultOrThrow, listResults } from '../repositories/results.ts';
import { readResultTree } from '../repositories/tree.ts';
import { resultDataQuality } from './data-quality.ts';
import { privateScopeOf, publicFlag } from '../auth/visibility.ts';
import { getIndicatorEmbedSnippet } from './embed-snippets.ts';
import { loadIndicatorChart } from './indicator-chart.ts';
import { loadResultDashboard } from './result-dashboard.ts';
import { getResultScorecard } from './result-scorecard.ts';

const LEVEL = 0.9;
/** The chart's width on the page: it scales down on phones (viewBox). */
const CHART_WIDTH = 720;

export async function workspaceInitiatives(db: Db, principal: Principal) {
  const page = await listInitiatives(db, { limit: 500 }, privateScopeOf(principal));
  return page.items.map((i) => ({ id: i.id, name: i.name }));
}

export async function workspaceInitiative(db: Db, initiativeId: string, includePrivate: boolean) {
  const initiative = await findInitiativeOrThrow(db, initiativeId);
  const results = (await listResults(db, initiativeId, { limit: 500 }, includePrivate)).items;
  const late: Array<{ indicatorId: string; name: string; reason: string }> = [];
  const due: Array<{ indicatorId: string; name: string; period: string; date: string }> = [];
  for (const result of results) {
    const scorecard = await getResultScorecard(db, result.id, { asOf: undefined, level: LEVEL }, includePrivate);
    for (const o of scorecard.dataFreshness?.overdue ?? [])
      late.push({ indicatorId: o.indicatorId, name: o.name, reason: o.freshness.reason });
    const all = [
      ...scorecard.indicators,
      ...(scorecard.performanceMeasures ?? []),
      ...flattenOutcomes(scorecard.outcomes),
    ];
    for (const i of all) {
      const f = i.freshness;
      if (f?.status === 'fresh' && f.nextPeriod && f.nextDueDate)
        due.push({ indicatorId: i.id, name: i.name, period: f.nextPeriod, date: f.nextDueDate });
    }
  }
  due.sort((a, b) => a.date.localeCompare(b.date));
  return {
    id: initiative.id,
    name: initiative.name,
    results: results.map((r) => ({ id: r.id, statement: r.statement })),
    late,
    due: due.slice(0, 10),
  };
}

type OutcomeLike = {
  indicators: Array<{ id: string; name: string; freshness?: unknown }>;
  performanceMeasures?: Array<{ id: string; name: string; freshness?: unknown }> | undefined;
  outcomes: OutcomeLike[];
};
function flattenOutcomes<T extends OutcomeLike>(outcomes: readonly T[]): T['indicators'] {
  return outcomes.flatMap((o) => [
    ...o.indicators,
    ...(o.performanceMeasures ?? []),
    ...flattenOutcomes(o.outcomes as T[]),
  ]);
}

export async function workspaceResult(db: Db, resultId: string, includePrivate: boolean) {
  const [{ data, scorecard }, tree] = await Promise.all([
    loadResultDashboard(db, resultId, { level: LEVEL }, includePrivate),
    readResultTree(db, resultId, includePrivate),
  ]);
  type Node = { title: string; indicators: Array<{ id: string; name: string }>; outcomes: Node[] };
  const toNode = (o: (typeof tree.outcomes)[number]): Node => ({
    title: o.title,
    indicators: o.indicators.map((i) => ({ id: i.id, name: i.name })),
    outcomes: o.outcomes.map(toNode),
  });
  return {
    id: tree.id,
    statement: tree.statement,
    initiative: { id: data.initiative.id, name: data.initiative.name },
    scorecardHtml: resultScorecardHtml(
      data,
      scorecard,
      (id) => `/app/indicators/${id}`,
      includePrivate ? await unpublishedLatest(db, scorecard) : undefined,
    ),
    tree: {
      title: tree.statement,
      indicators: tree.indicators.map((i) => ({ id: i.id, name: i.name })),
      outcomes: tree.outcomes.map(toNode),
    },
  };
}

/**
 * Members' scorecard marks: for indicators whose partnership publishes after review, the state of the latest value
 * when it is not published yet ('draft', 'submitted', 'approved', 'retracted'), by indicator id.
 */
async function unpublishedLatest(db: Db, scorecard: ResultScorecard): Promise<Record<string, string>> {
  const summaries = summariesOf(scorecard);
  const ids = summaries.map((summary) => summary.id);
  const [disclosures, states] = await Promise.all([disclosuresOf(db, ids), periodStatesOfIndicators(db, ids)]);
  const marks: Record<string, string> = {};
  for (const summary of summaries) {
    if (!summary.latest || disclosures.get(summary.id)?.required !== true) continue;
    const state = states.get(summary.id)?.get(summary.latest.period) ?? 'draft';
    if (state !== 'published') marks[summary.id] = state;
  }
  return marks;
}

/** Every indicator summary of a scorecard: headline ones, then each outcome's (and its programs'), depth first. */
function summariesOf(scorecard: ResultScorecard): IndicatorSummary[] {
  const walk = (outcomes: ResultScorecard['outcomes']): IndicatorSummary[] =>
    outcomes.flatMap((o) => [...o.indicators, ...(o.performanceMeasures ?? []), ...walk(o.outcomes)]);
  return [...scorecard.indicators, ...walk(scorecard.outcomes)];
}

/** The columns of an indicator's table and grid: the total, then one per declared dimension value. */
export function columnsOf(indicator: { dimensions: Array<{ name: string; values: string[] }> }) {
  return [
    { dimension: null, value: null, key: '{}' },
    ...indicator.dimensions.flatMap((d) =>
      d.values.map((value) => ({ dimension: d.name, value, key: disaggregationKey({ [d.name]: value }) })),
    ),
  ];
}

/**
 * The indicator page: members see every value, drafts included; anyone else, and a member's `preview`, what the
 * public sees (services/reader-view.ts). Flagged values are the partnership's working list: members only.
 */
export async function workspaceIndicator(db: Db, indicatorId: string, reader: boolean | Audience, origin: string) {
  const audience = asAudience(reader);
  const includePrivate = audience === 'members';
  const { data, analysis } = await loadIndicatorChart(db, indicatorId, { level: LEVEL }, audience);
  const { indicator, points, initiative } = data;
  const [svg, embed, stored] = await Promise.all([
    renderSvg(indicatorChartSpec(data, analysis, 'total', CHART_WIDTH)).then((raw) =>
      accessibleSvg(raw, { title: indicator.name, description: describeIndicator(indicator, analysis) }),
    ),
    indicator.visibility === 'public'
      ? getIndicatorEmbedSnippet(db, indicatorId, origin).then((s) => ({ html: s.html, url: s.embedUrl }))
      : Promise.resolve(null),
    currentPointVersions(db, indicatorId),
  ]);
  const columns = columnsOf(indicator);
  const flagged = stored
    .filter((p) => includePrivate && p.flags.length > 0)
    .map((p) => ({
      pointId: p.id,
      version: p.version,
      period: p.period,
      periodIndex: p.periodIndex,
      group: groupLabel(p.disaggregation),
      value: p.value,
      // Outside the partnership: that a value was flagged and whether it was confirmed, not the working notes.
      flags: p.flags
        .map((f) => (includePrivate ? f : publicFlag(f)))
        .map((f) => ({
          code: f.code,
          message: f.message,
          acknowledged: f.acknowledged,
          comment: f.comment,
          by: f.acknowledgedBy ?? null,
        })),
    }))
    .sort((a, b) => b.periodIndex - a.periodIndex || a.group.localeCompare(b.group));
  const flagOf = new Map(stored.filter(() => includePrivate).map((p) => [`${p.period} ${p.disaggregationKey}`, p]));
  const byPeriod = new Map<string, Map<string, number>>();
  for (const p of points) {
    const row = byPeriod.get(p.period) ?? new Map<string, number>();
    row.set(disaggregationKey(p.disaggregation), p.value);
    byPeriod.set(p.period, row);
  }
  const order = [...new Set([...points].sort((a, b) => a.periodIndex - b.periodIndex).map((p) => p.period))];
  return {
    id: indicator.id,
    name: indicator.name,
    initiative: { id: initiative.id, name: initiative.name },
    resultId: indicator.resultId,
    ownerPartnerId: indicator.ownerPartnerId,
    svg,
    summary: summarizeIndicator(indicator, analysis),
    columns: columns.map((c) => ({ dimension: c.dimension, value: c.value })),
    rows: order.map((period) => ({
      period,
      values: columns.map((c) => {
        const v = byPeriod.get(period)?.get(c.key);
        return v === undefined ? null : String(v);
      }),
      marks: columns.map((c) => {
        const point = flagOf.get(`${period} ${c.key}`);
        if (!point || point.flags.length === 0) return null;
        return {
          state: point.flags.some((f) => !f.acknowledged) ? ('unverified' as const) : ('checked' as const),
          anchor: `flag-${point.id}`,
        };
      }),
    })),
    flagged,
    embed,
  };
}

/** `sex: female, age: 15-24`, or '' for the total. */
function groupLabel(disaggregation: Record<string, string>): string {
  return Object.entries(disaggregation)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}

export async function workspaceHistory(db: Db, indicatorId: string) {
  const indicator = await findIndicatorOrThrow(db, indicatorId);
  const revisions = await indicatorRevisions(db, indicatorId, 500);
  return {
    indicator,
    revisions: revisions.map((r) => ({
      ...r,
      group: groupLabel(r.disaggregation),
      flags: r.flags.map((f) => ({
        message: f.message,
        acknowledged: f.acknowledged,
        comment: f.comment,
        by: f.acknowledgedBy ?? null,
      })),
    })),
  };
}

export async function workspaceDataQuality(db: Db, resultId: string, includePrivate: boolean) {
  const result = await findResultOrThrow(db, resultId);
  const [initiative, report, indicators] = await Promise.all([
    findInitiativeOrThrow(db, result.initiativeId),
    resultDataQuality(db, resultId, includePrivate),
    db.selectFrom('indicators').select(['id', 'name']).where('resultId', '=', resultId).execute(),
  ]);
  return {
    result: { id: result.id, statement: result.statement },
    initiative: { id: initiative.id, name: initiative.name },
    report,
    names: Object.fromEntries(indicators.map((i) => [i.id, i.name])),
  };
}

/** True when the data point belongs to the indicator (a form names both). */
export async function isPointOf(db: Db, pointId: string, indicatorId: string): Promise<boolean> {
  const found = await db
    .selectFrom('dataPoints')
    .select('id')
    .where('id', '=', pointId)
    .where('indicatorId', '=', indicatorId)
    .limit(1)
    .executeTakeFirst();
  return found !== undefined;
}

/**
 * The indicator page's accountability sections: the turn-the-curve report (null when none was written) and the
 * actions meant to turn its curve, as judged today (overdue, late…). Read on every view, not cached: an action's
 * timing changes with the day. Private actions only for members.
 */
export async function workspaceIndicatorAccountability(db: Db, indicatorId: string, includePrivate: boolean) {
  const [report, actions] = await Promise.all([
    findCurveReport(db, indicatorId),
    actionsOfIndicators(db, [indicatorId], includePrivate),
  ]);
  const today = utcToday();
  return { report, actions: actions.map((action) => actionOn(action, today)) };
}

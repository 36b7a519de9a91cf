/**
 * The workspace's review queue (`/app/review`, ../shared/design/workspace.md): the periods a reviewer acts
 * on — submitted (approve or send back) and approved (publish) — across the indicators of the initiatives
 * whose working lists the person may read (their own; administrators: all), grouped by indicator. Whether
 * the person may review each indicator is decided by the policy (auth/policy.ts `decidePublication`); the
 * actions themselves go through services/publication.ts.
 */
import { decidePublication, isAdmin, type Principal } from '../auth/policy.ts';
import { privateScopeOf } from '../auth/visibility.ts';
import type { Db } from '../dependencies.ts';
import { listPeriodPublications, listReviewQueue } from '../repositories/publication.ts';

/** The most periods the page lists (the oldest indicators' periods first). */
const QUEUE_LIMIT = 1000;

export interface QueueIndicator {
  id: string;
  name: string;
  initiativeName: string;
  /** The person may approve, publish and send back this indicator's periods. */
  mayReview: boolean;
  periods: Array<{
    period: string;
    state: 'submitted' | 'approved';
    submittedBy: string | null;
    approvedBy: string | null;
    /** ISO timestamp: when the period was submitted (or approved). */
    since: string;
  }>;
}

export interface ReviewQueue {
  /** The person reviews somewhere (an editor or an administrator). */
  reviewer: boolean;
  indicators: QueueIndicator[];
  /** The list stopped at its limit. */
  truncated: boolean;
}

export async function getReviewQueue(db: Db, principal: Principal): Promise<ReviewQueue> {
  const initiativeIds = privateScopeOf(principal);
  if (initiativeIds.length === 0) return { reviewer: false, indicators: [], truncated: false };
  const rows = await listReviewQueue(db, { initiativeIds }, QUEUE_LIMIT + 1);
  const byIndicator = new Map<string, QueueIndicator>();
  for (const row of rows.slice(0, QUEUE_LIMIT)) {
    let indicator = byIndicator.get(row.indicatorId);
    if (!indicator) {
      const anchor = { initiativeId: row.initiativeId, visibility: row.visibility, ownerPartnerId: row.ownerPartnerId };
      indicator = {
        id: row.indicatorId,
        name: row.indicatorName,
        initiativeName: row.initiativeName,
        mayReview: decidePublication(principal, 'approve', anchor) === 'allow',
        periods: [],
      };
      byIndicator.set(row.indicatorId, indicator);
    }
    indicator.periods.push({
      period: row.period,
      state: row.state,
      submittedBy: row.submittedBy,
      approvedBy: row.approvedBy,
      since: row.since.toISOString(),
    });
  }
  return {
    reviewer:
      isAdmin(principal) || (principal.kind !== 'anonymous' && principal.memberships.some((m) => m.role === 'editor')),
    indicators: [...byIndicator.values()],
    truncated: rows.length > QUEUE_LIMIT,
  };
}

/** Each period's publication state, in order (the indicator page's Publication section; members only). */
export async function publicationStates(
  db: Db,
  indicatorId: string,
): Promise<Array<{ period: string; state: string }>> {
  const items = await listPeriodPublications(db, indicatorId);
  return items.map((item) => ({ period: item.period, state: item.state }));
}

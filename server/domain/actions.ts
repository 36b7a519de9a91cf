/**
 * An action as stored, and as the API shows it on a given day: whether it is a quick win, its timing
 * (on time, late, overdue, open, dropped) and how many days it is overdue are derived from its dates and
 * the day it is read. Pure.
 */
import type { Action } from '../../schema/contracts/actions.ts';
import { actionTiming, daysBetween, isQuickWin, utcDate } from './freshness.ts';

/** The stored action: the API object without what depends on the day it is read. */
export type StoredAction = Omit<Action, 'quickWin' | 'timing' | 'overdue' | 'daysOverdue'>;

/**
 * The action as the API shows it on `today` (YYYY-MM-DD).
 *
 * @example actionOn({ start: '2026-01-05', due: '2026-03-31', status: 'in_progress', completedOn: null, … }, '2026-04-02')
 *   // { …, quickWin: true, timing: 'overdue', overdue: true, daysOverdue: 2 }
 */
export function actionOn(action: StoredAction, today: string): Action {
  const timing = actionTiming({ status: action.status, due: action.due, completedOn: action.completedOn }, today);
  return {
    id: action.id,
    initiativeId: action.initiativeId,
    title: action.title,
    description: action.description,
    ownerPartnerId: action.ownerPartnerId,
    ownerPartnerName: action.ownerPartnerName,
    indicatorIds: action.indicatorIds,
    start: action.start,
    due: action.due,
    status: action.status,
    completedOn: action.completedOn,
    quickWin: isQuickWin(action.start, action.due),
    timing,
    overdue: timing === 'overdue',
    daysOverdue: timing === 'overdue' ? daysBetween(action.due, today) : null,
    visibility: action.visibility,
    publiclyVisible: action.publiclyVisible,
    version: action.version,
    createdAt: action.createdAt,
    createdBy: action.createdBy,
    updatedAt: action.updatedAt,
    updatedBy: action.updatedBy,
  };
}

/**
 * The actions that existed at `asOf` (every one when there is no asOf): reading the past leaves out the
 * commitments made later.
 *
 * @example actionsKnownAt([{ createdAt: '2026-02-01T00:00:00.000Z', … }], new Date('2026-01-31T00:00:00Z')) // []
 */
export function actionsKnownAt<A extends { createdAt: string }>(
  actions: readonly A[],
  asOf: Date | null | undefined,
): A[] {
  if (asOf === null || asOf === undefined) return [...actions];
  const at = asOf.getTime();
  return actions.filter((action) => Date.parse(action.createdAt) <= at);
}

/**
 * The actions an analysis or a chart read at `asOf` shows: those that existed then, judged on that day
 * (on `now`'s day when there is no asOf).
 */
export function actionsAsOf(actions: readonly StoredAction[], asOf: Date | undefined, now: Date): Action[] {
  const today = utcDate(asOf ?? now);
  return actionsKnownAt(actions, asOf).map((action) => actionOn(action, today));
}

/**
 * The rules an action must follow, checked on the state a write would leave (pure: state and today in,
 * problems out).
 *
 * @example stateProblems({ start: '2026-03-01', due: '2026-02-01', status: 'planned', completedOn: null, … }, undefined, '2026-01-15')
 *   // [{ field: 'due', code: 'due_before_start', message: 'due (2026-02-01) is before start (2026-03-01)' }]
 */
import { UnprocessableError, type FieldProblem } from '../errors.ts';
import { daysBetween, isQuickWin, QUICK_WIN_DAYS, type ActionStatus } from './freshness.ts';
import type { Visibility } from '../../schema/vocabulary.ts';

/** One problem with one field, as the error it is. */
export function unprocessable(field: string, code: string, message: string): UnprocessableError {
  return new UnprocessableError(code, message, [{ field, code, message }]);
}

/** An action's fields as a write would leave them (the stored ones merged with the change). */
export interface ActionState {
  title: string;
  description: string | null;
  ownerPartnerId: string | null;
  indicatorIds: string[];
  start: string;
  due: string;
  status: ActionStatus;
  completedOn: string | null;
  visibility: Visibility;
}

/**
 * The rules an action's merged state must follow (rule violations): due on or after start; a stated quickWin agrees
 * with the dates; completedOn only when done, not before start, not in the future.
 */
export function stateProblems(state: ActionState, statedQuickWin: boolean | undefined, today: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (state.due < state.start) {
    problems.push({
      field: 'due',
      code: 'due_before_start',
      message: `due (${state.due}) is before start (${state.start})`,
    });
  } else if (statedQuickWin !== undefined && statedQuickWin !== isQuickWin(state.start, state.due)) {
    const days = daysBetween(state.start, state.due);
    problems.push({
      field: 'quickWin',
      code: 'quick_win_mismatch',
      message: `a quick win is due within ${QUICK_WIN_DAYS} days of its start; these dates are ${days} days apart, so quickWin is ${days <= QUICK_WIN_DAYS}`,
    });
  }
  if (state.completedOn !== null) {
    if (state.status !== 'done') {
      problems.push({
        field: 'completedOn',
        code: 'completed_on_not_done',
        message: 'only a done action has a completion date (set status to done, or completedOn to null)',
      });
    } else if (state.completedOn < state.start) {
      problems.push({
        field: 'completedOn',
        code: 'completed_before_start',
        message: `completedOn (${state.completedOn}) is before start (${state.start})`,
      });
    } else if (state.completedOn > today) {
      problems.push({
        field: 'completedOn',
        code: 'completed_in_future',
        message: `completedOn (${state.completedOn}) is after today (${today})`,
      });
    }
  }
  return problems;
}

/** Throws one UnprocessableError listing every problem, if any. */
export function rejectIfProblems(problems: FieldProblem[]): void {
  if (problems.length > 0) {
    throw new UnprocessableError(problems[0]!.code, 'The action cannot be saved:', problems, {
      listProblems: Infinity,
    });
  }
}

/**
 * The publication workflow of an indicator's periods (`GET|POST /indicators/{id}/publication`,
 * docs/publication.md):
 *   1. read the periods' labels in the indicator's calendar (422 for a label it does not accept);
 *   2. decide whether the caller may take the action (auth/policy.ts `decidePublication`: 403);
 *   3. apply it to every period, all or none, under the indicator's lock (repositories/publication.ts, with the
 *      state machine of domain/publication-rules.ts: 403 four eyes, 409 state, 422 reason or no data).
 */
import type { PublicationChange } from '../../schema/contracts/publication.ts';
import { actorKey, actorName, decidePublication, type Anchor, type Principal } from '../auth/policy.ts';
import { refusal } from '../auth/refusal.ts';
import { calendarOf } from '../domain/indicator-rules.ts';
import { parsePeriod } from '../engine/periods.ts';
import type { Db } from '../dependencies.ts';
import { UnprocessableError, type FieldProblem } from '../errors.ts';
import { findIndicatorOrThrow } from '../repositories/indicators.ts';
import { pageOf } from './data-quality.ts';
import {
  changePublication,
  disclosureOf,
  listPeriodPublications,
  listPublicationTransitions,
  type NamedPeriod,
} from '../repositories/publication.ts';

/**
 * One page of the periods' states, in period order (members only: the route's access says so). The list is
 * read whole (one row per period) and cut: the cursor is a position in it.
 */
export async function getPublication(db: Db, indicatorId: string, page: Page) {
  return pageOf({ items: await listPeriodPublications(db, indicatorId) }, page, 'publication');
}

/** One page of the latest 500 transitions, newest first: who moved which period, when and why. */
export async function getPublicationHistory(db: Db, indicatorId: string, page: Page) {
  return pageOf({ items: await listPublicationTransitions(db, indicatorId) }, page, 'publication-history');
}

type Page = { limit: number; cursor?: string | undefined };

/** Moves the named periods through the workflow; answers their new states. */
export async function changeIndicatorPublication(
  db: Db,
  indicatorId: string,
  change: PublicationChange,
  principal: Principal,
  anchor: Anchor,
) {
  const indicator = await findIndicatorOrThrow(db, indicatorId);
  const calendar = calendarOf(indicator);
  const problems: FieldProblem[] = [];
  const named = new Map<number, NamedPeriod>();
  change.periods.forEach((period, position) => {
    const parsed = parsePeriod(period, calendar);
    if (!parsed.ok) problems.push({ field: `periods.${position}`, code: parsed.code, message: parsed.reason });
    else if (!named.has(parsed.index)) named.set(parsed.index, { period, periodIndex: parsed.index, position });
  });
  if (problems.length > 0) throw new UnprocessableError(problems[0]!.code, problems[0]!.message, problems);
  const decision = decidePublication(principal, change.action, anchor);
  if (decision !== 'allow')
    throw refusal(
      decision,
      { resource: 'indicator', id: indicatorId },
      change.action === 'submit'
        ? 'Only whoever may enter this indicator’s data can submit its periods.'
        : `Only an editor of the initiative can ${change.action.replace('_', ' ')} periods.`,
    );
  const { fourEyes } = await disclosureOf(db, indicatorId);
  const items = await changePublication(
    db,
    indicatorId,
    [...named.values()],
    change.action,
    { name: actorName(principal), key: actorKey(principal) },
    { fourEyes, reason: change.reason },
  );
  return { items };
}

/**
 * What a reader sees of an indicator's data (docs/publication.md):
 * - members of the initiative see every value as entered, drafts included;
 * - the public (anonymous callers and every public output: embeds, charts, CSV, scorecards) sees only
 *   published periods where the initiative requires publication, and never a suppressed small cell;
 * - a member's preview shows the drafts as the public would see them once published (suppression applied).
 */
import type { Unit } from '../engine/vocabulary.ts';
import { suppressedInSeries, type Dimension } from './cell-suppression.ts';
import { disaggregationKey } from './indicator-rules.ts';

export type Audience = 'members' | 'public' | 'preview';

/** The settings that decide disclosure for one indicator. */
export interface DisclosureSettings {
  required: boolean;
  minCellSize: number | null;
  unit: Unit;
  dimensions: Dimension[];
}

/**
 * @example audienceOf(true)  // 'members'
 * @example audienceOf(false) // 'public'
 */
export function audienceOf(includePrivate: boolean): Audience {
  return includePrivate ? 'members' : 'public';
}

/**
 * A use case's reader: `true`/`false` (whether the caller sees the initiative's private objects: members or
 * the public), or an audience named outright (a member's `preview` of the public view).
 *
 * @example asAudience(false)     // 'public'
 * @example asAudience('preview') // 'preview'
 */
export function asAudience(reader: boolean | Audience): Audience {
  return typeof reader === 'boolean' ? audienceOf(reader) : reader;
}

/** True when the reader sees only published periods. */
export function publishedOnly(settings: Pick<DisclosureSettings, 'required'>, audience: Audience): boolean {
  return audience === 'public' && settings.required;
}

/**
 * The minimum cell size the reader's view applies: only to counts (rates and percents carry no denominators
 * in this model, so there is nothing to suppress them by), never to members.
 *
 * @example suppressionFor({ minCellSize: 11, unit: 'count' }, 'public')  // 11
 * @example suppressionFor({ minCellSize: 11, unit: 'count' }, 'members') // null
 * @example suppressionFor({ minCellSize: 11, unit: 'percent' }, 'public') // null
 */
export function suppressionFor(
  settings: Pick<DisclosureSettings, 'minCellSize' | 'unit'>,
  audience: Audience,
): number | null {
  if (audience === 'members' || settings.unit !== 'count') return null;
  return settings.minCellSize;
}

/** A cell of a series as suppression reads it. */
export interface CellOfSeries {
  periodIndex: number;
  disaggregation: Record<string, string>;
  value: number | null;
}

/**
 * The cells to suppress, as `${periodIndex} ${disaggregationKey}` (cell-suppression.ts decides which); an empty
 * set when no minimum applies.
 *
 * @example suppressedKeys([{ periodIndex: 5, disaggregation: {}, value: 40 }, { periodIndex: 5, disaggregation: { g: 'a' }, value: 3 }, …], dims, 11)
 *   // Set { '5 {"g":"a"}', '5 {"g":"c"}' }
 */
export function suppressedKeys(
  cells: readonly CellOfSeries[],
  dimensions: Dimension[],
  minCellSize: number | null,
): Set<string> {
  if (minCellSize === null || cells.length === 0) return new Set();
  return suppressedInSeries(
    cells.map((cell) => ({
      key: disaggregationKey(cell.disaggregation),
      disaggregation: cell.disaggregation,
      value: cell.value,
      periodIndex: cell.periodIndex,
    })),
    dimensions,
    minCellSize,
  );
}

/** The key `suppressedKeys` names a cell by. */
export function cellKey(cell: Pick<CellOfSeries, 'periodIndex' | 'disaggregation'>): string {
  return `${cell.periodIndex} ${disaggregationKey(cell.disaggregation)}`;
}

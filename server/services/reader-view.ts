/**
 * What a reader sees of an indicator's data (domain/disclosure.ts, docs/publication.md), for every use case
 * that reads points: which versions (members: as entered; the public where publication is required: as
 * published) and which cells are withheld (small-cell suppression in public outputs).
 *
 * Use cases ask `readerViewOf` once, read their points through `view`, then drop or blank what `withheld`
 * names: one place decides disclosure, every output (API, charts, embeds, CSV, scorecards) follows it.
 */
import {
  cellKey,
  publishedOnly,
  suppressedKeys,
  suppressionFor,
  type Audience,
  type CellOfSeries,
} from '../domain/disclosure.ts';
import type { PointMark, SeriesPoint } from '../domain/series-point.ts';
import type { Db } from '../dependencies.ts';
import type { PointView } from '../repositories/point-view.ts';
import { disclosureOf, disclosuresOf, type Disclosure } from '../repositories/publication.ts';
import { cellsOf, totalSeriesOf } from '../repositories/data-points.ts';

export interface ReaderView {
  audience: Audience;
  view: PointView;
  /** The minimum cell size this reader's outputs apply (null: none). */
  minCellSize: number | null;
  disclosure: Disclosure;
}

export function viewFor(disclosure: Disclosure, audience: Audience, asOf: Date | undefined): ReaderView {
  return {
    audience,
    view: { asOf, publishedOnly: publishedOnly(disclosure, audience) },
    minCellSize: suppressionFor(disclosure, audience),
    disclosure,
  };
}

/** The reader's view of one indicator. */
export async function readerViewOf(
  db: Db,
  indicatorId: string,
  audience: Audience,
  asOf: Date | undefined,
): Promise<ReaderView> {
  return viewFor(await disclosureOf(db, indicatorId), audience, asOf);
}

/** The reader's views of several indicators (one query). */
export async function readerViewsOf(
  db: Db,
  indicatorIds: string[],
  audience: Audience,
  asOf: Date | undefined,
): Promise<Map<string, ReaderView>> {
  const views = new Map<string, ReaderView>();
  for (const [id, disclosure] of await disclosuresOf(db, indicatorIds))
    views.set(id, viewFor(disclosure, audience, asOf));
  return views;
}

/** The cells the reader may not see, as `${periodIndex} ${key}`, from all of the indicator's cells in the view. */
export function withheldAmong(cells: readonly CellOfSeries[], reader: ReaderView): Set<string> {
  return suppressedKeys(cells, reader.disclosure.dimensions, reader.minCellSize);
}

/** The cells the reader may not see, reading them when suppression applies (one query; none otherwise). */
export async function withheldCells(db: Db, indicatorId: string, reader: ReaderView): Promise<Set<string>> {
  if (reader.minCellSize === null) return new Set();
  return withheldAmong(await cellsOf(db, indicatorId, reader.view), reader);
}

/**
 * A series as the reader may see it: the withheld cells taken out of the analysis, and shown instead as marks
 * ("suppressed", drawn like a missing value) so charts and tables say why the value is not there.
 */
export function withoutWithheld(
  points: SeriesPoint[],
  marks: PointMark[],
  reader: ReaderView,
): { points: SeriesPoint[]; marks: PointMark[] } {
  if (reader.minCellSize === null) return { points, marks };
  const withheld = withheldAmong(points, reader);
  if (withheld.size === 0) return { points, marks };
  const kept = points.filter((p) => !withheld.has(cellKey(p)));
  const suppressedMarks: PointMark[] = points
    .filter((p) => withheld.has(cellKey(p)))
    .map((p) => ({
      period: p.period,
      periodIndex: p.periodIndex,
      disaggregation: p.disaggregation,
      missing: true,
      suppressed: true,
      footnote: `Suppressed: fewer than ${reader.minCellSize}, or a value that would reveal one.`,
      unverified: false,
    }));
  const otherMarks = marks.filter((m) => !withheld.has(cellKey(m)));
  return {
    points: kept,
    marks: [...otherMarks, ...suppressedMarks].sort((a, b) => a.periodIndex - b.periodIndex),
  };
}

/**
 * The total slice of each indicator as its reader may see it (scorecards, roll-ups, the SMART check, the field
 * summary): `audienceOf` says, per initiative, whether the caller is a member. One read per kind of view, plus
 * one per indicator whose public totals may be suppressed.
 */
export async function visibleTotals(
  db: Db,
  indicatorIds: string[],
  audienceOf: (initiativeId: string) => Audience,
  asOf: Date | undefined,
): Promise<Map<string, SeriesPoint[]>> {
  const found = new Map<string, SeriesPoint[]>();
  if (indicatorIds.length === 0) return found;
  const readers = new Map<string, ReaderView>();
  for (const [id, disclosure] of await disclosuresOf(db, indicatorIds))
    readers.set(id, viewFor(disclosure, audienceOf(disclosure.initiativeId), asOf));
  const byView = new Map<boolean, string[]>();
  for (const [id, reader] of readers)
    byView.set(reader.view.publishedOnly, [...(byView.get(reader.view.publishedOnly) ?? []), id]);
  for (const [published, ids] of byView)
    for (const [id, points] of await totalSeriesOf(db, ids, { asOf, publishedOnly: published })) found.set(id, points);
  for (const [id, reader] of readers) {
    if (reader.minCellSize === null || !found.has(id)) continue;
    const withheld = await withheldCells(db, id, reader);
    if (withheld.size > 0)
      found.set(
        id,
        found.get(id)!.filter((p) => !withheld.has(cellKey(p))),
      );
  }
  return found;
}

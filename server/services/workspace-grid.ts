/**
 * The workspace's data entry grid (/app/indicators/{id}/data): one row per period, one column for the total
 * and one per declared group.
 *  1. Reading: every current point with its version (each cell's If-Match).
 *  2. Saving: the cells whose text differs from what was read become a batch for `upsertDataPoints` — the
 *     very function `PUT …/data-points` runs, so the same rules apply, all or nothing — with the versions
 *     read: a value someone else changed meanwhile is refused (nothing written) and shown, not overwritten.
 *  3. Problems come back per cell: a cell that is not a number here, the batch's rule errors mapped from
 *     `points.<i>` to their cell.
 *  4. Add period: the grid again with what was typed and one more row (the period after the last one).
 */
import { calendarOf } from '../domain/indicator-rules.ts';
import { describeExpectedLabel, nextPeriod } from '../engine/periods.ts';
import type { DataPointInput } from '../../schema/contracts/data-points.ts';
import type { Db } from '../dependencies.ts';
import { ConflictError, UnprocessableError } from '../errors.ts';
import { currentPointVersions } from '../repositories/data-points.ts';
import { enterDataPoints } from './data-entry.ts';
import { findIndicatorOrThrow } from '../repositories/indicators.ts';
import { columnsOf } from './workspace-browse.ts';

export interface GridCellState {
  value: string;
  original: string;
  version: number;
  error?: string | undefined;
}

export interface GridRowState {
  period: string;
  periodEditable: boolean;
  periodError?: string | undefined;
  cells: GridCellState[];
}

export interface GridState {
  indicator: { id: string; name: string; resultId: string; initiativeId: string };
  columns: Array<{ dimension: string | null; value: string | null }>;
  rows: GridRowState[];
  periodExample: string;
}

/** Problems a save can report, as codes the page turns into words. */
export type CellProblem = 'not_a_number' | 'cannot_clear' | { conflict: string } | { rule: string };

/** The form as posted: `period` per row, and per cell `v.r.k` (typed), `o.r.k` (read), `ver.r.k` (version). */
export type GridForm = Record<string, string | string[] | undefined>;

export async function loadGrid(db: Db, indicatorId: string): Promise<GridState> {
  const indicator = await findIndicatorOrThrow(db, indicatorId);
  const points = await currentPointVersions(db, indicatorId);
  const columns = columnsOf(indicator);
  const periods = [...new Map(points.map((p) => [p.period, p.periodIndex])).entries()].sort((a, b) => a[1] - b[1]);
  const byCell = new Map(points.map((p) => [`${p.period} ${p.disaggregationKey}`, p]));
  return {
    indicator: shortIndicator(indicator),
    columns: columns.map(({ dimension, value }) => ({ dimension, value })),
    periodExample: describeExpectedLabel(calendarOf(indicator)),
    rows: periods.map(([period]) => ({
      period,
      periodEditable: false,
      cells: columns.map((c) => {
        const stored = byCell.get(`${period} ${c.key}`);
        const text = stored ? String(stored.value) : '';
        return { value: text, original: text, version: stored?.version ?? 0 };
      }),
    })),
  };
}

function shortIndicator(indicator: { id: string; name: string; resultId: string; initiativeId: string }) {
  return { id: indicator.id, name: indicator.name, resultId: indicator.resultId, initiativeId: indicator.initiativeId };
}

const one = (value: string | string[] | undefined): string => (Array.isArray(value) ? (value[0] ?? '') : (value ?? ''));
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** The grid as posted (what the person typed is kept). */
export async function gridFromForm(db: Db, indicatorId: string, form: GridForm): Promise<GridState> {
  const indicator = await findIndicatorOrThrow(db, indicatorId);
  const columns = columnsOf(indicator);
  const stored = await loadGrid(db, indicatorId);
  const knownPeriods = new Set(stored.rows.map((r) => r.period));
  const periods = form.period === undefined ? [] : Array.isArray(form.period) ? form.period : [form.period];
  return {
    ...stored,
    rows: periods.slice(0, 1000).map((rawPeriod, r) => {
      const period = rawPeriod.trim();
      return {
        period,
        periodEditable: !knownPeriods.has(period) && one(form[`editable.${r}`]) === '1',
        cells: columns.map((_c, k) => ({
          value: one(form[`v.${r}.${k}`]).trim(),
          original: one(form[`o.${r}.${k}`]),
          version: Number.parseInt(one(form[`ver.${r}.${k}`]), 10) || 0,
        })),
      };
    }),
  };
}

/** Step 4: one more row, after the last period (or a row whose period is typed in, when there is none). */
export async function addGridPeriod(db: Db, state: GridState): Promise<GridState> {
  const indicator = await findIndicatorOrThrow(db, state.indicator.id);
  const last = state.rows.at(-1);
  let period = '';
  if (last && !last.periodEditable) {
    try {
      period = nextPeriod(last.period, calendarOf(indicator));
    } catch {
      period = '';
    }
  }
  const row: GridRowState = {
    period,
    periodEditable: period === '',
    cells: state.columns.map(() => ({ value: '', original: '', version: 0 })),
  };
  return { ...state, rows: [...state.rows, row] };
}

export type SaveOutcome =
  { kind: 'saved'; changed: number } | { kind: 'problems'; state: GridState; problem: string | null };

/** Steps 2–3. `problemText` turns a problem into the page's words. */
export async function saveGrid(
  db: Db,
  state: GridState,
  actor: string,
  problemText: (problem: CellProblem) => string,
): Promise<SaveOutcome> {
  const indicator = await findIndicatorOrThrow(db, state.indicator.id);
  const columns = columnsOf(indicator);
  const points: DataPointInput[] = [];
  const versions: number[] = [];
  const cellOf: Array<[number, number]> = [];
  let bad = 0;
  const rows = state.rows.map((row, r) => ({
    ...row,
    cells: row.cells.map((cell, k) => {
      if (cell.value === cell.original) return cell;
      if (cell.value === '') {
        bad++;
        return { ...cell, error: problemText('cannot_clear') };
      }
      if (!NUMBER.test(cell.value)) {
        bad++;
        return { ...cell, error: problemText('not_a_number') };
      }
      const column = columns[k]!;
      points.push({
        period: row.period,
        value: Number(cell.value),
        ...(column.dimension !== null && { disaggregation: { [column.dimension]: column.value! } }),
      });
      versions.push(cell.version);
      cellOf.push([r, k]);
      return cell;
    }),
  }));
  if (bad > 0) return { kind: 'problems', state: { ...state, rows }, problem: null };
  if (points.length === 0) return { kind: 'saved', changed: 0 };
  try {
    await enterDataPoints(db, indicator.id, points, actor, versions);
    return { kind: 'saved', changed: points.length };
  } catch (error) {
    if (!(error instanceof UnprocessableError || error instanceof ConflictError)) throw error;
    for (const problem of error.problems) {
      const match = /^points\.(\d+)(?:\.(\w+))?/.exec(problem.field);
      const at = match ? cellOf[Number(match[1])] : undefined;
      if (!at) continue;
      const [r, k] = at;
      const row = rows[r]!;
      const message = problemText(
        error instanceof ConflictError ? { conflict: problem.message } : { rule: problem.message },
      );
      if (match![2] === 'period' && row.periodEditable) row.periodError = message;
      else row.cells[k] = { ...row.cells[k]!, error: message };
    }
    // After a conflict the form carries the current versions: saving again is a deliberate choice to replace.
    if (error instanceof ConflictError) {
      const current = await loadGrid(db, indicator.id);
      const versionOf = new Map(current.rows.map((row) => [row.period, row.cells.map((c) => c.version)]));
      for (const row of rows)
        row.cells = row.cells.map((cell, k) =>
          cell.error
            ? {
                ...cell,
                version: versionOf.get(row.period)?.[k] ?? 0,
                original: current.rows.find((x) => x.period === row.period)?.cells[k]?.original ?? '',
              }
            : cell,
        );
    }
    return { kind: 'problems', state: { ...state, rows }, problem: error.lead };
  }
}

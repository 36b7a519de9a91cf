/**
 * The workspace's data entry grid (/app/indicators/{id}/data): one row per period, one column for the total
 * and one per declared group.
 *  1. Reading: every current point with its version (each cell's If-Match).
 *  2. Saving: the cells whose text differs from what was read become a batch for `upsertDataPoints` — the
 *     very function `PUT …/data-points` runs, so the same rules apply, all or nothing — with the versions
 *     read: a value someone else changed meanwhile is refused (nothing written) and shown, not overwritten.
 *  3. Problems come back per cell: a cell that is not a number here, the batch's rule errors mapped from
 *     `points.<i>` to their cell. Data-quality warnings (services/quality-gate.ts) come back per cell too:
 *     refused ones (`needs_acknowledgement`, when the initiative blocks unacknowledged warnings) and recorded
 *     ones (stored as the point's flags) are shown next to their cell with "I checked this value" and a
 *     comment; a ticked cell is sent with `acknowledge: [{code, comment}]` for each of its warnings — also
 *     when its value is unchanged (acknowledging a recorded flag later).
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

/** A data-quality warning shown next to a cell: its rule or check, and why in words. */
export interface CellWarning {
  code: string;
  message: string;
}

export interface GridCellState {
  value: string;
  original: string;
  version: number;
  error?: string | undefined;
  /** Unacknowledged warnings of this cell's value (stored flags, or found by a refused save). */
  warnings?: CellWarning[] | undefined;
  /** The value the warnings are about (they no longer apply once the value is changed). */
  warnedValue?: string | undefined;
  /** True when the warnings refused the save (the initiative blocks unacknowledged warnings). */
  blocking?: boolean | undefined;
  /** "I checked this value" is ticked, with this comment. */
  acknowledge?: boolean | undefined;
  comment?: string | undefined;
  commentError?: string | undefined;
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
export type CellProblem =
  | 'not_a_number'
  | 'cannot_clear'
  | 'comment_required'
  | { conflict: string }
  | { rule: string }
  | { needsAcknowledgement: number };

/**
 * The form as posted: `period` per row, and per cell `v.r.k` (typed), `o.r.k` (read), `ver.r.k` (version);
 * for a cell with warnings, `w.r.k` (each `code|message`), `wv.r.k` (the value they are about), `ack.r.k`
 * (ticked: `1`), `comment.r.k`.
 */
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
        const text = stored && stored.value !== null ? String(stored.value) : '';
        const warnings = (stored?.flags ?? [])
          .filter((f) => !f.acknowledged)
          .map((f) => ({ code: f.code, message: f.message }));
        return {
          value: text,
          original: text,
          version: stored?.version ?? 0,
          ...(warnings.length > 0 && { warnings, warnedValue: text }),
        };
      }),
    })),
  };
}

function shortIndicator(indicator: { id: string; name: string; resultId: string; initiativeId: string }) {
  return { id: indicator.id, name: indicator.name, resultId: indicator.resultId, initiativeId: indicator.initiativeId };
}

const one = (value: string | string[] | undefined): string => (Array.isArray(value) ? (value[0] ?? '') : (value ?? ''));
const all = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The warnings a posted cell carries (`code|message` each), while its value is still the one they are about. */
function postedWarnings(form: GridForm, r: number, k: number, value: string): Partial<GridCellState> {
  const warnings = all(form[`w.${r}.${k}`])
    .slice(0, 20)
    .map((text) => {
      const bar = text.indexOf('|');
      return { code: text.slice(0, bar), message: text.slice(bar + 1) };
    })
    .filter((w) => /^[a-z][a-z0-9_]{0,62}$/.test(w.code));
  const warnedValue = one(form[`wv.${r}.${k}`]);
  const acknowledge = one(form[`ack.${r}.${k}`]) === '1';
  const comment = one(form[`comment.${r}.${k}`]).trim();
  if (warnings.length === 0 || warnedValue !== value) return {};
  return { warnings, warnedValue, acknowledge, comment };
}
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
        cells: columns.map((_c, k) => {
          const value = one(form[`v.${r}.${k}`]).trim();
          return {
            value,
            original: one(form[`o.${r}.${k}`]),
            version: Number.parseInt(one(form[`ver.${r}.${k}`]), 10) || 0,
            ...postedWarnings(form, r, k, value),
          };
        }),
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
  | { kind: 'saved'; changed: number; acknowledged: number; warnings: number }
  | { kind: 'problems'; state: GridState; problem: string | null };

/** The acknowledgement a cell sends: each of its warnings, with the comment (when ticked and commented). */
function acknowledgementOf(cell: GridCellState) {
  if (!cell.acknowledge || !cell.warnings?.length || !cell.comment) return undefined;
  return cell.warnings.map((w) => ({ code: w.code, comment: cell.comment! }));
}

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
  let acknowledged = 0;
  const rows = state.rows.map((row, r) => ({
    ...row,
    cells: row.cells.map((cell, k) => {
      if (cell.acknowledge && cell.warnings?.length && !cell.comment) {
        bad++;
        return { ...cell, commentError: problemText('comment_required') };
      }
      const acknowledge = acknowledgementOf(cell);
      // An unchanged value is sent only to acknowledge its recorded warnings.
      if (cell.value === cell.original && !(acknowledge && cell.value !== '')) return cell;
      if (cell.value === '') {
        bad++;
        return { ...cell, error: problemText('cannot_clear') };
      }
      if (!NUMBER.test(cell.value)) {
        bad++;
        return { ...cell, error: problemText('not_a_number') };
      }
      const column = columns[k]!;
      if (acknowledge) acknowledged++;
      points.push({
        period: row.period,
        value: Number(cell.value),
        ...(column.dimension !== null && { disaggregation: { [column.dimension]: column.value! } }),
        ...(acknowledge && { acknowledge }),
      });
      versions.push(cell.version);
      cellOf.push([r, k]);
      return cell;
    }),
  }));
  if (bad > 0) return { kind: 'problems', state: { ...state, rows }, problem: null };
  if (points.length === 0) return { kind: 'saved', changed: 0, acknowledged: 0, warnings: 0 };
  try {
    const outcome = await enterDataPoints(db, indicator.id, points, actor, versions);
    return {
      kind: 'saved',
      changed: points.length - acknowledgedOnly(rows, cellOf),
      acknowledged,
      warnings: outcome.warnings.filter((w) => !w.acknowledged).length,
    };
  } catch (error) {
    if (!(error instanceof UnprocessableError || error instanceof ConflictError)) throw error;
    const refusedWarnings = new Set<string>();
    for (const problem of error.problems) {
      const match = /^points\.(\d+)(?:\.(\w+))?/.exec(problem.field);
      const at = match ? cellOf[Number(match[1])] : undefined;
      if (!at) continue;
      const [r, k] = at;
      const row = rows[r]!;
      const cell = row.cells[k]!;
      if (error.code === 'needs_acknowledgement' && problem.severity === 'warning') {
        // The warnings the gate found now replace any the form carried for this cell.
        const key = `${r}.${k}`;
        const earlier = refusedWarnings.has(key) ? (cell.warnings ?? []) : [];
        refusedWarnings.add(key);
        row.cells[k] = {
          ...cell,
          warnings: [...earlier, { code: problem.code, message: problem.message }],
          warnedValue: cell.value,
          blocking: true,
        };
        continue;
      }
      const message = problemText(
        error instanceof ConflictError ? { conflict: problem.message } : { rule: problem.message },
      );
      if (match![2] === 'period' && row.periodEditable) row.periodError = message;
      else row.cells[k] = { ...cell, error: cell.error ? `${cell.error} ${message}` : message };
    }
    if (error.code === 'needs_acknowledgement')
      return {
        kind: 'problems',
        state: { ...state, rows },
        problem: problemText({ needsAcknowledgement: refusedWarnings.size }),
      };
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

/** The cells sent only to acknowledge their warnings (their value unchanged): not counted as saved values. */
function acknowledgedOnly(rows: readonly GridRowState[], cellOf: ReadonlyArray<[number, number]>): number {
  return cellOf.filter(([r, k]) => {
    const cell = rows[r]!.cells[k]!;
    return cell.value === cell.original;
  }).length;
}

/**
 * Checks one row of an import file and turns it into a point ready for the staged merge — or into the
 * reasons it cannot be imported, each naming its row and column. Pure apart from drawing fresh ids.
 *
 * The rules are those of `PUT …/data-points` (README, "What the API holds"), read from spreadsheet cells:
 * - `period`: the indicator's canonical label (`2024`, `2024-25`, `2024-Q3`, `2024-07`, `2024-W05`, `2024-07-15`);
 * - `value`: a plain number (`8.7`, `-3`, `1.5e6`); with `;` as the separator a decimal comma is accepted
 *   too (`8,7`), as Excel writes it in most of Europe; no thousands separators, units or `%`;
 * - dimension cells: one of the dimension's declared values (an exact match, else the one value that matches
 *   ignoring case: `Female` → `female`); empty = the total over that dimension;
 * - `note`, `status` (`provisional` | `final`, any case), `source`: an empty cell means "no value given",
 *   so the stored value stays — unless the import asks for `emptyCells=clear`, when it clears it.
 *
 * Repeated work is cached (the few distinct periods and slices of a file), so a million rows cost about a
 * microsecond each.
 */
import { randomFillSync } from 'node:crypto';
import type { StagedPoint } from './staged-point.ts';
import { MAX_ABS_VALUE } from '../engine/level-change.ts';
import { parsePeriod, periodDateRange, type PeriodCalendar } from '../engine/periods.ts';
import { disaggregationKey } from './indicator-rules.ts';
import type { ColumnPlan } from './csv-header.ts';
import { restoreCell } from './csv-formula.ts';
import { timingProblemOf, utcToday } from './period-timing.ts';
import { statusFields } from './data-point-batch.ts';
import { OBS_STATUSES, type ObsStatus } from '../../schema/vocabulary.ts';

/**
 * One reason a row cannot be imported. `row` is the spreadsheet's row number (header = 1); see
 * {@link describeRowError} for the one-line form.
 */
export interface RowError {
  row: number;
  /** The column as written in the header; null when the problem is the row as a whole. */
  column: string | null;
  code: string;
  message: string;
}

/** An indicator rows may write to. */
export interface TargetIndicator {
  id: string;
  code: string | null;
  initiativeId: string;
  calendar: PeriodCalendar;
  dimensions: Array<{ name: string; values: string[] }>;
  /** Whether the caller may write its data (a contributor writes only its partner's indicators). */
  writable: boolean;
}

export interface RowOptions {
  /** `keep` (default): an empty note/status/source cell keeps the stored value; `clear`: it clears it. */
  emptyCells: 'keep' | 'clear';
  /** Accept `8,7` for 8.7 (files separated by `;`). */
  decimalComma: boolean;
  /** Open SDG: import only the rows of this series / these units (others are skipped). */
  series?: string | undefined;
  units?: string | undefined;
  /** The UTC day the import runs (period-timing.ts); default today. */
  today?: string;
}

export type RowOutcome =
  | { kind: 'point'; point: StagedPoint }
  | { kind: 'errors'; errors: RowError[] }
  | { kind: 'skipped'; reason: 'blank' | 'no_value' | 'other_series' | 'other_units' }
  | { kind: 'forbidden'; indicator: TargetIndicator };

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOTE_MAX = 5000;
const SOURCE_MAX = 1000;
const FOOTNOTE_MAX = 2000;
const COMMENT_MAX = 2000;
/** Caches are emptied when they grow past this many entries (daily data over decades, many slices). */
const CACHE_LIMIT = 100_000;

type PeriodCheck =
  { ok: true; index: number; days: { start: string; end: string } } | { ok: false; code: string; message: string };
type SliceCheck =
  | { ok: true; disaggregation: Record<string, string>; key: string }
  | { ok: false; errors: Array<{ column: string; code: string; message: string }> };

/**
 * Parses a value cell.
 *
 * @example parseValue('8.7', false)   // 8.7
 * @example parseValue('8,7', true)    // 8.7
 * @example parseValue('1,234', false) // null (a comma is not a decimal point in a ,-separated file)
 * @example parseValue('12%', false)   // null
 */
export function parseValue(cell: string, decimalComma: boolean): number | null {
  let text = cell;
  if (decimalComma && DECIMAL_COMMA.test(text)) text = text.replace(',', '.');
  if (!NUMBER.test(text)) return null;
  return Number(text);
}

function valueHint(cell: string): string {
  if (/%\s*$/.test(cell)) return ' (write the number without %)';
  if (/^[+-]?\d{1,3}([,.' ]\d{3})+([.,]\d+)?$/.test(cell)) return ' (write it without thousands separators)';
  if (/,/.test(cell)) return ' (use a decimal point, or ; as the column separator for decimal commas)';
  return '';
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const POOL = Buffer.alloc(16 * 1024);
let poolAt = POOL.length;

/**
 * A UUID version 7 (RFC 9562: 48-bit Unix milliseconds, then random bits), as `uuid`'s v7 makes, but from a
 * pooled buffer of random bytes: a million rows need a million ids, and one `randomFillSync` per id would
 * cost more than the rest of a row's checks.
 */
export function newPointId(now = Date.now()): string {
  if (poolAt + 10 > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  const r = POOL;
  const i = poolAt;
  poolAt += 10;
  const ms = now.toString(16).padStart(12, '0');
  return (
    `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${HEX[r[i]!]!.slice(1)}${HEX[r[i + 1]!]}-${HEX[(r[i + 2]! & 0x3f) | 0x80]}${HEX[r[i + 3]!]}-` +
    `${HEX[r[i + 4]!]}${HEX[r[i + 5]!]}${HEX[r[i + 6]!]}${HEX[r[i + 7]!]}${HEX[r[i + 8]!]}${HEX[r[i + 9]!]}`
  );
}

/** @example describeRowError({ row: 5, column: 'value', code: 'invalid_value', message: '"abc" is not a number' }) // 'row 5, value: "abc" is not a number' */
export function describeRowError(error: RowError): string {
  return `row ${error.row}${error.column === null ? '' : `, ${error.column}`}: ${error.message}`;
}

function cellAt(cells: string[], index: number | null): string {
  return index === null || index >= cells.length ? '' : restoreCell(cells[index]!.trim());
}

function hasReplacementChar(cells: string[]): boolean {
  for (const c of cells) if (c.includes('\uFFFD')) return true;
  return false;
}

function hasNul(cells: string[]): boolean {
  for (const c of cells) if (c.includes('\u0000')) return true;
  return false;
}

function isBlank(cells: string[]): boolean {
  for (const c of cells) if (c !== '' && c.trim() !== '') return false;
  return true;
}

function pushError(
  errors: RowError[],
  plan: ColumnPlan,
  row: number,
  column: number | null,
  code: string,
  message: string,
): void {
  errors.push({ row, column: column === null ? null : plan.headers[column]!, code, message });
}

type Fail = (column: number | null, code: string, message: string) => void;

/** A note/status/source cell: absent column or (by default) empty cell = not given. */
function textCell(
  cells: string[],
  index: number | null,
  max: number,
  emptyCells: RowOptions['emptyCells'],
  fail: Fail,
): { given: boolean; value: string | null } {
  if (index === null) return { given: false, value: null };
  const content = cellAt(cells, index);
  if (content === '') return emptyCells === 'clear' ? { given: true, value: null } : { given: false, value: null };
  if (content.length > max) fail(index, 'too_long', `has ${content.length} characters; at most ${max}`);
  return { given: true, value: content };
}

/** SDMX's names of the codes, as Open SDG files often spell them ("Normal value", "ESTIMATED VALUE"). */
const OBS_STATUS_NAMES = new Map([
  ['NORMAL VALUE', 'A'],
  ['NORMAL', 'A'],
  ['PROVISIONAL VALUE', 'P'],
  ['PROVISIONAL', 'P'],
  ['ESTIMATED VALUE', 'E'],
  ['ESTIMATED', 'E'],
  ['TIME SERIES BREAK', 'B'],
  ['BREAK IN SERIES', 'B'],
  ['BREAK', 'B'],
  ['MISSING VALUE', 'M'],
  ['MISSING', 'M'],
  ['FORECAST VALUE', 'F'],
  ['FORECAST', 'F'],
]);

/** An OBS_STATUS cell as a code: SDMX's names become their codes ("Estimated value" → E), codes are upper-cased. */
function normalizeObsStatus(raw: string): string {
  const folded = raw.trim().toUpperCase();
  return OBS_STATUS_NAMES.get(folded.replace(/[\s_-]+/g, ' ')) ?? folded;
}

/**
 * SDMX's OBS_STATUS: A, P, E, B or M, by code or by SDMX's name ("Estimated value"); F, a forecast, is not data.
 *
 * @example obsStatusCell(['Estimated value'], 0, fail) // { given: true, value: 'E' }
 */
function obsStatusCell(cells: string[], index: number | null, fail: Fail): { given: boolean; value: ObsStatus | null } {
  if (index === null) return { given: false, value: null };
  const raw = cellAt(cells, index);
  if (raw === '') return { given: false, value: null };
  const content = normalizeObsStatus(raw);
  if ((OBS_STATUSES as readonly string[]).includes(content)) return { given: true, value: content as ObsStatus };
  fail(
    index,
    'invalid_obs_status',
    content === 'F'
      ? 'is F (forecast): a forecast is not data; put it in the indicator’s forecastOverride'
      : `"${raw.slice(0, 30)}" is not an OBS_STATUS; use A (normal), P (provisional), E (estimated), B (break in series) or M (missing), or leave it empty`,
  );
  return { given: false, value: null };
}

/** `ACKNOWLEDGE` (codes separated by `|`) with the row's `COMMENT`, which it requires. */
function acknowledgeCells(
  cells: string[],
  plan: ColumnPlan,
  fail: Fail,
): Array<{ code: string; comment: string }> | null {
  if (plan.acknowledge === null) return null;
  const codes = cellAt(cells, plan.acknowledge)
    .split('|')
    .map((c) => c.trim())
    .filter(Boolean);
  if (codes.length === 0) return null;
  const comment = plan.comment === null ? '' : cellAt(cells, plan.comment);
  if (comment === '') {
    fail(plan.comment ?? plan.acknowledge, 'comment_required', 'acknowledging a warning needs a COMMENT saying why');
    return null;
  }
  if (comment.length > COMMENT_MAX)
    fail(plan.comment, 'too_long', `has ${comment.length} characters; at most ${COMMENT_MAX}`);
  return codes.map((code) => ({ code, comment }));
}

export class RowChecker {
  private readonly periodCache = new Map<string, Map<string, PeriodCheck>>();
  private readonly sliceCache = new Map<string, SliceCheck>();
  private readonly byCode = new Map<string, TargetIndicator>();
  private readonly byCodeFolded = new Map<string, TargetIndicator | 'ambiguous'>();
  private readonly byId = new Map<string, TargetIndicator>();
  private seriesSeen: { value: string; row: number } | null = null;
  private readonly today: string;
  private unitsSeen: { value: string; row: number } | null = null;

  constructor(
    private readonly plan: ColumnPlan,
    private readonly indicators: TargetIndicator[],
    /** The indicator of an indicator-level import (rows need no `indicator` cell); null for a result. */
    private readonly only: TargetIndicator | null,
    private readonly options: RowOptions,
  ) {
    this.today = options.today ?? utcToday();
    for (const indicator of indicators) {
      this.byId.set(indicator.id.toLowerCase(), indicator);
      if (indicator.code !== null) {
        this.byCode.set(indicator.code, indicator);
        const folded = indicator.code.toLowerCase();
        this.byCodeFolded.set(folded, this.byCodeFolded.has(folded) ? 'ambiguous' : indicator);
      }
    }
  }

  check(row: number, cells: string[]): RowOutcome {
    const { plan, options } = this;
    if (isBlank(cells)) return { kind: 'skipped', reason: 'blank' };
    const errors: RowError[] = [];
    const fail = (column: number | null, code: string, message: string) =>
      pushError(errors, plan, row, column, code, message);

    // Open SDG: rows without a value are "no data"; other series/units are filtered out or refused.
    if (plan.format === 'open_sdg') {
      const markedMissing = plan.obsStatus !== null && normalizeObsStatus(cellAt(cells, plan.obsStatus)) === 'M';
      if (cellAt(cells, plan.value) === '' && !markedMissing) return { kind: 'skipped', reason: 'no_value' };
      for (const [column, wanted, which] of [
        [plan.series, options.series, 'series'],
        [plan.units, options.units, 'units'],
      ] as const) {
        if (column === null) continue;
        const text = cellAt(cells, column);
        if (wanted !== undefined) {
          if (text !== wanted) return { kind: 'skipped', reason: which === 'series' ? 'other_series' : 'other_units' };
          continue;
        }
        const seen = which === 'series' ? this.seriesSeen : this.unitsSeen;
        if (seen === null) {
          if (which === 'series') this.seriesSeen = { value: text, row };
          else this.unitsSeen = { value: text, row };
        } else if (seen.value !== text) {
          fail(
            column,
            `mixed_${which}`,
            `"${text}" differs from "${seen.value}" (row ${seen.row}); import one ${which === 'series' ? 'series' : 'unit'} at a time, e.g. with ?${which}=${encodeURIComponent(seen.value)}`,
          );
        }
      }
    }

    for (let i = plan.headers.length; i < cells.length; i++) {
      if (cells[i]!.trim() !== '') {
        fail(
          null,
          'extra_cells',
          `has ${cells.length} cells but the header names ${plan.headers.length} columns (cell ${i + 1} is "${cells[i]!.trim().slice(0, 40)}")`,
        );
        break;
      }
    }
    for (const index of plan.unnamed) {
      if (cellAt(cells, index) !== '')
        fail(
          null,
          'unnamed_column',
          `column ${index + 1} has no name in the header but holds "${cellAt(cells, index).slice(0, 40)}"`,
        );
    }
    if (hasReplacementChar(cells)) {
      fail(
        null,
        'not_utf8',
        'contains characters that are not UTF-8; in Excel use Save As → "CSV UTF-8 (comma delimited)"',
      );
    }
    if (hasNul(cells))
      fail(null, 'nul_character', 'contains a NUL character (\\0), which text cannot hold; is this a binary file?');

    // Which indicator.
    let indicator = this.only;
    if (plan.indicator !== null) {
      const named = cellAt(cells, plan.indicator);
      if (named === '') {
        if (this.only === null) fail(plan.indicator, 'missing_indicator', "is empty; give the indicator's code or id");
      } else {
        const found = this.findIndicator(named);
        if (found === null) {
          fail(
            plan.indicator,
            'unknown_indicator',
            `"${named}" is not the code or id of an indicator of this ${this.only ? 'import' : 'result'}`,
          );
          indicator = null;
        } else if (this.only !== null && found.id !== this.only.id) {
          fail(
            plan.indicator,
            'other_indicator',
            `"${named}" names another indicator; this import writes ${this.only.code ?? this.only.id} only`,
          );
          indicator = null;
        } else {
          indicator = found;
        }
      }
    }
    if (indicator !== null && !indicator.writable) return { kind: 'forbidden', indicator };

    // Value.
    const valueCell = cellAt(cells, plan.value);
    let value: number | null = null;
    const obsStatus = obsStatusCell(cells, plan.obsStatus, fail);
    const missing = obsStatus.value === 'M';
    if (valueCell === '') {
      if (!missing)
        fail(
          plan.value,
          'missing_value',
          'is empty; every row needs a number (delete the row if there is no data, or mark it OBS_STATUS M)',
        );
    } else if (missing) {
      fail(plan.value, 'value_with_missing', 'holds a value but OBS_STATUS is M (missing); leave the value empty');
    } else {
      value = parseValue(valueCell, options.decimalComma);
      if (value === null)
        fail(plan.value, 'invalid_value', `"${valueCell.slice(0, 40)}" is not a number${valueHint(valueCell)}`);
      else if (!Number.isFinite(value) || Math.abs(value) > MAX_ABS_VALUE) {
        fail(plan.value, 'invalid_value', `${valueCell.slice(0, 40)} is out of range (±1e100)`);
        value = null;
      }
    }

    // Period, slice, note, status, source (the period and slice need the indicator).
    let periodIndex: number | null = null;
    let periodDays: { start: string; end: string } | null = null;
    const period = cellAt(cells, plan.period);
    let slice: SliceCheck | null = null;
    if (period === '') fail(plan.period, 'missing_period', 'is empty');
    if (indicator !== null) {
      if (period !== '') {
        const parsed = this.checkPeriod(indicator, period);
        if (parsed.ok) {
          periodIndex = parsed.index;
          periodDays = parsed.days;
        } else fail(plan.period, parsed.code, parsed.message);
      }
      slice = this.checkSlice(indicator, cells);
      if (!slice.ok) {
        for (const problem of slice.errors) {
          errors.push({ row, ...problem });
        }
      }
    }
    const note = textCell(cells, plan.note, NOTE_MAX, options.emptyCells, fail);
    const source = textCell(cells, plan.source, SOURCE_MAX, options.emptyCells, fail);
    const status = textCell(cells, plan.status, 20, options.emptyCells, fail);
    if (status.value !== null) {
      const folded = status.value.toLowerCase();
      if (folded === 'provisional' || folded === 'final') status.value = folded;
      else
        fail(
          plan.status,
          'invalid_status',
          `"${status.value}" is not a status; use provisional or final (or leave it empty)`,
        );
    }

    const footnote = textCell(cells, plan.footnote, FOOTNOTE_MAX, options.emptyCells, fail);
    const acknowledge = acknowledgeCells(cells, plan, fail);
    const statuses = statusFields({
      ...(status.given && { status: status.value as 'provisional' | 'final' | null }),
      ...(obsStatus.given && { obsStatus: obsStatus.value }),
    });
    if (obsStatus.value === 'P' && status.value === 'final')
      fail(plan.obsStatus, 'status_conflict', 'is P (provisional) but status is final');

    if (indicator !== null && periodDays !== null) {
      const timing = timingProblemOf(period, periodDays, statuses.status, this.today);
      if (timing) fail(plan.period, timing.code, timing.message);
    }

    if (
      errors.length > 0 ||
      indicator === null ||
      (value === null && !missing) ||
      periodIndex === null ||
      slice === null ||
      !slice.ok
    ) {
      return { kind: 'errors', errors };
    }
    return {
      kind: 'point',
      point: {
        ordinal: row,
        id: newPointId(),
        initiativeId: indicator.initiativeId,
        indicatorId: indicator.id,
        period,
        periodIndex,
        disaggregation: slice.disaggregation,
        disaggregationKey: slice.key,
        value,
        note: note.value,
        noteGiven: note.given,
        source: source.value,
        sourceGiven: source.given,
        ...statuses,
        footnote: footnote.value,
        footnoteGiven: footnote.given,
        acknowledge,
      },
    };
  }

  private findIndicator(named: string): TargetIndicator | null {
    const exact = this.byCode.get(named);
    if (exact) return exact;
    if (UUID.test(named)) return this.byId.get(named.toLowerCase()) ?? null;
    const folded = this.byCodeFolded.get(named.toLowerCase());
    return folded === undefined || folded === 'ambiguous' ? null : folded;
  }

  private checkPeriod(indicator: TargetIndicator, label: string): PeriodCheck {
    let cache = this.periodCache.get(indicator.id);
    if (!cache) this.periodCache.set(indicator.id, (cache = new Map<string, PeriodCheck>()));
    let known = cache.get(label);
    if (known === undefined) {
      const parsed = parsePeriod(label, indicator.calendar);
      known = parsed.ok
        ? { ok: true, index: parsed.index, days: periodDateRange(label, indicator.calendar) }
        : {
            ok: false,
            code: parsed.code,
            message: `${parsed.reason}${/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$|^[A-Za-z]{3}-\d{2}$/.test(label) ? ' (a spreadsheet may have turned it into a date: format the column as Text)' : ''}`,
          };
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(label, known);
    }
    return known;
  }

  private checkSlice(indicator: TargetIndicator, cells: string[]): SliceCheck {
    const { plan } = this;
    if (plan.dimensions.length === 0) return { ok: true, disaggregation: {}, key: '{}' };
    let cacheKey = indicator.id;
    for (const { index } of plan.dimensions) cacheKey += `\u0001${index < cells.length ? cells[index]!.trim() : ''}`;
    let known = this.sliceCache.get(cacheKey);
    if (known === undefined) {
      known = this.computeSlice(indicator, cells);
      if (this.sliceCache.size >= CACHE_LIMIT) this.sliceCache.clear();
      this.sliceCache.set(cacheKey, known);
    }
    return known;
  }

  private computeSlice(indicator: TargetIndicator, cells: string[]): SliceCheck {
    const disaggregation: Record<string, string> = {};
    const errors: Array<{ column: string; code: string; message: string }> = [];
    for (const { index, name } of this.plan.dimensions) {
      const given = index < cells.length ? restoreCell(cells[index]!.trim()) : '';
      if (given === '') continue;
      const column = this.plan.headers[index]!;
      const dimension = indicator.dimensions.find((d) => d.name === name);
      if (!dimension) {
        const declared = indicator.dimensions.map((d) => d.name).join(', ') || 'none';
        errors.push({
          column,
          code: 'undeclared_dimension',
          message: `${indicator.code ?? 'this indicator'} has no dimension ${name} (declared: ${declared}); leave the cell empty`,
        });
        continue;
      }
      let value: string | undefined = dimension.values.includes(given) ? given : undefined;
      if (value === undefined) {
        const folded = dimension.values.filter((v) => v.toLowerCase() === given.toLowerCase());
        if (folded.length === 1) value = folded[0];
      }
      if (value === undefined) {
        const shown = dimension.values.slice(0, 12).join(', ') + (dimension.values.length > 12 ? ', …' : '');
        errors.push({
          column,
          code: 'undeclared_dimension_value',
          message: `"${given.slice(0, 60)}" is not a declared value of ${name} (${shown})`,
        });
        continue;
      }
      disaggregation[name] = value;
    }
    if (errors.length > 0) return { ok: false, errors };
    return { ok: true, disaggregation, key: disaggregationKey(disaggregation) };
  }
}

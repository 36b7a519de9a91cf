/**
 * What each column of an import file means, decided once from its header. Pure.
 *
 * Two layouts are understood (docs/csv.md shows both):
 *
 * - **tidy** (this API's own, and what `data.csv` exports): `period`, `value`, one column per declared
 *   dimension (empty cell = the total over that dimension), and optionally `note`, `status`, `source`,
 *   SDMX's `OBS_STATUS` and `COMMENT_OBS` (footnote), and `ACKNOWLEDGE` + `COMMENT` (docs/data-quality.md); the
 *   result-level import adds `indicator` (an indicator's code or id). An indicator-level import accepts an
 *   `indicator` column too (a result's export cut down to one indicator), whose cells must name that indicator.
 * - **Open SDG** (national SDG reporting platforms): `Year` instead of `period`, `Value`, disaggregation columns
 *   named like the indicator's dimensions, and Open SDG's own columns, which are ignored: `Units`, `Series`,
 *   `GeoCode`, `Unit multiplier`, `Unit measure`, `Reporting type`, `Nature` (its `Observation status` and
 *   `COMMENT_OBS` are read as OBS_STATUS and the footnote). A file is Open SDG when it has a `Year` column and no `period` column.
 *
 * Names match without regard to case, spaces, `_` or `-` (`Observation status` = `observation_status`,
 * `Sex` = `sex`). Any other column is an error: a typo must not drop data silently, and a disaggregation
 * column that is not a declared dimension would mix slices into the total.
 */
import type { FieldProblem } from '../errors.ts';
import type { ImportFormat, ImportTargetKind } from '../../schema/vocabulary.ts';

export type { ImportFormat } from '../../schema/vocabulary.ts';
/** The level a file is imported at: one indicator, or the indicators of a result. */
export type ImportLevel = ImportTargetKind;

export interface DimensionColumn {
  index: number;
  /** The declared dimension's name. */
  name: string;
}

export interface ColumnPlan {
  format: ImportFormat;
  /** The header's cells as written (error messages name columns this way). */
  headers: string[];
  period: number;
  value: number;
  indicator: number | null;
  note: number | null;
  status: number | null;
  source: number | null;
  /** SDMX's observation status (`OBS_STATUS`, or Open SDG's `Observation status`) and footnote (`COMMENT_OBS`). */
  obsStatus: number | null;
  footnote: number | null;
  /** Warnings acknowledged (`ACKNOWLEDGE`: codes separated by `|`) and the comment that goes with them (`COMMENT`). */
  acknowledge: number | null;
  comment: number | null;
  /** Open SDG's `Series` and `Units` columns: ignored, but one file must not mix several of them. */
  series: number | null;
  units: number | null;
  dimensions: DimensionColumn[];
  /** Columns with an empty header: their cells must be empty too (Excel leaves such columns behind). */
  unnamed: number[];
}

/** Open SDG's own columns, which carry nothing this tracker stores (normalized names). */
export const OPEN_SDG_IGNORED_COLUMNS = [
  'units',
  'series',
  'geocode',
  'unit multiplier',
  'unit measure',
  'reporting type',
  'nature',
] as const;

/**
 * The form column names are compared in.
 *
 * @example normalizeColumnName(' Observation_Status ') // 'observation status'
 */
export function normalizeColumnName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
}

export type PlanOutcome =
  { ok: true; plan: ColumnPlan } | { ok: false; code: string; message: string; problems: FieldProblem[] };

/**
 * Decides what each column means.
 *
 * @example planColumns(['period', 'sex', 'value'], { level: 'indicator', dimensionNames: ['sex'] })
 *   // { ok: true, plan: { format: 'tidy', period: 0, value: 2, dimensions: [{ index: 1, name: 'sex' }], … } }
 * @example planColumns(['Year', 'Units', 'Sex', 'Value'], { level: 'indicator', dimensionNames: ['sex'] })
 *   // { ok: true, plan: { format: 'open_sdg', period: 0, value: 3, units: 1, dimensions: [{ index: 2, name: 'sex' }], … } }
 * @example planColumns(['period', 'valeu'], { level: 'indicator', dimensionNames: [] })
 *   // { ok: false, code: 'missing_columns', problems: [{ field: 'header.value', … }, { field: 'header.valeu', code: 'unknown_column', … }] }
 */
export function planColumns(
  rawHeaders: string[],
  context: { level: ImportLevel; dimensionNames: string[] },
): PlanOutcome {
  const headers = rawHeaders.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
  const names = headers.map(normalizeColumnName);
  const format: ImportFormat = !names.includes('period') && names.includes('year') ? 'open_sdg' : 'tidy';
  const periodName = format === 'open_sdg' ? 'year' : 'period';
  const dimensionByName = new Map(context.dimensionNames.map((name) => [normalizeColumnName(name), name]));
  const problems: FieldProblem[] = [];
  const plan: ColumnPlan = {
    format,
    headers,
    period: -1,
    value: -1,
    indicator: null,
    note: null,
    status: null,
    source: null,
    obsStatus: null,
    footnote: null,
    acknowledge: null,
    comment: null,
    series: null,
    units: null,
    dimensions: [],
    unnamed: [],
  };
  const seen = new Map<string, number>();
  const unknown: string[] = [];

  names.forEach((name, index) => {
    if (name === '') {
      plan.unnamed.push(index);
      return;
    }
    const first = seen.get(name);
    if (first !== undefined) {
      problems.push({
        field: `header.${headers[index]}`,
        code: 'duplicate_column',
        message: `column ${index + 1} ("${headers[index]}") repeats column ${first + 1} ("${headers[first]}")`,
      });
      return;
    }
    seen.set(name, index);
    if (name === periodName) plan.period = index;
    else if (name === 'value') plan.value = index;
    else if (name === 'indicator') plan.indicator = index;
    else if (name === 'note') plan.note = index;
    else if (name === 'status') plan.status = index;
    else if (name === 'source') plan.source = index;
    else if (name === 'obs status' || name === 'observation status') plan.obsStatus = index;
    else if (name === 'comment obs') plan.footnote = index;
    else if (name === 'acknowledge') plan.acknowledge = index;
    else if (name === 'comment') plan.comment = index;
    else if (dimensionByName.has(name)) plan.dimensions.push({ index, name: dimensionByName.get(name)! });
    else if (format === 'open_sdg' && name === 'series') plan.series = index;
    else if (format === 'open_sdg' && name === 'units') plan.units = index;
    else if (format === 'open_sdg' && (OPEN_SDG_IGNORED_COLUMNS as readonly string[]).includes(name)) return;
    else unknown.push(headers[index]!);
  });

  const missing: string[] = [];
  if (plan.period === -1) missing.push(format === 'open_sdg' ? 'Year' : 'period');
  if (plan.value === -1) missing.push(format === 'open_sdg' ? 'Value' : 'value');
  if (context.level === 'result' && plan.indicator === null) missing.push('indicator');
  for (const column of missing) {
    problems.unshift({
      field: `header.${column}`,
      code: 'missing_column',
      message: `the required column "${column}" is missing`,
    });
  }
  const declared = context.dimensionNames.length > 0 ? context.dimensionNames.join(', ') : 'none';
  const expected = [
    ...(context.level === 'result' ? ['indicator'] : []),
    format === 'open_sdg' ? 'Year' : 'period',
    'value',
    'note',
    'status',
    'source',
    'OBS_STATUS',
    'COMMENT_OBS',
    'ACKNOWLEDGE',
    'COMMENT',
  ].join(', ');
  for (const column of unknown) {
    problems.push({
      field: `header.${column}`,
      code: 'unknown_column',
      message: `"${column}" is not a column this import understands (expected ${expected}, or a declared dimension: ${declared}); remove the column or declare it as a dimension`,
    });
  }
  if (problems.length > 0) {
    const code = missing.length > 0 ? 'missing_columns' : unknown.length > 0 ? 'unknown_columns' : 'duplicate_columns';
    const summary = [
      missing.length > 0 ? `missing ${missing.map((c) => `"${c}"`).join(', ')}` : '',
      unknown.length > 0 ? `not understood ${unknown.map((c) => `"${c}"`).join(', ')}` : '',
      problems.some((p) => p.code === 'duplicate_column') ? 'a column appears twice' : '',
    ]
      .filter(Boolean)
      .join('; ');
    return {
      ok: false,
      code,
      message: `The header (row 1) cannot be used: ${summary}. Nothing was written.`,
      problems,
    };
  }
  return { ok: true, plan };
}

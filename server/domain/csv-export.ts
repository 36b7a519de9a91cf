/**
 * Tidy CSV for exports (docs/csv.md, "Exporting"): one row per data point, the columns an
 * import reads back — so exporting and importing again changes nothing (docs/csv.md). Pure: points in,
 * text out; quoting by csv-stringify.
 *
 * @example
 *   const layout = exportLayout([{ id, code: 'UNEMP', name, dimensions: [{ name: 'sex', values: […] }] }], 'result');
 *   layout.header  // ['indicator', 'period', 'sex', 'value', 'note', 'status', 'source', 'OBS_STATUS', 'COMMENT_OBS']
 *   csvText([layout.header, ...layout.rows(indicator, points)])
 *   // 'indicator,period,sex,value,note,status,source,OBS_STATUS,COMMENT_OBS\nUNEMP,2024,,8.7,"Plant closure, east side",final,LAUS,,\n'
 */
import { stringify } from 'csv-stringify/sync';
import { neutraliseCell } from './csv-formula.ts';

/** An indicator as an export names it and lays out its columns. */
export interface ExportIndicator {
  id: string;
  code: string | null;
  name: string;
  dimensions: Array<{ name: string; values: string[] }>;
}

/** One point as a row of the export. */
export interface ExportPoint {
  period: string;
  periodIndex: number;
  disaggregation: Record<string, string>;
  /** null for a point marked M (missing): an empty cell. */
  value: number | null;
  note: string | null;
  status: string | null;
  source: string | null;
  obsStatus: string | null;
  footnote: string | null;
  /** C when the cell is suppressed in this (public) export: its value is left empty. */
  confStatus?: 'C' | undefined;
}

export interface ExportLayout {
  header: string[];
  rows(indicator: ExportIndicator, points: readonly ExportPoint[]): string[][];
}

/**
 * The columns: (`indicator`,) `period`, every dimension of the indicators in their declared order, `value`,
 * `note`, `status`, `source`, and SDMX's `OBS_STATUS` and `COMMENT_OBS` (the footnote). The indicator is named by its code, or its id when it has none.
 * A public export of indicators with small-cell suppression adds SDMX's `CONF_STATUS` (C: suppressed, value empty).
 */
export function exportLayout(
  indicators: readonly ExportIndicator[],
  level: 'indicator' | 'result',
  options: { confStatus?: boolean } = {},
): ExportLayout {
  const dimensions: string[] = [];
  for (const indicator of indicators)
    for (const d of indicator.dimensions) if (!dimensions.includes(d.name)) dimensions.push(d.name);
  const header = [
    ...(level === 'result' ? ['indicator'] : []),
    'period',
    ...dimensions,
    'value',
    'note',
    'status',
    'source',
    'OBS_STATUS',
    'COMMENT_OBS',
    ...(options.confStatus ? ['CONF_STATUS'] : []),
  ];
  return {
    header,
    rows: (indicator, points) =>
      points.map((p) => [
        ...(level === 'result' ? [indicator.code ?? indicator.id] : []),
        p.period,
        ...dimensions.map((name) => p.disaggregation[name] ?? ''),
        // The shortest text that reads back as the same double (8.7, 0.30000000000000004, 1e+21).
        p.value === null || p.confStatus === 'C' ? '' : String(p.value),
        // A suppressed cell's note may quote its number: withheld with it.
        p.confStatus === 'C' ? '' : (p.note ?? ''),
        p.status ?? '',
        p.source ?? '',
        // As stored (P for a provisional value): importing the file again changes nothing.
        p.obsStatus ?? (p.status === 'provisional' ? 'P' : ''),
        p.footnote ?? '',
        ...(options.confStatus ? [p.confStatus ?? 'F'] : []),
      ]),
  };
}

/**
 * Rows as CSV text: quoted where needed (separators, quotes, line breaks), `\n` line ends, and cells a
 * spreadsheet would run as formulas neutralised (domain/csv-formula.ts).
 */
export function csvText(rows: string[][]): string {
  return stringify(
    rows.map((row) => row.map(neutraliseCell)),
    { record_delimiter: '\n' },
  );
}

/**
 * A file name for Content-Disposition: letters, digits, `-`, `_` and `.` only.
 *
 * @example exportFileName('UNEMP_RATE', undefined)        // 'UNEMP_RATE.csv'
 * @example exportFileName('Rate (%) / East', new Date('2026-01-31T00:00:00Z')) // 'Rate-East-as-of-2026-01-31.csv'
 */
export function exportFileName(base: string, asOf: Date | undefined): string {
  const safe =
    base
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'data';
  return `${safe}${asOf ? `-as-of-${asOf.toISOString().slice(0, 10)}` : ''}.csv`;
}

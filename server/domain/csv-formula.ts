/**
 * CSV formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with `=`, `+`, `-`,
 * `@`, a tab or a carriage return as a formula (`=HYPERLINK(…)`, `@cmd`), so an export of public notes could
 * act on the machine of whoever opens it. Exports put a single quote before such a cell (spreadsheets show
 * it as text and hide the quote); imports take that one quote off again, so an export round-trips unchanged.
 * Plain numbers (`-1.5`, `+3`, `-1e-7`) are numbers, not formulas, and are written as they are.
 *
 * @example neutraliseCell('=1+1')   // "'=1+1"
 * @example neutraliseCell('-1.5')   // '-1.5'
 * @example neutraliseCell("'=1+1")  // "''=1+1" (so the import gives back "'=1+1")
 * @example restoreCell("'=1+1")     // '=1+1'
 * @example restoreCell("'2024-07")  // "'2024-07" (not a neutralised cell: left as it is)
 */

/** A cell a spreadsheet would run: a trigger character, possibly after quotes already added. */
const FORMULA = /^'*[=+\-@\t\r]/;
/** A neutralised cell: one added quote, then a cell that would otherwise run. */
const NEUTRALISED = /^'(?='*[=+\-@\t\r])/;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The cell as an export writes it: a quote first when a spreadsheet would read it as a formula. */
export function neutraliseCell(cell: string): string {
  return FORMULA.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/** The cell as it was before {@link neutraliseCell}: the one added quote removed. */
export function restoreCell(cell: string): string {
  return NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}

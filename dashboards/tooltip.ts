/**
 * Tooltips that skip the fields a row does not have.
 *
 * Vega-Lite compiles a tooltip list such as `[{ field: 'note', title: 'Note' }]` to
 * `isValid(datum.note) ? datum.note : "" + datum.note`, so a point without a note would show "Note: undefined".
 * Instead, a `calculate` transform builds the tooltip as an object (`{ 'Note': datum['note'] }`): a missing
 * field is `undefined` there, and vega-tooltip leaves `undefined` entries out of its table. The same entries
 * make each mark's ARIA description ("Period: 2023; Value: 6.9%; Note: …"), again skipping missing fields, so a
 * screen reader hears what a mouse user sees.
 *
 * The data themselves stay flat, so a client restyling a spec still finds `period`, `valueText`, `note`, ….
 */

/** One line of a tooltip: its title and the data field it shows (a string field). */
export type TooltipEntry = readonly [title: string, field: string];

/** The fields the transforms below add to each row. */
export const TOOLTIP_FIELD = 'tooltip';
export const DESCRIPTION_FIELD = 'description';

/**
 * The `calculate` transforms that add the tooltip object and the ARIA description to each row.
 *
 * @example
 * tooltipTransforms([['Period', 'period'], ['Note', 'note']])
 * // [{ calculate: '{"Period": datum["period"], "Note": datum["note"]}', as: 'tooltip' },
 * //  { calculate: 'substring((isValid(datum["period"]) ? "; Period: " + datum["period"] : "") + (…), 2)', as: 'description' }]
 */
export function tooltipTransforms(entries: readonly TooltipEntry[]) {
  const object = `{${entries.map(([title, field]) => `${literal(title)}: ${datum(field)}`).join(', ')}}`;
  const parts = entries.map(
    ([title, field]) => `(isValid(${datum(field)}) ? ${literal(`; ${title}: `)} + ${datum(field)} : "")`,
  );
  return [
    { calculate: object, as: TOOLTIP_FIELD },
    { calculate: `substring(${parts.join(' + ')}, 2)`, as: DESCRIPTION_FIELD },
  ];
}

/** The encoding channels that use the fields {@link tooltipTransforms} adds. */
export function tooltipEncoding() {
  return {
    tooltip: { field: TOOLTIP_FIELD, type: 'nominal' as const },
    description: { field: DESCRIPTION_FIELD, type: 'nominal' as const },
  };
}

function datum(field: string): string {
  return `datum[${literal(field)}]`;
}

/** A string literal of the Vega expression language (JSON's double-quoted strings are valid ones). */
function literal(text: string): string {
  return JSON.stringify(text);
}

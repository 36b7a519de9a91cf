/** The data entry grid and the CSV import pages. */
import { csrfField, esc, page, type PageFrame } from './html.ts';
import type { Crumb } from './browse.ts';
import { TEXT } from './text.ts';

type Frame = Pick<PageFrame, 'csrf' | 'person' | 'notice'>;

export interface GridColumn {
  /** null for the total. */
  dimension: string | null;
  value: string | null;
}

export interface GridCell {
  /** What the input shows (the stored value, or what the person typed). */
  value: string;
  /** The stored value when the form was read ('' when none): unchanged cells are not sent. */
  original: string;
  /** The stored version when the form was read (0 when none): If-Match for this cell. */
  version: number;
  error?: string | undefined;
  /** Unacknowledged data-quality warnings of the value: shown with "I checked this value" and Comment. */
  warnings?: Array<{ code: string; message: string }> | undefined;
  /** The value the warnings are about (carried, so that they are dropped once the value is changed). */
  warnedValue?: string | undefined;
  /** The warnings refused the save (the initiative blocks unacknowledged warnings). */
  blocking?: boolean | undefined;
  acknowledge?: boolean | undefined;
  comment?: string | undefined;
  commentError?: string | undefined;
}

export interface GridRow {
  period: string;
  /** A row added with Add period when the indicator had no data: its period is typed in. */
  periodEditable: boolean;
  periodError?: string | undefined;
  cells: GridCell[];
}

export interface GridView {
  id: string;
  name: string;
  crumbs: Crumb[];
  columns: GridColumn[];
  rows: GridRow[];
  periodExample: string;
  problem: string | null;
  /** The paste script's URL (served from /assets): it only enhances, the form works without it. */
  pasteScript: string;
}

function cellLabel(period: string, column: GridColumn): string {
  return column.dimension === null
    ? TEXT.valueFor(period)
    : TEXT.valueForGroup(period, column.dimension, column.value ?? '');
}

/** A cell's warnings, and "I checked this value" with a Comment (grouped, the legend naming the cell). */
function acknowledgeFields(
  id: string,
  r: number,
  k: number,
  name: string,
  cell: GridCell,
  warnings: ReadonlyArray<{ code: string; message: string }>,
): string {
  const carried = warnings
    .map((w) => `<input type="hidden" name="w.${r}.${k}" value="${esc(`${w.code}|${w.message}`)}">`)
    .join('');
  const commentDescribed = [`${id}-comment-hint`, cell.commentError && `${id}-comment-error`].filter(Boolean).join(' ');
  const text =
    warnings.length === 1
      ? ` ${esc(warnings[0]!.message)}`
      : `<ul>${warnings.map((w) => `<li>${esc(w.message)}</li>`).join('')}</ul>`;
  return `<div class="warning" id="${id}-warn"><strong>${esc(TEXT.warning)}:</strong>${text}</div>${carried}<input type="hidden" name="wv.${r}.${k}" value="${esc(cell.warnedValue ?? cell.value)}">
<fieldset class="ack"><legend class="visually-hidden">${esc(TEXT.acknowledgeLegend(name))}</legend>
<div class="check"><input type="checkbox" id="${id}-ack" name="ack.${r}.${k}" value="1"${cell.acknowledge ? ' checked' : ''} aria-describedby="${id}-warn"><label for="${id}-ack">${esc(TEXT.iCheckedThisValue)}</label></div>
<label for="${id}-comment">${esc(TEXT.comment)}</label><span class="hint" id="${id}-comment-hint">${esc(TEXT.commentHint)}</span>${
    cell.commentError ? `<span class="field-error" id="${id}-comment-error">${esc(cell.commentError)}</span>` : ''
  }<input type="text" id="${id}-comment" name="comment.${r}.${k}" value="${esc(cell.comment ?? '')}" maxlength="2000" aria-describedby="${commentDescribed}"${cell.commentError ? ' aria-invalid="true"' : ''}></fieldset>`;
}

export function gridPage(frame: Frame, view: GridView): string {
  const errors: Array<{ id: string; message: string }> = [];
  /** Recorded warnings nobody has acknowledged yet (they did not stop anything). */
  const warnings: Array<{ id: string; message: string }> = [];
  const head = `<tr><th scope="col">${esc(TEXT.period)}</th>${view.columns
    .map((c) => `<th scope="col">${esc(c.dimension === null ? TEXT.total : `${c.dimension}: ${c.value}`)}</th>`)
    .join('')}</tr>`;
  const body = view.rows
    .map((row, r) => {
      let periodCell: string;
      if (row.periodEditable) {
        if (row.periodError) errors.push({ id: `period-${r}`, message: row.periodError });
        periodCell = `<th scope="row"><label for="period-${r}">${esc(TEXT.newPeriod)}</label>
<span class="hint" id="period-${r}-hint">${esc(TEXT.newPeriodHelp(view.periodExample))}</span>
${row.periodError ? `<span class="field-error" id="period-${r}-error">${esc(row.periodError)}</span>` : ''}
<input type="hidden" name="editable.${r}" value="1"><input type="text" id="period-${r}" name="period" value="${esc(row.period)}" aria-describedby="period-${r}-hint${row.periodError ? ` period-${r}-error` : ''}"${row.periodError ? ' aria-invalid="true"' : ''}></th>`;
      } else {
        periodCell = `<th scope="row">${esc(row.period)}<input type="hidden" name="period" value="${esc(row.period)}"></th>`;
      }
      const label = row.periodEditable ? row.period || TEXT.newPeriod : row.period;
      const cells = row.cells
        .map((cell, k) => {
          const id = `c-${r}-${k}`;
          const name = cellLabel(label, view.columns[k]!);
          if (cell.error) errors.push({ id, message: `${name}: ${cell.error}` });
          const warned = cell.warnings?.length ? cell.warnings : null;
          if (warned) {
            const list = cell.commentError || cell.blocking ? errors : warnings;
            list.push({
              id: cell.commentError ? `${id}-comment` : `${id}-ack`,
              message: `${name}: ${cell.commentError ?? warned.map((w) => w.message).join('; ')}`,
            });
          }
          const describedBy = [cell.error && `${id}-error`, warned && `${id}-warn`].filter(Boolean).join(' ');
          const invalid = cell.error || (warned && cell.blocking && !cell.acknowledge);
          const error = cell.error ? `<span class="field-error" id="${id}-error">${esc(cell.error)}</span>` : '';
          return `<td>${error}<input type="text" inputmode="decimal" id="${id}" name="v.${r}.${k}" value="${esc(cell.value)}" aria-label="${esc(name)}"${invalid ? ' aria-invalid="true"' : ''}${describedBy ? ` aria-describedby="${describedBy}"` : ''}>
<input type="hidden" name="o.${r}.${k}" value="${esc(cell.original)}"><input type="hidden" name="ver.${r}.${k}" value="${cell.version}">${warned ? acknowledgeFields(id, r, k, name, cell, warned) : ''}</td>`;
        })
        .join('');
      return `<tr>${periodCell}${cells}</tr>`;
    })
    .join('');
  const summary =
    view.problem || errors.length
      ? `<div class="problem" role="alert" tabindex="-1"><h2>${esc(TEXT.errorSummary)}</h2>${view.problem ? `<p>${esc(view.problem)}</p>` : ''}${
          errors.length
            ? `<ul>${errors.map((e) => `<li><a href="#${e.id}">${esc(e.message)}</a></li>`).join('')}</ul>`
            : ''
        }</div>`
      : '';
  const toCheck = warnings.length
    ? `<section class="warnings" aria-labelledby="warnings-heading"><h2 id="warnings-heading">${esc(TEXT.warningsHeading)}</h2><p>${esc(TEXT.warningsHelp)}</p><ul>${warnings
        .map((w) => `<li><a href="#${w.id}">${esc(w.message)}</a></li>`)
        .join('')}</ul></section>`
    : '';
  return page(
    { ...frame, title: TEXT.gridTitle(view.name), crumbs: view.crumbs },
    `${summary}${toCheck}<p class="hint">${esc(TEXT.gridHelp)}</p>
<form method="post" action="/app/indicators/${esc(view.id)}/data" class="grid">${csrfField(frame.csrf)}
<div class="table-wrap" tabindex="0" role="region" aria-label="${esc(view.name)}"><table><caption>${esc(view.name)}</caption><thead>${head}</thead><tbody>${body}</tbody></table></div>
<p class="hint">${esc(TEXT.pasteHint)}</p><p id="paste-status" aria-live="polite" data-filled-one="${esc(TEXT.pasteFilledOne)}" data-filled="${esc(TEXT.pasteFilled)}" data-left-out-one="${esc(TEXT.pasteLeftOutOne)}" data-left-out="${esc(TEXT.pasteLeftOut)}"></p>
<div class="actions"><button type="submit" name="action" value="add" class="secondary">${esc(TEXT.addPeriod)}</button>
<button type="submit" name="action" value="save">${esc(TEXT.save)}</button></div></form><script defer src="${esc(view.pasteScript)}"></script>`,
  );
}

export interface ImportView {
  action: string;
  name: string;
  crumbs: Crumb[];
  backHref: string;
  problem: string | null;
  report: {
    rows: number;
    inserted: number;
    updated: number;
    unchanged: number;
    rejected: number;
    skipped: number;
    errors: Array<{ row: number; column: string | null; message: string }>;
    /** Data-quality warnings (recorded as flags with the values when imported). */
    warningCount: number;
    warnings: Array<{ row: number; code: string; message: string; acknowledged: boolean }>;
    /** Stored values the file changes, old → new. */
    changes: Array<{
      row: number;
      period: string;
      disaggregation: Record<string, string>;
      old: number | null;
      new: number | null;
    }>;
  } | null;
  /** The initiative blocks unacknowledged warnings and the file has some: no Import until they are acknowledged. */
  mustAcknowledge: boolean;
  /** After a clean check: the file's text, carried to the Import button. */
  readyCsv: string | null;
  done: string | null;
}

export function importPage(frame: Frame, view: ImportView): string {
  const problem = view.problem ? `<p class="problem" role="alert">${esc(view.problem)}</p>` : '';
  let report = '';
  if (view.report) {
    const r = view.report;
    const counts: Array<[string, number]> = [
      [TEXT.rows, r.rows],
      [TEXT.inserted, r.inserted],
      [TEXT.updated, r.updated],
      [TEXT.unchanged, r.unchanged],
      [TEXT.rejected, r.rejected],
      [TEXT.skipped, r.skipped],
    ];
    report = `<h2>${esc(TEXT.checkHeading)}</h2><div class="table-wrap" tabindex="0" role="region" aria-label="${esc(TEXT.checkHeading)}"><table><tbody>${counts
      .map(([label, n]) => `<tr><th scope="row">${esc(label)}</th><td class="num">${n}</td></tr>`)
      .join('')}</tbody></table></div>`;
    if (r.errors.length)
      report += `<h2>${esc(TEXT.errorsHeading)}</h2><p class="problem" role="alert">${esc(TEXT.fixAndCheck)}</p><div class="table-wrap" tabindex="0" role="region" aria-label="${esc(TEXT.errorsHeading)}"><table><thead><tr><th scope="col">${esc(TEXT.row)}</th><th scope="col">${esc(TEXT.column)}</th><th scope="col">${esc(TEXT.problem)}</th></tr></thead><tbody>${r.errors
        .map((e) => `<tr><td class="num">${e.row}</td><td>${esc(e.column ?? '')}</td><td>${esc(e.message)}</td></tr>`)
        .join('')}</tbody></table></div>`;
    if (r.warnings.length)
      report += `<h2 id="warnings-heading">${esc(TEXT.importWarningsHeading)}</h2>${
        view.mustAcknowledge
          ? `<p class="problem" role="alert">${esc(TEXT.importMustAcknowledge)}</p>`
          : `<p class="hint">${esc(TEXT.importWarningsHelp)}</p>`
      }<div class="table-wrap" tabindex="0" role="region" aria-labelledby="warnings-heading"><table><thead><tr><th scope="col">${esc(TEXT.row)}</th><th scope="col">${esc(TEXT.check)}</th><th scope="col">${esc(TEXT.problem)}</th><th scope="col">${esc(TEXT.state)}</th></tr></thead><tbody>${r.warnings
        .map(
          (w) =>
            `<tr><td class="num">${w.row}</td><td><code>${esc(w.code)}</code></td><td>${esc(w.message)}</td><td>${
              w.acknowledged
                ? `<span class="flag checked">${esc(TEXT.acknowledgedInFile)}</span>`
                : `<span class="flag unverified">${esc(TEXT.unverified)}</span>`
            }</td></tr>`,
        )
        .join('')}</tbody></table></div>${
        r.warningCount > r.warnings.length
          ? `<p>${esc(TEXT.moreNotListed(r.warningCount - r.warnings.length))}</p>`
          : ''
      }`;
    if (r.changes.length)
      report += `<h2 id="changes-heading">${esc(TEXT.changesHeading)}</h2><div class="table-wrap" tabindex="0" role="region" aria-labelledby="changes-heading"><table><thead><tr><th scope="col">${esc(TEXT.row)}</th><th scope="col">${esc(TEXT.period)}</th><th scope="col">${esc(TEXT.group)}</th><th scope="col">${esc(TEXT.oldValue)}</th><th scope="col">${esc(TEXT.newValue)}</th></tr></thead><tbody>${r.changes
        .map(
          (c) =>
            `<tr><td class="num">${c.row}</td><td>${esc(c.period)}</td><td>${esc(
              Object.entries(c.disaggregation)
                .map(([k, v]) => `${k}: ${v}`)
                .join(', ') || TEXT.total,
            )}</td><td class="num">${esc(c.old ?? TEXT.missingValue)}</td><td class="num">${esc(c.new ?? TEXT.missingValue)}</td></tr>`,
        )
        .join('')}</tbody></table></div>`;
  }
  const confirm =
    view.readyCsv !== null
      ? `<p class="notice" role="status">${esc(TEXT.readyToImport)}</p><form method="post" action="${esc(view.action)}/confirm">${csrfField(frame.csrf)}
<input type="hidden" name="csv" value="${esc(view.readyCsv)}"><div class="actions"><button type="submit">${esc(TEXT.import)}</button></div></form>`
      : '';
  const done = view.done
    ? `<p class="notice" role="status">${esc(view.done)}</p><p><a href="${esc(view.backHref)}">${esc(TEXT.backToIndicator)}</a></p>`
    : '';
  const upload = `<form method="post" action="${esc(view.action)}" enctype="multipart/form-data">${csrfField(frame.csrf)}
<p class="hint" id="csv-help">${esc(TEXT.importHelp)}</p>
<label for="csv-file">${esc(TEXT.csvFile)}</label><input type="file" id="csv-file" name="file" accept=".csv,text/csv" required aria-describedby="csv-help">
<div class="actions"><button type="submit" class="${view.readyCsv !== null ? 'secondary' : ''}">${esc(TEXT.checkFile)}</button></div></form>`;
  return page(
    { ...frame, title: TEXT.importTitle(view.name), crumbs: view.crumbs },
    `${problem}${done}${report}${confirm}${done ? '' : upload}`,
  );
}

/** The browse pages: initiatives → results (scorecard, tree, due/late) → indicator (chart, analysis, data). */
import type { Action } from '../../schema/contracts/actions.ts';
import type { CurveReport } from '../../schema/contracts/curve-reports.ts';
import { csrfField, esc, page, type PageFrame } from './html.ts';
import { TEXT } from './text.ts';

type Frame = Pick<PageFrame, 'csrf' | 'person' | 'notice'>;

export interface Crumb {
  href: string;
  label: string;
}

export function initiativesPage(frame: Frame, initiatives: Array<{ id: string; name: string }>): string {
  const list = initiatives.length
    ? `<ul>${initiatives.map((i) => `<li><a href="/app/initiatives/${esc(i.id)}">${esc(i.name)}</a></li>`).join('')}</ul>`
    : `<p>${esc(TEXT.noInitiatives)}</p>`;
  return page({ ...frame, title: TEXT.initiativesTitle }, list);
}

export interface InitiativeView {
  id: string;
  name: string;
  results: Array<{ id: string; statement: string }>;
  late: Array<{ indicatorId: string; name: string; reason: string }>;
  due: Array<{ indicatorId: string; name: string; period: string; date: string }>;
}

export function initiativePage(frame: Frame, view: InitiativeView): string {
  const results = view.results.length
    ? `<ul>${view.results.map((r) => `<li><a href="/app/results/${esc(r.id)}">${esc(r.statement)}</a></li>`).join('')}</ul>`
    : `<p>${esc(TEXT.noResults)}</p>`;
  const late = view.late.length
    ? `<ul>${view.late
        .map((l) => `<li><a href="/app/indicators/${esc(l.indicatorId)}">${esc(l.name)}</a>: ${esc(l.reason)}</li>`)
        .join('')}</ul>`
    : `<p>${esc(TEXT.nothingLate)}</p>`;
  const due = view.due.length
    ? `<ul>${view.due
        .map(
          (d) =>
            `<li><a href="/app/indicators/${esc(d.indicatorId)}">${esc(d.name)}</a>: ${esc(d.period)} — ${esc(d.date)}</li>`,
        )
        .join('')}</ul>`
    : `<p>${esc(TEXT.nothingDue)}</p>`;
  return page(
    { ...frame, title: view.name, crumbs: [{ href: '/app', label: TEXT.home }] },
    `<h2>${esc(TEXT.resultsHeading)}</h2>${results}<h2>${esc(TEXT.lateHeading)}</h2>${late}<h2>${esc(TEXT.dueHeading)}</h2>${due}`,
  );
}

export interface TreeNode {
  title: string;
  indicators: Array<{ id: string; name: string }>;
  outcomes: TreeNode[];
}

export interface ResultView {
  id: string;
  statement: string;
  initiative: { id: string; name: string };
  scorecardHtml: string;
  stylesheet: string;
  tree: TreeNode;
  canWrite: boolean;
}

function treeHtml(node: TreeNode, depth: number): string {
  const indicators = node.indicators.map((i) => `<li><a href="/app/indicators/${esc(i.id)}">${esc(i.name)}</a></li>`);
  const outcomes = node.outcomes.map((o) => `<li>${esc(o.title)}${treeHtml(o, depth + 1)}</li>`);
  const items = [...indicators, ...outcomes];
  return items.length ? `<ul>${items.join('')}</ul>` : '';
}

export function resultPage(frame: Frame, view: ResultView): string {
  const importLink = `<ul class="links">${
    view.canWrite
      ? `<li><a class="button secondary" href="/app/results/${esc(view.id)}/import">${esc(TEXT.importResultCsv)}</a></li>`
      : ''
  }<li><a class="button secondary" href="/app/results/${esc(view.id)}/data-quality">${esc(TEXT.dataQuality)}</a></li></ul>`;
  return page(
    {
      ...frame,
      title: view.statement,
      stylesheets: [view.stylesheet],
      crumbs: [
        { href: '/app', label: TEXT.home },
        { href: `/app/initiatives/${view.initiative.id}`, label: view.initiative.name },
      ],
    },
    `${importLink}<h2>${esc(TEXT.treeHeading)}</h2>${treeHtml(view.tree, 0)}<h2>${esc(TEXT.scorecardHeading)}</h2>${view.scorecardHtml}`,
  );
}

export interface IndicatorView {
  id: string;
  name: string;
  crumbs: Crumb[];
  svg: string;
  summary: string;
  columns: Array<{ dimension: string | null; value: string | null }>;
  rows: Array<{
    period: string;
    values: Array<string | null>;
    /** A flagged value: unverified (a warning nobody has acknowledged) or checked; links to its entry. */
    marks?: Array<{ state: 'unverified' | 'checked'; anchor: string } | null>;
  }>;
  /** The current values stored with data-quality flags, newest period first. */
  flagged?: FlaggedValue[];
  /** A refused acknowledgement: the flag's form shows the message and keeps the comment. */
  flagError?: { pointId: string; code: string; message: string; comment: string } | null;
  embed: { html: string; url: string } | null;
  canWrite: boolean;
  /** The indicator's result (its data-quality page). */
  resultId?: string;
  /** Members only: each period's publication state, and whether the person may submit drafts for review. */
  publication?: PublicationView | null;
  /** The turn-the-curve report and the actions (public ones only for people outside the partnership). */
  accountability?: AccountabilityView | null;
}

/** The turn-the-curve report and the actions of an indicator (services/workspace-browse.ts). */
export interface AccountabilityView {
  report: CurveReport | null;
  actions: Action[];
}

/** The report's RBA questions, each under its heading; only those answered. */
function reportSection(report: CurveReport | null): string {
  const body = (() => {
    if (report === null) return `<p>${esc(TEXT.noReport)}</p>`;
    const parts: string[] = [];
    const h3 = (text: string) => `<h3>${esc(text)}</h3>`;
    if (report.story) parts.push(h3(TEXT.reportStory), paragraphs(report.story));
    if (report.forces.length > 0)
      parts.push(
        h3(TEXT.reportForces),
        `<ul>${report.forces
          .map(
            (force) =>
              `<li>${esc(force.description)} (${esc(TEXT.forceDirections[force.direction] ?? force.direction)})</li>`,
          )
          .join('')}</ul>`,
      );
    if (report.partners.length > 0)
      parts.push(
        h3(TEXT.reportPartners),
        `<ul>${report.partners.map((partner) => `<li><strong>${esc(partner.name)}</strong>: ${esc(partner.role)}</li>`).join('')}</ul>`,
      );
    if (report.whatWorks.length > 0)
      parts.push(
        h3(TEXT.reportWhatWorks),
        `<ul>${report.whatWorks
          .map(
            (idea) =>
              `<li>${esc(idea.idea)}${idea.cost ? ` (${esc(TEXT.ideaCosts[idea.cost] ?? idea.cost)})` : ''}${
                idea.evidence ? `<span class="hint">${esc(TEXT.evidence(idea.evidence))}</span>` : ''
              }</li>`,
          )
          .join('')}</ul>`,
      );
    if (report.actionPlan) parts.push(h3(TEXT.reportActionPlan), paragraphs(report.actionPlan));
    if (report.updatedAt)
      parts.push(
        `<p class="hint">${esc(TEXT.reportUpdated(report.updatedAt.slice(0, 16).replace('T', ' '), report.updatedBy ?? TEXT.someone))}</p>`,
      );
    return parts.join('');
  })();
  return `<section aria-labelledby="report-heading"><h2 id="report-heading">${esc(TEXT.reportHeading)}</h2>${body}</section>`;
}

/** Text with blank lines as paragraphs. */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${esc(paragraph.trim())}</p>`)
    .join('');
}

/** The actions meant to turn the curve: who, when, and how they stand today. */
function actionsSection(actions: Action[]): string {
  const body =
    actions.length === 0
      ? `<p>${esc(TEXT.noActions)}</p>`
      : `<div class="table-wrap" tabindex="0" role="region" aria-labelledby="actions-heading"><table><thead><tr><th scope="col">${esc(
          TEXT.actionTitle,
        )}</th><th scope="col">${esc(TEXT.actionOwner)}</th><th scope="col">${esc(TEXT.actionDates)}</th><th scope="col">${esc(
          TEXT.actionStatus,
        )}</th></tr></thead><tbody>${actions
          .map((action) => {
            const timing =
              action.timing === 'overdue' && action.daysOverdue !== null
                ? TEXT.daysOverdue(action.daysOverdue)
                : (TEXT.actionTimings[action.timing] ?? action.timing);
            const status = [
              TEXT.actionStatuses[action.status] ?? action.status,
              ...(timing !== (TEXT.actionStatuses[action.status] ?? action.status) ? [timing] : []),
              ...(action.quickWin ? [TEXT.quickWin] : []),
            ].join(', ');
            return `<tr><th scope="row">${esc(action.title)}${
              action.description ? `<span class="hint">${esc(action.description)}</span>` : ''
            }</th><td>${esc(action.ownerPartnerName ?? '')}</td><td>${esc(`${action.start} – ${action.due}`)}</td><td>${
              action.overdue ? `<strong>${esc(status)}</strong>` : esc(status)
            }</td></tr>`;
          })
          .join('')}</tbody></table></div>`;
  return `<section aria-labelledby="actions-heading"><h2 id="actions-heading">${esc(TEXT.actionsHeading)}</h2>${body}</section>`;
}

export interface PublicationView {
  items: Array<{ period: string; state: string }>;
  canSubmit: boolean;
  /** A refused submission: its message, and the periods that were ticked. */
  error?: { message: string; periods: string[] } | null;
  /** The person reviews this indicator: may retract and reopen periods. */
  canReview?: boolean;
  /** A refused retract or reopen: its message, the period chosen and the reason typed. */
  changeError?: { message: string; period: string; reason: string } | null;
}

/** For reviewers: retract a published period, or reopen an approved, published or retracted one (reason required). */
function changePublishedForm(id: string, view: PublicationView, csrf: string): string {
  const periods = view.items.filter((item) => ['approved', 'published', 'retracted'].includes(item.state));
  const failed = view.changeError ?? null;
  const error = failed ? `<p class="field-error" role="alert" id="change-error">${esc(failed.message)}</p>` : '';
  // A refusal is shown even when no period is left to offer (the period moved meanwhile).
  if (!view.canReview || periods.length === 0) return error;
  const described = (hint: string) => ` aria-describedby="${hint}${failed ? ' change-error' : ''}"`;
  return `<form method="post" action="/app/indicators/${esc(id)}/publication/change">${csrfField(csrf)}<fieldset class="ack"><legend><strong>${esc(
    TEXT.changePublished,
  )}</strong></legend><p class="hint" id="change-help">${esc(TEXT.changePublishedHelp)}</p>${error}
<label for="change-period">${esc(TEXT.changePeriod)}</label><select id="change-period" name="period"${described('change-help')}>${periods
    .map(
      (item) =>
        `<option value="${esc(item.period)}"${failed?.period === item.period ? ' selected' : ''}>${esc(
          TEXT.changePeriodOption(item.period, TEXT.publicationStates[item.state] ?? item.state),
        )}</option>`,
    )
    .join('')}</select>
<label for="change-reason">${esc(TEXT.reason)}</label><span class="hint" id="change-reason-hint">${esc(TEXT.changeReasonHint)}</span>
<input type="text" id="change-reason" name="reason" maxlength="2000" value="${esc(failed?.reason ?? '')}"${described('change-reason-hint')}${
    failed ? ' aria-invalid="true"' : ''
  }>
<div class="actions"><button type="submit" name="action" value="retract" class="secondary">${esc(TEXT.retract)}</button> <button type="submit" name="action" value="reopen" class="secondary">${esc(TEXT.reopen)}</button></div></fieldset></form>`;
}

/** The periods' publication states and, for whoever may enter the data, a form to submit drafts. */
function publicationSection(id: string, view: PublicationView, csrf: string): string {
  const states = view.items.length
    ? `<div class="table-wrap" tabindex="0" role="region" aria-labelledby="publication-heading"><table><thead><tr><th scope="col">${esc(TEXT.period)}</th><th scope="col">${esc(TEXT.state)}</th></tr></thead><tbody>${view.items
        .map(
          (item) =>
            `<tr><th scope="row">${esc(item.period)}</th><td>${esc(TEXT.publicationStates[item.state] ?? item.state)}</td></tr>`,
        )
        .join('')}</tbody></table></div>`
    : `<p>${esc(TEXT.noPublication)}</p>`;
  const drafts = view.items.filter((item) => item.state === 'draft');
  const ticked = new Set(view.error?.periods ?? []);
  const error = view.error
    ? `<p class="field-error" role="alert" id="submit-error">${esc(view.error.message)}</p>`
    : '';
  const form =
    view.canSubmit && drafts.length > 0
      ? `<form method="post" action="/app/indicators/${esc(id)}/publication">${csrfField(csrf)}<fieldset class="ack"${
          view.error ? ' aria-describedby="submit-error"' : ''
        }><legend><strong>${esc(TEXT.submitForReview)}</strong></legend>${error}${drafts
          .map(
            (item, i) =>
              `<div class="check"><input type="checkbox" id="submit-${i}" name="periods" value="${esc(item.period)}"${
                ticked.has(item.period) ? ' checked' : ''
              }><label for="submit-${i}">${esc(TEXT.submitPeriod(item.period))}</label></div>`,
          )
          .join('')}<div class="actions"><button type="submit">${esc(TEXT.submit)}</button></div></fieldset></form>`
      : error;
  const preview = `<p><a href="/app/indicators/${esc(id)}?preview=public">${esc(TEXT.previewPublic)}</a></p>`;
  return `<section aria-labelledby="publication-heading"><h2 id="publication-heading">${esc(TEXT.publicationHeading)}</h2><p class="hint">${esc(
    TEXT.publicationHelp,
  )}</p>${states}${preview}${form}${changePublishedForm(id, view, csrf)}</section>`;
}

export interface FlaggedValue {
  pointId: string;
  version: number;
  period: string;
  /** '' for the total. */
  group: string;
  value: number | null;
  flags: Array<{ code: string; message: string; acknowledged: boolean; comment: string | null; by: string | null }>;
}

function markHtml(mark: { state: 'unverified' | 'checked'; anchor: string } | null | undefined): string {
  if (!mark) return '';
  const label = mark.state === 'unverified' ? TEXT.unverified : TEXT.checked;
  return ` <a class="flag ${mark.state}" href="#${esc(mark.anchor)}">${esc(label)}</a>`;
}

/** The flagged values with their warnings; unacknowledged ones with a small form to acknowledge them. */
function flaggedSection(view: Pick<IndicatorView, 'id' | 'flagged' | 'flagError' | 'canWrite'>, csrf: string): string {
  const flagged = view.flagged ?? [];
  if (flagged.length === 0) return '';
  const items = flagged
    .map((point) => {
      const where = `${point.period}, ${point.group || TEXT.total}`;
      const flags = point.flags
        .map((flag, i) => {
          if (flag.acknowledged)
            return `<li><span class="flag checked">${esc(TEXT.checked)}</span> ${esc(flag.message)} <span class="ack-comment">${esc(
              TEXT.acknowledgedBy(flag.comment ?? '', flag.by),
            )}</span></li>`;
          const id = `ack-${point.pointId}-${i}`;
          const error =
            view.flagError && view.flagError.pointId === point.pointId && view.flagError.code === flag.code
              ? view.flagError
              : null;
          const form = view.canWrite
            ? `<form method="post" action="/app/indicators/${esc(view.id)}/flags" class="ack-form">${csrfField(csrf)}
<input type="hidden" name="point" value="${esc(point.pointId)}"><input type="hidden" name="version" value="${esc(point.version)}"><input type="hidden" name="code" value="${esc(flag.code)}">
<fieldset class="ack"><legend class="visually-hidden">${esc(TEXT.acknowledgeLegend(where))}</legend>
<label for="${id}">${esc(TEXT.comment)}</label><span class="hint" id="${id}-hint">${esc(TEXT.commentHint)}</span>${
                error ? `<span class="field-error" id="${id}-error">${esc(error.message)}</span>` : ''
              }<input type="text" id="${id}" name="comment" value="${esc(error?.comment ?? '')}" maxlength="2000" aria-describedby="${id}-hint${error ? ` ${id}-error` : ''}"${error ? ' aria-invalid="true"' : ''}>
<div class="actions"><button type="submit" class="secondary">${esc(TEXT.iCheckedThisValue)}</button></div></fieldset></form>`
            : '';
          return `<li><span class="flag unverified">${esc(TEXT.unverified)}</span> ${esc(flag.message)}${form}</li>`;
        })
        .join('');
      return `<li id="flag-${esc(point.pointId)}"><strong>${esc(where)}: ${esc(point.value ?? TEXT.missingValue)}</strong><ul>${flags}</ul></li>`;
    })
    .join('');
  return `<section aria-labelledby="flags-heading"><h2 id="flags-heading">${esc(TEXT.flaggedHeading)}</h2><p class="hint">${esc(
    TEXT.flaggedHelp,
  )}</p><ul class="flags">${items}</ul></section>`;
}

export function dataTable(view: Pick<IndicatorView, 'columns' | 'rows' | 'name'>): string {
  // Marks link to the flagged values' list, below the table.
  if (view.rows.length === 0) return `<p>${esc(TEXT.noData)}</p>`;
  const head = `<tr><th scope="col">${esc(TEXT.period)}</th>${view.columns.map((c) => `<th scope="col">${esc(c.dimension === null ? TEXT.total : `${c.dimension}: ${c.value}`)}</th>`).join('')}</tr>`;
  const body = view.rows
    .map(
      (r) =>
        `<tr><th scope="row">${esc(r.period)}</th>${r.values.map((v, k) => `<td class="num">${v === null ? '' : esc(v)}${markHtml(r.marks?.[k])}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<div class="table-wrap" tabindex="0" role="region" aria-label="${esc(view.name)}"><table><caption>${esc(view.name)}</caption><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
}

export function indicatorPage(frame: Frame, view: IndicatorView): string {
  const links = [
    ...(view.canWrite
      ? [
          `<li><a class="button" href="/app/indicators/${esc(view.id)}/data">${esc(TEXT.enterData)}</a></li>`,
          `<li><a class="button secondary" href="/app/indicators/${esc(view.id)}/import">${esc(TEXT.importCsv)}</a></li>`,
        ]
      : []),
    // The revisions and the data-quality list are the partnership's working lists: members only.
    ...(view.publication
      ? [`<li><a class="button secondary" href="/app/indicators/${esc(view.id)}/history">${esc(TEXT.history)}</a></li>`]
      : []),
    ...(view.resultId && view.publication
      ? [
          `<li><a class="button secondary" href="/app/results/${esc(view.resultId)}/data-quality">${esc(TEXT.dataQuality)}</a></li>`,
        ]
      : []),
  ];
  const embed = view.embed
    ? `<p class="hint" id="embed-help">${esc(TEXT.embedHelp)}</p>
<label for="embed-code">${esc(TEXT.embedCode)}</label>
<textarea id="embed-code" class="code" rows="6" readonly aria-describedby="embed-help">${esc(view.embed.html)}</textarea>
<h3>${esc(TEXT.embedPreview)}</h3>
<iframe class="preview" src="${esc(view.embed.url)}" title="${esc(TEXT.embedPreviewTitle(view.name))}" loading="lazy"></iframe>`
    : `<p>${esc(TEXT.embedPrivate)}</p>`;
  return page(
    { ...frame, title: view.name, crumbs: view.crumbs },
    `<ul class="links">${links.join('')}</ul>
<h2>${esc(TEXT.analysisHeading)}</h2><p id="summary">${esc(view.summary)}</p>
<h2>${esc(TEXT.chartHeading)}</h2><div class="chart">${view.svg}</div>
<h2>${esc(TEXT.dataHeading)}</h2>${dataTable(view)}
${view.accountability ? `${reportSection(view.accountability.report)}${actionsSection(view.accountability.actions)}` : ''}
${view.publication ? publicationSection(view.id, view.publication, frame.csrf) : ''}
${flaggedSection(view, frame.csrf)}
<section aria-labelledby="embed-heading"><h2 id="embed-heading">${esc(TEXT.embedHeading)}</h2>${embed}</section>`,
  );
}

export interface HistoryView {
  id: string;
  name: string;
  crumbs: Crumb[];
  revisions: Array<{
    period: string;
    group: string;
    /** null for a point marked M (missing). */
    value: number | null;
    version: number;
    at: string;
    by: string;
    how: string;
    /** Data-quality warnings stored with this version. */
    flags?: Array<{ message: string; acknowledged: boolean; comment: string | null; by: string | null }>;
  }>;
}

export function historyPage(frame: Frame, view: HistoryView): string {
  const body = view.revisions.length
    ? `<div class="table-wrap" tabindex="0" role="region" aria-label="${esc(TEXT.historyTitle(view.name))}"><table><caption>${esc(TEXT.historyTitle(view.name))}</caption><thead><tr>
<th scope="col">${esc(TEXT.updatedAt)}</th><th scope="col">${esc(TEXT.period)}</th><th scope="col">${esc(TEXT.group)}</th>
<th scope="col">${esc(TEXT.value)}</th><th scope="col">${esc(TEXT.version)}</th><th scope="col">${esc(TEXT.updatedBy)}</th><th scope="col">${esc(TEXT.how)}</th><th scope="col">${esc(TEXT.flagsColumn)}</th></tr></thead><tbody>${view.revisions
        .map(
          (r) =>
            `<tr><td>${esc(r.at)}</td><td>${esc(r.period)}</td><td>${esc(r.group)}</td><td class="num">${esc(r.value ?? TEXT.missingValue)}</td><td class="num">${esc(r.version)}</td><td>${esc(r.by)}</td><td>${esc(r.how)}</td><td>${(
              r.flags ?? []
            )
              .map((f) =>
                f.acknowledged
                  ? `<span class="flag checked">${esc(TEXT.checked)}</span> ${esc(f.message)} ${esc(TEXT.acknowledgedBy(f.comment ?? '', f.by))}`
                  : `<span class="flag unverified">${esc(TEXT.unverified)}</span> ${esc(f.message)}`,
              )
              .join('<br>')}</td></tr>`,
        )
        .join('')}</tbody></table></div>`
    : `<p>${esc(TEXT.noHistory)}</p>`;
  return page({ ...frame, title: TEXT.historyTitle(view.name), crumbs: view.crumbs }, body);
}

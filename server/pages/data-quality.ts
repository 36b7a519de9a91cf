/** The data-quality page of a result (/app/results/{id}/data-quality): what a data workgroup goes through. */
import type { DataQualityReport } from '../../schema/contracts/data-quality.ts';
import type { Crumb } from './browse.ts';
import { esc, page, type PageFrame } from './html.ts';
import { TEXT } from './text.ts';

type Frame = Pick<PageFrame, 'csrf' | 'person' | 'notice'>;

export interface DataQualityView {
  id: string;
  statement: string;
  crumbs: Crumb[];
  report: DataQualityReport;
  /** Indicator names by id. */
  names: Record<string, string>;
}

function groupOf(disaggregation: Record<string, string>): string {
  const entries = Object.entries(disaggregation);
  return entries.length ? entries.map(([k, v]) => `${k}: ${v}`).join(', ') : TEXT.total;
}

function statusOf(item: DataQualityReport['items'][number]): string {
  if (item.source === 'rule') return `<span class="flag unverified">${esc(TEXT.breaksRule)}</span>`;
  if (item.source === 'provisional') return `<span class="flag unverified">${esc(TEXT.provisionalTooLong)}</span>`;
  if (item.acknowledged)
    return `<span class="flag checked">${esc(TEXT.checked)}</span> ${esc(TEXT.acknowledgedBy(item.comment ?? '', null))}`;
  return `<span class="flag unverified">${esc(TEXT.unverified)}</span>`;
}

export function dataQualityPage(frame: Frame, view: DataQualityView): string {
  const { items, missingPeriods } = view.report;
  const name = (id: string) => view.names[id] ?? id;
  const link = (id: string, anchor = '') => `<a href="/app/indicators/${esc(id)}${anchor}">${esc(name(id))}</a>`;
  const open = items.filter((i) => !i.acknowledged).length;
  const counts = `<p>${esc(TEXT.qualityCounts(open, items.length - open, missingPeriods.length))}</p>`;
  // One table per indicator (period, group, problem, state): readable on a phone without scrolling sideways.
  const byIndicator = new Map<string, typeof items>();
  for (const item of items) byIndicator.set(item.indicatorId, [...(byIndicator.get(item.indicatorId) ?? []), item]);
  const itemTable = items.length
    ? [...byIndicator]
        .map(
          ([indicatorId, list]) =>
            `<h3 id="dq-${esc(indicatorId)}">${link(indicatorId, list.some((i) => i.source === 'flag' && !i.acknowledged) ? '#flags-heading' : '')}</h3><div class="table-wrap" tabindex="0" role="region" aria-labelledby="dq-${esc(indicatorId)}"><table><thead><tr>
<th scope="col">${esc(TEXT.period)}</th><th scope="col">${esc(TEXT.group)}</th><th scope="col">${esc(TEXT.problem)}</th><th scope="col">${esc(TEXT.state)}</th></tr></thead><tbody>${list
              .map(
                (i) =>
                  `<tr><td>${esc(i.period)}</td><td>${esc(groupOf(i.disaggregation))}</td><td>${esc(i.message)}<br><span class="hint">${esc(
                    TEXT.checkCode(i.severity === 'error' ? TEXT.severityError : TEXT.severityWarning, i.code),
                  )}</span></td><td>${statusOf(i)}</td></tr>`,
              )
              .join('')}</tbody></table></div>`,
        )
        .join('')
    : `<p>${esc(TEXT.noQualityItems)}</p>`;
  const missingTable = missingPeriods.length
    ? `<div class="table-wrap" tabindex="0" role="region" aria-labelledby="missing-heading"><table><thead><tr><th scope="col">${esc(TEXT.indicator)}</th><th scope="col">${esc(TEXT.period)}</th></tr></thead><tbody>${missingPeriods
        .map((m) => `<tr><td>${link(m.indicatorId)}</td><td>${esc(m.period)}</td></tr>`)
        .join('')}</tbody></table></div>`
    : `<p>${esc(TEXT.noMissingPeriods)}</p>`;
  return page(
    { ...frame, title: TEXT.dataQualityTitle(view.statement), crumbs: view.crumbs },
    `<p class="hint">${esc(TEXT.dataQualityHelp)}</p>${counts}
<h2 id="quality-items">${esc(TEXT.qualityItemsHeading)}</h2>${itemTable}
<h2 id="missing-heading">${esc(TEXT.missingHeading)}</h2>${missingTable}`,
  );
}

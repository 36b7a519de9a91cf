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
  const itemTable = items.length
    ? `<div class="table-wrap" tabindex="0" role="region" aria-labelledby="quality-items"><table><thead><tr>
<th scope="col">${esc(TEXT.indicator)}</th><th scope="col">${esc(TEXT.period)}</th><th scope="col">${esc(TEXT.group)}</th><th scope="col">${esc(TEXT.severity)}</th><th scope="col">${esc(TEXT.check)}</th><th scope="col">${esc(TEXT.problem)}</th><th scope="col">${esc(TEXT.state)}</th></tr></thead><tbody>${items
        .map(
          (i) =>
            `<tr><td>${link(i.indicatorId, i.source === 'flag' && !i.acknowledged ? '#flags-heading' : '')}</td><td>${esc(i.period)}</td><td>${esc(groupOf(i.disaggregation))}</td><td>${esc(
              i.severity === 'error' ? TEXT.severityError : TEXT.severityWarning,
            )}</td><td><code>${esc(i.code)}</code></td><td>${esc(i.message)}</td><td>${statusOf(i)}</td></tr>`,
        )
        .join('')}</tbody></table></div>`
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

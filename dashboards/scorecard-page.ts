/**
 * The scorecard of a result as HTML, for its embed page: a list that reads on a phone. Each indicator is a row
 * on a wide screen and a stacked card on a narrow one (embed.css), with its full name (wrapping, never cut) as a
 * link to the indicator's own embed page, its latest value and its target, the trend arrow in words, a
 * sparkline of its history and its curve and progress. Outcomes are headings with their roll-up in words.
 *
 * HTML rather than one Vega view: a concatenated chart cannot reflow, so at 375 px its text was scaled down to
 * 5 px; text in HTML wraps, and the sparklines are small SVGs drawn here. `dashboard.vl.json` stays the chart
 * for API clients. Pure: data in, HTML out.
 */
import type { IndicatorSummary, ResultScorecard, ScorecardOutcome } from '../schema/contracts/scorecard.ts';
import { escapeHtml } from './embed-page.ts';
import { QUADRANT_QUESTIONS, rollUpSentence, rowOf } from './scorecard-dashboard.ts';
import { periodStart } from './time-axis.ts';
import { sortByPeriod } from './turn-the-curve-chart.ts';
import type { ChartPoint } from './types.ts';

export interface ScorecardPageInput {
  scorecard: ResultScorecard;
  /** Each indicator's points (the sparkline draws the total), by indicator id. */
  seriesByIndicatorId: Readonly<Record<string, readonly ChartPoint[]>>;
  /** The colour of the sparklines (the initiative's accessible brand colour). */
  color: string;
  /** The link of an indicator's embed page. */
  embedPath: (indicatorId: string) => string;
  /**
   * For members of a partnership that publishes after review (the workspace): the state of each indicator's latest
   * value when it is not published yet ("submitted"), by indicator id; the row is marked as a draft.
   */
  unpublishedLatest?: Readonly<Record<string, string>>;
}

/** Sparkline size in CSS pixels: wide enough to read a trend on a phone. */
export const SPARKLINE = { width: 120, height: 36, padding: 4 } as const;

/**
 * @example scorecardHtml({ scorecard, seriesByIndicatorId, color: '#0072b2', embedPath: (id) => `/embed/indicators/${id}` })
 * // '<div class="scorecard"><section><h2>Headline indicators</h2><ul class="rows"><li class="row">
 * //   <a href="/embed/indicators/…">Unemployment rate</a> … 9.9% in 2010-02 · target 6.0% by 2014-12 …'
 */
export function scorecardHtml(input: ScorecardPageInput): string {
  const { scorecard } = input;
  const sections: string[] = [];
  if (scorecard.indicators.length > 0)
    sections.push(section('Headline indicators', null, scorecard.indicators, input, 2));
  const walk = (outcomes: readonly ScorecardOutcome[], depth: number) => {
    for (const o of [...outcomes].sort((a, b) => a.position - b.position)) {
      sections.push(section(o.title, rollUpSentence(o.rollUp, 'Roll-up'), o.indicators, input, Math.min(depth, 4)));
      if (o.performanceMeasures && o.performanceMeasures.length > 0)
        sections.push(
          section(
            `Programs contributing to: ${o.title}`,
            "Performance measures of partners' programs (not in the roll-up)",
            o.performanceMeasures,
            input,
            Math.min(depth + 1, 4),
          ),
        );
      walk(o.outcomes, depth + 1);
    }
  };
  walk(scorecard.outcomes, 2);
  return `<div class="scorecard">${sections.join('\n')}</div>`;
}

function section(
  heading: string,
  rollUp: string | null,
  indicators: readonly IndicatorSummary[],
  input: ScorecardPageInput,
  level: number,
): string {
  const rows = indicators.map((i) => row(i, input)).join('\n');
  return `<section><h${level}>${escapeHtml(heading)}</h${level}>${rollUp ? `<p class="rollup">${escapeHtml(rollUp)}</p>` : ''}${
    rows ? `<ul class="rows">${rows}</ul>` : '<p class="rollup">No indicators directly under this outcome.</p>'
  }</section>`;
}

function row(summary: IndicatorSummary, input: ScorecardPageInput): string {
  const r = rowOf(summary);
  const name =
    summary.level === 'performance' && summary.quadrant
      ? `${QUADRANT_QUESTIONS[summary.quadrant] ?? ''} ${summary.name}${summary.programName ? ` (${summary.programName})` : ''}`.trim()
      : summary.name;
  const spark = sparkline(summary, input.seriesByIndicatorId[summary.id] ?? [], input.color);
  const unpublished = input.unpublishedLatest?.[summary.id];
  const draft =
    unpublished && summary.latest
      ? `<p class="draft"><strong>Draft</strong>: ${escapeHtml(`${summary.latest.period}: ${unpublished}, not yet published`)}</p>`
      : '';
  return `<li class="row">
<div class="name"><a href="${escapeHtml(input.embedPath(summary.id))}">${escapeHtml(name)}</a>
<p class="figures"><span>${escapeHtml(r.latestText)}</span> <span>${escapeHtml(r.targetText ? `target ${r.targetText}` : 'no target')}</span></p>${draft}</div>
<p class="trend"><span class="arrow" style="color:${r.trendColor}" aria-hidden="true">${escapeHtml(r.trendArrow)}</span> ${escapeHtml(r.trendText)}</p>
<div class="spark">${spark}</div>
<p class="status"><strong style="color:${r.curveColor}">${escapeHtml(r.curveText)}</strong><br><span style="color:${r.progressColor}">${escapeHtml(r.progressText)}</span></p>
</li>`;
}

/**
 * The total's history as a small SVG line with its latest value as a dot; described in words for screen
 * readers ("History: 4.2 in 2000-01 to 9.9 in 2010-02"). Empty without data.
 */
export function sparkline(summary: IndicatorSummary, points: readonly ChartPoint[], color: string): string {
  const calendar = { frequency: summary.frequency, yearStartMonth: null };
  let total: ChartPoint[];
  try {
    total = sortByPeriod(
      points.filter((p) => Object.keys(p.disaggregation).length === 0),
      calendar,
    );
  } catch {
    total = [...points].filter((p) => Object.keys(p.disaggregation).length === 0);
  }
  if (total.length < 2) return '';
  const { width, height, padding } = SPARKLINE;
  const times = total.map((p) => {
    try {
      return Date.parse(`${periodStart(p.period, calendar)}T00:00:00Z`);
    } catch {
      return NaN;
    }
  });
  const xs = times.every(Number.isFinite) ? times : total.map((_, i) => i);
  const values = total.map((p) => p.value);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...values), Math.max(...values)];
  const x = (v: number) => padding + ((v - x0) / (x1 - x0 || 1)) * (width - 2 * padding);
  const y = (v: number) => height - padding - ((v - y0) / (y1 - y0 || 1)) * (height - 2 * padding);
  const path = total.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(xs[i]!).toFixed(1)},${y(p.value).toFixed(1)}`).join('');
  const first = total[0]!;
  const last = total.at(-1)!;
  const label = `History: ${first.value} in ${first.period} to ${last.value} in ${last.period}`;
  return `<svg class="sparkline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(label)}"><path d="${path}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"/><circle cx="${x(xs.at(-1)!).toFixed(1)}" cy="${y(last.value).toFixed(1)}" r="3" fill="${color}"/></svg>`;
}

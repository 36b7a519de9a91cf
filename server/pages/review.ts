/**
 * The review page (/app/review): the submitted periods waiting for approval — **Approve**, or **Send back**
 * with a Reason — and the approved ones waiting to be published (**Publish**), grouped by indicator. A
 * refused action shows its message next to its form and keeps the reason typed. Pure: data in, HTML out.
 */
import { csrfField, esc, page, type PageFrame } from './html.ts';
import { TEXT } from './text.ts';

type Frame = Pick<PageFrame, 'csrf' | 'person' | 'notice'>;

export type ReviewAction = 'approve' | 'send_back' | 'publish';

export interface ReviewPeriod {
  period: string;
  state: 'submitted' | 'approved';
  submittedBy: string | null;
  approvedBy: string | null;
  /** ISO timestamp: when it was submitted (or approved). */
  since: string;
}

export interface ReviewIndicator {
  id: string;
  name: string;
  initiativeName: string;
  mayReview: boolean;
  periods: ReviewPeriod[];
}

export interface ReviewView {
  reviewer: boolean;
  indicators: ReviewIndicator[];
  truncated: boolean;
  /** A refused action: its message, shown next to its form, and the reason typed. */
  error?: { indicatorId: string; period: string; action: ReviewAction; message: string; reason: string } | null;
}

/** `2026-12-03T08:18:00.000Z` → `2026-12-03 08:18 UTC`. */
function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function actionForm(
  indicatorId: string,
  period: string,
  action: ReviewAction,
  csrf: string,
  key: string,
  error: ReviewView['error'],
): string {
  const mine = error && error.indicatorId === indicatorId && error.period === period && error.action === action;
  const errorId = `${key}-${action}-error`;
  const message = mine ? `<p class="field-error" role="alert" id="${errorId}">${esc(error.message)}</p>` : '';
  const hidden = `${csrfField(csrf)}<input type="hidden" name="indicator" value="${esc(indicatorId)}"><input type="hidden" name="period" value="${esc(period)}"><input type="hidden" name="action" value="${action}">`;
  if (action === 'send_back') {
    const id = `${key}-reason`;
    return `<form method="post" action="/app/review" class="review-form">${hidden}
<label for="${id}">${esc(TEXT.reason)}</label><span class="hint" id="${id}-hint">${esc(TEXT.reasonHint)}</span>${message}<input type="text" id="${id}" name="reason" maxlength="2000" value="${esc(mine ? error.reason : '')}" aria-describedby="${id}-hint${mine ? ` ${errorId}` : ''}"${mine ? ' aria-invalid="true"' : ''}>
<button type="submit" class="secondary">${esc(TEXT.sendBack)}</button></form>`;
  }
  const label = action === 'approve' ? TEXT.approve : TEXT.publish;
  return `<form method="post" action="/app/review" class="review-form">${hidden}${message}<button type="submit"${mine ? ` aria-describedby="${errorId}"` : ''}>${esc(label)}</button></form>`;
}

function periodItem(
  indicator: ReviewIndicator,
  p: ReviewPeriod,
  headingId: string,
  view: ReviewView,
  csrf: string,
): string {
  const key = `${headingId}-${p.period.replace(/[^\w-]/g, '_')}`;
  const who =
    p.state === 'submitted'
      ? TEXT.submittedByOn(p.submittedBy ?? TEXT.someone, when(p.since))
      : TEXT.approvedByOn(p.approvedBy ?? TEXT.someone, when(p.since), p.submittedBy ?? TEXT.someone);
  const label = `<strong id="${key}">${esc(p.period)}</strong> — ${esc(who)}`;
  if (!indicator.mayReview) return `<li>${label}</li>`;
  const forms =
    p.state === 'submitted'
      ? actionForm(indicator.id, p.period, 'approve', csrf, key, view.error) +
        actionForm(indicator.id, p.period, 'send_back', csrf, key, view.error)
      : actionForm(indicator.id, p.period, 'publish', csrf, key, view.error) +
        actionForm(indicator.id, p.period, 'send_back', csrf, key, view.error);
  return `<li><div role="group" aria-labelledby="${headingId} ${key}">${label}<div class="actions">${forms}</div></div></li>`;
}

function section(
  view: ReviewView,
  state: 'submitted' | 'approved',
  heading: string,
  empty: string,
  csrf: string,
): string {
  const id = `${state}-heading`;
  const groups = view.indicators
    .map((indicator) => ({ indicator, periods: indicator.periods.filter((p) => p.state === state) }))
    .filter((g) => g.periods.length > 0);
  const body = groups.length
    ? groups
        .map(({ indicator, periods }) => {
          // Each period's forms are a group named by its indicator and period.
          const headingId = `r-${state}-${indicator.id}`;
          const items = periods.map((p) => periodItem(indicator, p, headingId, view, csrf)).join('');
          return `<h3 id="${headingId}"><a href="/app/indicators/${esc(indicator.id)}">${esc(indicator.name)}</a></h3>
<p class="hint">${esc(indicator.initiativeName)}</p><ul class="review">${items}</ul>`;
        })
        .join('')
    : `<p>${esc(empty)}</p>`;
  return `<section aria-labelledby="${id}"><h2 id="${id}">${esc(heading)}</h2>${body}</section>`;
}

export function reviewPage(frame: Frame, view: ReviewView): string {
  const waiting = view.indicators.some((i) => i.periods.length > 0);
  const intro = `<p class="hint">${esc(view.reviewer ? TEXT.reviewHelp : TEXT.reviewReadOnly)}</p>`;
  const truncated = view.truncated ? `<p>${esc(TEXT.reviewTruncated)}</p>` : '';
  // A refused action whose form is gone (the period moved meanwhile): its message at the top.
  const error = view.error;
  const shown =
    error &&
    view.indicators.some(
      (i) =>
        i.id === error.indicatorId &&
        i.mayReview &&
        i.periods.some(
          (p) =>
            p.period === error.period &&
            (error.action === 'send_back' || p.state === (error.action === 'approve' ? 'submitted' : 'approved')),
        ),
    );
  const problem = error && !shown ? `<p class="problem" role="alert">${esc(error.message)}</p>` : '';
  const body = waiting
    ? section(view, 'submitted', TEXT.waitingForApproval, TEXT.nothingSubmitted, frame.csrf) +
      section(view, 'approved', TEXT.waitingForPublication, TEXT.nothingApproved, frame.csrf)
    : `<p>${esc(TEXT.nothingToReview)}</p>`;
  return page(
    { ...frame, title: TEXT.reviewTitle, crumbs: [{ href: '/app', label: TEXT.home }] },
    `${problem}${intro}${truncated}${body}`,
  );
}

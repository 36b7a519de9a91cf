/**
 * The frame of every workspace page: document, header with the signed-in person and **Sign out**, breadcrumb,
 * main landmark, and the stylesheet (inline: one request per page, no script). Pure: data in, HTML out.
 */
import { TEXT } from './text.ts';

export function esc(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The hidden field every form carries (the CSRF token, checked against the cookie on POST). */
export function csrfField(csrf: string): string {
  return `<input type="hidden" name="_csrf" value="${esc(csrf)}">`;
}

export interface PageFrame {
  title: string;
  csrf: string;
  /** The signed-in person; null on sign-in and invitation pages. */
  person: { displayName: string; role: string } | null;
  crumbs?: Array<{ href: string; label: string }>;
  /** A status message shown at the top of the content (role="status"). */
  notice?: string | null;
  /** Extra stylesheets (the scorecard's). */
  stylesheets?: string[];
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
a{color:#0b57a4}a:hover{color:#063a6e}
:focus-visible{outline:3px solid #b35900;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:2}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;padding:.75rem 1rem;background:#f2f4f7;border-bottom:1px solid #c8ced6}
header .app{font-weight:600;text-decoration:none;color:#1a1a1a}
header form{display:inline}
header .who{margin-right:.5rem}
main{max-width:72rem;margin:0 auto;padding:1rem}
nav.crumbs ol{list-style:none;padding:0;margin:0 0 .5rem;display:flex;flex-wrap:wrap;gap:.25rem}
nav.crumbs li+li::before{content:"/";margin-right:.25rem;color:#555}
h1{font-size:1.6rem;line-height:1.25;margin:.25rem 0 1rem}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
button,.button{font:inherit;padding:.5rem 1rem;border:2px solid #0b57a4;border-radius:4px;background:#0b57a4;color:#fff;cursor:pointer;text-decoration:none;display:inline-block;min-height:44px}
button.secondary,.button.secondary{background:#fff;color:#0b57a4}
input,textarea{font:inherit;padding:.4rem;border:1px solid #5c6670;border-radius:4px;max-width:100%}
input[type=text],input[type=email],input[type=password]{width:20rem}
label{font-weight:600;display:block;margin-top:.75rem}
.hint{color:#4a525a;margin:.25rem 0}
.notice{padding:.75rem;border-left:4px solid #1e7b34;background:#eef7f0}
.problem{padding:.75rem;border-left:4px solid #b00020;background:#fdeeee}
.field-error{color:#b00020;font-weight:600;display:block;margin:.25rem 0}
.table-wrap{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #c8ced6;padding:.35rem .5rem;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
th[scope=row]{white-space:nowrap}
caption{text-align:left;font-weight:600;padding:.25rem 0}
.grid input{width:8rem}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.warning{padding:.25rem .5rem;margin:.25rem 0;border-left:4px solid #8a5a00;background:#fff6e0;max-width:16rem}
.warnings{padding:.75rem;border-left:4px solid #8a5a00;background:#fff6e0;margin:.5rem 0}
.warnings h2{margin-top:0}
fieldset.ack{border:0;padding:0;margin:.25rem 0;min-width:0}
fieldset.ack label{margin-top:.25rem}
fieldset.ack .hint{display:block;font-size:.875rem}
.warning ul{margin:.25rem 0;padding-left:1.25rem}
.check{display:flex;gap:.5rem;align-items:center}
.check label{margin:0}
input[type=checkbox]{width:1.5rem;height:1.5rem;margin:0}
.grid fieldset.ack input[type=text]{width:12rem}
.flag{font-size:.875rem;font-weight:600;padding:0 .25rem;border-radius:3px;white-space:nowrap}
.flag.unverified{color:#6b4500;background:#fff0c2;border:1px solid #8a5a00}
.flag.checked{color:#1e5b2c;background:#eef7f0;border:1px solid #1e7b34}
.flags li{margin:.75rem 0}
.links{display:flex;flex-wrap:wrap;gap:.5rem;padding:0;list-style:none}
.chart svg{max-width:100%;height:auto}
textarea.code{width:100%;font-family:ui-monospace,monospace;font-size:.9rem}
iframe.preview{width:100%;max-width:48rem;height:32rem;border:1px solid #c8ced6}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
`;

export function page(frame: PageFrame, body: string): string {
  const crumbs = frame.crumbs?.length
    ? `<nav class="crumbs" aria-label="${esc(TEXT.breadcrumb)}"><ol>${frame.crumbs
        .map((c) => `<li><a href="${esc(c.href)}">${esc(c.label)}</a></li>`)
        .join('')}</ol></nav>`
    : '';
  const who = frame.person
    ? `<div><span class="who">${esc(TEXT.signedInAs(frame.person.displayName, frame.person.role))}</span>` +
      `<a class="who" href="/app/review">${esc(TEXT.reviewLink)}</a>` +
      `<a class="who" href="/app/tokens">${esc(TEXT.tokensLink)}</a>` +
      `<form method="post" action="/app/sign-out">${csrfField(frame.csrf)}<button type="submit" class="secondary">${esc(TEXT.signOut)}</button></form></div>`
    : '';
  const notice = frame.notice ? `<p class="notice" role="status">${esc(frame.notice)}</p>` : '';
  const sheets = (frame.stylesheets ?? []).map((href) => `<link rel="stylesheet" href="${esc(href)}">`).join('');
  return `<!doctype html>
<html lang="${TEXT.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(frame.title)} · ${esc(TEXT.appName)}</title>${sheets}<style>${STYLE}</style></head>
<body><a class="skip" href="#main">${esc(TEXT.skipToContent)}</a>
<header><a class="app" href="/app">${esc(TEXT.appName)}</a>${who}</header>
<main id="main">${crumbs}<h1>${esc(frame.title)}</h1>${notice}${body}</main></body></html>`;
}

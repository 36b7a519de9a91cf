/**
 * The embed pages partners put in an iframe: pure functions, data in → HTML out.
 *
 * Each page works without JavaScript (the server-rendered SVG and a data table) and is accessible: a
 * title, a plain-language summary the chart is labelled by, the data as a real table in a disclosure a
 * keyboard reaches, and a skip link. With JavaScript, `/assets/embed.js` swaps the SVG for the interactive
 * chart (tooltips) and reports the page height to the parent window (see `EMBED_MESSAGE_TYPE`).
 * Every script and style comes from this server.
 */
import { FONT_FAMILY, FONT_WEIGHT } from './chart-fonts.ts';
import type { Brand } from './types.ts';

/** `postMessage` protocol: `{ type: 'rba-embed:height', height: <px>, embedId: <the page's id> }`. */
export const EMBED_MESSAGE_TYPE = 'rba-embed:height';

/** Asset URLs, versioned so they can be cached forever. */
export interface EmbedAssets {
  scripts: string[];
  stylesheet: string;
  /** The bundled web fonts (`chart-fonts.ts`): the charts are measured with these faces. */
  fonts: { regular: string; semibold: string };
}

/**
 * The `@font-face` rules of the bundled fonts, inline because their URLs are content-addressed. `font-display:
 * block` for the short moment they load: the interactive chart waits for them (embed.js) so that it measures
 * its labels with the faces it draws them in.
 */
export function fontFaceCss(fonts: EmbedAssets['fonts']): string {
  const face = (url: string, weight: number) =>
    `@font-face{font-family:"${FONT_FAMILY}";font-style:normal;font-weight:${weight};font-display:block;src:url("${escapeHtml(url)}") format("woff2")}`;
  return face(fonts.regular, FONT_WEIGHT.regular) + face(fonts.semibold, FONT_WEIGHT.semibold);
}

export interface DataTable {
  caption: string;
  columns: string[];
  rows: string[][];
}

export interface EmbedPageInput {
  /** Identifies the page in height messages (the object's id). */
  embedId: string;
  title: string;
  initiativeName: string;
  brand: Brand | null;
  /** The plain-language summary shown under the title: at most two sentences. */
  summary: string;
  /** The chart's full text alternative (read by screen readers, not shown); defaults to the summary. */
  chartDescription?: string;
  /** Collapsed sections right after the chart (e.g. how the groups compare): a disclosure and its items. */
  disclosures: Array<{ summary: string; items: string[] }>;
  /** Server-rendered SVG: shown at once, and kept when scripts do not run. */
  svg?: string;
  /** The compiled Vega spec for the interactive chart. */
  vegaSpec?: unknown;
  /** HTML shown instead of a chart (the scorecard: text that wraps on a phone). */
  html?: string;
  tables: DataTable[];
  /** Sections of text (e.g. the turn-the-curve report): a heading and paragraphs or list items. */
  sections: Array<{ heading: string; paragraphs: string[]; items?: string[] }>;
  source: string | null;
  assets: EmbedAssets;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML-escapes text for element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** JSON safe inside a `<script type="application/json">` element (no `</script>` break-out). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function tableHtml(table: DataTable, index: number): string {
  const head = table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = table.rows
    .map(
      (row) =>
        `<tr>${row.map((cell, i) => (i === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : `<td>${escapeHtml(cell)}</td>`)).join('')}</tr>`,
    )
    .join('\n');
  return `<details class="data"${index === 0 ? ' id="data"' : ''}>
<summary>${escapeHtml(table.caption)} (table)</summary>
<div class="table-wrap" tabindex="0" role="region" aria-label="${escapeHtml(table.caption)}">
<table><caption>${escapeHtml(table.caption)}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody></table></div></details>`;
}

function disclosureHtml(disclosure: EmbedPageInput['disclosures'][number]): string {
  const items = disclosure.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('');
  return `<details class="more"><summary>${escapeHtml(disclosure.summary)}</summary><ul>${items}</ul></details>`;
}

function sectionHtml(section: EmbedPageInput['sections'][number]): string {
  const paragraphs = section.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  const items = section.items?.length
    ? `<ul>${section.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`
    : '';
  return `<section><h2>${escapeHtml(section.heading)}</h2>\n${paragraphs}\n${items}</section>`;
}

/** A safe colour for a CSS custom property (anything else falls back to the theme's). */
function brandColor(brand: Brand | null): string | null {
  return brand?.color && /^#[0-9a-fA-F]{6}$/.test(brand.color) ? brand.color : null;
}

/**
 * @example embedPage({ embedId: 'i1', title: 'Unemployment rate', summary: 'Unemployment rate fell for 3 years in a row; …', … })
 * // '<!doctype html><html lang="en">…<h1>Unemployment rate</h1><p id="summary">Unemployment rate fell…'
 */
export function embedPage(input: EmbedPageInput): string {
  const color = brandColor(input.brand);
  const logo =
    input.brand?.logoUrl && /^https?:\/\//.test(input.brand.logoUrl)
      ? `<img class="logo" src="${escapeHtml(input.brand.logoUrl)}" alt="${escapeHtml(input.initiativeName)} logo" height="32">`
      : '';
  const scripts = input.assets.scripts.map((src) => `<script src="${escapeHtml(src)}" defer></script>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)} — ${escapeHtml(input.initiativeName)}</title>
<link rel="icon" href="data:,">
<link rel="preload" href="${escapeHtml(input.assets.fonts.regular)}" as="font" type="font/woff2" crossorigin>
<link rel="preload" href="${escapeHtml(input.assets.fonts.semibold)}" as="font" type="font/woff2" crossorigin>
<style>${fontFaceCss(input.assets.fonts)}</style>
<link rel="stylesheet" href="${escapeHtml(input.assets.stylesheet)}">
</head>
<body data-embed-id="${escapeHtml(input.embedId)}" data-message-type="${EMBED_MESSAGE_TYPE}"${color ? ` style="--brand: ${color}"` : ''}>
<a class="skip" href="#data">Skip to the data table</a>
<main class="rba-embed">
<header>${logo}<p class="initiative">${escapeHtml(input.initiativeName)}</p></header>
<h1>${escapeHtml(input.title)}</h1>
<p id="summary" class="summary">${escapeHtml(input.summary)}</p>
${input.chartDescription ? `<p id="chart-description" class="visually-hidden">${escapeHtml(input.chartDescription)}</p>` : ''}
${
  input.html ??
  `<figure>
<div id="chart" class="chart" role="img" aria-labelledby="${input.chartDescription ? 'chart-description' : 'summary'}">${input.svg ?? ''}</div>
${input.source ? `<figcaption>Source: ${escapeHtml(input.source)}</figcaption>` : ''}
</figure>`
}
${input.disclosures.map(disclosureHtml).join('\n')}
${input.tables.map(tableHtml).join('\n')}
${input.sections.map(sectionHtml).join('\n')}
</main>
${input.vegaSpec === undefined ? '' : `<script type="application/json" id="vega-spec">${jsonForScript(input.vegaSpec)}</script>`}
${scripts}
</body>
</html>
`;
}

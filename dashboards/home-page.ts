/**
 * The small page at `/`: what this server is, where the API documentation is, and the embed pages of the
 * public results (the demo's, on a fresh start), and the workspace's door — so a newcomer's browser lands on
 * something useful.
 */
import { escapeHtml } from './embed-page.ts';

export interface HomePageInput {
  results: Array<{ id: string; statement: string; initiativeName: string }>;
}

export function homePageHtml({ results }: HomePageInput): string {
  const items = results
    .map(
      (r) =>
        `<li><a href="/embed/results/${escapeHtml(r.id)}">${escapeHtml(r.statement)}</a> <small>(${escapeHtml(r.initiativeName)})</small></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>RBA indicator tracker</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}</style>
</head>
<body>
<h1>RBA indicator tracker</h1>
<p>Shared results, outcomes and SMART indicators with turn-the-curve analysis: an API, and a workspace for the people who enter the data.</p>
<ul>
<li><a href="/app">Workspace</a> (sign in to enter, import and review data; accounts come by invitation: <code>npm run invite</code>, see the README)</li>
<li><a href="/docs">API documentation</a> (interactive)</li>
<li><a href="/openapi.json">OpenAPI document</a></li>
<li><a href="/api/v1/initiatives">Initiatives</a> (JSON)</li>
</ul>
<h2>Public scorecards</h2>
${results.length > 0 ? `<ul>\n${items}\n</ul>` : '<p>No public result yet.</p>'}
</body>
</html>
`;
}

/// <reference lib="dom" />
/**
 * Charts people can read on any screen (issue 12), checked in a real browser (Debian's headless Chromium,
 * playwright-core): every demo embed page, and every demo indicator's `chart.svg` (the total and, for
 * indicators with groups, `view=groups`), and one more indicator with every observation status and an unverified
 * value, at one screen width per test file (`readability-375.test.ts`,
 * `readability-768.test.ts`, `readability-1280.test.ts`: three files of ~27 pages each rather than one of ~80,
 * so that each stays well inside tap's time limit per file). A page fails on overlapping texts, texts on the data
 * marks, texts outside their SVG or the screen, a page wider than the screen, text under 10 px, text cut short
 * with "…" (see `page-geometry.ts`), or any serious or critical axe-core violation of WCAG 2.2 A/AA. Set
 * `SCREENSHOTS=<folder>` to keep a PNG of every page checked.
 *
 * The pages of a width are checked a few at a time (`READABILITY_JOBS`, 3 by default), each in a tab of its own:
 * a page is mostly the browser's work (Vega drawing, axe-core), which one tab at a time leaves a core idle for.
 */
import type { Page } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Test } from 'tap';
import { seedDemo } from '../../seeds/seed-demo.ts';
import { buildTestApp, TEST_ADMIN_TOKEN } from '../helpers/test-app.ts';
import { chromiumInstalled, launchChromium } from './chromium.ts';
import { readabilityFaults } from './page-geometry.ts';

/** A regular expression on the pages' names, to look at a few while working on them (all by default). */
const ONLY = new RegExp(process.env.READABILITY_PAGES ?? '');
/** How many pages are checked at once. */
const JOBS = Math.max(1, Number(process.env.READABILITY_JOBS ?? 3));
const SCREENSHOTS = process.env.SCREENSHOTS;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Checks every demo page at `width` px (a test file's whole work). */
export async function checkReadability(t: Test, width: number): Promise<void> {
  if (!chromiumInstalled(t)) return;
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const api = await buildTestApp(t);
  const seeded = await seedDemo(api.app, `Bearer ${TEST_ADMIN_TOKEN}`);
  const origin = await api.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchChromium(t);
  if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });

  const resultId = seeded.resultIds[0]!;
  const indicators = (
    await api.request({ method: 'GET', url: `/api/v1/results/${resultId}/indicators?limit=1000`, as: null })
  ).body.items as Array<{ id: string; name: string; dimensions: unknown[] }>;
  t.ok(indicators.length >= 5, 'the demo has public indicators');

  /** Geometry and axe-core on the page as it stands; a screenshot when asked. */
  async function check(t: Test, page: Page, name: string, options: { axe: boolean }): Promise<void> {
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const faults = await page.evaluate(readabilityFaults);
    t.same(
      faults.map((f) => `${f.kind}: ${f.message}`),
      [],
      'no overlapping, cut, off-screen or tiny text; the page fits the screen',
    );
    if (options.axe) {
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async (tags) => {
        const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<any> } }).axe;
        const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
        return (result.violations as Array<{ id: string; impact: string; help: string; nodes: unknown[] }>)
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length} elements)`);
      }, AXE_TAGS);
      t.same(violations, [], 'no serious or critical axe-core violation (WCAG 2.2 A/AA)');
    }
    if (SCREENSHOTS)
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
  }

  const pages: Array<{ name: string; path: string; kind: 'embed' | 'svg' }> = [
    { name: 'scorecard', path: `/embed/results/${resultId}`, kind: 'embed' },
    ...indicators.flatMap((indicator, i) => [
      { name: `indicator-${i}`, path: `/embed/indicators/${indicator.id}`, kind: 'embed' as const },
      { name: `indicator-${i}-svg`, path: `/api/v1/indicators/${indicator.id}/chart.svg`, kind: 'svg' as const },
      ...(indicator.dimensions.length > 0
        ? [
            {
              name: `indicator-${i}-groups-svg`,
              path: `/api/v1/indicators/${indicator.id}/chart.svg?view=groups`,
              kind: 'svg' as const,
            },
          ]
        : []),
    ]),
  ];

  // One more indicator in the demo's result with every observation status (provisional, estimated, a break in
  // series, a missing period) and an unverified value, so those marks and legend entries are checked too.
  const statuses = await api.request({
    method: 'POST',
    url: `/api/v1/results/${resultId}/indicators`,
    payload: {
      name: 'Households reporting food insecurity',
      unit: 'percent',
      polarity: 'lower_is_better',
      frequency: 'annual',
      baselinePeriod: '2018',
      target: { period: '2027', value: 8 },
      rules: [{ code: 'at_most_15', kind: 'range', severity: 'warning', max: 15 }],
    },
  });
  t.equal(statuses.status, 201, statuses.raw.slice(0, 200));
  const written = await api.request({
    method: 'PUT',
    url: `/api/v1/indicators/${statuses.body.id}/data-points`,
    payload: {
      points: [
        ...[14.2, 13.9, 13.8, 13.5, 13.4].map((value, i) => ({ period: String(2012 + i), value })),
        { period: '2017', value: 11.1, obsStatus: 'B', footnote: 'A new survey question from 2017.' },
        { period: '2018', value: 11 },
        { period: '2019', value: null, obsStatus: 'M', footnote: 'No survey was run in 2019.' },
        { period: '2020', value: 10.8, obsStatus: 'E', footnote: 'Estimated from two of three districts.' },
        { period: '2021', value: 10.5, status: 'provisional' },
        { period: '2022', value: 16 },
      ],
    },
  });
  t.equal(written.status, 200, written.raw.slice(0, 200));
  // The demo requires publication (docs/publication.md): the public sees these once reviewed and published.
  const periods = Array.from({ length: 11 }, (_, i) => String(2012 + i));
  for (const action of ['submit', 'approve', 'publish']) {
    const moved = await api.request({
      method: 'POST',
      url: `/api/v1/indicators/${statuses.body.id}/publication`,
      payload: { periods, action },
    });
    t.equal(moved.status, 200, moved.raw.slice(0, 200));
  }
  pages.push(
    { name: 'statuses', path: `/embed/indicators/${statuses.body.id}`, kind: 'embed' },
    { name: 'statuses-svg', path: `/api/v1/indicators/${statuses.body.id}/chart.svg`, kind: 'svg' },
  );

  const checked = pages.filter((p) => ONLY.test(p.name));
  // `jobs`: tap runs up to JOBS of the subtests below at once (each buffered, reported in order).
  await t.test(`at ${width} px`, { jobs: JOBS }, async (t) => {
    // bypassCSP: axe-core is injected as an inline script, which the embed pages' policy rightly refuses.
    const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
    t.teardown(() => context.close());
    for (const target of checked) {
      // Not awaited: queued, and run JOBS at a time.
      void t.test(`${target.name} (${target.path})`, async (t) => {
        const page = await context.newPage();
        t.teardown(() => page.close());
        if (target.kind === 'embed') {
          await page.goto(`${origin}${target.path}`);
          if (target.name === 'scorecard') {
            await page.waitForSelector('.scorecard', { timeout: 20_000 });
          } else {
            await page.waitForSelector('#chart[data-rendered]', { timeout: 20_000 });
            t.equal(await page.getAttribute('#chart', 'data-rendered'), 'interactive', 'the interactive chart drew');
          }
        } else {
          // The SVG as a page would show it: inline, at the width asked for.
          const separator = target.path.includes('?') ? '&' : '?';
          const response = await fetch(`${origin}${target.path}${separator}width=${width}`);
          t.equal(response.status, 200);
          const svg = await response.text();
          // From this server's origin, so the SVG's own @font-face rules load the bundled fonts.
          await page.goto(`${origin}/healthz`);
          await page.setContent(
            `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width">` +
              `<title>${target.name}</title></head><body style="margin:0">${svg}</body></html>`,
          );
        }
        await check(t, page, `${target.name}-${width}`, { axe: true });
      });
    }
  });
}

/// <reference lib="dom" />
/**
 * The embed pages in a real browser (Debian's headless Chromium driven by playwright-core): every demo
 * indicator's page and the demo scorecard render their marks, show the summary and the data table, and
 * make no request that leaves this server. Skipped (with a message) only when no Chromium is installed and
 * CI is not set; CI installs it (.ci/run).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from '../helpers/tap.ts';
import { seedDemo } from '../../seeds/seed-demo.ts';
import { freePort } from '../helpers/free-port.ts';
import { buildTestApp, TEST_ADMIN_TOKEN } from '../helpers/test-app.ts';
import { chromiumInstalled, launchChromium } from './chromium.ts';

if (chromiumInstalled(t)) {
  // A dozen pages, each drawing its chart once the bundled fonts are in: more than the default 120 s when the
  // machine is shared.
  t.setTimeout(600_000);
  // The snippet links to the public address (PUBLIC_URL): the one this server will listen on.
  const port = await freePort();
  const api = await buildTestApp(t, { publicUrl: `http://127.0.0.1:${port}` });
  const seeded = await seedDemo(api.app, `Bearer ${TEST_ADMIN_TOKEN}`);
  const origin = await api.app.listen({ host: '127.0.0.1', port });
  const browser = await launchChromium(t);

  const indicators = (
    await api.request({ method: 'GET', url: `/api/v1/results/${seeded.resultIds[0]}/indicators?limit=1000`, as: null })
  ).body.items as Array<{ id: string; name: string }>;
  t.ok(indicators.length >= 5, 'the demo has public indicators');

  async function openEmbed(path: string, ready = '#chart[data-rendered="interactive"]') {
    const context = await browser.newContext({ viewport: { width: 900, height: 800 } });
    const page = await context.newPage();
    const offServer: string[] = [];
    const errors: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
      offServer.push(url);
      return route.abort();
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${origin}${path}`);
    await page.waitForSelector(ready, { timeout: 20_000 });
    return { page, context, offServer, errors };
  }

  for (const indicator of indicators) {
    await t.test(`embed page of "${indicator.name}"`, async (t) => {
      const { page, context, offServer, errors } = await openEmbed(`/embed/indicators/${indicator.id}`);
      t.teardown(() => context.close());
      t.ok(
        (await page
          .locator('#chart .chart-live svg .mark-symbol path, #chart .chart-live svg .mark-line path')
          .count()) > 0,
        'the chart drew its marks',
      );
      const summary = (await page.locator('#summary').textContent()) ?? '';
      t.ok(summary.startsWith(indicator.name.split(' (')[0]!.slice(0, 10)), `summary: ${summary.slice(0, 90)}…`);
      t.equal(await page.locator('h1').textContent(), indicator.name);
      t.ok((await page.locator('table caption').count()) >= 1, 'a data table');
      t.ok((await page.locator('table tbody tr').count()) > 0, 'with rows');
      // keyboard: the skip link is the first stop and leads to the table's disclosure
      await page.keyboard.press('Tab');
      t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to the data table');
      t.same(offServer, [], 'no request left the server');
      t.same(errors, [], 'no script errors');
    });
  }

  await t.test('scorecard embed shows the whole tree and reports its height', async (t) => {
    const { page, context, offServer, errors } = await openEmbed(`/embed/results/${seeded.resultIds[0]}`, '.scorecard');
    t.teardown(() => context.close());
    const tableText = (await page.locator('table').first().textContent()) ?? '';
    for (const indicator of indicators) {
      t.ok(tableText.includes(indicator.name), `the scorecard lists ${indicator.name}`);
      // Each row links to the indicator's own embed page.
      t.equal(
        await page.locator(`.scorecard a[href="/embed/indicators/${indicator.id}"]`).count(),
        1,
        `a row links to the embed page of ${indicator.name}`,
      );
    }
    t.ok((await page.locator('.scorecard .sparkline').count()) >= indicators.length - 1, 'sparklines');
    t.same(offServer, []);
    t.same(errors, []);
  });

  await t.test("auto-height: a parent page receives the embed's height through postMessage", async (t) => {
    // The snippet points at the public address the server was given, the one it listens on.
    const snippet = (await (await fetch(`${origin}/api/v1/indicators/${indicators[0]!.id}/embed`)).json()) as {
      html: string;
    };
    const context = await browser.newContext();
    t.teardown(() => context.close());
    const page = await context.newPage();
    // A partner's page holding the snippet, served from another origin (another port on loopback, so
    // Chromium's local-network checks treat both alike).
    const partner = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!doctype html><html><body><h1>Partner</h1>${snippet.html}</body></html>`);
    });
    await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise((resolve) => partner.close(resolve)));
    await page.goto(`http://127.0.0.1:${(partner.address() as AddressInfo).port}/jobs`);
    await page.waitForFunction(
      () => {
        const frame = document.querySelector('iframe[data-rba-embed]') as HTMLIFrameElement | null;
        return frame !== null && frame.style.height !== '' && parseInt(frame.style.height, 10) > 300;
      },
      undefined,
      { timeout: 20_000 },
    );
    const height = await page.evaluate(
      () => (document.querySelector('iframe[data-rba-embed]') as HTMLIFrameElement).style.height,
    );
    t.match(height, /^\d+px$/, `the iframe took the page's height (${height})`);
  });
}
